package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The window's keys (Ctrl+S, Ctrl+N, Ctrl+F, Ctrl+W, Ctrl+Q, Esc, F1) must
// work with the cursor in a field, but Fyne gives a shortcut, and a key
// without modifier, to the focused widget alone (fyne-io/fyne#2627). The
// app's entries and the date entry pass them on to their window.

// IsWindowShortcut tells the window's shortcuts from those a widget keeps.
func IsWindowShortcut(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierShortcutDefault {
		return false
	}
	switch cs.KeyName {
	case fyne.KeyS, fyne.KeyN, fyne.KeyF, fyne.KeyW, fyne.KeyQ:
		return true
	}
	return false
}

// IsWindowKey tells the keys the window answers to without a modifier.
func IsWindowKey(ev *fyne.KeyEvent) bool {
	return ev.Name == fyne.KeyEscape || ev.Name == fyne.KeyF1
}

// KeyEntry is an entry that passes the window's shortcuts and keys on
// (Ctrl+S, Ctrl+N, Ctrl+F, Ctrl+W, Ctrl+Q, Esc, F1) and keeps the rest.
type KeyEntry struct{ widget.Entry }

var (
	_ fyne.Widget       = (*KeyEntry)(nil)
	_ fyne.Shortcutable = (*KeyEntry)(nil)
)

// NewKeyEntry is a one-line entry that lets the window's keys through.
func NewKeyEntry() *KeyEntry {
	e := &KeyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// NewKeyMultiLineEntry is a multi-line entry that lets the window's keys
// through.
func NewKeyMultiLineEntry() *KeyEntry {
	e := &KeyEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut hands the window's shortcuts to the window.
func (e *KeyEntry) TypedShortcut(sc fyne.Shortcut) {
	if !PassShortcut(e, sc) {
		e.Entry.TypedShortcut(sc)
	}
}

// TypedKey hands Esc and F1 to the window.
func (e *KeyEntry) TypedKey(ev *fyne.KeyEvent) {
	if !PassKey(e, ev) {
		e.Entry.TypedKey(ev)
	}
}

// PassShortcut gives a window's shortcut that a focused widget o received
// to o's window; false if it is not one.
func PassShortcut(o fyne.CanvasObject, sc fyne.Shortcut) bool {
	if !IsWindowShortcut(sc) {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if sh, ok := c.(fyne.Shortcutable); ok {
		sh.TypedShortcut(sc)
	}
	return true
}

// PassKey gives Esc or F1 that a focused widget o received to o's window;
// false for other keys.
func PassKey(o fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	if !IsWindowKey(ev) {
		return false
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
		if h := c.OnTypedKey(); h != nil {
			h(ev)
		}
	}
	return true
}
