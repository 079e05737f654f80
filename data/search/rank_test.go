package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/fold"
)

// visibleFacets leaves out the hidden ranking facets (rankFacet).
func visibleFacets(fs []Facet) []Facet {
	return slices.DeleteFunc(slices.Clone(fs), func(f Facet) bool { return f.Name == rankFacet })
}

// djordjeRecords are the issue's case: a man whose father is Đorđe sorts
// first by title, before the Đorđes themselves.
func djordjeRecords() []data.Record {
	mk := func(id, given, family, parent, municipality string) *data.Person {
		p := &data.Person{GivenName: given, FamilyName: family, ParentName: parent, Country: "DE", HomeMunicipality: municipality}
		p.ID, p.Kind = id, data.KindPerson
		return p
	}
	return []data.Record{
		mk("p1", "Aleksandar", "Milenković", "Đorđe", "Cazin"),
		mk("p2", "Đorđe", "Petrović", "Milan", "Cazin"),
		mk("p3", "Ђорђе", "Јовановић", "Марко", "Bihać"),
		mk("p4", "Ana", "Đorđević", "Nikola", "Cazin"),
		mk("p5", "Amra", "Begić", "Mehmed", "Ђорђево"),
		mk("p6", "Djordje", "Zec", "", ""),
		mk("p7", "Zoran", "Ilić", "Ђорђе Лазар", ""),
	}
}

// rankedIndexes is the same docs in the index's three forms: one Put at a
// time, PutAll, and answering in place from its dump.
func rankedIndexes(t *testing.T, recs []data.Record) map[string]*Index {
	t.Helper()
	var docs []Doc
	put := NewIndex()
	for _, r := range recs {
		d := DocOf(r)
		docs = append(docs, d)
		put.Put(d)
	}
	bulk := NewIndex()
	bulk.PutAll(docs)
	dump, err := bulk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	inPlace := NewIndex()
	if err := inPlace.LoadInPlace(dump, nil); err != nil {
		t.Fatal(err)
	}
	// What the store saves and loads at close and open: Docs → PutAll.
	again := NewIndex()
	again.PutAll(bulk.Docs())
	return map[string]*Index{"put": put, "putall": bulk, "in-place": inPlace, "from-docs": again}
}

func hitIDs(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}

func TestRankedDjordjeBeforeHisSon(t *testing.T) {
	recs := djordjeRecords()
	for name, ix := range rankedIndexes(t, recs) {
		for _, text := range []string{"djordje", "Ђорђе", "đorđe", "DORDE"} {
			q := Query{Text: text, Order: ByRelevance}
			res := ix.Search(q)
			// The Đorđes (whole word, title order: "djordje zec" folds to
			// "dorde zec"), then Ana Đorđević (start of a name), then the
			// sons (father's name), then the one from Ђорђево.
			want := []string{"p3", "p2", "p6", "p4", "p1", "p7", "p5"}
			if got := hitIDs(res.Hits); !slices.Equal(got, want) || res.Total != len(want) {
				t.Fatalf("%s %q: %v (total %d), want %v", name, text, got, res.Total, want)
			}
			ranks := []int{RankName, RankName, RankName, RankNamePrefix, RankOtherName, RankOtherName, RankOther}
			for i, h := range res.Hits {
				if h.Rank != ranks[i] {
					t.Errorf("%s %q: %s ranked %d, want %d", name, text, h.ID, h.Rank, ranks[i])
				}
			}
			if m := res.Hits[4].Matched; m != (Match{"parent_name", "Đorđe"}) {
				t.Errorf("%s %q: Aleksandar matched %+v, want his father Đorđe", name, text, m)
			}
			if m := res.Hits[5].Matched; m != (Match{"parent_name", "Ђорђе Лазар"}) {
				t.Errorf("%s %q: Zoran matched %+v", name, text, m)
			}
			for _, i := range []int{0, 1, 2, 3, 6} {
				if m := res.Hits[i].Matched; m != (Match{}) {
					t.Errorf("%s %q: %s matched %+v, want nothing (the name, or not known to the index)", name, text, res.Hits[i].ID, m)
				}
			}
			// Pages are slices of the same order.
			for off := range want {
				q.Offset, q.Limit = off, 2
				page := ix.Search(q)
				if got := hitIDs(page.Hits); !slices.Equal(got, want[off:min(off+2, len(want))]) || page.Total != len(want) {
					t.Errorf("%s %q page at %d: %v", name, text, off, got)
				}
			}
		}
		// By title (the default) nothing changes: Aleksandar first.
		if got := hitIDs(ix.Search(Query{Text: "djordje"}).Hits); got[0] != "p1" {
			t.Errorf("%s by title: %v", name, got)
		}
		// Without text the relevance order is the title order.
		if got, want := hitIDs(ix.Search(Query{Order: ByRelevance}).Hits), hitIDs(ix.Search(Query{}).Hits); !slices.Equal(got, want) {
			t.Errorf("%s no text: %v, want %v", name, got, want)
		}
	}
}

func TestExplainFindsTheField(t *testing.T) {
	recs := djordjeRecords()
	byID := map[string]data.Record{}
	for _, r := range recs {
		byID[r.Base().ID] = r
	}
	ix := NewIndex()
	for _, r := range recs {
		ix.Put(DocOf(r))
	}
	want := map[string]Match{
		"p1": {"parent_name", "Đorđe"}, "p2": {}, "p3": {}, "p4": {}, "p5": {"home_municipality", "Ђорђево"},
		"p6": {}, "p7": {"parent_name", "Ђорђе Лазар"},
	}
	for _, h := range ix.Search(Query{Text: "Djordje", Order: ByRelevance}).Hits {
		if got := Explain(h, byID[h.ID], "Djordje"); got != want[h.ID] {
			t.Errorf("%s: %+v, want %+v", h.ID, got, want[h.ID])
		}
	}
	p := &data.Person{GivenName: "Amir", FamilyName: "Hodžić", City: "Beč", Phone: "+43 660 1234567",
		Profession: "Inženjer", Tags: []string{"IT"}}
	for text, want := range map[string]Match{
		"amir":              {},
		"hodz":              {},
		"amir bec":          {"city", "Beč"},
		"Беч country:AT":    {"city", "Beč"},
		"43660":             {"phone", "+43 660 1234567"},
		"inz":               {"profession", "Inženjer"},
		"it hodzic":         {"tags", "IT"},
		"":                  {},
		"nothing-like-this": {},
	} {
		if got := MatchOf(p, text); got != want {
			t.Errorf("MatchOf(%q) = %+v, want %+v", text, got, want)
		}
	}
	o := &data.Organisation{Name: "Udruženje Bosanaca", ContactPerson: "Amra Hodžić", City: "Malmö"}
	if got := MatchOf(o, "hodzic"); got != (Match{"contact_person", "Amra Hodžić"}) {
		t.Errorf("organisation: %+v", got)
	}
}

// refRank is the rank of a person for the folded query words, from the
// record itself.
func refRank(p *data.Person, words []string) int {
	title := fold.Words(p.Title())
	parent := fold.Words(p.ParentName)
	sum := 0
	for _, w := range words {
		switch {
		case slices.Contains(title, w):
			sum += RankName
		case anyPrefix(title, w):
			sum += RankNamePrefix
		case anyPrefix(parent, w):
			sum += RankOtherName
		default:
			sum += RankOther
		}
	}
	return sum
}

// TestRankedMatchesReference checks the whole order against ranks computed
// from the records, over generated persons, in every form of the index.
func TestRankedMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 0x5eed))
	var recs []data.Record
	people := map[string]*data.Person{}
	for i := range 3000 {
		p := genPerson(r, i)
		recs = append(recs, p)
		people[p.ID] = p
	}
	for name, ix := range rankedIndexes(t, recs) {
		for _, text := range []string{"djordje", "Ђорђе", "marko", "mark", "petr", "ana", "ana jov", "dorde pet", "a", "m", "bec", "inz", "emir gmail"} {
			q := ParseQuery(text)
			q.Order = ByRelevance
			got := ix.Search(q)
			byTitle := ix.Search(ParseQuery(text))
			if got.Total != byTitle.Total || len(got.Hits) != len(byTitle.Hits) {
				t.Fatalf("%s %q: %d hits ranked, %d by title", name, text, got.Total, byTitle.Total)
			}
			words := queryWords(q.Text)
			want := slices.Clone(byTitle.Hits) // title order; a stable sort by rank keeps it
			slices.SortStableFunc(want, func(a, b Hit) int {
				return cmp.Compare(refRank(people[a.ID], words), refRank(people[b.ID], words))
			})
			for i := range want {
				if got.Hits[i].ID != want[i].ID || got.Hits[i].Rank != refRank(people[want[i].ID], words) {
					t.Fatalf("%s %q at %d: %s rank %d, want %s rank %d", name, text, i,
						got.Hits[i].Title, got.Hits[i].Rank, want[i].Title, refRank(people[want[i].ID], words))
				}
				h := got.Hits[i]
				p := people[h.ID]
				if m := MatchOf(p, text); h.Matched.Field != "" && h.Matched != m {
					t.Fatalf("%s %q: %s matched %+v, MatchOf says %+v", name, text, h.Title, h.Matched, m)
				}
				if h.Matched.Field == "parent_name" && h.Matched.Value != p.ParentName {
					t.Fatalf("%s %q: %s matched %+v", name, text, h.Title, h.Matched)
				}
			}
			// A page of 50 is the start of the whole order.
			q.Limit = 50
			if page := ix.Search(q); !slices.Equal(hitIDs(page.Hits), hitIDs(got.Hits[:min(50, len(got.Hits))])) {
				t.Fatalf("%s %q: the first page differs from the whole order", name, text)
			}
		}
	}
}

// TestRankedAfterChanges: a saved record moves in and out of the other-name
// rank as its parent's name changes, and a removed one leaves no trace.
func TestRankedAfterChanges(t *testing.T) {
	ix := NewIndex()
	for _, r := range djordjeRecords() {
		ix.Put(DocOf(r))
	}
	p := djordjeRecords()[0].(*data.Person)
	p.ParentName = "Milan"
	p.City = "Đorđevac"
	ix.Put(DocOf(p))
	res := ix.Search(Query{Text: "djordje", Order: ByRelevance})
	last := res.Hits[len(res.Hits)-1]
	if last.Rank != RankOther || (last.ID != "p1" && last.ID != "p5") || res.Hits[4].ID != "p7" {
		t.Fatalf("after the father changed: %v", hitIDs(res.Hits))
	}
	for _, h := range res.Hits {
		if h.ID == "p1" && (h.Matched != Match{}) {
			t.Errorf("p1 still matched %+v", h.Matched)
		}
	}
	ix.Remove("p7")
	for _, term := range ix.Docs() {
		for _, f := range term.Facets {
			if strings.Contains(f.Value, "Лазар") {
				t.Errorf("a removed person's parent stays: %+v", f)
			}
		}
	}
	if n := ix.Search(Query{Text: "lazar", Order: ByRelevance}).Total; n != 0 {
		t.Errorf("lazar: %d", n)
	}
}

func TestRankedTrashAndFilters(t *testing.T) {
	recs := djordjeRecords()
	now := time.Now()
	recs[1].Base().TrashedAt = &now // Đorđe Petrović in the trash
	for name, ix := range rankedIndexes(t, recs) {
		got := hitIDs(ix.Search(Query{Text: "djordje", Order: ByRelevance}).Hits)
		if want := []string{"p3", "p6", "p4", "p1", "p7", "p5"}; !slices.Equal(got, want) {
			t.Errorf("%s without the trash: %v, want %v", name, got, want)
		}
		got = hitIDs(ix.Search(Query{Text: "djordje", Order: ByRelevance, Trash: TrashOnly}).Hits)
		if !slices.Equal(got, []string{"p2"}) {
			t.Errorf("%s trash only: %v", name, got)
		}
		q := ParseQuery("djordje municipality:cazin")
		q.Order = ByRelevance
		if got := hitIDs(ix.Search(q).Hits); !slices.Equal(got, []string{"p4", "p1"}) {
			t.Errorf("%s with a filter: %v", name, got)
		}
	}
}

func TestRankedManyWords(t *testing.T) {
	var name []string
	for i := range 20 {
		name = append(name, fmt.Sprintf("w%02d", i))
	}
	b := &data.Business{Name: strings.Join(name, " "), City: "Wien"}
	b.ID = "b1"
	ix := NewIndex()
	ix.Put(DocOf(b))
	res := ix.Search(Query{Text: strings.Join(name, " ") + " wien", Order: ByRelevance})
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Rank != RankName {
		t.Fatalf("21 words: %+v", res)
	}
	if m := MatchOf(b, strings.Join(name, " ")+" wien"); m != (Match{"city", "Wien"}) {
		t.Fatalf("MatchOf: %+v", m)
	}
}

func ExampleExplain() {
	son := &data.Person{GivenName: "Aleksandar", FamilyName: "Milenković", ParentName: "Đorđe"}
	djordje := &data.Person{GivenName: "Đorđe", FamilyName: "Petrović"}
	son.ID, djordje.ID = "a", "b"
	ix := NewIndex()
	ix.Put(DocOf(son))
	ix.Put(DocOf(djordje))
	recs := map[string]data.Record{"a": son, "b": djordje}
	for _, h := range ix.Search(Query{Text: "djordje", Order: ByRelevance}).Hits {
		m := Explain(h, recs[h.ID], "djordje")
		fmt.Printf("%s (%s %s)\n", h.Title, m.Field, m.Value)
	}
	// Output:
	// Đorđe Petrović ( )
	// Aleksandar Milenković (parent_name Đorđe)
}
