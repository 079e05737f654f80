package odk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/exchange"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/store"
)

// fixedNow is the clock of the forms the tests build (the year rule's message).
var fixedNow = func() time.Time { return time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) }

// cazin are a few local communities as an office has them: two share a
// name (in two municipalities), one is written in Cyrillic.
func cazin() []*data.Locality {
	return []*data.Locality{
		{Name: "Pećigrad", Municipality: "Cazin"},
		{Name: "Cazin", Municipality: "Cazin"},
		{Name: "Donja Lastva", Municipality: "Cazin"},
		{Name: "Ostrožac", Municipality: "Cazin"},
		{Name: "Ostrožac", Municipality: "Jablanica"},
		{Name: "Врело", Municipality: "Cazin"},
	}
}

func newForm(t testing.TB, k data.Kind, locs []*data.Locality, lang i18n.Lang) *Form {
	t.Helper()
	f, err := New(k, locs, Options{Lang: lang, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func question(t testing.TB, f *Form, name string) Question {
	t.Helper()
	for _, q := range f.Questions {
		if q.Name == name {
			return q
		}
	}
	t.Fatalf("%s form has no question %s", f.Kind, name)
	return Question{}
}

func list(t testing.TB, f *Form, name string) List {
	t.Helper()
	for _, l := range f.Lists {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("%s form has no list %s", f.Kind, name)
	return List{}
}

// Every field the export writes is either asked by the form, under the
// export's own name, or deliberately left out; and the form asks nothing
// the import would not know (notes and calculations aside).
func TestEveryFieldAskedOrLeftOut(t *testing.T) {
	for _, k := range FormKinds {
		f := newForm(t, k, cazin(), i18n.EN)
		asked := map[string]bool{}
		for _, q := range f.Questions {
			asked[q.Name] = true
		}
		out := map[string]bool{}
		for _, n := range leftOut[k] {
			out[n] = true
		}
		export := map[string]bool{}
		for _, fd := range exchange.Fields(k) {
			export[fd.Name] = true
			if asked[fd.Name] == out[fd.Name] {
				t.Errorf("%s: field %s is asked=%v and left out=%v: it must be exactly one", k, fd.Name, asked[fd.Name], out[fd.Name])
			}
		}
		for _, q := range f.Questions {
			if q.Type != Note && !export[q.Name] {
				t.Errorf("%s: question %s is not a field of the export", k, q.Name)
			}
			if q.Type == Note && export[q.Name] {
				t.Errorf("%s: note %s takes an export field's name", k, q.Name)
			}
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, c := range []struct {
		in   string
		want data.Kind
	}{
		{"persons", data.KindPerson}, {"person", data.KindPerson}, {"Persons", data.KindPerson},
		{"businesses", data.KindBusiness}, {"organisations", data.KindOrganisation},
		{"organizations", data.KindOrganisation}, {"org", data.KindOrganisation},
	} {
		if got, err := ParseKind(c.in, i18n.EN); err != nil || got != c.want {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"localities", "locality", "cats", ""} {
		_, err := ParseKind(bad, i18n.BS)
		var ke *KindError
		if !errors.As(err, &ke) {
			t.Errorf("ParseKind(%q): %v, want a *KindError", bad, err)
			continue
		}
		if want := i18n.T(i18n.BS, "odk.error.kind", "param", bad); err.Error() != want || strings.Contains(err.Error(), "odk.") {
			t.Errorf("ParseKind(%q) says %q, want %q", bad, err, want)
		}
	}
	if _, err := New(data.KindLocality, nil, Options{}); err == nil {
		t.Error("New made a form for local communities")
	}
}

// The required flags and constraints come from the model's validate tags.
func TestRulesMirrorTheModel(t *testing.T) {
	p := newForm(t, data.KindPerson, cazin(), i18n.BS)
	for _, c := range []struct {
		name       string
		required   bool
		constraint string // "" for none
		msgKey     string // a catalogue key the message contains
	}{
		{"given_name", true, "string-length(.) <= 100", "validate.max.string"},
		{"family_name", true, "string-length(.) <= 100", "validate.max.string"},
		{"parent_name", false, "string-length(.) <= 100", "validate.max.string"},
		{"birth_date", true, minAge(18), "validate.minage"},
		{"country", true, "", ""},
		{"gender", false, "", ""},
		{"email", false, emailShape + " and string-length(.) <= 254", "validate.email"},
		{"phone", false, phoneShape, "odk.constraint.phone"},
		{"address", false, "string-length(.) <= 300", "validate.max.string"},
		{"needs", false, "string-length(.) <= 2000", "validate.max.string"},
		{"emigration_year", false, ". >= 1900 and . <= " + thisYear, "validate.year"},
		{"days_home_per_year", false, ". >= 0 and . <= 366", "validate.max.number"},
		{"interests", false, "", ""},
		{"languages", false, "", ""},
	} {
		q := question(t, p, c.name)
		if q.Required != c.required || q.Constraint != c.constraint {
			t.Errorf("%s: required %v constraint %q; want %v %q", c.name, q.Required, q.Constraint, c.required, c.constraint)
		}
		if c.msgKey == "" {
			if q.ConstraintMsg != nil {
				t.Errorf("%s: a constraint message without a constraint", c.name)
			}
			continue
		}
		for _, l := range Languages {
			want := i18n.T(l, c.msgKey, "field", data.FieldLabel(c.name, l))
			head, _, _ := strings.Cut(want, "{param}")
			if !strings.Contains(q.ConstraintMsg[l], head) || strings.Contains(q.ConstraintMsg[l], "{") {
				t.Errorf("%s in %s: message %q, want it to say %q", c.name, l, q.ConstraintMsg[l], want)
			}
		}
	}
	// The messages name numbers as the validator does, and the year rule the
	// current year.
	if got := question(t, p, "birth_date").RequiredMsg[i18n.BS]; got != i18n.T(i18n.BS, "validate.adult.required", "field", "Datum rođenja") {
		t.Errorf("birth date's required message: %q", got)
	}
	if got := question(t, p, "emigration_year").ConstraintMsg[i18n.EN]; !strings.Contains(got, "1900 to 2026") {
		t.Errorf("year message %q does not name 2026", got)
	}
	b := newForm(t, data.KindBusiness, nil, i18n.BS)
	if got := question(t, b, "employees").ConstraintMsg[i18n.BS]; !strings.Contains(got, "1.000.000") {
		t.Errorf("employees' message %q does not write 1.000.000 the Bosnian way", got)
	}
	if got := question(t, b, "website").Constraint; got != urlShape+" and string-length(.) <= 300" {
		t.Errorf("website constraint %q", got)
	}
	o := newForm(t, data.KindOrganisation, nil, i18n.EN)
	if q := question(t, o, "org_kind"); !q.Required || q.Type != SelectOne || q.List != data.GroupOrgKind {
		t.Errorf("org_kind: %+v", q)
	}
}

// The lists offer exactly what the import reads back: codes, ISO country
// codes, yes/no, and local communities by a name that folds like theirs.
func TestListsOfferWhatTheImportReads(t *testing.T) {
	f := newForm(t, data.KindPerson, cazin(), i18n.HR)
	groups := map[string]string{"gender": data.GroupGender, "education": data.GroupEducation,
		"generation": data.GroupGeneration, "interest": data.GroupInterest}
	for name, group := range groups {
		l := list(t, f, name)
		if len(l.Choices) == 0 {
			t.Errorf("list %s is empty", name)
		}
		for _, c := range l.Choices {
			if code, ok := data.ParseValue(group, c.Name); !ok || code != c.Name {
				t.Errorf("list %s: choice %q reads as %q, %v", name, c.Name, code, ok)
			}
			for _, lang := range Languages {
				if c.Label[lang] != data.ValueLabel(group, c.Name, lang) {
					t.Errorf("list %s: %s in %s is labelled %q", name, c.Name, lang, c.Label[lang])
				}
			}
		}
	}
	if got := len(list(t, f, "generation").Choices); got != 3 {
		t.Errorf("%d generations, want 3", got)
	}
	for _, c := range list(t, f, listYesNo).Choices {
		if _, ok := data.ParseYesNo(c.Name); !ok {
			t.Errorf("yes/no choice %q is not read as yes or no", c.Name)
		}
	}
	countries := list(t, f, listCountry)
	if len(countries.Choices) < 240 {
		t.Errorf("only %d countries", len(countries.Choices))
	}
	seen := map[string]bool{}
	for _, c := range countries.Choices {
		if code, ok := data.ParseCountry(c.Name); !ok || code != c.Name || seen[c.Name] {
			t.Errorf("country choice %q reads as %q, %v (seen before: %v)", c.Name, code, ok, seen[c.Name])
		}
		seen[c.Name] = true
		for _, l := range Languages {
			if c.Label[l] != data.CountryName(c.Name, l) {
				t.Errorf("%s in %s is labelled %q", c.Name, l, c.Label[l])
			}
		}
	}
	// In the default language's alphabetical order (Croatian here).
	for i, c := range data.Countries(i18n.HR) {
		if countries.Choices[i].Name != c.Code {
			t.Fatalf("country %d is %s, want %s (Croatian order)", i, countries.Choices[i].Name, c.Code)
		}
	}

	locs := list(t, f, listLocality)
	want := map[string]string{ // label → choice name
		"Cazin": "cazin", "Donja Lastva": "donja_lastva", "Pećigrad": "pecigrad",
		"Ostrožac (Cazin)": "ostrozac_cazin", "Ostrožac (Jablanica)": "ostrozac_jablanica", "Врело": "vrelo",
	}
	if len(locs.Choices) != len(want) {
		t.Fatalf("%d local communities, want %d", len(locs.Choices), len(want))
	}
	prev := ""
	for _, c := range locs.Choices {
		label := c.Label[i18n.EN]
		if want[label] != c.Name {
			t.Errorf("%q has choice name %q, want %q", label, c.Name, want[label])
		}
		if fold.Key(c.Name) != fold.Key(label) {
			t.Errorf("%q folds to %q, its label to %q: the import would not find it", c.Name, fold.Key(c.Name), fold.Key(label))
		}
		if fold.Key(label) < prev {
			t.Errorf("%q is out of alphabetical order", label)
		}
		prev = fold.Key(label)
	}
}

func TestLocalityChoiceNames(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Pećigrad", "pecigrad"},
		{"Пећиград", "pecigrad"},
		{"Donja  Lastva", "donja_lastva"},
		{"Đurđevik", "durdevik"},
		{"Djurdjevik", "durdevik"},
		{"Gjilan / Gnjilane", "gjilan_gnjilane"},
		{"MZ 1. maj", "mz_1_maj"},
		{"Kërnicë", "kernice"},
		{"—", "locality"},
		{"", "locality"},
	} {
		if got := LocalityChoiceName(c.in); got != c.want {
			t.Errorf("LocalityChoiceName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Two with the same folded label keep distinct names.
	twice := []*data.Locality{{Name: "Ravna", Municipality: "Cazin"}, {Name: "Ravna", Municipality: "Cazin"}, {Name: "ravna", Municipality: "Cazin"}}
	seen := map[string]bool{}
	for _, c := range localityChoices(twice) {
		if seen[c.Name] {
			t.Errorf("choice name %q given twice", c.Name)
		}
		seen[c.Name] = true
	}
}

// Without local communities in the registry, the form asks for the name.
func TestNoLocalitiesAsksForText(t *testing.T) {
	f := newForm(t, data.KindPerson, nil, i18n.BS)
	q := question(t, f, "locality_id")
	if q.Type != Text || q.List != "" || q.Hint[i18n.BS] != i18n.T(i18n.BS, "odk.hint.locality") {
		t.Errorf("locality question without localities: %+v", q)
	}
	for _, l := range f.Lists {
		if l.Name == listLocality {
			t.Error("an empty list of local communities was written")
		}
	}
}

func TestVersionFollowsTheLists(t *testing.T) {
	a := newForm(t, data.KindPerson, cazin(), i18n.BS)
	b := newForm(t, data.KindPerson, cazin(), i18n.BS)
	if a.Version != b.Version {
		t.Fatalf("same lists, versions %s and %s", a.Version, b.Version)
	}
	if len(a.Version) != 10 || strings.Trim(a.Version, "0123456789") != "" {
		t.Errorf("version %q is not ten digits", a.Version)
	}
	// The order localities come from the store does not matter.
	rev := cazin()
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if v := newForm(t, data.KindPerson, rev, i18n.BS).Version; v != a.Version {
		t.Errorf("localities in another order give version %s, want %s", v, a.Version)
	}
	versions := map[string]string{a.Version: "cazin"}
	more := append(cazin(), &data.Locality{Name: "Tržac", Municipality: "Cazin"})
	renamed := cazin()
	renamed[0].Name = "Pećigrad Gornji"
	for what, f := range map[string]*Form{
		"one more":   newForm(t, data.KindPerson, more, i18n.BS),
		"renamed":    newForm(t, data.KindPerson, renamed, i18n.BS),
		"none":       newForm(t, data.KindPerson, nil, i18n.BS),
		"english":    newForm(t, data.KindPerson, cazin(), i18n.EN),
		"businesses": newForm(t, data.KindBusiness, cazin(), i18n.BS),
	} {
		if other, dup := versions[f.Version]; dup {
			t.Errorf("%s and %s share version %s", what, other, f.Version)
		}
		versions[f.Version] = what
	}
}

// xformDoc is the part of an XForm the tests read back.
type xformDoc struct {
	Title string `xml:"head>title"`
	Model struct {
		Translations []struct {
			Lang    string `xml:"lang,attr"`
			Default string `xml:"default,attr"`
			Texts   []struct {
				ID    string `xml:"id,attr"`
				Value string `xml:"value"`
			} `xml:"text"`
		} `xml:"itext>translation"`
		Instances []struct {
			ID    string `xml:"id,attr"`
			Items []struct {
				ItextID string `xml:"itextId"`
				Name    string `xml:"name"`
			} `xml:"root>item"`
		} `xml:"instance"`
		Binds []struct {
			Nodeset       string `xml:"nodeset,attr"`
			Type          string `xml:"type,attr"`
			Required      string `xml:"required,attr"`
			Constraint    string `xml:"constraint,attr"`
			ConstraintMsg string `xml:"http://openrosa.org/javarosa constraintMsg,attr"`
			Calculate     string `xml:"calculate,attr"`
			Readonly      string `xml:"readonly,attr"`
			Preload       string `xml:"http://openrosa.org/javarosa preload,attr"`
		} `xml:"bind"`
	} `xml:"head>model"`
	Body struct {
		Controls []struct {
			XMLName    xml.Name
			Ref        string `xml:"ref,attr"`
			Appearance string `xml:"appearance,attr"`
			Label      struct {
				Ref string `xml:"ref,attr"`
			} `xml:"label"`
			Itemset struct {
				Nodeset string `xml:"nodeset,attr"`
			} `xml:"itemset"`
		} `xml:",any"`
	} `xml:"body"`
}

func readXForm(t testing.TB, b []byte) xformDoc {
	t.Helper()
	var doc xformDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the XForm is not well-formed XML: %v", err)
	}
	return doc
}

// sheetRows reads a sheet of the XLSForm as maps from header to cell.
func sheetRows(t testing.TB, x *excelize.File, sheet string) []map[string]string {
	t.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	if len(rows) == 0 {
		t.Fatalf("sheet %s is empty", sheet)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// The XLSForm and the XForm, read back from their bytes, say the same
// things: the same questions with the same types, rules and labels, the
// same lists, the same settings.
func TestXLSFormAndXFormAgree(t *testing.T) {
	for _, k := range FormKinds {
		f := newForm(t, k, cazin(), i18n.SQ)
		var xb, xl bytes.Buffer
		if err := f.WriteXForm(&xb); err != nil {
			t.Fatal(err)
		}
		if err := f.WriteXLSForm(&xl); err != nil {
			t.Fatal(err)
		}
		doc := readXForm(t, xb.Bytes())
		x, err := excelize.OpenReader(&xl)
		if err != nil {
			t.Fatal(err)
		}
		if got := x.GetSheetList(); strings.Join(got, ",") != "survey,choices,settings" {
			t.Errorf("%s: sheets %v", k, got)
		}
		// The columns are XLSForm's own names (pyxform's aliases.py), the
		// translated ones with a language of the form.
		known := map[string]map[string]bool{
			sheetSurvey: {"type": true, "name": true, "label": true, "hint": true, "required": true, "required_message": true,
				"constraint": true, "constraint_message": true, "appearance": true, "calculation": true},
			sheetChoices:  {"list_name": true, "name": true, "label": true},
			sheetSettings: {"form_title": true, "form_id": true, "version": true, "default_language": true, "instance_name": true},
		}
		langNames := map[string]bool{}
		for _, l := range Languages {
			langNames[LanguageName(l)] = true
		}
		for sheet, cols := range known {
			rows, _ := x.GetRows(sheet)
			// KoboToolbox and ODK Central read it with pyxform, which reads
			// a sheet with openpyxl in read-only mode only as far as its
			// dimension says (excelize's stream writer leaves A1).
			last, _ := excelize.CoordinatesToCellName(len(rows[0]), len(rows))
			if dim, err := x.GetSheetDimension(sheet); err != nil || dim != "A1:"+last {
				t.Errorf("%s: sheet %s has the dimension %q (%v), want A1:%s", k, sheet, dim, err, last)
			}
			for _, h := range rows[0] {
				base, lang, translatedCol := strings.Cut(h, "::")
				if !cols[base] || translatedCol && !langNames[lang] {
					t.Errorf("%s: sheet %s has a column %q XLSForm does not know", k, sheet, h)
				}
			}
		}
		settings := sheetRows(t, x, sheetSettings)
		if len(settings) != 1 {
			t.Fatalf("%s: %d settings rows", k, len(settings))
		}
		s := settings[0]
		if s["form_id"] != "registar-"+formSlugs[k] || s["version"] != f.Version || s["default_language"] != "Shqip (sq)" ||
			s["form_title"] != doc.Title || s["instance_name"] != f.InstanceName {
			t.Errorf("%s: settings %v (XForm title %q, version %s)", k, s, doc.Title, f.Version)
		}
		if !bytes.Contains(xb.Bytes(), []byte(`<data id="registar-`+formSlugs[k]+`" version="`+f.Version+`">`)) {
			t.Errorf("%s: the XForm's instance root has another id or version", k)
		}

		// Translations: six, the default first and marked.
		var langs []string
		for i, tr := range doc.Model.Translations {
			langs = append(langs, tr.Lang)
			if (tr.Default == "true()") != (i == 0) {
				t.Errorf("%s: translation %s default=%q", k, tr.Lang, tr.Default)
			}
		}
		if strings.Join(langs, "|") != "Shqip (sq)|Bosanski (bs)|Hrvatski (hr)|Српски (sr)|Srpski (sr-Latn)|English (en)" {
			t.Errorf("%s: translations %v", k, langs)
		}
		itext := map[string]map[string]string{} // lang → id → text
		for _, tr := range doc.Model.Translations {
			itext[tr.Lang] = map[string]string{}
			for _, tx := range tr.Texts {
				itext[tr.Lang][tx.ID] = tx.Value
			}
		}
		for _, tr := range doc.Model.Translations[1:] {
			if len(tr.Texts) != len(doc.Model.Translations[0].Texts) {
				t.Errorf("%s: %s has %d texts, the default %d", k, tr.Lang, len(tr.Texts), len(doc.Model.Translations[0].Texts))
			}
		}

		binds := map[string]int{}
		for i, b := range doc.Model.Binds {
			binds[strings.TrimPrefix(b.Nodeset, "/data/")] = i
		}
		controls := map[string]int{}
		for i, c := range doc.Body.Controls {
			controls[strings.TrimPrefix(c.Ref, "/data/")] = i
		}
		survey := sheetRows(t, x, sheetSurvey)
		if len(survey) != len(f.Questions) {
			t.Fatalf("%s: %d survey rows for %d questions", k, len(survey), len(f.Questions))
		}
		for _, row := range survey {
			name := row["name"]
			bi, ok := binds[name]
			if !ok {
				t.Errorf("%s: %s has no bind", k, name)
				continue
			}
			b := doc.Model.Binds[bi]
			typ, list, _ := strings.Cut(row["type"], " ")
			wantType := map[string]string{"text": "string", "date": "date", "integer": "int"}[typ]
			if wantType == "" {
				wantType = "string"
			}
			if b.Type != wantType {
				t.Errorf("%s: %s is %s in the XLSForm, %s in the XForm", k, name, row["type"], b.Type)
			}
			if (row["required"] == "yes") != (b.Required == "true()") {
				t.Errorf("%s: %s required %q vs %q", k, name, row["required"], b.Required)
			}
			if xpath(row["constraint"]) != b.Constraint || xpath(row["calculation"]) != b.Calculate {
				t.Errorf("%s: %s rules differ: %q/%q vs %q/%q", k, name, row["constraint"], row["calculation"], b.Constraint, b.Calculate)
			}
			if (typ == "note") != (b.Readonly == "true()") {
				t.Errorf("%s: %s readonly=%q", k, name, b.Readonly)
			}
			ci, shown := controls[name]
			if shown == (typ == "calculate") {
				t.Errorf("%s: %s (%s) shown in the body: %v", k, name, typ, shown)
			}
			if shown {
				c := doc.Body.Controls[ci]
				wantEl := map[string]string{"select_one": "select1", "select_multiple": "select"}[typ]
				if wantEl == "" {
					wantEl = "input"
				}
				if c.XMLName.Local != wantEl || c.Appearance != row["appearance"] {
					t.Errorf("%s: %s is <%s appearance=%q>, want <%s appearance=%q>", k, name, c.XMLName.Local, c.Appearance, wantEl, row["appearance"])
				}
				if list != "" && c.Itemset.Nodeset != "instance('"+list+"')/root/item" {
					t.Errorf("%s: %s itemset %q", k, name, c.Itemset.Nodeset)
				}
				for _, l := range Languages {
					if got := itext[LanguageName(l)]["/data/"+name+":label"]; got != row["label::"+LanguageName(l)] {
						t.Errorf("%s: %s label in %s: XForm %q, XLSForm %q", k, name, l, got, row["label::"+LanguageName(l)])
					}
				}
			}
			for _, l := range Languages {
				if got := itext[LanguageName(l)]["/data/"+name+":jr:constraintMsg"]; got != row["constraint_message::"+LanguageName(l)] {
					t.Errorf("%s: %s constraint message in %s: XForm %q, XLSForm %q", k, name, l, got, row["constraint_message::"+LanguageName(l)])
				}
			}
		}
		if b := doc.Model.Binds[binds["meta/instanceID"]]; b.Preload != "uid" || b.Readonly != "true()" {
			t.Errorf("%s: instanceID bind %+v", k, b)
		}

		// The choices: every row of the sheet is an item of its list's
		// instance, with the same labels.
		choices := sheetRows(t, x, sheetChoices)
		n := 0
		for _, l := range f.Lists {
			n += len(l.Choices)
		}
		if len(choices) != n {
			t.Errorf("%s: %d choice rows, the lists have %d", k, len(choices), n)
		}
		items := map[string]string{} // itextId → name
		for _, in := range doc.Model.Instances {
			for _, it := range in.Items {
				if !strings.HasPrefix(it.ItextID, in.ID+"-") {
					t.Errorf("%s: item %s in instance %s", k, it.ItextID, in.ID)
				}
				items[it.ItextID] = it.Name
			}
		}
		if len(items) != n {
			t.Errorf("%s: %d items in the XForm's lists, %d in the XLSForm's", k, len(items), n)
		}
		index := map[string]int{}
		for _, row := range choices {
			id := fmt.Sprintf("%s-%d", row["list_name"], index[row["list_name"]])
			index[row["list_name"]]++
			for _, l := range Languages {
				if got := itext[LanguageName(l)][id]; got != row["label::"+LanguageName(l)] {
					t.Errorf("%s: choice %s (%s) in %s: XForm %q, XLSForm %q", k, id, row["name"], l, got, row["label::"+LanguageName(l)])
				}
			}
			if items[id] != row["name"] {
				t.Errorf("%s: item %s is named %q in the XForm, %q in the XLSForm", k, id, items[id], row["name"])
			}
		}
	}
}

// A local community's name, whatever it holds, never breaks the XForm.
func FuzzLocalityNameInXForm(f *testing.F) {
	for _, s := range []string{"Pećigrad", `<&>"'`, "a\x00b\x1fc", "]]>", "Врело\n\tnovo", "\uFFFE\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		form, err := New(data.KindPerson, []*data.Locality{{Name: name, Municipality: "Cazin"}}, Options{Lang: i18n.BS, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := form.WriteXForm(&b); err != nil {
			t.Fatal(err)
		}
		doc := readXForm(t, b.Bytes())
		var label string
		for _, tx := range doc.Model.Translations[0].Texts {
			if tx.ID == "locality-0" {
				label = tx.Value
			}
		}
		want := strings.Map(func(r rune) rune {
			if !xmlChar(r) || r == '\r' {
				return -1
			}
			return r
		}, name)
		if want != strings.ReplaceAll(label, "\r", "") {
			t.Errorf("label %q read back as %q", want, label)
		}
		c := form.Lists[len(form.Lists)-1]
		for _, l := range form.Lists {
			if l.Name == listLocality {
				c = l
			}
		}
		if strings.ContainsAny(c.Choices[0].Name, " \t\n") {
			t.Errorf("choice name %q has white space", c.Choices[0].Name)
		}
	})
}

func TestWriteFiles(t *testing.T) {
	f := newForm(t, data.KindPerson, cazin(), i18n.BS)
	dir := filepath.Join(t.TempDir(), "new", "forms")
	xlsform, xform, err := WriteFiles(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(xlsform) != "registar-persons.xlsx" || filepath.Base(xform) != "registar-persons.xml" {
		t.Errorf("files %s, %s", xlsform, xform)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in the folder, want the two forms and nothing else", len(entries))
	}
	b, err := os.ReadFile(xform)
	if err != nil {
		t.Fatal(err)
	}
	readXForm(t, b)

	// A file where the folder should be, and a folder one may not write.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	cases := map[string]string{file: "odk.reason.notdir", filepath.Join(file, "sub"): "odk.reason.notdir"}
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		ro := filepath.Join(t.TempDir(), "ro")
		os.Mkdir(ro, 0o555)
		cases[ro] = "odk.reason.permission"
	}
	for dir, reason := range cases {
		_, _, err := WriteFiles(dir, f)
		var fe *FolderError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a *FolderError", dir, err)
			continue
		}
		head, _, _ := strings.Cut(i18n.T(i18n.BS, reason), "{")
		if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, head) || strings.Contains(msg, "\n") {
			t.Errorf("%s: message %q should name the folder and say %q, on one line", dir, msg, head)
		}
	}
}

func TestFromStoreSkipsTrashed(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true, User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, l := range cazin() {
		if err := st.Save(l); err != nil {
			t.Fatal(err)
		}
	}
	gone := &data.Locality{Name: "Stari Grad", Municipality: "Cazin"}
	if err := st.Save(gone); err != nil {
		t.Fatal(err)
	}
	if err := st.Trash(gone.ID); err != nil {
		t.Fatal(err)
	}
	f, err := FromStore(st, data.KindPerson, Options{Lang: i18n.BS, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	l := list(t, f, listLocality)
	if len(l.Choices) != len(cazin()) {
		t.Errorf("%d local communities, want %d", len(l.Choices), len(cazin()))
	}
	for _, c := range l.Choices {
		if c.Name == "stari_grad" {
			t.Error("a trashed local community is offered")
		}
	}
	if v := newForm(t, data.KindPerson, cazin(), i18n.BS).Version; v != f.Version {
		t.Errorf("the store's form has version %s, the same list in memory %s", f.Version, v)
	}
}
