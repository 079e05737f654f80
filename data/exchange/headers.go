package exchange

import (
	"sort"
	"strings"
	"sync"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
)

// The one table of header aliases. A column is recognised when its header,
// folded with fold.Key (case, spaces, punctuation, diacritics and script do
// not matter: "DATUM RODJENJA", "Datum rođenja" and "Датум рођења" are one
// header), equals
//   - the field's label in any of the six languages (data.FieldLabel, the
//     same text templates and exports write), or
//   - the field's name (given_name, consent_contact.date: the question names
//     of the phone forms and the PDF form's field names), or
//   - one of the aliases below: the other ways offices and volunteers head
//     their columns.
//
// If nothing matches, the header is tried again without any part in
// parentheses ("Datum rođenja (dd.mm.gggg.)"). docs/import-headers.md is
// generated from this table (TestHeaderDocUpToDate).

// commonAliases apply to the field of that name in every kind that has it.
var commonAliases = map[string][]string{
	"id":                   {"UUID", "Record ID", "Registar ID", "ID zapisa", "ИД записа"},
	"country":              {"Država", "Држава", "Shteti", "Country", "Zemlja", "Земља", "Država boravka", "Država prebivališta", "Држава боравка", "Country of residence", "Vendi", "Shteti i banimit", "Shteti i qëndrimit", "Land"},
	"city":                 {"Grad", "Град", "Qyteti", "City", "Town", "Mjesto", "Mesto", "Место", "Mjesto boravka", "Mesto boravka", "Grad boravka", "Vendbanimi", "Qyteti i banimit", "Stadt", "Ort"},
	"address":              {"Adresa", "Адреса", "Address", "Adresa u inostranstvu", "Adresa u iseljeništvu", "Адреса у иностранству", "Adresa jashtë vendit", "Adresse"},
	"email":                {"E-mail", "Email", "Mail", "E-pošta", "Е-пошта", "Е-маил", "Imejl", "Emajl", "E-mail adresa", "Adresa e-pošte", "Adresa e emailit", "Posta elektronike", "E-Mail-Adresse"},
	"phone":                {"Telefon", "Телефон", "Telefoni", "Phone", "Phone number", "Mobile", "Mobitel", "Мобилни", "Mobilni", "Mobilni telefon", "Mob", "Tel", "Broj telefona", "Број телефона", "Kontakt telefon", "Numri i telefonit", "Celular", "Handy"},
	"website":              {"Web", "Website", "Web stranica", "Web-stranica", "Web adresa", "Internet stranica", "Veb-sajt", "Веб-сајт", "Sajt", "Faqja e internetit", "Uebfaqja", "Homepage", "URL"},
	"notes":                {"Napomena", "Napomene", "Напомена", "Напомене", "Shënime", "Shënimet", "Vërejtje", "Notes", "Note", "Remarks", "Comments", "Komentar", "Primjedba", "Primedba", "Опис", "Opis"},
	"tags":                 {"Oznake", "Ознаке", "Etiketat", "Tags", "Labels"},
	"registration_no":      {"Registarski broj", "Matični broj", "Матични број", "Regjistrimi", "Numri i regjistrimit", "Numri unik identifikues", "NUI", "JIB", "IDB", "ID broj", "PIB", "ПИБ", "OIB", "Registration number", "Registration no", "Reg no"},
	"consent_contact":      {"Saglasnost za kontakt", "Suglasnost za kontakt", "Сагласност за контакт", "Pëlqim për kontakt", "Pëlqimi për kontakt", "Consent to contact", "Consent to be contacted", "Pristanak za kontakt", "Kontakt dozvoljen", "Može se kontaktirati", "Saglasan za kontakt"},
	"consent_contact.date": {"Datum saglasnosti za kontakt", "Datum suglasnosti za kontakt", "Датум сагласности за контакт", "Data e pëlqimit për kontakt", "Contact consent date"},
	"consent_contact.how":  {"Način saglasnosti za kontakt", "Način suglasnosti za kontakt", "Начин сагласности за контакт", "Mënyra e pëlqimit për kontakt", "How contact consent was given"},
	"consent_publish":      {"Saglasnost za objavu", "Suglasnost za objavu", "Сагласност за објаву", "Pëlqim për publikim", "Pëlqimi për publikim", "Consent to publication", "Consent to publish", "Pristanak za objavu", "Dozvola za objavu", "Objava", "Za objavu", "Publikim", "Publish"},
	"consent_publish.date": {"Datum saglasnosti za objavu", "Datum suglasnosti za objavu", "Датум сагласности за објаву", "Data e pëlqimit për publikim", "Publication consent date"},
	"consent_publish.how":  {"Način saglasnosti za objavu", "Način suglasnosti za objavu", "Начин сагласности за објаву", "Mënyra e pëlqimit për publikim", "How publication consent was given"},
}

// kindAliases are the aliases of fields of one kind: "Naziv" is a
// business's name but a person has none.
var kindAliases = map[data.Kind]map[string][]string{
	data.KindPerson: {
		"given_name":         {"Ime", "Име", "Emri", "Emri i parë", "Given name", "First name", "Firstname", "Forename", "Vorname"},
		"family_name":        {"Prezime", "Презиме", "Mbiemri", "Mbiemër", "Family name", "Last name", "Lastname", "Surname", "Nachname"},
		"parent_name":        {"Ime roditelja", "Име родитеља", "Ime oca", "Име оца", "Očevo ime", "Očevo/majčino ime", "Emri i prindit", "Emri i babait", "Atësia", "Father's name", "Parent's name"},
		"gender":             {"Spol", "Pol", "Пол", "Gjinia", "Gender", "Sex", "M/Ž", "Ž/M", "M/F", "Geschlecht"},
		"birth_date":         {"Datum rođenja", "Датум рођења", "Data e lindjes", "Date of birth", "Birth date", "Birthdate", "DOB", "Rođen", "Rođena", "Rođen/a", "Рођен", "Datëlindja", "Ditëlindja", "Geburtsdatum"},
		"home_municipality":  {"Općina", "Opština", "Општина", "Komuna", "Municipality", "Općina porijekla", "Opština porijekla", "Општина порекла", "Općina rođenja", "Komuna e origjinës", "Home municipality", "Porijeklom iz", "Поријеклом из"},
		"locality_id":        {"Mjesna zajednica", "Месна заједница", "Mjesni odbor", "MZ", "Selo", "Село", "Naselje", "Насеље", "Bashkësia lokale", "Fshati", "Vendbanimi i origjinës", "Local community", "Village", "Locality"},
		"profession":         {"Zanimanje", "Занимање", "Profesioni", "Profesija", "Struka", "Posao", "Zanati", "Puna", "Profession", "Occupation", "Job", "Beruf"},
		"education":          {"Obrazovanje", "Образовање", "Arsimi", "Stručna sprema", "Školska sprema", "Sprema", "Niveli i arsimit", "Shkollimi", "Education", "Qualification"},
		"emigration_year":    {"Godina iseljenja", "Година исељења", "Godina odlaska", "Godina odlaska u inostranstvo", "Iseljen", "Viti i emigrimit", "Viti i largimit", "Year of emigration", "Emigrated", "Emigration year"},
		"days_home_per_year": {"Dana u domovini", "Broj dana u domovini", "Dana godišnje u domovini", "Дана у домовини", "Ditë në vendlindje", "Days at home", "Days at home per year"},
		"generation":         {"Generacija", "Генерација", "Brezi", "Gjenerata", "Generation"},
		"interests":          {"Interes", "Interesi", "Interesovanja", "Интересовања", "Interesat", "Interesimi", "Interests", "Interest"},
		"needs":              {"Potrebe", "Потребе", "Nevojat", "Needs"},
		"need_tags":          {"Oznake potreba", "Need tags"},
		"languages":          {"Jezici", "Језици", "Jezik", "Gjuhët", "Gjuhët që flet", "Languages", "Sprachen"},
	},
	data.KindBusiness: {
		"name":           {"Naziv", "Назив", "Emërtimi", "Naziv firme", "Naziv preduzeća", "Naziv poduzeća", "Naziv tvrtke", "Назив предузећа", "Firma", "Фирма", "Preduzeće", "Poduzeće", "Tvrtka", "Emri i biznesit", "Emri i kompanisë", "Biznesi", "Kompania", "Business name", "Business", "Company", "Company name", "Name"},
		"sector":         {"Djelatnost", "Delatnost", "Делатност", "Sektor", "Oblast", "Branša", "Sektori", "Veprimtaria", "Sector", "Industry", "Branche"},
		"employees":      {"Broj zaposlenih", "Број запослених", "Broj zaposlenika", "Broj radnika", "Zaposleni", "Zaposlenih", "Numri i punonjësve", "Punonjës", "Employees", "Number of employees", "Staff"},
		"invest_at_home": {"Interes za ulaganje", "Interes za ulaganje u domovini", "Ulaganje u domovinu", "Investicije u domovini", "Интерес за улагање", "Interes për investime", "Investime në vendlindje", "Interest in investing", "Invest at home", "Investing at home"},
	},
	data.KindOrganisation: {
		"name":           {"Naziv", "Назив", "Emërtimi", "Naziv organizacije", "Naziv udruženja", "Naziv udruge", "Назив организације", "Назив удружења", "Organizacija", "Udruženje", "Udruga", "Удружење", "Emri i organizatës", "Emri i shoqatës", "Organizata", "Shoqata", "Organisation", "Organization", "Association", "Name"},
		"org_kind":       {"Vrsta organizacije", "Врста организације", "Vrsta udruženja", "Tip organizacije", "Vrsta", "Tip", "Lloji i organizatës", "Lloji", "Kind of organisation", "Kind", "Type", "Type of organisation", "Organisation type", "Organization type"},
		"legal_form":     {"Pravni oblik", "Правни облик", "Pravna forma", "Forma juridike", "Statusi juridik", "Legal form", "Legal status"},
		"founded_year":   {"Godina osnivanja", "Година оснивања", "Godina osnutka", "Osnovano", "Osnovana", "Основано", "Viti i themelimit", "Themeluar", "Founded", "Year founded", "Founding year"},
		"areas":          {"Oblasti djelovanja", "Oblasti delovanja", "Области деловања", "Područja djelovanja", "Djelovanje", "Aktivnosti", "Fushat e veprimtarisë", "Veprimtaria", "Areas of activity", "Areas", "Activities"},
		"member_count":   {"Broj članova", "Број чланова", "Članova", "Članovi", "Numri i anëtarëve", "Anëtarë", "Number of members", "Members", "Membership"},
		"contact_person": {"Kontakt osoba", "Контакт особа", "Osoba za kontakt", "Kontakt", "Predsjednik", "Predsednik", "Председник", "Personi kontaktues", "Personi për kontakt", "Kryetari", "Contact person", "Contact", "President", "Chair"},
	},
	data.KindLocality: {
		"name":            {"Naziv", "Назив", "Mjesna zajednica", "Месна заједница", "Naziv mjesne zajednice", "Naselje", "Selo", "Emërtimi", "Bashkësia lokale", "Fshati", "Local community", "Locality", "Name"},
		"municipality":    {"Općina", "Opština", "Општина", "Grad/Općina", "Komuna", "Municipality"},
		"locality_kind":   {"Vrsta mjesta", "Врста места", "Vrsta", "Tip", "Lloji", "Lloji i vendbanimit", "Kind", "Type"},
		"council_contact": {"Kontakt savjeta", "Kontakt savjeta mjesne zajednice", "Kontakt saveta", "Predsjednik savjeta", "Predsjednik MZ", "Председник савета", "Kryetari i këshillit", "Council contact", "Council president"},
	},
}

// ignoredHeaders are columns every kind reads past without a word: the
// running number offices put first, and the two columns Registar adds to a
// rejects file (so a corrected rejects file imports as it is).
var ignoredHeaders = []string{
	"Redni broj", "Red. br.", "R. br.", "Rb", "R.b.", "Br.", "Broj", "Редни број", "Р. бр.",
	"Nr.", "Nr", "Numri rendor", "Nr. rendor", "No.", "No", "#", "Row number",
	// the rejects file's own columns, in every language (see rejectHeaders)
}

// rejectHeaderKeys are the catalogue keys of the columns a rejects file adds.
var rejectHeaderKeys = []string{"exchange.rejects.row", "exchange.rejects.reasons"}

// headerIndex maps a folded header to its field, per kind.
type headerIndex map[string]string

var (
	indexOnce sync.Once
	indexes   map[data.Kind]headerIndex
	// indexClashes lists folded headers two fields of one kind share; the
	// table must have none (TestNoHeaderClashes).
	indexClashes []string
)

func buildIndexes() {
	indexes = map[data.Kind]headerIndex{}
	langs := append([]i18n.Lang{i18n.EN}, i18n.All...)
	for _, k := range append(append([]data.Kind(nil), importKinds...), sheetKinds...) {
		ix := headerIndex{}
		add := func(header, field string) {
			key := fold.Key(header)
			if key == "" {
				return
			}
			if old, ok := ix[key]; ok {
				if old != field {
					indexClashes = append(indexClashes, string(k)+": "+key+": "+old+" / "+field)
				}
				return
			}
			ix[key] = field
		}
		// Labels first: the headers Registar itself writes always win.
		for _, f := range fieldsFor(k) {
			for _, l := range langs {
				add(f.Label(l), f.Name)
			}
		}
		// Then the field names themselves (given_name, consent_contact.date):
		// what phone forms, PDF forms and other programs name columns by.
		for _, f := range fieldsFor(k) {
			add(f.Name, f.Name)
		}
		for _, f := range fieldsFor(k) {
			for _, a := range aliasesFor(k, f.Name) {
				add(a, f.Name)
			}
		}
		for _, h := range append(sheetIgnored[k], ignoredHeaders...) {
			add(h, Ignore)
		}
		for _, key := range rejectHeaderKeys {
			for _, l := range langs {
				add(i18n.T(l, key), Ignore)
			}
		}
		indexes[k] = ix
	}
}

// fieldForHeader is the field a header names in a kind, or "".
func fieldForHeader(k data.Kind, header string) string {
	indexOnce.Do(buildIndexes)
	ix := indexes[k]
	if f, ok := ix[fold.Key(header)]; ok {
		return f
	}
	if stripped := stripParens(header); stripped != header {
		return ix[fold.Key(stripped)]
	}
	return ""
}

// stripParens drops the parts in parentheses or brackets: "Datum rođenja
// (dd.mm.gggg.)" → "Datum rođenja", and a trailing "*" that marks a
// required column in some templates.
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// Column is one column of a sheet and the field it fills.
type Column struct {
	Index  int    // 0-based position in the sheet
	Header string // as written in the file
	// Field is the name of the field it fills (see Fields), Ignore, or ""
	// for a column nobody recognised: it is reported and left out.
	Field string
}

// Mapping says which field each column of a sheet fills, for a kind.
type Mapping struct {
	Kind    data.Kind
	Columns []Column
}

// Unknown lists the columns no field was found for.
func (m Mapping) Unknown() []Column {
	var out []Column
	for _, c := range m.Columns {
		if c.Field == "" && strings.TrimSpace(c.Header) != "" {
			out = append(out, c)
		}
	}
	return out
}

// Missing lists the fields the model requires that no column fills; rows
// will be rejected for them (a GUI may warn before the preview).
func (m Mapping) Missing() []string {
	have := map[string]bool{}
	for _, c := range m.Columns {
		have[c.Field] = true
	}
	var out []string
	for _, f := range kindFields[m.Kind] {
		if required(m.Kind, f.Name) && !have[f.Name] {
			out = append(out, f.Name)
		}
	}
	return out
}

// Set maps the column at index to a field (a name from Fields, Ignore, or
// "" to leave it out). A field can fill one column only: a column that
// filled it before is left out. An unknown field name is refused.
func (m *Mapping) Set(index int, field string) error {
	if field != "" && field != Ignore {
		if _, ok := fieldOf(m.Kind, field); !ok {
			return &FieldNameError{Kind: m.Kind, Field: field}
		}
	}
	for i := range m.Columns {
		if m.Columns[i].Index == index {
			m.Columns[i].Field = field
		} else if field != "" && field != Ignore && m.Columns[i].Field == field {
			m.Columns[i].Field = ""
		}
	}
	return nil
}

// SetHeaders applies a user mapping given by header text ("Mobitel 2" →
// "phone"), as the CLI's --map does.
func (m *Mapping) SetHeaders(byHeader map[string]string) error {
	for h, f := range byHeader {
		found := false
		for _, c := range m.Columns {
			if fold.Key(c.Header) == fold.Key(h) {
				if err := m.Set(c.Index, f); err != nil {
					return err
				}
				found = true
			}
		}
		if !found {
			return &ColumnError{Header: h}
		}
	}
	return nil
}

// Recognise maps the sheet's headers to fields of the kind; with kind ""
// it guesses the kind from the headers (the kind whose required columns are
// all there and that recognises most columns). A header named twice fills
// its field from the first column; the second is reported as unknown.
func Recognise(sh *Sheet, kind data.Kind) (m Mapping, err error) {
	defer guard(&err)
	if sh == nil {
		return Mapping{}, ErrNoHeader
	}
	if kind == "" {
		kind = guessKind(sh.Header)
		if kind == "" {
			return Mapping{}, ErrUnknownKind
		}
	}
	if len(fieldsFor(kind)) == 0 {
		return Mapping{}, &FieldNameError{Kind: kind}
	}
	return mapHeaders(sh.Header, kind), nil
}

func mapHeaders(header []string, kind data.Kind) Mapping {
	m := Mapping{Kind: kind}
	used := map[string]bool{}
	for i, h := range header {
		f := fieldForHeader(kind, h)
		if f != "" && f != Ignore {
			if used[f] {
				f = ""
			}
			used[f] = true
		}
		m.Columns = append(m.Columns, Column{Index: i, Header: h, Field: f})
	}
	return m
}

// guessKind picks the kind the headers fit best, or "" if they fit none.
func guessKind(header []string) data.Kind {
	type score struct {
		kind    data.Kind
		missing int // required fields with no column
		matched int // columns recognised
	}
	var scores []score
	for _, k := range importKinds {
		m := mapHeaders(header, k)
		n := 0
		for _, c := range m.Columns {
			if c.Field != "" && c.Field != Ignore && c.Field != "id" {
				n++
			}
		}
		scores = append(scores, score{k, len(m.Missing()), n})
	}
	sort.SliceStable(scores, func(i, j int) bool {
		if scores[i].missing != scores[j].missing {
			return scores[i].missing < scores[j].missing
		}
		return scores[i].matched > scores[j].matched
	})
	if best := scores[0]; best.matched > 0 {
		return best.kind
	}
	return ""
}

// recognised counts the headers some kind knows: a row with two or more is
// taken as the header row.
func recognised(row []string) int {
	n := 0
	for _, h := range row {
		for _, k := range append(importKinds[:len(importKinds):len(importKinds)], sheetKinds...) {
			if f := fieldForHeader(k, h); f != "" && f != Ignore {
				n++
				break
			}
		}
	}
	return n
}
