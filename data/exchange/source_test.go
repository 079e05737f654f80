package exchange

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

const fieldData = "testdata/field"

// openSource opens a source and fails the test on an error.
func openSource(t testing.TB, path string) *Sheet {
	t.Helper()
	sh, err := OpenSource(path, ReadOptions{})
	if err != nil {
		t.Fatalf("OpenSource(%s): %v", path, err)
	}
	return sh
}

// writeFile writes b to a file of the test's temporary folder.
func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// record is a tidy row as field name → cell, through the mapping
// Recognise makes of the sheet's header.
func records(t testing.TB, sh *Sheet) []map[string]string {
	t.Helper()
	m, err := Recognise(sh, sh.Origin.RecordKind())
	if err != nil {
		t.Fatal(err)
	}
	if u := m.Unknown(); len(u) > 0 {
		t.Fatalf("headers Recognise does not know: %+v", u)
	}
	var out []map[string]string
	for _, r := range sh.Rows {
		rec := map[string]string{"#submission": r.Submission, "#where": r.Where}
		for _, c := range m.Columns {
			if v := r.cell(c.Index); v != "" {
				rec[c.Field] = v
			}
		}
		out = append(out, rec)
	}
	return out
}

// want checks some fields of a tidy row.
func want(t testing.TB, rec map[string]string, fields map[string]string) {
	t.Helper()
	for f, v := range fields {
		if rec[f] != v {
			t.Errorf("%s = %q, want %q (row %v)", f, rec[f], v, rec)
		}
	}
}

// A sheet a person made comes back exactly as Open reads it.
func TestOpenSourcePlainSheet(t *testing.T) {
	csvText := "Redni broj;Ime;Prezime;Datum rođenja;Država\n1;Amir;Hodžić;12.03.1985.;Njemačka\n2;Emina;Begić;01.01.1990;AT\n"
	title := xlsxOf(t, [][]any{{"Popis iseljenika, MZ Pećigrad"}, {}, {"Ime", "Prezime", "E-mail", "_napomena"}, {"Amra", "Kovač", "amra@example.com", "x"}})
	for name, b := range map[string][]byte{"popis.csv": []byte(csvText), "popis.xlsx": title, "bez-nastavka": []byte(csvText)} {
		p := writeFile(t, name, b)
		want, err := Open(p, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := openSource(t, p)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: OpenSource\n%+v\nOpen\n%+v", name, got, want)
		}
		if got.Origin != nil {
			t.Errorf("%s: a plain sheet has an origin: %+v", name, got.Origin)
		}
	}
}

func TestOpenSourceErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenSource(filepath.Join(dir, "nema.xlsx"), ReadOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// An empty folder, and one with only photos and a form's definition.
	if _, err := OpenSource(dir, ReadOptions{}); !errors.Is(err, ErrNoSubmissions) {
		t.Errorf("empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "slika.jpg"), []byte("jpeg"), 0o644)
	os.WriteFile(filepath.Join(dir, "registar-persons.xml"), []byte(`<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:head/></h:html>`), 0o644)
	_, err := OpenSource(dir, ReadOptions{})
	if !errors.Is(err, ErrNoSubmissions) {
		t.Fatalf("folder without submissions: %v", err)
	}
	var se *SourceError
	if !errors.As(err, &se) || !strings.Contains(se.Message(i18n.BS), "nema obrazaca popunjenih u ODK Collectu") || !strings.Contains(se.Message(i18n.BS), filepath.Base(dir)) {
		t.Errorf("message: %q", se.Message(i18n.BS))
	}
}

// Every message of a source's error reads in each language, with what it
// names filled in.
func TestSourceErrorMessages(t *testing.T) {
	errs := []*SourceError{
		{key: keyForeignForm, origin: OriginKobo},
		{key: keyForeignForm, origin: OriginCentral},
		{key: keyNoSubmissions, origin: OriginInstances, param: "instances"},
		{key: keyOtherForms, origin: OriginInstances, n: 3, param: "anketa"},
		{key: keyNoneReadable, origin: OriginInstances, n: 2, param: "a.xml: damaged"},
		{key: keyZipNoTable, origin: OriginCentral},
	}
	for _, e := range errs {
		for _, l := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
			m := e.Message(l)
			if strings.Contains(m, "{") || strings.HasPrefix(m, "fieldimport.") {
				t.Errorf("%s %s: %q", e.key, l, m)
			}
			if e.param != "" && !strings.Contains(m, e.param) {
				t.Errorf("%s %s: %q does not name %q", e.key, l, m, e.param)
			}
		}
	}
	if m := errs[0].Message(i18n.SRLatn); !strings.Contains(m, "KoboToolbox izvoz") || !strings.Contains(m, "given_name") {
		t.Errorf("sr-Latn: %q", m)
	}
}

func TestOriginDescribe(t *testing.T) {
	o := &Origin{Kind: OriginKobo, FormID: "registar-persons", FormVersion: "2026120701", Submissions: 48, NotApproved: 2}
	if got, want := o.Describe(i18n.EN), "KoboToolbox export, form registar-persons 2026120701, submissions: 48, not approved, skipped: 2"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	o = &Origin{Kind: OriginInstances, FormID: "registar-persons", Submissions: 5, OtherForm: 1, Unreadable: []string{"a.xml: x"}}
	if got := o.Describe(i18n.BS); !strings.Contains(got, "drugog obrasca, preskočeno: 1") || !strings.Contains(got, "nečitljivih datoteka: 1") {
		t.Errorf("bs: %q", got)
	}
	if (*Origin)(nil).Describe(i18n.EN) != "" || (*Origin)(nil).RecordKind() != "" {
		t.Error("a plain sheet has no origin to describe")
	}
}

func TestKindOfForm(t *testing.T) {
	for id, k := range map[string]data.Kind{
		"registar-persons": data.KindPerson, "registar-businesses": data.KindBusiness,
		"registar-organisations": data.KindOrganisation, "registar-persons-cazin": data.KindPerson,
		"registar-personsx": "", "anketa": "", "": "", "registar-localities": "",
	} {
		if got := KindOfForm(id); got != k {
			t.Errorf("KindOfForm(%q) = %q, want %q", id, got, k)
		}
	}
}

// Each source goes through the import as a sheet does: OpenSource,
// Recognise, Prepare, Apply into a fresh registry. The persons land with
// their submission's ID, and a second import of the same source adds
// nothing and says how many it passed over.
func TestImportEachSource(t *testing.T) {
	sources := map[string]func(t *testing.T) string{
		"kobo csv":        func(t *testing.T) string { return filepath.Join(fieldData, "kobo-labels-bs.csv") },
		"kobo xlsx":       func(t *testing.T) string { return writeFile(t, "registar.xlsx", koboXLSX(t)) },
		"central csv":     func(t *testing.T) string { return filepath.Join(fieldData, "central-registar-persons.csv") },
		"central zip":     func(t *testing.T) string { return writeFile(t, "registar-persons.zip", centralZip(t, nil)) },
		"instance folder": func(t *testing.T) string { return fieldData },
		"one instance": func(t *testing.T) string {
			return filepath.Join(fieldData, "instances/registar-persons_2026-12-04_10-15-02/registar-persons_2026-12-04_10-15-02.xml")
		},
	}
	if _, err := os.Stat(odkSample); err == nil {
		sources["odk sample"] = func(t *testing.T) string { return odkSample }
	}
	for name, path := range sources {
		t.Run(name, func(t *testing.T) {
			st := memStore(t)
			p := path(t)
			res, pl := importSource(t, st, p)
			if pl.Counts.Added == 0 || pl.Counts.Rejected != 0 {
				t.Fatalf("counts %+v, rejected %+v", pl.Counts, pl.Rejected())
			}
			persons := map[string]*data.Person{}
			st.Each(data.KindPerson, func(r data.Record) error {
				persons[r.Base().Submission] = r.(*data.Person)
				return nil
			})
			for _, r := range pl.Sheet.Rows {
				if r.Submission == "" {
					t.Errorf("row %d has no submission ID", r.N)
				}
				if persons[r.Submission] == nil {
					t.Errorf("row %d: no person with submission %s", r.N, r.Submission)
				}
			}
			for _, per := range persons {
				if per.ConsentContact.Given && (per.ConsentContact.Date.IsZero() || per.ConsentContact.How != "form") {
					t.Errorf("%s: contact consent without its date or way: %+v", per.GivenName, per.ConsentContact)
				}
				if per.LocalityID == "" {
					t.Errorf("%s: no local community", per.GivenName)
				}
			}
			if res.Step == "" {
				t.Fatal("nothing written")
			}
			// Again: every submission is passed over.
			_, again := importSource(t, st, p)
			if again.Counts.Added != 0 || again.Counts.AlreadyImported != len(again.Sheet.Rows) {
				t.Errorf("second import: %+v", again.Counts)
			}
		})
	}
}

// importSource runs one import as the CLI does.
func importSource(t *testing.T, st *store.Store, path string) (Result, *Plan) {
	t.Helper()
	sh := openSource(t, path)
	if sh.Origin == nil {
		t.Fatalf("%s: not recognised as a phone source", path)
	}
	m, err := Recognise(sh, sh.Origin.RecordKind())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := Prepare(ctx, st, sh, m, Options{Lang: i18n.BS, Municipality: "Cazin"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Apply(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res, p
}
