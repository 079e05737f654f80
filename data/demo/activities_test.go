package demo

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
)

func withActs(opt Options) Options {
	opt.Activities = true
	if opt.Now.IsZero() {
		opt.Now = testNow
	}
	return opt
}

func TestActivitiesCount(t *testing.T) {
	for _, opt := range []Options{
		{},
		{Persons: 1},
		{Persons: 10, Organisations: 1},
		{Persons: 150, Businesses: 20, Organisations: 10},
		{Persons: 3000, Businesses: 150, Organisations: 60, Seed: 7},
	} {
		opt = withActs(opt)
		recs := collect(t, opt)
		if len(recs) != Count(opt) {
			t.Errorf("%+v: put %d records, Count says %d", opt, len(recs), Count(opt))
		}
		per := map[data.Kind]int{}
		for _, r := range recs {
			per[data.KindOf(r)]++
		}
		if per[data.KindActivity] != len(actDefs) {
			t.Errorf("%+v: %d activities, want %d", opt, per[data.KindActivity], len(actDefs))
		}
		if opt.Persons >= 1000 && per[data.KindParticipation] < 1000 {
			t.Errorf("%+v: only %d participations", opt, per[data.KindParticipation])
		}
	}
}

// Activities come after everything else and from their own streams: the
// records before them are those of a demo without activities.
func TestActivitiesLeaveTheRestAsItWas(t *testing.T) {
	opt := Options{Persons: 800, Businesses: 40, Organisations: 30, Seed: 4, Now: testNow}
	without := collect(t, opt)
	with := collect(t, withActs(opt))
	if !bytes.Equal(encodeAll(t, without), encodeAll(t, with[:len(without)])) {
		t.Fatal("asking for activities changed the other records")
	}
	for _, r := range with[len(without):] {
		if k := data.KindOf(r); k != data.KindActivity && k != data.KindParticipation {
			t.Fatalf("a %s among the activities", k)
		}
	}
}

func TestActivitiesDeterministic(t *testing.T) {
	opt := withActs(Options{Persons: 2000, Organisations: 40, Seed: 42})
	a, b := encodeAll(t, collect(t, opt)), encodeAll(t, collect(t, opt))
	if !bytes.Equal(a, b) {
		t.Fatal("the same options gave different activities")
	}
	opt.Seed = 43
	if bytes.Equal(a, encodeAll(t, collect(t, opt))) {
		t.Fatal("seeds 42 and 43 gave the same activities")
	}
}

// Every record passes the model's validation with its links, participation
// IDs are data.ParticipationID, times are in the past, and the year has
// what the screens and reports need: summer events, four council sessions,
// a consultation with comments from organisations that took part, events
// past and to come, every status and both genders.
func TestActivitiesPlausible(t *testing.T) {
	for _, now := range []time.Time{testNow, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC), time.Date(2026, 8, 15, 12, 0, 0, 0, time.UTC)} {
		opt := Options{Persons: 5000, Businesses: 200, Organisations: 80, Seed: 11, Now: now, Activities: true}
		recs := collect(t, opt)
		kinds := map[string]data.Kind{}
		female := map[string]bool{}
		acts := map[string]*data.Activity{}
		statuses := map[string]int{}
		parts := map[string]map[string]string{} // activity → participant → status
		attendedBy := map[bool]int{}
		var summer, sessions, upcoming int
		var cons *data.Activity
		links := func(k data.Kind, id string) bool { return kinds[id] == k }
		for _, r := range recs {
			if err := data.Validate(r, i18n.EN, links); err != nil {
				t.Fatalf("%s %q: %v", data.KindOf(r), r.Title(), err)
			}
			m := r.Base()
			kinds[m.ID] = data.KindOf(r)
			if m.CreatedAt.After(now) || m.UpdatedAt.After(now) || m.UpdatedAt.Before(m.CreatedAt) {
				t.Fatalf("%s %s: created %v, updated %v, now %v", m.Kind, m.ID, m.CreatedAt, m.UpdatedAt, now)
			}
			switch v := r.(type) {
			case *data.Person:
				female[v.ID] = v.Gender == "f"
			case *data.Activity:
				acts[v.ID] = v
				start := v.Start.Time()
				if start.Before(now.AddDate(0, -10, -1)) || start.After(now.AddDate(0, 2, 1)) {
					t.Errorf("%q starts %v, outside the year around %v", v.Name, v.Start, now)
				}
				if !v.End.IsZero() && v.End.Time().Before(start) {
					t.Errorf("%q ends before it starts", v.Name)
				}
				if mo := start.Month(); mo == time.July || mo == time.August {
					summer++
				}
				if v.ActivityKind == "session" {
					sessions++
				}
				if start.After(now) {
					upcoming++
				}
				if v.ActivityKind == "consultation" {
					cons = v
				}
			case *data.Participation:
				if v.ID != data.ParticipationID(v.ActivityID, v.ParticipantID) {
					t.Fatalf("participation %s is not ParticipationID of its activity and participant", v.ID)
				}
				if parts[v.ActivityID] == nil {
					parts[v.ActivityID] = map[string]string{}
				}
				parts[v.ActivityID][v.ParticipantID] = v.Status
				statuses[v.Status]++
				a := acts[v.ActivityID]
				if a.Start.Time().After(now) && v.Status != "invited" && v.Status != "registered" {
					t.Errorf("%q is still to come, yet %s %s", a.Name, v.ParticipantID, v.Status)
				}
				if v.Status == "attended" && v.ParticipantKind == data.KindPerson {
					attendedBy[female[v.ParticipantID]]++
				}
			}
		}
		if summer < 6 || sessions < 4 || upcoming == 0 {
			t.Errorf("now %v: %d summer events, %d sessions, %d to come", now, summer, sessions, upcoming)
		}
		for _, s := range data.ParticipationStatuses {
			if statuses[s] == 0 {
				t.Errorf("now %v: no participation %s (%v)", now, s, statuses)
			}
		}
		if attendedBy[true] < 200 || attendedBy[false] < 200 {
			t.Errorf("now %v: attended by gender %v", now, attendedBy)
		}
		if cons == nil || cons.Consultation == nil {
			t.Fatalf("now %v: no consultation", now)
		}
		if cons.Start.Time().Before(now) && cons.Consultation.To.Time().Before(now) {
			cs := cons.Consultation.Comments
			if len(cs) < 5 {
				t.Fatalf("now %v: %d comments", now, len(cs))
			}
			for _, c := range cs {
				if c.FromKind != data.KindOrganisation || parts[cons.ID][c.FromID] != "attended" || c.Response == "" {
					t.Errorf("comment %+v: not from an organisation that took part, or without a response", c)
				}
			}
		}
		council := map[string]bool{} // everyone at any council session
		sessionsOf := 0
		for id, a := range acts {
			if len(parts[id]) == 0 {
				t.Errorf("%q has no participants", a.Name)
			}
			if strings.Contains(a.Name, "Savjeta za dijasporu") {
				sessionsOf++
				for who := range parts[id] {
					council[who] = true
				}
			}
		}
		if sessionsOf != 4 || len(council) > 15 {
			t.Errorf("now %v: %d council sessions with %d different members, want 4 sessions of the same at most 15", now, sessionsOf, len(council))
		}
	}
}
