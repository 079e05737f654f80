package reports

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/reports/fonts"
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

// The field font's encoding gives every letter of the offices' languages
// a code of its own, one code a letter, each with a glyph in Noto Sans and
// a glyph name pdftk knows; ASCII keeps its codes and code 0 is unused.
func TestFillableFieldEncoding(t *testing.T) {
	enc, err := newFieldEncoding()
	if err != nil {
		t.Fatal(err)
	}
	code := map[rune]int{}
	for c, r := range enc.letters {
		if r == 0 {
			continue
		}
		if c == 0 {
			t.Errorf("code 0 draws %q", r)
		}
		if old, ok := code[r]; ok {
			t.Errorf("%q has codes %d and %d", r, old, c)
		}
		code[r] = c
		if !fonts.Covers(r) {
			t.Errorf("Noto Sans has no glyph for %q (code %d)", r, c)
		}
	}
	for c := rune(0x20); c < 0x7f; c++ {
		if code[c] != int(c) {
			t.Errorf("ASCII %q has code %d", c, code[c])
		}
	}
	alphabets := map[string]string{
		"bs/hr/sr Latin": "ABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽabcčćdđefghijklmnoprsštuvzž",
		"sr Cyrillic":    "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСЋТУФХЦЧЏШабвгдђежзијклљмнњопрсћтуфхцчџш",
		"sq":             "ABCÇDEËFGHIJKLMNOPQRSTUVXYZabcçdeëfghijklmnopqrstuvxyz",
		"de/fr/it/nl/sv": "ÄÖÜäöüßÀÂÆÇÈÉÊËÎÏÔÙÛàâæçèéêëîïôùûÌÍÒÓÚìíòóúÅØåø",
		"tr/hu":          "ĞğİıŞşŐőŰű",
		"quotes, dashes": "„“”‘’–—…€",
	}
	for name, letters := range alphabets {
		for _, r := range letters {
			if _, ok := code[r]; !ok {
				t.Errorf("%s: %q has no code", name, r)
			}
		}
	}
	for _, r := range fieldLetters {
		if aglName(r) == "" {
			t.Errorf("%q has no glyph name", r)
		}
	}
}

// encodingLetters are the letters the field font can draw, in groups of
// ten, as a person might type them.
func encodingLetters(t testing.TB) string {
	t.Helper()
	enc, err := newFieldEncoding()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	n := 0
	for _, r := range enc.letters {
		if unicode.IsLetter(r) {
			if n > 0 && n%10 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			n++
		}
	}
	return b.String()
}

// Filled by pdftk and flattened, the form prints what was typed in Serbian
// Cyrillic, Bosnian and Albanian Latin, and every other letter the fields'
// font has: pdftk draws the values with the form's own font, and
// pdftotext reads them back from the drawing. Without flatten pdftk draws
// the same appearances; poppler redraws them (NeedAppearances), which
// pdftotext does not read.
func TestFillableFormFilledByPdftkPrints(t *testing.T) {
	for _, tool := range []string{"pdftk", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian packages pdftk-java, poppler-utils)", tool)
		}
	}
	values := map[string]string{
		"given_name":  "Ђорђе Љубица",
		"family_name": "Čaušević-Đurđević Ćorić Žužić",
		"parent_name": "Ћирило Џонић",
		"city":        "Gjakovë",
		"address":     "Rruga e Çarshisë 5, Müllerstraße 7",
		"profession":  "inxhiniere e ndërtimit",
		"country":     "Њемачка",
		"needs":       encodingLetters(t),
	}
	for _, lang := range []i18n.Lang{i18n.SR, i18n.BS, i18n.SQ} {
		dir := t.TempDir()
		blank := filepath.Join(dir, "blank.pdf")
		if err := os.WriteFile(blank, fillable(t, lang), 0o644); err != nil {
			t.Fatal(err)
		}
		var x strings.Builder
		x.WriteString(`<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>`)
		for name, v := range values {
			fmt.Fprintf(&x, `<field name="%s"><value>%s</value></field>`, name, v)
		}
		x.WriteString(`</fields></xfdf>`)
		xfdf := filepath.Join(dir, "data.xfdf")
		if err := os.WriteFile(xfdf, []byte(x.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		flat := filepath.Join(dir, "flat.pdf")
		run(t, "pdftk", blank, "fill_form", xfdf, "output", flat, "flatten")
		text := strings.Join(strings.Fields(pdfText(t, flat, 0, 0)), "")
		for name, v := range values {
			if want := strings.Join(strings.Fields(v), ""); !strings.Contains(text, want) {
				t.Errorf("%s: %s typed %q, printed text lacks it", lang, name, v)
			}
		}
	}
}

// The field font carries the glyphs of its encoding's letters, accents
// and all, and no others; a damaged font file is an error, not a panic.
func TestFillableFieldFontSubset(t *testing.T) {
	fd, err := fieldFont()
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(fd.program)
	if err != nil {
		t.Fatalf("the subset is not a font: %v", err)
	}
	var buf sfnt.Buffer
	outline := func(r rune) int {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			t.Fatalf("%q: glyph %d, %v", r, g, err)
		}
		segs, err := f.LoadGlyph(&buf, g, fixed.I(1000), nil)
		if err != nil {
			t.Fatalf("%q: %v", r, err)
		}
		return len(segs)
	}
	for _, r := range fd.enc.letters {
		if unicode.IsLetter(r) && outline(r) == 0 {
			t.Errorf("%q has no outline in the subset", r)
		}
	}
	for _, r := range "αЩѢ" { // Greek, Russian, Old Cyrillic: letters outside the encoding
		if outline(r) != 0 {
			t.Errorf("%q, outside the encoding, is kept", r)
		}
	}
	if len(fd.program) > len(fonts.Regular())/4 {
		t.Errorf("the subset is %d bytes of the font's %d", len(fd.program), len(fonts.Regular()))
	}
	for _, n := range []int{0, 11, 200, 5000, len(fonts.Regular()) / 2} {
		if _, err := subsetGlyphs(fonts.Regular()[:n], map[sfnt.GlyphIndex]bool{36: true}); err == nil {
			t.Errorf("a font cut at %d bytes is taken", n)
		}
	}
}
