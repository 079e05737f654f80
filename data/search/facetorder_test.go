package search

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// SearchByFacet orders the matches of a query as a plain reading of its
// contract does: the title order of Search, stably sorted by the rank of
// each doc's first value (values by key, then by value; none last). It
// does so for an index in memory after changes and for one answering
// from its dump in place, for single-valued facets (city) and for one a
// doc may have several of (interest, tag), with keys that order the
// values otherwise than themselves.
func TestSearchByFacetOrdersAsItSays(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	docs := genDocs(23, 3000)
	mem, dump := dumpTestIndex(t, rng, docs)
	inPlace := NewIndex()
	if err := inPlace.LoadInPlace(dump, nil); err != nil {
		t.Fatal(err)
	}
	byID := map[string]Doc{}
	for _, d := range docs[:2000] {
		byID[d.ID] = d
	}
	// dumpTestIndex replaced some docs under other IDs: read them back.
	for _, d := range mem.Docs() {
		byID[d.ID] = d
	}
	reverse := func(s string) string { r := []rune(s); slices.Reverse(r); return string(r) }
	for _, facet := range []string{"city", "country", "interest", "tag"} {
		for _, keyOf := range []func(string) string{nil, reverse} {
			key := func(v string) string {
				if keyOf == nil {
					return v
				}
				return keyOf(v)
			}
			// Every value of the facet, in the order asked.
			var values []string
			seen := map[string]bool{}
			for _, d := range byID {
				for _, f := range d.Facets {
					if v := FacetValue(f.Name, f.Value); FacetName(f.Name) == FacetName(facet) && v != "" && !seen[v] {
						seen[v] = true
						values = append(values, v)
					}
				}
			}
			slices.SortFunc(values, func(a, b string) int {
				return cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a, b))
			})
			rankOf := func(id string) int {
				best := len(values)
				for _, f := range byID[id].Facets {
					if FacetName(f.Name) == FacetName(facet) {
						if r := slices.Index(values, FacetValue(f.Name, f.Value)); r >= 0 && r < best {
							best = r
						}
					}
				}
				return best
			}
			for i := 0; i < 60; i++ {
				q := randQuery(rng)
				if i == 0 {
					q = Query{}
				}
				q.Limit, q.Offset = 0, 0
				want := mem.Search(q).Hits
				slices.SortStableFunc(want, func(a, b Hit) int { return cmp.Compare(rankOf(a.ID), rankOf(b.ID)) })
				for name, ix := range map[string]*Index{"in memory": mem, "in place": inPlace} {
					got, done := ix.SearchByFacet(q, facet, keyOf, nil)
					if !done || !reflect.DeepEqual(normHits(got), normHits(want)) {
						t.Fatalf("%s, by %s (keyed %v), %+v:\n got %d %v\nwant %d %v", name, facet, keyOf != nil, q, len(got), got, len(want), want)
					}
				}
			}
		}
	}
	if inPlace.fz == nil {
		t.Fatal("the sort copied the index out of its dump")
	}
}

// A stop that reports true gives up.
func TestSearchByFacetStops(t *testing.T) {
	ix := NewIndex()
	ix.PutAll(genDocs(3, 500))
	if hits, done := ix.SearchByFacet(Query{}, "city", nil, func() bool { return true }); done || hits != nil {
		t.Fatalf("stopped: %d hits, done %v", len(hits), done)
	}
	if hits, done := ix.SearchByFacet(Query{}, "city", nil, func() bool { return false }); !done || len(hits) != 500 {
		t.Fatalf("not stopped: %d hits, done %v", len(hits), done)
	}
}
