package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
)

// relayout lays out the whole tree from the top, as a real window does at
// its next frame when something's minimum size changed (the test canvas
// does not).
func relayout(o fyne.CanvasObject) {
	switch v := o.(type) {
	case *fyne.Container:
		if v.Layout != nil {
			v.Layout.Layout(v.Objects, v.Size())
		}
		for _, c := range v.Objects {
			relayout(c)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(v)
		r.Layout(v.Size())
		for _, c := range r.Objects() {
			relayout(c)
		}
	}
}

// yOf is where a field's input sits in the window.
func yOf(t *testing.T, s *Shell, key string) float32 {
	t.Helper()
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(s.page.form.fields[key].input).Y
}

// fieldLabel is the label beside a field.
func fieldLabel(t *testing.T, f *recordForm, key string) string {
	t.Helper()
	ff := f.fields[key]
	for i := 0; i+1 < len(f.rows); i += 2 {
		if f.rows[i+1] == ff.box {
			if l, ok := f.rows[i].(*widget.Label); ok {
				return l.Text
			}
		}
	}
	t.Fatalf("no label for %s", key)
	return ""
}

// hasLabel reports whether a label with the text is in the tree.
func hasLabel(o fyne.CanvasObject, text string) bool {
	found := false
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == text && l.Visible() {
			found = true
		}
	})
	return found
}

// A message or a note appearing under a field, or going away, moves none of
// the fields below it: the room for it is there all the time, so a click
// aimed at the next field lands on it.
func TestFormMessagesKeepTheirRoom(t *testing.T) {
	s, w := newTestShell(t)
	s.office.Region = "BA"
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Hodžić")
	below := []string{"phone", "profession", "emigration_year", "needs", "notes"}
	positions := func() map[string]float32 {
		relayout(w.Content())
		out := map[string]float32{}
		for _, k := range below {
			out[k] = yOf(t, s, k)
		}
		return out
	}
	same := func(when string, want map[string]float32) {
		t.Helper()
		got := positions()
		for _, k := range below {
			if got[k] != want[k] {
				t.Errorf("%s: %s moved from y=%v to y=%v", when, k, want[k], got[k])
			}
		}
	}
	f := s.page.form
	before := positions()

	test.Type(entry(t, s, "email"), "amra@")
	if f.message("email") == "" {
		t.Fatal("no message for a broken e-mail address")
	}
	same("a message appeared", before)

	entry(t, s, "email").SetText("amra@example.org")
	if f.message("email") != "" {
		t.Fatalf("message left: %q", f.message("email"))
	}
	same("the message went away", before)

	// The phone's note (how a local number was read) takes the same room.
	pickCountry(t, s, w, "austria")
	test.Type(entry(t, s, "phone"), "061 242 771")
	if f.note("phone") == "" {
		t.Fatal("no note under a local number")
	}
	same("a note appeared", before)

	// A message further up moves nothing either.
	entry(t, s, "birth_date").SetText("31.02.1985.")
	if f.message("birth_date") == "" {
		t.Fatal("no message for 31.02.")
	}
	same("a date message appeared", before)
}

// Every field the model's rules require is marked with a *, and no other;
// a legend at the top says what the * means.
func TestFormMarksRequiredFields(t *testing.T) {
	required := map[data.Kind][]string{
		data.KindPerson:       {"given_name", "family_name", "birth_date", "country"},
		data.KindBusiness:     {"name", "country"},
		data.KindOrganisation: {"name", "org_kind", "country"},
		data.KindLocality:     {"name", "municipality"},
	}
	s, w := newTestShell(t)
	for _, k := range data.Kinds {
		s.openNew(k)
		f := s.page.form
		want := map[string]bool{}
		for _, key := range required[k] {
			want[key] = true
			if f.fields[key] == nil {
				t.Fatalf("%s: no field %s", k, key)
			}
		}
		for key := range f.fields {
			label := fieldLabel(t, f, key)
			marked := strings.HasSuffix(label, "*")
			if marked != want[key] {
				t.Errorf("%s: %s labelled %q (required: %v)", k, key, label, want[key])
			}
			if plain := data.FieldLabel(key, s.lang); strings.TrimSpace(strings.TrimSuffix(label, "*")) != plain {
				t.Errorf("%s: %s labelled %q, want %q", k, key, label, plain)
			}
		}
		if !hasLabel(w.Content(), s.T("form17.legend")) {
			t.Errorf("%s: no legend for *", k)
		}
	}
}

// The marks come from the rules themselves: each marked field of an empty
// record is one the validator refuses as missing.
func TestRequiredFieldsAreTheValidatorsOwn(t *testing.T) {
	s, _ := newTestShell(t)
	for _, k := range data.Kinds {
		r, _ := data.New(k)
		missing := map[string]bool{}
		if ve, ok := data.Validate(r, s.lang, nil).(*data.ValidationError); ok {
			for _, fe := range ve.Errors {
				if fe.Tag == "required" {
					missing[fe.Field] = true
				}
			}
		}
		got := requiredFields(k)
		if len(got) != len(missing) {
			t.Errorf("%s: required %v, validator %v", k, got, missing)
		}
		for key := range got {
			if !missing[key] {
				t.Errorf("%s: %s marked but not required", k, key)
			}
		}
	}
}

// The consent block has headings over its columns (given, date, how); the
// check box says yes, not a word that reads as "date".
func TestConsentBlockHasHeadings(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	for _, key := range []string{"form17.consent.given", "form17.consent.date", "form17.consent.how"} {
		if !hasLabel(w.Content(), s.T(key)) {
			t.Errorf("no heading %q", s.T(key))
		}
	}
	var checks []string
	walk(s.page.form.fields["consent_publish"].box, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok {
			checks = append(checks, c.Text)
		}
	})
	if len(checks) != 1 || checks[0] != s.T("value.yes") {
		t.Errorf("consent check boxes %q", checks)
	}
}

// A stored number is shown as people read it: international, with spaces.
func TestFormShowsPhoneInternational(t *testing.T) {
	s, _ := newTestShell(t)
	p := addPerson(t, s, "Ena", "Mujić", "DE")
	p.Phone = "+4917612345678"
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	s.openRecord(p.ID)
	if got := entry(t, s, "phone").Text; got != "+49 176 12345678" {
		t.Errorf("phone shown as %q", got)
	}
}

// scrolls are the scroll containers of a page, not those inside inputs.
func scrolls(o fyne.CanvasObject) []*container.Scroll {
	var out []*container.Scroll
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Entry:
			return
		case *container.Scroll:
			out = append(out, v)
			visit(v.Content)
		case *fyne.Container:
			for _, c := range v.Objects {
				visit(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				visit(c)
			}
		}
	}
	visit(o)
	return out
}

// The mouse wheel scrolls the form with the pointer over an entry, a
// multi-line entry or a date, as it does over a label.
func TestWheelOverInputsScrollsForm(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	relayout(w.Content())
	d := fyne.CurrentApp().Driver()
	for _, key := range []string{"given_name", "birth_date", "city"} {
		in := s.page.form.fields[key].input
		offsets := func() (sum float32) {
			for _, sc := range scrolls(w.Content()) {
				sum += sc.Offset.Y
			}
			return sum
		}
		for _, sc := range scrolls(w.Content()) {
			sc.ScrollToTop()
		}
		relayout(w.Content())
		at := d.AbsolutePositionForObject(in).AddXY(10, in.Size().Height/2)
		before := offsets()
		test.Scroll(w.Canvas(), at, 0, -60)
		if after := offsets(); after <= before {
			t.Errorf("wheel over %s: form offset %v → %v", key, before, after)
		}
	}
}

// A save that works says so above the fields; a refused one says it was
// not saved, never "saved".
func TestSaveSaysSavedOnlyWhenSaved(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	test.Type(entry(t, s, "given_name"), "Amra")
	test.Type(entry(t, s, "email"), "amra@")
	s.page.form.save()
	f := s.page.form
	if f.draft.Base().ID != "" {
		t.Fatal("a person without a family name was saved")
	}
	if got := f.statusText(); got != s.T("form17.notsaved") {
		t.Errorf("after a refused save: %q", got)
	}
	if f.message("family_name") == "" {
		t.Error("no message at the missing family name")
	}

	entry(t, s, "email").SetText("")
	if f.statusText() != "" {
		t.Errorf("the refusal stays after a change: %q", f.statusText())
	}
	fillPerson(t, s, w, "Amra", "Hodžić")
	s.page.form.save()
	if s.page.form.draft.Base().Version == 0 {
		t.Fatalf("not saved: %q", s.page.form.statusText())
	}
	if got, want := s.page.form.statusText(), "Saved at 10:30."; got != want {
		t.Errorf("after a save: %q, want %q", got, want)
	}
	if !hasLabel(w.Content(), "Saved at 10:30.") {
		t.Error("the saved line is not on the page")
	}

	// Saving again without a change writes no version and says why.
	v := s.page.form.draft.Base().Version
	s.page.form.save()
	if got := s.page.form.draft.Base().Version; got != v {
		t.Errorf("an unchanged record saved again: version %d → %d", v, got)
	}
	if got := s.page.form.statusText(); got != s.T("form17.unchanged") {
		t.Errorf("unchanged: %q", got)
	}

	// A change takes "saved" away: it is no longer true.
	test.Type(entry(t, s, "city"), "X")
	if got := s.page.form.statusText(); got != "" {
		t.Errorf("after a change: %q", got)
	}
}

// A refused save brings the first field with a message into view.
func TestRefusedSaveScrollsToTheMessage(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	fillPerson(t, s, w, "Amra", "Hodžić")
	relayout(w.Content())
	f := s.page.form
	f.scroll.ScrollToBottom()
	entry(t, s, "given_name").SetText("")
	f.save()
	if f.message("given_name") == "" {
		t.Fatal("no message at the emptied given name")
	}
	if y := f.fields["given_name"].label.Position().Y; y < f.scroll.Offset.Y {
		t.Errorf("given name at y=%v, form scrolled to %v", y, f.scroll.Offset.Y)
	}
}

// Long notes make the field taller instead of scrolling inside it.
func TestMultilineGrowsWithItsText(t *testing.T) {
	s, w := newTestShell(t)
	s.openNew(data.KindPerson)
	relayout(w.Content())
	e := entry(t, s, "notes")
	h := e.MinSize().Height
	e.SetText(strings.Repeat("Ima kuću u Pećigradu i dolazi ljeti.\n", 8))
	if e.MinSize().Height <= h {
		t.Errorf("notes of 8 lines: height %v, empty %v", e.MinSize().Height, h)
	}
}

// The rows of a multi-line entry are counted at every keystroke in it.
func BenchmarkTextRows5000(b *testing.B) {
	test.NewTempApp(b)
	text := strings.Repeat("Ima kuću u Pećigradu i dolazi ljeti s djecom. ", 110)[:5000]
	for b.Loop() {
		textRows(text, 670, fyne.TextStyle{})
	}
}
