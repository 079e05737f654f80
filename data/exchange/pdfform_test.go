package exchange

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"registar/data"
	"registar/data/i18n"
)

// The blank forms in testdata/pdf are reports.FillableForm's output in
// Serbian (Cyrillic) and Albanian; reports' TestFillableTestdataCurrent
// fails when they fall behind the form.
const (
	blankSR = "testdata/pdf/registar-persons-sr.pdf"
	blankSQ = "testdata/pdf/registar-persons-sq.pdf"
)

// fillPdftk fills the blank form with pdftk-java (XFDF, UTF-8) and returns
// the filled file's path; skipped, saying so, without pdftk.
func fillPdftk(t *testing.T, blank string, values map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftk"); err != nil {
		t.Skip("pdftk not installed (Debian package pdftk-java): the form is not filled by a third-party tool")
	}
	var x strings.Builder
	x.WriteString(`<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><fields>`)
	for k, v := range values {
		x.WriteString(`<field name="` + k + `"><value>`)
		xmlEscape(&x, v)
		x.WriteString(`</value></field>`)
	}
	x.WriteString(`</fields></xfdf>`)
	dir := t.TempDir()
	data := filepath.Join(dir, "data.xfdf")
	if err := os.WriteFile(data, []byte(x.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "filled-pdftk.pdf")
	if b, err := exec.Command("pdftk", blank, "fill_form", data, "output", out).CombinedOutput(); err != nil {
		t.Fatalf("pdftk: %v\n%s", err, b)
	}
	return out
}

func xmlEscape(b *strings.Builder, s string) {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	b.WriteString(r.Replace(s))
}

// pypdf is a Python 3 with pypdf (Debian's python3-pypdf goes with the
// system's /usr/bin/python3), or "".
func pypdf() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import pypdf").Run() == nil {
			return py
		}
	}
	return ""
}

// fillPypdf fills the blank form with pypdf; skipped, saying so, without it.
func fillPypdf(t *testing.T, blank string, values map[string]string) string {
	t.Helper()
	py := pypdf()
	if py == "" {
		t.Skip("pypdf not installed (Debian package python3-pypdf): the form is not filled by a third-party tool")
	}
	out := filepath.Join(t.TempDir(), "filled-pypdf.pdf")
	var args []string
	for k, v := range values {
		args = append(args, k, v)
	}
	script := `
import sys
from pypdf import PdfReader, PdfWriter
r = PdfReader(sys.argv[1])
w = PdfWriter()
w.clone_reader_document_root(r)
kv = sys.argv[3:]
vals = dict(zip(kv[0::2], kv[1::2]))
for p in w.pages:
    w.update_page_form_field_values(p, vals)
w.write(sys.argv[2])
`
	cmd := exec.Command(py, append([]string{"-c", script, blank, out}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pypdf: %v\n%s", err, b)
	}
	return out
}

// column is the sheet's cell of row r under the field's name.
func column(sh *Sheet, r int, field string) string {
	for i, h := range sh.Header {
		if h == field {
			return sh.Rows[r].cell(i)
		}
	}
	return ""
}

var cyrillic = map[string]string{
	"given_name": "Ђорђе", "family_name": "Петровић", "parent_name": "Милан",
	"gender": "Мушки", "birth_date": "15.09.1987.", "country": "Немачка", "city": "Штутгарт",
	"email": "djordje@example.com", "phone": "+49 176 12345678", "profession": "инжењер",
	"consent_contact": "Yes", "consent_publish": "Yes", "interests_invest": "Yes", "interests_culture": "Yes",
}

var albanian = map[string]string{
	"given_name": "Arbër", "family_name": "Krasniqi", "gender": "Mashkull", "birth_date": "03.02.1990",
	"country": "Zvicër", "city": "Çyrih", "profession": "Inxhinier, çelës", "email": "arber@example.com",
	"consent_publish": "/Yes",
}

// A form filled by pdftk and by pypdf with Cyrillic and Albanian values
// reads back as typed and imports.
func TestReadPDFFormsFilledByThirdPartyTools(t *testing.T) {
	for _, c := range []struct {
		name   string
		fill   func(*testing.T, string, map[string]string) string
		blank  string
		values map[string]string
	}{
		{"pdftk-sr", fillPdftk, blankSR, cyrillic},
		{"pypdf-sr", fillPypdf, blankSR, cyrillic},
		{"pdftk-sq", fillPdftk, blankSQ, albanian},
		{"pypdf-sq", fillPypdf, blankSQ, albanian},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := c.fill(t, c.blank, c.values)
			sh, err := ReadPDFForms([]string{path}, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(sh.Rows) != 1 || sh.Origin == nil || sh.Origin.Kind != OriginPDF || sh.Origin.FormID != "registar-persons" ||
				sh.Origin.FormVersion != PDFFormVersion || sh.Origin.Submissions != 1 {
				t.Fatalf("sheet %+v origin %+v", sh, sh.Origin)
			}
			if !strings.HasPrefix(sh.Rows[0].Submission, "pdf:") || sh.Rows[0].Where != filepath.Base(path) {
				t.Errorf("row %+v", sh.Rows[0])
			}
			for k, want := range c.values {
				got := column(sh, 0, k)
				switch {
				case strings.HasPrefix(k, PDFInterestPrefix):
					if !strings.Contains(column(sh, 0, "interests"), strings.TrimPrefix(k, PDFInterestPrefix)) {
						t.Errorf("interests %q lacks %s", column(sh, 0, "interests"), k)
					}
					continue
				case strings.HasPrefix(k, "consent_"):
					want = "yes"
				}
				if got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			// What it read imports: every row is added, none rejected.
			p, err := Prepare(context.Background(), memStore(t), sh, pdfMapping(t, sh), Options{Lang: i18n.SR})
			if err != nil {
				t.Fatal(err)
			}
			if p.Counts.Added != 1 || p.Counts.Rejected != 0 {
				t.Fatalf("counts %+v rows %+v", p.Counts, p.Rows)
			}
			person := p.recs[len(p.recs)-1].(*data.Person)
			if person.GivenName != c.values["given_name"] || person.Country == "" || person.BirthDate.IsZero() || !person.ConsentPublish.Given {
				t.Errorf("person %+v", person)
			}
			// A consent ticked on the form was given on it, the day it was saved.
			if person.ConsentPublish.How != "form" || person.ConsentPublish.Date != data.DateOf(time.Now()) {
				t.Errorf("consent to publish %+v", person.ConsentPublish)
			}
		})
	}
}

// The same filled form read twice, or copied under another name, has the
// same submission ID; another value gives another.
func TestPDFFormSubmissionStable(t *testing.T) {
	a := fillPdftk(t, blankSR, cyrillic)
	b := filepath.Join(t.TempDir(), "copy.pdf")
	raw, _ := os.ReadFile(a)
	os.WriteFile(b, raw, 0o644)
	other := map[string]string{}
	for k, v := range cyrillic {
		other[k] = v
	}
	other["city"] = "Минхен"
	c := fillPdftk(t, blankSR, other)
	sh, err := ReadPDFForms([]string{a, b, c}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 3 || sh.Rows[0].Submission != sh.Rows[1].Submission || sh.Rows[0].Submission == sh.Rows[2].Submission {
		t.Fatalf("submissions %q %q %q", sh.Rows[0].Submission, sh.Rows[1].Submission, sh.Rows[2].Submission)
	}
}

// A field filled with 10,000 characters is kept whole, and the import
// rejects the row naming the field.
func TestPDFFormLongFieldRejected(t *testing.T) {
	values := map[string]string{"given_name": strings.Repeat("Ж", 10000), "family_name": "Петровић", "birth_date": "15.09.1987.", "country": "Немачка"}
	path := fillPdftk(t, blankSR, values)
	sh, err := ReadPDFForms([]string{path}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := column(sh, 0, "given_name"); got != values["given_name"] {
		t.Fatalf("given_name has %d runes, want 10000", len([]rune(got)))
	}
	p, err := Prepare(context.Background(), memStore(t), sh, pdfMapping(t, sh), Options{Lang: i18n.EN})
	if err != nil {
		t.Fatal(err)
	}
	if p.Counts.Rejected != 1 {
		t.Fatalf("counts %+v", p.Counts)
	}
	reasons := strings.Join(p.Rows[0].Reasons, " ")
	if !strings.Contains(reasons, data.FieldLabel("given_name", i18n.EN)) {
		t.Errorf("reasons %q do not name the field", reasons)
	}
}

// rewrite reads the PDF at path with pdfcpu, lets change alter it and
// writes it to a new file.
func rewrite(t *testing.T, path string, change func(root, marker types.Dict)) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := api.ReadAndValidate(bytes.NewReader(raw), pdfConf())
	if err != nil {
		t.Fatal(err)
	}
	root, err := ctx.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var marker types.Dict
	fields, _ := ctx.DereferenceArray(ctx.Form["Fields"])
	for _, f := range fields {
		d, _ := ctx.DereferenceDict(f)
		if s, _ := types.StringOrHexLiteral(d["T"]); s != nil && *s == PDFFormMarker {
			marker = d
		}
	}
	change(root, marker)
	out := filepath.Join(t.TempDir(), "changed.pdf")
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// Bad input: each gets one line naming the file, in the clerk's language.
func TestReadPDFFormsBadInput(t *testing.T) {
	filled := fillPdftk(t, blankSR, cyrillic)
	raw, _ := os.ReadFile(filled)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noForm := rewrite(t, filled, func(root, _ types.Dict) { delete(root, "AcroForm") })
	noMarker := rewrite(t, filled, func(_, m types.Dict) { m["V"] = types.StringLiteral("invoice/7") })
	business := rewrite(t, filled, func(_, m types.Dict) { m["V"] = types.StringLiteral("registar-businesses/1") })
	for _, c := range []struct {
		name string
		path string
		want error
	}{
		{"no registar fields", noForm, ErrPDFNoForm},
		{"a form of someone else", noMarker, ErrPDFNoForm},
		{"truncated", write("half.pdf", raw[:len(raw)/2]), ErrPDFDamaged},
		{"not a pdf", write("notes.pdf", []byte("hello, this is text")), ErrPDFDamaged},
		{"blank form", blankSR, ErrPDFEmpty},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPDFForms([]string{c.path}, ReadOptions{})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var pe *PDFFormError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *PDFFormError", err)
			}
			for _, l := range i18n.All {
				msg := pe.Message(l)
				if strings.Contains(msg, "\n") || !strings.Contains(msg, filepath.Base(c.path)) || strings.HasPrefix(msg, "pdfform.") {
					t.Errorf("%s: %q is not one line naming the file", l, msg)
				}
			}
		})
	}
	// A business form read for persons: the sheet says its form; the
	// caller's check names the kind found.
	sh, err := ReadPDFForms([]string{business}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sh.Origin.FormID != "registar-businesses" || KindOfForm(sh.Origin.FormID) != data.KindBusiness {
		t.Fatalf("origin %+v", sh.Origin)
	}
	err = CheckPDFFormKind(sh, data.KindPerson)
	if !errors.Is(err, ErrPDFOtherKind) || !strings.Contains(err.(*PDFFormError).Message(i18n.BS), i18n.T(i18n.BS, "pdfform.kind.business")) {
		t.Fatalf("check: %v", err)
	}
	if err := CheckPDFFormKind(sh, data.KindBusiness); err != nil {
		t.Fatal(err)
	}
	// In a folder the bad ones are counted and listed, the good one read.
	sh, err = ReadPDFForms([]string{filled, noForm, business, write("bad.pdf", raw[:100])}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 1 || sh.Origin.OtherForm != 2 || len(sh.Origin.Unreadable) != 1 || sh.Origin.Submissions != 1 {
		t.Fatalf("rows %d origin %+v", len(sh.Rows), sh.Origin)
	}
}

// A folder of PDFs is read with every .pdf in it, subfolders too.
func TestOpenPDFFormsFolder(t *testing.T) {
	a := fillPdftk(t, blankSR, cyrillic)
	b := fillPypdf(t, blankSQ, albanian)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	for src, dst := range map[string]string{a: "a.pdf", b: "sub/b.PDF"} {
		raw, _ := os.ReadFile(src)
		os.WriteFile(filepath.Join(dir, dst), raw, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("x"), 0o644)
	sh, err := OpenPDFForms(dir, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 2 || sh.File != filepath.Base(dir) {
		t.Fatalf("rows %d file %q", len(sh.Rows), sh.File)
	}
	if _, err := OpenPDFForms(t.TempDir(), ReadOptions{}); !errors.Is(err, ErrPDFNone) {
		t.Fatalf("empty folder: %v", err)
	}
}

func TestIsPDF(t *testing.T) {
	raw, err := os.ReadFile(blankSR)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		b    []byte
		want bool
	}{{raw, true}, {append([]byte("junk\n"), raw...), true}, {[]byte("PK\x03\x04"), false}, {nil, false}, {[]byte("%PD"), false}} {
		if got := IsPDF(c.b); got != c.want {
			t.Errorf("IsPDF(%q…) = %v", c.b[:min(len(c.b), 8)], got)
		}
	}
}

// FuzzReadPDFForm: a PDF from outside never panics the reader.
func FuzzReadPDFForm(f *testing.F) {
	raw, err := os.ReadFile(blankSR)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)/3])
	f.Add([]byte("%PDF-1.7\n1 0 obj<</Type/Catalog/AcroForm<</Fields[2 0 R]>>>>endobj\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		readPDFForm(b, "fuzz.pdf")
	})
}

// pdfMapping maps a PDF form's columns the way an import does: by
// Recognise, with the kind the form says.
func pdfMapping(t testing.TB, sh *Sheet) Mapping {
	t.Helper()
	m, err := Recognise(sh, sh.Origin.RecordKind())
	if err != nil {
		t.Fatal(err)
	}
	if u := m.Unknown(); len(u) > 0 {
		t.Fatalf("columns not recognised: %v", u)
	}
	return m
}
