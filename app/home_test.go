package app

import (
	"testing"

	"registar/data/i18n"
)

// Counts read as the office writes them: 1.000.000 in the Slavic
// languages, 1 000 000 (no-break spaces) in Albanian, 1,000,000 in English.
func TestCountsWithThousandsSeparators(t *testing.T) {
	for _, c := range []struct {
		lang i18n.Lang
		want string
	}{{i18n.BS, "1.000.000 (50 %)"}, {i18n.SR, "1.000.000 (50 %)"}, {i18n.SQ, "1\u00a0000\u00a0000 (50 %)"}, {i18n.EN, "1,000,000 (50 %)"}} {
		if got := percentText(c.lang, 1_000_000, 2_000_000); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
	if got := percentText(i18n.BS, 999, 1000); got != "999 (100 %)" {
		t.Errorf("999 of 1000: %q", got)
	}
}
