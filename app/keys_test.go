package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

// pressShortcut presses Ctrl (Cmd on a Mac) with a key the way Fyne's
// desktop driver delivers it (internal/driver/glfw/window.go,
// triggersShortcut): to the focused widget if it takes shortcuts, and only
// otherwise to the window.
func pressShortcut(c fyne.Canvas, k fyne.KeyName) { deliverShortcut(c, shortcutKey(k)) }

func deliverShortcut(c fyne.Canvas, sc fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(sc)
}

// pressKey presses a key without modifier as the driver delivers it: to
// the focused widget, or to the window when nothing has the focus.
func pressKey(c fyne.Canvas, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// fakeKeys counts what the window's keys asked the page to do.
type fakeKeys struct{ saved, left, made, found, opened int }

func (f *fakeKeys) saveRecord()   { f.saved++ }
func (f *fakeKeys) leave()        { f.left++ }
func (f *fakeKeys) newRecord()    { f.made++ }
func (f *fakeKeys) focusSearch()  { f.found++ }
func (f *fakeKeys) openSelected() { f.opened++ }

func TestCtrlSSavesTheOpenRecord(t *testing.T) {
	s, w := newTestShell(t)
	s.show("persons")
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Begić")
	w.Canvas().Unfocus()
	pressShortcut(w.Canvas(), fyne.KeyS)
	if s.page.isNew || s.page.form.dirty {
		t.Fatal("Ctrl+S did not save the new person")
	}
	if n := s.store.Index().Count(search.Query{Kind: data.KindPerson}); n != 1 {
		t.Fatalf("%d persons stored", n)
	}
	// Ctrl+N then starts the next person, as a clerk typing from a pile of
	// paper forms does.
	pressShortcut(w.Canvas(), fyne.KeyN)
	if !s.page.isNew || entry(t, s, "given_name").Text != "" {
		t.Fatal("Ctrl+N on a saved record did not open an empty form")
	}
}

func TestEscLeavesTheRecordAskingIfChanged(t *testing.T) {
	s, w := newTestShell(t)
	c := w.Canvas()
	s.show("persons")
	s.openNew(data.KindPerson)
	test.Type(entry(t, s, "given_name"), "Amra")
	c.Unfocus()
	pressKey(c, fyne.KeyEscape)
	if c.Overlays().Top() == nil {
		t.Fatal("Esc left a form with unsaved changes without asking")
	}
	// While the question is open, Esc and the shortcuts do not act on
	// the page under it.
	pressShortcut(c, fyne.KeyS)
	if n := s.store.Index().Count(search.Query{Kind: data.KindPerson}); n != 0 {
		t.Fatal("Ctrl+S under the question saved")
	}
	tapDialog(t, w, "No")
	if !s.onPage || entry(t, s, "given_name").Text != "Amra" {
		t.Fatal("No did not keep the form")
	}
	pressKey(c, fyne.KeyEscape)
	tapDialog(t, w, "Yes")
	if s.onPage || s.current != "persons" {
		t.Fatalf("Esc and Yes did not go back to the list: %s", s.current)
	}
	// An unchanged record is left at once.
	p := addPerson(t, s, "Edin", "Hasić", "AT")
	s.openRecord(p.ID)
	pressKey(c, fyne.KeyEscape)
	if s.onPage || c.Overlays().Top() != nil {
		t.Fatal("Esc on an unchanged record did not leave it at once")
	}
}

// The window's shortcuts reach the page even with the cursor in an entry
// made with newKeyEntry, which still keeps its own (select all) and its
// typing; a plain entry swallows them (fyne-io/fyne#2627).
func TestKeyEntryPassesTheWindowsKeys(t *testing.T) {
	s, w := newTestShell(t)
	c := w.Canvas()
	s.show("home")
	fake := &fakeKeys{}
	s.setKeyTarget(fake)
	e := newKeyEntry()
	plain := widget.NewEntry()
	s.setContent(container.NewVBox(e, plain))
	test.Type(e, "Amra")
	c.Focus(e)
	for _, k := range []fyne.KeyName{fyne.KeyS, fyne.KeyN, fyne.KeyF} {
		pressShortcut(c, k)
	}
	pressKey(c, fyne.KeyEscape)
	if *fake != (fakeKeys{saved: 1, made: 1, found: 1, left: 1}) {
		t.Fatalf("with the cursor in a key entry: %+v", *fake)
	}
	deliverShortcut(c, &fyne.ShortcutSelectAll{}) // Ctrl+A: the entry's own
	if e.SelectedText() != "Amra" || e.Text != "Amra" {
		t.Fatalf("the entry lost its own shortcut or its text: %q selected of %q", e.SelectedText(), e.Text)
	}
	pressKey(c, fyne.KeyF1)
	if s.help == nil {
		t.Fatal("F1 in a key entry did not show the help")
	}
	pressKey(c, fyne.KeyEscape)
	if s.help != nil || c.Overlays().Top() != nil {
		t.Fatal("Esc did not close the help")
	}
	c.Focus(plain)
	pressShortcut(c, fyne.KeyS)
	if fake.saved != 1 {
		t.Fatal("a plain entry was expected to keep Ctrl+S to itself; if Fyne changed that, newKeyEntry can go")
	}
}

func TestF1ShowsTheKeyboardHelpInTheUILanguage(t *testing.T) {
	s, w := newTestShell(t)
	c := w.Canvas()
	s.setLang(i18n.BS)
	s.show("persons")
	c.Unfocus()
	pressKey(c, fyne.KeyF1)
	top := c.Overlays().Top()
	if top == nil || s.help == nil {
		t.Fatal("F1 showed nothing")
	}
	for _, want := range []string{"Tastatura", "Sačuvaj zapis", "Esc", "F1", "Zatvori Registar (prvo pita ako izmjene nisu sačuvane)"} {
		if !hasText(top, want) && !hasDialogTitle(top, want) {
			t.Errorf("the help lacks %q", want)
		}
	}
	// F1 again does not stack a second help; Esc closes it.
	pressKey(c, fyne.KeyF1)
	if len(c.Overlays().List()) != 1 {
		t.Fatalf("%d overlays after F1 twice", len(c.Overlays().List()))
	}
	pressKey(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil || s.help != nil {
		t.Fatal("Esc did not close the help")
	}
}

// hasDialogTitle looks for a rich text or label with the text (a dialog's
// title is drawn as a label inside its own widget).
func hasDialogTitle(o fyne.CanvasObject, text string) bool {
	found := false
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			found = true
		}
	})
	return found
}

func TestShortcutsWaitWhileADialogIsOpen(t *testing.T) {
	s, w := newTestShell(t)
	c := w.Canvas()
	s.show("home")
	fake := &fakeKeys{}
	s.setKeyTarget(fake)
	dialog.ShowInformation("x", "y", w)
	for _, k := range []fyne.KeyName{fyne.KeyS, fyne.KeyN, fyne.KeyF, fyne.KeyQ} {
		pressShortcut(c, k)
	}
	pressKey(c, fyne.KeyEscape)
	pressKey(c, fyne.KeyF1)
	if *fake != (fakeKeys{}) || s.help != nil {
		t.Fatalf("keys acted under a dialog: %+v, help %v", *fake, s.help != nil)
	}
}

// Ctrl+Q and Ctrl+W close the app the way the window's close button does:
// asking about unsaved changes first.
func TestCloseKeysAskAboutUnsavedChanges(t *testing.T) {
	exits := 0
	old := exitSoon
	exitSoon = func() { exits++ }
	t.Cleanup(func() { exitSoon = old })
	s, w := newTestShell(t)
	c := w.Canvas()
	closed := 0
	w.SetOnClosed(func() { closed++ })
	s.show("persons")
	s.openNew(data.KindPerson)
	test.Type(entry(t, s, "given_name"), "Amra")
	c.Unfocus()
	for _, k := range []fyne.KeyName{fyne.KeyQ, fyne.KeyW} {
		pressShortcut(c, k)
		if c.Overlays().Top() == nil {
			t.Fatalf("Ctrl+%s closed with unsaved changes without asking", k)
		}
		tapDialog(t, w, "No")
		if closed != 0 || exits != 0 {
			t.Fatalf("Ctrl+%s: No closed the window", k)
		}
	}
	pressShortcut(c, fyne.KeyW)
	tapDialog(t, w, "Yes")
	if closed != 1 || exits != 1 {
		t.Fatalf("Ctrl+W and Yes: window closed %d times, exit armed %d times", closed, exits)
	}
}

// Closing writes one preference right before the window closes, after
// the registry is closed: Fyne's own save when it stops then falls in the
// time in which its file watcher ignores the file, instead of reading it
// back half-written ("Preferences load error: EOF").
func TestClosingWritesAPreferenceLast(t *testing.T) {
	old := exitSoon
	exitSoon = func() {}
	t.Cleanup(func() { exitSoon = old })
	s, w := newTestShell(t)
	s.show("home")
	var events []string
	p := s.app.Preferences()
	p.AddChangeListener(func() { events = append(events, "pref:"+p.String(prefClosedAt)) })
	w.SetOnClosed(func() { events = append(events, "closed") })
	s.onCloseRequested()
	n := len(events)
	if n < 2 || events[n-1] != "closed" || events[n-2] == "pref:" || !strings.HasPrefix(events[n-2], "pref:") {
		t.Fatalf("events at close: %q", events)
	}
	if _, err := s.store.Setting(data.LangSetting); err == nil {
		t.Fatal("the registry was still open when the window closed")
	}
}

// After "No" to leaving a changed form, the navigation highlights nothing
// (the form stays), so a tap on Persons asks again instead of doing
// nothing.
func TestStayingOnAFormKeepsTheNavigationTappable(t *testing.T) {
	s, w := newTestShell(t)
	c := w.Canvas()
	s.show("persons")
	s.openNew(data.KindPerson)
	test.Type(entry(t, s, "given_name"), "Amra")
	s.nav.Select(screenIndex("home"))
	tapDialog(t, w, "No")
	if !s.onPage || c.Overlays().Top() != nil {
		t.Fatal("No did not keep the form")
	}
	s.nav.Select(screenIndex("persons"))
	if c.Overlays().Top() == nil {
		t.Fatal("a tap on Persons after staying on the form did nothing")
	}
	tapDialog(t, w, "Yes")
	if s.onPage || s.current != "persons" {
		t.Fatalf("Yes did not go to Persons: %s", s.current)
	}
}

func TestFirstRunPassphraseHintSaysEmptyStaysUnencrypted(t *testing.T) {
	s, w := newTestShell(t)
	f := &firstRun{shell: s}
	w.SetContent(f.buildUI())
	want := s.T("keys.passhint")
	if !hasText(w.Content(), want) {
		t.Fatal("the first run does not show the passphrase hint")
	}
	for _, part := range []string{"optional", "empty", "unencrypted", "If you set a passphrase", "not even you"} {
		if !strings.Contains(want, part) {
			t.Errorf("the hint does not say %q: %s", part, want)
		}
	}
}

// On a list, Ctrl+F goes to the search box, Enter opens the row chosen
// and Ctrl+N opens a new record of the list's kind, also from the search
// box.
func TestListShortcuts(t *testing.T) {
	s, w := newTestShell(t)
	c := w.Canvas()
	addPerson(t, s, "Ana", "Kovač", "DE")
	l := list(t, s, data.KindPerson)
	c.Unfocus()
	pressShortcut(c, fyne.KeyF)
	if c.Focused() != fyne.Focusable(l.search) {
		t.Fatalf("Ctrl+F focused %T, not the search box", c.Focused())
	}
	c.Unfocus()
	pressKey(c, fyne.KeyReturn)
	if !s.onPage || s.page.isNew || !strings.Contains(s.page.title.Text, "Ana Kovač") {
		t.Fatal("Enter on a list with one hit did not open it")
	}
	pressKey(c, fyne.KeyEscape)
	if s.onPage || s.current != "persons" {
		t.Fatal("Esc on the unchanged record did not go back to the list")
	}
	c.Unfocus()
	pressShortcut(c, fyne.KeyN)
	if !s.onPage || !s.page.isNew || s.page.form.kind != data.KindPerson {
		t.Fatal("Ctrl+N on the persons list did not open a new person")
	}
	pressKey(c, fyne.KeyEscape)
	if s.onPage || s.current != "persons" {
		t.Fatal("Esc on the empty form did not go back to the list")
	}
	if _, ok := any(l.search).(*keyEntry); !ok {
		t.Skip("Ctrl+N from the search box waits for app/list.go to make the search box with newKeyEntry")
	}
	pressShortcut(c, fyne.KeyF)
	pressShortcut(c, fyne.KeyN)
	if !s.onPage || !s.page.isNew {
		t.Fatal("Ctrl+N from the search box did not open a new person")
	}
}
