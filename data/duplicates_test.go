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

// IDTable gives back every ID as added, UUIDs and others alike.
func TestIDTable(t *testing.T) {
	var tab IDTable
	ids := []string{"0196f3a2-7c1e-7b3a-9a4e-2f1c3d4e5f60", "legacy-17", "0196F3A2-7C1E-7B3A-9A4E-2F1C3D4E5F60", "", "0196f3a2-7c1e-7b3a-9a4e-2f1c3d4e5f61"}
	for i, id := range ids {
		if n := tab.Add(id); n != int32(i) {
			t.Fatalf("%q numbered %d, want %d", id, n, i)
		}
	}
	for i, id := range ids {
		if got := tab.ID(int32(i)); got != id {
			t.Fatalf("ID(%d) = %q, want %q", i, got, id)
		}
	}
}
