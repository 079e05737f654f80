package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/reports"
	"registar/widgets"
)

// flat is a PDF's text with its lines and spaces made single spaces.
func flat(text string) string { return strings.Join(strings.Fields(text), " ") }

// Each button on a consultation's page makes its PDF from the saved
// activity, previews it and saves it where the clerk says; the PDF names
// the activity. Another language makes it again in that language.
func TestActivityPublicationButtons(t *testing.T) {
	s, w := newTestShell(t)
	act := addActivity(t, s, "Javne konsultacije Cazin", "consultation", data.NewDate(2026, 11, 20), "Cazin")
	org := &data.Organisation{Name: "Udruženje Bosanaca Beč", OrgKind: "diaspora_association", Country: "AT"}
	if err := s.store.Save(org); err != nil {
		t.Fatal(err)
	}
	act.Consultation.Comments = []data.Comment{{FromKind: data.KindOrganisation, FromID: org.ID,
		Date: data.NewDate(2026, 11, 10), Article: "čl. 4", Text: "Dodati stipendije", Response: "accepted"}}
	if err := s.store.Save(act); err != nil {
		t.Fatal(err)
	}
	amra := addPersonG(t, s, "Amra", "Hodžić", "f")
	s.openActivity(act.ID)
	page := activityShown
	page.parts.add(data.KindPerson, amra.ID, "attended")
	page.parts.add(data.KindOrganisation, org.ID, "invited")

	dir := t.TempDir()
	var proposed string
	answer(t, func(name string) (fyne.URIWriteCloser, error) {
		proposed = name
		return storage.Writer(storage.NewFileURI(filepath.Join(dir, "out")))
	})
	for _, pub := range []reports.Publication{reports.Attendance, reports.ActivityReport, reports.ConsultationReport} {
		b := page.pubBtns[pub]
		if b == nil {
			t.Fatalf("no button for the %s", pub)
		}
		actPubShown = nil
		test.Tap(b)
		ap := actPubShown
		if ap == nil || len(ap.pdf) == 0 {
			t.Fatalf("%s: no PDF shown", pub)
		}
		if ap.lang != i18n.EN || ap.pub != pub {
			t.Fatalf("%s: made %s in %s", pub, ap.pub, ap.lang)
		}
		if text := flat(pdfText(t, ap.pdf)); !strings.Contains(text, "Javne konsultacije Cazin") {
			t.Errorf("%s does not name the activity:\n%s", pub, text)
		}
		if ap.viewer == nil || ap.viewer.pageLabel == nil || ap.viewer.failed != nil {
			t.Errorf("%s: no preview", pub)
		}
		if w.Canvas().Overlays().Top() == nil {
			t.Errorf("%s: the preview dialog is not shown", pub)
		}
		test.Tap(ap.saveBtn)
		got, err := os.ReadFile(filepath.Join(dir, "out.pdf"))
		if err != nil || string(got) != string(ap.pdf) {
			t.Fatalf("%s: saved %d bytes (%v), made %d", pub, len(got), err, len(ap.pdf))
		}
		if !strings.HasPrefix(proposed, pub.Title(i18n.EN)+" - Javne konsultacije Cazin") {
			t.Errorf("%s: the save dialog proposes %q", pub, proposed)
		}
		ap.d.Hide()
	}

	// The attendance sheet again, in Serbian Cyrillic.
	test.Tap(page.pubBtns[reports.Attendance])
	ap := actPubShown
	en := ap.pdf
	ap.langSel.SetSelectedIndex(indexOfLang(i18n.SR))
	if ap.lang != i18n.SR || string(ap.pdf) == string(en) {
		t.Fatal("choosing Serbian did not make the sheet again")
	}
	if text := flat(pdfText(t, ap.pdf)); !strings.Contains(text, "Javne konsultacije Cazin") {
		t.Errorf("the Serbian sheet does not name the activity:\n%s", text)
	}
	test.Tap(ap.saveBtn)
	if !strings.HasPrefix(proposed, reports.Attendance.Title(i18n.SR)) {
		t.Errorf("the Serbian sheet is proposed as %q", proposed)
	}
	ap.d.Hide()

	// Unsaved changes: asked to save first, nothing made.
	page = activityShown
	switch in := page.form.fields["title"].input.(type) {
	case *keyEntry:
		test.Type(in, " X")
	case *widget.Entry:
		test.Type(in, " X")
	default:
		t.Fatalf("the title is a %T", in)
	}
	actPubShown = nil
	test.Tap(page.pubBtns[reports.ActivityReport])
	if actPubShown != nil {
		t.Error("a publication was made with the changes not saved")
	}
	if !hasText(w.Canvas().Overlays().Top(), s.T("activitypubs.unsaved")) {
		t.Error("the clerk is not asked to save first")
	}
}

func indexOfLang(l i18n.Lang) int {
	for i, x := range i18n.All {
		if x == l {
			return i
		}
	}
	return -1
}

// An activity that is not a consultation has no consultation report button.
func TestActivityPublicationNoConsultationReport(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	s.openActivity(act.ID)
	p := activityShown
	if p.pubBtns[reports.ConsultationReport] != nil {
		t.Error("a cultural event offers a consultation report")
	}
	if p.pubBtns[reports.Attendance] == nil || p.pubBtns[reports.ActivityReport] == nil {
		t.Error("the attendance sheet and activity report are not offered")
	}
}

// The Publications screen makes the annual activities report of the year
// chosen among the years that have activities; it lists that year's
// activities and not another year's.
func TestPublicationAnnualActivities(t *testing.T) {
	s, p := publicationsScreen(t)
	p.pubSel.SetSelected(reports.AnnualActivities.Title(i18n.EN))
	if p.pub != reports.AnnualActivities {
		t.Fatalf("publication %s", p.pub)
	}
	if !p.yearSel.Visible() || !p.previewBtn.Disabled() ||
		!strings.Contains(p.info.Text, s.T("activitypubs.noyears")) {
		t.Fatalf("no activities: year shown %v, preview off %v, info %q", p.yearSel.Visible(), p.previewBtn.Disabled(), p.info.Text)
	}

	addActivity(t, s, "Ljetna škola", "summer_school", data.NewDate(2025, 8, 1), "Sarajevo")
	addActivity(t, s, "Sjednica vijeća dijaspore", "session", data.NewDate(2025, 3, 14), "Cazin")
	addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	s.showNow("publications")
	p = pubScreens[s]
	if got := strings.Join(p.yearSel.Options, ","); got != "2026,2025" {
		t.Fatalf("years %q", got)
	}
	if p.year != 2026 || p.yearSel.Selected != "2026" {
		t.Fatalf("year chosen %d (%q), want this year", p.year, p.yearSel.Selected)
	}
	p.yearSel.SetSelected("2025")
	if p.options().Year != 2025 {
		t.Fatalf("options: year %d", p.options().Year)
	}
	dir := t.TempDir()
	var proposed string
	answer(t, func(name string) (fyne.URIWriteCloser, error) {
		proposed = name
		return storage.Writer(storage.NewFileURI(filepath.Join(dir, "annual.pdf")))
	})
	test.Tap(p.saveBtn)
	if p.result == nil {
		t.Fatalf("no PDF: %q", p.info.Text)
	}
	text := flat(pdfText(t, p.result.pdf))
	for _, want := range []string{"Ljetna škola", "Sjednica vijeća dijaspore"} {
		if !strings.Contains(text, want) {
			t.Errorf("the 2025 report does not list %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Dani dijaspore") {
		t.Error("the 2025 report lists an activity of 2026")
	}
	if proposed != reports.AnnualActivities.Title(i18n.EN)+" 2025.pdf" {
		t.Errorf("proposed name %q", proposed)
	}
	if _, err := os.Stat(filepath.Join(dir, "annual.pdf")); err != nil {
		t.Error(err)
	}
	// Another publication hides the year.
	p.pubSel.SetSelected(reports.Statistics.Title(i18n.EN))
	if p.yearSel.Visible() {
		t.Error("the year shows for the statistics report")
	}
}

// Esc closes the walk-in dialog, with the cursor in its name field or
// nowhere; afterwards Esc leaves the page again as usual.
func TestActivityWalkInEscCloses(t *testing.T) {
	s, w := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 11, 20), "Bihać")
	s.openActivity(act.ID)
	pp := activityShown.parts

	wd := pp.showWalkIn("Ana Babić")
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog")
	}
	wd.given.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc in the name field did not close the walk-in dialog")
	}
	if s.current == "activities" {
		t.Fatal("Esc closed the dialog and left the page too")
	}

	pp.showWalkIn("")
	w.Canvas().Unfocus()
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc did not close the walk-in dialog")
	}
	if n := s.store.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("Esc saved %d persons", n)
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s.current != "activities" {
		t.Fatalf("Esc on the page (no dialog) shows %q, want the list", s.current)
	}
}

// Who came for an organisation is chosen in its row from the persons;
// the participation keeps them and the figures count their gender.
func TestActivityRepresentedByPicker(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Poslovni forum", "business_forum", data.NewDate(2026, 11, 20), "Cazin")
	org := &data.Organisation{Name: "Udruženje Bosanaca Beč", OrgKind: "diaspora_association", Country: "AT"}
	if err := s.store.Save(org); err != nil {
		t.Fatal(err)
	}
	amra := addPersonG(t, s, "Amra", "Hodžić", "f")
	s.openActivity(act.ID)
	p := activityShown
	p.parts.add(data.KindOrganisation, org.ID, "attended")
	p.parts.add(data.KindPerson, amra.ID, "registered")
	row := func(title string) int {
		for i := range p.parts.shown {
			if strings.HasPrefix(p.parts.shown[i].title, title) {
				return i
			}
		}
		t.Fatalf("no row %q", title)
		return -1
	}
	if c := cell(p, row("Amra"), pcRepresented); c.rep != nil && c.rep.Visible() {
		t.Error("a person's row offers a representative")
	}
	c := cell(p, row("Udruženje"), pcRepresented)
	if c.rep == nil {
		t.Fatal("an organisation's row has no representative picker")
	}
	found := false
	for _, o := range c.rep.Search("hodzic") {
		found = found || o.Value == amra.ID
	}
	if !found {
		t.Fatal("the picker does not find Amra Hodžić by hodzic")
	}
	c.rep.Pick(widgets.Option{Value: amra.ID, Label: "Amra Hodžić"})
	ps, err := s.store.Participations(act.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rep string
	for _, x := range ps {
		if x.ParticipantID == org.ID {
			rep = x.RepresentedBy
		}
	}
	if rep != amra.ID {
		t.Fatalf("represented by %q, want Amra", rep)
	}
	if !strings.Contains(p.counts.Text, "women 1") {
		t.Errorf("the organisation's attendance does not count its representative's gender: %q", p.counts.Text)
	}
	if got := cell(p, row("Udruženje"), pcRepresented).rep.Selected().Label; got != "Amra Hodžić" {
		t.Errorf("the picker shows %q", got)
	}
	if i := row("Udruženje"); p.parts.cellText(i, pcName) != "Udruženje Bosanaca Beč" || p.parts.cellText(i, pcRepresented) != "Amra Hodžić" {
		t.Errorf("name %q, represented by %q", p.parts.cellText(i, pcName), p.parts.cellText(i, pcRepresented))
	}
	test.Type(p.parts.find, "hodzic") // the list's filter finds the organisation by who came for it
	if len(p.parts.shown) != 2 {
		t.Errorf("filtering by the representative's name shows %d rows", len(p.parts.shown))
	}
	p.parts.find.SetText("")
	// Cleared: nobody recorded.
	cell(p, row("Udruženje"), pcRepresented).rep.Pick(widgets.Option{})
	ps, _ = s.store.Participations(act.ID)
	for _, x := range ps {
		if x.ParticipantID == org.ID && x.RepresentedBy != "" {
			t.Error("clearing the representative kept them")
		}
	}
}
