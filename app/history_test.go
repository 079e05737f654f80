package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
)

// historyTexts are the rich texts of the open record's history, one per
// entry, newest first.
func historyTexts(s *Shell) []*widget.RichText {
	var out []*widget.RichText
	for _, o := range s.page.history.Objects {
		if rt, ok := o.(*widget.RichText); ok {
			out = append(out, rt)
		}
	}
	return out
}

// historyLines are the lines the history shows: a line ends with a
// segment that is not inline.
func historyLines(s *Shell) []string {
	var out []string
	for _, rt := range historyTexts(s) {
		var b strings.Builder
		for _, seg := range rt.Segments {
			b.WriteString(seg.Textual())
			if !seg.Inline() {
				out = append(out, b.String())
				b.Reset()
			}
		}
		if b.Len() > 0 {
			out = append(out, b.String())
		}
	}
	return out
}

func TestHistoryShowsOldAndNewValues(t *testing.T) {
	cases := []struct {
		lang                 i18n.Lang
		country              string // typed into the country picker
		wantCity, wantCountr string
		wantCreated          string
	}{
		{i18n.BS, "Austrija", "Grad: Stuttgart → München", "Država: Njemačka → Austrija", "Ime: Amra"},
		{i18n.SR, "Аустрија", "Град: Stuttgart → München", "Држава: Немачка → Аустрија", "Име: Amra"},
	}
	for _, c := range cases {
		t.Run(string(c.lang), func(t *testing.T) {
			s, w := newTestShell(t)
			s.setLang(c.lang)
			p := &data.Person{GivenName: "Amra", FamilyName: "Hodžić", Country: "DE", City: "Stuttgart",
				Gender: "f", BirthDate: data.NewDate(1985, 3, 12)}
			if err := s.store.Save(p); err != nil {
				t.Fatal(err)
			}
			s.openRecord(p.ID)
			city := entry(t, s, "city")
			city.SetText("")
			test.Type(city, "München")
			pickCountry(t, s, w, c.country)
			test.Tap(s.page.save)
			if h, _ := s.store.History(p.ID); len(h) != 2 {
				t.Fatalf("the edit was not saved: %d history entries", len(h))
			}

			lines := historyLines(s)
			joined := strings.Join(lines, "\n")
			for _, want := range []string{c.wantCity, c.wantCountr} {
				if !contains(lines, want) {
					t.Errorf("history lacks %q:\n%s", want, joined)
				}
			}
			// The creation, below the change, shows the first values.
			if !strings.Contains(joined, c.wantCreated) {
				t.Errorf("creation shows no first values (%q):\n%s", c.wantCreated, joined)
			}
			if strings.Index(joined, c.wantCity) > strings.Index(joined, c.wantCreated) {
				t.Errorf("the newest entry is not first:\n%s", joined)
			}
		})
	}
}

func TestHistoryIsReadableNotFaint(t *testing.T) {
	s, _ := newTestShell(t)
	p := addPerson(t, s, "Selma", "Begić", "CH")
	p.City = "Zürich"
	p.Phone = "+41791234567"
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	s.openRecord(p.ID)
	if !contains(historyLines(s), "Phone: — → +41 79 123 45 67") {
		t.Fatalf("phone not shown as people write it: %q", historyLines(s))
	}
	rich := 0
	for _, rt := range historyTexts(s) {
		rich++
		bold := false
		for _, seg := range rt.Segments {
			ts, ok := seg.(*widget.TextSegment)
			if !ok {
				continue
			}
			if ts.Style.ColorName != theme.ColorNameForeground {
				t.Errorf("history text %q in colour %q", ts.Text, ts.Style.ColorName)
			}
			if strings.HasSuffix(ts.Text, ":") {
				bold = bold || ts.Style.TextStyle.Bold
				if !ts.Style.TextStyle.Bold {
					t.Errorf("field name %q is not bold", ts.Text)
				}
			}
		}
		if !bold {
			t.Errorf("an entry names no field in bold: %q", rt.String())
		}
	}
	for _, o := range s.page.history.Objects {
		if l, ok := o.(*widget.Label); ok && l.Importance == widget.LowImportance {
			t.Errorf("faint history line %q", l.Text)
		}
	}
	if rich == 0 {
		t.Fatal("the history shows no changes")
	}
}
