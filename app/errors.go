package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"registar/data/store"
)

// errorText is the sentence for an error in the UI language: the error's
// own when it says itself in a language (a full disk naming the folder and
// the sizes, a restore refused), else the store's table (store.ErrorMessage,
// which the command line reads too), else a generic sentence with the
// error's text.
func (s *Shell) errorText(err error) string {
	if msg, ok := store.ErrorMessage(err, s.lang); ok {
		return msg
	}
	return s.T("ui.error.generic", "detail", err.Error())
}

// showError logs an error with its detail and tells the user in a
// sentence; what is the whole reaction to a failed action.
func (s *Shell) showError(what string, err error) {
	fyne.LogError(what, err)
	dialog.ShowError(errors.New(s.errorText(err)), s.window)
}
