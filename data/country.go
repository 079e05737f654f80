package data

import (
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"registar/data/fold"
	"registar/data/i18n"
)

// Country is one country as a picker shows it: its ISO 3166-1 alpha-2 code
// and its CLDR name in the chosen language.
type Country struct{ Code, Name string }

// displayTag is the CLDR locale whose names a language shows.
//
// golang.org/x/text/language/display (x/text v0.43.0, CLDR 32) has region
// names for all six languages: en, bs, hr, sr (Cyrillic), sr-Latn and sq, so
// no fallback and no override is needed (Kosovo, XK, is named in all six).
// Serbian Latin takes CLDR's own sr-Latn names, which are exactly the
// transliteration of the Cyrillic ones, as the UI's Serbian Latin is.
// TestCountryLocalesSupported checks that every language is served by its
// own CLDR locale, that Kosovo has a name in each, and the transliteration.
func displayTag(l i18n.Lang) language.Tag {
	switch l {
	case i18n.BS:
		return tagBS
	case i18n.HR:
		return language.Croatian
	case i18n.SR:
		return language.Serbian // CLDR "sr" is Cyrillic
	case i18n.SRLatn:
		return tagSRLatn
	case i18n.SQ:
		return language.Albanian
	}
	return language.English
}

// collateTag is the CLDR locale whose alphabetical order a language uses.
// x/text's collation tables have no tailoring for "bs" and "sr-Latn" (they
// sort as the root order: Čad before Crna Gora). CLDR itself gives both the
// Croatian tailoring (bs and sr_Latn import hr: C, Č, Ć, D, Dž, Đ, … Lj, Nj,
// … Š, … Ž), so they use "hr"; TestCountries checks the order.
func collateTag(l i18n.Lang) language.Tag {
	if l == i18n.BS || l == i18n.SRLatn {
		return language.Croatian
	}
	return displayTag(l)
}

var (
	tagBS     = language.MustParse("bs")
	tagSRLatn = language.MustParse("sr-Latn")

	namersOnce sync.Once
	namers     map[i18n.Lang]display.Namer
)

// regionNamer is the CLDR region namer of a language, built once.
func regionNamer(l i18n.Lang) display.Namer {
	namersOnce.Do(func() {
		namers = map[i18n.Lang]display.Namer{}
		for _, l := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
			namers[l] = display.Regions(displayTag(l))
		}
	})
	if n, ok := namers[l]; ok && n != nil {
		return n
	}
	return namers[i18n.EN]
}

// isCountryCode reports whether code is the upper-case ISO 3166-1 alpha-2
// code of a real country. It asks x/text rather than a table of our own:
// the code must parse as a region in its canonical form (so "de", "DEU" and
// "276" are refused: Normalize upper-cases codes first) and be a country
// rather than a group or private-use code (EU, QO, XA…). x/text's IsCountry
// still admits three kinds of codes that are not countries of ISO 3166-1,
// and two checks drop them, again from x/text's own data:
//   - deprecated codes (YU, CS, SU, DD, UK, ZR…), which are either replaced
//     by a current code (Canonicalize differs) or have no CLDR name;
//   - the "exceptionally reserved" codes (AC, CP, DG, EA, IC, TA) and the
//     CLDR pseudo-regions EZ (Eurozone) and UN, which have no UN M.49 number.
//
// Kosovo (XK), user-assigned in ISO 3166 but used by the EU, CLDR and
// Kosovo's own offices, passes all checks and is a country here.
func isCountryCode(code string) bool {
	if len(code) != 2 {
		return false
	}
	r, err := language.ParseRegion(code)
	if err != nil || r.String() != code || !r.IsCountry() || r.Canonicalize() != r || r.M49() == 0 {
		return false
	}
	return regionNamer(i18n.EN).Name(r) != ""
}

var (
	countryOnce  sync.Once
	countryCodes []string          // every real country, by code
	countryKeys  map[string]string // fold.Key of a name or alias → code
	// countryClashes lists folded names that two countries share across
	// languages (the first language in i18n.All wins); tests report them.
	countryClashes []string
)

// countryAliases are the alternative names people write that CLDR does not
// give (CLDR's own names in the six languages are always accepted). They are
// folded like everything else, so case, diacritics and script do not matter.
var countryAliases = map[string][]string{
	"XK": {"Kosova", "Republika e Kosovës", "Republic of Kosovo"},
	"BA": {"BiH", "B i H", "B&H", "Bosna", "Bosnia", "Bosnia and Herzegovina", "Bosnia-Herzegovina", "Bosnja e Hercegovina", "Bosnjë dhe Hercegovinë"},
	"US": {"SAD", "Amerika", "America", "SHBA", "U.S.A.", "United States of America", "Sjedinjene Države", "Сједињене Америчке Државе", "Amerikë"},
	"GB": {"Engleska", "Velika Britanija", "Britanija", "Great Britain", "Britain", "England", "Angli", "Anglia", "Britania e Madhe", "Škotska", "Scotland"},
	"CH": {"Zvicra", "Schweiz", "Suisse", "Svizzera"},
	"DE": {"Deutschland", "Gjermania"},
	"AT": {"Österreich"},
	"NL": {"Holland", "Nederland", "Hollanda"},
	"MK": {"North Macedonia", "Sjeverna Makedonija", "Северна Македонија", "Maqedonia e Veriut"}, // CLDR 32 predates the 2019 name
	"CZ": {"Czech Republic", "Češka Republika", "Republika Češka"},
	"ME": {"Mali i Zi"}, // CLDR 32 has "Mal i Zi"
	"AL": {"Shqipëria", "Shqipëri"},
	"TR": {"Türkiye"},
	"SZ": {"Eswatini"},
	"CI": {"Ivory Coast"},
}

// buildCountries reads every real country and its names from x/text once.
func buildCountries() {
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if c := string([]rune{a, b}); isCountryCode(c) {
				countryCodes = append(countryCodes, c)
			}
		}
	}
	countryKeys = map[string]string{}
	add := func(name, code string) {
		k := fold.Key(name)
		if k == "" {
			return
		}
		if old, ok := countryKeys[k]; ok {
			if old != code {
				countryClashes = append(countryClashes, k+": "+old+" / "+code)
			}
			return
		}
		countryKeys[k] = code
	}
	// Parts of names ("Myanmar (Burma)" → "Myanmar", "Burma") are weaker than
	// whole names and are dropped when two countries share one ("Sveti Martin
	// (Francuska)" and "Sveti Martin (Holandija)"; "SAR Hongkong (Kina)").
	parts := map[string]string{}
	addPart := func(name, code string) {
		k := fold.Key(name)
		if old, ok := parts[k]; ok && old != code {
			parts[k] = ""
			return
		}
		parts[k] = code
	}
	for _, l := range i18n.All {
		n := regionNamer(l)
		for _, c := range countryCodes {
			name := n.Name(language.MustParseRegion(c))
			add(name, c)
			// "Bosnia & Herzegovina", "Trinidad & Tobago": people type "and".
			if strings.Contains(name, "&") {
				add(strings.ReplaceAll(name, "&", "and"), c)
			}
			if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
				addPart(name[:i], c)
				addPart(name[i+2:len(name)-1], c)
			}
		}
	}
	for k, c := range parts {
		if _, whole := countryKeys[k]; !whole && c != "" && k != "" {
			countryKeys[k] = c
		}
	}
	codes := make([]string, 0, len(countryAliases))
	for code := range countryAliases {
		codes = append(codes, code)
	}
	sort.Strings(codes) // deterministic, should two aliases ever clash
	for _, code := range codes {
		for _, a := range countryAliases[code] {
			add(a, code)
		}
	}
}

// CountryName is the CLDR name of a country in the language: "DE" is
// "Njemačka" in Bosnian, "Немачка" in Serbian, "Nemačka" in Serbian Latin,
// "Gjermani" in Albanian. A code that is not a country comes back unchanged.
func CountryName(code string, lang i18n.Lang) string {
	c := strings.ToUpper(strings.TrimSpace(code))
	if !isCountryCode(c) {
		return code
	}
	if name := regionNamer(lang).Name(language.MustParseRegion(c)); name != "" {
		return name
	}
	if name := regionNamer(i18n.EN).Name(language.MustParseRegion(c)); name != "" {
		return name
	}
	return code
}

// Countries lists every real country with its name in the language, sorted
// by the language's own alphabet (CLDR collation: in Bosnian Č, Ć, Dž, Đ
// follow C and D; in Albanian Ç, Dh, Ë, Gj … have their own places).
func Countries(lang i18n.Lang) []Country {
	countryOnce.Do(buildCountries)
	n := regionNamer(lang)
	out := make([]Country, 0, len(countryCodes))
	for _, c := range countryCodes {
		name := n.Name(language.MustParseRegion(c))
		if name == "" {
			name = CountryName(c, i18n.EN)
		}
		out = append(out, Country{c, name})
	}
	col := collate.New(collateTag(lang), collate.Loose)
	if col == nil { // not expected: every language has CLDR collation
		sort.SliceStable(out, func(i, j int) bool { return fold.Key(out[i].Name) < fold.Key(out[j].Name) })
		return out
	}
	var buf collate.Buffer
	keys := make([][]byte, len(out))
	for i := range out {
		keys[i] = append([]byte(nil), col.KeyFromString(&buf, out[i].Name)...)
		buf.Reset()
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if c := strings.Compare(string(keys[idx[a]]), string(keys[idx[b]])); c != 0 {
			return c < 0
		}
		return fold.Key(out[idx[a]].Name) < fold.Key(out[idx[b]].Name)
	})
	sorted := make([]Country, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

// ParseCountry reads a country as people write it: an ISO code ("de", "DE",
// also "DEU" or an old code such as "UK" for GB), the CLDR name in any of the
// six languages and scripts, blind to case and diacritics ("Njemačka",
// "njemacka", "Немачка", "Gjermani", "Germany"), or one of a few common
// alternative names ("BiH", "SAD", "SHBA", "Kosova", "Engleska", …).
func ParseCountry(s string) (code string, ok bool) {
	countryOnce.Do(buildCountries)
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if c, ok := countryKeys[fold.Key(s)]; ok {
		return c, true
	}
	if len(s) < 2 || len(s) > 3 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	r, err := language.ParseRegion(s)
	if err != nil {
		return "", false
	}
	c := r.Canonicalize().String()
	if !isCountryCode(c) {
		return "", false
	}
	return c, true
}
