package odk

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/store"
)

// Type is a question's type as XLSForm names it.
type Type string

// The question types the forms use.
const (
	Text           Type = "text"
	Date           Type = "date"
	Integer        Type = "integer"
	SelectOne      Type = "select_one"
	SelectMultiple Type = "select_multiple"
	Note           Type = "note"
	Calculate      Type = "calculate"
)

// Texts is one text in each of the six languages.
type Texts map[i18n.Lang]string

// Question is one row of the survey sheet: a question, a note or a
// calculation.
type Question struct {
	Type Type
	// Name is the export's field name ("given_name", "consent_publish.date"),
	// or for a note a name of its own.
	Name string
	// List names the choice list of a select.
	List        string
	Label, Hint Texts
	Required    bool
	RequiredMsg Texts
	// Constraint is an XPath expression in XLSForm's syntax: "." is the
	// answer, ${name} another question.
	Constraint    string
	ConstraintMsg Texts
	Appearance    string
	// Calculate is the expression of a calculation, in XLSForm's syntax.
	Calculate string
}

// Choice is one answer a select offers: Name is what the submission holds.
type Choice struct {
	Name  string
	Label Texts
}

// List is a choice list, named as the questions that use it name it.
type List struct {
	Name    string
	Choices []Choice
}

// Form is a registration form for phones, ready to be written as an
// XLSForm or an XForm.
type Form struct {
	Kind data.Kind
	// ID is the form_id: "registar-persons", "registar-businesses",
	// "registar-organisations".
	ID    string
	Title string
	// Version is ten digits of a digest of everything else in the form
	// (see digest): identical forms have identical versions, and any
	// change to a list, label, rule or question gives another. The year
	// rule's message names the current year, so the version also changes
	// at the turn of a year.
	Version string
	// Lang is the default language.
	Lang      i18n.Lang
	Questions []Question
	Lists     []List
	// InstanceName names a submission in ODK Collect's lists, in XLSForm's
	// syntax.
	InstanceName string
}

// Options say how a form is made.
type Options struct {
	// Lang is the form's default language (the office's); empty is English.
	Lang i18n.Lang
	// Now is the clock (tests); nil means time.Now. The year rule's message
	// names the current year.
	Now func() time.Time
}

// Languages are the form's languages, in the order of the sheet's columns.
var Languages = i18n.All

// LanguageName is how a form names a language: XLSForm's column suffix
// (label::Bosanski (bs)) and the XForm's translation: the name people pick
// it by, and the code in brackets by which ODK Collect and Enketo know it.
func LanguageName(l i18n.Lang) string {
	switch l {
	case i18n.BS:
		return "Bosanski (bs)"
	case i18n.HR:
		return "Hrvatski (hr)"
	case i18n.SR:
		return "Српски (sr)"
	case i18n.SRLatn:
		return "Srpski (sr-Latn)"
	case i18n.SQ:
		return "Shqip (sq)"
	}
	return "English (en)"
}

// Names of the lists that are not a value group of data.
const (
	listYesNo    = "yes_no"
	listCountry  = "country"
	listLocality = "locality"
)

// ask is how a form asks one field.
type ask struct {
	name       string
	typ        Type   // Text when empty
	list       string // the choice list of a select
	label      string // catalogue key of the label; empty: the field's label
	hint       string // catalogue key of the hint
	appearance string
	calculate  string
}

// consentAsks ask for the two consents of a person or a business, after
// the note that says what the office does with the data: the answers and,
// when given, the date (today) and the way (on the registration form).
func consentAsks(contactKey, publishKey string) []ask {
	out := []ask{{name: "consent_note", typ: Note, label: "report.form.consent.text"}}
	for _, c := range []struct{ name, key string }{{"consent_contact", contactKey}, {"consent_publish", publishKey}} {
		given := "${" + c.name + "} = 'yes'"
		out = append(out,
			ask{name: c.name, typ: SelectOne, list: listYesNo, label: c.key},
			ask{name: c.name + ".date", typ: Calculate, calculate: "if(" + given + ", today(), '')"},
			ask{name: c.name + ".how", typ: Calculate, calculate: "if(" + given + ", 'form', '')"},
		)
	}
	return out
}

// asks lists, for each kind, the fields its form asks, in order. Every
// field of exchange.Fields is here or in leftOut (TestEveryFieldAskedOrLeftOut).
var asks = map[data.Kind][]ask{
	data.KindPerson: append([]ask{
		{name: "given_name"}, {name: "family_name"}, {name: "parent_name"},
		{name: "gender", typ: SelectOne, list: data.GroupGender},
		{name: "birth_date", typ: Date},
		{name: "home_municipality"},
		{name: "locality_id", typ: SelectOne, list: listLocality, hint: "odk.hint.search", appearance: "autocomplete"},
		{name: "country", typ: SelectOne, list: listCountry, hint: "odk.hint.search", appearance: "autocomplete"},
		{name: "city"}, {name: "address"},
		{name: "email", hint: "odk.hint.email"},
		{name: "phone", hint: "odk.hint.phone"},
		{name: "profession"},
		{name: "education", typ: SelectOne, list: data.GroupEducation},
		{name: "emigration_year", typ: Integer},
		{name: "days_home_per_year", typ: Integer},
		{name: "generation", typ: SelectOne, list: data.GroupGeneration},
		{name: "interests", typ: SelectMultiple, list: data.GroupInterest, hint: "odk.hint.multiple"},
		{name: "needs", appearance: "multiline"},
		{name: "languages", hint: "odk.hint.words"},
	}, consentAsks("report.form.consent.contact", "report.form.consent.publish")...),
	data.KindBusiness: append([]ask{
		{name: "name"},
		{name: "country", typ: SelectOne, list: listCountry, hint: "odk.hint.search", appearance: "autocomplete"},
		{name: "city"}, {name: "address"}, {name: "sector"},
		{name: "employees", typ: Integer},
		{name: "registration_no"},
		{name: "email", hint: "odk.hint.email"},
		{name: "phone", hint: "odk.hint.phone"},
		{name: "website", hint: "odk.hint.website"},
		{name: "invest_at_home", typ: SelectOne, list: listYesNo},
	}, consentAsks("odk.consent.business.contact", "odk.consent.business.publish")...),
	data.KindOrganisation: {
		{name: "name"},
		{name: "org_kind", typ: SelectOne, list: data.GroupOrgKind},
		{name: "legal_form"}, {name: "registration_no"},
		{name: "founded_year", typ: Integer},
		{name: "country", typ: SelectOne, list: listCountry, hint: "odk.hint.search", appearance: "autocomplete"},
		{name: "city"}, {name: "address"},
		{name: "areas", hint: "odk.hint.words"},
		{name: "member_count", typ: Integer},
		{name: "contact_person"},
		{name: "email", hint: "odk.hint.email"},
		{name: "phone", hint: "odk.hint.phone"},
		{name: "website", hint: "odk.hint.website"},
		{name: "data_note", typ: Note, label: "report.form.consent.text"},
	},
}

// leftOut are the export fields a form does not ask: the record's ID, and
// what the office keeps for itself (notes, tags).
var leftOut = map[data.Kind][]string{
	data.KindPerson:       {"id", "need_tags", "notes", "tags"},
	data.KindBusiness:     {"id", "notes", "tags"},
	data.KindOrganisation: {"id", "notes", "tags"},
}

// formSlugs name each kind in a form_id and the files.
var formSlugs = map[data.Kind]string{
	data.KindPerson:       "persons",
	data.KindBusiness:     "businesses",
	data.KindOrganisation: "organisations",
}

// KindError is a kind that has no phone form.
type KindError struct {
	Kind string
	lang i18n.Lang
}

func (e *KindError) Error() string {
	return i18n.T(e.lang, "odk.error.kind", "param", e.Kind)
}

// ParseKind reads the kind of a form as the CLI and scripts give it
// (persons, business, org…); local communities and anything else are a
// *KindError whose message is in lang.
func ParseKind(s string, lang i18n.Lang) (data.Kind, error) {
	k, err := data.ParseKind(s)
	if _, ok := formSlugs[k]; err != nil || !ok {
		return "", &KindError{Kind: s, lang: lang}
	}
	return k, nil
}

// FormKinds are the kinds that have a form, in the order menus show them.
var FormKinds = []data.Kind{data.KindPerson, data.KindBusiness, data.KindOrganisation}

// New builds the form of a kind. locs are the registry's local communities,
// in any order (trashed ones are left out); with none, a person's local community is
// asked as text, and the import creates the ones it does not know.
func New(kind data.Kind, locs []*data.Locality, opt Options) (*Form, error) {
	fields, ok := asks[kind]
	if !ok {
		return nil, &KindError{Kind: string(kind), lang: opt.Lang}
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	f := &Form{
		Kind:  kind,
		ID:    "registar-" + formSlugs[kind],
		Title: i18n.T(opt.Lang, "odk.title", "param", i18n.T(opt.Lang, "kind."+string(kind)+".plural")),
		Lang:  opt.Lang,
	}
	if kind == data.KindPerson {
		f.InstanceName = "concat(${given_name}, ' ', ${family_name})"
	} else {
		f.InstanceName = "${name}"
	}
	localities := localityChoices(locs)
	lists := map[string]bool{}
	for _, a := range fields {
		q := Question{Type: a.typ, Name: a.name, List: a.list, Appearance: a.appearance, Calculate: a.calculate}
		if q.Type == "" {
			q.Type = Text
		}
		if q.List == listLocality && len(localities) == 0 {
			q.Type, q.List, q.Appearance = Text, "", ""
		}
		if q.Type != Calculate {
			q.Label = texts(func(l i18n.Lang) string {
				if a.label != "" {
					return i18n.T(l, a.label)
				}
				return data.FieldLabel(a.name, l)
			})
		}
		hint := a.hint
		if a.list == listLocality && q.List == "" {
			hint = "odk.hint.locality" // written, not picked
		}
		if hint != "" {
			q.Hint = texts(func(l i18n.Lang) string { return i18n.T(l, hint) })
		}
		if q.Type != Note && q.Type != Calculate {
			applyRules(&q, kind, opt.Now())
		}
		if q.List != "" && !lists[q.List] {
			lists[q.List] = true
			f.Lists = append(f.Lists, List{Name: q.List, Choices: choices(q.List, opt.Lang, localities)})
		}
		f.Questions = append(f.Questions, q)
	}
	f.Version = f.digest()
	return f, nil
}

// FromStore builds the form of a kind with the registry's local
// communities.
func FromStore(st *store.Store, kind data.Kind, opt Options) (*Form, error) {
	var locs []*data.Locality
	err := st.Each(data.KindLocality, func(r data.Record) error {
		if l, ok := r.(*data.Locality); ok {
			locs = append(locs, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return New(kind, locs, opt)
}

// FileNames are the names of the form's two files: registar-persons.xlsx
// and registar-persons.xml.
func (f *Form) FileNames() (xlsform, xform string) { return f.ID + ".xlsx", f.ID + ".xml" }

// digest is the version: ten decimal digits (the usual shape of a form
// version, and a number for the servers that sort them) of the SHA-256 of
// the XForm written without a version. Hashing the XForm rather than the
// lists alone also changes the version when a label or a rule changes,
// which ODK Central and Collect need to tell the forms apart.
func (f *Form) digest() string {
	saved := f.Version
	f.Version = ""
	h := sha256.New()
	err := f.WriteXForm(h)
	f.Version = saved
	if err != nil {
		// Writing into a hash cannot fail; a form that cannot be written
		// fails again, with its error, when the file is written.
		return "0000000000"
	}
	n := binary.BigEndian.Uint64(h.Sum(nil)[:8]) % 10_000_000_000
	return fmt.Sprintf("%010d", n)
}

// texts fills a text in every language.
func texts(t func(i18n.Lang) string) Texts {
	out := make(Texts, len(Languages))
	for _, l := range Languages {
		out[l] = t(l)
	}
	return out
}

// same is a text that reads the same in every language (a place's name).
func same(s string) Texts { return texts(func(i18n.Lang) string { return s }) }

// choices lists the answers of a list: codes of a value group with their
// labels, yes and no, every country by ISO code (in the alphabetical order
// of the default language), or the local communities.
func choices(list string, lang i18n.Lang, localities []Choice) []Choice {
	switch list {
	case listYesNo:
		return []Choice{
			{Name: "yes", Label: texts(func(l i18n.Lang) string { return i18n.T(l, "value.yes") })},
			{Name: "no", Label: texts(func(l i18n.Lang) string { return i18n.T(l, "value.no") })},
		}
	case listCountry:
		cs := data.Countries(lang)
		out := make([]Choice, len(cs))
		for i, c := range cs {
			out[i] = Choice{Name: c.Code, Label: texts(func(l i18n.Lang) string { return data.CountryName(c.Code, l) })}
		}
		return out
	case listLocality:
		return localities
	}
	codes := data.ValueCodes(list)
	out := make([]Choice, len(codes))
	for i, c := range codes {
		out[i] = Choice{Name: c, Label: texts(func(l i18n.Lang) string { return data.ValueLabel(list, c, l) })}
	}
	return out
}

// localityChoices are the local communities as a list: labelled by name,
// or "name (municipality)" where two share a folded name (as the export
// writes them), in the alphabetical order of their folded labels.
func localityChoices(all []*data.Locality) []Choice {
	locs := make([]*data.Locality, 0, len(all))
	for _, l := range all {
		if !l.Trashed() {
			locs = append(locs, l)
		}
	}
	type labelled struct{ key, label string }
	var ls []labelled
	for _, label := range data.LocalityLabels(locs) {
		ls = append(ls, labelled{fold.Key(label), label})
	}
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].key != ls[j].key {
			return ls[i].key < ls[j].key
		}
		return ls[i].label < ls[j].label
	})
	out := make([]Choice, 0, len(ls))
	used := map[string]bool{}
	for _, l := range ls {
		name := LocalityChoiceName(l.label)
		for i := 2; used[name]; i++ {
			name = LocalityChoiceName(l.label) + "_" + strconv.Itoa(i)
		}
		used[name] = true
		out = append(out, Choice{Name: name, Label: same(l.label)})
	}
	return out
}

// LocalityChoiceName is the choice name of a local community in the forms:
// the folded words of its label joined by "_" ("Donja Lastva" →
// donja_lastva, "Пећиград" → pecigrad). It has no spaces (a select_multiple
// could hold it) and folds (fold.Key) to the same key as the label, so the
// import finds the locality from it as it does from the name; a second
// locality with the same folded label gets "_2" added. A label with no
// letters or digits gives "locality".
func LocalityChoiceName(label string) string {
	if name := strings.Join(fold.Words(label), "_"); name != "" {
		return name
	}
	return "locality"
}

// Rules.

// recordTypes are the model's structs, whose validate tags the rules mirror.
var recordTypes = map[data.Kind]reflect.Type{
	data.KindPerson:       reflect.TypeOf(data.Person{}),
	data.KindBusiness:     reflect.TypeOf(data.Business{}),
	data.KindOrganisation: reflect.TypeOf(data.Organisation{}),
}

// XPath expressions of the rules that need more than a comparison.
const (
	// emailShape is the shape of an address: something, @, a domain with a
	// dot. The model's rule is stricter; the form only catches slips, so it
	// never refuses an address the registry would take.
	emailShape = `regex(., '^[^@\s]+@[^@\s]+\.[^@\s]+$')`
	// urlShape wants the scheme, as the model's url rule does.
	urlShape = `regex(., '^[A-Za-z][A-Za-z0-9+.-]*://[^\s]+$')`
	// phoneShape is a number as people dial it: digits, spaces and the
	// usual separators, perhaps a leading + or an area code in brackets.
	// The import reads it with the person's country of residence or the
	// office's.
	phoneShape = `regex(., '^[+]?[ (]*[0-9][0-9 ()./-]{5,24}$')`
	// thisYear is the year of the day the form is filled.
	thisYear = `number(format-date(today(), '%Y'))`
)

// minAge is the adult rule: born at least n years before today, by
// calendar date (the birthday counts), as data.Date.AgeOn reckons it. The
// dates become yyyymmdd numbers, which compare as the dates do.
func minAge(n int) string {
	return fmt.Sprintf("number(format-date(., '%%Y%%m%%d')) <= (%s - %d) * 10000 + number(format-date(today(), '%%m%%d'))", thisYear, n)
}

// applyRules sets a question's required flag and constraint from the
// model's validate tag of its field, with the model's own messages.
func applyRules(q *Question, kind data.Kind, now time.Time) {
	sf, ok := data.FieldByJSON(recordTypes[kind], q.Name)
	if !ok {
		return
	}
	label := func(l i18n.Lang) string { return data.FieldLabel(q.Name, l) }
	var parts []string
	var msgs []func(i18n.Lang) string
	add := func(expr, key string, param func(i18n.Lang) string) {
		parts = append(parts, expr)
		msgs = append(msgs, func(l i18n.Lang) string {
			p := ""
			if param != nil {
				p = param(l)
			}
			return i18n.T(l, key, "field", label(l), "param", p)
		})
	}
	isSelect := q.Type == SelectOne || q.Type == SelectMultiple
	numeric := sf.Type.Kind() == reflect.Int
	for _, rule := range strings.Split(sf.Tag.Get("validate"), ",") {
		name, param, _ := strings.Cut(rule, "=")
		if name == "dive" {
			break // the rules after dive are each item's
		}
		switch name {
		case "required", "adult":
			key := "validate.required"
			if name == "adult" {
				key = "validate.adult.required"
			}
			q.Required = true
			q.RequiredMsg = texts(func(l i18n.Lang) string { return i18n.T(l, key, "field", label(l)) })
			if name == "adult" {
				add(minAge(data.MinAge), "validate.minage", func(i18n.Lang) string { return strconv.Itoa(data.MinAge) })
			}
		case "max", "min":
			n, err := strconv.Atoi(param)
			if err != nil || isSelect {
				continue
			}
			op := map[string]string{"max": "<=", "min": ">="}[name]
			num := func(l i18n.Lang) string { return data.Locale(l).FmtNumber(float64(n), 0) }
			switch {
			case numeric:
				add(fmt.Sprintf(". %s %d", op, n), "validate."+name+".number", num)
			case sf.Type.Kind() == reflect.String && (name == "max" || n > 0):
				add(fmt.Sprintf("string-length(.) %s %d", op, n), "validate."+name+".string", num)
			}
		case "email":
			add(emailShape, "validate.email", nil)
		case "url":
			add(urlShape, "validate.url", nil)
		case "e164":
			add(phoneShape, "odk.constraint.phone", nil)
		case "year":
			add(fmt.Sprintf(". >= %d and . <= %s", data.MinYear, thisYear), "validate.year",
				func(i18n.Lang) string { return strconv.Itoa(now.Year()) })
		}
	}
	if len(parts) == 0 {
		return
	}
	q.Constraint = strings.Join(parts, " and ")
	q.ConstraintMsg = texts(func(l i18n.Lang) string {
		var out []string
		for _, m := range msgs {
			if s := m(l); !contains(out, s) {
				out = append(out, s)
			}
		}
		return strings.Join(out, " ")
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
