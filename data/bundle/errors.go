package bundle

import (
	"registar/data/i18n"
)

// Error is a bundle error a clerk can read; its text is in the catalogue
// (catalog/bundle.*.json) under Key, English in Error.
type Error struct{ key string }

func (e *Error) Error() string { return i18n.T(i18n.EN, e.key) }

// Key is the catalogue key of the message.
func (e *Error) Key() string { return e.key }

// Message is the error in language l.
func (e *Error) Message(l i18n.Lang) string { return i18n.T(l, e.key) }

// Errors a caller may test with errors.Is. A refused bundle writes nothing.
var (
	ErrNotABundle      = &Error{"bundle.error.not_a_bundle"}
	ErrDamaged         = &Error{"bundle.error.damaged"}
	ErrNewer           = &Error{"bundle.error.newer"}
	ErrOwnBundle       = &Error{"bundle.error.own"}
	ErrNeedPassphrase  = &Error{"bundle.error.need_passphrase"}
	ErrWrongPassphrase = &Error{"bundle.error.wrong_passphrase"}
	ErrUnknownLaptop   = &Error{"bundle.error.unknown_laptop"}
	ErrKindMismatch    = &Error{"bundle.error.kind_mismatch"}
	// ErrPlainFromEncrypted: a bundle of an encrypted registry must be
	// protected with a passphrase too, or its records would leave the
	// laptop in clear text.
	ErrPlainFromEncrypted = &Error{"bundle.error.plain_from_encrypted"}
)

// Message is err for a person, in language l when it is one of the
// package's errors (or another that says itself), else err's own text.
func Message(err error, l i18n.Lang) string {
	msg, _ := i18n.ErrorMessage(err, l)
	return msg
}
