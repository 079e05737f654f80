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
	// Loaded as a file mapping is (with a shed), so that the first change
	// lends the lists rather than copying them.
	if err := ix.LoadMappedInPlace(dump, func() { released++ }, func() {}); err != nil {
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

	// The first change thaws: the index reads its postings and docs'
	// terms from the dump until ReleaseDump copies them and lets the dump
	// go, once; after that nothing the index kept or handed out points into
	// it any more.
	d := docs[2500]
	d.ID = docs[10].ID
	ix.Put(d)
	orig.Put(d)
	if released != 0 || ix.fz != nil || ix.lent == nil {
		t.Fatalf("after a Put: released %d times, still in place %v, lent %v", released, ix.fz != nil, ix.lent != nil)
	}
	sameAnswers(t, rng, orig, ix)
	ix.ReleaseDump()
	if released != 1 || ix.lent != nil {
		t.Fatalf("after ReleaseDump: released %d times, still lent %v", released, ix.lent != nil)
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

// Every way out of the in-place form lets the dump go exactly once: at
// once ReleaseDump, UnmarshalBinary, a second LoadInPlace and Reset; a
// change (Remove, PutAll) or Docs keeps a mapped dump lent until
// ReleaseDump or Reset, and lets a dump in the heap go at once.
func TestLoadInPlaceReleases(t *testing.T) {
	docs := genDocs(37, 300)
	orig := NewIndex()
	orig.PutAll(docs)
	b, _ := orig.MarshalBinary()
	ops := map[string]struct {
		op   func(ix *Index)
		lent bool
	}{
		"Remove":           {func(ix *Index) { ix.Remove(docs[0].ID) }, true},
		"PutAll":           {func(ix *Index) { ix.PutAll(genDocs(41, 200)) }, true},
		"Docs":             {func(ix *Index) { ix.Docs() }, true},
		"PrepareForWrites": {func(ix *Index) { ix.PrepareForWrites() }, true},
		"ReleaseDump":      {func(ix *Index) { ix.ReleaseDump() }, false},
		"UnmarshalBinary":  {func(ix *Index) { ix.UnmarshalBinary(b) }, false},
		"LoadInPlace":      {func(ix *Index) { ix.LoadInPlace(b, nil) }, false},
		"Reset":            {func(ix *Index) { ix.Reset() }, false},
	}
	for name, c := range ops {
		for _, end := range []string{"ReleaseDump", "Reset"} {
			for _, mapped := range []bool{true, false} {
				released := 0
				ix := NewIndex()
				var shed func()
				if mapped {
					shed = func() {}
				}
				if err := ix.LoadMappedInPlace(append([]byte(nil), b...), func() { released++ }, shed); err != nil {
					t.Fatal(err)
				}
				c.op(ix)
				// A dump in the heap (no shed) is never lent: copied whole at once.
				if want := map[bool]int{true: 0, false: 1}[c.lent && mapped]; released != want {
					t.Errorf("%s (mapped %v): released %d times, want %d", name, mapped, released, want)
				}
				if end == "ReleaseDump" {
					ix.ReleaseDump()
				} else {
					ix.Reset()
				}
				if released != 1 {
					t.Errorf("%s, then %s: released %d times", name, end, released)
				}
			}
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

// Damage in a dump's core is refused by LoadInPlace: the index stays as it
// was and the dump is not released. Damage in the docs' strings loads (a
// count never reads them), and the first read of a doc's strings finds it:
// the dump is let go and the index rebuilt from SetRebuild's docs, so that
// no answer ever comes from damaged bytes.
func TestLoadInPlaceDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	docs := genDocs(47, 2500)
	orig, b := dumpTestIndex(t, rng, docs)
	origDocs := orig.Docs()
	core, _ := testDumpParts(t, b)
	inCore := func(at int) bool {
		for _, sp := range core {
			if uint64(at) >= sp.from && uint64(at) < sp.to {
				return true
			}
		}
		return at < dumpHeader
	}
	counts := []Query{{}, {Text: "a"}, {Text: "mar", Trash: TrashInclude}, {Trash: TrashOnly}}
	refused, rebuilt := 0, 0
	for i := 0; i < 400; i++ {
		c := append([]byte(nil), b...)
		at := rng.IntN(len(c))
		c[at] ^= byte(1 + rng.IntN(255))
		released := 0
		ix := NewIndex()
		ix.Put(docs[0])
		if err := ix.LoadInPlace(c, func() { released++ }); err != nil {
			if released != 0 || ix.Len() != 1 || ix.Search(Query{}).Hits[0].ID != docs[0].ID {
				t.Fatalf("a refused dump was released (%d) or changed the index", released)
			}
			refused++
			continue
		}
		if inCore(at) {
			t.Fatalf("damage at %d, in the core, loaded", at)
		}
		for _, q := range counts {
			if got, want := ix.Count(q), orig.Count(q); got != want {
				t.Fatalf("count %+v from the intact core: %d, want %d", q, got, want)
			}
			if !reflect.DeepEqual(ix.FacetCounts(q, "country"), orig.FacetCounts(q, "country")) {
				t.Fatalf("facet counts %+v from the intact core differ", q)
			}
		}
		if released != 0 || !ix.InPlace() {
			t.Fatal("counting read the docs' strings")
		}
		ix.SetRebuild(func() ([]Doc, error) { return origDocs, nil })
		ix.Search(Query{Limit: 1})
		if released != 1 || ix.InPlace() {
			t.Fatalf("damaged docs found by a search: released %d, still in place %v", released, ix.InPlace())
		}
		if rebuilt%25 == 0 {
			sameAnswers(t, rng, orig, ix)
		}
		rebuilt++
	}
	if refused == 0 || rebuilt == 0 {
		t.Fatalf("refused %d, rebuilt %d: both kinds of damage should occur", refused, rebuilt)
	}
}

// Without a way to rebuild, an index whose docs' strings are damaged
// answers nothing rather than from the damage; Kind finds it as Search does.
func TestDamagedDocsWithoutRebuildAnswerNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	orig, b := dumpTestIndex(t, rng, genDocs(53, 2500))
	c := append([]byte(nil), b...)
	c[len(c)-1] ^= 1 // the last doc's kind
	ix := NewIndex()
	if err := ix.LoadInPlace(c, nil); err != nil {
		t.Fatal(err)
	}
	if ix.Count(Query{}) != orig.Count(Query{}) {
		t.Fatal("the core answers counts")
	}
	hit := orig.Search(Query{Limit: 1}).Hits[0]
	if k, ok := ix.Kind(hit.ID); ok || k != "" {
		t.Fatalf("Kind from damaged docs: %q", k)
	}
	if r := ix.Search(Query{}); r.Total != 0 || len(r.Hits) != 0 || ix.Len() != 0 {
		t.Fatalf("damaged docs answered: %d", r.Total)
	}
}

// The core and the doc part split everything after the header between
// them, each byte once, so that every byte is under one checksum.
func TestDumpPartsCoverTheDump(t *testing.T) {
	for _, n := range []int{0, 1, 7, 2500} {
		ix := NewIndex()
		ix.PutAll(genDocs(uint64(59+n), n))
		b, err := ix.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		core, docs := testDumpParts(t, b)
		owner := make([]int, len(b))
		for p, part := range [][]span{core, docs} {
			for _, sp := range part {
				if sp.from > sp.to || sp.to > uint64(len(b)) {
					t.Fatalf("%d docs: span %v outside the dump of %d bytes", n, sp, len(b))
				}
				for i := sp.from; i < sp.to; i++ {
					owner[i] += p + 1
				}
			}
		}
		for i, o := range owner {
			if want := map[bool]int{true: 0, false: 1}[i < dumpHeader]; (o == 0) != (want == 0) || o > 2 {
				t.Fatalf("%d docs: byte %d of %d is in parts %d", n, i, len(b), o)
			}
		}
	}
}

// testDumpParts reads a dump's parts from its header.
func testDumpParts(t *testing.T, b []byte) (core, docs []span) {
	t.Helper()
	v, err := parseDump(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	core, docs = dumpParts(uint64(len(b)), uint64(v.nTerms), uint64(v.nDocs), uint64(len(v.blob)), uint64(v.strOff[v.nTerms]))
	return core, docs
}
