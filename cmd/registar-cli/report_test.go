package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/store"
)

func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdffonts", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (poppler-utils; `make test` installs it)", tool)
		}
	}
}

func pdfTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func reportText(t *testing.T, path string) string {
	t.Helper()
	return strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
}

var pdfPagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func reportPages(t *testing.T, path string) int {
	t.Helper()
	m := pdfPagesRe.FindStringSubmatch(pdfTool(t, "pdfinfo", path))
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func fontsEmbedded(t *testing.T, path string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(pdfTool(t, "pdffonts", path)), "\n")
	if len(lines) < 3 {
		t.Fatalf("%s: no fonts", path)
	}
	for _, l := range lines[2:] {
		if f := strings.Fields(l); len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("%s: font not embedded: %s", path, l)
		}
	}
}

type searchHit struct {
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	ConsentPublish struct {
		Given bool `json:"given"`
	} `json:"consent_publish"`
}

// consentedAndNot finds, through the CLI's own search, a person whose
// name matches q and who consented to publication, and one who did not.
func consentedAndNot(t *testing.T, db, q string) (yes, no string) {
	t.Helper()
	var hits []searchHit
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "search", q, "--kind", "person", "--json", "--limit", "0")), &hits); err != nil {
		t.Fatal(err)
	}
	names := map[string][]bool{}
	for _, h := range hits {
		n := h.GivenName + " " + h.FamilyName
		names[n] = append(names[n], h.ConsentPublish.Given)
	}
	// A name that also stands in a business or an organisation (its owner,
	// its contact person) is printed with that entry, which consented: it
	// says nothing about the person's own consent.
	for _, kind := range []string{"business", "organisation"} {
		others := mustCLI(t, nil, "--db", db, "search", q, "--kind", kind, "--json", "--limit", "0")
		for n := range names {
			if strings.Contains(others, n) {
				delete(names, n)
			}
		}
	}
	for n, c := range names {
		if len(c) != 1 { // a name two persons share says nothing
			continue
		}
		if c[0] && yes == "" {
			yes = n
		}
		if !c[0] && no == "" {
			no = n
		}
	}
	return yes, no
}

func TestReportPocketBookFromTheShell(t *testing.T) {
	needPoppler(t)
	db := demoStore(t)
	out := filepath.Join(t.TempDir(), "knjiga.pdf")
	msg := mustCLI(t, nil, "--db", db, "report", "pocketbook", "--out", out, "--lang", "sr")
	if !strings.Contains(msg, "pocketbook") || !strings.Contains(msg, "entries") {
		t.Fatalf("stdout: %q", msg)
	}
	fontsEmbedded(t, out)
	text := reportText(t, out)
	for _, want := range []string{"Садржај", "Регистар имена", "Предговор", "Аустрија", "Немачка"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing", want)
		}
	}
	checked := 0
	for _, q := range []string{"Петровић", "Çelik", "hodžić", "Krasniqi", "Ђорђе", "Kovačević"} {
		yes, no := consentedAndNot(t, db, q)
		if yes != "" {
			checked++
			if !strings.Contains(text, yes) {
				t.Errorf("%q consented to publication and is missing", yes)
			}
		}
		if no != "" {
			checked++
			if strings.Contains(text, no) {
				t.Errorf("%q did not consent to publication and is printed", no)
			}
		}
	}
	if checked < 4 {
		t.Fatalf("only %d consent checks: the demo data changed?", checked)
	}
}

func TestReportBookletFromTheShell(t *testing.T) {
	needPoppler(t)
	db := demoStore(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		up   int
	}{
		{[]string{"pocketbook", "--size", "a6", "--booklet", "long", "--countries", "Austrija,CH"}, 4},
		{[]string{"pocketbook", "--size", "a5", "--booklet", "short", "--kinds", "organisation,business"}, 2},
		{[]string{"brochure", "--booklet", "short", "--lang", "sq"}, 2},
		{[]string{"statistics", "--booklet", "long"}, 2},
		{[]string{"form", "--booklet", "short", "--lang", "bs"}, 2},
	} {
		out := filepath.Join(dir, c.args[0]+".pdf")
		msg := mustCLI(t, nil, append([]string{"--db", db, "report", "--out", out}, c.args...)...)
		m := regexp.MustCompile(`(\d+) pages(?:, \d+ entries)?; imposed as a booklet on (\d+) A4 sheets?`).FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("%v: stdout %q", c.args, msg)
		}
		pages, _ := strconv.Atoi(m[1])
		sheets, _ := strconv.Atoi(m[2])
		if pages%4 != 0 || (c.up == 4 && pages%8 != 0) {
			t.Errorf("%v: %d pages, not whole sheets", c.args, pages)
		}
		if n := reportPages(t, out); n != 2*sheets || n != pages/c.up {
			t.Errorf("%v: the PDF has %d A4 pages for %d pages on %d sheets", c.args, n, pages, sheets)
		}
		fontsEmbedded(t, out)
	}
}

func TestReportEveryPublicationAndLanguage(t *testing.T) {
	needPoppler(t)
	db := demoStore(t)
	dir := t.TempDir()
	want := map[string]map[string]string{
		"pocketbook": {"bs": "Sadržaj", "hr": "Kazalo imena", "sr": "Садржај", "sr-Latn": "Registar imena", "sq": "Përmbajtja", "en": "Index of names"},
		"brochure":   {"bs": "Šta nudimo", "hr": "Što nudimo", "sr": "Шта нудимо", "sr-Latn": "Šta nudimo", "sq": "Çfarë ofrojmë", "en": "What we offer"},
		"statistics": {"bs": "Osobe po spolu", "hr": "Osobe po spolu", "sr": "Особе по полу", "sr-Latn": "Osobe po polu", "sq": "Personat sipas gjinisë", "en": "Persons by gender"},
		"form":       {"bs": "Saglasnost", "hr": "Suglasnost", "sr": "Сагласност", "sr-Latn": "Saglasnost", "sq": "Pëlqimi", "en": "Consent"},
	}
	for pub, langs := range want {
		for lang, heading := range langs {
			out := filepath.Join(dir, pub+"-"+lang+".pdf")
			mustCLI(t, nil, "--db", db, "--lang", lang, "report", pub, "--out", out)
			if text := reportText(t, out); !strings.Contains(text, heading) {
				t.Errorf("%s in %s: %q missing", pub, lang, heading)
			}
		}
	}
}

func TestReportOfficeAndForm(t *testing.T) {
	needPoppler(t)
	dir := t.TempDir()
	// the form is printed without any registry, and makes none
	nodb := filepath.Join(dir, "no-registry")
	out := filepath.Join(dir, "obrazac.pdf")
	r := cli(t, nil, "--db", nodb, "report", "form", "--out", out, "--lang", "sq", "--logo", filepath.Join(dir, "missing.png"))
	if r.code != 0 || !strings.Contains(r.stderr, "no logo") {
		t.Fatalf("form with a missing logo: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(nodb); err == nil {
		t.Error("printing the form created a registry")
	}
	if text := reportText(t, out); !strings.Contains(text, "Regjistri i diasporës: formular regjistrimi") {
		t.Errorf("form text: %s", text)
	}

	// the office's details come from the registry's settings
	db := filepath.Join(dir, "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "60", "--seed", "2")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	office, _ := data.Office{Name: "Zyra për Diasporë Gjilan", Email: "diaspora@gjilan.org", Phone: "+38328000000"}.JSON()
	if err := st.SetSetting(data.OfficeSetting, office); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out = filepath.Join(dir, "libri.pdf")
	mustCLI(t, nil, "--db", db, "report", "pocketbook", "--out", out, "--lang", "sq", "--title", "Libri i Gjilanit 😀")
	text := reportText(t, out)
	for _, want := range []string{"Zyra për Diasporë Gjilan", "diaspora@gjilan.org", "Libri i Gjilanit", "Na kontaktoni"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing", want)
		}
	}
	// --office overrides the registry's details
	of := filepath.Join(dir, "office.json")
	os.WriteFile(of, []byte(`{"name":"Ured za dijasporu Bihać","foreword":"Dragi naši,\nsretno!"}`), 0o600)
	mustCLI(t, nil, "--db", db, "report", "pocketbook", "--out", out, "--lang", "bs", "--office", of, "--fields", "role,email")
	if text := reportText(t, out); !strings.Contains(text, "Ured za dijasporu Bihać") || !strings.Contains(text, "Dragi naši") {
		t.Errorf("--office not used: %s", text[:min(400, len(text))])
	}
}

func TestReportMisuse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	out := filepath.Join(t.TempDir(), "x.pdf")
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"report"}, 2, "give one publication"},
		{[]string{"report", "poster", "--out", out}, 2, "unknown publication"},
		{[]string{"report", "pocketbook"}, 2, "--out"},
		{[]string{"report", "pocketbook", "--out", out, "--booklet", "sideways"}, 2, "unknown booklet binding"},
		{[]string{"report", "pocketbook", "--out", out, "--size", "a4"}, 2, "A6 or A5"},
		{[]string{"report", "statistics", "--out", out, "--size", "b5"}, 2, "unknown page size"},
		{[]string{"report", "pocketbook", "--out", out, "--lang", "klingon"}, 2, "unknown language"},
		{[]string{"report", "pocketbook", "--out", out, "--kinds", "locality"}, 2, "--kinds"},
		{[]string{"report", "pocketbook", "--out", out, "--countries", "Atlantis"}, 2, "unknown country"},
		{[]string{"report", "pocketbook", "--out", out, "--fields", "shoe_size"}, 2, "--fields"},
		{[]string{"report", "pocketbook", "--out", out, "--office", "/nonexistent/office.json"}, 1, "no such file"},
		{[]string{"report", "pocketbook", "--out", "/nonexistent/dir/x.pdf"}, 1, "no such file"},
	}
	for _, c := range cases {
		r := cli(t, nil, append([]string{"--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: a user error must be one line: %q", c.args, r.stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed report left a file behind")
	}
}

// formFieldTypes lists a PDF's form fields by name with their types and
// choices, as pdfcpu reads them.
func formFieldTypes(t *testing.T, path string) (types, opts map[string]string) {
	t.Helper()
	api.DisableConfigDir()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	fields, err := api.FormFields(f, conf)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	types, opts = map[string]string{}, map[string]string{}
	for _, fd := range fields {
		types[fd.Name], opts[fd.Name] = fd.Typ.String(), fd.Opts
	}
	return types, opts
}

// `report form --fillable` writes, with no registry, a PDF form whose
// fields are named as the export names them, with the country list in the
// form's language; any other publication, or a booklet, is misuse.
func TestReportFillableFormFromTheShell(t *testing.T) {
	dir := t.TempDir()
	nodb := filepath.Join(dir, "no-registry")
	for _, lang := range []i18n.Lang{i18n.BS, i18n.SR} {
		out := filepath.Join(dir, "obrazac-"+string(lang)+".pdf")
		stdout := mustCLI(t, nil, "--db", nodb, "report", "form", "--fillable", "--out", out, "--lang", string(lang))
		if !strings.Contains(stdout, "fillable form") {
			t.Errorf("%s: stdout %q", lang, stdout)
		}
		head, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(head), "%PDF-") || !strings.Contains(string(head), "/AcroForm") {
			t.Fatalf("%s: not a PDF form: %q", lang, head[:min(20, len(head))])
		}
		types, opts := formFieldTypes(t, out)
		want := map[string]string{
			"given_name": "Textfield", "family_name": "Textfield", "birth_date": "Textfield", "email": "Textfield",
			"phone": "Textfield", "city": "Textfield", "country": "ComboBox", "gender": "ComboBox",
			"consent_publish": "CheckBox", "consent_contact": "CheckBox", exchange.PDFFormMarker: "Textfield",
		}
		for name, typ := range want {
			if types[name] != typ {
				t.Errorf("%s: field %s is %q, want %s", lang, name, types[name], typ)
			}
		}
		if de := data.CountryName("DE", lang); !strings.Contains(opts["country"], de) {
			t.Errorf("%s: the country list lacks %q: %.200s", lang, de, opts["country"])
		}
	}
	if _, err := os.Stat(nodb); err == nil {
		t.Error("writing the fillable form created a registry")
	}

	out := filepath.Join(dir, "x.pdf")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"report", "pocketbook", "--fillable", "--out", out}, "--fillable is for the form only"},
		{[]string{"report", "statistics", "--fillable", "--out", out, "--lang", "sr"}, "--fillable is for the form only"},
		{[]string{"report", "form", "--fillable", "--booklet", "long", "--out", out}, "booklet"},
		{[]string{"report", "form", "--fillable", "--booklet", "short", "--out", out, "--lang", "bs"}, "booklet"},
	} {
		r := cli(t, nil, append([]string{"--db", nodb}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.msg)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("misuse left a file behind")
	}
}
