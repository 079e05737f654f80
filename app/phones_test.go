package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/store"
	"registar/widgets"
)

// storeUnchecked writes records as a Registar that did not check phone
// numbers did: without validation.
func storeUnchecked(t *testing.T, s *Shell, recs ...data.Record) {
	t.Helper()
	if _, err := s.store.Apply(context.Background(), store.Step{Action: "test", Validated: true}, recs, nil); err != nil {
		t.Fatal(err)
	}
}

// The phone field reads a number as it is typed, in the person's country
// first and then the office's, and says under the field what it read.
func TestPhoneFieldReadsInResidenceThenOffice(t *testing.T) {
	s, w := newTestShell(t)
	s.office.Region = "BA"
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Hodžić")
	pickCountry(t, s, w, "austria")
	f := s.page.form

	test.Type(entry(t, s, "phone"), "061/242-771")
	if got, want := f.note("phone"), "Read as +387 61 242 771 (Bosnia & Herzegovina)."; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	if msg := f.message("phone"); msg != "" {
		t.Errorf("message %q", msg)
	}

	entry(t, s, "phone").SetText("")
	test.Type(entry(t, s, "phone"), "061 242 77")
	msg := f.message("phone")
	for _, want := range []string{"061 242 77", "Austria", "Bosnia & Herzegovina"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if f.note("phone") != "" {
		t.Errorf("note beside the message: %q", f.note("phone"))
	}

	// A mobile in Slovenia and in Bosnia: Slovenia, where she lives, and a word.
	pickCountry(t, s, w, "slovenia")
	entry(t, s, "phone").SetText("")
	test.Type(entry(t, s, "phone"), "065 123 456")
	if note := f.note("phone"); !strings.Contains(note, "Slovenia (+386 65 123 456)") || !strings.Contains(note, "Bosnia & Herzegovina (+387 65 123 456)") {
		t.Errorf("ambiguous note %q", note)
	}
	test.Tap(s.page.save)
	id := s.page.form.draft.Base().ID
	r, err := s.store.Get(id)
	if err != nil {
		t.Fatalf("not saved: %v (phone: %q)", err, f.message("phone"))
	}
	if p := r.(*data.Person).Phone; p != "+38665123456" {
		t.Errorf("stored %q", p)
	}
	// Shown again for people, not as E.164.
	if got := entry(t, s, "phone").Text; got != "+386 65 123 456" {
		t.Errorf("reopened: %q", got)
	}
}

// A number stored before numbers were checked does not stop the record from
// being saved with other changes; the form says what is wrong with it.
func TestStoredInvalidPhoneIsNotedNotBlocking(t *testing.T) {
	s, _ := newTestShell(t)
	p := &data.Person{GivenName: "Edin", FamilyName: "Delić", Country: "SI", BirthDate: data.NewDate(1980, 5, 1), Phone: "+38741123456"}
	storeUnchecked(t, s, p)
	s.openRecord(p.ID)
	f := s.page.form
	if got := entry(t, s, "phone").Text; got != data.FormatPhone("+38741123456") {
		t.Errorf("shown %q", got)
	}
	if note := f.note("phone"); !strings.Contains(note, "Bosnia & Herzegovina") {
		t.Errorf("note %q", note)
	}
	test.Type(entry(t, s, "city"), "Ljubljana")
	if !f.check() {
		t.Errorf("the form refuses the stored number: %q", f.message("phone"))
	}
}

func TestInvalidPhonesCardListsAndCorrects(t *testing.T) {
	s, w := newTestShell(t)
	s.office.Region = "BA"
	unchecked := func(r data.Record) string {
		t.Helper()
		storeUnchecked(t, s, r)
		return r.Base().ID
	}
	slo := unchecked(&data.Person{GivenName: "Amra", FamilyName: "Hodžić", Country: "SI", BirthDate: data.NewDate(1985, 3, 12), Phone: "+38741123456"})
	biz := unchecked(&data.Business{Name: "Delić GmbH", Country: "AT", Phone: "+43999"})
	unchecked(&data.Person{GivenName: "Ena", FamilyName: "Mujić", Country: "DE", BirthDate: data.NewDate(1990, 1, 2), Phone: "+4917612345678"})

	c := newPhonesCard(s)
	w.SetContent(c.buildUI())
	test.Tap(c.check)
	if c.status.Text != "Records with a phone number to correct: 2" || len(c.entries) != 2 {
		t.Fatalf("status %q, rows %d", c.status.Text, len(c.entries))
	}
	if !strings.Contains(c.notes[slo].Text, "+38741123456 is not a valid number in Bosnia & Herzegovina") {
		t.Errorf("note %q", c.notes[slo].Text)
	}

	// Still wrong: the store refuses it, the row says why, nothing changes.
	e := c.entries[slo]
	e.SetText("")
	test.Type(e, "041 123 45")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if n := c.notes[slo]; !strings.Contains(n.Text, "Slovenia") || n.Importance != widget.DangerImportance {
		t.Errorf("refused: %q", n.Text)
	}
	if r, _ := s.store.Get(slo); r.(*data.Person).Phone != "+38741123456" {
		t.Errorf("changed to %q", r.(*data.Person).Phone)
	}
	// Corrected as she wrote it: read in Slovenia, where she lives.
	e.SetText("")
	test.Type(e, "041 123 456")
	test.Tap(findButton(c.rows, "Save number"))
	if r, _ := s.store.Get(slo); r.(*data.Person).Phone != "+38641123456" {
		t.Errorf("saved %q", r.(*data.Person).Phone)
	}
	if c.notes[slo].Text != "Saved as +386 41 123 456." || !e.Disabled() {
		t.Errorf("after saving: %q", c.notes[slo].Text)
	}
	// Cleared.
	c.entries[biz].SetText("")
	c.entries[biz].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if r, _ := s.store.Get(biz); r.(*data.Business).Phone != "" {
		t.Errorf("not cleared: %q", r.(*data.Business).Phone)
	}
	test.Tap(c.check)
	if c.status.Text != "Every stored phone number is valid." || len(c.entries) != 0 {
		t.Errorf("after correcting: %q", c.status.Text)
	}
}

func TestInvalidPhonesCardOpensTheRecord(t *testing.T) {
	s, w := newTestShell(t)
	p := &data.Person{GivenName: "Amra", FamilyName: "Hodžić", Country: "SI", BirthDate: data.NewDate(1985, 3, 12), Phone: "+38741123456"}
	storeUnchecked(t, s, p)
	c := newPhonesCard(s)
	w.SetContent(c.buildUI())
	test.Tap(c.check)
	b := findButton(c.rows, "Amra Hodžić")
	if b == nil {
		t.Fatal("no button to open the record")
	}
	test.Tap(b)
	if s.page == nil || s.page.form.draft.Base().ID != p.ID {
		t.Fatal("the record did not open")
	}
}

// The local-community picker offers to add a name it does not find; the
// new community (of the office's municipality) is saved and chosen, and the
// person saved with it.
func TestLocalityPickerAddsANewCommunity(t *testing.T) {
	s, w := newTestShell(t)
	s.office.Municipality = "Cazin"
	if err := s.store.Save(&data.Locality{Name: "Ostrožac", Municipality: "Cazin", LocalityKind: "local_community"}); err != nil {
		t.Fatal(err)
	}
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Hodžić")
	p := s.page.form.fields["locality_id"].input.(*widgets.Picker)

	p.Open()
	test.Type(p.SearchEntry(), "ostrozac")
	if label, _ := p.Offered(); label != "" {
		t.Errorf("offered to add a community the registry has: %q", label)
	}
	p.SearchEntry().SetText("")
	test.Type(p.SearchEntry(), "Pećigrad")
	label, line := p.Offered()
	if label != "Add “Pećigrad”" {
		t.Fatalf("offered %q", label)
	}
	p.SearchList().Select(line)
	if !hasText(w.Canvas().Overlays().Top(), "“Pećigrad” is not in the registry yet; it will be added as a local community of Cazin.") {
		t.Error("the dialog does not say what it will add")
	}
	tapDialog(t, w, "Add")

	l := findLocality(t, s, "Pećigrad")
	if l.Municipality != "Cazin" || l.LocalityKind != "local_community" {
		t.Errorf("locality %+v", l)
	}
	if p.Selected().Value != l.ID || p.Selected().Label != "Pećigrad" {
		t.Errorf("picker shows %+v", p.Selected())
	}
	test.Tap(s.page.save)
	person, err := s.store.Get(s.page.form.draft.Base().ID)
	if err != nil {
		t.Fatalf("person not saved: %v", err)
	}
	if person.(*data.Person).LocalityID != l.ID {
		t.Errorf("person's locality %q, want %q", person.(*data.Person).LocalityID, l.ID)
	}
}

// Without a municipality in Settings the same dialog asks for it, and will
// not add the community without one.
func TestLocalityPickerAsksForTheMunicipality(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	p := s.page.form.fields["locality_id"].input.(*widgets.Picker)
	p.Open()
	test.Type(p.SearchEntry(), "Bužim")
	p.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	top := w.Canvas().Overlays().Top()
	var entries []*widget.Entry
	walk(top, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
	})
	if len(entries) != 2 || entries[0].Text != "Bužim" {
		t.Fatalf("dialog entries %d", len(entries))
	}
	add := findButton(top, "Add")
	if !add.Disabled() {
		t.Error("Add is enabled without a municipality")
	}
	test.Type(entries[1], "Bužim")
	if add.Disabled() {
		t.Fatal("Add stays disabled")
	}
	test.Tap(add)
	if l := findLocality(t, s, "Bužim"); l.Municipality != "Bužim" || p.Selected().Value != l.ID {
		t.Errorf("locality %+v, picked %+v", l, p.Selected())
	}
}

func findLocality(t *testing.T, s *Shell, name string) *data.Locality {
	t.Helper()
	var found *data.Locality
	s.store.Each(data.KindLocality, func(r data.Record) error {
		if l := r.(*data.Locality); l.Name == name {
			found = l
		}
		return nil
	})
	if found == nil {
		t.Fatalf("no locality %q in the store", name)
	}
	return found
}
