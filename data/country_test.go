package data

import (
	"testing"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"registar/data/i18n"
	"registar/data/script"
)

// Every language is served by its own CLDR locale in x/text, not by a
// fallback: if x/text ever drops one, this fails and displayTag needs one.
func TestCountryLocalesSupported(t *testing.T) {
	m := language.NewMatcher(display.Supported.Tags())
	for _, l := range i18n.All {
		tag := displayTag(l)
		got, _, conf := m.Match(tag)
		if conf != language.Exact {
			t.Errorf("%s: display data for %s matched %s with confidence %v", l, tag, got, conf)
		}
		xk := CountryName("XK", l)
		if xk == "" || xk == "XK" {
			t.Errorf("%s: Kosovo has no name (%q)", l, xk)
		}
	}
	for _, c := range Countries(i18n.SRLatn) {
		for _, r := range c.Name {
			if unicode.Is(unicode.Cyrillic, r) {
				t.Errorf("sr-Latn name of %s is not Latin: %q", c.Code, c.Name)
				break
			}
		}
	}
	cyr := 0
	for _, c := range Countries(i18n.SR) {
		if l := CountryName(c.Code, i18n.SRLatn); l != script.ToLatin(c.Name) {
			t.Errorf("%s: sr-Latn %q is not the transliteration of %q", c.Code, l, c.Name)
		}
		for _, r := range c.Name {
			if unicode.Is(unicode.Cyrillic, r) {
				cyr++
				break
			}
		}
	}
	if cyr < 240 {
		t.Errorf("only %d Serbian country names are Cyrillic", cyr)
	}
}

func TestCountryName(t *testing.T) {
	cases := []struct {
		code string
		lang i18n.Lang
		want string
	}{
		{"DE", i18n.EN, "Germany"},
		{"DE", i18n.BS, "Njemačka"},
		{"DE", i18n.HR, "Njemačka"},
		{"DE", i18n.SR, "Немачка"},
		{"DE", i18n.SRLatn, "Nemačka"},
		{"DE", i18n.SQ, "Gjermani"},
		{"de", i18n.BS, "Njemačka"},
		{"CH", i18n.BS, "Švicarska"},
		{"CH", i18n.SRLatn, "Švajcarska"},
		{"CH", i18n.SQ, "Zvicër"},
		{"XK", i18n.EN, "Kosovo"},
		{"XK", i18n.BS, "Kosovo"},
		{"XK", i18n.HR, "Kosovo"},
		{"XK", i18n.SR, "Косово"},
		{"XK", i18n.SRLatn, "Kosovo"},
		{"XK", i18n.SQ, "Kosovë"},
		{"BA", i18n.BS, "Bosna i Hercegovina"},
		{"BA", i18n.SR, "Босна и Херцеговина"},
		{"RS", i18n.SQ, "Serbi"},
		{"ZZ", i18n.BS, "ZZ"},
		{"EU", i18n.BS, "EU"},
		{"YU", i18n.EN, "YU"},
		{"", i18n.EN, ""},
		{"nonsense", i18n.SQ, "nonsense"},
	}
	for _, c := range cases {
		if got := CountryName(c.code, c.lang); got != c.want {
			t.Errorf("CountryName(%q, %s) = %q, want %q", c.code, c.lang, got, c.want)
		}
	}
}

func TestCountries(t *testing.T) {
	for _, l := range i18n.All {
		list := Countries(l)
		// ISO 3166-1 has 249 countries; CLDR adds Kosovo.
		if len(list) != 250 {
			t.Errorf("%s: %d countries, want 250", l, len(list))
		}
		seen := map[string]bool{}
		for _, c := range list {
			if seen[c.Code] {
				t.Errorf("%s: %s twice", l, c.Code)
			}
			seen[c.Code] = true
			if c.Name == "" || c.Name == c.Code {
				t.Errorf("%s: %s has no name", l, c.Code)
			}
		}
		for _, c := range []string{"XK", "BA", "RS", "HR", "ME", "MK", "AL", "DE", "AT", "CH", "SE", "US", "GB", "AX", "BQ", "SS", "CW", "SX", "AQ"} {
			if !seen[c] {
				t.Errorf("%s: %s missing", l, c)
			}
		}
		for _, c := range []string{"EU", "EZ", "UN", "QO", "ZZ", "AC", "CP", "DG", "EA", "IC", "TA", "YU", "CS", "SU", "DD", "UK", "ZR", "AN", "XA", "AA"} {
			if seen[c] {
				t.Errorf("%s: %s is not a country", l, c)
			}
		}
	}
	// The language's own alphabet: Č after C in Bosnian, Croatian and Serbian
	// Latin; Ç after C in Albanian; Cyrillic order in Serbian.
	order := []struct {
		lang          i18n.Lang
		first, second string
	}{
		{i18n.BS, "ME", "TD"}, // Crna Gora < Čad
		{i18n.HR, "ME", "TD"},
		{i18n.SRLatn, "ME", "TD"},
		{i18n.SQ, "CI", "CZ"}, // Côte d’Ivoire < Çeki
		{i18n.SR, "AL", "RS"}, // Албанија < Србија
		{i18n.SR, "TD", "CZ"}, // Чад < Чешка
		{i18n.EN, "TD", "CL"}, // Chad < Chile
		{i18n.BS, "AL", "ZW"},
		{i18n.BS, "TD", "CL"},     // Čad < Čile
		{i18n.HR, "CL", "ZA"},     // Čile < Južnoafrička Republika (Č is not J)
		{i18n.SRLatn, "DK", "DJ"}, // Danska < Džibuti
	}
	for _, o := range order {
		pos := map[string]int{}
		for i, c := range Countries(o.lang) {
			pos[c.Code] = i
		}
		if pos[o.first] >= pos[o.second] {
			t.Errorf("%s: %s (%s) should sort before %s (%s)", o.lang, o.first, CountryName(o.first, o.lang), o.second, CountryName(o.second, o.lang))
		}
	}
}

func TestIsCountryCode(t *testing.T) {
	for _, c := range []string{"DE", "BA", "XK", "RS", "US", "GB", "AQ"} {
		if !isCountryCode(c) {
			t.Errorf("%s should be a country", c)
		}
	}
	for _, c := range []string{"", "de", "D", "DEU", "276", "EU", "UN", "YU", "UK", "ZZ", "XX", "QO", "AC", "1A", "Ñ"} {
		if isCountryCode(c) {
			t.Errorf("%q should not be a country", c)
		}
	}
}

func TestParseCountry(t *testing.T) {
	cases := map[string]string{
		"de": "DE", "DE": "DE", " De ": "DE", "DEU": "DE", "deu": "DE",
		"Njemačka": "DE", "njemacka": "DE", "NJEMAČKA": "DE", "Немачка": "DE", "Nemačka": "DE",
		"nemacka": "DE", "Gjermani": "DE", "Germany": "DE", "Deutschland": "DE",
		"XK": "XK", "xk": "XK", "Kosovo": "XK", "Kosova": "XK", "Kosovë": "XK", "Косово": "XK",
		"BiH": "BA", "BIH": "BA", "B i H": "BA", "Bosna i Hercegovina": "BA", "bosna i hercegovina": "BA",
		"Bosnia": "BA", "Myanmar (Burma)": "MM", "Sveti Martin (Francuska)": "MF", "Sveti Martin (Holandija)": "SX", "Hong Kong": "HK", "Kina": "CN", "Francuska": "FR", "Bosnia and Herzegovina": "BA", "Bosnia & Herzegovina": "BA", "Босна и Херцеговина": "BA",
		"Bosnjë-Hercegovinë": "BA", "BA": "BA",
		"USA": "US", "SAD": "US", "Amerika": "US", "SHBA": "US", "sad": "US", "United States": "US",
		"Sjedinjene Američke Države": "US", "Сједињене Државе": "US", "US": "US",
		"UK": "GB", "Engleska": "GB", "Velika Britanija": "GB", "Великa Британија": "GB", "United Kingdom": "GB",
		"Ujedinjeno Kraljevstvo": "GB", "Mbretëria e Bashkuar": "GB", "GB": "GB",
		"Švicarska": "CH", "svicarska": "CH", "Švajcarska": "CH", "Швајцарска": "CH", "Zvicër": "CH", "zvicer": "CH",
		"Switzerland": "CH",
		"Austrija":    "AT", "Austri": "AT", "Аустрија": "AT", "Österreich": "AT",
		"Srbija": "RS", "Србија": "RS", "Serbi": "RS", "Serbia": "RS",
		"Hrvatska": "HR", "Kroaci": "HR", "Crna Gora": "ME", "Mali i Zi": "ME", "Црна Гора": "ME",
		"Holandija": "NL", "Nizozemska": "NL", "Holandë": "NL", "Netherlands": "NL",
		"Myanmar": "MM", "Burma": "MM", "Côte d’Ivoire": "CI", "Obala Slonovače": "CI",
		"Švedska": "SE", "Шведска": "SE", "Suedi": "SE", "Sweden": "SE",
	}
	for in, want := range cases {
		if got, ok := ParseCountry(in); !ok || got != want {
			t.Errorf("ParseCountry(%q) = %q,%v want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", " ", "EU", "UN", "ZZ", "XX", "YU", "Yugoslavia", "Europe", "Atlantis", "276", "1", "D", "Njemačkaa", "??", "EZ", "AC"} {
		if got, ok := ParseCountry(in); ok {
			t.Errorf("ParseCountry(%q) = %q, want not ok", in, got)
		}
	}
}

// The name of every country in every language reads back as that country:
// a clerk can type what a list or a report shows.
func TestCountryRoundTrip(t *testing.T) {
	countryOnce.Do(buildCountries)
	for _, clash := range countryClashes {
		t.Logf("folded name shared by two countries (first language wins): %s", clash)
	}
	for _, l := range i18n.All {
		for _, c := range Countries(l) {
			if got, ok := ParseCountry(c.Name); !ok || got != c.Code {
				t.Errorf("%s: ParseCountry(%q) = %q,%v want %s", l, c.Name, got, ok, c.Code)
			}
			if got, ok := ParseCountry(c.Code); !ok || got != c.Code {
				t.Errorf("ParseCountry(%q) = %q,%v", c.Code, got, ok)
			}
		}
	}
}

func FuzzParseCountry(f *testing.F) {
	for _, s := range []string{"DE", "de", "Njemačka", "Немачка", "Kosovë", "BiH", "", "\xff\xfe", "ǅ", "Ђорђе", "U.S.A.", "(", "Myanmar (", "&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := ParseCountry(s)
		if ok && !isCountryCode(code) {
			t.Fatalf("ParseCountry(%q) = %q, not a country", s, code)
		}
		if !ok && code != "" {
			t.Fatalf("ParseCountry(%q) = %q with ok=false", s, code)
		}
		_ = CountryName(s, i18n.SQ)
	})
}

// Parts of a name in parentheses that two countries share are not guesses.
func TestParseCountryAmbiguousPart(t *testing.T) {
	for _, in := range []string{"SAR Kina", "САР Кина"} {
		if got, ok := ParseCountry(in); ok {
			t.Errorf("ParseCountry(%q) = %q, want not ok (ambiguous)", in, got)
		}
	}
}
