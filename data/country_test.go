package data

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"registar/data/fold"
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
		for _, name := range SuggestCountries(s, i18n.SR, 3) {
			if _, ok := ParseCountry(name); !ok {
				t.Fatalf("SuggestCountries(%q) offers %q, which is not a country", s, name)
			}
		}
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

// Every alias says something CLDR does not: a name CLDR already gives the
// same country, in any of the languages read, is one line too many.
func TestCountryAliasesNeeded(t *testing.T) {
	cldr := buildCountryTable(nil, diasporaLangs)
	seen := map[string]string{}
	for code, names := range countryAliases {
		if !isCountryCode(code) {
			t.Errorf("alias table: %s is not a country", code)
		}
		for _, a := range names {
			k := fold.Key(a)
			if cldr.keys[k] == code {
				t.Errorf("alias %q of %s: CLDR already has it", a, code)
			}
			if other, dup := seen[k]; dup {
				t.Errorf("alias %q listed twice (%s, %s)", a, other, code)
			}
			seen[k] = code
			if got, ok := ParseCountry(a); !ok || got != code {
				t.Errorf("alias %q of %s reads as %q,%v", a, code, got, ok)
			}
		}
	}
}

// The folded names that two countries claim, and how each is settled. CLDR
// 32 in the sixteen extra languages and the endonyms claims none twice; a
// newer x/text that adds one fails here, so it is seen and decided, not
// silently read as one of the two.
func TestCountryClashes(t *testing.T) {
	want := map[string]string{
		// Serbian Latin (UI) names MF so; Macedonian names SX so. The
		// interface languages win.
		"sveti martin": "MF",
	}
	got := map[string]string{}
	for _, c := range countryData().clashes {
		got[c.key] = c.kept
		if w, ok := want[c.key]; !ok || w != c.kept {
			t.Errorf("clash not listed in this test: %s", c)
		}
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("clash %q → %q is gone (now %q,%v): update the list", k, w, g, ok)
		}
	}
}

// The rules that settle clashes, on languages whose CLDR names do clash:
// an interface name beats an extra language's ("Kongo" is CG in Bosnian, CD
// in Kazakh), and two extra languages that disagree lose the name ("Jaman"
// is Germany in Basaa and Yemen in Tajik).
func TestCountryClashRules(t *testing.T) {
	tb := buildCountryTable(countryAliases, []string{"bas", "tg", "kk"})
	clashes := map[string]countryClash{}
	for _, c := range tb.clashes {
		clashes[c.key] = c
	}
	if c, ok := clashes["kongo"]; !ok || c.kept != "CG" || tb.keys["kongo"] != "CG" {
		t.Errorf("kongo: %v, reads as %q; want kept CG", c, tb.keys["kongo"])
	}
	if c, ok := clashes["jaman"]; !ok || c.kept != "" {
		t.Errorf("jaman: %v; want dropped", c)
	}
	if code, ok := tb.keys["jaman"]; ok {
		t.Errorf("jaman reads as %s; want dropped", code)
	}
	// What one extra language alone names is still read.
	if tb.keys[fold.Key(display.Regions(language.MustParse("tg")).Name(language.MustParseRegion("DE")))] != "DE" {
		t.Error("Tajik name of Germany not read")
	}
	// The same twice gives the same table: no map order in the result.
	again := buildCountryTable(countryAliases, []string{"bas", "tg", "kk"})
	if len(again.keys) != len(tb.keys) || len(again.clashes) != len(tb.clashes) {
		t.Fatal("two builds differ")
	}
	for k, c := range tb.keys {
		if again.keys[k] != c {
			t.Errorf("%q: %s then %s", k, c, again.keys[k])
		}
	}
}

// No name of the extra languages reads as a code of another country: "USA"
// (Swedish for the United States) is fine, a name "DK" for Germany is not.
func TestCountryNamesNotCodes(t *testing.T) {
	for _, e := range countryData().list {
		if len(e.key) < 2 || len(e.key) > 3 || strings.ContainsFunc(e.key, func(r rune) bool { return r < 'a' || r > 'z' }) {
			continue
		}
		r, err := language.ParseRegion(e.key)
		if err != nil {
			continue
		}
		if c := r.Canonicalize().String(); isCountryCode(c) && c != e.code {
			t.Errorf("name %q reads as %s, but is the code of %s", e.key, e.code, c)
		}
	}
}

func TestSuggestCountries(t *testing.T) {
	cases := []struct {
		in    string
		lang  i18n.Lang
		first string // the first suggestion
	}{
		{"Njemacka1", i18n.BS, "Njemačka"},
		{"Njemackaa", i18n.HR, "Njemačka"},
		{"Nemacka1", i18n.SR, "Немачка"},
		{"Austija", i18n.BS, "Austrija"},
		{"Austira", i18n.BS, "Austrija"}, // two letters swapped
		{"Swiss", i18n.BS, "Švicarska"},
		{"Swiss", i18n.SQ, "Zvicër"},
		{"Swiss", i18n.EN, "Switzerland"},
		{"Sweeden", i18n.EN, "Sweden"},
		{"Švedsak", i18n.SRLatn, "Švedska"},
		{"Schwiz", i18n.HR, "Švicarska"},
		{"Deutchland", i18n.SQ, "Gjermani"},
		{"Nederlands", i18n.BS, "Holandija"},
		{"Luxenburg", i18n.EN, "Luxembourg"},
		{"Hollandija", i18n.SQ, "Holandë"},
		{"Slovenja", i18n.EN, "Slovenia"},
		{"Amerikaa", i18n.BS, "Sjedinjene Američke Države"},
		{"Kosov", i18n.SQ, "Kosovë"},
		{"Njem", i18n.BS, "Njemačka"}, // the start of a name
		{"Шведск", i18n.SR, "Шведска"},
	}
	for _, c := range cases {
		if _, ok := ParseCountry(c.in); ok {
			t.Errorf("%q is read as a country: not a case for suggestions", c.in)
		}
		got := SuggestCountries(c.in, c.lang, 3)
		if len(got) == 0 || got[0] != c.first {
			t.Errorf("SuggestCountries(%q, %s) = %q, want %q first", c.in, c.lang, got, c.first)
		}
		if len(got) > 3 {
			t.Errorf("SuggestCountries(%q, %s, 3) gave %d", c.in, c.lang, len(got))
		}
		seen := map[string]bool{}
		for _, name := range got {
			if seen[name] {
				t.Errorf("SuggestCountries(%q): %q twice", c.in, name)
			}
			seen[name] = true
			if code, ok := ParseCountry(name); !ok || CountryName(code, c.lang) != name {
				t.Errorf("SuggestCountries(%q, %s): %q is not a country name of the language", c.in, c.lang, name)
			}
		}
	}
	// Far from every name, too short, or asked for none: nothing to offer.
	for _, in := range []string{"Atlantis", "Jugoslavija", "xyzzy", "q", "", "12345", "Europa"} {
		if got := SuggestCountries(in, i18n.BS, 3); len(got) != 0 {
			t.Errorf("SuggestCountries(%q) = %q, want none", in, got)
		}
	}
	if got := SuggestCountries("Njemacka1", i18n.BS, 0); got != nil {
		t.Errorf("n=0 gave %q", got)
	}
	// "Austr" starts Austria and Australia: both, one fewer when asked for one.
	if got := SuggestCountries("Austr", i18n.EN, 5); !slices.Contains(got, "Austria") || !slices.Contains(got, "Australia") {
		t.Errorf("Austr: %q", got)
	}
	if got := SuggestCountries("Austr", i18n.EN, 1); len(got) != 1 {
		t.Errorf("Austr, n=1: %q", got)
	}
}

// The message that carries the suggestions exists in every language and
// names them.
func TestCountrySuggestMessage(t *testing.T) {
	for _, l := range i18n.All {
		if l != i18n.SRLatn && !i18n.Has(l, "country.reason.suggest") {
			t.Errorf("%s: no country.reason.suggest", l)
		}
		names := SuggestCountries("Njemacka1", l, 3)
		msg := i18n.T(l, "country.reason.suggest", "field", "X", "value", "Njemacka1", "param", strings.Join(names, ", "))
		if len(names) == 0 || !strings.Contains(msg, CountryName("DE", l)) || !strings.Contains(msg, "Njemacka1") {
			t.Errorf("%s: %q", l, msg)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0}, {"abc", "abc", 3, 0}, {"abc", "", 3, 3}, {"", "ab", 3, 2},
		{"austija", "austrija", 3, 1}, {"austrjia", "austrija", 3, 1}, {"njemacka1", "njemacka", 3, 1},
		{"swiss", "suisse", 3, 2}, {"kitten", "sitting", 3, 3}, {"ca", "abc", 3, 3},
		{"kitten", "sitting", 2, 3}, {"abcdefgh", "a", 2, 3}, {"čšž", "csz", 3, 3},
	}
	for _, c := range cases {
		if got := editDistance([]rune(c.a), []rune(c.b), c.limit, nil); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
		if got := editDistance([]rune(c.b), []rune(c.a), c.limit, make([]int, 3)); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.b, c.a, c.limit, got, c.want)
		}
	}
}

// The first ParseCountry of a process builds the table; this is its cost.
func BenchmarkCountryTableBuild(b *testing.B) {
	b.ReportAllocs()
	regionNamer(i18n.EN) // the six languages' namers are shared with CountryName
	for b.Loop() {
		buildCountryTable(countryAliases, diasporaLangs)
	}
}

func BenchmarkParseCountry(b *testing.B) {
	in := []string{"Njemačka", "SVERIGE", "Shtetet e Bashkuara", "Немачка", "U.S.A.", "DEU", "Atlantis", "bih"}
	countryData()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ParseCountry(in[i%len(in)])
		i++
	}
}

func BenchmarkSuggestCountries(b *testing.B) {
	countryData()
	b.ReportAllocs()
	for b.Loop() {
		SuggestCountries("Njemacka1", i18n.BS, 3)
	}
}
