package i18n

import (
	"errors"
	"strings"
)

// Translated is an error that can say itself in a language (the store's
// full disk, an import source's, a bundle's, a PDF form's).
type Translated interface{ Message(Lang) string }

// ErrorMessage is err in language l when err is, or wraps, a Translated
// error: its message, with what was put before it kept ("FILE: …"). ok is
// false, and the text err's own, when it has none.
func ErrorMessage(err error, l Lang) (msg string, ok bool) {
	var t Translated
	if !errors.As(err, &t) {
		return err.Error(), false
	}
	msg = t.Message(l)
	if te, isErr := t.(error); isErr {
		if outer, inner := err.Error(), te.Error(); outer != inner && strings.HasSuffix(outer, inner) {
			return strings.TrimSuffix(outer, inner) + msg, true
		}
	}
	return msg, true
}
