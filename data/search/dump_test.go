package search

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// dumpTestIndex is a bulk-loaded index with edits, trash and removals after
// the load, so that it has free doc numbers and postings out of the backing,
// and its dump.
func dumpTestIndex(t *testing.T, rng *rand.Rand, docs []Doc) (*Index, []byte) {
	t.Helper()
	ix := NewIndex()
	ix.PutAll(docs[:2000])
	for i := 0; i < 300; i++ {
		d := docs[2000+rng.IntN(500)]
		d.ID = docs[rng.IntN(2000)].ID
		d.Trashed = rng.IntN(4) == 0
		ix.Put(d)
		ix.Remove(docs[rng.IntN(2000)].ID)
	}
	b, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return ix, b
}

func sameAnswers(t *testing.T, rng *rand.Rand, a, b *Index) {
	t.Helper()
	if a.Len() != b.Len() {
		t.Fatalf("len %d, want %d", b.Len(), a.Len())
	}
	queries := []Query{{}, {Trash: TrashOnly}, {Trash: TrashInclude}, {Limit: 5000}}
	for i := 0; i < 300; i++ {
		q := randQuery(rng)
		q.Limit = 20
		if i%10 == 0 {
			q.Limit = 5000
		}
		queries = append(queries, q)
	}
	for _, q := range queries {
		ra, rb := a.Search(q), b.Search(q)
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("query %+v:\nwant %+v\ngot  %+v", q, ra, rb)
		}
		for _, f := range []string{"country", "gender", "interest", "kind", "city"} {
			if !reflect.DeepEqual(a.FacetCounts(q, f), b.FacetCounts(q, f)) {
				t.Fatalf("facet %s differs for %+v", f, q)
			}
		}
	}
}

// An index loaded from MarshalBinary answers every query as the original
// does, and stays so under the same Puts and Removes.
func TestDumpLoadsTheSameIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	docs := genDocs(17, 3000)
	orig, b := dumpTestIndex(t, rng, docs)
	loaded := NewIndex()
	loaded.Put(docs[2999]) // replaced by the load
	if err := loaded.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, rng, orig, loaded)
	if again, _ := loaded.MarshalBinary(); !reflect.DeepEqual(again, b) {
		t.Error("a loaded index dumps differently")
	}

	// Mutations after the load: the same on both.
	for i := 0; i < 400; i++ {
		d := docs[2000+rng.IntN(1000)]
		switch rng.IntN(4) {
		case 0: // replace
			d.ID = docs[rng.IntN(2000)].ID
		case 1: // new
			d.ID = d.ID + "-new"
		}
		d.Trashed = rng.IntN(4) == 0
		orig.Put(d)
		loaded.Put(d)
		id := docs[rng.IntN(3000)].ID
		orig.Remove(id)
		loaded.Remove(id)
	}
	sameAnswers(t, rng, orig, loaded)
	extra := genDocs(23, 500)
	orig.PutAll(extra)
	loaded.PutAll(extra)
	sameAnswers(t, rng, orig, loaded)

	// Empty in, empty out.
	empty, err := NewIndex().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := loaded.UnmarshalBinary(empty); err != nil || loaded.Len() != 0 {
		t.Fatalf("empty dump: %v, %d docs", err, loaded.Len())
	}
	loaded.Put(docs[0])
	if loaded.Search(Query{}).Total != 1 {
		t.Fatal("empty loaded index does not take a Put")
	}
}

// Damage is an error and leaves the index as it was.
func TestDumpDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	docs := genDocs(19, 2500)
	orig, b := dumpTestIndex(t, rng, docs)
	ix := NewIndex()
	ix.Put(docs[0])
	for _, bad := range [][]byte{nil, b[:len(b)-1], append(b[:len(b):len(b)], 0), append([]byte{DumpFormat + 1}, b[1:]...)} {
		if ix.UnmarshalBinary(bad) == nil {
			t.Fatalf("damaged dump of %d bytes loaded", len(bad))
		}
	}
	for i := 0; i < 2000; i++ {
		c := append([]byte(nil), b...)
		at := rng.IntN(len(c))
		c[at] ^= byte(1 + rng.IntN(255))
		if ix.UnmarshalBinary(c) == nil {
			t.Fatalf("a byte changed at %d of %d loaded: the checksum missed it", at, len(c))
		}
		// With the checksum made right, the structure checks still stand
		// between the damage and a panic (a flip in a title may well load).
		if withChecksum(c) {
			_ = ix.UnmarshalBinary(c)
		}
	}
	if err := ix.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, rng, orig, ix)
}

func FuzzUnmarshalIndex(f *testing.F) {
	small := NewIndex()
	small.PutAll(genDocs(29, 40))
	small.Remove(small.Search(Query{Limit: 1}).Hits[0].ID)
	b, _ := small.MarshalBinary()
	f.Add(b)
	e, _ := NewIndex().MarshalBinary()
	f.Add(e)
	f.Fuzz(func(t *testing.T, b []byte) {
		b = append([]byte(nil), b...)
		withChecksum(b) // fuzz the structure checks, not the checksum
		copied, inPlace := NewIndex(), NewIndex()
		errCopied, errInPlace := copied.UnmarshalBinary(b), inPlace.LoadInPlace(b, nil)
		if errInPlace != nil && errCopied == nil {
			// LoadInPlace leaves the doc part for later; it never refuses
			// what UnmarshalBinary takes.
			t.Fatalf("UnmarshalBinary took it, LoadInPlace: %v", errInPlace)
		}
		var loaded []*Index
		if errInPlace == nil {
			loaded = append(loaded, inPlace)
		}
		if errCopied == nil {
			loaded = append(loaded, copied)
		}
		// Whatever loads must be usable, in place and copied.
		for _, ix := range loaded {
			for _, q := range []Query{{}, {Text: "a"}, {Text: "m", Trash: TrashInclude}, {Limit: 3}} {
				ix.Search(q)
				ix.FacetCounts(q, "country")
			}
			ix.Kind("new")
			ix.Put(Doc{ID: "new", Kind: "person", Title: "Ana Anić"})
			if _, err := ix.MarshalBinary(); err != nil && !errors.Is(err, errDisagree) {
				t.Fatal(err)
			}
		}
	})
}

// withChecksum sets a dump's checksums to match its body, as if the damage
// had been written by MarshalBinary; false when b's counts do not describe
// its length, so that its parts cannot be told.
func withChecksum(b []byte) bool {
	if len(b) < dumpHeader {
		return false
	}
	var h [6]uint64
	for i := range h {
		h[i] = uint64(binary.LittleEndian.Uint32(b[4+4*i:]))
	}
	nDocs, nTerms, nPost, nOrder, nFree, blobLen := h[0], h[1], h[2], h[3], h[4], h[5]
	if uint64(len(b)) != dumpSize(nDocs, nTerms, nPost, nOrder, nFree, blobLen) {
		return false
	}
	termEnd := min(uint64(binary.LittleEndian.Uint32(b[dumpHeader+4*nTerms:])), blobLen)
	core, docs := dumpParts(uint64(len(b)), nTerms, nDocs, blobLen, termEnd)
	binary.LittleEndian.PutUint32(b[coreSumAt:], partSum(b, core))
	binary.LittleEndian.PutUint32(b[docSumAt:], partSum(b, docs))
	return true
}
