package exchange

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

func memStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true, User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// readText reads CSV text as a sheet.
func readText(t testing.TB, text string) *Sheet {
	t.Helper()
	sh, err := Read(strings.NewReader(text), "test.csv", ReadOptions{})
	if err != nil {
		t.Fatalf("read: %v\n%s", err, text)
	}
	return sh
}

// plan reads, recognises and prepares a sheet.
func plan(t testing.TB, st *store.Store, sh *Sheet, kind data.Kind, opt Options) *Plan {
	t.Helper()
	m, err := Recognise(sh, kind)
	if err != nil {
		t.Fatalf("recognise: %v", err)
	}
	p, err := Prepare(context.Background(), st, sh, m, opt)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	return p
}

// xlsxOf writes rows to an .xlsx; a time.Time becomes a real date cell.
func xlsxOf(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				f.SetCellStyle("Sheet1", cell, cell, style)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func addLocality(t testing.TB, st *store.Store, name, municipality string) string {
	t.Helper()
	l := &data.Locality{Name: name, Municipality: municipality, LocalityKind: "local_community"}
	if err := st.Save(l); err != nil {
		t.Fatal(err)
	}
	return l.ID
}

func addPerson(t testing.TB, st *store.Store, given, family string, born data.Date, email string) *data.Person {
	t.Helper()
	p := &data.Person{GivenName: given, FamilyName: family, BirthDate: born, Country: "DE", Email: email}
	if err := st.Save(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// only returns the single row result of a one-row plan.
func only(t testing.TB, p *Plan) RowResult {
	t.Helper()
	if len(p.Rows) != 1 {
		t.Fatalf("want one row, got %d: %+v", len(p.Rows), p.Rows)
	}
	return p.Rows[0]
}

// firstRecord is the record a one-row plan will write.
func firstRecord(t testing.TB, p *Plan) data.Record {
	t.Helper()
	if len(p.recs) != 1 {
		t.Fatalf("want one record to write, got %d: %+v", len(p.recs), p.Rows)
	}
	return p.recs[0]
}

var bs = i18n.BS
