package i18n

import "testing"

// Numbers as each language writes them (the reports', the app's and the
// command line's counts).
func TestFormatInt(t *testing.T) {
	for _, c := range []struct {
		n    int
		lang Lang
		want string
	}{
		{5, BS, "5"}, {1234, BS, "1.234"}, {12345, EN, "12,345"}, {1234567, SQ, "1\u00A0234\u00A0567"},
		{-4000, HR, "-4.000"}, {999, EN, "999"},
		{0, EN, "0"}, {1234, EN, "1,234"}, {1234567, BS, "1.234.567"}, {12345, SQ, "12\u00a0345"},
		{1000000, SR, "1.000.000"},
	} {
		if got := FormatInt(c.n, c.lang); got != c.want {
			t.Errorf("FormatInt(%d, %s) = %q, want %q", c.n, c.lang, got, c.want)
		}
	}
}
