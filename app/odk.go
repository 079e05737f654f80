package app

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/odk"
)

// odkForms is the Import and export screen's button that writes the forms
// for phones: the user picks a kind, then a folder, and gets the XLSForm
// (for KoboToolbox and ODK Central) and the XForm (for ODK Collect) of that
// kind, with the registry's local communities, in the screen's language.
type odkForms struct {
	shell  *Shell
	button *widget.Button
}

// newODKButton makes the button; place it beside the template button.
func newODKButton(s *Shell) *widget.Button {
	o := &odkForms{shell: s}
	o.button = widget.NewButtonWithIcon(s.T("odk.ui.button"), theme.MenuDropDownIcon(), o.onTap)
	o.button.IconPlacement = widget.ButtonIconTrailingText
	return o.button
}

// onTap offers the kinds that have a form.
func (o *odkForms) onTap() {
	showKindMenu(o.shell, o.button, odk.FormKinds, o.onKind)
}

// onKind asks for the folder and writes the kind's two forms into it.
func (o *odkForms) onKind(k data.Kind) {
	s := o.shell
	exchangeOpenFolder(s, s.T("odk.ui.folder"), func(dir fyne.ListableURI, err error) {
		if err != nil {
			s.showError("choosing a folder for the forms for phones", err)
			return
		}
		if dir == nil {
			return // cancelled
		}
		s.app.Preferences().SetString(prefExchangeFolder, dir.String())
		o.write(k, dir)
	})
}

// write makes the forms off the UI goroutine and says where they went and
// what to do with each.
func (o *odkForms) write(k data.Kind, dir fyne.URI) {
	s := o.shell
	st := s.store
	lang := s.lang
	path := dir.Path()
	if dir.Scheme() != "file" {
		path = "" // WriteFiles says the folder cannot be written
	}
	busy := dialog.NewCustomWithoutButtons(s.T("odk.ui.button"), widget.NewLabel(s.T("odk.ui.busy")), s.window)
	busy.Show()
	var (
		form           *odk.Form
		xlsform, xform string
		err            error
	)
	s.background(func() {
		if form, err = odk.FromStore(st, k, odk.Options{Lang: lang}); err == nil {
			xlsform, xform, err = odk.WriteFiles(path, form)
		}
	}, func() {
		busy.Hide()
		if err != nil {
			o.showError(err)
			return
		}
		text := widget.NewLabel(s.T("odk.ui.done.text", "folder", path,
			"xlsform", filepath.Base(xlsform), "xform", filepath.Base(xform), "version", form.Version))
		text.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom(s.T("odk.ui.done.title"), s.T("fyne.OK"), text, s.window)
		d.Resize(fyne.NewSize(560, 0))
		d.Show()
	})
}

// showError says what went wrong: the package's own sentences (a folder
// that cannot be written) as they are, anything else through the shell.
func (o *odkForms) showError(err error) {
	s := o.shell
	var fe *odk.FolderError
	if errors.As(err, &fe) {
		fyne.LogError("writing the forms for phones", err)
		dialog.ShowError(fe, s.window)
		return
	}
	s.showError("writing the forms for phones", err)
}
