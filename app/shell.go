package app

import (
	"errors"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// ID is the application ID from FyneApp.toml; preferences need it.
const ID = "ba.registar.app"

// Preferences the shell keeps besides language and theme.
const (
	prefScreen       = "screen"
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

// Shell is the running application: the window, the open store, the
// language, the navigation and the screen shown.
type Shell struct {
	app    fyne.App
	window fyne.Window
	store  *store.Store
	dir    string
	lang   i18n.Lang
	office data.Office

	nav     *widget.List
	content *fyne.Container
	current string // key of the screen shown
	selfNav bool   // the shell is moving the navigation's selection itself
	lists   map[data.Kind]*listScreen
	pending *listRequest  // filters a chart asked the next list to show
	dirty   func() bool   // unsaved changes on the page shown, or nil
	page    *recordPage   // the record shown, if any (tests)
	trash   *trashScreen  // the trash, while shown (tests)
	onPage  bool          // a page outside the navigation (a record) is shown
	keys    keyTarget     // what the page shown does for the shortcuts (keys.go)
	help    dialog.Dialog // the keyboard help while it is shown (F1)
	// inline runs background work on the calling goroutine (tests).
	inline bool
	pass   string    // the passphrase the registry opened with: it seals the sync files
	sync   syncState // the sync folder's rounds and status (sync.go)
}

// listRequest is a list to show with filters, from a tap on a chart.
type listRequest struct {
	kind    data.Kind
	filters []search.Facet
}

// background runs work off the UI goroutine and then done on it.
func (s *Shell) background(work, done func()) {
	if s.inline {
		work()
		done()
		return
	}
	go func() {
		work()
		fyne.Do(done)
	}()
}

// T is the text of a catalogue key in the UI language.
func (s *Shell) T(key string, args ...string) string { return i18n.T(s.lang, key, args...) }

// Lang is the UI language.
func (s *Shell) Lang() i18n.Lang { return s.lang }

// Store is the open registry, or nil while none is open.
func (s *Shell) Store() *store.Store { return s.store }

// New builds the main window around an open store: what Start does once the
// registry is open, and what tests use with an in-memory store.
func New(a fyne.App, w fyne.Window, st *store.Store) *Shell {
	s := &Shell{app: a, window: w}
	s.setLangQuiet(chosenLang(a.Preferences()))
	s.attach(st)
	return s
}

// Start opens the registry in dir (the default folder when empty) and fills
// the window. A new folder gets the first-run set-up, an encrypted one asks
// for its passphrase, and a registry that cannot be opened (locked by
// another window, not a registry, damaged) gives a window that says why,
// never a crash. The store is opened off the UI goroutine.
func Start(a fyne.App, w fyne.Window, dir string) *Shell {
	quietCLocale()
	// A killed import may have left a sheet unpacked in clear text.
	go exchange.RemoveLeftoverTemp()
	s := &Shell{app: a, window: w, dir: dir}
	p := a.Preferences()
	s.setLangQuiet(chosenLang(p))
	applyTheme(a, p.String(prefTheme))
	w.Resize(fyne.NewSize(
		float32(p.FloatWithFallback(prefWindowWidth, 1180)),
		float32(p.FloatWithFallback(prefWindowHeight, 760))))
	w.SetTitle("Registar")
	if s.dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			s.showFatal(err)
			return s
		}
		s.dir = d
	}
	w.SetCloseIntercept(s.onCloseRequested)
	s.closeOnSignal()
	switch {
	case !store.IsStore(s.dir):
		s.showFirstRun()
	case store.IsEncrypted(s.dir):
		s.showUnlock()
	default:
		s.openStore("", nil, nil)
	}
	return s
}

// openStore opens the registry off the UI goroutine. On failure, failed
// gets the error (without it, the error is fatal); on success opened (if
// any) gets the store before the main window is shown.
func (s *Shell) openStore(pass string, failed func(error), opened func(*store.Store)) {
	page, label := s.busyPage(s.T("ui.opening"))
	s.window.SetContent(page)
	// The first open after a restore rebuilds the search index (a minute
	// at a million persons): the message counts the records.
	progress := func(n int) {
		fyne.Do(func() { label.SetText(s.T("ui.opening.index", "n", i18n.FormatInt(n, s.lang))) })
	}
	go func() {
		st, err := store.Open(s.dir, store.Options{Passphrase: pass, Lang: s.lang, Logger: log.Default(), IndexProgress: progress})
		fyne.Do(func() {
			if err != nil {
				if failed != nil {
					failed(err)
				} else {
					s.showFatal(err)
				}
				return
			}
			if opened != nil {
				opened(st)
			}
			s.pass = pass
			s.attach(st)
		})
	}()
}

// busy is a page with a message and an endless progress bar.
func (s *Shell) busy(msg string) fyne.CanvasObject {
	page, _ := s.busyPage(msg)
	return page
}

// busyPage is busy with its message's label, for a message that changes.
func (s *Shell) busyPage(msg string) (fyne.CanvasObject, *widget.Label) {
	label := widget.NewLabelWithStyle(msg, fyne.TextAlignCenter, fyne.TextStyle{})
	bar := widget.NewProgressBarInfinite()
	return container.NewCenter(container.NewVBox(label, bar)), label
}

// attach takes the open store and shows the main window.
func (s *Shell) attach(st *store.Store) {
	s.store = st
	st.SetLang(s.lang)
	s.saveLangSetting()
	s.loadOffice()
	s.buildMain()
	last := s.app.Preferences().StringWithFallback(prefScreen, "home")
	if screenIndex(last) < 0 {
		last = "home"
	}
	s.showNow(last)
	s.startSync()
	// The office will save something: copy the search index out of the
	// mapped snapshot once the window is drawn, not at the first save —
	// unless the registry is so big that the copy would double what the
	// index holds (1,000,000 persons: 500 MB more, for a session that may
	// only look): then the first change in a form starts it.
	if st.Index().Len() <= eagerCopyMax {
		time.AfterFunc(time.Second, st.PrepareForWrites)
	}
}

// prepareForWrites copies the index of a big registry out of its snapshot
// in the background, when a form is first changed: the save that follows
// then does not wait for it.
func (s *Shell) prepareForWrites() {
	if st := s.store; st != nil && st.Index().InPlace() {
		go st.PrepareForWrites()
	}
}

// eagerCopyMax is the most records whose index the app copies out of its
// snapshot before the first save (300,000: some 150 MB and half a second).
var eagerCopyMax = 300_000

// loadOffice reads the office data kept with the registry.
func (s *Shell) loadOffice() {
	s.office = data.Office{}
	b, err := s.store.Setting(data.OfficeSetting)
	if err == nil {
		if s.office, err = data.ParseOffice(b); err != nil {
			fyne.LogError("reading the office data", err)
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		fyne.LogError("reading the office data", err)
	}
	if s.office.Region != "" {
		s.store.SetRegion(s.office.Region)
	}
}

// saveOffice writes the office data to the store and makes it the shell's.
func (s *Shell) saveOffice(st *store.Store, o data.Office) error {
	b, err := o.JSON()
	if err == nil {
		err = st.SetSetting(data.OfficeSetting, b)
	}
	if err != nil {
		return err
	}
	s.office = o
	st.SetRegion(s.region())
	return nil
}

// region is the default phone region.
func (s *Shell) region() string {
	if s.office.Region != "" {
		return s.office.Region
	}
	return data.DefaultRegion
}

// buildMain lays out the navigation and the content area.
func (s *Shell) buildMain() {
	s.lists = map[data.Kind]*listScreen{}
	s.nav = widget.NewList(
		func() int { return len(screens) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(nil), widget.NewLabel("Organisations…"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(screens[i].icon)
			row.Objects[1].(*widget.Label).SetText(s.T("screen." + screens[i].key))
		})
	s.nav.OnSelected = func(i widget.ListItemID) {
		if s.selfNav {
			return
		}
		s.show(screens[i].key)
	}
	s.content = container.NewStack()
	title := widget.NewLabelWithStyle("Registar", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	office := widget.NewLabelWithStyle(s.office.Name, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	office.Truncation = fyne.TextTruncateEllipsis
	side := container.NewBorder(container.NewVBox(title, office, widget.NewSeparator()), s.syncStatusArea(), nil, nil, s.nav)
	split := container.NewHSplit(side, s.content)
	split.SetOffset(0.17)
	s.window.SetContent(split)
	s.installKeys()
}

// show goes to a screen of the navigation, asking first if the page shown
// has unsaved changes.
func (s *Shell) show(key string) {
	s.confirmLeave(func() { s.showNow(key) }, s.restoreNav)
}

// restoreNav highlights what is shown again after the user chose to stay:
// nothing while a record is open, so that a tap on its list still acts.
func (s *Shell) restoreNav() {
	if s.onPage {
		s.markNav("")
	} else {
		s.markNav(s.current)
	}
}

// showNow goes to a screen without asking.
func (s *Shell) showNow(key string) {
	i := screenIndex(key)
	if i < 0 {
		return
	}
	s.dirty = nil
	s.onPage = false
	s.current = key
	s.app.Preferences().SetString(prefScreen, key)
	s.markNav(key)
	s.setKeyTarget(nil) // before the view: a screen may set its own (Activities)
	s.setContent(screens[i].view(s))
	for k, sc := range kindScreen {
		if sc == key && s.lists[k] != nil {
			s.setKeyTarget(s.lists[k])
		}
	}
}

// showList goes to the list of a kind with these filters set.
func (s *Shell) showList(k data.Kind, filters []search.Facet) {
	s.confirmLeave(func() {
		s.pending = &listRequest{kind: k, filters: filters}
		s.showNow(kindScreen[k])
	}, nil)
}

// markNav highlights a screen in the navigation without acting on it.
func (s *Shell) markNav(key string) {
	if s.nav == nil {
		return
	}
	s.selfNav = true
	if i := screenIndex(key); i >= 0 {
		s.nav.Select(i)
	} else {
		s.nav.UnselectAll()
	}
	s.selfNav = false
}

// setContent replaces the page in the content area.
func (s *Shell) setContent(o fyne.CanvasObject) {
	if len(s.content.Objects) != 1 || s.content.Objects[0] != o {
		// The focus was on the page going away: keys typed now must not
		// go on to a widget that is no longer shown.
		s.window.Canvas().Unfocus()
	}
	s.content.Objects = []fyne.CanvasObject{o}
	s.content.Refresh()
}

// showPage shows a page that is not in the navigation (a record), with a
// check for unsaved changes that leaving it will ask about.
func (s *Shell) showPage(o fyne.CanvasObject, dirty func() bool) {
	s.dirty = dirty
	s.onPage = true
	s.setKeyTarget(nil) // the caller sets the page's own
	s.markNav("")       // so that tapping the list's entry goes back to it
	s.setContent(o)
}

// confirmLeave runs proceed at once, or after the user agrees to drop the
// unsaved changes of the page shown; cancel runs if they do not.
func (s *Shell) confirmLeave(proceed, cancel func()) {
	if s.dirty == nil || !s.dirty() {
		proceed()
		return
	}
	dialog.ShowConfirm(s.T("ui.unsaved.title"), s.T("ui.unsaved.message"), func(ok bool) {
		if ok {
			s.dirty = nil
			proceed()
		} else if cancel != nil {
			cancel()
		}
	}, s.window)
}

// setLang changes the UI language at once: the catalogue, Fyne's own
// strings and the store's messages, then every screen is built anew.
func (s *Shell) setLang(l i18n.Lang) {
	s.app.Preferences().SetString(prefLang, string(l))
	s.setLangQuiet(l)
	if s.store != nil {
		s.store.SetLang(l)
		s.saveLangSetting()
		s.buildMain()
		s.showNow(s.current)
	}
}

func (s *Shell) setLangQuiet(l i18n.Lang) {
	s.lang = l
	installFyneStrings(l)
}

// onCloseRequested asks about unsaved changes, then remembers the window
// size, closes the registry and quits.
func (s *Shell) onCloseRequested() {
	s.confirmLeave(func() {
		size := s.window.Canvas().Size()
		p := s.app.Preferences()
		p.SetFloat(prefWindowWidth, float64(size.Width))
		p.SetFloat(prefWindowHeight, float64(size.Height))
		exitSoon()
		s.closeStore()
		s.window.Hide() // the registry is closed: nothing may be clicked now
		if s.inline {
			s.closeWindow()
			return
		}
		time.AfterFunc(prefsQuiet, func() { fyne.Do(s.closeWindow) })
	}, nil)
}

// Fyne writes the preferences file once more when it stops, and its own
// watcher of that file reads it back on any goroutine while the write has
// only truncated it ("Preferences load error: EOF"), unless a save of
// its own ran in the last 100 ms, which makes the watcher skip. So the
// window closes after the preferences have been quiet for a while (a save
// and the re-save a second change within 100 ms causes are both over) and
// right after one change that is written at once.

// prefsQuiet is long enough for Fyne's pending preference saves to end.
const prefsQuiet = 300 * time.Millisecond

// prefClosedAt is when Registar was last closed; writing it is the change.
const prefClosedAt = "closed.at"

// closeWindow writes the closing time and closes the window.
func (s *Shell) closeWindow() {
	s.app.Preferences().SetString(prefClosedAt, time.Now().UTC().Format(time.RFC3339Nano))
	s.window.Close()
}

// The store is closed before Fyne's own shutdown, and the process is ended
// if that shutdown hangs: Fyne 2.7.3 can block for ever in its lifecycle
// queue when it quits (seen under SIGTERM), which would keep the registry
// locked against the next start.

// exitGrace is how long Fyne gets to quit on its own. The registry's close
// runs within it: at 1,000,000 persons it dumps a 340 MB index (2.5 s here,
// more on a slow laptop; cut short, the next start rebuilds the index).
const exitGrace = 20 * time.Second

// exitSoon ends the process if Fyne has not quit within exitGrace; tests
// replace it.
var exitSoon = func() {
	time.AfterFunc(exitGrace, func() { os.Exit(0) })
}

// closeStore closes the registry (Store.Close may be called twice).
func (s *Shell) closeStore() {
	s.stopSync(syncCloseLimit) // this laptop's last changes go out first
	if st := s.store; st != nil {
		if err := st.Close(); err != nil {
			fyne.LogError("closing the registry", err)
		}
	}
}

// closeOnSignal closes the registry on SIGINT or SIGTERM; Fyne quits on
// them too.
func (s *Shell) closeOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		exitSoon()
		s.closeStore() // the store is safe to close from any goroutine
	}()
}

// Close closes the store; main defers it so the registry is closed cleanly.
func (s *Shell) Close() { s.closeStore() }

// showFatal explains why the registry could not be opened.
func (s *Shell) showFatal(err error) {
	fyne.LogError("opening the registry", err)
	msg := s.errorText(err)
	var pe *store.PathError
	if errors.As(err, &pe) {
		msg += "\n\n" + pe.Path
	}
	label := widget.NewLabel(msg)
	label.Wrapping = fyne.TextWrapWord
	s.window.SetContent(container.NewPadded(container.NewBorder(
		widget.NewLabelWithStyle(s.T("ui.fatal.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(widget.NewButton(s.T("fyne.Quit"), s.app.Quit)), nil, nil, label)))
}

// saveLangSetting keeps the UI language with the registry, so that
// registar-cli speaks it too when no --lang is given.
func (s *Shell) saveLangSetting() {
	if s.store == nil {
		return
	}
	if b, err := s.store.Setting(data.LangSetting); err == nil && string(b) == string(s.lang) {
		return
	}
	if err := s.store.SetSetting(data.LangSetting, []byte(s.lang)); err != nil {
		fyne.LogError("saving the office's language", err)
	}
}
