package data

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"registar/data/i18n"
)

// changeLine writes a change the way the record page shows it.
func changeLine(c FieldChange) string {
	if c.Old == "" {
		return c.Label + ": " + c.New
	}
	if c.New == "" {
		return c.Label + ": " + c.Old + " → —"
	}
	return c.Label + ": " + c.Old + " → " + c.New
}

func changeLines(cs []FieldChange) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = changeLine(c)
	}
	return out
}

func encodeRecord(t *testing.T, r Record) []byte {
	t.Helper()
	b, err := Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// historyPerson is the person every case starts from.
func historyPerson() *Person {
	return &Person{
		Meta:      Meta{ID: "p1", Version: 3, UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedBy: "clerk"},
		GivenName: "Amra", FamilyName: "Hodžić", Gender: "f", BirthDate: NewDate(1985, 3, 12),
		Country: "DE", City: "Stuttgart", LocalityID: "loc-1", Phone: "+4917612345678",
		Interests: []string{"invest"},
	}
}

// historyTitles names the linked records of the cases.
func historyTitles(id string) string {
	return map[string]string{"loc-1": "Ćoralići", "loc-2": "Pećigrad", "p1": "Amra Hodžić", "p2": "Emir Kovač"}[id]
}

func TestFieldChangesShowValuesAsPeopleReadThem(t *testing.T) {
	longNote := strings.Repeat("Zvao je u vezi sa investicijom u Cazinu. ", 6)
	cases := []struct {
		name   string
		change func(p *Person)
		bs, sr []string
	}{
		{"city and country", func(p *Person) { p.City, p.Country = "München", "AT" },
			[]string{"Država: Njemačka → Austrija", "Grad: Stuttgart → München"},
			[]string{"Држава: Немачка → Аустрија", "Град: Stuttgart → München"}},
		{"date of birth", func(p *Person) { p.BirthDate = NewDate(1986, 4, 2) },
			[]string{"Datum rođenja: 12.03.1985. → 02.04.1986."},
			[]string{"Датум рођења: 12.03.1985. → 02.04.1986."}},
		{"local community by name", func(p *Person) { p.LocalityID = "loc-2" },
			[]string{"Mjesna zajednica: Ćoralići → Pećigrad"},
			[]string{"Месна заједница: Ćoralići → Pećigrad"}},
		{"phone with spaces", func(p *Person) { p.Phone = "+38761123456" },
			[]string{"Telefon: +49 176 12345678 → +387 61 123 456"},
			[]string{"Телефон: +49 176 12345678 → +387 61 123 456"}},
		{"gender label", func(p *Person) { p.Gender = "m" },
			[]string{"Spol: Ženski → Muški"},
			[]string{"Пол: Женски → Мушки"}},
		{"interests labels", func(p *Person) { p.Interests = []string{"invest", "return"} },
			[]string{"Interesi: Ulaganje u domovini → Ulaganje u domovini, Povratak u domovinu"},
			[]string{"Интересовања: Улагање у домовини → Улагање у домовини, Повратак у домовину"}},
		{"consent given", func(p *Person) {
			p.ConsentContact = Consent{Given: true, Date: NewDate(2026, 1, 5), How: "written"}
		},
			[]string{"Saglasnost za kontakt: Ne → Da, 05.01.2026., Pismeno"},
			[]string{"Сагласност за контакт: Не → Да, 05.01.2026., Писмено"}},
		{"emptied field", func(p *Person) { p.City = "" },
			[]string{"Grad: Stuttgart → —"},
			[]string{"Град: Stuttgart → —"}},
		{"meta alone is no change", func(p *Person) {
			p.Version, p.UpdatedBy, p.UpdatedAt = 4, "other", time.Now()
		}, nil, nil},
		{"long note shortened", func(p *Person) { p.Notes = longNote },
			[]string{"Napomene: " + shorten(strings.TrimSpace(longNote), historyTextMax)},
			[]string{"Напомене: " + shorten(strings.TrimSpace(longNote), historyTextMax)}},
	}
	for _, c := range cases {
		before := historyPerson()
		after := historyPerson()
		c.change(after)
		b, a := encodeRecord(t, before), encodeRecord(t, after)
		for _, lc := range []struct {
			lang i18n.Lang
			want []string
		}{{i18n.BS, c.bs}, {i18n.SR, c.sr}} {
			got := changeLines(FieldChanges(KindPerson, b, a, lc.lang, historyTitles))
			if strings.Join(got, "\n") != strings.Join(lc.want, "\n") {
				t.Errorf("%s in %s:\n got %q\nwant %q", c.name, lc.lang, got, lc.want)
			}
		}
	}
}

func TestFieldChangesShortensLongTexts(t *testing.T) {
	before, after := historyPerson(), historyPerson()
	before.Notes = strings.Repeat("Dolazi svakog ljeta na dva mjeseca i pita za zemljište. ", 4)
	after.Notes = before.Notes + "Javiti se u martu."
	cs := FieldChanges(KindPerson, encodeRecord(t, before), encodeRecord(t, after), i18n.BS, nil)
	if len(cs) != 1 {
		t.Fatalf("changes: %q", changeLines(cs))
	}
	for _, v := range []string{cs[0].Old, cs[0].New} {
		if n := utf8.RuneCountInString(v); n > historyTextMax || !strings.Contains(v, "…") {
			t.Errorf("long note not shortened with an ellipsis (%d characters): %q", n, v)
		}
	}
	// The two notes begin alike for longer than is shown: what is shown is
	// where they differ.
	if cs[0].Old == cs[0].New || !strings.Contains(cs[0].New, "Javiti") {
		t.Errorf("the difference is not visible: %q → %q", cs[0].Old, cs[0].New)
	}
}

func TestFieldChangesOfACreationListFirstValuesInFormOrder(t *testing.T) {
	p := historyPerson()
	got := changeLines(FieldChanges(KindPerson, nil, encodeRecord(t, p), i18n.SR, historyTitles))
	want := []string{"Име: Amra", "Презиме: Hodžić", "Пол: Женски", "Датум рођења: 12.03.1985.",
		"Месна заједница: Ćoralići", "Држава: Немачка", "Град: Stuttgart", "Телефон: +49 176 12345678",
		"Интересовања: Улагање у домовини"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("creation:\n got %q\nwant %q", got, want)
	}
}

func TestFieldChangesOtherKinds(t *testing.T) {
	b1 := &Business{Meta: Meta{ID: "b1"}, Name: "Kovač d.o.o.", Country: "CH", Owners: []Owner{{PersonID: "p1", Share: "owner"}}}
	b2 := &Business{Meta: Meta{ID: "b1"}, Name: "Kovač d.o.o.", Country: "CH", InvestAtHome: true,
		Owners: []Owner{{PersonID: "p1", Share: "co-owner"}, {PersonID: "p2", Share: "co-owner"}}}
	got := changeLines(FieldChanges(KindBusiness, encodeRecord(t, b1), encodeRecord(t, b2), i18n.BS, historyTitles))
	want := []string{"Vlasnici: Amra Hodžić (Vlasnik) → Amra Hodžić (Suvlasnik), Emir Kovač (Suvlasnik)",
		"Interes za ulaganje u domovini: Ne → Da"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("business:\n got %q\nwant %q", got, want)
	}
	o1 := &Organisation{Meta: Meta{ID: "o1"}, Name: "Udruženje", OrgKind: "cso", Country: "SE", FoundedYear: 1995}
	o2 := &Organisation{Meta: Meta{ID: "o1"}, Name: "Udruženje", OrgKind: "cultural", Country: "SE", FoundedYear: 1996}
	got = changeLines(FieldChanges(KindOrganisation, encodeRecord(t, o1), encodeRecord(t, o2), i18n.SR, nil))
	want = []string{"Врста организације: Организација цивилног друштва → " + ValueLabel(GroupOrgKind, "cultural", i18n.SR),
		FieldLabel("founded_year", i18n.SR) + ": 1995 → 1996"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("organisation:\n got %q\nwant %q", got, want)
	}
}

func TestFieldChangesShowsAnUnknownLinkByID(t *testing.T) {
	before, after := historyPerson(), historyPerson()
	after.LocalityID = "loc-9"
	got := changeLines(FieldChanges(KindPerson, encodeRecord(t, before), encodeRecord(t, after), i18n.BS, historyTitles))
	if len(got) != 1 || got[0] != "Mjesna zajednica: Ćoralići → loc-9" {
		t.Fatalf("got %q", got)
	}
}

func TestHistoryChangesPairsEachStepWithWhatItLeft(t *testing.T) {
	v1 := historyPerson()
	v2 := historyPerson()
	v2.City = "München"
	v3 := historyPerson()
	v3.City = "München"
	v3.Country = "AT"
	steps := []HistoryStep{
		{Before: nil},                 // created as v1
		{Before: encodeRecord(t, v1)}, // v1 → v2
		{NoValues: true},              // to the trash and
		{NoValues: true},              // back
		{Before: encodeRecord(t, v2)}, // v2 → v3
	}
	got := HistoryChanges(KindPerson, steps, encodeRecord(t, v3), i18n.BS, historyTitles)
	if len(got) != len(steps) {
		t.Fatalf("%d results for %d steps", len(got), len(steps))
	}
	if !got[0].Known || !got[0].Created || len(got[0].Fields) == 0 || changeLine(got[0].Fields[6]) != "Grad: Stuttgart" {
		t.Errorf("creation: %+v", got[0])
	}
	if l := changeLines(got[1].Fields); !got[1].Known || got[1].Created || strings.Join(l, "|") != "Grad: Stuttgart → München" {
		t.Errorf("first change: %q", l)
	}
	if !got[2].Known || len(got[2].Fields) != 0 || !got[3].Known || len(got[3].Fields) != 0 {
		t.Errorf("trash and restore show values: %+v %+v", got[2], got[3])
	}
	if l := changeLines(got[4].Fields); strings.Join(l, "|") != "Država: Njemačka → Austrija" {
		t.Errorf("second change: %q", l)
	}
}

func TestHistoryChangesWithoutKeptValuesAreUnknown(t *testing.T) {
	v1, v2 := historyPerson(), historyPerson()
	v2.City = "Ulm"
	steps := []HistoryStep{
		{Before: nil},                 // created
		{Before: encodeRecord(t, v1)}, // a change whose result is not kept…
		{Before: nil},                 // …because this change kept no Before
	}
	got := HistoryChanges(KindPerson, steps, encodeRecord(t, v2), i18n.BS, nil)
	if got[1].Known || got[2].Known {
		t.Fatalf("values shown where none were kept: %+v", got)
	}
	if !got[0].Known || !got[0].Created {
		t.Fatalf("creation lost: %+v", got[0])
	}
	// An erased record: no values anywhere.
	got = HistoryChanges(KindPerson, []HistoryStep{{}, {}, {NoValues: true}}, nil, i18n.BS, nil)
	for i, c := range got {
		if len(c.Fields) != 0 {
			t.Fatalf("step %d of an erased record shows values: %+v", i, c)
		}
	}
}
