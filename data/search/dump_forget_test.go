package search

import (
	"bytes"
	"testing"
)

// The dump leaves out the words no record has any more: an erased or
// renamed record's old name must not outlive it in the saved snapshot.
func TestDumpForgetsRemovedWords(t *testing.T) {
	ix := NewIndex()
	ix.Put(Doc{ID: "a", Kind: "person", Title: "Ana Zxqwertović", Text: []string{"Kwertzingen"}})
	ix.Put(Doc{ID: "b", Kind: "person", Title: "Emir Hodžić", Text: []string{"Wien"}})
	ix.Remove("a")
	b, _ := ix.MarshalBinary()
	if bytes.Contains(b, []byte("zxqwert")) || bytes.Contains(b, []byte("kwertzing")) {
		t.Fatal("the removed record's words are still in the dump")
	}
	var ix2 Index
	if err := ix2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if ix2.Search(Query{Text: "hodz"}).Total != 1 || ix2.Search(Query{Text: "ana"}).Total != 0 {
		t.Fatal("the dump without them answers differently")
	}
}
