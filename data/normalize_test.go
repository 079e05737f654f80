package data

import "testing"

func TestNormalizePhone(t *testing.T) {
	cases := []struct{ in, region, want string }{
		{"061/242-771", "BA", "+38761242771"},
		{"+387 61 242 771", "", "+38761242771"},
		{"00387 61 242 771", "DE", "+38761242771"},
		{"+38761242771", "DE", "+38761242771"},
		{"044 123 456", "XK", "+38344123456"},
		{"0151 12345678", "DE", "+4915112345678"},
		{"041 123 456", "BA", "041 123 456"}, // Slovenian, not valid in BA: left for validation to name
		{"041 123 456", "SI", "+38641123456"},
		{"not a phone", "BA", "not a phone"},
		{"  ", "BA", ""},
	}
	for _, c := range cases {
		if got := NormalizePhone(c.in, c.region); got != c.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, want %q", c.in, c.region, got, c.want)
		}
	}
}
