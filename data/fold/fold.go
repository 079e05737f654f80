// Package fold makes text blind to script, case and diacritics, the way an
// office searches: "djordje", "dordje", "đorđe" and "Ђорђе" all fold to
// "dorde"; "Petrović" and "Петровић" to "petrovic"; "Çelik" to "celik".
// Search, import header matching and country-name matching all fold through
// here, so they agree on what "the same word" means.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"registar/data/script"
)

// Fold returns s in folded form: Serbian Cyrillic to Latin, compatibility
// decomposition (ǅ → dž), combining marks removed (č → c, ë → e, ç → c),
// đ → d, lower case, and any "j" right after a "d" dropped, so that people
// who write Đorđe as Djordje or Dorde all meet at "dorde". Folding is
// idempotent. Only letters and digits are kept as they are; other runes are
// kept too (Words splits on them).
func Fold(s string) string {
	if isPlainLower(s) && !strings.Contains(s, "dj") {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD") // pasted text may carry broken bytes
	// Decompose before transliterating too: Ѐ is Cyrillic е plus a mark.
	s = norm.NFKD.String(script.ToLatin(norm.NFKD.String(s)))
	var b strings.Builder
	b.Grow(len(s))
	var last rune
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'đ':
			r = 'd'
		case 'ł':
			r = 'l'
		case 'ø':
			r = 'o'
		case 'ß':
			b.WriteString("ss")
			last = 's'
			continue
		case 'æ':
			b.WriteString("ae")
			last = 'e'
			continue
		case 'ı':
			r = 'i'
		}
		if r == 'j' && last == 'd' {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// isPlainLower reports whether s is already lower-case ASCII letters, digits
// and spaces: the common case of a typed query, which needs no work.
func isPlainLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// Words folds s and splits it into words: runs of letters and digits.
// "Đorđe Petrović-Jovanović" → ["dorde", "petrovic", "jovanovic"].
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Key folds s into one comparison key: the folded words joined by single
// spaces. "  Datum   rođenja " and "datum rodjenja" have the same key.
func Key(s string) string { return strings.Join(Words(s), " ") }
