package search

import (
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
	sheds, released := 0, false
	ix := NewIndex()
	err = ix.LoadMappedInPlace(mapped, func() { released = true; syscall.Munmap(mapped) },
		func() { sheds++; syscall.Madvise(mapped, syscall.MADV_DONTNEED) })
	if err != nil {
		t.Fatal(err)
	}
	ix.ReleaseDump()
	if sheds != 4 || !released {
		t.Fatalf("shed %d times (want one before and one per copied part: 4), released %v", sheds, released)
	}
	sameAnswers(t, rng, orig, ix)
}
