package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

func activity(title string) *data.Activity {
	return &data.Activity{Name: title, ActivityKind: "cultural", Start: data.NewDate(2026, 7, 12),
		End: data.NewDate(2026, 7, 13), StartTime: "18:00", ByOffice: true,
		Place: data.Place{Country: "AT", City: "Wien"}, Tags: []string{"ljeto"}}
}

func saveAll(t *testing.T, s *Store, recs ...data.Record) {
	t.Helper()
	for _, r := range recs {
		if err := s.Save(r); err != nil {
			t.Fatalf("save %s: %v", r.Title(), err)
		}
	}
}

func TestActivitySavesVersionsTrashesRestores(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{User: "amra"})
	a := activity("Dani dijaspore")
	saveAll(t, s, a)
	if a.ID == "" || a.Version != 1 || a.Kind != data.KindActivity {
		t.Fatalf("meta after create: %+v", a.Meta)
	}
	a.Description = "Koncert i izložba"
	saveAll(t, s, a)
	got, err := s.Get(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.(*data.Activity); g.Version != 2 || g.Description != "Koncert i izložba" || g.Place.City != "Wien" {
		t.Fatalf("stored: %+v", g)
	}
	h, err := s.History(a.ID)
	if err != nil || len(h) != 2 || strings.Join(h[1].Changed, ",") != "description" {
		t.Fatalf("history: %+v %v", h, err)
	}
	if err := s.Trash(a.ID); err != nil {
		t.Fatal(err)
	}
	if n := s.Search(search.Query{Kind: data.KindActivity}).Total; n != 0 {
		t.Fatalf("trashed activity listed: %d", n)
	}
	if n := s.Search(search.Query{Kind: data.KindActivity, Trash: search.TrashOnly}).Total; n != 1 {
		t.Fatalf("trash lists %d activities", n)
	}
	if err := s.Restore(a.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(a.ID)
	if got.Base().Trashed() || got.Base().Version != 4 {
		t.Fatalf("after restore: %+v", got.Base())
	}
	if n := s.Search(search.Query{Kind: data.KindActivity}).Total; n != 1 {
		t.Fatalf("restored activity not listed: %d", n)
	}
}

func TestActivityEndBeforeStartRefused(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{Lang: i18n.BS})
	a := activity("Ljetna škola")
	a.End = data.NewDate(2026, 7, 1)
	err := s.Save(a)
	var ve *data.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Field != "end" {
		t.Fatalf("want a refusal naming end, got %v", err)
	}
	if msg := ve.Errors[0].Message; !strings.Contains(msg, "Datum završetka") || !strings.Contains(msg, "01.07.2026.") {
		t.Fatalf("message: %q", msg)
	}
	if a.ID != "" {
		t.Fatalf("refused save kept an ID")
	}
}

// people saves n persons, every other one a woman.
func people(t testing.TB, s *Store, n int) []string {
	t.Helper()
	recs := make([]data.Record, n)
	ids := make([]string, n)
	for i := range recs {
		p := person(fmt.Sprintf("Osoba%04d", i), "Hodžić")
		if i%2 == 0 {
			p.Gender = "f"
		}
		p.Phone = ""
		recs[i] = p
	}
	if _, err := s.Apply(context.Background(), Step{Action: StepDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		ids[i] = r.Base().ID
	}
	return ids
}

func TestSetParticipationOneRecordPerPerson(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	a := activity("Sastanak")
	saveAll(t, s, a)
	ids := people(t, s, 2)
	p1, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[0], Status: "registered"})
	if err != nil {
		t.Fatal(err)
	}
	if p1.ID != data.ParticipationID(a.ID, ids[0]) || p1.Version != 1 || p1.ParticipantKind != data.KindPerson {
		t.Fatalf("created: %+v", p1)
	}
	p2, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[0], Status: "attended", Role: "speaker"})
	if err != nil {
		t.Fatal(err)
	}
	if p2.ID != p1.ID || p2.Version != 2 || p2.Status != "attended" {
		t.Fatalf("updated: %+v", p2)
	}
	// The same again writes nothing.
	p3, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[0], Status: "attended", Role: "speaker"})
	if err != nil || p3.Version != 2 {
		t.Fatalf("same again: %+v %v", p3, err)
	}
	ps, err := s.Participations(a.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("participations: %d %v", len(ps), err)
	}
	// Removing is trashing; setting again restores.
	if err := s.Trash(p1.ID); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.Participations(a.ID); len(ps) != 0 {
		t.Fatalf("trashed participation listed")
	}
	p4, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[0], Status: "attended"})
	if err != nil || p4.Trashed() || p4.Version != 4 {
		t.Fatalf("restore: %+v %v", p4, err)
	}
	if ps, _ := s.Participations(a.ID); len(ps) != 1 || ps[0].Role != "" {
		t.Fatalf("restored: %+v", ps)
	}
	if ps, _ := s.ParticipationsOf(ids[0]); len(ps) != 1 || ps[0].ActivityID != a.ID {
		t.Fatalf("participations of person: %+v", ps)
	}
}

func TestParticipantTrashedOrErasedRefused(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{Lang: i18n.BS})
	a := activity("Sastanak")
	saveAll(t, s, a)
	ids := people(t, s, 3)
	if err := s.Trash(ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := s.Erase(ids[2]); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids[1:] {
		_, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantKind: data.KindPerson, ParticipantID: id, Status: "attended"})
		var ve *data.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Field != "participant_id" || !strings.Contains(ve.Errors[0].Message, "Učesnik") {
			t.Fatalf("participant %d: want a refusal naming participant_id, got %v", i+1, err)
		}
		if i == 0 && !strings.Contains(ve.Errors[0].Message, "Osoba0001 Hodžić") {
			t.Errorf("trashed: message does not name the person: %q", ve.Errors[0].Message)
		}
	}
	_, err := s.Invite(a.ID, data.KindPerson, []string{ids[0], ids[1]}, "")
	var ie *InviteError
	if !errors.As(err, &ie) || ie.Row != 2 || !strings.HasPrefix(err.Error(), "Red 2: ") {
		t.Fatalf("invite: want row 2 refused, got %v", err)
	}
	if ps, _ := s.Participations(a.ID); len(ps) != 0 {
		t.Fatalf("refused invite wrote %d participations", len(ps))
	}
	if _, err := s.SetParticipation(&data.Participation{ActivityID: "nope", ParticipantID: ids[0]}); err == nil {
		t.Fatal("participation in a missing activity accepted")
	}
}

func TestInviteIsOneUndoableStep(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	a := activity("Forum")
	saveAll(t, s, a)
	ids := people(t, s, 2000)
	// One already in, one in the trash, one given twice.
	if _, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[0], Status: "attended"}); err != nil {
		t.Fatal(err)
	}
	gone, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[1], Status: "registered"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Trash(gone.ID); err != nil {
		t.Fatal(err)
	}
	added, err := s.Invite(a.ID, data.KindPerson, append(ids, ids[5]), "")
	if err != nil || added != 1999 {
		t.Fatalf("invite: %d %v", added, err)
	}
	step, err := s.LastStep(StepInvite)
	if err != nil || step.Counts["invited"] != 1999 {
		t.Fatalf("step: %+v %v", step, err)
	}
	c, err := s.ParticipationCounts(a.ID)
	if err != nil || c.Total != 2000 || c.ByStatus["invited"] != 1999 || c.ByStatus["attended"] != 1 {
		t.Fatalf("counts after invite: %+v %v", c, err)
	}
	if _, err := s.Undo(context.Background(), step.Key); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Participations(a.ID)
	if err != nil || len(ps) != 1 || ps[0].ParticipantID != ids[0] || ps[0].Status != "attended" {
		t.Fatalf("after undo: %d %v", len(ps), err)
	}
	r, err := s.Get(gone.ID)
	if err != nil || !r.Base().Trashed() {
		t.Fatalf("undo did not put the trashed participation back in the trash: %v", err)
	}
}

func TestParticipationCounts(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	a := activity("Sastanak")
	org := &data.Organisation{Name: "KUD Bosna", OrgKind: "cultural", Country: "AT"}
	saveAll(t, s, a, org)
	ids := people(t, s, 6) // 0, 2, 4 women
	set := func(id, status string) {
		t.Helper()
		if _, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: id, Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	set(ids[0], "attended")
	set(ids[1], "attended")
	set(ids[2], "attended")
	set(ids[3], "excused")
	set(ids[4], "absent")
	set(ids[5], "invited")
	if _, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantKind: data.KindOrganisation,
		ParticipantID: org.ID, RepresentedBy: ids[4], Status: "attended"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.ParticipationCounts(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"attended": 4, "excused": 1, "absent": 1, "invited": 1}
	if fmt.Sprint(c.ByStatus) != fmt.Sprint(want) || c.Total != 7 {
		t.Fatalf("by status: %v total %d", c.ByStatus, c.Total)
	}
	if fmt.Sprint(c.AttendedByGender) != fmt.Sprint(map[string]int{"f": 3, "m": 1}) {
		t.Fatalf("attended by gender: %v", c.AttendedByGender)
	}
	ps, _ := s.Participations(a.ID)
	if len(ps) != 7 || ps[0].ParticipantID != org.ID || ps[1].ParticipantID != ids[0] {
		t.Fatalf("not in title order: %+v", ps)
	}
}

func TestEraseRemovesParticipations(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	a, b := activity("Sastanak"), activity("Koncert")
	saveAll(t, s, a, b)
	ids := people(t, s, 3)
	for _, act := range []string{a.ID, b.ID} {
		for _, id := range ids {
			if _, err := s.SetParticipation(&data.Participation{ActivityID: act, ParticipantID: id, Status: "attended"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, _ := s.Get(a.ID)
	other, _ := s.Get(data.ParticipationID(a.ID, ids[1]))
	if err := s.Erase(ids[0]); err != nil {
		t.Fatal(err)
	}
	for _, act := range []string{a.ID, b.ID} {
		ps, err := s.Participations(act)
		if err != nil || len(ps) != 2 {
			t.Fatalf("participations after erase: %d %v", len(ps), err)
		}
		for _, p := range ps {
			if p.ParticipantID == ids[0] {
				t.Fatal("erased person still a participant")
			}
		}
		c, _ := s.ParticipationCounts(act)
		if c.Total != 2 || c.ByStatus["attended"] != 2 || c.AttendedByGender["f"]+c.AttendedByGender["m"] != 2 {
			t.Fatalf("counts after erase: %+v", c)
		}
	}
	if _, err := s.Get(data.ParticipationID(a.ID, ids[0])); !errors.Is(err, ErrErased) {
		t.Fatalf("participation of the erased person: %v", err)
	}
	if ps, _ := s.ParticipationsOf(ids[0]); len(ps) != 0 {
		t.Fatalf("erased person has %d participations", len(ps))
	}
	// Nothing else was rewritten.
	after, _ := s.Get(a.ID)
	if after.Base().Version != before.Base().Version {
		t.Fatalf("activity rewritten: version %d → %d", before.Base().Version, after.Base().Version)
	}
	o2, _ := s.Get(other.Base().ID)
	if o2.Base().Version != other.Base().Version {
		t.Fatalf("another participation rewritten")
	}
	// Erasing an activity erases its participations.
	if err := s.Erase(b.ID); err != nil {
		t.Fatal(err)
	}
	if n := s.Search(search.Query{Kind: data.KindParticipation, Trash: search.TrashInclude}).Total; n != 2 {
		t.Fatalf("participations left after erasing the activity: %d, want 2", n)
	}
}

func TestEraseOrganiserUnlinksActivity(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	org := &data.Organisation{Name: "Savez", OrgKind: "umbrella", Country: "DE"}
	saveAll(t, s, org)
	p := people(t, s, 1)[0]
	a := activity("Konsultacije o strategiji")
	a.ActivityKind = "consultation"
	a.OrganiserIDs = []string{org.ID}
	a.Consultation = &data.Consultation{DraftTitle: "Strategija", Comments: []data.Comment{
		{ID: "c1", FromKind: data.KindOrganisation, FromID: org.ID, Text: "Član 5 dopuniti."},
		{ID: "c2", FromKind: data.KindPerson, FromID: p, Text: "Slažem se."}}}
	saveAll(t, s, a)
	if err := s.Erase(org.ID); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Get(a.ID)
	got := r.(*data.Activity)
	if len(got.OrganiserIDs) != 0 || got.Consultation.Comments[0].FromID != "" || got.Consultation.Comments[0].Text == "" ||
		got.Consultation.Comments[1].FromID != p {
		t.Fatalf("after erasing the organiser: %+v %+v", got.OrganiserIDs, got.Consultation.Comments)
	}
}

func TestParticipationsNotFoundByText(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	a := activity("Sastanak")
	saveAll(t, s, a)
	ids := people(t, s, 1)
	p, err := s.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: ids[0], Status: "attended"})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{p.ID[:4], a.ID[:6], ids[0][:6], "attended", "Osoba"} {
		for _, h := range s.Search(search.Query{Text: text}).Hits {
			if h.Kind == data.KindParticipation {
				t.Errorf("text %q found a participation", text)
			}
		}
	}
	q := search.Query{Filters: []search.Facet{{Name: search.FacetParticipant, Value: ids[0]}}}
	if res := s.Search(q); res.Total != 1 || res.Hits[0].ID != p.ID {
		t.Fatalf("by facet: %+v", res)
	}
}
