package i18n

import (
	"strconv"
	"strings"
)

// FormatInt writes n with the language's thousands separator: 12,345 in
// English, 12.345 in Bosnian, Croatian and Serbian, 12 345 in Albanian
// (a no-break space): the reports, the app and the command line.
func FormatInt(n int, lang Lang) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	if len(s) > 3 {
		sep := "."
		switch lang {
		case EN:
			sep = ","
		case SQ:
			sep = "\u00A0"
		}
		var b strings.Builder
		pre := len(s) % 3
		if pre > 0 {
			b.WriteString(s[:pre])
		}
		for i := pre; i < len(s); i += 3 {
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(s[i : i+3])
		}
		s = b.String()
	}
	if neg {
		return "-" + s
	}
	return s
}
