package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"registar/data/fold"
)

var (
	fuzzOnce sync.Once
	fuzzIx   *Index
	fuzzRef  *refIndex
)

// fuzzIndex is a small fixed index: random docs over the shared vocabulary,
// some trashed, some removed, some replaced, and realistic persons.
func fuzzIndex() (*Index, *refIndex) {
	fuzzOnce.Do(func() {
		r := rand.New(rand.NewPCG(11, 12))
		fuzzIx, fuzzRef = NewIndex(), newRef()
		var docs []Doc
		for i := range 400 {
			docs = append(docs, randDoc(r, fmt.Sprintf("f%03d", i)))
		}
		docs = append(docs, genDocs(13, 300)...)
		fuzzIx.PutAll(docs)
		for _, d := range docs {
			fuzzRef.put(d)
		}
		for i := range 60 {
			id := fmt.Sprintf("f%03d", r.IntN(400))
			if i%2 == 0 {
				fuzzIx.Remove(id)
				fuzzRef.remove(id)
			} else {
				d := randDoc(r, id)
				fuzzIx.Put(d)
				fuzzRef.put(d)
			}
		}
	})
	return fuzzIx, fuzzRef
}

// FuzzSearch: whatever a user types, parsing and searching never panic and
// agree with the naive reference.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"", "djordje", "Ђорђе petr", "marko petr", "petrovic country:DE interest:invest kind:person",
		"x:y", `city:"Beč" a`, "kind:org,b", "trash:only", "trash:all ana", "tag:it,IT gender:f", "d", "dj", "ǅ",
		"\xff", "a1 19", "locality:l1 locality:L1", "country:", ":", `"`, "consent:publish created:2026-03"} {
		f.Add(s, uint8(0), uint8(0))
		f.Add(s, uint8(3), uint8(10))
	}
	f.Fuzz(func(t *testing.T, s string, offset, limit uint8) {
		ix, ref := fuzzIndex()
		q := ParseQuery(s)
		q.Offset, q.Limit = int(offset%64), int(limit%64)
		checkAgainst(t, ix, ref, q, fmt.Sprintf("%q", s))
		for _, name := range []string{FacetCountry, FacetCity, FacetKind} {
			got, want := ix.FacetCounts(q, name), ref.facetCounts(q, name)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%q: FacetCounts %s\n got %v\nwant %v", s, name, got, want)
			}
		}
	})
}

// FuzzWordsByPiece guards what PutAll relies on: folding a text piece by
// piece between spaces gives the words of folding it whole.
func FuzzWordsByPiece(f *testing.F) {
	for _, s := range []string{"Đorđe Petrović", "d jordje", "Љ иља", "a \u0301b", "\xe2 \xff x", "ǅ enan",
		"Frankfurt am Main", "marko.petrovic85@gmail.com", "¼ ½", "a\u00a0b", "D J"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var byPiece []string
		for _, p := range strings.Split(s, " ") {
			byPiece = append(byPiece, fold.Words(p)...)
		}
		whole := fold.Words(s)
		if !slices.Equal(byPiece, whole) && !(len(byPiece) == 0 && len(whole) == 0) {
			t.Fatalf("%q: by piece %q, whole %q", s, byPiece, whole)
		}
		if plainWord(s) && !slices.Equal(whole, []string{s}) && s != "" {
			t.Fatalf("%q is plain but folds to %q", s, whole)
		}
	})
}
