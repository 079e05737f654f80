package data

import (
	"reflect"
	"strings"
	"testing"

	"registar/data/i18n"
)

func TestParseGender(t *testing.T) {
	cases := map[string]string{
		"M": "m", "m": "m", "М": "m", "м": "m", "muško": "m", "musko": "m", "muški": "m", "MUŠKO": "m",
		"male": "m", "Male": "m", "мушко": "m", "мушки": "m", "mashkull": "m", "mashkullore": "m",
		"Muškarac": "m", " m ": "m",
		"Ž": "f", "ž": "f", "Z": "f", "z": "f", "F": "f", "f": "f", "Ж": "f", "ж": "f", "žensko": "f",
		"zensko": "f", "ženski": "f", "female": "f", "Female": "f", "женско": "f", "женски": "f",
		"femër": "f", "femer": "f", "femërore": "f", "Žena": "f", "W": "f",
	}
	for in, want := range cases {
		if got, ok := ParseGender(in); !ok || got != want {
			t.Errorf("ParseGender(%q) = %q,%v want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", " ", "x", "?", "mf", "muško žensko", "1", "n/a"} {
		if got, ok := ParseGender(in); ok {
			t.Errorf("ParseGender(%q) = %q, want not ok", in, got)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	yes := []string{"da", "Da", "DA", "да", "Да", "po", "Po", "yes", "Yes", "x", "X", "✓", " ✓ ", "✔", "1", "true", "TRUE", "d", "y", "Y"}
	no := []string{"ne", "Ne", "не", "НЕ", "jo", "Jo", "no", "No", "0", "false", "n", "N", "✗"}
	for _, s := range yes {
		if v, ok := ParseYesNo(s); !ok || !v {
			t.Errorf("ParseYesNo(%q) = %v,%v want yes", s, v, ok)
		}
	}
	for _, s := range no {
		if v, ok := ParseYesNo(s); !ok || v {
			t.Errorf("ParseYesNo(%q) = %v,%v want no", s, v, ok)
		}
	}
	for _, s := range []string{"", "  ", "maybe", "2", "da ne", "?"} {
		if v, ok := ParseYesNo(s); ok {
			t.Errorf("ParseYesNo(%q) = %v, want not ok", s, v)
		}
	}
}

func TestParseValues(t *testing.T) {
	cases := []struct {
		parse func(string) (string, bool)
		in    string
		want  string
	}{
		{ParseInterest, "invest", "invest"},
		{ParseInterest, "Ulaganje u domovini", "invest"},
		{ParseInterest, "ulaganje u domovinu", "invest"},
		{ParseInterest, "Улагање у домовини", "invest"},
		{ParseInterest, "Investim në vendlindje", "invest"},
		{ParseInterest, "investicije", "invest"},
		{ParseInterest, "Povratak", "return"},
		{ParseInterest, "Kthim", "return"},
		{ParseInterest, "Pokretanje biznisa", "business"},
		{ParseInterest, "pokretanje", "business"},
		{ParseInterest, "Volontiranje", "volunteer"},
		{ParseInterest, "mentorstvo", "volunteer"},
		{ParseInterest, "Vullnetarizëm ose mentorim", "volunteer"},
		{ParseInterest, "KULTURA", "culture"},
		{ParseEducation, "bachelor", "bachelor"},
		{ParseEducation, "Osnovna škola", "primary"},
		{ParseEducation, "osnovna skola", "primary"},
		{ParseEducation, "OŠ", "primary"},
		{ParseEducation, "SSS", "secondary"},
		{ParseEducation, "Средња школа", "secondary"},
		{ParseEducation, "Shkollë e mesme", "secondary"},
		{ParseEducation, "Viša škola", "vocational"},
		{ParseEducation, "fakultet", "bachelor"},
		{ParseEducation, "Fakultet (prvostupnik)", "bachelor"},
		{ParseEducation, "magistar", "master"},
		{ParseEducation, "mr", "master"},
		{ParseEducation, "PhD", "doctorate"},
		{ParseEducation, "Doktoraturë", "doctorate"},
		{ParseEducation, "доктор", "doctorate"},
		{ParseOrgKind, "cso", "cso"},
		{ParseOrgKind, "CSO", "cso"},
		{ParseOrgKind, "diaspora_association", "diaspora_association"},
		{ParseOrgKind, "diaspora association", "diaspora_association"},
		{ParseOrgKind, "Udruženje dijaspore", "diaspora_association"},
		{ParseOrgKind, "Iseljenička udruga", "diaspora_association"},
		{ParseOrgKind, "Shoqatë e diasporës", "diaspora_association"},
		{ParseOrgKind, "NVO", "cso"},
		{ParseOrgKind, "OJQ", "cso"},
		{ParseOrgKind, "Organizacija civilnog društva", "cso"},
		{ParseOrgKind, "KUD", "cultural"},
		{ParseOrgKind, "Kulturna", "cultural"},
		{ParseOrgKind, "Savez", "umbrella"},
		{ParseOrgKind, "Кровна организација", "umbrella"},
		{ParseOrgKind, "Omladinska", "youth"},
		{ParseOrgKind, "Udruga mladih", "youth"},
		{ParseOrgKind, "E grave", "women"},
		{ParseOrgKind, "Vjerska", "religious"},
		{ParseOrgKind, "верска", "religious"},
		{ParseOrgKind, "Tjetër", "other"},
	}
	for _, c := range cases {
		if got, ok := c.parse(c.in); !ok || got != c.want {
			t.Errorf("parse(%q) = %q,%v want %q", c.in, got, ok, c.want)
		}
	}
	bad := []struct {
		parse func(string) (string, bool)
		in    string
	}{
		{ParseInterest, ""}, {ParseInterest, "nešto"}, {ParseInterest, "Ulaganje i povratak"},
		{ParseEducation, "škola"}, {ParseEducation, ""}, {ParseEducation, "VSS"},
		{ParseOrgKind, "organizacija"}, {ParseOrgKind, "xyz"},
	}
	for _, b := range bad {
		if got, ok := b.parse(b.in); ok {
			t.Errorf("parse(%q) = %q, want not ok", b.in, got)
		}
	}
	if _, ok := ParseValue("no-such-group", "x"); ok {
		t.Error("unknown group parsed")
	}
	if got, ok := ParseValue(GroupGeneration, "Druga generacija"); !ok || got != "2" {
		t.Errorf("generation: %q %v", got, ok)
	}
	if got, ok := ParseValue(GroupShare, "Suvlasnik"); !ok || got != "co-owner" {
		t.Errorf("share: %q %v", got, ok)
	}
}

// Every label of every value in every language reads back as its code, and
// no folded form belongs to two codes of a group.
func TestValueLabelsRoundTrip(t *testing.T) {
	valuesOnce.Do(buildValueParsers)
	for _, c := range valueClashes {
		t.Errorf("folded form shared by two values: %s", c)
	}
	for group, codes := range valueCodes {
		for _, l := range i18n.All {
			for _, c := range codes {
				key := valueKey(group, c)
				if !i18n.Has(l, key) {
					t.Errorf("%s: no %s", l, key)
					continue
				}
				label := i18n.T(l, key)
				if got, ok := ParseValue(group, label); !ok || got != c {
					t.Errorf("%s: ParseValue(%s, %q) = %q,%v want %s", l, group, label, got, ok, c)
				}
				if got, ok := ParseValue(group, c); !ok || got != c {
					t.Errorf("ParseValue(%s, %q) = %q,%v", group, c, got, ok)
				}
			}
		}
	}
}

func TestValueLabel(t *testing.T) {
	cases := []struct {
		group, code string
		lang        i18n.Lang
		want        string
	}{
		{"gender", "f", i18n.EN, "Female"},
		{"gender", "f", i18n.BS, "Ženski"},
		{"gender", "m", i18n.SR, "Мушки"},
		{"gender", "m", i18n.SRLatn, "Muški"},
		{"gender", "f", i18n.SQ, "Femër"},
		{"org_kind", "diaspora_association", i18n.HR, "Iseljenička udruga"},
		{"share", "co-owner", i18n.SQ, "Bashkëpronar"},
		{"generation", "2", i18n.SR, "Друга генерација"},
		{"yes", "", i18n.EN, ""}, // not a value key: the code comes back
		{"gender", "x", i18n.BS, "x"},
	}
	for _, c := range cases {
		if got := ValueLabel(c.group, c.code, c.lang); got != c.want {
			t.Errorf("ValueLabel(%s, %s, %s) = %q, want %q", c.group, c.code, c.lang, got, c.want)
		}
	}
	if got := i18n.T(i18n.SQ, "value.yes"); got != "Po" {
		t.Errorf("value.yes sq = %q", got)
	}
}

// The value groups list exactly the codes the model's oneof rules allow.
func TestValueGroupsMatchModel(t *testing.T) {
	want := map[string]string{} // group → oneof param
	for _, typ := range []reflect.Type{reflect.TypeOf(Person{}), reflect.TypeOf(Business{}), reflect.TypeOf(Organisation{}),
		reflect.TypeOf(Locality{}), reflect.TypeOf(Owner{}), reflect.TypeOf(Consent{}), reflect.TypeOf(Meta{})} {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			for _, tag := range strings.Split(f.Tag.Get("validate"), ",") {
				if p, ok := strings.CutPrefix(tag, "oneof="); ok {
					group, found := valueGroups[name]
					if !found {
						t.Errorf("%s.%s: oneof without a value group", typ.Name(), f.Name)
						continue
					}
					want[group] = p
				}
			}
		}
	}
	for group, p := range want {
		if got := strings.Join(valueCodes[group], " "); got != p {
			t.Errorf("group %s: codes %q, model allows %q", group, got, p)
		}
	}
	if len(want) < 8 {
		t.Errorf("found %d oneof groups in the model", len(want))
	}
}

func FuzzParseGender(f *testing.F) {
	for _, s := range []string{"M", "Ž", "ж", "femër", "", "\xff", "ǅ", "dj", "✓", "muško žensko"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, ok := ParseGender(s)
		if ok != (g == "f" || g == "m") {
			t.Fatalf("ParseGender(%q) = %q,%v", s, g, ok)
		}
		_, _ = ParseYesNo(s)
		_, _ = ParseEducation(s)
		_, _ = ParseInterest(s)
		_, _ = ParseOrgKind(s)
	})
}
