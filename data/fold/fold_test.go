package fold

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldMeetsAllSpellings(t *testing.T) {
	groups := [][]string{
		{"djordje", "dordje", "đorđe", "Ђорђе", "Đorđe", "DJORDJE", "Dorde"},
		{"petrovic", "Petrović", "Петровић", "PETROVIĆ"},
		{"celik", "Çelik", "Čelik", "Ćelik"},
		{"gjilan", "Gjilan", "GJILAN"},
		{"ljiljana", "Љиљана", "Ljiljana", "ǈiljana"},
		{"dzenan", "Džena" + "n", "Џенан", "ǅenan"},
		{"se", "Shë"[0:0] + "se", "Së"},
	}
	for _, g := range groups {
		want := Fold(g[0])
		for _, s := range g[1:] {
			if got := Fold(s); got != want {
				t.Errorf("Fold(%q) = %q, want %q (as %q)", s, got, want, g[0])
			}
		}
	}
}

func TestWords(t *testing.T) {
	got := strings.Join(Words("  Đorđe Petrović-Jovanović, Beč 1970 "), "|")
	if got != "dorde|petrovic|jovanovic|bec|1970" {
		t.Fatalf("Words = %q", got)
	}
	if Key("  Datum   rođenja ") != Key("datum rodjenja") {
		t.Fatal("Key differs")
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Đorđe", "Ђорђе", "Çelik", "ǅ", "ddjj", "Љ", "\xff", "ß", "straße"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if strings.Contains(once, "dj") {
			t.Fatalf("%q folds to %q, which still has dj", s, once)
		}
		// A word and its upper-case form fold alike.
		if Fold(strings.ToUpper(s)) != Fold(strings.ToLower(s)) && utf8.ValidString(s) && isSimple(s) {
			t.Fatalf("case matters for %q", s)
		}
	})
}

// isSimple limits the case check to letters whose upper/lower forms are one
// rune each way in the alphabets we fold.
func isSimple(s string) bool {
	for _, r := range s {
		if (r >= 0x250 && r < 0x400) || r > 0x4FF || r == 'ı' || r == 'İ' || r == 'ſ' || r == 'K' || r == 'ß' || r == 'ǅ' || r == 'ǈ' || r == 'ǋ' || r == 'ǲ' {
			return false
		}
	}
	return true
}
