package reports

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"registar/data/i18n"
	"registar/reports/fonts"
)

// clean makes one line of user text safe for the PDF: see sanitize.
func clean(s string) string { return sanitize(s, false) }

// cleanText is clean for text with paragraphs (a foreword): line breaks stay.
func cleanText(s string) string { return sanitize(s, true) }

// sanitize prepares user text for the PDF library, which panics on any rune
// above U+FFFF and has no shaping. It composes the text (NFC: a "c" followed
// by a combining caron becomes "č", the form the font has a glyph for);
// drops runes outside the Basic Multilingual Plane (emoji), control and
// format characters (zero-width joiners, bidi marks, soft hyphens, BOMs) and
// symbols the font cannot draw; writes "?" for a letter the font cannot draw
// (a name in a script the office's font lacks stays visibly incomplete
// rather than silently shortened); turns tabs and, unless multiline, line
// breaks into spaces; and collapses runs of spaces.
func sanitize(s string, multiline bool) string {
	if isPlain(s) {
		return strings.TrimSpace(s)
	}
	s = norm.NFC.String(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(len(s))
	space, newlines := false, 0
	flush := func() {
		switch {
		case newlines > 0 && b.Len() > 0:
			b.WriteString(strings.Repeat("\n", min(newlines, 2)))
		case space && b.Len() > 0:
			b.WriteByte(' ')
		}
		space, newlines = false, 0
	}
	for _, r := range s {
		switch {
		case r == '\n' && multiline:
			newlines++
			continue
		case r == '\r' && multiline:
			continue
		case unicode.IsSpace(r) || r == '\n' || r == '\r':
			space = true
			continue
		case r > 0xFFFF, unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
			continue
		case unicode.Is(unicode.Mn, r) && !fonts.Covers(r):
			continue
		case !fonts.Covers(r):
			if unicode.IsLetter(r) || unicode.IsNumber(r) {
				r = '?'
			} else {
				continue
			}
		}
		flush()
		b.WriteRune(r)
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII (and spaces) only: the common
// case, which needs no work beyond trimming.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7F {
			return false
		}
		if c == ' ' && i+1 < len(s) && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// formatPercent writes part/whole as a percentage with one decimal, with
// the language's decimal separator: 12.5% in English, 12,5 % elsewhere.
func formatPercent(part, whole int, lang i18n.Lang) string {
	if whole <= 0 {
		return "–"
	}
	p := float64(part) * 100 / float64(whole)
	s := strconv.FormatFloat(p, 'f', 1, 64)
	if lang == i18n.EN {
		return s + "%"
	}
	return strings.Replace(s, ".", ",", 1) + "\u00A0%"
}

// formatDate writes a date as the language writes it: 22.11.2026. in
// Bosnian, Croatian and Serbian, 22.11.2026 in Albanian, 22 Nov 2026 in
// English.
func formatDate(t time.Time, lang i18n.Lang) string {
	switch lang {
	case i18n.EN:
		return t.Format("2 Jan 2006")
	case i18n.SQ:
		return t.Format("02.01.2006")
	}
	return t.Format("02.01.2006.")
}

// collatorFor is the CLDR collation of the language's alphabet. x/text has
// no tailoring for "bs" and "sr-Latn"; CLDR gives them the Croatian one
// (C, Č, Ć, D, Dž, Đ … Lj, Nj … Š … Ž), as data.Countries does.
func collatorFor(lang i18n.Lang) *collate.Collator {
	tag := language.English
	switch lang {
	case i18n.BS, i18n.HR, i18n.SRLatn:
		tag = language.Croatian
	case i18n.SR:
		tag = language.Serbian
	case i18n.SQ:
		tag = language.Albanian
	}
	return collate.New(tag, collate.Loose)
}

// sortKeys computes a collation key for each string, once.
func sortKeys(col *collate.Collator, ss []string) [][]byte {
	var buf collate.Buffer
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = append([]byte(nil), col.KeyFromString(&buf, s)...)
		buf.Reset()
	}
	return out
}

// digraphs are the letters of an alphabet written with two characters,
// which an index heads on their own (Dž, Lj, Nj in Bosnian, Croatian and
// Serbian Latin; Dh, Gj, Ll, Nj, Rr, Sh, Th, Xh, Zh in Albanian).
var digraphs = map[i18n.Lang][]string{
	i18n.BS:     {"dž", "lj", "nj"},
	i18n.HR:     {"dž", "lj", "nj"},
	i18n.SRLatn: {"dž", "lj", "nj"},
	i18n.SQ:     {"dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh"},
}

// initial is the letter an index files a name under: its first letter in
// upper case, or the language's digraph it starts with ("Nj" for Njegoš in
// Bosnian, "Xh" for Xhafa in Albanian), or "#" for a name that starts with
// something else.
func initial(name string, lang i18n.Lang) string {
	name = strings.TrimLeftFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError || !unicode.IsLetter(r) {
		return "#"
	}
	lower := strings.ToLower(name)
	for _, d := range digraphs[lang] {
		if strings.HasPrefix(lower, d) {
			first, n := utf8.DecodeRuneInString(d)
			return string(unicode.ToTitle(first)) + d[n:]
		}
	}
	return string(unicode.ToTitle(r))
}
