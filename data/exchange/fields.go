package exchange

import (
	"reflect"
	"strings"
	"sync"

	"registar/data"
	"registar/data/i18n"
)

// fieldType says how a cell becomes a field's value, and back.
type fieldType int

const (
	typeText     fieldType = iota // one line; inner runs of spaces fold into one
	typeLongText                  // several lines (needs, notes)
	typeDate                      // a spreadsheet date or 12.03.1985. / 1985-03-12
	typeInt                       // a whole number (employees, year of emigration)
	typeCode                      // one coded value of a data value group (gender, education…)
	typeCodes                     // a list of coded values (interests)
	typeList                      // a list of free words (tags, languages)
	typeYesNo                     // da/ne, po/jo, yes/no, x…
	typeCountry                   // a CLDR name in any of the six languages, or an ISO code
	typePhone                     // normalised to E.164 with the office's region
	typeLocality                  // a local community by name (or ID)
	typeID                        // the record's ID, as Registar exports it
)

// Field is one importable and exportable field of a kind: the JSON path of
// the model ("given_name", "consent_publish.date") and how its cells read.
type Field struct {
	Name  string
	typ   fieldType
	group string // value group of a typeCode / typeCodes field
}

// Label is the field's header in a language: "Datum rođenja",
// "Saglasnost za objavu – Datum".
func (f Field) Label(lang i18n.Lang) string { return data.FieldLabel(f.Name, lang) }

// Ignore is the Mapping field of a column that is read but not imported
// (a row number, the reasons column of a rejects file).
const Ignore = "-"

// kindFields lists the fields of each kind in the order templates and
// exports show them.
var kindFields = map[data.Kind][]Field{
	data.KindPerson: {
		{Name: "id", typ: typeID},
		{Name: "given_name"}, {Name: "family_name"}, {Name: "parent_name"},
		{Name: "gender", typ: typeCode, group: data.GroupGender},
		{Name: "birth_date", typ: typeDate},
		{Name: "home_municipality"},
		{Name: "locality_id", typ: typeLocality},
		{Name: "country", typ: typeCountry},
		{Name: "city"}, {Name: "address"},
		{Name: "email"},
		{Name: "phone", typ: typePhone},
		{Name: "profession"},
		{Name: "education", typ: typeCode, group: data.GroupEducation},
		{Name: "emigration_year", typ: typeInt},
		{Name: "days_home_per_year", typ: typeInt},
		{Name: "generation", typ: typeCode, group: data.GroupGeneration},
		{Name: "interests", typ: typeCodes, group: data.GroupInterest},
		{Name: "needs", typ: typeLongText},
		{Name: "need_tags", typ: typeList},
		{Name: "languages", typ: typeList},
		{Name: "notes", typ: typeLongText},
		{Name: "tags", typ: typeList},
		{Name: "consent_contact", typ: typeYesNo},
		{Name: "consent_contact.date", typ: typeDate},
		{Name: "consent_contact.how", typ: typeCode, group: data.GroupConsentHow},
		{Name: "consent_publish", typ: typeYesNo},
		{Name: "consent_publish.date", typ: typeDate},
		{Name: "consent_publish.how", typ: typeCode, group: data.GroupConsentHow},
	},
	data.KindBusiness: {
		{Name: "id", typ: typeID},
		{Name: "name"},
		{Name: "country", typ: typeCountry},
		{Name: "city"}, {Name: "address"}, {Name: "sector"},
		{Name: "employees", typ: typeInt},
		{Name: "registration_no"},
		{Name: "email"},
		{Name: "phone", typ: typePhone},
		{Name: "website"},
		{Name: "invest_at_home", typ: typeYesNo},
		{Name: "notes", typ: typeLongText},
		{Name: "tags", typ: typeList},
		{Name: "consent_contact", typ: typeYesNo},
		{Name: "consent_contact.date", typ: typeDate},
		{Name: "consent_contact.how", typ: typeCode, group: data.GroupConsentHow},
		{Name: "consent_publish", typ: typeYesNo},
		{Name: "consent_publish.date", typ: typeDate},
		{Name: "consent_publish.how", typ: typeCode, group: data.GroupConsentHow},
	},
	data.KindOrganisation: {
		{Name: "id", typ: typeID},
		{Name: "name"},
		{Name: "org_kind", typ: typeCode, group: data.GroupOrgKind},
		{Name: "legal_form"}, {Name: "registration_no"},
		{Name: "founded_year", typ: typeInt},
		{Name: "country", typ: typeCountry},
		{Name: "city"}, {Name: "address"},
		{Name: "areas", typ: typeList},
		{Name: "member_count", typ: typeInt},
		{Name: "contact_person"},
		{Name: "email"},
		{Name: "phone", typ: typePhone},
		{Name: "website"},
		{Name: "notes", typ: typeLongText},
		{Name: "tags", typ: typeList},
	},
	data.KindLocality: {
		{Name: "id", typ: typeID},
		{Name: "name"}, {Name: "municipality"},
		{Name: "locality_kind", typ: typeCode, group: data.GroupLocalityKind},
		{Name: "council_contact"},
		{Name: "phone", typ: typePhone},
		{Name: "email"},
	},
}

// importKinds are the kinds a sheet can be imported as, in the order a
// tie in guessing the kind is broken.
var importKinds = []data.Kind{data.KindPerson, data.KindBusiness, data.KindOrganisation, data.KindLocality}

// Fields lists the fields of a kind a column can be mapped to, in the order
// templates show them (for the GUI's mapping picker).
func Fields(k data.Kind) []Field { return append([]Field(nil), fieldsFor(k)...) }

// fieldOf finds a field of a kind by name.
func fieldOf(k data.Kind, name string) (Field, bool) {
	for _, f := range fieldsFor(k) {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// required reports whether the model requires the field (its validate tag
// says required or adult): a kind whose required columns are missing is a
// worse guess.
func required(k data.Kind, name string) bool {
	t, ok := structTypes[k]
	if !ok {
		return false
	}
	sf, ok := data.FieldByJSON(t, name)
	if !ok {
		return false
	}
	tag := sf.Tag.Get("validate")
	return strings.HasPrefix(tag, "required") || strings.HasPrefix(tag, "adult")
}

var structTypes = map[data.Kind]reflect.Type{
	data.KindPerson:       reflect.TypeOf(data.Person{}),
	data.KindBusiness:     reflect.TypeOf(data.Business{}),
	data.KindOrganisation: reflect.TypeOf(data.Organisation{}),
	data.KindLocality:     reflect.TypeOf(data.Locality{}),
}

var (
	pathsOnce sync.Once
	paths     map[data.Kind]map[string][]int // field name → reflect index path
)

// buildPaths resolves every field of the table to its place in the struct,
// once: "consent_publish" is Consent.Given, "consent_publish.date" its Date.
func buildPaths() {
	paths = map[data.Kind]map[string][]int{}
	consentType := reflect.TypeOf(data.Consent{})
	for k, fields := range kindFields {
		t := structTypes[k]
		paths[k] = map[string][]int{}
		for _, f := range fields {
			var idx []int
			cur := t
			ok := true
			for _, seg := range strings.Split(f.Name, ".") {
				sf, found := data.FieldByJSON(cur, seg)
				if !found {
					ok = false
					break
				}
				idx = append(idx, sf.Index...)
				cur = sf.Type
			}
			if !ok {
				panic("exchange: field " + f.Name + " is not in " + string(k)) // caught by TestFieldTable
			}
			if cur == consentType {
				g, _ := cur.FieldByName("Given")
				idx = append(idx, g.Index...)
			}
			paths[k][f.Name] = idx
		}
	}
}

// value is the settable struct field of a record for a field name.
func value(r data.Record, name string) reflect.Value {
	pathsOnce.Do(buildPaths)
	return reflect.ValueOf(r).Elem().FieldByIndex(paths[data.KindOf(r)][name])
}
