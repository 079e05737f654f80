package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// A date field with the cursor in it lets Ctrl+S and Esc reach the window
// (the record's save and leave) and keeps Ctrl+A for itself.
func TestDateEntryPassesTheWindowsKeys(t *testing.T) {
	test.NewTempApp(t)
	d := NewDateEntry("dd.mm.yyyy.")
	w := test.NewWindow(d)
	defer w.Close()
	saved, escaped := 0, 0
	ctrlS := &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	w.Canvas().AddShortcut(ctrlS, func(fyne.Shortcut) { saved++ })
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			escaped++
		}
	})
	w.Canvas().Focus(d.field)
	focused, ok := w.Canvas().Focused().(fyne.Shortcutable)
	if !ok {
		t.Fatal("the date field takes no shortcuts")
	}
	test.Type(d.Entry, "12.03.1985.")
	focused.TypedShortcut(ctrlS)
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if saved != 1 || escaped != 1 {
		t.Fatalf("Ctrl+S reached the window %d times, Esc %d", saved, escaped)
	}
	focused.TypedShortcut(&fyne.ShortcutSelectAll{})
	if d.Entry.SelectedText() != "12.03.1985." {
		t.Errorf("Ctrl+A selected %q", d.Entry.SelectedText())
	}
}
