package exchange

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"registar/data"
	"registar/data/search"
	"registar/data/store"
)

// A plan of at least Options.BulkAbove records is written in the store's
// bulk mode: the same one undoable step, and the search index, rebuilt
// from the records at the end, finds the rows; a smaller plan is not.
func TestApplyInBulkMode(t *testing.T) {
	for _, bulkAbove := range []int{0, 500, 5000} {
		st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var text strings.Builder
		text.WriteString("Ime;Prezime;Datum rođenja;Država\n")
		for i := 0; i < 1200; i++ {
			text.WriteString("Ime" + strconv.Itoa(i) + ";Hodžić;01.01.1980;DE\n")
		}
		p := plan(t, st, readText(t, text.String()), "", Options{BulkAbove: bulkAbove})
		res, err := p.Apply(context.Background(), st, nil)
		if err != nil {
			t.Fatal(err)
		}
		bulk := bulkAbove > 0 && bulkAbove <= 1200
		// Only a rebuild answers from the snapshot file it wrote; a step
		// kept the index in memory.
		if st.Index().InPlace() != bulk || st.InBulk() {
			t.Fatalf("BulkAbove %d: index in place %v, in bulk %v", bulkAbove, st.Index().InPlace(), st.InBulk())
		}
		if n := st.Search(search.ParseQuery("hodzic")).Total; n != 1200 || st.Counts()[data.KindPerson] != 1200 {
			t.Fatalf("BulkAbove %d: search finds %d, counts %v", bulkAbove, n, st.Counts())
		}
		if _, err := st.Undo(context.Background(), res.Step); err != nil {
			t.Fatal(err)
		}
		if n := st.Search(search.ParseQuery("hodzic")).Total; n != 0 {
			t.Fatalf("BulkAbove %d: %d found after undo", bulkAbove, n)
		}
	}
}
