package exchange

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

// A .csv export of each kind, in every language, imports back into an
// empty registry as the same records.
func TestCSVRoundTrip(t *testing.T) {
	src := memStore(t)
	fillRegistry(t, src)
	want := snapshot(t, src)
	for _, lang := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		dst := memStore(t)
		for _, kind := range []data.Kind{data.KindLocality, data.KindPerson, data.KindBusiness, data.KindOrganisation} {
			var buf bytes.Buffer
			n, err := Export(context.Background(), &buf, src, search.Query{Kind: kind}, ExportOptions{Lang: lang, Format: FormatCSV})
			if err != nil || n == 0 {
				t.Fatalf("%s %s: export %d: %v", lang, kind, n, err)
			}
			text := buf.String()
			if !strings.HasPrefix(text, "\ufeff") || bytes.HasPrefix(buf.Bytes(), []byte("PK")) {
				t.Fatalf("%s %s: not a UTF-8 .csv with a BOM: %q", lang, kind, text[:min(20, len(text))])
			}
			sep := ";"
			if lang == i18n.EN {
				sep = ","
			}
			header := strings.SplitN(text, "\r\n", 2)[0]
			if !strings.Contains(header, sep) {
				t.Fatalf("%s: header %q without %q", lang, header, sep)
			}
			sh := readText(t, text)
			p := plan(t, dst, sh, kind, Options{Lang: lang})
			if p.Counts.Rejected != 0 || p.Counts.Added != n || len(p.Mapping.Unknown()) != 0 {
				t.Fatalf("%s %s: %+v %v %v", lang, kind, p.Counts, p.Rejected(), p.Mapping.Unknown())
			}
			if _, err := p.Apply(context.Background(), dst, nil); err != nil {
				t.Fatal(err)
			}
		}
		got := snapshot(t, dst)
		for id, w := range want {
			if got[id] != w {
				t.Fatalf("%s: record changed on the way:\n got %s\nwant %s", lang, got[id], w)
			}
		}
	}
}

func TestCSVExportOneKind(t *testing.T) {
	st := memStore(t)
	fillRegistry(t, st)
	_, err := Export(context.Background(), &bytes.Buffer{}, st, search.Query{}, ExportOptions{Format: FormatCSV})
	if !errors.Is(err, ErrCSVOneKind) {
		t.Fatalf("every kind into one .csv: %v", err)
	}
	for name, want := range map[string]Format{"a.csv": FormatCSV, "A.CSV": FormatCSV, "a.xlsx": FormatXLSX, "a": FormatXLSX} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q", name, got)
		}
	}
}

// An export and a rejects file say how far their sheets reach: openpyxl in
// read-only mode (pandas, pyxform) reads a sheet only as far as its
// dimension says, and excelize's stream writer leaves it at A1.
func TestExportSheetDimension(t *testing.T) {
	st := memStore(t)
	fillRegistry(t, st)
	var buf bytes.Buffer
	n, err := Export(context.Background(), &buf, st, search.Query{Kind: data.KindPerson}, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last, _ := excelize.CoordinatesToCellName(len(Fields(data.KindPerson)), n+1)
	if got, err := f.GetSheetDimension(f.GetSheetList()[0]); err != nil || got != "A1:"+last {
		t.Fatalf("dimension %q (%v), want A1:%s", got, err, last)
	}
}
