package data

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"registar/data/i18n"
)

// links is the registry the tests' LinkChecker knows.
var testLinks LinkChecker = func(k Kind, id string) bool {
	switch k {
	case KindPerson:
		return id == "p1" || id == "p2"
	case KindLocality:
		return id == "l1"
	case KindOrganisation:
		return id == "o1"
	}
	return false
}

func validPerson() *Person {
	return &Person{
		Meta:      Meta{Source: SourceOffice},
		GivenName: "Amra", FamilyName: "Hodžić", ParentName: "Mehmed", Gender: "f",
		BirthDate:  NewDate(1985, 3, 12),
		LocalityID: "l1", HomeMunicipality: "Cazin", Country: "DE", City: "München",
		Email: "amra@example.de", Phone: "+4915112345678", Education: "master",
		EmigrationYear: 1993, DaysHomePerYear: 30, Generation: 1,
		Interests: []string{"invest", "culture"}, NeedTags: []string{"zemljište"}, Languages: []string{"de", "bs"},
		Tags:           []string{"2024"},
		ConsentContact: Consent{Given: true, Date: NewDate(2024, 5, 1), How: "written"},
		ConsentPublish: Consent{Given: true, Date: NewDate(2024, 5, 1), How: "form"},
	}
}

func validBusiness() *Business {
	return &Business{
		Meta:    Meta{Source: SourceImport},
		Name:    "Hodžić d.o.o.",
		Owners:  []Owner{{PersonID: "p1", Share: "owner"}, {PersonID: "p2", Share: "co-owner"}},
		Country: "AT", City: "Wien", Sector: "građevina", Employees: 12, RegistrationNo: "FN 12345a",
		Email: "office@hodzic.at", Phone: "+4312345678", Website: "https://hodzic.at", InvestAtHome: true,
		Tags:           []string{"bau"},
		ConsentContact: Consent{Given: true, Date: NewDate(2024, 5, 1), How: "verbal"},
	}
}

func validOrganisation() *Organisation {
	return &Organisation{
		Name: "BZK Preporod", OrgKind: "diaspora_association", LegalForm: "e.V.", FoundedYear: 1995,
		Country: "CH", City: "Zürich", Areas: []string{"kultura"}, MemberCount: 250, ContactPerson: "Edin",
		Email: "info@preporod.ch", Phone: "+41441234567", Website: "https://preporod.ch",
		UmbrellaID: "o1", MemberIDs: []string{"p1", "p2"}, Tags: []string{"ch"},
	}
}

func validLocality() *Locality {
	return &Locality{Name: "Ostrožac", Municipality: "Cazin", LocalityKind: "local_community",
		CouncilContact: "Savjet MZ", Phone: "+38737226000", Email: "mz@cazin.ba"}
}

func validRecords() []Record {
	return []Record{validPerson(), validBusiness(), validOrganisation(), validLocality()}
}

func TestValidRecordsPass(t *testing.T) {
	for _, r := range validRecords() {
		for _, l := range i18n.All {
			if err := Validate(r, l, testLinks); err != nil {
				t.Errorf("%s %s: %v", KindOf(r), l, err)
			}
			if err := Validate(r, l, nil); err != nil {
				t.Errorf("%s %s (no links): %v", KindOf(r), l, err)
			}
		}
	}
	// Empty optional fields are fine.
	p := &Person{GivenName: "A", FamilyName: "B", BirthDate: NewDate(1990, 1, 1), Country: "BA"}
	if err := Validate(p, i18n.BS, testLinks); err != nil {
		t.Errorf("minimal person: %v", err)
	}
	if err := Validate(nil, i18n.BS, nil); err == nil {
		t.Error("nil record passed")
	}
	if err := Validate((*Person)(nil), i18n.BS, nil); err == nil {
		t.Error("nil *Person passed")
	}
}

// errorsOf validates and returns the field errors (nil when valid).
func errorsOf(t *testing.T, r Record, lang i18n.Lang, links LinkChecker) []FieldError {
	t.Helper()
	err := Validate(r, lang, links)
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate returned %T: %v", err, err)
	}
	if ve.Kind != KindOf(r) {
		t.Errorf("ValidationError.Kind = %q, want %q", ve.Kind, KindOf(r))
	}
	return ve.Errors
}

func findError(errs []FieldError, field, tag string) (FieldError, bool) {
	for _, e := range errs {
		if e.Field == field && e.Tag == tag {
			return e, true
		}
	}
	return FieldError{}, false
}

// message returns the one message for field/tag in lang, failing otherwise.
func message(t *testing.T, r Record, lang i18n.Lang, links LinkChecker, field, tag string) string {
	t.Helper()
	errs := errorsOf(t, r, lang, links)
	e, ok := findError(errs, field, tag)
	if !ok {
		t.Fatalf("%s: no %s error on %s; got %+v", lang, tag, field, errs)
	}
	return e.Message
}

func TestRequiredMessages(t *testing.T) {
	p := validPerson()
	p.GivenName = ""
	want := map[i18n.Lang]string{
		i18n.EN:     "Field “Given name” is required.",
		i18n.BS:     "Polje „Ime” je obavezno.",
		i18n.HR:     "Polje „Ime” je obvezno.",
		i18n.SR:     "Поље „Име” је обавезно.",
		i18n.SRLatn: "Polje „Ime” je obavezno.",
		i18n.SQ:     "Fusha „Emri” është e detyrueshme.",
	}
	for l, w := range want {
		if got := message(t, p, l, nil, "given_name", "required"); got != w {
			t.Errorf("%s: %q, want %q", l, got, w)
		}
	}
	p = validPerson()
	p.FamilyName, p.Country = "", ""
	errs := errorsOf(t, p, i18n.SQ, nil)
	if len(errs) != 2 {
		t.Fatalf("want 2 errors, got %+v", errs)
	}
	if _, ok := findError(errs, "family_name", "required"); !ok {
		t.Errorf("no family_name error: %+v", errs)
	}
	if e, _ := findError(errs, "country", "required"); !strings.Contains(e.Message, "„Shteti”") {
		t.Errorf("country message: %q", e.Message)
	}
	err := Validate(p, i18n.SQ, nil)
	if got := err.Error(); got != errs[0].Message+"; "+errs[1].Message {
		t.Errorf("Error() = %q", got)
	}
	b := validBusiness()
	b.Name = ""
	if got := message(t, b, i18n.HR, nil, "name", "required"); got != "Polje „Naziv” je obvezno." {
		t.Errorf("business name: %q", got)
	}
	o := validOrganisation()
	o.OrgKind = ""
	if got := message(t, o, i18n.SR, nil, "org_kind", "required"); got != "Поље „Врста организације” је обавезно." {
		t.Errorf("org kind: %q", got)
	}
	loc := validLocality()
	loc.Municipality = ""
	if got := message(t, loc, i18n.BS, nil, "municipality", "required"); got != "Polje „Općina” je obavezno." {
		t.Errorf("municipality: %q", got)
	}
}

func TestEmailMessages(t *testing.T) {
	p := validPerson()
	p.Email = "amra(at)example"
	want := map[i18n.Lang]string{
		i18n.EN:     "Field “E-mail” must be a valid e-mail address (e.g. name@example.com).",
		i18n.BS:     "Polje „E-mail” mora biti ispravna e-mail adresa (npr. ime@primjer.ba).",
		i18n.HR:     "Polje „E-pošta” mora biti ispravna adresa e-pošte (npr. ime@primjer.hr).",
		i18n.SR:     "Поље „Е-пошта” мора бити исправна адреса е-поште (нпр. ime@primer.rs).",
		i18n.SRLatn: "Polje „E-pošta” mora biti ispravna adresa e-pošte (npr. ime@primer.rs).",
		i18n.SQ:     "Fusha „Email” duhet të jetë një adresë e vlefshme emaili (p.sh. emri@shembull.com).",
	}
	for l, w := range want {
		if got := message(t, p, l, nil, "email", "email"); got != w {
			t.Errorf("%s: %q, want %q", l, got, w)
		}
	}
}

func TestPhone(t *testing.T) {
	if got := NormalizePhone("061/242-771", "BA"); got != "+38761242771" {
		t.Fatalf("NormalizePhone = %q", got)
	}
	p := validPerson()
	p.Country = "AT"        // where 061/242-771 is no number: read as the office's
	p.Phone = "061/242-771" // as typed, before Normalize
	for _, l := range i18n.All {
		msg := message(t, p, l, nil, "phone", "e164")
		if !strings.Contains(msg, FieldLabel("phone", l)) || !strings.Contains(msg, "+38") {
			t.Errorf("%s: %q", l, msg)
		}
	}
	Normalize(p, "BA")
	if p.Phone != "+38761242771" {
		t.Fatalf("Normalize phone = %q", p.Phone)
	}
	if err := Validate(p, i18n.BS, nil); err != nil {
		t.Errorf("normalised phone: %v", err)
	}
}

func TestAdult(t *testing.T) {
	today := DateOf(time.Now())
	tomorrow := DateOf(time.Now().AddDate(0, 0, 1))
	cases := []struct {
		name string
		set  func(p *Person)
		tag  string // "" = valid
	}{
		{"missing", func(p *Person) { p.BirthDate = Date{} }, "required"},
		{"not a date", func(p *Person) { p.BirthDate = NewDate(1990, 2, 31) }, "date"},
		{"month 13", func(p *Person) { p.BirthDate = NewDate(1990, 13, 1) }, "date"},
		{"tomorrow", func(p *Person) { p.BirthDate = tomorrow }, "notfuture"},
		{"ten years old", func(p *Person) { p.BirthDate = NewDate(today.Year-10, 1, 1) }, "minage"},
		{"born today", func(p *Person) { p.BirthDate = today }, "minage"},
		{"18 today", func(p *Person) { p.BirthDate = NewDate(today.Year-18, today.Month, today.Day) }, ""},
		{"18 tomorrow", func(p *Person) { p.BirthDate = DateOf(time.Now().AddDate(-18, 0, 1)) }, "minage"},
		// The age counts on the registration date, not today.
		{"17 when registered", func(p *Person) {
			p.CreatedAt = time.Date(2020, 6, 1, 10, 0, 0, 0, time.UTC)
			p.BirthDate = NewDate(2002, 6, 2)
		}, "minage"},
		{"18 when registered", func(p *Person) {
			p.CreatedAt = time.Date(2020, 6, 1, 10, 0, 0, 0, time.UTC)
			p.BirthDate = NewDate(2002, 6, 1)
		}, ""},
	}
	for _, c := range cases {
		p := validPerson()
		c.set(p)
		errs := errorsOf(t, p, i18n.BS, nil)
		if c.tag == "" {
			if errs != nil {
				t.Errorf("%s: %+v", c.name, errs)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Field != "birth_date" || errs[0].Tag != c.tag {
			t.Errorf("%s: want one %s error on birth_date, got %+v", c.name, c.tag, errs)
		}
	}
	// Each part has its own message, in every language.
	msgs := map[i18n.Lang]map[string]string{}
	for _, c := range cases[:5] {
		p := validPerson()
		c.set(p)
		for _, l := range i18n.All {
			m := message(t, p, l, nil, "birth_date", c.tag)
			if !strings.Contains(m, FieldLabel("birth_date", l)) {
				t.Errorf("%s %s: %q lacks the label", l, c.name, m)
			}
			if msgs[l] == nil {
				msgs[l] = map[string]string{}
			}
			msgs[l][c.tag] = m
		}
	}
	for l, byTag := range msgs {
		seen := map[string]string{}
		for tag, m := range byTag {
			if other, dup := seen[m]; dup {
				t.Errorf("%s: %s and %s share the message %q", l, tag, other, m)
			}
			seen[m] = tag
		}
	}
	if got := msgs[i18n.BS]["minage"]; got != "Prema polju „Datum rođenja” osoba je na dan upisa bila mlađa od 18 godina: u registar se upisuju samo punoljetne osobe." {
		t.Errorf("bs minage: %q", got)
	}
	if got := msgs[i18n.SR]["notfuture"]; got != "Поље „Датум рођења” не може бити у будућности." {
		t.Errorf("sr notfuture: %q", got)
	}
	if got := msgs[i18n.SQ]["required"]; !strings.HasPrefix(got, "Fusha „Data e lindjes” është e detyrueshme") {
		t.Errorf("sq required: %q", got)
	}
	if e, _ := findError(errorsOf(t, func() *Person { p := validPerson(); p.BirthDate = tomorrow; return p }(), i18n.EN, nil), "birth_date", "notfuture"); e.Param != "" {
		t.Errorf("notfuture param %q", e.Param)
	}
}

func TestCountryRule(t *testing.T) {
	for _, c := range []string{"DE", "BA", "XK", "RS", "US", "GB", "AQ"} {
		p := validPerson()
		p.Country = c
		if err := Validate(p, i18n.EN, nil); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	for _, c := range []string{"XX", "EU", "UN", "YU", "UK", "ZZ", "DEU", "de", "Germany", "276"} {
		o := validOrganisation()
		o.Country = c
		errs := errorsOf(t, o, i18n.BS, nil)
		e, ok := findError(errs, "country", "country")
		if !ok {
			t.Errorf("%q: want a country error, got %+v", c, errs)
			continue
		}
		if !strings.HasPrefix(e.Message, "Polje „Država” mora sadržavati postojeću državu") {
			t.Errorf("%q: %q", c, e.Message)
		}
	}
	b := validBusiness()
	b.Country = "XX"
	if m := message(t, b, i18n.SQ, nil, "country", "country"); !strings.HasPrefix(m, "Fusha „Shteti” duhet të jetë një shtet ekzistues") {
		t.Errorf("sq: %q", m)
	}
}

func TestYearRule(t *testing.T) {
	year := time.Now().Year()
	for _, c := range []struct {
		y  int
		ok bool
	}{{1899, false}, {1900, true}, {1990, true}, {year, true}, {year + 1, false}, {-5, false}, {0, true /* omitempty */}} {
		o := validOrganisation()
		o.FoundedYear = c.y
		p := validPerson()
		p.EmigrationYear = c.y
		for _, r := range []Record{o, p} {
			errs := errorsOf(t, r, i18n.HR, nil)
			if c.ok && errs != nil {
				t.Errorf("%d: %+v", c.y, errs)
			}
			if !c.ok {
				field := "founded_year"
				if _, isP := r.(*Person); isP {
					field = "emigration_year"
				}
				e, found := findError(errs, field, "year")
				if !found {
					t.Errorf("%d: no year error: %+v", c.y, errs)
					continue
				}
				if !strings.Contains(e.Message, "1900") || !strings.Contains(e.Message, strconv.Itoa(year)) {
					t.Errorf("%d: %q", c.y, e.Message)
				}
			}
		}
	}
	o := validOrganisation()
	o.FoundedYear = 1800
	if m := message(t, o, i18n.HR, nil, "founded_year", "year"); m != fmt.Sprintf("Polje „Godina osnutka” mora biti godina od 1900. do %d.", year) {
		t.Errorf("hr: %q", m)
	}
}

func TestCounts(t *testing.T) {
	cases := []struct {
		r     Record
		field string
		tag   string
		want  map[i18n.Lang]string // substrings
	}{
		{func() Record { b := validBusiness(); b.Employees = -1; return b }(), "employees", "min",
			map[i18n.Lang]string{i18n.BS: "Polje „Broj zaposlenih” ne smije biti manje od 0.", i18n.HR: "„Broj zaposlenika”"}},
		{func() Record { b := validBusiness(); b.Employees = 1000001; return b }(), "employees", "max",
			map[i18n.Lang]string{i18n.BS: "Polje „Broj zaposlenih” ne smije biti veće od 1.000.000.", i18n.EN: "greater than 1,000,000."}},
		{func() Record { o := validOrganisation(); o.MemberCount = 10000001; return o }(), "member_count", "max",
			map[i18n.Lang]string{i18n.SR: "Поље „Број чланова” не сме бити веће од 10.000.000.", i18n.SQ: "„Numri i anëtarëve”"}},
		{func() Record { o := validOrganisation(); o.MemberCount = -3; return o }(), "member_count", "min",
			map[i18n.Lang]string{i18n.SQ: "Fusha „Numri i anëtarëve” nuk mund të jetë më e vogël se 0."}},
		{func() Record { p := validPerson(); p.DaysHomePerYear = 367; return p }(), "days_home_per_year", "max",
			map[i18n.Lang]string{i18n.BS: "Polje „Broj dana godišnje u domovini” ne smije biti veće od 366."}},
		{func() Record { p := validPerson(); p.Generation = 4; return p }(), "generation", "max",
			map[i18n.Lang]string{i18n.EN: "Field “Generation” must not be greater than 3."}},
		{func() Record { p := validPerson(); p.Generation = -1; return p }(), "generation", "min",
			map[i18n.Lang]string{i18n.SRLatn: "Polje „Generacija” ne sme biti manje od 1."}},
		{func() Record { p := validPerson(); p.GivenName = strings.Repeat("ž", 101); return p }(), "given_name", "max",
			map[i18n.Lang]string{i18n.BS: "Polje „Ime” je predugo: dozvoljeni broj znakova je najviše 100.", i18n.EN: "at most 100 characters"}},
		{func() Record { p := validPerson(); p.Notes = strings.Repeat("a", 5001); return p }(), "notes", "max",
			map[i18n.Lang]string{i18n.HR: "najviše 5.000.", i18n.EN: "at most 5,000 characters"}},
		{func() Record { p := validPerson(); p.Tags = []string{"ok", strings.Repeat("t", 51)}; return p }(), "tags[1]", "max",
			map[i18n.Lang]string{i18n.BS: "Polje „Oznake (2)” je predugo", i18n.SQ: "Fusha „Etiketat (2)” është shumë e gjatë"}},
	}
	for _, c := range cases {
		for _, l := range i18n.All {
			m := message(t, c.r, l, nil, c.field, c.tag)
			if w, ok := c.want[l]; ok && !strings.Contains(m, w) {
				t.Errorf("%s %s: %q, want %q", l, c.field, m, w)
			}
		}
	}
	// 100 runes of ž are 200 bytes and still fine: max counts letters.
	p := validPerson()
	p.GivenName = strings.Repeat("ž", 100)
	if err := Validate(p, i18n.EN, nil); err != nil {
		t.Errorf("100 runes: %v", err)
	}
}

func TestOneOf(t *testing.T) {
	p := validPerson()
	p.Gender = "x"
	want := map[i18n.Lang]string{
		i18n.EN:     "Field “Gender” must be one of: Female, Male.",
		i18n.BS:     "Polje „Spol” mora biti jedno od: Ženski, Muški.",
		i18n.HR:     "Polje „Spol” mora biti jedno od: Ženski, Muški.",
		i18n.SR:     "Поље „Пол” мора бити једно од: Женски, Мушки.",
		i18n.SRLatn: "Polje „Pol” mora biti jedno od: Ženski, Muški.",
		i18n.SQ:     "Fusha „Gjinia” duhet të jetë një nga: Femër, Mashkull.",
	}
	for l, w := range want {
		if got := message(t, p, l, nil, "gender", "oneof"); got != w {
			t.Errorf("%s: %q, want %q", l, got, w)
		}
	}
	p = validPerson()
	p.Education = "phd"
	if m := message(t, p, i18n.BS, nil, "education", "oneof"); !strings.Contains(m, "Osnovna škola, Srednja škola, Viša škola, Fakultet (bachelor), Magistar (master), Doktorat") {
		t.Errorf("education: %q", m)
	}
	p = validPerson()
	p.Interests = []string{"invest", "fishing"}
	if m := message(t, p, i18n.SQ, nil, "interests[1]", "oneof"); !strings.HasPrefix(m, "Fusha „Interesat (2)” duhet të jetë një nga: Investim në vendlindje, ") {
		t.Errorf("interests: %q", m)
	}
	o := validOrganisation()
	o.OrgKind = "club"
	if m := message(t, o, i18n.HR, nil, "org_kind", "oneof"); !strings.Contains(m, "Iseljenička udruga, Organizacija civilnoga društva") {
		t.Errorf("org kind: %q", m)
	}
	l := validLocality()
	l.LocalityKind = "city"
	if m := message(t, l, i18n.SR, nil, "locality_kind", "oneof"); !strings.Contains(m, "Месна заједница, Насеље, Село, Град") {
		t.Errorf("locality kind: %q", m)
	}
	p = validPerson()
	p.ConsentPublish.How = "telepathy"
	if m := message(t, p, i18n.BS, nil, "consent_publish.how", "oneof"); m != "Polje „Saglasnost za objavu – Način davanja” mora biti jedno od: Pismeno, Usmeno, Putem interneta, Na obrascu za upis." {
		t.Errorf("consent how: %q", m)
	}
	p = validPerson()
	p.Source = "fax"
	if m := message(t, p, i18n.EN, nil, "source", "oneof"); !strings.Contains(m, "“Source”") || !strings.Contains(m, "Spreadsheet import") {
		t.Errorf("source: %q", m)
	}
}

func TestLinks(t *testing.T) {
	// Existing targets pass; missing ones fail only with a LinkChecker.
	p := validPerson()
	p.LocalityID = "l-gone"
	if err := Validate(p, i18n.BS, nil); err != nil {
		t.Errorf("without a checker: %v", err)
	}
	want := map[i18n.Lang]string{
		i18n.EN:     "Field “Local community” points to a record (Locality) that is not in the registry.",
		i18n.BS:     "Polje „Mjesna zajednica” upućuje na zapis (Mjesna zajednica) koji ne postoji u registru.",
		i18n.SR:     "Поље „Месна заједница” упућује на запис (Месна заједница) који не постоји у регистру.",
		i18n.SRLatn: "Polje „Mesna zajednica” upućuje na zapis (Mesna zajednica) koji ne postoji u registru.",
	}
	for l, w := range want {
		if got := message(t, p, l, testLinks, "locality_id", "link"); got != w {
			t.Errorf("%s: %q, want %q", l, got, w)
		}
	}
	o := validOrganisation()
	o.UmbrellaID = "o-gone"
	o.MemberIDs = []string{"p1", "ghost", ""}
	errs := errorsOf(t, o, i18n.SQ, testLinks)
	if len(errs) != 3 {
		t.Fatalf("want 3 errors, got %+v", errs)
	}
	if e, ok := findError(errs, "umbrella_id", "link"); !ok || e.Param != "organisation" || !strings.Contains(e.Message, "„Organizata ombrellë”") {
		t.Errorf("umbrella: %+v", e)
	}
	if e, ok := findError(errs, "member_ids[1]", "link"); !ok || !strings.Contains(e.Message, "nuk ekziston") {
		t.Errorf("member 2: %+v", errs)
	}
	if e, ok := findError(errs, "member_ids[2]", "link"); !ok || e.Message != "Në fushën „Anëtarët (3)” nuk është zgjedhur asnjë regjistrim (Person)." {
		t.Errorf("member 3 (empty): %+v", e)
	}
	// An empty link is wrong even without a checker.
	if _, ok := findError(errorsOf(t, o, i18n.SQ, nil), "member_ids[2]", "link"); !ok {
		t.Error("empty member id passed without a checker")
	}
}

func TestOwnersDive(t *testing.T) {
	b := validBusiness()
	b.Owners = append(b.Owners, Owner{PersonID: "", Share: "owner"}, Owner{PersonID: "ghost", Share: "boss"})
	errs := errorsOf(t, b, i18n.BS, testLinks)
	if len(errs) != 3 {
		t.Fatalf("want 3 errors, got %+v", errs)
	}
	if e, ok := findError(errs, "owners[2].person_id", "required"); !ok || e.Message != "Polje „Vlasnici (3) – Osoba” je obavezno." {
		t.Errorf("owner 3: %+v", e)
	}
	if e, ok := findError(errs, "owners[3].person_id", "link"); !ok || e.Message != "Polje „Vlasnici (4) – Osoba” upućuje na zapis (Osoba) koji ne postoji u registru." {
		t.Errorf("owner 4 link: %+v", e)
	}
	if e, ok := findError(errs, "owners[3].share", "oneof"); !ok || e.Message != "Polje „Vlasnici (4) – Vlasništvo” mora biti jedno od: Vlasnik, Suvlasnik." {
		t.Errorf("owner 4 share: %+v", e)
	}
	if e, _ := findError(errorsOf(t, b, i18n.SR, testLinks), "owners[3].share", "oneof"); e.Message != "Поље „Власници (4) – Власништво” мора бити једно од: Власник, Сувласник." {
		t.Errorf("sr: %q", e.Message)
	}
}

func TestURL(t *testing.T) {
	o := validOrganisation()
	o.Website = "preporod ch"
	want := map[i18n.Lang]string{
		i18n.BS: "Polje „Web stranica” mora biti potpuna web adresa, npr. https://www.primjer.ba.",
		i18n.HR: "Polje „Mrežna stranica” mora biti potpuna mrežna adresa, npr. https://www.primjer.hr.",
		i18n.SQ: "Fusha „Faqja e internetit” duhet të jetë një adresë e plotë interneti, p.sh. https://www.shembull.com.",
	}
	for l, w := range want {
		if got := message(t, o, l, nil, "website", "url"); got != w {
			t.Errorf("%s: %q, want %q", l, got, w)
		}
	}
}

func TestFieldLabel(t *testing.T) {
	cases := []struct {
		field string
		lang  i18n.Lang
		want  string
	}{
		{"given_name", i18n.EN, "Given name"},
		{"given_name", i18n.BS, "Ime"},
		{"given_name", i18n.SR, "Име"},
		{"given_name", i18n.SQ, "Emri"},
		{"family_name", i18n.SQ, "Mbiemri"},
		{"parent_name", i18n.BS, "Ime roditelja"},
		{"parent_name", i18n.SQ, "Emri i prindit"},
		{"birth_date", i18n.BS, "Datum rođenja"},
		{"birth_date", i18n.SR, "Датум рођења"},
		{"birth_date", i18n.SQ, "Data e lindjes"},
		{"gender", i18n.HR, "Spol"},
		{"gender", i18n.SR, "Пол"},
		{"gender", i18n.SQ, "Gjinia"},
		{"country", i18n.BS, "Država"},
		{"country", i18n.SR, "Држава"},
		{"country", i18n.SQ, "Shteti"},
		{"consent_publish", i18n.BS, "Saglasnost za objavu"},
		{"consent_publish", i18n.HR, "Suglasnost za objavu"},
		{"consent_publish", i18n.SR, "Сагласност за објаву"},
		{"consent_publish", i18n.SQ, "Pëlqim për publikim"},
		{"home_municipality", i18n.BS, "Općina porijekla"},
		{"home_municipality", i18n.SRLatn, "Opština porekla"},
		{"owners[0].person_id", i18n.EN, "Owners (1) – Person"},
		{"consent_contact.how", i18n.HR, "Suglasnost za kontakt – Način davanja"},
		{"interests[2]", i18n.SQ, "Interesat (3)"},
		{"no_such_field", i18n.BS, "no_such_field"},
		{"", i18n.BS, ""},
	}
	for _, c := range cases {
		if got := FieldLabel(c.field, c.lang); got != c.want {
			t.Errorf("FieldLabel(%q, %s) = %q, want %q", c.field, c.lang, got, c.want)
		}
	}
}

// Every JSON field of every record type, of Meta, Consent and Owner has a
// label in every language.
func TestEveryFieldHasALabel(t *testing.T) {
	for _, s := range modelSpots() {
		name := s.path[strings.LastIndex(s.path, ".")+1:]
		name = strings.TrimSuffix(name, "[0]")
		for _, l := range i18n.All {
			if !i18n.Has(l, "field."+name) {
				t.Errorf("%s: no label field.%s (%s)", l, name, s.path)
			}
		}
	}
}

// ---- The tag × locale coverage test ----

// spot is one field of a record type reachable from the record, with the
// JSON path validation errors name it by.
type spot struct {
	kind  Kind
	path  string
	field reflect.StructField
	get   func(root reflect.Value) reflect.Value // the settable field
}

var (
	dateType = reflect.TypeOf(Date{})
	timeType = reflect.TypeOf(time.Time{})
)

func spotsOf(kind Kind, t reflect.Type, prefix string, get func(reflect.Value) reflect.Value) []spot {
	var out []spot
	for i := 0; i < t.NumField(); i++ {
		f, i := t.Field(i), i
		g := func(root reflect.Value) reflect.Value { return get(root).Field(i) }
		if f.Anonymous {
			out = append(out, spotsOf(kind, f.Type, prefix, g)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, spot{kind, prefix + name, f, g})
		switch {
		case f.Type.Kind() == reflect.Struct && f.Type != dateType && f.Type != timeType:
			out = append(out, spotsOf(kind, f.Type, prefix+name+".", g)...)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			out = append(out, spotsOf(kind, f.Type.Elem(), prefix+name+"[0].", func(root reflect.Value) reflect.Value { return g(root).Index(0) })...)
		}
	}
	return out
}

func modelSpots() []spot {
	var out []spot
	for _, r := range validRecords() {
		out = append(out, spotsOf(KindOf(r), reflect.TypeOf(r).Elem(), "", func(root reflect.Value) reflect.Value { return root })...)
	}
	return out
}

func newValid(k Kind) Record {
	for _, r := range validRecords() {
		if KindOf(r) == k {
			return r
		}
	}
	panic(k)
}

// failing is one way to break one rule of one field.
type failing struct {
	path  string // where the error is reported
	tag   string // FieldError.Tag expected
	value any    // what the field (or its one element after dive) is set to
	dive  bool
}

// failingValues returns values that break the rule tag=param of a field
// whose earlier rules are tags (so a too-long e-mail is still an e-mail).
func failingValues(t *testing.T, s spot, tags []string, i int) []failing {
	name, param, _ := strings.Cut(tags[i], "=")
	dive := false
	for _, x := range tags[:i] {
		if x == "dive" {
			dive = true
		}
	}
	has := func(tag string) bool {
		for _, x := range tags {
			if x == tag {
				return true
			}
		}
		return false
	}
	path := s.path
	typ := s.field.Type
	if dive {
		path += "[0]"
		typ = typ.Elem()
	}
	one := func(tag string, v any) []failing { return []failing{{path, tag, v, dive}} }
	n, _ := strconv.Atoi(param)
	switch name {
	case "required":
		return one("required", reflect.Zero(typ).Interface())
	case "max":
		if typ.Kind() == reflect.Int {
			return one("max", n+1)
		}
		switch {
		case has("email"):
			// a real address, just too long: labels of 60 letters
			local := "ime@"
			for len(local) <= n {
				local += strings.Repeat("d", 60) + "."
			}
			return one("max", local+"ba")
		case has("url"):
			return one("max", "https://example.org/"+strings.Repeat("p", n))
		}
		return one("max", strings.Repeat("ž", n+1))
	case "min":
		v := n - 1
		if v == 0 && has("omitempty") {
			v = -1
		}
		return one("min", v)
	case "email":
		return one("email", "ime(at)primjer")
	case "e164":
		return one("e164", "061/242-771")
	case "url":
		return one("url", "www primjer ba")
	case "oneof":
		return one("oneof", "zzz")
	case "country":
		return one("country", "XX")
	case "year":
		return one("year", MinYear-1)
	case "link":
		out := one("link", "ghost")
		if !has("omitempty") && !has("required") {
			out = append(out, failing{path, "link", "", dive})
		}
		return out
	case "adult":
		return []failing{
			{path, "required", Date{}, false},
			{path, "date", NewDate(1990, 2, 31), false},
			{path, "notfuture", DateOf(time.Now().AddDate(1, 0, 0)), false},
			{path, "minage", DateOf(time.Now().AddDate(-MinAge, 0, 1)), false},
		}
	}
	t.Errorf("%s %s: no failing value for tag %q: teach failingValues", s.kind, s.path, name)
	return nil
}

// The tags the model uses, every one of them registered with a translation.
func TestEveryModelTagIsTranslated(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range modelSpots() {
		for _, tag := range strings.Split(s.field.Tag.Get("validate"), ",") {
			name, _, _ := strings.Cut(tag, "=")
			if name == "" || name == "omitempty" || name == "dive" {
				continue
			}
			seen[name] = true
			if _, ok := ruleKeys[name]; !ok {
				t.Errorf("%s %s: tag %q has no translation (add it to ruleKeys and the catalogue)", s.kind, s.path, name)
			}
		}
	}
	for _, want := range []string{"required", "max", "min", "email", "e164", "url", "oneof", "adult", "country", "year", "link"} {
		if !seen[want] {
			t.Errorf("tag %s not found in the model: did the walk break?", want)
		}
	}
	validOnce.Do(buildValidator)
	for _, l := range i18n.All {
		tr := translatorFor(l)
		if tr.Locale() != Locale(l).Locale() {
			t.Errorf("%s: translator %s", l, tr.Locale())
		}
		for tag, keys := range ruleKeys {
			for _, k := range keys {
				if _, err := tr.T(k, "F", "P"); err != nil {
					t.Errorf("%s: %s: %s not registered: %v", l, tag, k, err)
				}
			}
		}
	}
}

// Every rule of every field, broken in turn, gives in each of the six
// languages a message that is not validator's English default, names the
// field by its translated label and is written in the language's script.
func TestEveryTagInEveryLocale(t *testing.T) {
	cases := 0
	for _, s := range modelSpots() {
		tagStr := s.field.Tag.Get("validate")
		if tagStr == "" {
			continue
		}
		tags := strings.Split(tagStr, ",")
		for i, tag := range tags {
			if tag == "omitempty" || tag == "dive" {
				continue
			}
			for _, f := range failingValues(t, s, tags, i) {
				r := newValid(s.kind)
				fv := s.get(reflect.ValueOf(r).Elem())
				v := reflect.ValueOf(f.value)
				if f.dive {
					sl := reflect.MakeSlice(fv.Type(), 1, 1)
					sl.Index(0).Set(v.Convert(fv.Type().Elem()))
					fv.Set(sl)
				} else {
					fv.Set(v.Convert(fv.Type()))
				}
				english := ""
				for _, l := range enFirst() {
					errs := errorsOf(t, r, l, testLinks)
					e, ok := findError(errs, f.path, f.tag)
					if !ok {
						t.Errorf("%s %s=%v: no %s error on %s in %s; got %+v", s.kind, s.path, f.value, f.tag, f.path, l, errs)
						continue
					}
					cases++
					m := e.Message
					if strings.HasPrefix(m, "Key: ") || strings.Contains(m, "Error:Field validation") {
						t.Errorf("%s %s %s: validator's default text: %q", l, f.path, f.tag, m)
					}
					label := FieldLabel(f.path, l)
					if label == f.path || !strings.Contains(m, label) {
						t.Errorf("%s %s %s: %q does not name the field as %q", l, f.path, f.tag, m, label)
					}
					cyr := false
					for _, r := range m {
						if unicode.Is(unicode.Cyrillic, r) {
							cyr = true
							break
						}
					}
					if cyr != (l == i18n.SR) {
						t.Errorf("%s %s %s: wrong script: %q", l, f.path, f.tag, m)
					}
					if l == i18n.EN {
						english = m
					} else if m == english {
						t.Errorf("%s %s %s: still English: %q", l, f.path, f.tag, m)
					}
					for _, ph := range []string{"{field}", "{param}", "{0}", "{1}"} {
						if strings.Contains(m, ph) {
							t.Errorf("%s %s %s: unfilled %s in %q", l, f.path, f.tag, ph, m)
						}
					}
				}
			}
		}
	}
	if cases < 6*60 {
		t.Errorf("only %d tag × locale cases ran", cases)
	}
}

// enFirst is every language, English first.
func enFirst() []i18n.Lang {
	out := []i18n.Lang{i18n.EN}
	for _, l := range i18n.All {
		if l != i18n.EN {
			out = append(out, l)
		}
	}
	return out
}

// One shared validator serves many goroutines at once.
func TestValidateConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			lang := i18n.All[g%len(i18n.All)]
			for i := 0; i < 50; i++ {
				p := validPerson()
				if i%2 == 0 {
					p.Email = "bad"
				}
				err := Validate(p, lang, testLinks)
				if (err != nil) != (i%2 == 0) {
					t.Errorf("goroutine %d, %d: %v", g, i, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestUnknownLanguageIsEnglish(t *testing.T) {
	p := validPerson()
	p.GivenName = ""
	if got := message(t, p, i18n.Lang("de"), nil, "given_name", "required"); got != "Field “Given name” is required." {
		t.Errorf("%q", got)
	}
}
