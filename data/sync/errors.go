package sync

import "registar/data/i18n"

// Error is a sync error a clerk can read; its text is in the catalogue
// (catalog/sync.*.json) under its key, English in Error.
type Error struct{ key string }

func (e *Error) Error() string { return i18n.T(i18n.EN, e.key) }

// Message is the error in language l.
func (e *Error) Message(l i18n.Lang) string { return i18n.T(l, e.key) }

// Errors a caller may test with errors.Is.
var (
	// ErrNoFolder: the sync folder is not there (a network share or a
	// drive not connected). It is never created in its place, so that a
	// laptop does not sync with an empty local copy.
	ErrNoFolder = &Error{"sync.error.no_folder"}
	// ErrNeedPassphrase: the registry is encrypted and no passphrase was
	// given, so its changes would leave it in clear text.
	ErrNeedPassphrase = &Error{"sync.error.need_passphrase"}
	// ErrMisplaced: a file in one laptop's subfolder says another laptop
	// wrote it (copied by hand into the wrong place).
	ErrMisplaced = &Error{"sync.skip.misplaced"}
)
