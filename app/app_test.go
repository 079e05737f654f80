package app

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
	"registar/widgets"
)

// fixedNow is the clock of every test: records, charts and forms.
var fixedNow = time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	homeNow = func() time.Time { return fixedNow }
	timeNow = homeNow
	os.Exit(m.Run())
}

// newTestShell is the app on an empty in-memory registry, in English.
func newTestShell(t *testing.T) (*Shell, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	test.ApplyTheme(t, test.Theme())
	a.Preferences().SetString(prefLang, "en")
	st, err := store.Open("", store.Options{InMemory: true, User: "clerk", Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := a.NewWindow("Registar")
	w.Resize(fyne.NewSize(1100, 720))
	s := New(a, w, st)
	s.inline = true
	return s, w
}

// addPerson stores a person directly.
func addPerson(t *testing.T, s *Shell, given, family, country string) *data.Person {
	t.Helper()
	p := &data.Person{GivenName: given, FamilyName: family, Country: country, City: "Wien",
		Gender: "m", BirthDate: data.NewDate(1980, 5, 1), Profession: "Inženjer"}
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// entry is a text input of the form shown.
func entry(t *testing.T, s *Shell, key string) *widget.Entry {
	t.Helper()
	switch in := s.page.form.fields[key].input.(type) {
	case *widget.Entry:
		return in
	case *keyEntry:
		return &in.Entry
	case *widgets.DateEntry:
		return in.Entry
	}
	t.Fatalf("field %s is not an entry", key)
	return nil
}

// pickCountry opens the country picker, types and takes the first match.
func pickCountry(t *testing.T, s *Shell, w fyne.Window, text string) {
	t.Helper()
	p := s.page.form.fields["country"].input.(*widgets.Picker)
	p.Open()
	test.Type(p.SearchEntry(), text)
	if len(p.Results()) == 0 {
		t.Fatalf("no country matches %q", text)
	}
	p.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// fillPerson types a valid person into the new-person form.
func fillPerson(t *testing.T, s *Shell, w fyne.Window, given, family string) {
	t.Helper()
	test.Type(entry(t, s, "given_name"), given)
	test.Type(entry(t, s, "family_name"), family)
	test.Type(entry(t, s, "birth_date"), "12.03.1985.")
	pickCountry(t, s, w, "germ")
	test.Type(entry(t, s, "city"), "München")
}

// list is the list screen of a kind, shown.
func list(t *testing.T, s *Shell, k data.Kind) *listScreen {
	t.Helper()
	s.show(kindScreen[k])
	l := s.lists[k]
	if l == nil {
		t.Fatalf("no list for %s", k)
	}
	return l
}

// titles are the names a list shows.
func titles(l *listScreen) []string {
	var out []string
	for i := range l.table.Hits() {
		out = append(out, l.table.CellText(i, 0))
	}
	return out
}

// findButton finds a button by its text in a tree of objects.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	return found
}

// hasText reports whether a label or button in the tree shows text.
func hasText(o fyne.CanvasObject, text string) bool {
	found := false
	walk(o, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			found = found || v.Text == text
		case *widget.Button:
			found = found || v.Text == text
		}
	})
	return found
}

func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, fn)
		}
	}
}

// tapDialog taps a button of the dialog on top of the window.
func tapDialog(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog to tap %q in", text)
	}
	b := findButton(top, text)
	if b == nil {
		t.Fatalf("dialog has no button %q", text)
	}
	test.Tap(b)
}

func TestPersonFormSaveShowsInList(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Hodžić")
	test.Tap(s.page.save)
	if n := s.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons stored: %d", n)
	}
	if s.page.isNew || !strings.Contains(s.page.title.Text, "Amra Hodžić") {
		t.Fatalf("after save the page shows %q", s.page.title.Text)
	}
	l := list(t, s, data.KindPerson)
	if got := titles(l); len(got) != 1 || got[0] != "Amra Hodžić" {
		t.Fatalf("list shows %v", got)
	}
	if got := l.table.CellText(0, 1); got != "Germany" {
		t.Fatalf("country column shows %q", got)
	}
}

func TestInvalidEmailShowsMessageAndSavesNothing(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Hodžić")
	test.Type(entry(t, s, "email"), "amra@")
	if msg := s.page.form.message("email"); !strings.Contains(msg, "E-mail") {
		t.Fatalf("message at the e-mail field while typing: %q", msg)
	}
	test.Tap(s.page.save)
	if n := s.store.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("an invalid person was saved (%d)", n)
	}
	if msg := s.page.form.message("email"); msg == "" {
		t.Fatal("no message at the e-mail field after save")
	}
	if got := entry(t, s, "given_name").Text; got != "Amra" {
		t.Fatalf("what was typed is lost: %q", got)
	}
	// Fixing the address lets the save through.
	e := entry(t, s, "email")
	e.SetText("")
	test.Type(e, "amra@example.ba")
	if msg := s.page.form.message("email"); msg != "" {
		t.Fatalf("message stays after fixing: %q", msg)
	}
	test.Tap(s.page.save)
	if n := s.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("valid person not saved (%d)", n)
	}
}

func TestRequiredFieldsShowMessagesInLanguage(t *testing.T) {
	s, _ := newTestShell(t)
	s.setLang(i18n.BS)
	s.openNew(data.KindPerson)
	test.Tap(s.page.save)
	msg := s.page.form.message("given_name")
	if msg == "" || msg == s.page.form.message("birth_date") {
		t.Fatalf("given name message: %q", msg)
	}
	if !strings.Contains(msg, data.FieldLabel("given_name", i18n.BS)) {
		t.Fatalf("message is not in Bosnian: %q", msg)
	}
	if s.store.Counts()[data.KindPerson] != 0 {
		t.Fatal("an empty person was saved")
	}
}

func TestSearchDjordjeFindsCyrillic(t *testing.T) {
	s, _ := newTestShell(t)
	addPerson(t, s, "Ђорђе", "Петровић", "RS")
	addPerson(t, s, "Ana", "Kovač", "DE")
	addPerson(t, s, "Đorđe", "Marić", "AT")
	l := list(t, s, data.KindPerson)
	if n := len(l.table.Hits()); n != 3 {
		t.Fatalf("list shows %d persons", n)
	}
	test.Type(l.search, "djordje")
	got := titles(l)
	if len(got) != 2 || !contains(got, "Ђорђе Петровић") || !contains(got, "Đorđe Marić") {
		t.Fatalf("djordje finds %v", got)
	}
	if l.count.Text != "2 found" {
		t.Fatalf("count shows %q", l.count.Text)
	}
	l.search.SetText("")
	test.Type(l.search, "petrovic")
	if got := titles(l); len(got) != 1 || got[0] != "Ђорђе Петровић" {
		t.Fatalf("petrovic finds %v", got)
	}
}

func TestListSortAndFilter(t *testing.T) {
	s, _ := newTestShell(t)
	addPerson(t, s, "Zlatan", "Avdić", "AT")
	addPerson(t, s, "Berina", "Zukić", "SE")
	addPerson(t, s, "Ćamil", "Mehić", "DE")
	l := list(t, s, data.KindPerson)
	if got := titles(l); strings.Join(got, "|") != "Berina Zukić|Ćamil Mehić|Zlatan Avdić" {
		t.Fatalf("by name: %v", got)
	}
	l.onSort(0, true)
	if got := titles(l); got[0] != "Zlatan Avdić" {
		t.Fatalf("by name, descending: %v", got)
	}
	l.onSort(1, false) // country: Austria, Germany, Sweden
	if got := titles(l); strings.Join(got, "|") != "Zlatan Avdić|Ćamil Mehić|Berina Zukić" {
		t.Fatalf("by country: %v", got)
	}
	l.filterFor("country").set("DE")
	l.run()
	if got := titles(l); len(got) != 1 || got[0] != "Ćamil Mehić" {
		t.Fatalf("filtered by Germany: %v", got)
	}
}

func TestOpeningARecordIsNotAChange(t *testing.T) {
	s, _ := newTestShell(t)
	p := addPerson(t, s, "Selma", "Begić", "CH")
	p.ConsentContact = data.Consent{Given: true, Date: data.NewDate(2026, 1, 5), How: "written"}
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	s.openRecord(p.ID)
	if s.page.form.dirty {
		t.Fatal("a record just opened counts as changed")
	}
	test.Tap(s.page.save)
	if h, _ := s.store.History(p.ID); len(h) != 2 {
		t.Fatalf("saving without a change wrote a version: %d entries", len(h))
	}
}

func TestDeleteAndRestore(t *testing.T) {
	s, w := newTestShell(t)
	p := addPerson(t, s, "Selma", "Begić", "CH")
	s.openRecord(p.ID)
	test.Tap(s.page.trash)
	tapDialog(t, w, "Yes")
	l := list(t, s, data.KindPerson)
	if n := len(l.table.Hits()); n != 0 {
		t.Fatalf("trashed person still listed (%d)", n)
	}
	s.show("trash")
	tr := s.trash
	if n := len(tr.table.Hits()); n != 1 {
		t.Fatalf("trash lists %d", n)
	}
	if !tr.restore.Disabled() {
		t.Fatal("restore is enabled with nothing chosen")
	}
	tr.table.OnSelected(tr.table.Hits()[0])
	test.Tap(tr.restore)
	if n := len(tr.table.Hits()); n != 0 {
		t.Fatalf("trash still lists %d after restore", n)
	}
	l = list(t, s, data.KindPerson)
	if got := titles(l); len(got) != 1 || got[0] != "Selma Begić" {
		t.Fatalf("restored person: %v", got)
	}
}

func TestEraseAsksThenErases(t *testing.T) {
	s, w := newTestShell(t)
	p := addPerson(t, s, "Selma", "Begić", "CH")
	if err := s.store.Trash(p.ID); err != nil {
		t.Fatal(err)
	}
	s.show("trash")
	tr := s.trash
	tr.table.OnSelected(tr.table.Hits()[0])
	test.Tap(tr.erase)
	tapDialog(t, w, "Cancel")
	if _, err := s.store.Get(p.ID); err != nil {
		t.Fatalf("cancelled erase erased: %v", err)
	}
	test.Tap(tr.erase)
	if !hasText(w.Canvas().Overlays().Top(), s.T("ui.trash.erase.confirm", "name", "Selma Begić")) {
		t.Fatal("the confirmation does not say what erasing means")
	}
	tapDialog(t, w, "Erase for good")
	if _, err := s.store.Get(p.ID); err == nil {
		t.Fatal("record not erased")
	}
}

func TestSwitchLanguageChangesLabels(t *testing.T) {
	s, w := newTestShell(t)
	s.show("settings")
	if !hasText(w.Content(), "Persons") {
		t.Fatal("English navigation missing")
	}
	var sel *widget.Select
	walk(w.Content(), func(o fyne.CanvasObject) {
		if v, ok := o.(*widget.Select); ok && sel == nil && v.Selected == "English" {
			sel = v
		}
	})
	if sel == nil {
		t.Fatal("no language select")
	}
	sel.SetSelected(i18n.SQ.Name())
	if !hasText(w.Content(), "Personat") || hasText(w.Content(), "Persons") {
		t.Fatal("navigation is not in Albanian")
	}
	if got := lang.L("Cancel"); got != "Anulo" {
		t.Fatalf("Fyne's own Cancel is %q", got)
	}
	if s.current != "settings" {
		t.Fatalf("switching language left the screen: %s", s.current)
	}
	s.setLang(i18n.SR)
	if !hasText(w.Content(), "Особе") || lang.L("Save") != "Сачувај" {
		t.Fatal("Serbian Cyrillic not applied")
	}
	s.setLang(i18n.SRLatn)
	if !hasText(w.Content(), "Osobe") || lang.L("Save") != "Sačuvaj" {
		t.Fatal("Serbian Latin not applied")
	}
	if got := s.app.Preferences().String(prefLang); got != "sr-Latn" {
		t.Fatalf("language preference: %q", got)
	}
}

func TestUnsavedChangesAreConfirmed(t *testing.T) {
	s, w := newTestShell(t)
	s.show("persons")
	s.openNew(data.KindPerson)
	test.Type(entry(t, s, "given_name"), "Amra")
	s.show("home")
	if s.current != "persons" || w.Canvas().Overlays().Top() == nil {
		t.Fatal("left a form with unsaved changes without asking")
	}
	tapDialog(t, w, "No")
	if got := entry(t, s, "given_name").Text; got != "Amra" {
		t.Fatalf("typed text lost: %q", got)
	}
	s.show("home")
	tapDialog(t, w, "Yes")
	if s.current != "home" {
		t.Fatalf("did not leave after confirming: %s", s.current)
	}
}

func TestHomeChartLeadsToFilteredList(t *testing.T) {
	s, _ := newTestShell(t)
	addPerson(t, s, "Ana", "Kovač", "DE")
	addPerson(t, s, "Edin", "Hasić", "DE")
	addPerson(t, s, "Mirza", "Delić", "AT")
	s.show("home")
	h := &homeScreen{shell: s}
	h.buildUI()
	if len(h.countries) != 2 || h.countries[0] != "DE" {
		t.Fatalf("countries on the chart: %v", h.countries)
	}
	h.onCountryTapped(0)
	l := s.lists[data.KindPerson]
	if s.current != "persons" || len(l.table.Hits()) != 2 {
		t.Fatalf("chart tap shows %s with %d rows", s.current, len(l.table.Hits()))
	}
}

func TestBusinessOwnerLink(t *testing.T) {
	s, _ := newTestShell(t)
	p := addPerson(t, s, "Ana", "Kovač", "DE")
	s.openNew(data.KindBusiness)
	test.Type(entry(t, s, "name"), "Kovač GmbH")
	pickCountry(t, s, nil, "germ")
	b := s.page.form.draft.(*data.Business)
	b.Owners = append(b.Owners, data.Owner{PersonID: p.ID, Share: "owner"})
	s.page.form.changed("owners")
	test.Tap(s.page.save)
	if n := s.store.Counts()[data.KindBusiness]; n != 1 {
		t.Fatalf("business not saved: %v", s.page.form.errors())
	}
	s.openRecord(p.ID)
	if !hasText(s.page.links, "Kovač GmbH") {
		t.Fatal("the person's page does not show the business they own")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestKeyboardOpensRecordFromList(t *testing.T) {
	s, w := newTestShell(t)
	addPerson(t, s, "Ana", "Kovač", "DE")
	addPerson(t, s, "Edin", "Hasić", "DE")
	l := list(t, s, data.KindPerson)
	test.Type(l.search, "in")
	l.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter moves to the table
	tab := l.table.Table()
	if w.Canvas().Focused() != tab {
		t.Fatal("Enter in the search bar does not move to the list")
	}
	tab.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	tab.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if s.page == nil || !strings.Contains(s.page.title.Text, "Edin Hasić") {
		t.Fatalf("arrow down and space opened %v", s.page)
	}
}

func TestSetAndRemovePassphraseFromSettings(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, "en")
	dir := t.TempDir() + "/reg"
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := a.NewWindow("Registar")
	s := New(a, w, st)
	s.inline = true
	addPerson(t, s, "Selma", "Begić", "CH")
	s.changePassphrase("", "tajna")
	if s.store == nil || !s.store.Encrypted() || !store.IsEncrypted(dir) {
		t.Fatal("the registry is not encrypted after setting a passphrase")
	}
	if n := s.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons after encryption: %d", n)
	}
	s.changePassphrase("wrong", "")
	if !store.IsEncrypted(dir) || s.store == nil {
		t.Fatal("a wrong passphrase removed the encryption or closed the registry")
	}
	s.changePassphrase("tajna", "")
	if store.IsEncrypted(dir) || s.store.Encrypted() {
		t.Fatal("the passphrase was not removed")
	}
	s.Close()
}
