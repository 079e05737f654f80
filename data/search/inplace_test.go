package search

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// An index answering from a dump in place answers as the original does;
// the first change copies it out and lets the dump go, after which the
// dump's bytes can be anything (the store unmaps the file).
func TestLoadInPlaceAnswersTheSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	docs := genDocs(31, 3000)
	orig, b := dumpTestIndex(t, rng, docs)
	dump := append([]byte(nil), b...)
	released := 0
	ix := NewIndex()
	ix.Put(docs[2999]) // replaced by the load
	if err := ix.LoadInPlace(dump, func() { released++ }); err != nil {
		t.Fatal(err)
	}
	if ix.fz == nil {
		t.Fatal("the index copied the dump at load")
	}
	sameAnswers(t, rng, orig, ix)
	for _, d := range docs[:2000] {
		k1, ok1 := orig.Kind(d.ID)
		k2, ok2 := ix.Kind(d.ID)
		if k1 != k2 || ok1 != ok2 {
			t.Fatalf("Kind(%s): %q %v, want %q %v", d.ID, k2, ok2, k1, ok1)
		}
	}
	if again, _ := ix.MarshalBinary(); !reflect.DeepEqual(again, b) {
		t.Error("an index loaded in place dumps differently")
	}
	before := ix.Search(Query{Limit: 50})
	facets := ix.FacetCounts(Query{}, "country")
	if released != 0 || ix.fz == nil {
		t.Fatalf("queries thawed the index (released %d)", released)
	}

	// The first change thaws: the dump is let go once, and nothing the
	// index kept or handed out points into it any more.
	d := docs[2500]
	d.ID = docs[10].ID
	ix.Put(d)
	orig.Put(d)
	if released != 1 || ix.fz != nil {
		t.Fatalf("after a Put: released %d times, still in place %v", released, ix.fz != nil)
	}
	for i := range dump {
		dump[i] = 0xA5
	}
	sameAnswers(t, rng, orig, ix)
	for i, h := range before.Hits {
		if h.ID == "" || h.ID[0] == 0xA5 || h.Title[0] == 0xA5 || string(h.Kind) != "person" && string(h.Kind) != "business" && string(h.Kind) != "organisation" && string(h.Kind) != "locality" {
			t.Fatalf("hit %d handed out before the thaw points into the dump: %+v", i, h)
		}
	}
	for k := range facets {
		if k == "" || k[0] == 0xA5 {
			t.Fatalf("facet value %q points into the dump", k)
		}
	}
	ix.ReleaseDump() // nothing to do now
	if released != 1 {
		t.Fatal("release called twice")
	}
}

// Every way out of the in-place form lets the dump go exactly once: Remove,
// PutAll, Docs, ReleaseDump, UnmarshalBinary and a second LoadInPlace.
func TestLoadInPlaceReleases(t *testing.T) {
	docs := genDocs(37, 300)
	orig := NewIndex()
	orig.PutAll(docs)
	b, _ := orig.MarshalBinary()
	ops := map[string]func(ix *Index){
		"Remove":          func(ix *Index) { ix.Remove(docs[0].ID) },
		"PutAll":          func(ix *Index) { ix.PutAll(genDocs(41, 200)) },
		"Docs":            func(ix *Index) { ix.Docs() },
		"ReleaseDump":     func(ix *Index) { ix.ReleaseDump() },
		"UnmarshalBinary": func(ix *Index) { ix.UnmarshalBinary(b) },
		"LoadInPlace":     func(ix *Index) { ix.LoadInPlace(b, nil) },
	}
	for name, op := range ops {
		released := 0
		ix := NewIndex()
		if err := ix.LoadInPlace(append([]byte(nil), b...), func() { released++ }); err != nil {
			t.Fatal(err)
		}
		op(ix)
		if released != 1 {
			t.Errorf("%s: released %d times", name, released)
		}
	}
}

// A dump at an odd address (or on a big-endian machine) is read through a
// copy of its numbers, with the same answers.
func TestLoadInPlaceMisaligned(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	orig, b := dumpTestIndex(t, rng, genDocs(43, 3000))
	buf := make([]byte, len(b)+1)
	copy(buf[1:], b)
	ix := NewIndex()
	if err := ix.LoadInPlace(buf[1:], nil); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, rng, orig, ix)
}

// Damage is refused by LoadInPlace as by UnmarshalBinary: the index stays
// as it was and the dump is not released.
func TestLoadInPlaceDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	docs := genDocs(47, 2500)
	_, b := dumpTestIndex(t, rng, docs)
	ix := NewIndex()
	ix.Put(docs[0])
	for i := 0; i < 500; i++ {
		c := append([]byte(nil), b...)
		c[rng.IntN(len(c))] ^= byte(1 + rng.IntN(255))
		if ix.LoadInPlace(c, func() { t.Fatal("a refused dump was released") }) == nil {
			t.Fatal("a damaged dump loaded in place")
		}
	}
	if ix.Len() != 1 || ix.Search(Query{}).Hits[0].ID != docs[0].ID {
		t.Fatal("a refused dump changed the index")
	}
}
