package odk

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"registar/data/i18n"
	"registar/data/store"
)

// FolderError is a folder the forms cannot be written into. Its message,
// in the form's language, names the folder and what to do.
type FolderError struct {
	Dir  string
	Err  error
	lang i18n.Lang
}

func (e *FolderError) Error() string {
	reason := "odk.reason.other"
	switch {
	case errors.Is(e.Err, fs.ErrPermission), errors.Is(e.Err, syscall.EROFS):
		reason = "odk.reason.permission"
	case errors.Is(e.Err, syscall.ENOTDIR), errors.Is(e.Err, fs.ErrExist):
		reason = "odk.reason.notdir"
	case errors.Is(e.Err, syscall.ENOSPC):
		reason = "odk.reason.full"
	}
	return i18n.T(e.lang, "odk.error.folder", "param", e.Dir, "reason", i18n.T(e.lang, reason, "detail", errText(e.Err)))
}

func (e *FolderError) Unwrap() error { return e.Err }

// errText is the system's own words for an error, without the path the
// message names already.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// WriteFiles writes the form's XLSForm and XForm into dir (made if it is
// missing) and returns their paths. Each file is written beside its final
// name and renamed into place, so a failure leaves no half-written form
// that a phone or a server could take for a good one.
func WriteFiles(dir string, f *Form) (xlsform, xform string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", &FolderError{Dir: dir, Err: err, lang: f.Lang}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			err = syscall.ENOTDIR
		}
		return "", "", &FolderError{Dir: dir, Err: err, lang: f.Lang}
	}
	xName, xmlName := f.FileNames()
	xlsform, xform = filepath.Join(dir, xName), filepath.Join(dir, xmlName)
	if err := store.WriteFileAtomically(xlsform, 0o644, f.WriteXLSForm); err != nil {
		return "", "", &FolderError{Dir: dir, Err: err, lang: f.Lang}
	}
	if err := store.WriteFileAtomically(xform, 0o644, f.WriteXForm); err != nil {
		os.Remove(xlsform) // the two go together, or neither
		return "", "", &FolderError{Dir: dir, Err: err, lang: f.Lang}
	}
	return xlsform, xform, nil
}
