package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"registar/data/i18n"
	"registar/data/store"
)

// storeErrorKeys are the sentences a clerk reads for the store's errors.
var storeErrorKeys = []struct {
	err error
	key string
}{
	{store.ErrLocked, "ui.error.locked"},
	{store.ErrConflict, "ui.error.conflict"},
	{store.ErrDiskFull, "ui.error.diskfull"},
	{store.ErrWrongPassphrase, "ui.error.wrongpass"},
	{store.ErrNeedPassphrase, "ui.error.needpass"},
	{store.ErrNotAStore, "ui.error.notastore"},
	{store.ErrNewerStore, "ui.error.newer"},
	{store.ErrErased, "ui.error.erased"},
	{store.ErrNotFound, "ui.error.notfound"},
	{store.ErrClosed, "ui.error.closed"},
}

// errorText is the sentence for an error in the UI language.
func (s *Shell) errorText(err error) string {
	// An error that says itself in the user's language (a full disk naming
	// the folder and the sizes, a restore refused) says more than its kind.
	if msg, ok := i18n.ErrorMessage(err, s.lang); ok {
		return msg
	}
	for _, e := range storeErrorKeys {
		if errors.Is(err, e.err) {
			return s.T(e.key)
		}
	}
	return s.T("ui.error.generic", "detail", err.Error())
}

// showError logs an error with its detail and tells the user in a
// sentence; what is the whole reaction to a failed action.
func (s *Shell) showError(what string, err error) {
	fyne.LogError(what, err)
	dialog.ShowError(errors.New(s.errorText(err)), s.window)
}
