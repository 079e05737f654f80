package data

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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

// diasporaLangs are the languages, besides the six of the interface, whose
// CLDR country names ParseCountry reads: those of the countries where the
// diaspora lives and works. A field sheet is filled in by people who have
// lived there for decades and write the country as they see it on their
// papers ("Niederlande", "Sverige", "Luxemburg", "Almanya"). Names in these
// languages are weaker than the six languages' own and than countryAliases:
// see buildCountryTable.
var diasporaLangs = []string{
	"de", "fr", "it", "nl", "sv", "da", "nb", "sl", "tr", // where most of the diaspora lives
	"es", "pt", "pl", "cs", "hu", "mk", "ro", // neighbours and second moves
}

// countryAliases are the names people write that CLDR does not give in any
// of the languages read (TestCountryAliasesNeeded keeps it so): short forms
// and initials, the definite forms Albanian uses in running text
// ("Gjermania", "Zvicra"), colloquial names ("Švica", "Engleska", "Amerika")
// and the names of countries renamed after CLDR 32 (North Macedonia,
// Eswatini). They are folded like everything else, so case, diacritics and
// script do not matter ("Švicra" covers "Svicra" and "ШВИЦРА"), and they
// lose only to the six languages' own CLDR names.
var countryAliases = map[string][]string{
	"AE": {"Emirati", "Emiratet", "Emiratet e Bashkuara", "Arapski Emirati", "Ujedinjeni Emirati", "Emirates", "UAE", "VAE"},
	"AL": {"Shqipëria"},
	"AT": {"Oesterreich"}, // ö typed as oe; folding reads ö as o
	"BA": {"BiH", "B i H", "B&H", "Bosna", "Bosna Hercegovina", "Bosnia", "Bosnien", "Bosnie", "Bosnja", "Bosnja e Hercegovina", "Bosnjë dhe Hercegovinë"},
	"BE": {"Belgjika"},
	"CA": {"Kanadaja"},
	"CH": {"Švicra", "Zvicra"},
	"CI": {"Ivory Coast"},
	"CZ": {"Czech Republic", "Češka Republika", "Republika Češka", "Tschechische Republik", "Çekia"},
	"DE": {"Gjermania", "BRD", "Bundesrepublik Deutschland", "Savezna Republika Njemačka", "Savezna Republika Nemačka"},
	"GB": {
		"Engleska", "Anglija", "England", "Engeland", "Angleterre", "Inghilterra", "Angli", "Anglia",
		"Britanija", "Britain", "Great Britain", "Großbritannien", "Grande-Bretagne", "Gran Bretagna", "Britania e Madhe",
		"Škotska", "Scotland", "Skocia", "Wales", "Vels", "Sjeverna Irska", "Severna Irska", "Northern Ireland",
	},
	"GR": {"Greqia"},
	"HR": {"Kroacia"},
	"IE": {"Éire"},
	"LU": {"Lëtzebuerg", "Luksemburgu"},
	"ME": {"Mali i Zi", "Crnagora"}, // CLDR 32 has "Mal i Zi"
	// CLDR 32 predates the 2019 name.
	"MK": {"North Macedonia", "Sjeverna Makedonija", "Severna Makedonija", "Maqedonia e Veriut", "Maqedonia", "Nordmazedonien", "Macédoine du Nord", "Macedonia del Nord", "Noord-Macedonië", "Kuzey Makedonya"},
	"NL": {"Olanda", "Hollandë"},
	"NO": {"Norvegjia", "Noreg"},
	"SI": {"Sllovenia"},
	"SZ": {"Eswatini"},
	"TR": {"Turqia"},
	"US": {"SAD", "SHBA", "ABD", "Amerika", "America", "Amerikë", "United States of America", "Shtetet e Bashkuara", "Vereinigte Staaten von Amerika", "États-Unis d’Amérique", "Stati Uniti d’America"},
	// Serbia's official name for the territory CLDR calls Kosovo (XK):
	// a clerk who writes it means that place, and XK is its only code.
	"XK": {"Republika e Kosovës", "Republic of Kosovo", "Republika Kosovo", "Kosovo i Metohija"},
	"ZA": {"Južna Afrika", "Južna Afrička Republika", "JAR"},
}

// countryTable is what ParseCountry and SuggestCountries read, built from
// x/text once, at first use.
type countryTable struct {
	codes   []string          // every real country, by code
	keys    map[string]string // fold.Key of a name or alias → code
	list    []countryKey      // keys, sorted, with their runes: SuggestCountries scans them
	clashes []countryClash    // folded names two countries claim, by key
}

type countryKey struct {
	key   string
	runes []rune
	code  string
}

// countryClash is a folded name that two countries claim, and how it was
// settled: kept is the code it reads as, "" when it was dropped. claims says
// who claimed what ("CG bs", "CD fr"), for the test that lists them.
type countryClash struct {
	key, kept string
	claims    []string
}

func (c countryClash) String() string {
	kept := c.kept
	if kept == "" {
		kept = "dropped"
	}
	return c.key + " → " + kept + " (" + strings.Join(c.claims, ", ") + ")"
}

var (
	countryOnce sync.Once
	countries   *countryTable
)

func countryData() *countryTable {
	countryOnce.Do(func() { countries = buildCountryTable(countryAliases, diasporaLangs) })
	return countries
}

// buildCountryTable reads every real country and its names from x/text.
//
// Names come in tiers, strongest first, so that a name two countries share
// is settled the same way every time and never by map order:
//  1. the CLDR names in the six interface languages, the first language of
//     i18n.All winning a clash (what a picker shows always reads back);
//  2. countryAliases, which were chosen by hand;
//  3. the parts of those names in brackets ("Myanmar (Burma)" → "Burma");
//  4. the CLDR names in diasporaLangs and each country's own name for
//     itself (its endonym: the name of region R in the language that CLDR's
//     likely subtags give und-R, "Deutschland", "Sverige", "Türkiye");
//  5. the parts in brackets of those.
//
// A name already taken by a stronger tier stays with it. A name that two
// countries claim within tier 4 is dropped: it is a different country in
// two languages, and a guess would file a person in the wrong country.
// Parts that two countries share (tiers 3 and 5) are dropped too, and a
// dropped name is not taken by a weaker tier either.
func buildCountryTable(aliases map[string][]string, langs []string) *countryTable {
	t := &countryTable{keys: map[string]string{}}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if c := string([]rune{a, b}); isCountryCode(c) {
				t.codes = append(t.codes, c)
			}
		}
	}
	regions := make([]language.Region, len(t.codes))
	for i, c := range t.codes {
		regions[i] = language.MustParseRegion(c)
	}
	// Most names are the same in many languages ("Kanada", "Canada"): fold
	// each once.
	folded := map[string]string{}
	key := func(name string) string {
		k, ok := folded[name]
		if !ok {
			k = fold.Key(name)
			folded[name] = k
		}
		return k
	}
	from := map[string]string{} // key → who gave it its code, for clashes
	clashes := map[string]*countryClash{}
	blocked := map[string]bool{} // names dropped as ambiguous
	clash := func(k, kept, claim string) {
		c := clashes[k]
		if c == nil {
			c = &countryClash{key: k, kept: kept}
			if kept != "" {
				c.claims = append(c.claims, kept+" "+from[k])
			}
			clashes[k] = c
		}
		if !slices.Contains(c.claims, claim) {
			c.claims = append(c.claims, claim)
		}
	}
	strong := func(name, code, src string) {
		k := key(name)
		if k == "" {
			return
		}
		if old, ok := t.keys[k]; ok {
			if old != code {
				clash(k, old, code+" "+src)
			}
			return
		}
		t.keys[k] = code
		from[k] = src
	}
	// weak collects a tier whose claims are settled together, then adds the
	// names that one country alone claims and no stronger tier has.
	type claims map[string][]string // code → sources
	weak := func(pool map[string]claims, record bool) {
		keys := make([]string, 0, len(pool))
		for k := range pool {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if blocked[k] {
				continue
			}
			byCode := pool[k]
			codes := make([]string, 0, len(byCode))
			for c := range byCode {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			if old, ok := t.keys[k]; ok {
				for _, c := range codes {
					if c != old && record {
						clash(k, old, c+" "+strings.Join(byCode[c], " "))
					}
				}
				continue
			}
			if len(codes) > 1 {
				blocked[k] = true
				if record {
					for _, c := range codes {
						clash(k, "", c+" "+strings.Join(byCode[c], " "))
					}
				}
				continue
			}
			t.keys[k] = codes[0]
			from[k] = strings.Join(byCode[codes[0]], " ")
		}
	}
	add := func(pool map[string]claims, name, code, src string) {
		k := key(name)
		if k == "" {
			return
		}
		if pool[k] == nil {
			pool[k] = claims{}
		}
		if !slices.Contains(pool[k][code], src) {
			pool[k][code] = append(pool[k][code], src)
		}
	}
	// variants are the whole names a CLDR name stands for, and its parts.
	variants := func(name string) (whole, parts []string) {
		whole = []string{name}
		// "Bosnia & Herzegovina", "Trinidad & Tobago": people type "and".
		if strings.Contains(name, "&") {
			whole = append(whole, strings.ReplaceAll(name, "&", "and"))
		}
		if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
			parts = []string{name[:i], name[i+2 : len(name)-1]}
		}
		return whole, parts
	}

	uiParts := map[string]claims{}
	for _, l := range i18n.All {
		n := regionNamer(l)
		for i, c := range t.codes {
			whole, parts := variants(n.Name(regions[i]))
			for _, w := range whole {
				strong(w, c, string(l))
			}
			for _, p := range parts {
				add(uiParts, p, c, string(l))
			}
		}
	}
	codes := make([]string, 0, len(aliases))
	for code := range aliases {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		for _, a := range aliases[code] {
			strong(a, code, "alias")
		}
	}
	weak(uiParts, false)

	extra, extraParts := map[string]claims{}, map[string]claims{}
	addNames := func(n display.Namer, i int, src string) {
		if n == nil {
			return
		}
		c := t.codes[i]
		whole, parts := variants(n.Name(regions[i]))
		for _, w := range whole {
			add(extra, w, c, src)
		}
		for _, p := range parts {
			add(extraParts, p, c, src)
		}
	}
	for _, l := range langs {
		n := display.Regions(language.MustParse(l))
		for i := range t.codes {
			addNames(n, i, l)
		}
	}
	// The endonym: the name in the language CLDR's likely subtags give the
	// region (und-CH → de, und-ME → sr-Latn, und-RS → sr-Cyrl).
	endonymNamers := map[language.Tag]display.Namer{}
	for i, r := range regions {
		likely := language.Make("und-" + r.String())
		base, _ := likely.Base()
		script, _ := likely.Script()
		tag, err := language.Compose(base, script)
		if err != nil {
			continue
		}
		n, ok := endonymNamers[tag]
		if !ok {
			n = display.Regions(tag)
			endonymNamers[tag] = n
		}
		addNames(n, i, tag.String())
	}
	weak(extra, true)
	weak(extraParts, false)

	t.list = make([]countryKey, 0, len(t.keys))
	for k, c := range t.keys {
		t.list = append(t.list, countryKey{k, []rune(k), c})
	}
	sort.Slice(t.list, func(i, j int) bool { return t.list[i].key < t.list[j].key })
	for _, c := range clashes {
		sort.Strings(c.claims)
		t.clashes = append(t.clashes, *c)
	}
	sort.Slice(t.clashes, func(i, j int) bool { return t.clashes[i].key < t.clashes[j].key })
	return t
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
	codes := countryData().codes
	n := regionNamer(lang)
	out := make([]Country, 0, len(codes))
	for _, c := range codes {
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
// also "DEU" or an old code such as "UK" for GB, with or without dots:
// "U.S.A."), the CLDR name in any of the six languages and scripts, in the
// languages of the countries where the diaspora lives and in the country's
// own language, blind to case and diacritics ("Njemačka", "njemacka",
// "Немачка", "Gjermani", "Deutschland", "Niederlande", "Sverige"), or a
// common alternative name ("BiH", "SAD", "Shtetet e Bashkuara", "Švica").
func ParseCountry(s string) (code string, ok bool) {
	t := countryData()
	k := fold.Key(s)
	if k == "" {
		return "", false
	}
	if c, ok := t.keys[k]; ok {
		return c, true
	}
	// "The Netherlands", "the UK".
	if rest, ok := strings.CutPrefix(k, "the "); ok {
		if c, ok := ParseCountry(rest); ok {
			return c, true
		}
	}
	// "U.S.A.", "S.A.D.", "U.K.", "B.i.H.": initials written with dots or
	// spaces are the word they spell.
	typed := strings.TrimSpace(s)
	if initials(k) {
		if c, ok := t.keys[strings.ReplaceAll(k, " ", "")]; ok {
			return c, true
		}
		typed = strings.Map(func(r rune) rune {
			if r == '.' || unicode.IsSpace(r) {
				return -1
			}
			return r
		}, typed)
	}
	// Codes are read from the text as typed: folding would turn DJ into D.
	if len(typed) < 2 || len(typed) > 3 {
		return "", false
	}
	for i := 0; i < len(typed); i++ {
		if c := typed[i] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	r, err := language.ParseRegion(typed)
	if err != nil {
		return "", false
	}
	c := r.Canonicalize().String()
	if !isCountryCode(c) {
		return "", false
	}
	return c, true
}

// initials reports whether the folded key is single letters apart: "u s a".
func initials(k string) bool {
	words := strings.Fields(k)
	if len(words) < 2 {
		return false
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) != 1 {
			return false
		}
	}
	return true
}

// SuggestCountries returns up to n names, in lang, of the countries whose
// names or aliases in any language are nearest to s, nearest first: what a
// message about a country Registar does not know offers instead
// ("Njemacka1" → Njemačka, "Austija" → Austrija, "Swiss" → Švicarska).
// Near means a few letters typed wrong, left out, added or swapped (more
// for a longer name), or the start of a name ("Njem"). A name nothing is
// near gives none: a guess from far away would mislead more than it helps.
func SuggestCountries(s string, lang i18n.Lang, n int) []string {
	q := []rune(fold.Key(s))
	if n <= 0 || len(q) < 2 {
		return nil
	}
	limit := suggestLimit(len(q))
	qs := string(q)
	// A name near by its letters comes before one that only starts with
	// what was typed: "Amerikaa" is Amerika before "Amerikaanse Maagdeneilanden".
	type score struct {
		d      int
		prefix bool
	}
	less := func(a, b score) bool { return a.d < b.d || a.d == b.d && !a.prefix && b.prefix }
	best := map[string]score{} // code → its nearest name
	rows := make([]int, 3*(len(q)+limit+1))
	for _, e := range countryData().list {
		sc := score{d: editDistance(q, e.runes, limit, rows)}
		// The start of a longer name is one step from it.
		if sc.d > 1 && len(q) >= 3 && strings.HasPrefix(e.key, qs) {
			sc = score{1, true}
		}
		if sc.d > limit {
			continue
		}
		if old, ok := best[e.code]; !ok || less(sc, old) {
			best[e.code] = sc
		}
	}
	type hit struct {
		name, key string
		score
	}
	hits := make([]hit, 0, len(best))
	for code, sc := range best {
		name := CountryName(code, lang)
		hits = append(hits, hit{name, fold.Key(name), sc})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return less(hits[i].score, hits[j].score)
		}
		return hits[i].key < hits[j].key
	})
	out := make([]string, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.name)
	}
	return out
}

// suggestLimit is how many edits a name of n letters may be from a
// suggestion: one in a short name, where two would reach half the list.
func suggestLimit(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of two neighbours, each
// one step), or limit+1 as soon as it is sure to exceed limit. Hand-written
// because it is twenty lines and no module we already depend on has it.
// rows is working space, reused when it is long enough (3·(len(b)+1)), so
// that a scan of every name allocates once.
func editDistance(a, b []rune, limit int, rows []int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	w := len(b) + 1
	if len(rows) < 3*w {
		rows = make([]int, 3*w)
	}
	prev2, prev, cur := rows[:w], rows[w:2*w], rows[2*w:3*w]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
