package outreach

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/script"
)

// Fields are the template fields, written {given_name} in a template.
var Fields = []string{"salutation", "given_name", "family_name", "name", "city", "country", "address",
	"email", "phone", "office", "municipality", "date"}

// Template is a letter or e-mail text with fields, and optionally a
// version per language (a line "[[sq]]" starts the Albanian version; the
// text before any such line is the default).
//
// A field is a name in braces: {given_name}, also { Given_Name }. "{{"
// and "}}" write a brace. A brace that does not hold a single name ("p {
// margin: 0 }" in an HTML body) is text. A marker line holds a language
// code or name: [[sq]], [[sr-Latn]], [[shqip]].
type Template struct {
	// def is the text before the first marker; nil when there are markers
	// and nothing but blank lines before the first.
	def *version
	// byLang holds the marked versions; a Serbian Cyrillic version with no
	// Latin one also serves Serbian Latin readers, transliterated.
	byLang map[i18n.Lang]*version
	order  []i18n.Lang // the marked versions as written
	// dates caches {date} by language and day: it is the same in every
	// letter of a run.
	dates sync.Map // dateKey → string
}

type dateKey struct {
	lang i18n.Lang
	day  data.Date
}

// version is one language's text cut into literal text and fields.
type version struct {
	segs []segment
	size int // the literal text's length, for the buffer
}

// segment is literal text, or a field when field is set.
type segment struct {
	lit   string
	field string
}

// Context is what a template's fields read besides the contact.
type Context struct {
	Office     data.Office
	OfficeLang i18n.Lang // the office's language: letters to a contact whose language is unknown
	Date       data.Date // the date printed ({date}); zero: today
}

// markerLine is a line that holds only [[…]]: a language marker (or an
// attempt at one, which is refused with its line if it names no language).
var markerLine = regexp.MustCompile(`^\s*\[\[\s*([^\[\]]{1,40}?)\s*\]\]\s*$`)

// ParseTemplate reads a template; a field not in Fields is refused with an
// *Error naming it (and its line), as is a marker that names no language
// of the app or names one a second time. Lines are counted from 1 over the
// whole text, marker lines included.
func ParseTemplate(text string) (*Template, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	t := &Template{byLang: map[i18n.Lang]*version{}}
	lines := strings.Split(text, "\n")
	firstLine := map[i18n.Lang]int{}
	start := 0           // index of the current version's first line
	cur := i18n.Lang("") // "": the default
	marked := false
	flush := func(end int) error {
		body := strings.Join(lines[start:end], "\n")
		if marked {
			// The blank lines before the next marker separate the versions;
			// they are no part of either.
			body = strings.TrimRight(body, " \t\n")
		}
		v, err := parseVersion(body, start+1)
		if err != nil {
			return err
		}
		switch {
		case cur != "":
			t.byLang[cur] = v
			t.order = append(t.order, cur)
		case !marked || strings.TrimSpace(body) != "":
			t.def = v
		}
		return nil
	}
	for i, line := range lines {
		m := markerLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		marked = true // the text before it is a version followed by another
		if err := flush(i); err != nil {
			return nil, err
		}
		l := PreferredLang([]string{m[1]})
		if l == "" {
			return nil, errorf("outreachtext.template.unknown_language", "line", strconv.Itoa(i+1),
				"marker", "[["+m[1]+"]]", "langs", markerLangs())
		}
		if first, dup := firstLine[l]; dup {
			return nil, errorf("outreachtext.template.duplicate_language", "line", strconv.Itoa(i+1),
				"marker", "[["+m[1]+"]]", "first", strconv.Itoa(first))
		}
		firstLine[l] = i + 1
		cur, start = l, i+1
	}
	if err := flush(len(lines)); err != nil {
		return nil, err
	}
	if sr, ok := t.byLang[i18n.SR]; ok && t.byLang[i18n.SRLatn] == nil {
		t.byLang[i18n.SRLatn] = sr.toLatin()
	}
	return t, nil
}

// markerLangs lists the codes a marker takes, for the message.
func markerLangs() string {
	codes := make([]string, len(i18n.All))
	for i, l := range i18n.All {
		codes[i] = "[[" + string(l) + "]]"
	}
	return strings.Join(codes, ", ")
}

// parseVersion cuts one version's text into literal text and fields;
// line is the number of its first line in the whole template.
func parseVersion(s string, line int) (*version, error) {
	v := &version{}
	var lit strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{' && strings.HasPrefix(s[i:], "{{"):
			lit.WriteByte('{')
			i += 2
			continue
		case c == '}' && strings.HasPrefix(s[i:], "}}"):
			lit.WriteByte('}')
			i += 2
			continue
		case c == '{':
			if end := strings.IndexByte(s[i+1:], '}'); end >= 0 {
				inner := s[i+1 : i+1+end]
				if name, ok := fieldName(inner); ok {
					if !slices.Contains(Fields, name) {
						return nil, unknownField(strings.TrimSpace(inner), line)
					}
					if lit.Len() > 0 {
						v.segs = append(v.segs, segment{lit: lit.String()})
						v.size += lit.Len()
						lit.Reset()
					}
					v.segs = append(v.segs, segment{field: name})
					i += end + 2
					continue
				}
			}
		case c == '\n':
			line++
		}
		lit.WriteByte(c)
		i++
	}
	if lit.Len() > 0 {
		v.segs = append(v.segs, segment{lit: lit.String()})
		v.size += lit.Len()
	}
	return v, nil
}

// fieldName reads what is between braces as a field's name: one word of
// letters, digits, "_" and "-" (spaces between words too, so that "{given
// name}" is refused as a field rather than printed to everyone), with a
// letter in it. Anything else is text.
func fieldName(inner string) (string, bool) {
	s := strings.TrimSpace(inner)
	if s == "" || len(s) > 40 {
		return "", false
	}
	letter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r), r == '_', r == '-', r == ' ':
		default:
			return "", false
		}
	}
	return strings.ToLower(s), letter
}

// fieldHints are names clerks are likely to write for a field, in their
// languages, folded: they are not accepted (a template means one thing
// everywhere) but the message suggests the field.
var fieldHints = map[string]string{
	"ime": "given_name", "emri": "given_name", "first_name": "given_name", "firstname": "given_name",
	"prezime": "family_name", "mbiemri": "family_name", "surname": "family_name", "last_name": "family_name", "lastname": "family_name",
	"naziv": "name", "emertimi": "name", "ime_i_prezime": "name", "full_name": "name",
	"grad": "city", "qyteti": "city", "mjesto": "city", "mesto": "city", "town": "city",
	"drzava": "country", "shteti": "country", "adresa": "address", "adresa_": "address",
	"telefon": "phone", "tel": "phone", "telefoni": "phone", "mobile": "phone",
	"mail": "email", "e-mail": "email", "e_mail": "email",
	"datum": "date", "data": "date", "today": "date",
	"opcina": "municipality", "opstina": "municipality", "komuna": "municipality",
	"ured": "office", "zyra": "office", "greeting": "salutation", "oslovljavanje": "salutation", "pershendetja": "salutation",
}

// unknownField is the error for {name} that is not a field, with the
// nearest field when one is near.
func unknownField(name string, line int) *Error {
	list := make([]string, len(Fields))
	for i, f := range Fields {
		list[i] = "{" + f + "}"
	}
	args := []string{"line", strconv.Itoa(line), "field", "{" + name + "}", "fields", strings.Join(list, ", ")}
	if s := suggestField(name); s != "" {
		return errorf("outreachtext.template.unknown_field_suggest", append(args, "suggestion", "{"+s+"}")...)
	}
	return errorf("outreachtext.template.unknown_field", args...)
}

func suggestField(name string) string {
	k := strings.NewReplacer(" ", "_", "-", "_").Replace(fold.Fold(name))
	if f, ok := fieldHints[k]; ok {
		return f
	}
	best, bestD := "", 3
	for _, f := range Fields {
		if d := editDistance(k, f); d < bestD {
			best, bestD = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short ASCII-ish words.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// toLatin is the version transliterated to Serbian Latin (fields stay).
func (v *version) toLatin() *version {
	out := &version{segs: make([]segment, len(v.segs))}
	for i, s := range v.segs {
		if s.field == "" {
			s.lit = script.ToLatin(s.lit)
			out.size += len(s.lit)
		}
		out.segs[i] = s
	}
	return out
}

// pick is the contact's letter language and the version written for it.
func (t *Template) pick(c Contact, ctx Context) (i18n.Lang, *version) {
	office := ctx.OfficeLang
	if office == "" {
		office = i18n.EN
	}
	if len(t.byLang) == 0 {
		// One text for everyone: the words around the fields are the
		// same, the salutation, date and country follow the reader.
		if c.Lang != "" {
			return c.Lang, t.def
		}
		return office, t.def
	}
	if c.Lang != "" {
		if v := t.byLang[c.Lang]; v != nil {
			return c.Lang, v
		}
		// A Cyrillic reader reads Latin better than another language.
		if v := t.byLang[i18n.SRLatn]; c.Lang == i18n.SR && v != nil {
			return i18n.SRLatn, v
		}
	}
	if v := t.byLang[office]; v != nil {
		return office, v
	}
	if t.def != nil {
		return office, t.def
	}
	return t.order[0], t.byLang[t.order[0]]
}

// LangFor is the language of the contact's letter: their own where the
// template has a version in it (or they have one and the template has a
// single version), else the office's. A Serbian Cyrillic version serves
// Serbian Latin readers (transliterated) and a Latin one Cyrillic readers
// when it is the only Serbian one. A template whose versions are all
// marked and none is in the office's language falls back on its first.
func (t *Template) LangFor(c Contact, ctx Context) i18n.Lang {
	l, _ := t.pick(c, ctx)
	return l
}

// Render is the text for the contact, fields filled, in LangFor's
// language.
//
// The salutation, date and country are in the letter's language (Serbian
// Cyrillic letters have them in Cyrillic); names, addresses and the other
// fields stay as the registry writes them. A field the contact lacks is
// left out with the space before or after it, so "{salutation}
// {given_name}," reads "Poštovani," to a business, and a space before
// punctuation or the end of the line goes too.
func (t *Template) Render(c Contact, ctx Context) string { return t.render(c, ctx, nil) }

// RenderHTML is Render for a template written in HTML: the field values
// are escaped (a name with "<" or "&" stays text), the template's own
// markup is kept.
func (t *Template) RenderHTML(c Contact, ctx Context) string {
	return t.render(c, ctx, html.EscapeString)
}

// Langs are the languages the template has a version in, as marked
// (Serbian Latin also when only a Cyrillic version is written); none for a
// template of one text.
func (t *Template) Langs() []i18n.Lang {
	out := slices.Clone(t.order)
	if t.byLang[i18n.SRLatn] != nil && !slices.Contains(out, i18n.SRLatn) {
		out = append(out, i18n.SRLatn)
	}
	return out
}

func (t *Template) render(c Contact, ctx Context, escape func(string) string) string {
	l, v := t.pick(c, ctx)
	if v == nil {
		return ""
	}
	f := fieldValues{c: c, ctx: &ctx, lang: l, dates: &t.dates}
	buf := make([]byte, 0, v.size+16*len(v.segs))
	dropped := false // the last segment was a field left empty
	for _, s := range v.segs {
		if s.field != "" {
			val := f.value(s.field)
			if val == "" {
				dropped = true
				continue
			}
			dropped = false
			if escape != nil {
				val = escape(val)
			}
			buf = append(buf, val...)
			continue
		}
		lit := s.lit
		if dropped {
			dropped = false
			atStart := len(buf) == 0 || buf[len(buf)-1] == '\n'
			spaceBefore := len(buf) > 0 && buf[len(buf)-1] == ' '
			switch {
			case lit[0] == ' ' && (atStart || spaceBefore):
				lit = lit[1:]
			case spaceBefore && (lit[0] == '\n' || strings.IndexByte(",.;:!?)", lit[0]) >= 0):
				buf = buf[:len(buf)-1]
			}
		}
		buf = append(buf, lit...)
	}
	return string(buf)
}

// fieldValues reads the fields for one contact in one language.
type fieldValues struct {
	c     Contact
	ctx   *Context
	lang  i18n.Lang
	dates *sync.Map
}

func (f fieldValues) value(field string) string {
	c := f.c
	switch field {
	case "salutation":
		return Salutation(genderOf(c), f.lang)
	case "given_name":
		return c.GivenName
	case "family_name":
		return c.FamilyName
	case "name":
		return displayName(c)
	case "city":
		return c.City
	case "country":
		if c.Country == "" {
			return ""
		}
		return data.CountryName(c.Country, f.lang)
	case "address":
		return c.Address
	case "email":
		return c.Email
	case "phone":
		return data.FormatPhone(c.Phone)
	case "office":
		return f.ctx.Office.Name
	case "municipality":
		return f.ctx.Office.Municipality
	case "date":
		d := f.ctx.Date
		if d.IsZero() {
			d = data.DateOf(time.Now())
		}
		k := dateKey{f.lang, d}
		if s, ok := f.dates.Load(k); ok {
			return s.(string)
		}
		s := LongDate(d, f.lang)
		f.dates.Store(k, s)
		return s
	}
	return ""
}

// genderOf is the gender a salutation addresses: a person's; a business
// or an organisation has none.
func genderOf(c Contact) string {
	if c.Kind != data.KindPerson && c.Kind != "" {
		return ""
	}
	return c.Gender
}

// displayName is the name a letter, label or card gives the contact.
func displayName(c Contact) string {
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	return strings.TrimSpace(c.GivenName + " " + c.FamilyName)
}

// LongDate is the date as a letter in the language writes it, the month
// in words: "7. decembar 2026." (bs), "7. prosinca 2026." (hr), "7.
// децембар 2026." (sr), "7 dhjetor 2026" (sq), "7 December 2026" (en) —
// CLDR's long date of each language.
func LongDate(d data.Date, l i18n.Lang) string {
	if d.IsZero() {
		return ""
	}
	return i18n.T(l, "outreachtext.date", "day", strconv.Itoa(d.Day),
		"month", i18n.T(l, "outreachtext.month."+strconv.Itoa(int(d.Month))), "year", strconv.Itoa(d.Year))
}

// Salutation is "Poštovani"/"Poštovana", "Поштовани"/"Поштована", "I
// nderuar"/"E nderuar", "Dear" by gender and language. An unknown gender
// (and a business or an organisation, which have none) gets the neutral
// form: "Poštovani", "Поштовани", "Të nderuar", "Dear".
func Salutation(gender string, l i18n.Lang) string {
	switch strings.ToLower(strings.TrimSpace(gender)) {
	case "f":
		return i18n.T(l, "outreachtext.salutation.f")
	case "m":
		return i18n.T(l, "outreachtext.salutation.m")
	}
	return i18n.T(l, "outreachtext.salutation.neutral")
}

// langNames are the names of the app's languages as people write them in
// a person's languages, folded (so case, diacritics and script do not
// matter: "Bošnjački", "bosnjacki" and "БОСАНСКИ" are one): in the
// languages of the region, in English and in German, the language most of
// the diaspora lives in. Serbian is srSerbian and decided by script.
var langNames = map[string]i18n.Lang{
	"bosnian": i18n.BS, "bosanski": i18n.BS, "bosnjacki": i18n.BS, "boshnjakisht": i18n.BS, "boshnjake": i18n.BS,
	"boshnjak": i18n.BS, "bosnisch": i18n.BS, "bosnishte": i18n.BS, "boshnjakishte": i18n.BS,
	"croatian": i18n.HR, "hrvatski": i18n.HR, "kroatisht": i18n.HR, "kroatishte": i18n.HR, "kroatisch": i18n.HR,
	"serbian": i18n.SR, "serbisht": i18n.SR, "serbishte": i18n.SR, "serbisch": i18n.SR, "srpski": srSerbian,
	"albanian": i18n.SQ, "shqip": i18n.SQ, "shqipe": i18n.SQ, "albanski": i18n.SQ, "albanisch": i18n.SQ, "shqiptare": i18n.SQ,
	"english": i18n.EN, "engleski": i18n.EN, "anglisht": i18n.EN, "anglishte": i18n.EN, "englisch": i18n.EN,
}

// srSerbian marks the native name of Serbian, whose script says which
// Serbian the person reads.
const srSerbian i18n.Lang = "sr?"

// langCodes are the ISO 639 codes of the app's languages (two- and
// three-letter); "sr-Latn" and the like are read by i18n.Parse.
var langCodes = map[string]i18n.Lang{
	"bs": i18n.BS, "bos": i18n.BS, "hr": i18n.HR, "hrv": i18n.HR, "sr": i18n.SR, "srp": i18n.SR,
	"sq": i18n.SQ, "sqi": i18n.SQ, "alb": i18n.SQ, "en": i18n.EN, "eng": i18n.EN,
}

var langCode = regexp.MustCompile(`^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$`)

// PreferredLang is the first of a person's languages the app speaks
// ("bosanski", "shqip", "sq", "Albanian", "српски"…), or "". An entry may
// hold several ("German, Albanian"; "Njemački / bosanski") and a name may
// come with its word for language ("bosanski jezik", "gjuha shqipe").
// Serbian written natively in Cyrillic ("српски") or with "ćirilica" is
// Serbian Cyrillic; "srpski" in Latin letters, or with "latinica", is
// Serbian Latin; "Serbian" and the code "sr" are Cyrillic, Serbia's own
// script.
func PreferredLang(languages []string) i18n.Lang {
	for _, entry := range languages {
		for _, part := range strings.FieldsFunc(entry, func(r rune) bool { return strings.ContainsRune(",;/|+&\n", r) }) {
			if l := langOf(part); l != "" {
				return l
			}
		}
	}
	return ""
}

// langOf reads one language as written, or "".
func langOf(s string) i18n.Lang {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if langCode.MatchString(s) {
		base, rest, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(s, "_", "-")), "-")
		if l, ok := langCodes[base]; ok {
			if l == i18n.SR && (rest == "latn" || strings.HasPrefix(rest, "latn-")) {
				return i18n.SRLatn
			}
			return l
		}
	}
	words := fold.Words(s)
	for _, w := range words {
		l, ok := langNames[w]
		if !ok {
			continue
		}
		if l != srSerbian {
			return l
		}
		switch {
		case slices.Contains(words, "cirilica"), slices.Contains(words, "cirilicom"):
			return i18n.SR
		case slices.Contains(words, "latinica"), slices.Contains(words, "latinicom"):
			return i18n.SRLatn
		case script.HasCyrillic(s):
			return i18n.SR
		}
		return i18n.SRLatn
	}
	return ""
}
