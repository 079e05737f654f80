package app

import (
	"io"
	"log"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// settingsScreen: language, theme, office data with the default phone
// region, and the passphrase.
type settingsScreen struct {
	shell                                   *Shell
	langSelect                              *widget.Select
	themeRadio                              *widget.RadioGroup
	name, municipality, address, email, tel *widget.Entry
	region                                  *widget.Select
	logo                                    []byte
	logoLabel                               *widget.Label
	saved                                   *widget.Label
	passStatus                              *widget.Label
	syncPath                                *widget.Label
	syncClear, syncNow                      *widget.Button
}

func settingsView(s *Shell) fyne.CanvasObject {
	st := &settingsScreen{shell: s}
	return st.buildUI()
}

// themeNames are the preference values of the theme choice, in order.
var themeNames = []string{"system", "light", "dark"}

func (t *settingsScreen) buildUI() fyne.CanvasObject {
	s := t.shell
	names := make([]string, len(i18n.All))
	for i, l := range i18n.All {
		names[i] = l.Name()
	}
	t.langSelect = widget.NewSelect(names, nil)
	t.langSelect.SetSelected(s.lang.Name())
	t.langSelect.OnChanged = t.onLangChanged

	labels := []string{s.T("ui.theme.system"), s.T("ui.theme.light"), s.T("ui.theme.dark")}
	t.themeRadio = widget.NewRadioGroup(labels, nil)
	t.themeRadio.Horizontal = true
	cur := s.app.Preferences().StringWithFallback(prefTheme, "system")
	for i, n := range themeNames {
		if n == cur {
			t.themeRadio.SetSelected(labels[i])
		}
	}
	t.themeRadio.OnChanged = func(label string) {
		for i, l := range labels {
			if l == label {
				s.app.Preferences().SetString(prefTheme, themeNames[i])
				applyTheme(s.app, themeNames[i])
			}
		}
	}

	o := s.office
	entry := func(v string) *widget.Entry { e := widget.NewEntry(); e.SetText(v); return e }
	t.name, t.municipality, t.address = entry(o.Name), entry(o.Municipality), entry(o.Address)
	t.email, t.tel = entry(o.Email), entry(o.Phone)
	t.region = widget.NewSelect(regionLabels(s), nil)
	t.region.SetSelectedIndex(0)
	for i, r := range phoneRegions {
		if r == s.region() {
			t.region.SetSelectedIndex(i)
		}
	}
	t.logo = o.Logo
	t.logoLabel = widget.NewLabel(s.T("ui.office.nologo"))
	if len(o.Logo) > 0 {
		t.logoLabel.SetText(s.T("ui.office.haslogo"))
	}
	t.saved = widget.NewLabel("")
	saveOfficeBtn := widget.NewButton(s.T("fyne.Save"), t.onSaveOffice)
	saveOfficeBtn.Importance = widget.HighImportance

	general := container.New(layout.NewFormLayout(),
		widget.NewLabel(s.T("ui.settings.language")), t.langSelect,
		widget.NewLabel(s.T("ui.settings.theme")), t.themeRadio,
	)
	office := container.New(layout.NewFormLayout(),
		widget.NewLabel(s.T("ui.office.name")), t.name,
		widget.NewLabel(s.T("ui.office.municipality")), t.municipality,
		widget.NewLabel(s.T("ui.office.address")), t.address,
		widget.NewLabel(s.T("ui.office.email")), t.email,
		widget.NewLabel(s.T("ui.office.phone")), t.tel,
		widget.NewLabel(s.T("ui.office.region")), t.region,
		widget.NewLabel(s.T("ui.office.logo")), container.NewBorder(nil, nil, nil,
			widget.NewButton(s.T("ui.office.logo.choose"), t.onChooseLogo), t.logoLabel),
		layout.NewSpacer(), container.NewHBox(saveOfficeBtn, t.saved),
	)

	t.passStatus = widget.NewLabel("")
	passBox := container.NewVBox(t.passStatus)
	t.fillPassphrase(passBox)

	folder := widget.NewLabel(s.T("ui.settings.folder", "path", s.folder()))
	folder.Wrapping = fyne.TextWrapBreak
	about := widget.NewButtonWithIcon(s.T("ui.settings.about"), theme.InfoIcon(), func() { ShowAbout(s.window, s.store.Dir()) })
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle(s.T("screen.settings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewCard(s.T("ui.settings.general"), "", general),
		widget.NewCard(s.T("ui.settings.office"), "", office),
		widget.NewCard(s.T("ui.settings.passphrase"), "", passBox),
		widget.NewCard(s.T("syncui.title"), "", t.syncSection()),
		widget.NewCard(s.T("outreachui.smtp.title"), "", t.mailSection()),
		folder,
		container.NewHBox(about),
	)))
}

// folder is the registry's folder as the settings show it.
func (s *Shell) folder() string {
	if s.store != nil && s.store.Dir() != "" {
		return s.store.Dir()
	}
	if s.dir != "" {
		return s.dir
	}
	return "—"
}

func (t *settingsScreen) onLangChanged(name string) {
	for _, l := range i18n.All {
		if l.Name() == name && l != t.shell.lang {
			t.shell.setLang(l)
			return
		}
	}
}

func (t *settingsScreen) onChooseLogo() {
	s := t.shell
	openFileDialog(s, []string{".png", ".jpg", ".jpeg"}, "settings.logo.folder", func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.showError("choosing the logo", err)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, 4<<20))
		if err != nil {
			s.showError("reading the logo", err)
			return
		}
		t.logo = b
		t.logoLabel.SetText(r.URI().Name())
		rememberFolder(s, "settings.logo.folder", r.URI())
	})
}

func (t *settingsScreen) onSaveOffice() {
	s := t.shell
	if len([]rune(t.name.Text)) < 2 {
		t.saved.SetText(s.T("ui.office.name.required"))
		return
	}
	region := regionOf(s, t.region)
	// What this screen does not show (website, foreword, texts) stays.
	o := s.office
	o.Name, o.Municipality, o.Address, o.Email = t.name.Text, t.municipality.Text, t.address.Text, t.email.Text
	o.Phone, o.Region, o.Logo = data.NormalizePhone(t.tel.Text, region), region, t.logo
	if err := s.saveOffice(s.store, o); err != nil {
		s.showError("saving the office data", err)
		return
	}
	t.saved.SetText(s.T("ui.saved"))
}

// syncSection chooses the sync folder shared by the laptops, or none.
func (t *settingsScreen) syncSection() fyne.CanvasObject {
	s := t.shell
	intro := widget.NewLabel(s.T("syncui.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.syncPath = widget.NewLabel("")
	t.syncPath.Wrapping = fyne.TextWrapBreak
	choose := widget.NewButtonWithIcon(s.T("syncui.choose"), theme.FolderOpenIcon(), t.onChooseSyncFolder)
	t.syncClear = widget.NewButton(s.T("syncui.clear"), t.onClearSyncFolder)
	t.syncNow = widget.NewButtonWithIcon(s.T("syncui.now"), theme.ViewRefreshIcon(), s.syncSoon)
	t.showSyncFolder()
	return container.NewVBox(intro, t.syncPath, container.NewHBox(choose, t.syncNow, t.syncClear))
}

// showSyncFolder shows the folder chosen and enables what applies to it.
func (t *settingsScreen) showSyncFolder() {
	s := t.shell
	dir := s.syncFolder()
	if dir == "" {
		t.syncPath.SetText(s.T("syncui.folder.none"))
		t.syncClear.Disable()
		t.syncNow.Disable()
		return
	}
	t.syncPath.SetText(s.T("syncui.folder", "path", dir))
	t.syncClear.Enable()
	t.syncNow.Enable()
}

func (t *settingsScreen) onChooseSyncFolder() {
	s := t.shell
	exchangeOpenFolder(s, s.T("syncui.choose.title"), func(u fyne.ListableURI, err error) {
		if err != nil {
			s.showError("choosing the sync folder", err)
			return
		}
		if u == nil {
			return // cancelled
		}
		dir := filepath.Clean(u.Path())
		if overlaps(dir, s.store.Dir()) {
			dialog.ShowInformation(s.T("syncui.title"), s.T("syncui.folder.overlap"), s.window)
			return
		}
		s.setSyncFolder(dir)
		t.showSyncFolder()
	})
}

func (t *settingsScreen) onClearSyncFolder() {
	t.shell.setSyncFolder("")
	t.showSyncFolder()
}

// overlaps reports whether one of the folders a and b holds the other (or
// they are one): a sync engine carrying Badger's own files between laptops
// would break the registry on each, and a registry inside the sync folder
// would be read as a laptop's files.
func overlaps(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	within := func(inner, outer string) bool {
		rel, err := filepath.Rel(outer, inner)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	for _, p := range []*string{&a, &b} {
		if abs, err := filepath.Abs(*p); err == nil {
			*p = abs
		}
	}
	return within(a, b) || within(b, a)
}

// fillPassphrase shows whether the registry is encrypted and the buttons
// that set, change or remove the passphrase.
func (t *settingsScreen) fillPassphrase(box *fyne.Container) {
	s := t.shell
	if s.store.Dir() == "" {
		t.passStatus.SetText(s.T("ui.pass.inmemory"))
		return
	}
	if s.store.Encrypted() {
		t.passStatus.SetText(s.T("ui.pass.on"))
		box.Add(container.NewHBox(
			widget.NewButton(s.T("ui.pass.change"), func() { t.askPassphrase(true, true) }),
			widget.NewButton(s.T("ui.pass.remove"), func() { t.askPassphrase(true, false) })))
	} else {
		t.passStatus.SetText(s.T("ui.pass.off"))
		box.Add(container.NewHBox(widget.NewButton(s.T("ui.pass.set"), func() { t.askPassphrase(false, true) })))
	}
}

// askPassphrase asks for the current passphrase (if any) and the new one.
func (t *settingsScreen) askPassphrase(hasOld, wantNew bool) {
	s := t.shell
	old, pass, pass2 := widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	var items []*widget.FormItem
	if hasOld {
		items = append(items, widget.NewFormItem(s.T("ui.pass.current"), old))
	}
	if wantNew {
		items = append(items, widget.NewFormItem(s.T("ui.pass.new"), pass), widget.NewFormItem(s.T("ui.pass.repeat"), pass2))
	}
	title := s.T("ui.pass.set")
	switch {
	case hasOld && wantNew:
		title = s.T("ui.pass.change")
	case hasOld:
		title = s.T("ui.pass.remove")
	}
	d := dialog.NewForm(title, s.T("fyne.OK"), s.T("fyne.Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		switch {
		case wantNew && pass.Text == "":
			dialog.ShowInformation(title, s.T("ui.pass.empty"), s.window)
		case wantNew && pass.Text != pass2.Text:
			dialog.ShowInformation(title, s.T("ui.pass.mismatch"), s.window)
		default:
			s.changePassphrase(old.Text, pass.Text)
		}
	}, s.window)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
}

// changePassphrase closes the registry, re-encrypts it off the UI
// goroutine and opens it again; on failure it opens it as it was.
func (s *Shell) changePassphrase(oldPass, newPass string) {
	dir := s.store.Dir()
	if err := store.CheckPassphrase(dir, oldPass); err != nil {
		s.showError("checking the passphrase", err)
		return
	}
	s.stopSync(0) // its rounds would meet a closed registry
	if err := s.store.Close(); err != nil {
		s.showError("closing the registry", err)
		return
	}
	s.store = nil
	s.window.SetContent(s.busy(s.T("ui.pass.working")))
	var err, oerr error
	var st *store.Store
	var opened string // the passphrase it opened with, for the sync files
	s.background(func() {
		err = store.ChangePassphrase(dir, oldPass, newPass, store.Options{Logger: log.Default()})
		// Whatever happened, the registry opens with one of the two.
		for _, pass := range []string{newPass, oldPass} {
			if store.CheckPassphrase(dir, pass) == nil {
				st, oerr = store.Open(dir, store.Options{Passphrase: pass, Lang: s.lang, Logger: log.Default()})
				opened = pass
				return
			}
		}
		oerr = store.ErrWrongPassphrase
	}, func() {
		if oerr != nil {
			s.showFatal(oerr)
			return
		}
		s.pass = opened
		s.attach(st)
		if err != nil {
			s.showError("changing the passphrase", err)
		} else {
			dialog.ShowInformation(s.T("ui.settings.passphrase"), s.T("ui.pass.done"), s.window)
		}
	})
}
