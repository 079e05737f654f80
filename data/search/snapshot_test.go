package search

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// An index rebuilt from Docs answers every query as the original does.
func TestDocsRebuildTheSameIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	orig := NewIndex()
	docs := genDocs(11, 2500)
	orig.PutAll(docs[:2000])
	for i := 0; i < 300; i++ { // edits, trash and removals after the bulk load
		d := docs[2000+rng.IntN(500)]
		d.ID = docs[rng.IntN(2000)].ID
		d.Trashed = rng.IntN(4) == 0
		orig.Put(d)
		orig.Remove(docs[rng.IntN(2000)].ID)
	}
	copyIx := NewIndex()
	copyIx.PutAll(orig.Docs())
	if copyIx.Len() != orig.Len() {
		t.Fatalf("len %d, want %d", copyIx.Len(), orig.Len())
	}
	queries := []Query{{}, {Trash: TrashOnly}, {Trash: TrashInclude}}
	for i := 0; i < 300; i++ {
		q := randQuery(rng)
		q.Limit = 20
		queries = append(queries, q)
	}
	for _, q := range queries {
		a, b := orig.Search(q), copyIx.Search(q)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("query %+v:\noriginal %+v\nrebuilt  %+v", q, a, b)
		}
		for _, f := range []string{"country", "gender", "interest"} {
			if !reflect.DeepEqual(orig.FacetCounts(q, f), copyIx.FacetCounts(q, f)) {
				t.Fatalf("facet %s differs for %+v", f, q)
			}
		}
	}
}
