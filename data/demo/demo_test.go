package demo

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/nyaruka/phonenumbers"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
)

var testNow = time.Date(2026, time.March, 14, 10, 30, 0, 0, time.UTC)

func collect(t testing.TB, opt Options) []data.Record {
	t.Helper()
	var out []data.Record
	if err := Generate(opt, func(r data.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return out
}

func encodeAll(t testing.TB, recs []data.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, r := range recs {
		b, err := data.Encode(r)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func TestCount(t *testing.T) {
	for _, opt := range []Options{
		{},
		{Persons: 1},
		{Businesses: 3, Organisations: 2}, // no persons to own or join them
		{Persons: 150, Businesses: 20, Organisations: 10},
		{Persons: 1000, Businesses: 50, Organisations: 30, Seed: 7},
		{Persons: -5, Businesses: -1, Organisations: -1},
	} {
		opt.Now = testNow
		recs := collect(t, opt)
		if len(recs) != Count(opt) {
			t.Errorf("%+v: put %d records, Count says %d", opt, len(recs), Count(opt))
		}
		per := map[data.Kind]int{}
		for _, r := range recs {
			per[data.KindOf(r)]++
		}
		want := map[data.Kind]int{data.KindLocality: len(localities), data.KindPerson: max(0, opt.Persons),
			data.KindBusiness: max(0, opt.Businesses), data.KindOrganisation: max(0, opt.Organisations)}
		for k, n := range want {
			if per[k] != n {
				t.Errorf("%+v: %d %s records, want %d", opt, per[k], k, n)
			}
		}
	}
	if n := len(localities); n < 80 || n > 120 {
		t.Errorf("%d localities; about 15 per municipality expected", n)
	}
}

func TestDeterministic(t *testing.T) {
	opt := Options{Persons: 2000, Businesses: 150, Organisations: 60, Seed: 42, Now: testNow}
	a := encodeAll(t, collect(t, opt))
	b := encodeAll(t, collect(t, opt))
	if !bytes.Equal(a, b) {
		t.Fatal("the same options gave different records")
	}
	opt.Seed = 43
	c := encodeAll(t, collect(t, opt))
	if bytes.Equal(a, c) {
		t.Fatal("seeds 42 and 43 gave the same records")
	}
	// Now in another zone is the same instant: the same records.
	opt.Seed = 42
	opt.Now = testNow.In(time.FixedZone("CET", 3600))
	if d := encodeAll(t, collect(t, opt)); !bytes.Equal(a, d) {
		t.Fatal("the zone of Now changed the records")
	}
}

// More persons keep the first ones: a demo of 200 starts like a demo of 100.
func TestPrefixStable(t *testing.T) {
	small := collect(t, Options{Persons: 100, Seed: 5, Now: testNow})
	big := collect(t, Options{Persons: 200, Businesses: 10, Seed: 5, Now: testNow})
	if !bytes.Equal(encodeAll(t, small), encodeAll(t, big[:len(small)])) {
		t.Fatal("the first 100 persons depend on how many follow")
	}
}

func TestDependencyOrder(t *testing.T) {
	recs := collect(t, Options{Persons: 3000, Businesses: 300, Organisations: 200, Seed: 3, Now: testNow})
	seen := map[string]data.Kind{}
	order := map[data.Kind]int{data.KindLocality: 0, data.KindPerson: 1, data.KindBusiness: 2, data.KindOrganisation: 3}
	last := 0
	umbrellaLinks := 0
	for i, r := range recs {
		m := r.Base()
		k := data.KindOf(r)
		if order[k] < last {
			t.Fatalf("record %d: %s after %v", i, k, last)
		}
		last = order[k]
		if m.Kind != k {
			t.Errorf("record %d: Meta.Kind %q for a %s", i, m.Kind, k)
		}
		u, err := uuid.Parse(m.ID)
		if err != nil || u.Version() != 4 || u.String() != m.ID {
			t.Errorf("record %d: ID %q is not a canonical version-4 UUID", i, m.ID)
		}
		if _, dup := seen[m.ID]; dup {
			t.Fatalf("record %d: ID %s used twice", i, m.ID)
		}
		for _, l := range r.Links() {
			got, ok := seen[l.ID]
			if !ok {
				t.Fatalf("record %d (%s %q): %s links to %s not put before", i, k, r.Title(), l.Field, l.ID)
			}
			if got != l.Kind {
				t.Fatalf("record %d: %s links to a %s, want %s", i, l.Field, got, l.Kind)
			}
			if l.Field == "umbrella_id" {
				umbrellaLinks++
			}
		}
		seen[m.ID] = k
	}
	if umbrellaLinks == 0 {
		t.Error("no organisation links to an umbrella body")
	}
}

// The search acceptance tests look for these in any demo of 100 persons or more.
func TestSearchTargets(t *testing.T) {
	for _, n := range []int{100, 101, 250, 5000} {
		for _, seed := range []int64{0, 1, 2, 99, -7} {
			recs := collect(t, Options{Persons: n, Seed: seed, Now: testNow})
			var latin, cyr, celik, petrovic, petrovicCyr bool
			for _, r := range recs {
				p, ok := r.(*data.Person)
				if !ok {
					continue
				}
				latin = latin || p.GivenName == "Đorđe"
				cyr = cyr || p.GivenName == "Ђорђе"
				petrovic = petrovic || p.FamilyName == "Petrović"
				petrovicCyr = petrovicCyr || p.FamilyName == "Петровић"
				celik = celik || p.FamilyName == "Çelik"
			}
			if !latin || !cyr || !petrovic || !petrovicCyr || !celik {
				t.Errorf("persons %d seed %d: Đorđe %v, Ђорђе %v, Petrović %v, Петровић %v, Çelik %v",
					n, seed, latin, cyr, petrovic, petrovicCyr, celik)
			}
		}
	}
}

func TestPutError(t *testing.T) {
	boom := errors.New("disk full")
	opt := Options{Persons: 50, Businesses: 5, Organisations: 5, Now: testNow}
	total := Count(opt)
	for _, stopAt := range []int{1, len(localities), len(localities) + 1, len(localities) + 50 + 3, total} {
		calls := 0
		err := Generate(opt, func(data.Record) error {
			calls++
			if calls == stopAt {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) {
			t.Errorf("stop at %d: error %v, want %v", stopAt, err, boom)
		}
		if calls != stopAt {
			t.Errorf("stop at %d: put called %d times", stopAt, calls)
		}
	}
	if err := Generate(opt, nil); err == nil {
		t.Error("nil put accepted")
	}
}

func TestPersons(t *testing.T) {
	opt := Options{Persons: 20000, Seed: 11, Now: testNow}
	recs := collect(t, opt)
	start := testNow.AddDate(-windowYears, 0, 0)
	today := data.DateOf(testNow)

	femaleNames, maleNames := map[string]bool{}, map[string]bool{}
	albanianFamilies := map[string]bool{}
	for cm := range names {
		for _, n := range names[cm].female {
			femaleNames[n.lat], femaleNames[n.cyr] = true, true
		}
		for _, n := range names[cm].male {
			maleNames[n.lat], maleNames[n.cyr] = true, true
		}
	}
	for _, n := range names[albanian].family {
		albanianFamilies[n.lat] = true
	}
	serbianMuni := map[string]bool{"Novi Pazar": true}
	for _, s := range serbianMunis {
		serbianMuni[s.s] = true
	}
	locMuni := map[string]string{}

	var persons, female, withEmail, contact, publish, serbs, cyrSerbs, withLocality int
	perMonth := map[time.Month]int{}
	countries := map[string]int{}
	for _, r := range recs {
		if l, ok := r.(*data.Locality); ok {
			locMuni[l.ID] = l.Municipality
			continue
		}
		p, ok := r.(*data.Person)
		if !ok {
			continue
		}
		persons++
		reg := data.DateOf(p.CreatedAt)
		if p.CreatedAt.Before(start) || p.CreatedAt.After(testNow) {
			t.Fatalf("%s registered %v, outside the window", p.Title(), p.CreatedAt)
		}
		if age := p.BirthDate.AgeOn(reg); age < 18 || age > 85 {
			t.Fatalf("%s is %d on registration (%v, born %v)", p.Title(), age, reg, p.BirthDate)
		}
		if p.BirthDate.AgeOn(today) < 18 {
			t.Fatalf("%s is a minor today", p.Title())
		}
		if _, err := data.ParseDate(p.BirthDate.String()); err != nil {
			t.Fatalf("%s: birth date %v does not exist", p.Title(), p.BirthDate)
		}
		if p.EmigrationYear < 1965 || p.EmigrationYear > 2024 || p.EmigrationYear > reg.Year {
			t.Fatalf("%s: emigration year %d", p.Title(), p.EmigrationYear)
		}
		switch p.Generation {
		case 1:
			if p.EmigrationYear-p.BirthDate.Year < 18 {
				t.Fatalf("%s: first generation, emigrated at %d", p.Title(), p.EmigrationYear-p.BirthDate.Year)
			}
		case 2, 3:
			if p.EmigrationYear > p.BirthDate.Year {
				t.Fatalf("%s: born abroad in %d but emigrated in %d", p.Title(), p.BirthDate.Year, p.EmigrationYear)
			}
		default:
			t.Fatalf("%s: generation %d", p.Title(), p.Generation)
		}
		if p.DaysHomePerYear < 0 || p.DaysHomePerYear > 90 {
			t.Fatalf("%s: %d days at home", p.Title(), p.DaysHomePerYear)
		}
		switch p.Gender {
		case "f":
			female++
			if !femaleNames[p.GivenName] {
				t.Fatalf("%s: woman with a man's name", p.Title())
			}
		case "m":
			if !maleNames[p.GivenName] {
				t.Fatalf("%s: man with a woman's name", p.Title())
			}
		default:
			t.Fatalf("%s: gender %q", p.Title(), p.Gender)
		}
		// Home consistent with the community.
		muni := p.HomeMunicipality
		if p.LocalityID != "" {
			withLocality++
			if locMuni[p.LocalityID] != muni {
				t.Fatalf("%s: locality of %s, municipality %s", p.Title(), locMuni[p.LocalityID], muni)
			}
		}
		cyr := strings.ContainsAny(p.GivenName+p.FamilyName, "абвгдђежзијклљмнњопрстћуфхцчџш")
		switch {
		case albanianFamilies[p.FamilyName]:
			if muni != "Gjilan" {
				t.Fatalf("%s: Albanian from %s", p.Title(), muni)
			}
		case cyr:
			if !serbianMuni[muni] {
				t.Fatalf("%s: Serbian from %s", p.Title(), muni)
			}
		}
		if cyr || serbianMuni[muni] && muni != "Novi Pazar" {
			serbs++
			if cyr {
				cyrSerbs++
			}
		}
		if p.Email != "" {
			withEmail++
		}
		if p.ConsentContact.Given {
			contact++
			if p.ConsentContact.Date != reg || p.ConsentContact.How == "" {
				t.Fatalf("%s: consent %+v", p.Title(), p.ConsentContact)
			}
		}
		if p.ConsentPublish.Given {
			publish++
		}
		if !p.ConsentContact.Given && (p.ConsentContact != data.Consent{}) {
			t.Fatalf("%s: consent not given but dated: %+v", p.Title(), p.ConsentContact)
		}
		perMonth[p.CreatedAt.Month()]++
		countries[p.Country]++
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(persons) }
	within := func(what string, v, lo, hi float64) {
		if v < lo || v > hi {
			t.Errorf("%s: %.1f%%, want %.0f–%.0f%%", what, v, lo, hi)
		}
	}
	within("women", pct(female), 46, 54)
	within("e-mail", pct(withEmail), 64, 76)
	within("consent to contact", pct(contact), 71, 79)
	within("consent to publish", pct(publish), 36, 44)
	within("with a locality", pct(withLocality), 80, 95)
	within("Serbs in Cyrillic (of Serbs from Serbia)", 100*float64(cyrSerbs)/float64(serbs), 25, 42)
	if perMonth[time.August] < 2*perMonth[time.February] {
		t.Errorf("registrations by month show no summer: %v", perMonth)
	}
	if countries["DE"] < countries["CH"] || countries["CH"] < countries["NO"] {
		t.Errorf("countries of residence not weighted like the diaspora: %v", countries)
	}
	t.Logf("by month: %v", perMonth)
	t.Logf("by country: %v", countries)
}

func TestUnique(t *testing.T) {
	recs := collect(t, Options{Persons: 30000, Businesses: 2000, Organisations: 400, Seed: 9, Now: testNow})
	emails, phones, bizNames, orgNames := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for i, r := range recs {
		var e, ph string
		switch v := r.(type) {
		case *data.Person:
			e, ph = v.Email, v.Phone
		case *data.Business:
			e, ph = v.Email, v.Phone
			if j, dup := bizNames[v.Name]; dup {
				t.Errorf("business name %q at %d and %d", v.Name, j, i)
			}
			bizNames[v.Name] = i
		case *data.Organisation:
			e, ph = v.Email, v.Phone
			if j, dup := orgNames[v.Name]; dup {
				t.Errorf("organisation name %q at %d and %d", v.Name, j, i)
			}
			orgNames[v.Name] = i
		case *data.Locality:
			e, ph = v.Email, v.Phone
		}
		if j, dup := emails[e]; e != "" && dup {
			t.Fatalf("e-mail %s at %d and %d", e, j, i)
		}
		if j, dup := phones[ph]; ph != "" && dup {
			t.Fatalf("phone %s at %d and %d", ph, j, i)
		}
		emails[e], phones[ph] = i, i
	}
}

// Every phone number is valid for its country by libphonenumber, not only
// shaped like E.164.
func TestPhonesValid(t *testing.T) {
	recs := collect(t, Options{Persons: 8000, Businesses: 1000, Organisations: 300, Seed: 21, Now: testNow})
	bad := map[string]string{}
	for _, r := range recs {
		var ph, cc string
		switch v := r.(type) {
		case *data.Person:
			ph, cc = v.Phone, v.Country
		case *data.Business:
			ph, cc = v.Phone, v.Country
		case *data.Organisation:
			ph, cc = v.Phone, v.Country
		case *data.Locality:
			ph = v.Phone
		}
		if ph == "" {
			continue
		}
		n, err := phonenumbers.Parse(ph, "")
		if err != nil || !phonenumbers.IsValidNumber(n) {
			bad[ph[:min(len(ph), 7)]] = ph + " " + cc
			continue
		}
		if region := phonenumbers.GetRegionCodeForNumber(n); cc != "" && region != cc {
			bad[ph[:min(len(ph), 7)]] = ph + " is " + region + ", lives in " + cc
		}
	}
	for _, v := range bad {
		t.Errorf("invalid phone: %s", v)
	}
}

// TestValid checks every record against the validate tags of the model, read
// from the struct tags themselves so that a change in data/model.go shows
// here: required, max, min, oneof, dive, email, e164, url, country, year,
// adult and link.
func TestValid(t *testing.T) {
	opt := Options{Persons: 5000, Businesses: 600, Organisations: 200, Seed: 77, Now: testNow}
	recs := collect(t, opt)
	for i, r := range recs {
		m := r.Base()
		if m.Source != data.SourceDemo || m.Version != 0 || m.Schema != data.SchemaVersion || m.CreatedAt.IsZero() {
			t.Fatalf("record %d: meta %+v", i, m)
		}
		if m.CreatedAt.After(testNow) || m.CreatedAt.Before(testNow.AddDate(-windowYears, 0, 0)) {
			t.Fatalf("record %d: created %v", i, m.CreatedAt)
		}
		for _, err := range checkTags(reflect.ValueOf(r).Elem(), "", testNow) {
			t.Errorf("record %d (%s %q): %v", i, data.KindOf(r), r.Title(), err)
		}
		if t.Failed() && i > 50 {
			t.FailNow()
		}
	}
}

var (
	e164RE   = regexp.MustCompile(`^\+?[1-9]\d{7,14}$`)
	emailRE  = regexp.MustCompile(`^[a-z0-9]+([._+-][a-z0-9]+)*@[a-z0-9]+([.-][a-z0-9]+)*\.[a-z]{2,}$`)
	isoCodes = map[string]bool{}
)

func init() {
	prepare() // tests look names up directly
	for _, c := range strings.Fields("DE AT CH SE US SI HR NL DK NO FR IT BE GB CA AU TR LU BA RS XK") {
		isoCodes[c] = true
	}
}

func checkTags(v reflect.Value, path string, now time.Time) []error {
	var errs []error
	tp := v.Type()
	for i := 0; i < tp.NumField(); i++ {
		f := tp.Field(i)
		fv := v.Field(i)
		name := path + f.Name
		if f.Anonymous {
			errs = append(errs, checkTags(fv, name+".", now)...)
			continue
		}
		if f.Type == reflect.TypeOf(data.Consent{}) {
			c := fv.Interface().(data.Consent)
			if c.Given != !c.Date.IsZero() || c.Given != (c.How != "") {
				errs = append(errs, fmt.Errorf("%s: consent %+v", name, c))
			}
		}
		tag := f.Tag.Get("validate")
		if tag == "" {
			continue
		}
		rules := strings.Split(tag, ",")
		if len(rules) > 0 && rules[0] == "dive" {
			for j := 0; j < fv.Len(); j++ {
				errs = append(errs, checkValue(fv.Index(j), rules[1:], fmt.Sprintf("%s[%d]", name, j), now)...)
			}
			continue
		}
		if d := strings.Index(tag, ",dive"); d >= 0 {
			rules = strings.Split(tag[:d], ",")
			for j := 0; j < fv.Len(); j++ {
				errs = append(errs, checkValue(fv.Index(j), strings.Split(tag[d+6:], ","), fmt.Sprintf("%s[%d]", name, j), now)...)
			}
		}
		errs = append(errs, checkValue(fv, rules, name, now)...)
	}
	return errs
}

func checkValue(v reflect.Value, rules []string, name string, now time.Time) []error {
	var errs []error
	bad := func(rule string) { errs = append(errs, fmt.Errorf("%s = %v breaks %q", name, v.Interface(), rule)) }
	if v.Kind() == reflect.Struct && v.Type() == reflect.TypeOf(data.Date{}) {
		d := v.Interface().(data.Date)
		for _, r := range rules {
			if r == "adult" && (d.IsZero() || d.AgeOn(data.DateOf(now)) < 18) {
				bad(r)
			}
		}
		return errs
	}
	zero := v.IsZero()
	for _, r := range rules {
		key, arg, _ := strings.Cut(r, "=")
		switch key {
		case "omitempty":
			if zero {
				return errs
			}
		case "required":
			if zero {
				bad(r)
			}
		case "max", "min":
			n, _ := strconv.Atoi(arg)
			var x int
			switch v.Kind() {
			case reflect.String:
				x = utf8.RuneCountInString(v.String())
			case reflect.Slice:
				x = v.Len()
			default:
				x = int(v.Int())
			}
			if key == "max" && x > n || key == "min" && x < n {
				bad(r)
			}
		case "oneof":
			if !slicesContains(strings.Fields(arg), v.String()) {
				bad(r)
			}
		case "e164":
			if !e164RE.MatchString(v.String()) {
				bad(r)
			}
		case "email":
			if !emailRE.MatchString(v.String()) {
				bad(r)
			}
		case "url":
			u, err := url.Parse(v.String())
			if err != nil || u.Scheme != "https" || !strings.Contains(u.Host, ".") || strings.ContainsAny(v.String(), " „“") {
				bad(r)
			}
		case "country":
			if !isoCodes[v.String()] {
				bad(r)
			}
		case "year":
			if y := int(v.Int()); y < 1900 || y > now.Year() {
				bad(r)
			}
		case "link":
			if _, err := uuid.Parse(v.String()); err != nil {
				bad(r)
			}
		case "adult":
		default:
			errs = append(errs, fmt.Errorf("%s: the test does not know rule %q", name, r))
		}
	}
	return errs
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestZeroNow(t *testing.T) {
	before := time.Now()
	recs := collect(t, Options{Persons: 200, Seed: 1})
	for _, r := range recs {
		c := r.Base().CreatedAt
		if c.After(time.Now()) || c.Before(before.AddDate(-windowYears, 0, -1)) {
			t.Fatalf("%q created %v with Now = time.Now()", r.Title(), c)
		}
	}
}

func TestTransliteration(t *testing.T) {
	for lat, cyr := range map[string]string{
		"Đorđe Petrović": "Ђорђе Петровић", "Ljubiša": "Љубиша", "Njegoš": "Његош", "Džemal": "Џемал",
		"Radosavljević": "Радосављевић", "IT stručnjak": "ИТ стручњак", "LJ": "Љ",
	} {
		if got := toCyrillic(lat); got != cyr {
			t.Errorf("toCyrillic(%q) = %q, want %q", lat, got, cyr)
		}
	}
	for in, want := range map[string]string{"Đorđe": "djordje", "Çelik": "celik", "Ћирић": "ciric", "Mërgim": "mergim", "Hodžić": "hodzic", "İstanbul": "istanbul"} {
		if got := asciiFold(in); got != want {
			t.Errorf("asciiFold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := slug("Udruženje Cazinjana u Beču e.V.", '-', 40); got != "udruzenje-cazinjana-u-becu-e-v" {
		t.Errorf("slug = %q", got)
	}
}

// Records registered after what they link to, at office-like hours, and
// women's associations with women in them.
func TestPlausible(t *testing.T) {
	recs := collect(t, Options{Persons: 6000, Businesses: 800, Organisations: 300, Seed: 13, Now: testNow})
	created := map[string]time.Time{}
	women := map[string]bool{}
	femaleNames := map[string]bool{}
	for cm := range names {
		for _, n := range names[cm].female {
			femaleNames[n.lat], femaleNames[n.cyr] = true, true
		}
	}
	for _, r := range recs {
		m := r.Base()
		if h := m.CreatedAt.Hour(); (h < 6 || h >= 20) && !m.CreatedAt.Equal(testNow) {
			t.Errorf("%s %q registered at %v", m.Kind, r.Title(), m.CreatedAt)
		}
		switch v := r.(type) {
		case *data.Person:
			women[v.ID] = v.Gender == "f"
		case *data.Business:
			for _, o := range v.Owners {
				if v.CreatedAt.Before(created[o.PersonID]) {
					t.Errorf("business %q registered before its owner", v.Name)
				}
			}
		case *data.Organisation:
			if v.UmbrellaID != "" && v.CreatedAt.Before(created[v.UmbrellaID]) {
				t.Errorf("%q registered before its umbrella body", v.Name)
			}
			if v.OrgKind == "women" {
				for _, id := range v.MemberIDs {
					if !women[id] {
						t.Errorf("%q has a male member", v.Name)
					}
				}
				if given, _, _ := strings.Cut(v.ContactPerson, " "); v.ContactPerson != "" && !femaleNames[given] {
					t.Errorf("%q: contact person %s", v.Name, v.ContactPerson)
				}
			}
			if v.FoundedYear > v.CreatedAt.Year() {
				t.Errorf("%q founded %d, registered %v", v.Name, v.FoundedYear, v.CreatedAt)
			}
		}
		created[m.ID] = m.CreatedAt
	}
}

// A Now far in the past or the future still gives adults and sane years.
func TestOddNow(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(1958, 6, 1, 12, 0, 0, 0, time.UTC),
		time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2091, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		recs := collect(t, Options{Persons: 3000, Businesses: 100, Organisations: 60, Seed: 4, Now: now})
		for _, r := range recs {
			reg := data.DateOf(r.Base().CreatedAt)
			switch v := r.(type) {
			case *data.Person:
				if age := v.BirthDate.AgeOn(reg); age < 18 || age > 85 {
					t.Fatalf("Now %v: %s is %d", now, v.Title(), age)
				}
				if e := v.EmigrationYear; e != 0 && (e < 1965 || e > min(2024, reg.Year)) {
					t.Fatalf("Now %v: %s emigrated %d", now, v.Title(), e)
				}
			case *data.Organisation:
				if v.FoundedYear > reg.Year {
					t.Fatalf("Now %v: %q founded %d", now, v.Name, v.FoundedYear)
				}
			}
		}
	}
}

// The model's own validation (data.Validate, with links checked against the
// records put so far) accepts every record.
func TestModelValidate(t *testing.T) {
	recs := collect(t, Options{Persons: 4000, Businesses: 400, Organisations: 150, Seed: 8})
	kinds := map[string]data.Kind{}
	links := func(k data.Kind, id string) bool { return kinds[id] == k }
	failed := 0
	for _, r := range recs {
		if err := data.Validate(r, i18n.EN, links); err != nil {
			t.Errorf("%s %q: %v", data.KindOf(r), r.Title(), err)
			if failed++; failed > 20 {
				t.FailNow()
			}
		}
		kinds[r.Base().ID] = data.KindOf(r)
	}
}

// Duplicate detection (data.MatchKeys: folded names with date of birth or
// country, e-mail) finds no two demo records to be the same, although the
// data has Latin and Cyrillic spellings of the same names.
func TestNoDuplicates(t *testing.T) {
	recs := collect(t, Options{Persons: 60000, Businesses: 3000, Organisations: 800, Seed: 2, Now: testNow})
	owner := map[string]string{}
	for _, r := range recs {
		for _, k := range data.MatchKeys(r) {
			if prev, dup := owner[k]; dup {
				t.Errorf("%s %q and %q share the key %q", data.KindOf(r), prev, r.Title(), k)
			}
			owner[k] = r.Title()
		}
	}
	// The name tables fold the same in both scripts.
	for _, n := range names[serbian].family {
		if fold.Key(n.cyr) != n.key {
			t.Errorf("%s and %s fold differently", n.lat, n.cyr)
		}
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	opt := Options{Persons: 100_000, Businesses: 5_000, Organisations: 1_000, Seed: 1, Now: testNow}
	n := 0
	for b.Loop() {
		if err := Generate(opt, func(data.Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(Count(opt)), "records/op")
}

// Localities the registry already has (a second demo run) are linked to,
// not made again; every other record is what the first run would make.
func TestKnownLocalitiesAreReused(t *testing.T) {
	opt := Options{Persons: 400, Businesses: 20, Organisations: 5, Seed: 9, Now: testNow}
	first := collect(t, opt)
	// The registry knows every second locality, under IDs of its own.
	known := map[[2]string]string{}
	for i, r := range first {
		if l, ok := r.(*data.Locality); ok && i%2 == 0 {
			known[[2]string{l.Name, l.Municipality}] = "known-" + l.ID
		}
	}
	opt.KnownLocality = func(name, muni string) (string, bool) {
		id, ok := known[[2]string{name, muni}]
		return id, ok
	}
	second := collect(t, opt)
	if len(second) != Count(opt) || len(second) != len(first)-len(known) {
		t.Fatalf("%d records, Count %d; want %d", len(second), Count(opt), len(first)-len(known))
	}
	// Map the first run's locality IDs to what the second run links to.
	linkTo := map[string]string{}
	for _, r := range first {
		if l, ok := r.(*data.Locality); ok {
			linkTo[l.ID] = l.ID
			if id, ok := known[[2]string{l.Name, l.Municipality}]; ok {
				linkTo[l.ID] = id
			}
		}
	}
	linked := 0
	j := 0
	for _, r := range first {
		if l, ok := r.(*data.Locality); ok && linkTo[l.ID] != l.ID {
			continue // known: not made again
		}
		want := r
		if p, ok := r.(*data.Person); ok && p.LocalityID != "" {
			cp := *p
			cp.LocalityID = linkTo[p.LocalityID]
			if cp.LocalityID != p.LocalityID {
				linked++
			}
			want = &cp
		}
		if !reflect.DeepEqual(second[j], want) {
			t.Fatalf("record %d differs:\n%+v\nwant\n%+v", j, second[j], want)
		}
		j++
	}
	if linked == 0 {
		t.Fatal("no person linked to a known locality")
	}
}
