package search

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"registar/data"
)

// A small vocabulary in several scripts, so that words share prefixes and
// queries hit dense and sparse sets alike.
var propWords = []string{"Đorđe", "Djordje", "Ђорђе", "Dorde", "Petrović", "Петровић", "Petar", "Pero",
	"Marko", "Марко", "Marija", "Çelik", "Čelik", "Gjilan", "Gjergj", "Ljubica", "Љубица", "Njegoš",
	"Ana", "Anela", "Amra", "Beč", "Wien", "Zürich", "Ćazim", "Šefik", "x", "xy", "xyz", "1990", "19", "a1"}

var propFacets = []Facet{{"country", "DE"}, {"country", "AT"}, {"country", "ch"}, {"city", "Beč"},
	{"city", "Bec"}, {"city", "Беч"}, {"city", "Zürich"}, {"interest", "invest"}, {"interest", "Return"},
	{"tag", "IT"}, {"tag", "it"}, {"gender", "f"}, {"gender", "m"}, {"consent", "publish"}, {"locality", "L1"},
	{"locality", "l1"}, {"kind", "business"}}

var propKinds = []data.Kind{data.KindPerson, data.KindPerson, data.KindBusiness, data.KindOrganisation, data.KindLocality}

func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		if b.Len() > 0 {
			b.WriteString([]string{" ", "-", ", ", "  "}[r.IntN(4)])
		}
		b.WriteString(propWords[r.IntN(len(propWords))])
	}
	return b.String()
}

func randDoc(r *rand.Rand, id string) Doc {
	d := Doc{ID: id, Kind: propKinds[r.IntN(len(propKinds))], Title: randText(r, 1+r.IntN(3)), Trashed: r.IntN(8) == 0}
	for range r.IntN(4) {
		d.Text = append(d.Text, randText(r, 1+r.IntN(3)))
	}
	for range r.IntN(5) {
		d.Facets = append(d.Facets, propFacets[r.IntN(len(propFacets))])
	}
	return d
}

func randQuery(r *rand.Rand) Query {
	var q Query
	if r.IntN(4) > 0 {
		words := make([]string, r.IntN(3))
		for i := range words {
			w := propWords[r.IntN(len(propWords))]
			rs := []rune(w)
			words[i] = string(rs[:1+r.IntN(len(rs))]) // a prefix, in any script
		}
		q.Text = strings.Join(words, " ")
	}
	if r.IntN(4) == 0 {
		q.Kind = propKinds[r.IntN(len(propKinds))]
	}
	for range r.IntN(3) {
		q.Filters = append(q.Filters, propFacets[r.IntN(len(propFacets))])
	}
	q.Trash = TrashMode(r.IntN(3))
	if r.IntN(2) == 0 {
		q.Limit = 1 + r.IntN(20)
		q.Offset = r.IntN(30)
	}
	return q
}

func checkAgainst(t *testing.T, ix *Index, ref *refIndex, q Query, what string) {
	t.Helper()
	got, want := ix.Search(q), ref.search(q)
	if got.Total != want.Total || !reflect.DeepEqual(normHits(got.Hits), normHits(want.Hits)) {
		t.Fatalf("%s: %+v\n got %d %v\nwant %d %v", what, q, got.Total, got.Hits, want.Total, want.Hits)
	}
	if n := ix.Count(q); n != want.Total {
		t.Fatalf("%s: Count %+v = %d, want %d", what, q, n, want.Total)
	}
}

func normHits(h []Hit) []Hit {
	if len(h) == 0 {
		return nil
	}
	return h
}

// TestAgainstReference drives the index and the naive reference through
// the same random puts, replacements, removals and bulk loads, and checks
// that random queries agree after each step.
func TestAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ix, ref := NewIndex(), newRef()
	bulk := make([]Doc, 3000)
	for i := range bulk {
		bulk[i] = randDoc(r, fmt.Sprintf("d%05d", i))
		ref.put(bulk[i])
	}
	bulk = append(bulk, randDoc(r, "d00007")) // a repeat in one batch: the later wins
	ref.put(bulk[len(bulk)-1])
	ix.PutAll(bulk)
	if ix.Len() != len(ref.docs) {
		t.Fatalf("Len %d, want %d", ix.Len(), len(ref.docs))
	}
	next := 3000
	steps := 1200
	if testing.Short() {
		steps = 300
	}
	for step := range steps {
		switch op := r.IntN(10); {
		case op < 3: // a new doc
			d := randDoc(r, fmt.Sprintf("d%05d", next))
			next++
			ix.Put(d)
			ref.put(d)
		case op < 6: // replace one
			d := randDoc(r, fmt.Sprintf("d%05d", r.IntN(next)))
			ix.Put(d)
			ref.put(d)
		case op < 8: // remove one, maybe unknown
			id := fmt.Sprintf("d%05d", r.IntN(next+10))
			ix.Remove(id)
			ref.remove(id)
		case op == 8 && step%20 == 0: // a bulk load over a full index
			batch := make([]Doc, r.IntN(1100))
			for i := range batch {
				batch[i] = randDoc(r, fmt.Sprintf("d%05d", r.IntN(next+200)))
			}
			ix.PutAll(batch)
			for _, d := range batch {
				ref.put(d)
			}
			next += 200
		}
		if ix.Len() != len(ref.docs) {
			t.Fatalf("step %d: Len %d, want %d", step, ix.Len(), len(ref.docs))
		}
		for range 3 {
			checkAgainst(t, ix, ref, randQuery(r), fmt.Sprintf("step %d", step))
		}
		if step%100 == 0 {
			q := randQuery(r)
			for _, name := range []string{"country", "city", "kind", "tag", "gender"} {
				got, want := ix.FacetCounts(q, name), ref.facetCounts(q, name)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d: FacetCounts(%+v, %s)\n got %v\nwant %v", step, q, name, got, want)
				}
			}
		}
	}
	for id := range ref.docs {
		k, ok := ix.Kind(id)
		if !ok || k != ref.docs[id].d.Kind {
			t.Fatalf("Kind(%s) = %q %v", id, k, ok)
		}
	}
}

// TestBulkEqualsPut checks that the bulk path folds docs into the same terms
// as Put, on realistic records.
func TestBulkEqualsPut(t *testing.T) {
	docs := genDocs(7, 5000)
	a, b := NewIndex(), NewIndex()
	a.PutAll(docs)
	for _, d := range docs {
		b.Put(d)
	}
	if !reflect.DeepEqual(a.dump(), b.dump()) {
		t.Fatal("PutAll and Put index differently")
	}
	ref := newRef()
	for _, d := range docs {
		ref.put(d)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		d := docs[r.IntN(len(docs))]
		words := strings.Fields(d.Title)
		q := Query{Text: words[r.IntN(len(words))], Limit: 50}
		if r.IntN(2) == 0 {
			q.Text = string([]rune(q.Text)[:1+r.IntN(3)])
		}
		if r.IntN(3) == 0 {
			q.Filters = []Facet{d.Facets[r.IntN(len(d.Facets))]}
		}
		checkAgainst(t, a, ref, q, "bulk")
	}
}

// dump is the index's content by ID: its terms, in order.
func (ix *Index) dump() map[string][]string {
	out := map[string][]string{}
	for _, n := range ix.order {
		d := ix.docs[n]
		var ts []string
		for _, t := range d.terms {
			ts = append(ts, ix.terms[t])
		}
		slices.Sort(ts)
		out[d.id+" "+d.key+" "+d.title+" "+string(d.kind)] = ts
	}
	return out
}

// TestConcurrent runs searches while writing; run with -race.
func TestConcurrent(t *testing.T) {
	ix := NewIndex()
	ix.PutAll(genDocs(1, 2000))
	var wg sync.WaitGroup
	stop := time.Now().Add(300 * time.Millisecond)
	for w := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for time.Now().Before(stop) {
				ix.Search(Query{Text: string([]rune(pick(r, srGiven))[:2]), Limit: 20})
				ix.FacetCounts(Query{Kind: data.KindPerson}, FacetCountry)
			}
		})
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; time.Now().Before(stop); i++ {
		p := genPerson(r, r.IntN(3000))
		if i%3 == 0 {
			ix.Remove(p.ID)
		} else {
			ix.Put(DocOf(p))
		}
	}
	wg.Wait()
}
