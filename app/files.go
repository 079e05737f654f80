package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// Files the screens write through Fyne's save dialog.

// hasExtension tells whether name ends with one of exts, in any case.
func hasExtension(name string, exts ...string) bool {
	lower := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(lower, strings.ToLower(e)) {
			return true
		}
	}
	return false
}

// withExtension returns w when the name typed ends with ext or one of the
// other accepted extensions; otherwise (Fyne's save dialog does not add it:
// fyne-io/fyne#4692) it removes the empty file the dialog made and returns
// a writer to the name with ext added.
func withExtension(w fyne.URIWriteCloser, ext string, accepted ...string) (fyne.URIWriteCloser, error) {
	u := w.URI()
	if hasExtension(u.Name(), append(accepted, ext)...) {
		return w, nil
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := storage.Delete(u); err != nil {
		fyne.LogError("removing the empty file "+u.Name(), err)
	}
	var nu fyne.URI
	if u.Scheme() == "file" {
		nu = storage.NewFileURI(u.Path() + ext)
	} else {
		var err error
		if nu, err = storage.ParseURI(u.String() + ext); err != nil {
			return nil, err
		}
	}
	return storage.Writer(nu)
}

// closeWritten closes a file after writing it; if the writing or the close
// failed (or was cancelled), the partial file is removed so that nothing
// that looks finished is left. It returns the first error.
func closeWritten(w fyne.URIWriteCloser, err error) error {
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if derr := storage.Delete(w.URI()); derr != nil {
			fyne.LogError("removing the partial file "+w.URI().Name(), derr)
		}
	}
	return err
}
