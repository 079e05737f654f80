package search

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// docsWithRepeats is n generated persons, some trashed, and a few later
// docs that take an earlier doc's ID (the later one wins).
func docsWithRepeats(n int) []Doc {
	docs := genDocs(11, n)
	for i := range docs {
		if i%13 == 5 {
			docs[i].Trashed = true
		}
	}
	for _, i := range []int{3, n / 2, n - 40} {
		d := docs[i]
		d.Title = "Zlatan Repeat" + fmt.Sprint(i)
		d.Text = []string{"only-in-the-repeat", "Ђорђе Петровић"}
		docs = append(docs, d)
	}
	// A word only a replaced doc has must not reach the dump.
	docs[3].Text = append(docs[3].Text, "vanishedword")
	return docs
}

// buildInBatches hands docs to a builder in batches of the given sizes,
// round and round.
func buildInBatches(docs []Doc, sizes []int) *DumpBuilder {
	b := NewDumpBuilder()
	for i, k := 0, 0; i < len(docs); k++ {
		j := min(len(docs), i+sizes[k%len(sizes)])
		b.Add(slices.Clone(docs[i:j]))
		i = j
	}
	return b
}

// The bounded build writes the very dump PutAll and MarshalBinary write,
// whatever the batches, with chunks small enough that docs straddle them.
func TestDumpBuilderEqualsPutAll(t *testing.T) {
	docs := docsWithRepeats(4000)
	ix := NewIndex()
	ix.PutAll(docs)
	want, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	defer func(bits int) { chunkBits = bits }(chunkBits)
	for _, bits := range []int{20, 7} {
		chunkBits = bits
		for _, sizes := range [][]int{{len(docs)}, {1000}, {1, 1023, 1024, 1025, 7}, {2047, 2049}} {
			b := buildInBatches(docs, sizes)
			got, err := b.Dump()
			if err != nil {
				t.Fatal(err)
			}
			if b.Len() != ix.Len() || b.Size() != int64(len(want)) {
				t.Errorf("chunk bits %d, batches %v: %d docs, %d bytes; PutAll: %d docs, %d bytes", bits, sizes, b.Len(), b.Size(), ix.Len(), len(want))
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("chunk bits %d, batches %v: the dump differs from MarshalBinary's (%d and %d bytes; first difference at %d)",
					bits, sizes, len(got), len(want), firstDiff(got, want))
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A dump written to a file loads in place and answers as the index PutAll
// built; the checksum WriteDump returns is the dump's.
func TestDumpBuilderFileAnswersLikeIndex(t *testing.T) {
	docs := docsWithRepeats(3000)
	ix := NewIndex()
	ix.PutAll(docs)
	b := buildInBatches(docs, []int{512})
	path := filepath.Join(t.TempDir(), "dump")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	size, sum, err := b.WriteDump(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	dump, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(dump)) != size || DumpChecksum(dump) != sum {
		t.Fatalf("WriteDump said %d bytes, checksum %x; the file has %d, %x", size, sum, len(dump), DumpChecksum(dump))
	}
	loaded := NewIndex()
	if err := loaded.LoadInPlace(dump, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range append(slices.Clone(benchQueries), "vanishedword", "only-in-the", "zlatan", "repeat1500") {
		pq := ParseQuery(q)
		pq.Limit = 30
		for _, trash := range []TrashMode{TrashExclude, TrashOnly} {
			pq.Trash = trash
			got, want := loaded.Search(pq), ix.Search(pq)
			if got.Total != want.Total || !slices.Equal(got.Hits, want.Hits) {
				t.Errorf("%q (trash %v): %d hits from the built dump, %d from the index", q, trash, got.Total, want.Total)
			}
		}
	}
	if loaded.Search(ParseQuery("vanishedword")).Total != 0 {
		t.Error("a replaced doc's word is still found")
	}
}

// An empty builder writes an empty index's dump.
func TestDumpBuilderEmpty(t *testing.T) {
	want, err := NewIndex().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewDumpBuilder().Dump()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("empty: %v, %d bytes, want %d", err, len(got), len(want))
	}
}

// Docs added after the dump was sized are in the next dump.
func TestDumpBuilderAddAfterSize(t *testing.T) {
	docs := docsWithRepeats(2500)
	ix := NewIndex()
	ix.PutAll(docs)
	want, _ := ix.MarshalBinary()
	b := NewDumpBuilder()
	b.Add(slices.Clone(docs[:1200]))
	if b.Size() <= 0 {
		t.Fatal("no size")
	}
	b.Add(slices.Clone(docs[1200:]))
	got, err := b.Dump()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("after more docs: %v, the dump differs (%d and %d bytes)", err, len(got), len(want))
	}
}
