package reports

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
)

// fillable makes the fillable form or fails the test.
func fillable(t testing.TB, lang i18n.Lang) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := FillableForm(&buf, Options{Lang: lang, Office: testOffice(), Now: testNow}); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	return buf.Bytes()
}

// TestDumpFillable writes the fillable form in every language to
// $REPORTS_DUMP for looking at; it is skipped unless the variable is set.
func TestDumpFillable(t *testing.T) {
	dir := os.Getenv("REPORTS_DUMP")
	if dir == "" {
		t.Skip("set REPORTS_DUMP=DIR to write sample forms")
	}
	for _, lang := range allLangs {
		if err := os.WriteFile(filepath.Join(dir, "fillable-"+string(lang)+".pdf"), fillable(t, lang), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// formFields lists a PDF's form fields by name with their types, as
// pdfcpu sees them.
func formFields(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	fs, err := api.FormFields(bytes.NewReader(pdf), pdfcpuConf())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		out[f.Name] = f.Typ.String()
	}
	return out
}

// The form has a field for each of the export's fields a person fills in,
// named as the export names them, of the right type, and the marker; in
// every language.
func TestFillableFormFields(t *testing.T) {
	for _, lang := range allLangs {
		fields := formFields(t, fillable(t, lang))
		want := map[string]string{exchange.PDFFormMarker: "Textfield", "gender": "ComboBox", "country": "ComboBox",
			"consent_contact": "CheckBox", "consent_publish": "CheckBox", "given_name": "Textfield", "birth_date": "Textfield"}
		for _, code := range data.Interests {
			want[exchange.PDFInterestPrefix+code] = "CheckBox"
		}
		for _, f := range exchange.PDFFormFields(data.KindPerson) {
			if _, ok := want[f]; !ok && f != "interests" {
				want[f] = "?"
			}
		}
		for name, typ := range want {
			got, ok := fields[name]
			if !ok {
				t.Errorf("%s: no field %q", lang, name)
			} else if typ != "?" && got != typ {
				t.Errorf("%s: %s is a %s, want %s", lang, name, got, typ)
			}
		}
		if len(fields) != len(want) {
			t.Errorf("%s: %d fields, want %d: %v", lang, len(fields), len(want), fields)
		}
	}
}

// pdftk (a reader that is not pdfcpu) sees the fields, the marker's value
// and the country list in the form's language.
func TestFillableFormPdftk(t *testing.T) {
	if _, err := exec.LookPath("pdftk"); err != nil {
		t.Skip("pdftk not installed (Debian package pdftk-java)")
	}
	path := writeTemp(t, fillable(t, i18n.SR))
	out := run(t, "pdftk", path, "dump_data_fields_utf8")
	for _, want := range []string{"FieldName: given_name", "FieldNameAlt: " + data.FieldLabel("given_name", i18n.SR) + " *",
		"FieldName: registar_form", "FieldValue: " + exchange.PDFFormMarkerValue(data.KindPerson),
		"FieldStateOption: " + data.CountryName("DE", i18n.SR), "FieldStateOption: " + data.ValueLabel(data.GroupGender, "f", i18n.SR)} {
		if !strings.Contains(out, want) {
			t.Errorf("pdftk does not show %q", want)
		}
	}
}

// Printed blank, the fillable form shows the paper form's text in the
// language and nothing of the fields: its text is the printed form's.
func TestFillableFormPrintsBlank(t *testing.T) {
	needPoppler(t)
	for _, lang := range []i18n.Lang{i18n.BS, i18n.SR, i18n.SQ} {
		path := writeTemp(t, fillable(t, lang))
		checkFonts(t, path)
		text := squash(pdfText(t, path, 0, 0))
		for _, key := range headings[Form] {
			want := squash(i18n.T(lang, key))
			if len([]rune(want)) > 60 {
				want = string([]rune(want)[:60])
			}
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q missing", lang, want)
			}
		}
		if strings.Contains(text, "registar-persons") {
			t.Errorf("%s: the hidden marker is printed", lang)
		}
	}
}

// Filled by pdftk with Cyrillic values, the form reads back as typed.
func TestFillableFormFilledReadsBack(t *testing.T) {
	if _, err := exec.LookPath("pdftk"); err != nil {
		t.Skip("pdftk not installed (Debian package pdftk-java)")
	}
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.pdf")
	os.WriteFile(blank, fillable(t, i18n.SR), 0o644)
	xfdf := filepath.Join(dir, "data.xfdf")
	os.WriteFile(xfdf, []byte(`<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>`+
		`<field name="given_name"><value>Ђорђе</value></field><field name="country"><value>Njemačka</value></field>`+
		`<field name="birth_date"><value>15.09.1987.</value></field><field name="consent_publish"><value>Yes</value></field>`+
		`</fields></xfdf>`), 0o644)
	filled := filepath.Join(dir, "filled.pdf")
	run(t, "pdftk", blank, "fill_form", xfdf, "output", filled)
	sh, err := exchange.ReadPDFForms([]string{filled}, exchange.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, h := range sh.Header {
		if i < len(sh.Rows[0].Cells) {
			got[h] = sh.Rows[0].Cells[i]
		}
	}
	if got["given_name"] != "Ђорђе" || got["country"] != "Njemačka" || got["birth_date"] != "15.09.1987." || got["consent_publish"] != "yes" {
		t.Fatalf("read back %v", got)
	}
}

// The blank forms exchange's tests fill are this form's, field for field.
func TestFillableTestdataCurrent(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.SR, i18n.SQ} {
		name := "../data/exchange/testdata/pdf/registar-persons-" + string(lang) + ".pdf"
		old, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		now := fillable(t, lang)
		if a, b := formFields(t, old), formFields(t, now); !maps.Equal(a, b) {
			if os.Getenv("UPDATE_TESTDATA") != "" {
				os.WriteFile(name, now, 0o644)
				continue
			}
			t.Errorf("%s has fields %v, the form has %v: run with UPDATE_TESTDATA=1", name, a, b)
		}
	}
}
