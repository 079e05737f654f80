package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/store"
)

// activityRegistry makes a registry with a summer evening (three women and
// two men invited, an organisation registered) and a council session with
// nobody yet, and returns its folder and the evening's ID.
func activityRegistry(t *testing.T) (db, eveningID string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "db")
	st, err := store.Open(db, store.Options{User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	save := func(r data.Record) {
		t.Helper()
		if err := st.Save(r); err != nil {
			t.Fatalf("save %s: %v", r.Title(), err)
		}
	}
	var ids []string
	for _, p := range []struct{ given, family, gender string }{
		{"Selma", "Begić", "f"}, {"Amra", "Hodžić", "f"}, {"Vjosa", "Berisha", "f"}, {"Mirza", "Kovačević", "m"}, {"Edin", "Mujić", "m"},
	} {
		r := &data.Person{GivenName: p.given, FamilyName: p.family, Gender: p.gender, Country: "AT", BirthDate: data.NewDate(1984, 5, 2)}
		save(r)
		ids = append(ids, r.ID)
	}
	org := &data.Organisation{Name: "Udruženje Bosanaca Beč", OrgKind: "diaspora_association", Country: "AT"}
	save(org)
	evening := &data.Activity{Name: "Ljetno veče dijaspore", ActivityKind: "cultural", Start: data.NewDate(2026, 7, 12),
		StartTime: "18:00", ByOffice: true, Place: data.Place{Country: "BA", City: "Cazin"}}
	save(evening)
	session := &data.Activity{Name: "Sjednica Savjeta za dijasporu", ActivityKind: "session", Start: data.NewDate(2026, 9, 17), ByOffice: true}
	save(session)
	if _, err := st.Invite(evening.ID, data.KindPerson, ids, ""); err != nil {
		t.Fatal(err)
	}
	for i, status := range []string{"attended", "attended", "excused", "attended", "absent"} {
		if _, err := st.SetParticipation(&data.Participation{ActivityID: evening.ID, ParticipantID: ids[i], Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SetParticipation(&data.Participation{ActivityID: evening.ID, ParticipantKind: data.KindOrganisation,
		ParticipantID: org.ID, Status: "registered"}); err != nil {
		t.Fatal(err)
	}
	return db, evening.ID
}

type activityHit struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Kind         string `json:"kind"`
	ActivityKind string `json:"activity_kind"`
	Start        string `json:"start"`
	Participants *struct {
		Invited, Registered, Attended, Excused, Absent, Total int
		AttendedByGender                                      map[string]int `json:"attended_by_gender"`
	} `json:"participants"`
}

func TestSearchActivitiesJSONHasParticipants(t *testing.T) {
	db, eveningID := activityRegistry(t)
	var hits []activityHit
	out := mustCLI(t, nil, "--db", db, "search", "ljetno", "--kind", "activity", "--json")
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(hits) != 1 {
		t.Fatalf("%d hits, want the summer evening:\n%s", len(hits), out)
	}
	h := hits[0]
	if h.ID != eveningID || h.Title != "Ljetno veče dijaspore" || h.Kind != "activity" || h.ActivityKind != "cultural" || h.Start != "2026-07-12" {
		t.Errorf("hit %+v", h)
	}
	p := h.Participants
	if p == nil {
		t.Fatalf("no participants in\n%s", out)
	}
	if p.Invited != 0 || p.Registered != 1 || p.Attended != 3 || p.Excused != 1 || p.Absent != 1 || p.Total != 6 {
		t.Errorf("participants %+v", *p)
	}
	if p.AttendedByGender["f"] != 2 || p.AttendedByGender["m"] != 1 {
		t.Errorf("attended by gender %v, want f 2, m 1", p.AttendedByGender)
	}

	// Every activity of the year; one with nobody yet says zeros, not nothing.
	hits = nil
	out = mustCLI(t, nil, "--db", db, "search", "year:2026", "--kind", "activity", "--json")
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(hits) != 2 {
		t.Fatalf("%d activities in 2026, want 2:\n%s", len(hits), out)
	}
	for _, h := range hits {
		if h.Participants == nil || h.Participants.AttendedByGender == nil {
			t.Errorf("%q: no participants object", h.Title)
		}
		if h.Title == "Sjednica Savjeta za dijasporu" && (h.Participants.Total != 0 || !strings.Contains(out, `"f": 0`)) {
			t.Errorf("the session: %+v", *h.Participants)
		}
	}
	// Persons' JSON is as it was: no participants.
	if out := mustCLI(t, nil, "--db", db, "search", "selma", "--json"); strings.Contains(out, "participants") {
		t.Errorf("a person has participants:\n%s", out)
	}
}

func TestStatsCountsActivities(t *testing.T) {
	db, _ := activityRegistry(t)
	var s struct {
		Persons                int            `json:"persons"`
		Activities             int            `json:"activities"`
		Participations         int            `json:"participations"`
		ActivitiesByKind       map[string]int `json:"activities_by_kind"`
		ParticipationsByStatus map[string]int `json:"participations_by_status"`
	}
	out := mustCLI(t, nil, "--db", db, "stats", "--json")
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Persons != 5 || s.Activities != 2 || s.Participations != 6 {
		t.Fatalf("stats: %s", out)
	}
	if s.ActivitiesByKind["cultural"] != 1 || s.ActivitiesByKind["session"] != 1 || s.ParticipationsByStatus["attended"] != 3 || s.ParticipationsByStatus["registered"] != 1 {
		t.Errorf("stats by kind and status: %s", out)
	}
	text := mustCLI(t, nil, "--db", db, "--lang", "bs", "stats")
	if !strings.Contains(text, "aktivnosti") || !strings.Contains(text, "učešća") {
		t.Errorf("stats in Bosnian:\n%s", text)
	}
}
