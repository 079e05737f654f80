package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/exchange"
	"registar/data/search"
)

// signInSheet is a sign-in sheet typed up after a council session, in
// Serbian Cyrillic: two persons the registry has in Latin letters, one it
// lacks, and one who signed twice. No status column: all attended.
const signInSheet = "Р. бр.;Име и презиме;Датум рођења;Држава;Потпис\n" +
	"1;Марко Петровић;01.05.1980.;Аустрија;\n" +
	"2;Јелена Јовановић;01.05.1980.;Аустрија;\n" +
	"3;Драган Николић;12.03.1985.;Немачка;\n" +
	"4;Марко Петровић;01.05.1980.;;\n"

// importAs reads a sheet into the screen and takes it as the kind.
func importAs(t *testing.T, s *Shell, sheet, name string, k data.Kind) *exchangeScreen {
	t.Helper()
	x := exchangeOf(t, s)
	x.load(strings.NewReader(sheet), name)
	if x.sheet == nil {
		t.Fatalf("%s was not read (status %q)", name, x.statusLabel.Text)
	}
	if !containsString(x.kindSel.Options, x.kindLabel(k)) {
		t.Fatalf("the kind choice has no %q: %q", x.kindLabel(k), x.kindSel.Options)
	}
	x.kindSel.SetSelected(x.kindLabel(k))
	if x.mapping.Kind != k {
		t.Fatalf("taken as %q, want %q", x.mapping.Kind, k)
	}
	return x
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// pickActivity types into the activity picker's search and picks the one
// option it finds.
func pickActivity(t *testing.T, x *exchangeScreen, text string) {
	t.Helper()
	if !x.acts.box.Visible() {
		t.Fatal("the activity chooser is not shown")
	}
	opts := x.acts.picker.Search(text)
	if len(opts) != 1 {
		t.Fatalf("searching %q finds %v, want one activity", text, opts)
	}
	x.acts.picker.Pick(opts[0])
}

func TestExchangeParticipantsSignInSheetCyrillic(t *testing.T) {
	s, _ := newTestShell(t)
	marko := addPersonG(t, s, "Marko", "Petrović", "m")
	jelena := addPersonG(t, s, "Jelena", "Jovanović", "f")
	a := addActivity(t, s, "Sjednica savjeta dijaspore", "session", data.NewDate(2026, 4, 4), "Beograd")
	addActivity(t, s, "Ljetna škola", "summer_school", data.NewDate(2026, 7, 1), "Cazin")

	x := importAs(t, s, signInSheet, "potpisi.csv", data.KindParticipation)
	if x.plan != nil {
		t.Fatal("previewed before an activity was chosen")
	}
	pickActivity(t, x, "sjednica") // script-blind: the picker searches the index
	if x.plan == nil {
		t.Fatalf("no preview after choosing the activity (status %q)", x.statusLabel.Text)
	}
	wantCounts(t, x, map[string]string{"rows": "4", "added": "3", "duplicates": "1", "rejected": "0"})
	info := x.acts.info.Text
	if !x.acts.info.Visible() || !strings.Contains(info, "sign-in sheet") || !strings.Contains(info, "(1)") {
		t.Errorf("the preview does not say it is a sign-in sheet with one new person: %q", info)
	}
	dup := x.plan.Rows[3]
	if dup.Action != exchange.Duplicate || dup.SameAsRow != 2 {
		t.Errorf("row 4 (Marko again): %+v", dup)
	}
	if !hasText(x.ui, "Same person as row 2: one participation.") && !strings.Contains(strings.Join(dup.Reasons, ""), "row 2") {
		t.Errorf("row 4 does not say it is the same person as row 2: %q", dup.Reasons)
	}
	if x.importBtn.Disabled() {
		t.Fatal("Import is disabled")
	}
	test.Tap(x.importBtn)
	if x.result == nil || x.result.Step == "" {
		t.Fatalf("nothing imported (status %q)", x.statusLabel.Text)
	}
	for _, p := range []*data.Person{marko, jelena} {
		if got := participantStatus(t, s, a.ID, p.ID); got != "attended" {
			t.Errorf("%s: %q, want attended", p.Title(), got)
		}
	}
	res := s.store.Search(search.Query{Kind: data.KindPerson, Text: "nikolic"})
	if len(res.Hits) != 1 {
		t.Fatalf("the unmatched participant was not added as a person: %v", res.Hits)
	}
	if got := participantStatus(t, s, a.ID, res.Hits[0].ID); got != "attended" {
		t.Errorf("the new person: %q, want attended", got)
	}
	if ps, _ := s.store.Participations(a.ID); len(ps) != 3 {
		t.Errorf("participations: %d, want 3", len(ps))
	}
	if !x.canUndoLast || x.undoBtn.Disabled() {
		t.Error("the import cannot be undone")
	}
}

func TestExchangeParticipantsRefusedWithoutActivity(t *testing.T) {
	s, _ := newTestShell(t)
	s.setLang("bs")
	addActivity(t, s, "Sjednica savjeta dijaspore", "session", data.NewDate(2026, 4, 4), "Beograd")
	x := importAs(t, s, signInSheet, "potpisi.csv", data.KindParticipation)
	want := s.T("activityxui.need.activity")
	if x.plan != nil {
		t.Fatal("a participants sheet was previewed with no activity chosen")
	}
	if x.statusLabel.Text != want {
		t.Errorf("status line %q, want %q", x.statusLabel.Text, want)
	}
	if !x.acts.hint.Visible() || x.acts.hint.Text != want {
		t.Errorf("the chooser's hint: %q", x.acts.hint.Text)
	}
	if !x.importBtn.Disabled() {
		t.Error("Import is enabled with no activity")
	}
	if x.dupBox.Visible() {
		t.Error("the duplicates choice is shown for participants")
	}
	// Persons again: the chooser goes away.
	x.kindSel.SetSelected(x.kindLabel(data.KindPerson))
	if x.acts.box.Visible() {
		t.Error("the activity chooser is shown for persons")
	}
}

func TestExchangeCommentsIntoConsultation(t *testing.T) {
	s, _ := newTestShell(t)
	most := &data.Organisation{Name: "Udruženje Most", OrgKind: "cso", Country: "BA"}
	if err := s.store.Save(most); err != nil {
		t.Fatal(err)
	}
	c := addActivity(t, s, "Konsultacije o strategiji", "consultation", data.NewDate(2026, 3, 1), "Bihać")
	addActivity(t, s, "Konsultativni sastanak", "meeting", data.NewDate(2026, 3, 2), "Bihać")
	sheet := "Organizacija;Datum;Član;Komentar\n" +
		"Udruzenje Most;10.03.2026.;Član 5;Dodati rok za odgovor.\n" +
		"Udruga Novi most;11.03.2026.;Član 7;Uključiti mlade iz dijaspore.\n"
	x := importAs(t, s, sheet, "komentari.csv", exchange.KindComment)
	if x.plan != nil {
		t.Fatal("previewed before a consultation was chosen")
	}
	// Only consultations are offered: "konsult" finds one, not the meeting.
	pickActivity(t, x, "konsult")
	if x.plan == nil {
		t.Fatalf("no preview (status %q)", x.statusLabel.Text)
	}
	wantCounts(t, x, map[string]string{"rows": "2", "added": "2", "rejected": "0"})
	if !strings.Contains(x.acts.info.Text, "Udruga Novi most") {
		t.Errorf("the new sender is not named: %q", x.acts.info.Text)
	}
	test.Tap(x.importBtn)
	if x.result == nil {
		t.Fatalf("nothing imported (status %q)", x.statusLabel.Text)
	}
	r, err := s.store.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := r.(*data.Activity).Consultation.Comments
	if len(got) != 2 || got[0].FromID != most.ID || got[0].Article != "Član 5" {
		t.Errorf("comments: %+v", got)
	}
	if res := s.store.Search(search.Query{Kind: data.KindOrganisation}); len(res.Hits) != 2 {
		t.Errorf("organisations: %v, want the new sender added", res.Hits)
	}
}

func TestExchangeParticipantsExport(t *testing.T) {
	s, _ := newTestShell(t)
	marko := addPersonG(t, s, "Marko", "Petrović", "m")
	jelena := addPersonG(t, s, "Jelena", "Jovanović", "f")
	a := addActivity(t, s, "Sjednica savjeta dijaspore", "session", data.NewDate(2026, 4, 4), "Beograd")
	for _, p := range []struct {
		id, status string
	}{{marko.ID, "attended"}, {jelena.ID, "excused"}} {
		if _, err := s.store.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantKind: data.KindPerson,
			ParticipantID: p.id, Status: p.status}); err != nil {
			t.Fatal(err)
		}
	}
	x := exchangeOf(t, s)
	path := answerSave(t, "ucesnici")
	x.exportParticipants(a.ID)
	rows := sheetRows(t, path)
	if len(rows) != 3 {
		t.Fatalf("rows: %q", rows)
	}
	got := map[string]bool{}
	for _, r := range rows[1:] {
		got[strings.Join(r, "|")] = true
	}
	for _, want := range []string{"Marko|Petrović", "Jelena|Jovanović"} {
		found := false
		for line := range got {
			if strings.Contains(line, want) {
				found = true
				if want == "Marko|Petrović" && !strings.Contains(line, "Attended") {
					t.Errorf("Marko's row has no status: %q", line)
				}
			}
		}
		if !found {
			t.Errorf("no row for %s in %q", want, rows)
		}
	}
	// The activities' export has the activity.
	path = answerSave(t, "aktivnosti")
	x.exportActivities()
	if rows := sheetRows(t, path); len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "Sjednica savjeta dijaspore") {
		t.Errorf("activities export: %q", rows)
	}
}

func TestExchangeParticipantsFromActivityPage(t *testing.T) {
	s, _ := newTestShell(t)
	marko := addPersonG(t, s, "Marko", "Petrović", "m")
	addPersonG(t, s, "Jelena", "Jovanović", "f")
	a := addActivity(t, s, "Sjednica savjeta dijaspore", "session", data.NewDate(2026, 4, 4), "Beograd")
	file := filepath.Join(t.TempDir(), "potpisi.csv")
	if err := os.WriteFile(file, []byte(signInSheet), 0o600); err != nil {
		t.Fatal(err)
	}
	old := exchangeOpenFile
	exchangeOpenFile = func(_ *Shell, _ []string, cb func(fyne.URIReadCloser, error)) {
		cb(storage.Reader(storage.NewFileURI(file)))
	}
	t.Cleanup(func() { exchangeOpenFile = old })

	s.importParticipants(a.ID) // what the activity page's "Import sign-in sheet…" calls
	x := exchangeScreens[s]
	if s.current != "exchange" || x == nil || x.sheet == nil {
		t.Fatal("the Import screen did not open with the sheet")
	}
	if x.mapping.Kind != data.KindParticipation || x.acts.chosen.Value != a.ID || x.plan == nil {
		t.Fatalf("taken as %q for %q, previewed %v", x.mapping.Kind, x.acts.chosen.Label, x.plan != nil)
	}
	test.Tap(x.importBtn)
	if got := participantStatus(t, s, a.ID, marko.ID); got != "attended" {
		t.Errorf("Marko: %q", got)
	}
}
