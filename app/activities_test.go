package app

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/search"
	"registar/data/store"
	"registar/widgets"
)

// addActivity stores an activity directly.
func addActivity(t testing.TB, s *Shell, title, kind string, start data.Date, city string) *data.Activity {
	t.Helper()
	a := &data.Activity{Name: title, ActivityKind: kind, Start: start, ByOffice: true,
		Place: data.Place{Country: "BA", City: city}}
	if kind == "consultation" {
		a.Consultation = &data.Consultation{DraftTitle: "Nacrt strategije za dijasporu"}
	}
	if err := s.store.Save(a); err != nil {
		t.Fatal(err)
	}
	return a
}

// addPersonG stores a person of a gender.
func addPersonG(t testing.TB, s *Shell, given, family, gender string) *data.Person {
	t.Helper()
	p := &data.Person{GivenName: given, FamilyName: family, Country: "AT", City: "Wien",
		Gender: gender, BirthDate: data.NewDate(1980, 5, 1)}
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// cell renders a participants table cell as the table would.
func cell(p *activityPage, row, col int) *partCell {
	c := newPartCell(p.shell)
	p.parts.table.updateCell(widget.TableCellID{Row: row, Col: col}, c)
	return c
}

// participantStatus is what the store holds for a participant.
func participantStatus(t *testing.T, s *Shell, activityID, participantID string) string {
	t.Helper()
	ps, err := s.store.Participations(activityID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ParticipantID == participantID {
			return p.Status
		}
	}
	return ""
}

func TestActivitiesListFiltersAndOrder(t *testing.T) {
	s, _ := newTestShell(t)
	org := &data.Organisation{Name: "Udruženje Bosanaca Beč", OrgKind: "diaspora_association", Country: "AT", City: "Wien"}
	if err := s.store.Save(org); err != nil {
		t.Fatal(err)
	}
	addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	addActivity(t, s, "Javne konsultacije", "consultation", data.NewDate(2026, 3, 1), "Cazin")
	old := addActivity(t, s, "Ljetna škola", "summer_school", data.NewDate(2025, 8, 1), "Sarajevo")
	old.Place.Country = "AT"
	old.OrganiserIDs = []string{org.ID}
	old.ByOffice = false
	if err := s.store.Save(old); err != nil {
		t.Fatal(err)
	}

	s.show("activities")
	a := activitiesShown
	if a == nil {
		t.Fatal("no activities screen")
	}
	var got []string
	for i := range a.rows {
		got = append(got, a.cellText(i, 1))
	}
	if strings.Join(got, "|") != "Dani dijaspore|Javne konsultacije|Ljetna škola" {
		t.Fatalf("list, latest first: %v", got)
	}
	pick := func(sel *widget.Select, values []string, v string) {
		t.Helper()
		i := indexOf(values, v)
		if i < 0 {
			t.Fatalf("no option %q in %v", v, values)
		}
		sel.SetSelectedIndex(i + 1)
	}
	pick(a.kind, a.kinds, "consultation")
	if len(a.rows) != 1 || a.rows[0].Title() != "Javne konsultacije" {
		t.Fatalf("kind filter: %d rows", len(a.rows))
	}
	a.onClearFilters()
	pick(a.year, a.years, "2025")
	if len(a.rows) != 1 || a.rows[0].ID != old.ID {
		t.Fatalf("year filter: %d rows", len(a.rows))
	}
	a.onClearFilters()
	pick(a.org, a.orgs, org.ID)
	if len(a.rows) != 1 || a.rows[0].ID != old.ID {
		t.Fatalf("organiser filter: %d rows", len(a.rows))
	}
	if got := a.cellText(0, 4); got != "Udruženje Bosanaca Beč" {
		t.Fatalf("organisers column: %q", got)
	}
	a.onClearFilters()
	pick(a.org, a.orgs, search.OrganiserOffice)
	if len(a.rows) != 2 {
		t.Fatalf("organised by the office: %d rows", len(a.rows))
	}
	a.onClearFilters()
	pick(a.country, a.countries, "AT")
	if len(a.rows) != 1 || a.rows[0].ID != old.ID {
		t.Fatalf("country filter: %d rows", len(a.rows))
	}
	a.onClearFilters()
	test.Type(a.search, "Бихаћ") // the city, typed in Cyrillic
	if len(a.rows) != 1 || a.rows[0].Title() != "Dani dijaspore" {
		t.Fatalf("search by place in Cyrillic: %d rows", len(a.rows))
	}
	if a.count.Text != "1 found" && !strings.Contains(a.count.Text, "1") {
		t.Fatalf("count: %q", a.count.Text)
	}
	a.onClearFilters()
	a.table.OnSelected(widget.TableCellID{Row: 1, Col: 1})
	if activityShown == nil || activityShown.act.Title() != "Javne konsultacije" {
		t.Fatal("tapping a row does not open the activity")
	}

	s.show("activities")
	test.Tap(findButton(s.content, s.T("activityui.new")))
	if !activityShown.isNew {
		t.Fatal("New activity does not open an empty activity")
	}
}

func TestActivityNewSaveAndEndBeforeStart(t *testing.T) {
	s, _ := newTestShell(t)
	s.openNewActivity()
	p := activityShown
	f := p.form
	in := f.fields["title"].input.(*keyEntry)
	test.Type(in, "Sastanak vijeća dijaspore")
	end := f.fields["end"].input.(*widgets.DateEntry)
	test.Type(end.Entry, "01.01.2020.")
	test.Tap(p.save)
	activities := func() int { return s.store.Index().Count(search.Query{Kind: data.KindActivity}) }
	if n := activities(); n != 0 {
		t.Fatalf("an activity ending before it starts was saved (%d)", n)
	}
	if msg := f.message("end"); msg == "" {
		t.Fatal("no message under the end date")
	}
	end.Entry.SetText("")
	test.Type(f.fields["start_time"].input.(*keyEntry), "18.30")
	test.Tap(p.save)
	if n := activities(); n != 1 {
		t.Fatalf("activities stored: %d (%v)", n, f.statusText())
	}
	np := activityShown
	if np == p || np.isNew || np.parts == nil {
		t.Fatal("after the save the page is not the stored activity's, with its participants")
	}
	if np.act.StartTime != "18:30" || !strings.Contains(np.title.Text, "Sastanak vijeća dijaspore") {
		t.Fatalf("saved: %q at %q", np.title.Text, np.act.StartTime)
	}
	if np.currentTab() != tabParticipants {
		t.Fatalf("after the first save the page shows tab %d", np.currentTab())
	}
}

func TestActivityParticipantsAddMarkRemove(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 11, 20), "Bihać")
	djordje := addPersonG(t, s, "Ђорђе", "Петровић", "m")
	amra := addPersonG(t, s, "Amra", "Hodžić", "f")
	org := &data.Organisation{Name: "Udruženje Bosanaca Beč", OrgKind: "diaspora_association", Country: "AT"}
	if err := s.store.Save(org); err != nil {
		t.Fatal(err)
	}
	s.openActivity(act.ID)
	p := activityShown
	pp := p.parts

	// Script-blind search of the registry: "djordje" finds Ђорђе.
	pp.adder.Open()
	test.Type(pp.adder.SearchEntry(), "djordje")
	res := pp.adder.Results()
	if len(res) != 1 || res[0].Value != djordje.ID {
		t.Fatalf("searching djordje offers %v", res)
	}
	pp.adder.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if st := participantStatus(t, s, act.ID, djordje.ID); st != "attended" {
		t.Fatalf("added on the day of the activity as %q, want attended", st)
	}
	pp.add(data.KindPerson, amra.ID, "registered")
	pp.add(data.KindOrganisation, org.ID, "invited")
	if len(pp.rows) != 3 || pp.cellText(0, pcName) != "Amra Hodžić" {
		t.Fatalf("rows: %d, first %q", len(pp.rows), pp.cellText(0, pcName))
	}
	// The same person again: not twice, the note says so.
	pp.add(data.KindPerson, amra.ID, "attended")
	if len(pp.rows) != 3 || !strings.Contains(pp.note.Text, "Amra Hodžić") {
		t.Fatalf("adding twice: %d rows, note %q", len(pp.rows), pp.note.Text)
	}
	if !strings.Contains(p.counts.Text, "Participants: 3") || !strings.Contains(p.counts.Text, "Attended: 1 (women 0, men 1)") {
		t.Fatalf("counts: %q", p.counts.Text)
	}

	// One click on the row's box marks Amra attended.
	test.Tap(cell(p, 0, pcAttended).mark)
	if st := participantStatus(t, s, act.ID, amra.ID); st != "attended" {
		t.Fatalf("after a click Amra is %q", st)
	}
	if !strings.Contains(p.counts.Text, "Attended: 2 (women 1, men 1)") {
		t.Fatalf("counts after a click: %q", p.counts.Text)
	}
	// A second click undoes it.
	test.Tap(cell(p, 0, pcAttended).mark)
	if st := participantStatus(t, s, act.ID, amra.ID); st != "registered" {
		t.Fatalf("after a second click Amra is %q", st)
	}
	// The keyboard: Down to the second row (the organisation), Space.
	// Rows: Amra Hodžić, Ђорђе Петровић (dorde), Udruženje Bosanaca Beč.
	pp.table.cursor = 0
	pp.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	pp.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	pp.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if st := participantStatus(t, s, act.ID, org.ID); st != "attended" {
		t.Fatalf("Space on the organisation's row: %q", st)
	}
	pp.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	pp.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	pp.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if st := participantStatus(t, s, act.ID, amra.ID); st != "attended" {
		t.Fatalf("Enter on Amra's row: %q", st)
	}
	// The figures at the top are the store's.
	c, err := s.store.ParticipationCounts(act.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "Attended: " + strconv.Itoa(c.ByStatus["attended"]) + " (women " + strconv.Itoa(c.AttendedByGender["f"]) +
		", men " + strconv.Itoa(c.AttendedByGender["m"]) + ", gender not given " + strconv.Itoa(c.AttendedByGender[""]) + ")"
	if !strings.Contains(p.counts.Text, want) {
		t.Fatalf("counts %q, the store says %q", p.counts.Text, want)
	}
	// Role and status from the row's selects.
	cell(p, 0, pcRole).role.SetSelectedIndex(indexOf(data.ParticipationRoles, "speaker"))
	cell(p, 1, pcStatus).status.SetSelectedIndex(indexOf(data.ParticipationStatuses, "excused"))
	ps, _ := s.store.Participations(act.ID)
	for _, x := range ps {
		if x.ParticipantID == amra.ID && x.Role != "speaker" {
			t.Fatalf("Amra's role: %q", x.Role)
		}
	}
	if st := participantStatus(t, s, act.ID, djordje.ID); st != "excused" {
		t.Fatalf("Đorđe's status from the select: %q", st)
	}
	// The filter of the list is blind to script.
	test.Type(pp.find, "petrovic")
	if len(pp.shown) != 1 || pp.shown[0].p.ParticipantID != djordje.ID {
		t.Fatalf("filter petrovic shows %d rows", len(pp.shown))
	}
	pp.find.SetText("")

	// Remove (after asking): the participation goes to the trash.
	pp.removeNow(pp.rows[0])
	ps, _ = s.store.Participations(act.ID)
	if len(ps) != 2 || len(pp.rows) != 2 || !strings.Contains(p.counts.Text, "Participants: 2") {
		t.Fatalf("after removing: store %d, rows %d, counts %q", len(ps), len(pp.rows), p.counts.Text)
	}
	// Reopened, the page shows what the store has.
	s.openActivity(act.ID)
	if got := len(activityShown.parts.rows); got != 2 {
		t.Fatalf("reopened: %d participants", got)
	}
}

func TestActivityWalkInAddsAPersonAsAttended(t *testing.T) {
	s, w := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 11, 20), "Bihać")
	s.openActivity(act.ID)
	pp := activityShown.parts

	// Typed in the adder and not found: offered as a new person.
	pp.adder.Open()
	test.Type(pp.adder.SearchEntry(), "Ana Babić")
	if label, _ := pp.adder.Offered(); !strings.Contains(label, "Ana Babić") {
		t.Fatalf("the adder offers %q", label)
	}
	pp.adder.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	wd := walkInShown
	if wd == nil || wd.given.Text != "Ana" || wd.family.Text != "Babić" {
		t.Fatal("the walk-in dialog does not carry the name typed")
	}
	wd.gender.SetSelectedIndex(indexOf(data.Genders, "f") + 1)
	wd.country.Pick(widgets.Option{Value: "DE", Label: "Germany"})
	test.Tap(wd.add) // no date of birth: the model requires it
	if n := s.store.Counts()[data.KindPerson]; n != 0 || !wd.msg.Visible() {
		t.Fatalf("saved without a date of birth (%d), message %q", n, wd.msg.Text)
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("the dialog closed on an error")
	}
	test.Type(wd.birth.Entry, "12.03.1985.")
	test.Tap(wd.add)
	if n := s.store.Counts()[data.KindPerson]; n != 1 {
		t.Fatalf("persons: %d (%q)", n, wd.msg.Text)
	}
	if len(pp.rows) != 1 || pp.rows[0].title != "Ana Babić" || pp.rows[0].p.Status != "attended" {
		t.Fatalf("walk-in row: %+v", pp.rows)
	}
	if !strings.Contains(activityShown.counts.Text, "Attended: 1 (women 1, men 0)") {
		t.Fatalf("counts: %q", activityShown.counts.Text)
	}
}

func TestActivityInviteFromTheList(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Poslovni forum", "business_forum", data.NewDate(2026, 12, 20), "Cazin")
	addPerson(t, s, "Amra", "Hodžić", "DE")
	addPerson(t, s, "Berat", "Çelik", "CH")
	addPerson(t, s, "Ђорђе", "Петровић", "DE")
	l := list(t, s, data.KindPerson)
	l.setFilters([]search.Facet{{Name: search.FacetCountry, Value: "DE"}})
	if n := len(l.table.Hits()); n != 2 {
		t.Fatalf("filtered list: %d", n)
	}
	var picker *widgets.Picker
	var status *widget.Select
	var d *dialog.FormDialog
	inviteShown = func(p *widgets.Picker, st *widget.Select, fd *dialog.FormDialog) { picker, status, d = p, st, fd }
	defer func() { inviteShown = nil }()
	b := findButton(l.ui, s.T("activityui.invite.button"))
	if b == nil || !b.Visible() {
		t.Fatal("the persons list has no invite button")
	}
	test.Tap(b)
	if d == nil {
		t.Fatal("no invitation dialog")
	}
	picker.Open()
	test.Type(picker.SearchEntry(), "forum")
	if len(picker.Results()) != 1 {
		t.Fatalf("activities found: %v", picker.Results())
	}
	picker.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if status.SelectedIndex() != 0 {
		t.Fatal("the status does not default to invited")
	}
	d.Submit()
	ps, err := s.store.Participations(act.ID)
	if err != nil || len(ps) != 2 {
		t.Fatalf("participations after the invitation: %d, %v", len(ps), err)
	}
	for _, p := range ps {
		if p.Status != "invited" {
			t.Fatalf("status %q", p.Status)
		}
	}
	if b := findButton(list(t, s, data.KindLocality).ui, s.T("activityui.invite.button")); b != nil && b.Visible() {
		t.Fatal("the localities list offers invitations")
	}
}

func TestActivityListedOnAPersonsPage(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	addActivity(t, s, "Other", "meeting", data.NewDate(2026, 7, 21), "Bihać")
	p := addPerson(t, s, "Amra", "Hodžić", "DE")
	if _, err := s.store.SetParticipation(&data.Participation{ActivityID: act.ID, ParticipantKind: data.KindPerson,
		ParticipantID: p.ID, Status: "attended"}); err != nil {
		t.Fatal(err)
	}
	s.openRecord(p.ID)
	b := findButton(s.content, "20.07.2026.  Dani dijaspore · "+data.ValueLabel(data.GroupParticipation, "attended", s.lang))
	if b == nil {
		t.Fatal("the person's page does not list the activity")
	}
	if findButton(s.content, "21.07.2026.  Other") != nil {
		t.Fatal("an activity the person did not take part in is listed")
	}
	test.Tap(b)
	if activityShown == nil || activityShown.act.ID != act.ID {
		t.Fatal("the button does not open the activity")
	}
}

func TestUpcomingActivitiesOnHome(t *testing.T) {
	s, _ := newTestShell(t) // today is 20.11.2026
	addActivity(t, s, "Past", "meeting", data.NewDate(2026, 11, 1), "Bihać")
	addActivity(t, s, "Later", "meeting", data.NewDate(2027, 2, 1), "Bihać")
	addActivity(t, s, "Today", "meeting", data.NewDate(2026, 11, 20), "Bihać")
	addActivity(t, s, "Soon", "meeting", data.NewDate(2026, 12, 5), "Cazin")
	var got []string
	for _, a := range upcomingActivities(s, 10) {
		got = append(got, a.Title())
	}
	if strings.Join(got, ",") != "Today,Soon,Later" {
		t.Fatalf("upcoming: %v", got)
	}
	s.showNow("home")
	b := findButton(s.content, "05.12.2026.  Soon · Cazin, Bosnia & Herzegovina")
	if b == nil {
		b = findButton(s.content, "05.12.2026.  Soon · Cazin, Bosnia and Herzegovina")
	}
	if b == nil {
		t.Fatal("home does not list the upcoming activity")
	}
	test.Tap(b)
	if activityShown == nil || activityShown.act.Title() != "Soon" {
		t.Fatal("the home card does not open the activity")
	}
}

func TestConsultationCommentsAndResponses(t *testing.T) {
	s, _ := newTestShell(t)
	org := &data.Organisation{Name: "Centar civilnih inicijativa", OrgKind: "cso", Country: "BA"}
	if err := s.store.Save(org); err != nil {
		t.Fatal(err)
	}
	act := addActivity(t, s, "Konsultacije o strategiji", "consultation", data.NewDate(2026, 10, 1), "Bihać")
	s.openActivity(act.ID)
	p := activityShown
	if p.cons == nil || p.consT == nil {
		t.Fatal("a consultation has no consultation tab")
	}
	cp := p.cons
	p.tabs.Select(p.consT)
	cp.onAddComment()
	if cp.sel != 0 || !cp.editor.Visible() {
		t.Fatal("a new comment is not in the editor")
	}
	cp.from.Open()
	test.Type(cp.from.SearchEntry(), "centar civ")
	cp.from.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(cp.article, "Član 5.")
	test.Type(cp.text, "Predlažemo da se rok produži na 60 dana.")
	cp.response.SetSelectedIndex(indexOf(data.CommentResponses, "partly") + 1)
	test.Type(cp.reason, "Rok je produžen na 45 dana.")
	if got := cp.cellText(0, 4); got != data.ValueLabel(data.GroupCommentResponse, "partly", s.lang) {
		t.Fatalf("response column: %q", got)
	}
	if !p.form.dirty {
		t.Fatal("editing a comment does not mark the page changed")
	}
	// The draft's title is required: emptied, the save is refused with a
	// message under it.
	title := p.form.fields["consultation"].input.(*keyEntry)
	title.SetText("")
	test.Tap(p.save)
	if msg := p.form.message("consultation"); msg == "" {
		t.Fatal("no message for the empty draft title")
	}
	test.Type(title, "Strategija saradnje s dijasporom")
	test.Tap(p.save)
	r, err := s.store.Get(act.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := r.(*data.Activity).Consultation
	if c == nil || len(c.Comments) != 1 {
		t.Fatalf("stored consultation: %+v", c)
	}
	cm := c.Comments[0]
	if cm.ID == "" || cm.FromID != org.ID || cm.FromKind != data.KindOrganisation || cm.Article != "Član 5." ||
		cm.Response != "partly" || cm.Reason != "Rok je produžen na 45 dana." || c.DraftTitle != "Strategija saradnje s dijasporom" {
		t.Fatalf("stored comment: %+v", cm)
	}
	if activityShown.currentTab() != tabConsultation {
		t.Fatal("after the save the page left the consultation tab")
	}
	// Removing the comment.
	cp = activityShown.cons
	cp.selectComment(0)
	cp.removeComment(0)
	test.Tap(activityShown.save)
	r, _ = s.store.Get(act.ID)
	if n := len(r.(*data.Activity).Consultation.Comments); n != 0 {
		t.Fatalf("comments after removing: %d", n)
	}
}

func TestConsultationTabFollowsTheKind(t *testing.T) {
	s, _ := newTestShell(t)
	s.openNewActivity()
	p := activityShown
	kind := p.form.fields["activity_kind"].input.(*widget.Select)
	kind.SetSelectedIndex(indexOf(data.ActivityKinds, "consultation"))
	if p.consT == nil || p.act.Consultation == nil {
		t.Fatal("choosing consultation adds no consultation tab")
	}
	kind.SetSelectedIndex(indexOf(data.ActivityKinds, "meeting"))
	if p.consT != nil || p.act.Consultation != nil {
		t.Fatal("an empty consultation stays with a meeting")
	}
}

// BenchmarkActivityOpen opens an activity of 2,000 participants (the
// participations, their persons, the form, the table and the figures, laid
// out in a 1366×768 window), and BenchmarkActivityMark marks one attended
// and back (a click each: the store's write and the row and figures
// redrawn). Besides the wall time they report the UI thread's CPU time
// (cpu-ms/op), which a machine busy with other work disturbs less.
func BenchmarkActivityOpen(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s, act := benchActivity(b, 2000)
	b.ResetTimer()
	c0 := threadCPU()
	for b.Loop() {
		s.showActivity(act, false, tabParticipants)
	}
	b.ReportMetric(float64(threadCPU()-c0)/float64(b.N)/1e6, "cpu-ms/op")
	if n := len(activityShown.parts.rows); n != 2000 {
		b.Fatalf("rows: %d", n)
	}
}

func BenchmarkActivityMark(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s, act := benchActivity(b, 2000)
	p := s.showActivity(act, false, tabParticipants)
	r := p.parts.rows[1000]
	b.ResetTimer()
	c0 := threadCPU()
	for b.Loop() {
		p.parts.toggle(r)
	}
	b.ReportMetric(float64(threadCPU()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

func benchActivity(b *testing.B, n int) (*Shell, *data.Activity) {
	a := test.NewTempApp(b)
	a.Preferences().SetString(prefLang, "bs")
	st, err := store.Open(b.TempDir(), store.Options{User: "clerk"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	w := a.NewWindow("Registar")
	w.Resize(fyne.NewSize(1366, 768))
	s := New(a, w, st)
	s.inline = true
	act := addActivity(b, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	recs := make([]data.Record, 0, n)
	genders := []string{"f", "m"}
	for i := 0; i < n; i++ {
		recs = append(recs, &data.Person{GivenName: "Osoba" + strconv.Itoa(i), FamilyName: "Prezime" + strconv.Itoa(i%97),
			Country: "DE", Gender: genders[i%2], BirthDate: data.NewDate(1970+i%30, 1, 1)})
	}
	ids := make([]string, 0, n)
	for _, r := range recs {
		if err := s.store.Save(r); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, r.Base().ID)
	}
	if _, err := s.store.Invite(act.ID, data.KindPerson, ids, "registered"); err != nil {
		b.Fatal(err)
	}
	return s, act
}

func TestActivityPageNavigationLeadsBackToTheList(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	s.show("activities")
	s.openActivity(act.ID)
	if !s.onPage {
		t.Fatal("the activity is not shown as a page")
	}
	s.nav.Select(screenIndex("activities")) // a tap on the navigation's entry
	if s.onPage || s.current != "activities" || activitiesShown == nil {
		t.Fatal("the navigation's Activities entry does not lead back to the list")
	}
}

func TestActivityOpenedAsARecordShowsItsPage(t *testing.T) {
	s, _ := newTestShell(t)
	act := addActivity(t, s, "Dani dijaspore", "cultural", data.NewDate(2026, 7, 20), "Bihać")
	activityShown = nil
	s.openRecord(act.ID) // from the trash, a link, a search
	if activityShown == nil || activityShown.act.ID != act.ID || activityShown.parts == nil {
		t.Fatal("opening an activity as a record does not show the activity's page")
	}
}
