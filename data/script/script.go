// Package script converts Serbian Cyrillic to Serbian Latin. It is the one
// table behind both search folding and the Serbian Latin interface strings,
// which are derived from the Cyrillic catalogue.
package script

import (
	"strings"
	"unicode"
)

// The official one-to-one Serbian alphabet correspondence (30 letters), plus
// the Macedonian/Russian letters people paste by mistake, so they still fold.
var cyrToLat = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ђ': "đ", 'е': "e", 'ж': "ž",
	'з': "z", 'и': "i", 'ј': "j", 'к': "k", 'л': "l", 'љ': "lj", 'м': "m", 'н': "n",
	'њ': "nj", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ћ': "ć", 'у': "u",
	'ф': "f", 'х': "h", 'ц': "c", 'ч': "č", 'џ': "dž", 'ш': "š",
	// not Serbian, but seen in pasted text
	'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz", 'й': "j", 'ы': "y", 'э': "e", 'ю': "ju", 'я': "ja",
	'ё': "jo", 'щ': "šč", 'ъ': "", 'ь': "", 'і': "i", 'ї': "ji", 'є': "je", 'ґ': "g",
}

// HasCyrillic reports whether s has any Cyrillic letter.
func HasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// ToLatin transliterates Serbian Cyrillic to Serbian Latin, keeping case:
// "Ђорђе Петровић" → "Đorđe Petrović", "ЉИЉА" → "LJILJA", "Љиља" → "Ljilja".
func ToLatin(s string) string {
	if !HasCyrillic(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	rs := []rune(s)
	for i, r := range rs {
		lower := unicode.ToLower(r)
		lat, ok := cyrToLat[lower]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lower == r || lat == "" {
			b.WriteString(lat)
			continue
		}
		// Upper case: a digraph is "LJ" inside an all-caps word, "Lj" otherwise.
		first, rest := []rune(lat)[0], string([]rune(lat)[1:])
		b.WriteRune(unicode.ToUpper(first))
		if rest != "" {
			if allCapsAround(rs, i) {
				rest = strings.ToUpper(rest)
			}
			b.WriteString(rest)
		}
	}
	return b.String()
}

// allCapsAround reports whether the letters next to position i are capitals,
// which makes a capital digraph "LJ" rather than "Lj".
func allCapsAround(rs []rune, i int) bool {
	for _, j := range []int{i + 1, i - 1} {
		if j >= 0 && j < len(rs) && unicode.IsLetter(rs[j]) {
			return unicode.IsUpper(rs[j])
		}
	}
	return false
}
