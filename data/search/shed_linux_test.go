package search

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// An index loaded from a file mapping that sheds the mapping's pages after
// each part the copy-out took answers the same afterwards: the pages come
// back from the file where the copy-out still reads them.
func TestMappedDumpShedsWhileCopyingOut(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	docs := genDocs(17, 3000)
	orig, b := dumpTestIndex(t, rng, docs)
	mapped := mapReadOnly(t, b)
	sheds, released := 0, false
	ix := NewIndex()
	err := ix.LoadMappedInPlace(mapped, func() { released = true; syscall.Munmap(mapped) },
		func() { sheds++; syscall.Madvise(mapped, syscall.MADV_DONTNEED) })
	if err != nil {
		t.Fatal(err)
	}
	ix.ReleaseDump()
	if sheds != 4 || !released {
		t.Fatalf("shed %d times (want one before, one per copied part and one after: 4), released %v", sheds, released)
	}
	sameAnswers(t, rng, orig, ix)
}

// mapReadOnly maps a dump from a file, read-only as the store maps it.
func mapReadOnly(t *testing.T, b []byte) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index.snapshot")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mapped, err := syscall.Mmap(int(f.Fd()), 0, len(b), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	return mapped
}

// After the first change the index keeps reading the postings and docs'
// terms from the read-only mapping: changes that take a doc out of a list
// copy that list first (written in place, it would fault), the lists no
// change touched stay in the mapping, the dump written then is the one the
// same changes make to the dump loaded into memory, and ReleaseDump copies the rest before the
// mapping goes, after which the answers are still the same.
func TestChangesBesideAReadOnlyMapping(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	docs := genDocs(19, 3000)
	orig, b := dumpTestIndex(t, rng, docs)
	mapped := mapReadOnly(t, b)
	unmapped := false
	inMemory := NewIndex()
	if err := inMemory.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	ix := NewIndex()
	if err := ix.LoadMappedInPlace(mapped, func() { unmapped = true; syscall.Munmap(mapped) },
		func() { syscall.Madvise(mapped, syscall.MADV_DONTNEED) }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		d := docs[2000+rng.IntN(1000)]
		d.ID = docs[rng.IntN(2000)].ID // a doc replaced: its old terms' lists lose it
		d.Trashed = rng.IntN(3) == 0
		gone := docs[rng.IntN(2000)].ID
		for _, x := range []*Index{ix, orig, inMemory} {
			x.Put(d)
			x.Remove(gone)
		}
	}
	if unmapped || ix.lent == nil {
		t.Fatalf("changes let the mapping go (unmapped %v, lent %v)", unmapped, ix.lent != nil)
	}
	stillLent := 0
	for _, l := range ix.post {
		if ix.lent.lends(l) {
			stillLent++
		}
	}
	if stillLent == 0 {
		t.Fatal("every posting list was copied out of the mapping")
	}
	sameAnswers(t, rng, orig, ix)
	want, _ := inMemory.MarshalBinary()
	got, err := ix.MarshalBinary()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the dump beside the mapping differs from the one in memory (err %v)", err)
	}
	ix.ReleaseDump()
	if !unmapped {
		t.Fatal("ReleaseDump kept the mapping")
	}
	sameAnswers(t, rng, orig, ix) // a list still read from the mapping would fault here
}

// The check of a mapped dump at its load sheds the pages it read as it
// goes (here after every megabyte), and the index answers the same.
func TestMappedDumpShedsWhileChecked(t *testing.T) {
	defer func(old int) { shedEvery = old }(shedEvery)
	shedEvery = 1
	rng := rand.New(rand.NewPCG(3, 4))
	orig, b := dumpTestIndex(t, rng, genDocs(29, 3000))
	mapped := mapReadOnly(t, b)
	defer syscall.Munmap(mapped)
	sheds := 0
	ix := NewIndex()
	if err := ix.LoadMappedInPlace(mapped, nil, func() { sheds++; syscall.Madvise(mapped, syscall.MADV_DONTNEED) }); err != nil {
		t.Fatal(err)
	}
	if sheds == 0 || !ix.InPlace() {
		t.Fatalf("the check shed %d times (in place %v)", sheds, ix.InPlace())
	}
	sameAnswers(t, rng, orig, ix)
}
