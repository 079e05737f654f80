package app

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// firstRun is the short set-up shown when the registry folder is new: the
// office, the language and an optional passphrase.
type firstRun struct {
	shell                                   *Shell
	langSelect                              *widget.Select
	name, municipality, address, email, tel *widget.Entry
	pass, pass2                             *widget.Entry
	region                                  *widget.Select
	logo                                    []byte
	logoLabel                               *widget.Label
	message                                 *widget.Label
	office                                  data.Office
}

func (s *Shell) showFirstRun() {
	f := &firstRun{shell: s}
	s.window.SetContent(f.buildUI())
}

func (f *firstRun) buildUI() fyne.CanvasObject {
	s := f.shell
	names := make([]string, len(i18n.All))
	for i, l := range i18n.All {
		names[i] = l.Name()
	}
	f.langSelect = widget.NewSelect(names, f.onLangChanged)
	f.langSelect.SetSelected(s.lang.Name())
	keep := func(e **widget.Entry, old *widget.Entry) {
		*e = widget.NewEntry()
		if old != nil {
			(*e).SetText(old.Text)
		}
	}
	keep(&f.name, f.name)
	keep(&f.municipality, f.municipality)
	keep(&f.address, f.address)
	keep(&f.email, f.email)
	keep(&f.tel, f.tel)
	f.pass, f.pass2 = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	f.region = widget.NewSelect(regionLabels(s), nil)
	f.region.SetSelectedIndex(0)
	for i, r := range phoneRegions {
		if r == defaultRegion(s.lang) {
			f.region.SetSelectedIndex(i)
		}
	}
	f.logoLabel = widget.NewLabel(s.T("ui.office.nologo"))
	logoBtn := widget.NewButton(s.T("ui.office.logo.choose"), f.onChooseLogo)
	f.message = widget.NewLabel("")
	f.message.Importance = widget.DangerImportance
	f.message.Wrapping = fyne.TextWrapWord

	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(s.T("ui.settings.language")), f.langSelect,
		widget.NewLabel(s.T("ui.office.name")), f.name,
		widget.NewLabel(s.T("ui.office.municipality")), f.municipality,
		widget.NewLabel(s.T("ui.office.address")), f.address,
		widget.NewLabel(s.T("ui.office.email")), f.email,
		widget.NewLabel(s.T("ui.office.phone")), f.tel,
		widget.NewLabel(s.T("ui.office.region")), f.region,
		widget.NewLabel(s.T("ui.office.logo")), container.NewBorder(nil, nil, nil, logoBtn, f.logoLabel),
		widget.NewLabel(s.T("ui.pass.new")), f.pass,
		widget.NewLabel(s.T("ui.pass.repeat")), f.pass2,
	)
	intro := widget.NewLabel(s.T("ui.firstrun.intro"))
	intro.Wrapping = fyne.TextWrapWord
	passHint := widget.NewLabel(s.T("keys.passhint"))
	passHint.Wrapping = fyne.TextWrapWord
	start := widget.NewButton(s.T("ui.firstrun.start"), f.onStart)
	start.Importance = widget.HighImportance
	body := container.NewVBox(
		widget.NewLabelWithStyle(s.T("ui.firstrun.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro, form, passHint, f.message, container.NewHBox(layout.NewSpacer(), start))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(640, body.MinSize().Height), body))
}

// onLangChanged switches the set-up itself to the language picked.
func (f *firstRun) onLangChanged(name string) {
	for _, l := range i18n.All {
		if l.Name() == name && l != f.shell.lang {
			f.shell.app.Preferences().SetString(prefLang, string(l))
			f.shell.setLangQuiet(l)
			f.shell.window.SetContent(f.buildUI())
			return
		}
	}
}

func (f *firstRun) onChooseLogo() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.shell.showError("choosing the logo", err)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, 4<<20))
		if err != nil {
			f.shell.showError("reading the logo", err)
			return
		}
		f.logo = b
		f.logoLabel.SetText(r.URI().Name())
	}, f.shell.window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg"}))
	d.Show()
}

// onStart checks the set-up, creates the registry and saves the office.
func (f *firstRun) onStart() {
	s := f.shell
	switch {
	case len([]rune(f.name.Text)) < 2:
		f.message.SetText(s.T("ui.office.name.required"))
		return
	case f.pass.Text != f.pass2.Text:
		f.message.SetText(s.T("ui.pass.mismatch"))
		return
	}
	f.office = data.Office{Name: f.name.Text, Municipality: f.municipality.Text, Address: f.address.Text,
		Email: f.email.Text, Phone: data.NormalizePhone(f.tel.Text, regionOf(s, f.region)), Region: regionOf(s, f.region), Logo: f.logo}
	s.app.Preferences().SetString(prefLang, string(s.lang))
	s.openStore(f.pass.Text, func(err error) {
		s.window.SetContent(f.buildUI())
		s.showError("creating the registry", err)
	}, func(st *store.Store) {
		if err := s.saveOffice(st, f.office); err != nil {
			s.showError("saving the office data", err)
		}
	})
}

// defaultRegion guesses the office's phone region from its language.
func defaultRegion(l i18n.Lang) string {
	switch l {
	case i18n.SQ:
		return "XK"
	case i18n.SR, i18n.SRLatn:
		return "RS"
	case i18n.HR:
		return "HR"
	}
	return data.DefaultRegion
}

// regionLabels are the phone regions with their country names.
func regionLabels(s *Shell) []string {
	out := make([]string, len(phoneRegions))
	for i, r := range phoneRegions {
		out[i] = r + " – " + data.CountryName(r, s.lang)
	}
	return out
}

// regionOf is the region a select of regionLabels shows.
func regionOf(s *Shell, sel *widget.Select) string {
	if i := sel.SelectedIndex(); i >= 0 && i < len(phoneRegions) {
		return phoneRegions[i]
	}
	return data.DefaultRegion
}
