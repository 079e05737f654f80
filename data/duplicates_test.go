package data

import "testing"

func TestMatchKeysAreScriptBlind(t *testing.T) {
	a := &Person{GivenName: "Đorđe", FamilyName: "Petrović", BirthDate: NewDate(1980, 1, 2)}
	b := &Person{GivenName: "Ђорђе", FamilyName: "ПЕТРОВИЋ", BirthDate: NewDate(1980, 1, 2)}
	c := &Person{GivenName: "Djordje", FamilyName: "Petrovic", BirthDate: NewDate(1981, 1, 2)}
	h1 := &Person{GivenName: "Emir", FamilyName: "Hodzic", Email: "E.Hodzic@gmx.de"}
	h2 := &Person{GivenName: "Emir", FamilyName: "Hodžić", Email: "e.hodzic@gmx.de"}
	if !shareKey(a, b) {
		t.Fatal("same person in two scripts not matched")
	}
	if shareKey(a, c) {
		t.Fatal("different date of birth matched")
	}
	if !shareKey(h1, h2) {
		t.Fatal("Hodzic and Hodžić with one e-mail not matched")
	}
	if len(MatchKeys(&Person{GivenName: "Ana"})) != 0 {
		t.Fatal("a name without a date of birth must not match by name")
	}
}

func shareKey(a, b Record) bool {
	seen := map[string]bool{}
	for _, k := range MatchKeys(a) {
		seen[k] = true
	}
	for _, k := range MatchKeys(b) {
		if seen[k] {
			return true
		}
	}
	return false
}
