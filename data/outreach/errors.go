package outreach

import (
	"fmt"

	"registar/data/i18n"
)

// Error is an outreach error that says itself in the user's language: a
// catalogue key of data/i18n/catalog/outreach*.json and its arguments.
// Err, when set, is the cause (a server's answer, a file error).
type Error struct {
	Key  string
	Args []string
	Err  error
}

func (e *Error) Error() string {
	msg := i18n.T(i18n.EN, e.Key, e.Args...)
	if e.Err != nil {
		return fmt.Sprintf("%s (%v)", msg, e.Err)
	}
	return msg
}

// Message is the error in language l (i18n.Translated).
func (e *Error) Message(l i18n.Lang) string {
	msg := i18n.T(l, e.Key, e.Args...)
	if e.Err != nil {
		return msg + " (" + e.Err.Error() + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

func errorf(key string, args ...string) *Error { return &Error{Key: key, Args: args} }
