package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"registar/widgets"
)

// The window's keyboard: shortcuts that work on every screen, each doing
// what the page shown offers, and the help overlay (F1) that lists them.
//
// Fyne gives a shortcut to the focused widget alone when that widget takes
// shortcuts (an entry does), and a key without modifier to the focused
// widget alone (fyne-io/fyne#2627); only what nothing focused takes reaches
// the window. Entries made with newKeyEntry, and the pickers, pass the
// window's keys on, so that Ctrl+S and Esc work with the cursor in a field.

// keyTarget is what the page shown does for the window's shortcuts: any
// value, implementing those of the interfaces below that the page has. The
// shell keeps the target of the page shown (showNow, showPage).
type keyTarget any

type (
	// saver saves the page (Ctrl+S).
	saver interface{ saveRecord() }
	// leaver leaves the page, asking first if it has unsaved changes (Esc).
	leaver interface{ leave() }
	// recordMaker opens a new record of the page's kind (Ctrl+N).
	recordMaker interface{ newRecord() }
	// searchFocuser puts the cursor in the page's search box (Ctrl+F).
	searchFocuser interface{ focusSearch() }
	// rowOpener opens the row selected in the page's list (Enter).
	rowOpener interface{ openSelected() }
)

// shortcutKey is the window's shortcut with a key: Ctrl on Linux and
// Windows, Cmd on a Mac.
func shortcutKey(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// windowShortcuts are the window's shortcuts and what each does.
func (s *Shell) windowShortcuts() map[fyne.KeyName]func() {
	return map[fyne.KeyName]func(){
		fyne.KeyS: s.onSaveKey,
		fyne.KeyN: s.onNewKey,
		fyne.KeyF: s.onFindKey,
		fyne.KeyW: s.onCloseKey,
		fyne.KeyQ: s.onCloseKey,
	}
}

// installKeys gives the window its shortcuts and keys; installing them
// again (a new language builds the window anew) replaces them.
func (s *Shell) installKeys() {
	c := s.window.Canvas()
	for k, fn := range s.windowShortcuts() {
		c.AddShortcut(shortcutKey(k), func(fyne.Shortcut) { fn() })
	}
	c.SetOnTypedKey(s.onTypedKey)
}

// setKeyTarget makes t answer the window's shortcuts.
func (s *Shell) setKeyTarget(t keyTarget) { s.keys = t }

// keysBlocked: while a dialog or a pop-up is open, the page under it does
// not act on keys.
func (s *Shell) keysBlocked() bool {
	return s.window.Canvas().Overlays().Top() != nil
}

func (s *Shell) onSaveKey() {
	if t, ok := s.keys.(saver); ok && !s.keysBlocked() {
		t.saveRecord()
	}
}

func (s *Shell) onNewKey() {
	if t, ok := s.keys.(recordMaker); ok && !s.keysBlocked() {
		t.newRecord()
	}
}

func (s *Shell) onFindKey() {
	if t, ok := s.keys.(searchFocuser); ok && !s.keysBlocked() {
		t.focusSearch()
	}
}

// onCloseKey closes the app the way the window's close button does,
// asking about unsaved changes.
func (s *Shell) onCloseKey() {
	if !s.keysBlocked() {
		s.onCloseRequested()
	}
}

// onTypedKey takes the keys nothing focused took: Esc closes the help or
// leaves the page, F1 shows the help, Enter opens the row selected.
func (s *Shell) onTypedKey(ev *fyne.KeyEvent) {
	if s.help != nil {
		if ev.Name == fyne.KeyEscape {
			s.help.Hide()
		}
		return
	}
	if s.keysBlocked() {
		return
	}
	switch ev.Name {
	case fyne.KeyF1:
		s.showKeysHelp()
	case fyne.KeyEscape:
		if t, ok := s.keys.(leaver); ok {
			t.leave()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if t, ok := s.keys.(rowOpener); ok {
			t.openSelected()
		}
	}
}

// keyHelp is one line of the help overlay: the keys and what they do.
type keyHelp struct{ keys, text string }

// keysHelp lists the keyboard in the help overlay and the README's
// "Keyboard" section.
func (s *Shell) keysHelp() []keyHelp {
	mod := "Ctrl+"
	if runtime.GOOS == "darwin" {
		mod = "⌘"
	}
	return []keyHelp{
		{mod + "S", s.T("keys.save")},
		{"Esc", s.T("keys.leave")},
		{mod + "N", s.T("keys.new")},
		{mod + "F", s.T("keys.find")},
		{"Enter", s.T("keys.open")},
		{"Space, Enter", s.T("keys.attendance")},
		{"Tab, Shift+Tab", s.T("keys.tab")},
		{"Enter, " + s.T("keys.letter"), s.T("keys.picker")},
		{mod + "W, " + mod + "Q", s.T("keys.close")},
		{"F1", s.T("keys.help")},
	}
}

// showKeysHelp shows the help overlay; Esc or its button closes it.
func (s *Shell) showKeysHelp() {
	grid := container.New(layout.NewFormLayout())
	for _, h := range s.keysHelp() {
		grid.Add(widget.NewLabelWithStyle(h.keys, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(h.text))
	}
	d := dialog.NewCustom(s.T("keys.title"), s.T("keys.dismiss"), grid, s.window)
	d.SetOnClosed(func() { s.help = nil })
	s.help = d
	d.Show()
}

// keyEntry is the entry of every text field the window's keys must reach
// through (widgets.KeyEntry; the date entries and pickers pass them too).
type keyEntry = widgets.KeyEntry

var (
	newKeyEntry          = widgets.NewKeyEntry
	newKeyMultiLineEntry = widgets.NewKeyMultiLineEntry
)
