package store

import (
	"errors"

	"registar/data/i18n"
)

// errorKeys is the one table of sentences for the store's errors, read by
// the app's dialogs and the command line's last line alike (ErrorMessage).
// The sentences are in data/i18n/catalog/store.<lang>.json.
var errorKeys = []struct {
	err error
	key string
}{
	{ErrLocked, "store.error.locked"},
	{ErrConflict, "store.error.conflict"},
	{ErrDiskFull, "store.error.diskfull"},
	{ErrWrongPassphrase, "store.error.wrongpass"},
	{ErrNeedPassphrase, "store.error.needpass"},
	{ErrNotAStore, "store.error.notastore"},
	{ErrNewerStore, "store.error.newer"},
	{ErrErased, "store.error.erased"},
	{ErrNotFound, "store.error.notfound"},
	{ErrClosed, "store.error.closed"},
	{ErrReadOnly, "store.error.readonly"},
	{ErrNotABackup, "store.error.notabackup"},
	{ErrCorruptBackup, "store.error.corruptbackup"},
	{ErrNothingToUndo, "store.error.undone"},
	{ErrUndoChangedSince, "store.error.changedsince"},
}

// ErrorMessage is err as a sentence in l. An error that says itself in a
// language (i18n.Translated: a full disk naming the folder and the sizes, a
// bundle's, an import source's) says that; one of the store's errors gets
// its sentence from errorKeys, with the folder when it concerns one. ok is
// false, and the text err's own, for any other error.
func ErrorMessage(err error, l i18n.Lang) (msg string, ok bool) {
	if msg, ok := i18n.ErrorMessage(err, l); ok {
		return msg, true
	}
	for _, e := range errorKeys {
		if !errors.Is(err, e.err) {
			continue
		}
		msg = i18n.T(l, e.key)
		var pe *PathError
		if errors.As(err, &pe) && pe.Path != "" {
			msg = i18n.T(l, "store.error.where", "message", msg, "folder", pe.Path)
		}
		return msg, true
	}
	return err.Error(), false
}
