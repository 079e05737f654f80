package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/dgraph-io/badger/v4"
)

// Errors a caller may test with errors.Is. Their texts are meant for people.
var (
	ErrNotFound         = errors.New("record not found")
	ErrLocked           = errors.New("the registry is already open in another Registar window or program")
	ErrNotAStore        = errors.New("this folder is not a Registar registry")
	ErrNeedPassphrase   = errors.New("this registry is encrypted: a passphrase is needed")
	ErrWrongPassphrase  = errors.New("the passphrase is wrong")
	ErrConflict         = errors.New("the record was changed elsewhere since it was opened; reopen it and repeat the change")
	ErrNotABackup       = errors.New("this file is not a Registar backup")
	ErrCorruptBackup    = errors.New("the backup file is damaged or incomplete")
	ErrDiskFull         = errors.New("the disk is full: free some space and try again")
	ErrNewerStore       = errors.New("this registry was written by a newer Registar; update the program")
	ErrClosed           = errors.New("the registry is closed")
	ErrReadOnly         = errors.New("the registry was opened for reading only")
	ErrErased           = errors.New("the record was erased for good")
	ErrNothingToUndo    = errors.New("there is nothing to undo for that step")
	ErrUndoChangedSince = errors.New("records of that step were changed afterwards; undo would lose those changes")
)

// PathError ties an error to the folder or file it concerns, so that the
// message names it: `the registry is already open …: /home/…/registar`.
type PathError struct {
	Err  error
	Path string
}

func (e *PathError) Error() string { return fmt.Sprintf("%v: %s", e.Err, e.Path) }
func (e *PathError) Unwrap() error { return e.Err }

// translate turns Badger's and the OS's errors into the store's own.
func translate(err error, path string) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return ErrNotFound
	case errors.Is(err, badger.ErrEncryptionKeyMismatch):
		return &PathError{ErrWrongPassphrase, path}
	case errors.Is(err, syscall.ENOSPC):
		return &PathError{ErrDiskFull, path}
	case errors.Is(err, badger.ErrDBClosed):
		return ErrClosed
	case strings.Contains(err.Error(), "Cannot acquire directory lock"):
		return &PathError{ErrLocked, path}
	case strings.Contains(err.Error(), "no space left on device"):
		return &PathError{ErrDiskFull, path}
	}
	return err
}
