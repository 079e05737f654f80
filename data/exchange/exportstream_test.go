package exchange

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// chunks records how a file reaches its writer.
type chunks struct {
	bytes.Buffer
	writes, biggest int
}

func (c *chunks) Write(p []byte) (int, error) {
	c.writes++
	c.biggest = max(c.biggest, len(p))
	return c.Buffer.Write(p)
}

// An .xlsx export reaches its writer as it is zipped, not as one buffer of
// the whole file at the end (excelize's WriteTo): for 1,000,000 persons
// that buffer alone is a few hundred MB.
func TestExportXLSXIsWrittenAsItIsZipped(t *testing.T) {
	st := memStore(t)
	recs := make([]data.Record, 0, 3000)
	for i := range 3000 {
		recs = append(recs, &data.Person{GivenName: "Amra", FamilyName: fmt.Sprintf("Hodžić %d", i), Country: "DE", Gender: "f",
			BirthDate: data.NewDate(1970+i%30, 3, 12),
			Email:     fmt.Sprintf("amra%d@example.com", i), Notes: fmt.Sprintf("bilješka broj %d, %x", i, i*7919)})
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "test"}, recs, nil); err != nil {
		t.Fatal(err)
	}
	var w chunks
	n, err := Export(context.Background(), &w, st, search.Query{Kind: data.KindPerson}, ExportOptions{Lang: i18n.BS})
	if err != nil || n != 3000 {
		t.Fatalf("%d rows: %v", n, err)
	}
	if w.writes < 2 || w.biggest >= w.Len() {
		t.Fatalf("the %d bytes came in %d writes, the biggest %d bytes", w.Len(), w.writes, w.biggest)
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 3001 {
		t.Fatalf("%d rows read back: %v", len(rows), err)
	}
}
