package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// Files the screens read and write through Fyne's file dialogs. Every
// dialog opens in the folder its screen used last (a preference per
// screen) and nearly as large as the window; a save goes through saveAs,
// which handles the error, the cancel, the missing extension and the
// folder to remember, in that order.

// openFileDialog asks for a file to read, among exts.
func openFileDialog(s *Shell, exts []string, pref string, cb func(fyne.URIReadCloser, error)) {
	d := dialog.NewFileOpen(cb, s.window)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	showFileDialog(s, d, pref)
}

// openFolderDialog asks for a folder.
func openFolderDialog(s *Shell, title, pref string, cb func(fyne.ListableURI, error)) {
	d := dialog.NewFolderOpen(cb, s.window)
	d.SetTitleText(title)
	showFileDialog(s, d, pref)
}

// saveFileDialog asks where to write a file, proposing name.
func saveFileDialog(s *Shell, name string, exts []string, pref string, cb func(fyne.URIWriteCloser, error)) {
	d := dialog.NewFileSave(cb, s.window)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.SetFileName(name)
	showFileDialog(s, d, pref)
}

// showFileDialog shows d in the folder remembered under pref, nearly as
// large as the window.
func showFileDialog(s *Shell, d *dialog.FileDialog, pref string) {
	if dir := s.app.Preferences().String(pref); dir != "" {
		if u, err := storage.ParseURI(dir); err == nil {
			if l, err := storage.ListerForURI(u); err == nil {
				d.SetLocation(l)
			}
		}
	}
	size := s.window.Canvas().Size()
	d.Resize(fyne.NewSize(size.Width*0.85, size.Height*0.85))
	d.Show()
}

// rememberFolder keeps the folder of u under pref for the next dialog.
func rememberFolder(s *Shell, pref string, u fyne.URI) {
	if dir, err := storage.Parent(u); err == nil {
		s.app.Preferences().SetString(pref, dir.String())
	}
}

// saveAs is the answer to a save dialog: ask shows the dialog (a screen's
// replaceable seam); an error is shown with what (by showErr, or the
// shell's showError), a cancel does nothing, a name typed without ext (or
// one of accepted) gets it, the folder is remembered under pref, and then
// gets the writer, which it must hand to closeWritten.
func (s *Shell) saveAs(ask func(cb func(fyne.URIWriteCloser, error)), what, pref, ext string, accepted []string,
	showErr func(string, error), then func(fyne.URIWriteCloser)) {
	if showErr == nil {
		showErr = s.showError
	}
	ask(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showErr(what, err)
			return
		}
		if w == nil {
			return // cancelled
		}
		if w, err = withExtension(w, ext, accepted...); err != nil {
			showErr(what, err)
			return
		}
		rememberFolder(s, pref, w.URI())
		then(w)
	})
}

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
