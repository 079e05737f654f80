package i18n

import (
	"strings"
	"testing"
)

// Every key in English exists in every other language, and no language has a
// key English lacks: a missing translation fails here, not in front of a clerk.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	en := Catalog(EN)
	if len(en) == 0 {
		t.Fatal("English catalogue is empty")
	}
	for _, l := range All {
		c := Catalog(l)
		for k := range en {
			if strings.TrimSpace(c[k]) == "" {
				t.Errorf("%s: key %q missing or empty", l, k)
			}
		}
		for k := range c {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: key %q is not in English", l, k)
			}
		}
	}
}

// Placeholders survive translation: a text that drops {field} hides the field.
func TestPlaceholdersKept(t *testing.T) {
	en := Catalog(EN)
	for _, l := range All {
		c := Catalog(l)
		for k, v := range en {
			for _, ph := range []string{"{field}", "{param}", "{value}", "{n}"} {
				if strings.Contains(v, ph) && !strings.Contains(c[k], ph) {
					t.Errorf("%s: %q lost placeholder %s: %q", l, k, ph, c[k])
				}
			}
		}
	}
}

func TestSerbianLatinDerived(t *testing.T) {
	if got := T(SRLatn, "kind.business"); got != "Preduzeće" {
		t.Fatalf("sr-Latn kind.business = %q", got)
	}
	if got := T(SR, "kind.business"); got != "Предузеће" {
		t.Fatalf("sr kind.business = %q", got)
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"bs", BS, true}, {"bs_BA.UTF-8", BS, true}, {"hr-HR", HR, true},
		{"sr_RS", SR, true}, {"sr_Latn_RS", SRLatn, true}, {"sr_RS@latin", SRLatn, true},
		{"sr-Latn", SRLatn, true}, {"sq_XK.UTF-8", SQ, true}, {"en_US", EN, true},
		{"C", EN, false}, {"POSIX", EN, false}, {"", EN, false}, {"de_DE", EN, false},
	}
	for _, c := range cases {
		got, ok := Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %q,%v want %q,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestTFillsPlaceholdersAndFallsBack(t *testing.T) {
	if got := T(BS, "no.such.key"); got != "no.such.key" {
		t.Fatalf("unknown key: %q", got)
	}
	if got := T(EN, "kind.person"); got != "Person" {
		t.Fatalf("got %q", got)
	}
}
