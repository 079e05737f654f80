package demo

import (
	"bytes"
	"context"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/outreach"
	"registar/data/store"
)

func withComms(opt Options) Options {
	opt.Communications = true
	if opt.Now.IsZero() {
		opt.Now = testNow
	}
	return opt
}

func TestCommunicationsCount(t *testing.T) {
	for _, opt := range []Options{
		{},
		{Persons: 1},
		{Persons: 99, Activities: true},
		{Persons: 150, Businesses: 20, Organisations: 10},
		{Persons: 600, Businesses: 30, Organisations: 20, Activities: true, Seed: 3},
	} {
		opt = withComms(opt)
		recs := collect(t, opt)
		if len(recs) != Count(opt) {
			t.Errorf("%+v: put %d records, Count says %d", opt, len(recs), Count(opt))
		}
		n := 0
		for _, r := range recs {
			if data.KindOf(r) == data.KindCommunication {
				n++
			}
		}
		if want := communicationCount(opt); n != want {
			t.Errorf("%+v: %d communications, want %d", opt, n, want)
		}
	}
}

// The newsletter reaches exactly the persons who consented and have an
// e-mail address (registered before it went out); the letters only
// participants of the activity who consented and have a postal address.
// Nobody without consent is ever a recipient.
func TestCommunicationsReachOnlyTheConsenting(t *testing.T) {
	opt := withComms(Options{Persons: 1500, Businesses: 60, Organisations: 30, Activities: true, Seed: 11})
	recs := collect(t, opt)
	persons := map[string]*data.Person{}
	var invitedTo string
	participants := map[string]bool{}
	var comms []*data.Communication
	kinds := map[string]data.Kind{}
	for _, r := range recs {
		kinds[r.Base().ID] = data.KindOf(r)
		switch v := r.(type) {
		case *data.Person:
			persons[v.ID] = v
		case *data.Activity:
			if v.Name == "Dani dijaspore" {
				invitedTo = v.ID
			}
		case *data.Participation:
			if v.ActivityID == invitedTo && v.ParticipantKind == data.KindPerson {
				participants[v.ParticipantID] = true
			}
		case *data.Communication:
			comms = append(comms, v)
		}
	}
	if len(comms) != 2 {
		t.Fatalf("%d communications, want a newsletter and letters", len(comms))
	}
	links := func(k data.Kind, id string) bool { return kinds[id] == k }
	for _, c := range comms {
		if err := data.Validate(c, i18n.EN, links); err != nil {
			t.Errorf("%s: %v", c.Title(), err)
		}
		if c.Sent.After(testNow) || c.Sent.Before(testNow.AddDate(-windowYears, 0, 0)) {
			t.Errorf("%s sent %v, outside the demo's window", c.Title(), c.Sent)
		}
		seen := map[string]bool{}
		for _, d := range c.Recipients {
			p := persons[d.ID]
			switch {
			case p == nil:
				t.Fatalf("%s: recipient %s is no person of the demo", c.Title(), d.ID)
			case !p.ConsentContact.Given:
				t.Errorf("%s reached %s, who did not consent to be contacted", c.Title(), p.Title())
			case seen[d.ID]:
				t.Errorf("%s reached %s twice", c.Title(), p.Title())
			}
			seen[d.ID] = true
		}
	}

	nl, letters := comms[0], comms[1]
	if nl.Channel != "email" || letters.Channel != "letter" {
		t.Fatalf("channels %s, %s; want email, letter", nl.Channel, letters.Channel)
	}
	want := 0
	for _, p := range persons {
		if p.ConsentContact.Given && p.Email != "" && p.CreatedAt.Before(nl.Sent) {
			want++
		}
	}
	sent, failed, _ := nl.Counts()
	if sent+failed != want || want < 500 {
		t.Errorf("newsletter: %d sent + %d failed, want %d (every consenting person with an e-mail)", sent, failed, want)
	}
	if failed == 0 || failed > want/20 {
		t.Errorf("newsletter: %d failed of %d; want a handful", failed, want)
	}
	for _, d := range nl.Recipients {
		if p := persons[d.ID]; d.Address != p.Email {
			t.Errorf("newsletter to %s went to %q, not their address %q", p.Title(), d.Address, p.Email)
		}
		if d.Status == "failed" && d.Reason == "" {
			t.Errorf("a failure without the server's reason")
		}
	}

	wantLetters := 0
	for id := range participants {
		if p := persons[id]; p.ConsentContact.Given && (p.Address != "" || p.City != "") {
			wantLetters++
		}
	}
	_, _, printed := letters.Counts()
	if printed != len(letters.Recipients) || printed != wantLetters || wantLetters < 50 {
		t.Errorf("letters: %d printed of %d recipients; want %d (the consenting participants with an address)",
			printed, len(letters.Recipients), wantLetters)
	}
	for _, d := range letters.Recipients {
		if !participants[d.ID] {
			t.Errorf("a letter to %s, who is no participant of the activity", persons[d.ID].Title())
		}
	}
	if len(participants) == wantLetters {
		t.Errorf("every participant consented: the test proves nothing about consent")
	}
}

// The communications come last and from their own streams: the records
// before them are those of a demo without them, and the same options give
// the same communications.
func TestCommunicationsDeterministic(t *testing.T) {
	opt := Options{Persons: 700, Businesses: 30, Organisations: 20, Activities: true, Seed: 5, Now: testNow}
	without := collect(t, opt)
	with := collect(t, withComms(opt))
	if !bytes.Equal(encodeAll(t, without), encodeAll(t, with[:len(without)])) {
		t.Fatal("asking for communications changed the other records")
	}
	for _, r := range with[len(without):] {
		if k := data.KindOf(r); k != data.KindCommunication {
			t.Fatalf("a %s among the communications", k)
		}
	}
	again := collect(t, withComms(opt))
	if !bytes.Equal(encodeAll(t, with), encodeAll(t, again)) {
		t.Fatal("the same options gave other communications")
	}
}

// The communications land in a registry as the CLI writes a demo, and a
// recipient's page finds them.
func TestCommunicationsInARegistry(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true, User: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	opt := withComms(Options{Persons: 800, Businesses: 40, Organisations: 20, Seed: 2, Activities: true})
	var batch []data.Record
	flush := func() error {
		_, err := st.Apply(context.Background(), store.Step{Action: store.StepDemo, Source: data.SourceDemo}, batch, nil)
		batch = batch[:0]
		return err
	}
	err = Generate(opt, func(r data.Record) error {
		if batch = append(batch, r); len(batch) >= 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		t.Fatal(err)
	}
	log, err := outreach.Log(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("%d communications in the log, want 2", len(log))
	}
	for _, c := range log {
		if len(c.Recipients) == 0 {
			t.Fatalf("%s: no recipients", c.Title())
		}
		mine, err := outreach.CommunicationsOf(st, c.Recipients[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range mine {
			found = found || m.ID == c.ID
		}
		if !found {
			t.Errorf("%s is not among the communications of its first recipient", c.Title())
		}
	}
}
