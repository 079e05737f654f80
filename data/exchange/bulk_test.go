package exchange

import (
	"bytes"
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
		st, sheet := bulkSheet(t, 1200, func(int) string { return "DE" })
		p := plan(t, st, sheet, "", Options{BulkAbove: bulkAbove})
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

// A bulk import lets go of its records and of the rows that went in once
// they are written (the index is rebuilt after it, in that memory); the
// rejected rows stay, and the rejects file still has each of them.
func TestBulkApplyKeepsOnlyTheRejectedRows(t *testing.T) {
	st, sheet := bulkSheet(t, 600, func(i int) string {
		if i%100 == 7 {
			return "Atlantida" // no such country: rejected
		}
		return "DE"
	})
	p := plan(t, st, sheet, "", Options{BulkAbove: 100})
	if p.Counts.Rejected != 6 {
		t.Fatalf("rejected %d rows, want 6", p.Counts.Rejected)
	}
	if _, err := p.Apply(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	if p.recs != nil || len(p.Sheet.Rows) != 6 {
		t.Errorf("after a bulk apply: %d records, %d rows kept; want none and the 6 rejected", len(p.recs), len(p.Sheet.Rows))
	}
	var buf bytes.Buffer
	n, err := p.WriteRejects(&buf)
	if err != nil || n != 6 {
		t.Fatalf("rejects: %d rows, %v", n, err)
	}
	back, err := Read(bytes.NewReader(buf.Bytes()), "rejects.xlsx", ReadOptions{})
	if err != nil || len(back.Rows) != 6 || back.Rows[0].Cells[0] != "Ime7" || back.Rows[5].Cells[0] != "Ime507" {
		t.Fatalf("rejects read back: %v %+v", err, back)
	}
	if n := st.Counts()[data.KindPerson]; n != 594 {
		t.Errorf("%d persons written, want 594", n)
	}
}

// bulkSheet is a new registry in a folder (closed after the test) and a
// sheet of n persons, row i living in country(i).
func bulkSheet(t *testing.T, n int, country func(i int) string) (*store.Store, *Sheet) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var text strings.Builder
	text.WriteString("Ime;Prezime;Datum rođenja;Država\n")
	for i := range n {
		text.WriteString("Ime" + strconv.Itoa(i) + ";Hodžić;01.01.1980;" + country(i) + "\n")
	}
	return st, readText(t, text.String())
}
