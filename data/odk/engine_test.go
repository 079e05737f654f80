package odk

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
)

// These tests load the XForms in ODK's own form engine,
// @getodk/xforms-engine (what ODK Web Forms runs), through
// scripts/odk-engine/check.mjs. They need Node.js (≥ 20.19) and the engine
// installed with `npm ci --prefix scripts/odk-engine`; without either they
// are skipped, saying so.

var update = flag.Bool("update", false, "rewrite testdata/instance-person.xml from ODK's engine")

// engineDir is scripts/odk-engine, from this package's folder.
var engineDir = filepath.Join("..", "..", "scripts", "odk-engine")

// needEngine returns the node binary, or skips the test saying what to install.
func needEngine(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed, so the XForm is not checked with ODK's engine: install Node.js ≥ 20.19, then run `npm ci --prefix scripts/odk-engine`")
	}
	if _, err := os.Stat(filepath.Join(engineDir, "node_modules", "@getodk", "xforms-engine", "package.json")); err != nil {
		t.Skip("ODK's engine is not installed, so the XForm is not checked with it: run `npm ci --prefix scripts/odk-engine`")
	}
	return node
}

type engineAnswer struct {
	Name      string `json:"name"`
	Value     any    `json:"value"`
	Valid     bool   `json:"valid"`
	Condition string `json:"condition"`
	Message   string `json:"message"`
}

type engineViolation struct {
	Ref       string `json:"ref"`
	Condition string `json:"condition"`
	Message   string `json:"message"`
}

type engineFill struct {
	Answers    []engineAnswer    `json:"answers"`
	Violations []engineViolation `json:"violations"`
	Submission string            `json:"submission"`
}

type engineResult struct {
	Status          string `json:"status"`
	Error           string `json:"error"`
	Languages       []string
	DefaultLanguage string `json:"defaultLanguage"`
	Questions       []struct {
		Name     string   `json:"name"`
		Ref      string   `json:"ref"`
		Type     string   `json:"type"`
		Required bool     `json:"required"`
		Label    string   `json:"label"`
		Options  []string `json:"options"`
	} `json:"questions"`
	engineFill
	Fills []engineFill `json:"fills"`
}

// runEngine writes the form's XForm, loads it in the engine with the
// answers (an object, or a list of objects each on a fresh instance) and
// fails the test on any error the engine reports.
func runEngine(t *testing.T, node string, f *Form, answers any) engineResult {
	t.Helper()
	dir := t.TempDir()
	form := filepath.Join(dir, "form.xml")
	var b bytes.Buffer
	if err := f.WriteXForm(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(form, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"check.mjs", form}
	if answers != nil {
		aj, err := json.Marshal(answers)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "answers.json")
		if err := os.WriteFile(path, aj, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = engineDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var res engineResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("ODK's engine said nothing readable (%v): %v\n%s%s", runErr, err, stdout.String(), stderr.String())
	}
	if runErr != nil || res.Status != "success" || res.Error != "" {
		t.Fatalf("ODK's engine refused the %s form: status %q, error %q (%v)\n%s", f.Kind, res.Status, res.Error, runErr, stderr.String())
	}
	return res
}

// Every form loads in ODK's engine without an error or a warning, in six
// languages with the default first, and asks what the form says it asks.
func TestEngineLoadsTheForms(t *testing.T) {
	node := needEngine(t)
	forms := []*Form{newForm(t, data.KindPerson, nil, i18n.EN)}
	for _, k := range FormKinds {
		forms = append(forms, newForm(t, k, cazin(), i18n.BS))
	}
	for _, f := range forms {
		res := runEngine(t, node, f, nil)
		var want []string
		for _, l := range Languages {
			want = append(want, LanguageName(l))
		}
		got := slices.Clone(res.Languages)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || res.DefaultLanguage != LanguageName(f.Lang) {
			t.Errorf("%s: languages %v, default %q", f.Kind, res.Languages, res.DefaultLanguage)
		}
		byName := map[string]int{}
		for i, q := range res.Questions {
			byName[q.Name] = i
		}
		for _, q := range f.Questions {
			i, ok := byName[q.Name]
			if !ok {
				t.Errorf("%s: the engine has no question %s", f.Kind, q.Name)
				continue
			}
			e := res.Questions[i]
			if e.Ref != "/data/"+q.Name || e.Required != q.Required {
				t.Errorf("%s: %s is %s required=%v in the engine, required=%v in the form", f.Kind, q.Name, e.Ref, e.Required, q.Required)
			}
			if q.Label != nil && e.Label != q.Label[f.Lang] {
				t.Errorf("%s: %s labelled %q by the engine, %q by the form", f.Kind, q.Name, e.Label, q.Label[f.Lang])
			}
			if q.List != "" {
				var names []string
				for _, c := range list(t, f, q.List).Choices {
					names = append(names, c.Name)
				}
				if !slices.Equal(e.Options, names) {
					t.Errorf("%s: %s offers %d options in the engine, %d in the form", f.Kind, q.Name, len(e.Options), len(names))
				}
			}
		}
		if _, ok := byName["instanceID"]; !ok {
			t.Errorf("%s: no meta/instanceID", f.Kind)
		}
	}
}

// A person who fills the form well, in the shape the import reads.
var amra = map[string]any{
	"given_name": "Amra", "family_name": "Mujić", "parent_name": "Husein", "gender": "f",
	"birth_date": "1987-09-15", "home_municipality": "Cazin", "locality_id": "pecigrad",
	"country": "AT", "city": "Wien", "address": "Favoritenstraße 12",
	"email": "amra.mujic@example.at", "phone": "0664 1234567", "profession": "Medicinska sestra",
	"education": "secondary", "emigration_year": "1993", "days_home_per_year": "30", "generation": "1",
	"interests": []string{"invest", "return"}, "needs": "Informacije o ulaganju u poljoprivredu",
	"languages": "njemački, engleski", "consent_contact": "yes", "consent_publish": "no",
}

// with is amra with some answers changed.
func with(changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range amra {
		out[k] = v
	}
	for k, v := range changes {
		out[k] = v
	}
	return out
}

// modelRefuses reports whether data.Validate refuses a person (amra with
// one field changed) for that field.
func modelRefuses(t *testing.T, field string, set func(*data.Person)) bool {
	t.Helper()
	p := &data.Person{GivenName: "Amra", FamilyName: "Mujić", BirthDate: data.NewDate(1987, 9, 15), Country: "AT"}
	set(p)
	err := data.Validate(p, i18n.EN, nil)
	var ve *data.ValidationError
	if err != nil && !errors.As(err, &ve) {
		t.Fatal(err)
	}
	if ve == nil {
		return false
	}
	for _, fe := range ve.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// The constraints refuse in the engine what the model refuses: the adult
// rule to the day, names over 100 characters, years out of range; an
// e-mail the form refuses is one the model refuses too; and the messages
// are the form's, in its default language.
func TestEngineRulesMirrorTheModel(t *testing.T) {
	node := needEngine(t)
	f := newForm(t, data.KindPerson, cazin(), i18n.BS)
	today := data.DateOf(time.Now())
	iso := func(d time.Time) string { return d.Format("2006-01-02") }
	t18 := time.Date(today.Year-18, today.Month, today.Day, 0, 0, 0, 0, time.UTC)
	if t18.Day() != today.Day { // 29 February, 18 years back, is 1 March
		t18 = time.Date(today.Year-18, today.Month, today.Day-1, 0, 0, 0, 0, time.UTC)
	}
	type check struct {
		field string
		value string
		model func(*data.Person) // nil: no model check (phones are read later)
		want  bool               // the engine takes it
	}
	date := func(s string) func(*data.Person) {
		return func(p *data.Person) { p.BirthDate, _ = data.ParseDate(s) }
	}
	long := strings.Repeat("Ć", 100)
	checks := []check{
		{"birth_date", "1987-09-15", date("1987-09-15"), true},
		{"birth_date", iso(t18), date(iso(t18)), true},
		{"birth_date", iso(t18.AddDate(0, 0, 1)), date(iso(t18.AddDate(0, 0, 1))), false},
		{"birth_date", iso(time.Now().AddDate(-10, 0, 0)), date(iso(time.Now().AddDate(-10, 0, 0))), false},
		{"birth_date", iso(time.Now().AddDate(0, 0, 3)), date(iso(time.Now().AddDate(0, 0, 3))), false},
		{"birth_date", "1936-02-29", date("1936-02-29"), true},
		{"given_name", long, func(p *data.Person) { p.GivenName = long }, true},
		{"given_name", long + "a", func(p *data.Person) { p.GivenName = long + "a" }, false},
		{"family_name", long + "ž", func(p *data.Person) { p.FamilyName = long + "ž" }, false},
		{"emigration_year", "1900", func(p *data.Person) { p.EmigrationYear = 1900 }, true},
		{"emigration_year", "1899", func(p *data.Person) { p.EmigrationYear = 1899 }, false},
		{"emigration_year", "2099", func(p *data.Person) { p.EmigrationYear = 2099 }, false},
		{"days_home_per_year", "366", func(p *data.Person) { p.DaysHomePerYear = 366 }, true},
		{"days_home_per_year", "367", func(p *data.Person) { p.DaysHomePerYear = 367 }, false},
		{"email", "amra@example.at", func(p *data.Person) { p.Email = "amra@example.at" }, true},
		{"email", "amra.mujic+registar@mail.example.co.at", func(p *data.Person) { p.Email = "amra.mujic+registar@mail.example.co.at" }, true},
		{"email", "amra.example.at", func(p *data.Person) { p.Email = "amra.example.at" }, false},
		{"email", "amra@", func(p *data.Person) { p.Email = "amra@" }, false},
		{"email", "amra mujic@example.at", func(p *data.Person) { p.Email = "amra mujic@example.at" }, false},
		{"email", "amra@@example.at", func(p *data.Person) { p.Email = "amra@@example.at" }, false},
		{"phone", "0664 1234567", nil, true},
		{"phone", "+387 61 242 771", nil, true},
		{"phone", "061/242-771", nil, true},
		{"phone", "(0176) 12345678", nil, true},
		{"phone", "nema", nil, false},
		{"phone", "12", nil, false},
		{"phone", "((((((", nil, false},
		{"phone", "+", nil, false},
	}
	var fills []map[string]any
	for _, c := range checks {
		fills = append(fills, with(map[string]any{c.field: c.value}))
	}
	fills = append(fills, with(map[string]any{"given_name": "", "birth_date": ""}))
	res := runEngine(t, node, f, fills)
	if len(res.Fills) != len(fills) {
		t.Fatalf("%d fills came back, %d sent", len(res.Fills), len(fills))
	}
	for i, c := range checks {
		var got *engineAnswer
		for j, a := range res.Fills[i].Answers {
			if a.Name == c.field {
				got = &res.Fills[i].Answers[j]
			}
		}
		if got == nil {
			t.Fatalf("%s = %q: no answer came back", c.field, c.value)
		}
		if got.Valid != c.want {
			t.Errorf("%s = %q: the engine takes it: %v, want %v (%s)", c.field, c.value, got.Valid, c.want, got.Message)
		}
		if c.model != nil {
			refused := modelRefuses(t, c.field, c.model)
			if c.field == "email" {
				// The form's shape is looser than the model's rule: whatever
				// the form refuses, the model must refuse too.
				if !got.Valid && !refused {
					t.Errorf("e-mail %q: the form refuses what the model takes", c.value)
				}
			} else if got.Valid == refused {
				t.Errorf("%s = %q: the engine takes it: %v, the model refuses it: %v", c.field, c.value, got.Valid, refused)
			}
		}
		if !got.Valid {
			want := question(t, f, c.field).ConstraintMsg[f.Lang]
			if got.Condition != "constraint" || got.Message != want {
				t.Errorf("%s = %q: %s says %q, want constraint %q", c.field, c.value, got.Condition, got.Message, want)
			}
		}
		// Every other answer of the fill is valid: one rule at a time.
		for _, v := range res.Fills[i].Violations {
			if v.Ref != "/data/"+c.field {
				t.Errorf("%s = %q: unexpected violation of %s: %s", c.field, c.value, v.Ref, v.Message)
			}
		}
	}
	// Required answers left empty: the model's required messages.
	last := res.Fills[len(res.Fills)-1]
	want := map[string]string{
		"/data/given_name": question(t, f, "given_name").RequiredMsg[f.Lang],
		"/data/birth_date": question(t, f, "birth_date").RequiredMsg[f.Lang],
	}
	if len(last.Violations) != len(want) {
		t.Errorf("empty name and birth date: violations %+v", last.Violations)
	}
	for _, v := range last.Violations {
		if v.Condition != "required" || want[v.Ref] != v.Message {
			t.Errorf("%s: %s %q, want required %q", v.Ref, v.Condition, v.Message, want[v.Ref])
		}
	}
}

// submission is a filled form as ODK Collect saves it, read generically.
type submission struct {
	XMLName xml.Name
	ID      string `xml:"id,attr"`
	Version string `xml:"version,attr"`
	Fields  []struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	} `xml:",any"`
	InstanceID   string `xml:"meta>instanceID"`
	InstanceName string `xml:"meta>instanceName"`
}

func readSubmission(t *testing.T, b []byte) (submission, map[string]string) {
	t.Helper()
	var s submission
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("the submission is not well-formed XML: %v\n%s", err, b)
	}
	values := map[string]string{}
	for _, f := range s.Fields {
		if f.XMLName.Local != "meta" {
			values[f.XMLName.Local] = f.Value
		}
	}
	return s, values
}

var uuidShape = regexp.MustCompile(`^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// A filled form comes out of the engine as the submission ODK Collect
// saves: the form's id and version, an instance ID, the consents' date and
// way, and values the import reads with the model's own parsers. One is
// kept in testdata/instance-person.xml for the importer's tests
// (`go test ./data/odk -run TestEngineSubmission -update` rewrites it).
func TestEngineSubmission(t *testing.T) {
	node := needEngine(t)
	f := newForm(t, data.KindPerson, cazin(), i18n.BS)
	res := runEngine(t, node, f, amra)
	if len(res.Violations) > 0 {
		t.Fatalf("a good answer is refused: %+v", res.Violations)
	}
	path := filepath.Join(t.TempDir(), "instance.xml")
	if err := os.WriteFile(path, []byte(res.Submission), 0o644); err != nil {
		t.Fatal(err)
	}
	s, values := readSubmission(t, []byte(res.Submission))
	if s.XMLName.Local != "data" || s.ID != "registar-persons" || s.Version != f.Version {
		t.Errorf("submission of <%s id=%q version=%q>, want <data id=registar-persons version=%s>", s.XMLName.Local, s.ID, s.Version, f.Version)
	}
	if !uuidShape.MatchString(s.InstanceID) || s.InstanceName != "Amra Mujić" {
		t.Errorf("instanceID %q, instanceName %q", s.InstanceID, s.InstanceName)
	}
	for _, q := range f.Questions {
		if _, ok := values[q.Name]; !ok {
			t.Errorf("the submission has no %s", q.Name)
		}
	}
	for name, v := range amra {
		want, ok := v.(string)
		if !ok {
			want = strings.Join(v.([]string), " ") // select_multiple: space-separated
		}
		if values[name] != want {
			t.Errorf("%s = %q, want %q", name, values[name], want)
		}
	}
	today := data.DateOf(time.Now()).String()
	if values["consent_contact.date"] != today || values["consent_contact.how"] != "form" ||
		values["consent_publish.date"] != "" || values["consent_publish.how"] != "" {
		t.Errorf("consents: contact %q %q, publish %q %q", values["consent_contact.date"], values["consent_contact.how"],
			values["consent_publish.date"], values["consent_publish.how"])
	}
	// The import reads every value with the model's parsers.
	if c, ok := data.ParseCountry(values["country"]); !ok || c != "AT" {
		t.Errorf("country %q read as %q", values["country"], c)
	}
	if d, err := data.ParseDate(values["birth_date"]); err != nil || d != data.NewDate(1987, 9, 15) {
		t.Errorf("birth date %q read as %v, %v", values["birth_date"], d, err)
	}
	if d, err := data.ParseDate(values["consent_contact.date"]); err != nil || d.String() != today {
		t.Errorf("consent date %q read as %v, %v", values["consent_contact.date"], d, err)
	}
	for field, group := range map[string]string{"gender": data.GroupGender, "education": data.GroupEducation,
		"generation": data.GroupGeneration, "consent_contact.how": data.GroupConsentHow} {
		if _, ok := data.ParseValue(group, values[field]); !ok {
			t.Errorf("%s %q is not a value of %s", field, values[field], group)
		}
	}
	for _, code := range strings.Fields(values["interests"]) {
		if _, ok := data.ParseInterest(code); !ok {
			t.Errorf("interest %q is not read", code)
		}
	}
	for _, field := range []string{"consent_contact", "consent_publish"} {
		if _, ok := data.ParseYesNo(values[field]); !ok {
			t.Errorf("%s %q is not a yes or a no", field, values[field])
		}
	}
	if fold.Key(values["locality_id"]) != fold.Key("Pećigrad") {
		t.Errorf("local community %q does not fold to Pećigrad", values["locality_id"])
	}
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "instance-person.xml"), []byte(res.Submission+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The saved submission is one of today's person form: the same questions
// in the same order. When the form changes, rewrite it with
// `go test ./data/odk -run TestEngineSubmission -update`.
func TestSavedInstanceMatchesTheForm(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "instance-person.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := readSubmission(t, b)
	var names []string // meta is read apart: it is not among the fields
	for _, f := range s.Fields {
		names = append(names, f.XMLName.Local)
	}
	var want []string
	for _, q := range newForm(t, data.KindPerson, cazin(), i18n.BS).Questions {
		want = append(want, q.Name)
	}
	if s.ID != "registar-persons" || !slices.Equal(names, want) {
		t.Errorf("testdata/instance-person.xml (%s) asks %v,\nthe form %v:\nrun go test ./data/odk -run TestEngineSubmission -update", s.ID, names, want)
	}
	if !uuidShape.MatchString(s.InstanceID) {
		t.Errorf("instanceID %q", s.InstanceID)
	}
}
