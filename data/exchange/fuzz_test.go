package exchange

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

// FuzzImport feeds arbitrary bytes, as .csv and as .xlsx, through the whole
// import: reading, header recognition, the preview and the rejects file.
// None of it may panic; guard would turn a panic into a *PanicError, so
// the fuzzer fails on that too.
func FuzzImport(f *testing.F) {
	for _, s := range []string{
		"Ime;Prezime;Datum rođenja;Država\nAmir;Hodžić;12.03.1985.;DE\n",
		"\uFEFFEmri,Mbiemri,Data e lindjes,Shteti,Gjinia\nArbër,Krasniqi,1990-06-30,Zvicra,M\n",
		"Име\tПрезиме\tДатум рођења\tДржава\nЂорђе\tПетровић\t31.02.1985\tНемачка\n",
		"Naziv;Vrsta organizacije;Država;Broj članova\n\"Udruženje; BiH\";KUD;SE;1.200\n",
		"a,b\n\"x",
		"",
	} {
		f.Add([]byte(s), false)
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "libreoffice.xlsx")); err == nil {
		f.Add(b, true)
	}
	st := memStore(f)
	fillRegistry(f, st)
	var exp bytes.Buffer
	if _, err := Export(context.Background(), &exp, st, search.Query{Kind: data.KindPerson}, ExportOptions{Lang: i18n.SR}); err == nil {
		f.Add(exp.Bytes(), true)
	}
	var tpl bytes.Buffer
	if err := Template(&tpl, st, data.KindOrganisation, TemplateOptions{Lang: i18n.SQ, Rows: 10}); err == nil {
		f.Add(tpl.Bytes(), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, xlsx bool) {
		name := "fuzz.csv"
		if xlsx {
			name = "fuzz.xlsx"
		}
		noPanic := func(stage string, err error) {
			var pe *PanicError
			if errors.As(err, &pe) {
				t.Fatalf("%s panicked: %v\n%s", stage, pe.Value, pe.Stack)
			}
		}
		sh, err := Read(bytes.NewReader(b), name, ReadOptions{MaxRows: 2000})
		noPanic("read", err)
		if err != nil {
			return
		}
		m, err := Recognise(sh, "")
		noPanic("recognise", err)
		if err != nil {
			if m, err = Recognise(sh, data.KindPerson); err != nil {
				t.Fatalf("recognise as person: %v", err)
			}
		}
		p, err := Prepare(context.Background(), nil, sh, m, Options{Lang: i18n.BS})
		noPanic("prepare", err)
		if err != nil {
			return
		}
		if p.Counts.Rows != len(sh.Rows) {
			t.Fatalf("counted %d rows of %d", p.Counts.Rows, len(sh.Rows))
		}
		_, err = p.WriteRejects(io.Discard)
		noPanic("rejects", err)
	})
}
