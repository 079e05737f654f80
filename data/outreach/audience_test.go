package outreach

import (
	"errors"
	"slices"
	"testing"
	"time"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true, User: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type personSpec struct {
	given, family, email, city string
	consent                    bool
}

func addPerson(t *testing.T, st *store.Store, s personSpec) *data.Person {
	t.Helper()
	p := &data.Person{GivenName: s.given, FamilyName: s.family, BirthDate: data.NewDate(1980, 5, 1), Country: "AT", City: s.city, Email: s.email,
		ConsentContact: data.Consent{Given: s.consent}}
	if s.consent {
		p.ConsentContact.Date, p.ConsentContact.How = data.NewDate(2026, 1, 10), "written"
	}
	if err := st.Save(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// A registry of five persons: two consent and have everything, one
// consents without an e-mail, one consents without an address, one does
// not consent at all (and has everything).
func fivePersons(t *testing.T, st *store.Store) map[string]*data.Person {
	ps := map[string]*data.Person{}
	for _, s := range []personSpec{
		{"Amra", "Hodžić", "amra@example.at", "Beč", true},
		{"Đorđe", "Petrović", "djordje@example.at", "Graz", true},
		{"Emina", "Kovač", "", "Linz", true},
		{"Besa", "Krasniqi", "besa@example.at", "", true},
		{"Milan", "Nikolić", "milan@example.at", "Salzburg", false},
	} {
		ps[s.given] = addPerson(t, st, s)
	}
	return ps
}

func names(cs []Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.GivenName)
	}
	return out
}

func TestCountLeavesOutWhoDidNotConsent(t *testing.T) {
	st := openStore(t)
	fivePersons(t, st)
	cases := []struct {
		need Need
		want Counts
		who  []string
	}{
		{NeedAny, Counts{Matched: 5, NoConsent: 1, Reached: 4}, []string{"Amra", "Besa", "Đorđe", "Emina"}},
		{NeedEmail, Counts{Matched: 5, NoConsent: 1, NoEmail: 1, Reached: 3}, []string{"Amra", "Besa", "Đorđe"}},
		{NeedPostal, Counts{Matched: 5, NoConsent: 1, NoAddress: 1, Reached: 3}, []string{"Amra", "Đorđe", "Emina"}},
	}
	for _, c := range cases {
		got, err := Count(st, Audience{}, c.need)
		if err != nil || got != c.want {
			t.Errorf("Count(need %d) = %+v, %v; want %+v", c.need, got, err, c.want)
		}
		cs, rc, err := Resolve(st, Audience{}, c.need)
		if err != nil || rc != c.want {
			t.Errorf("Resolve(need %d) counts = %+v, %v; want %+v", c.need, rc, err, c.want)
		}
		if !slices.Equal(names(cs), c.who) {
			t.Errorf("Resolve(need %d) = %v, want %v", c.need, names(cs), c.who)
		}
	}
	// (Đorđe sorts as "Djordje", before Emina, as in the lists.)
	// A search narrows the audience; the clerk's own consent filter is
	// intersected with, not ORed into, consent to contact.
	got, _ := Count(st, Audience{Query: "city:graz"}, NeedEmail)
	if got != (Counts{Matched: 1, Reached: 1}) {
		t.Errorf("city:graz = %+v", got)
	}
	got, _ = Count(st, Audience{Query: "consent:publish"}, NeedAny)
	if got.Reached != 0 || got.Matched != 0 {
		t.Errorf("consent:publish (nobody) = %+v", got)
	}
}

func TestWithdrawnConsentLeavesEveryAudienceAtOnce(t *testing.T) {
	st := openStore(t)
	ps := fivePersons(t, st)
	if err := SaveAudience(st, Audience{Name: "Investitori u Austriji", Query: "country:AT"}); err != nil {
		t.Fatal(err)
	}
	a, err := FindAudience(st, "INVESTITORI U AUSTRIJI")
	if err != nil || a.Query != "country:AT" {
		t.Fatalf("FindAudience = %+v, %v", a, err)
	}
	before, _ := Count(st, a, NeedEmail)
	if err := WithdrawConsent(st, ps["Amra"].ID, data.NewDate(2026, 12, 7), "verbal"); err != nil {
		t.Fatal(err)
	}
	after, _ := Count(st, a, NeedEmail)
	if after.Reached != before.Reached-1 || after.NoConsent != before.NoConsent+1 {
		t.Errorf("after withdrawal %+v, before %+v", after, before)
	}
	cs, _, _ := Resolve(st, a, NeedAny)
	if slices.Contains(names(cs), "Amra") {
		t.Errorf("Amra still reached: %v", names(cs))
	}
	r, _ := st.Get(ps["Amra"].ID)
	c := r.(*data.Person).ConsentContact
	if c.Given || c.Withdrawn != data.NewDate(2026, 12, 7) || c.WithdrawnHow != "verbal" {
		t.Errorf("consent after withdrawal %+v", c)
	}
	if err := WithdrawConsent(st, ps["Emina"].ID, data.NewDate(2026, 12, 7), "by pigeon"); err == nil {
		t.Error("an unknown way of withdrawing was accepted")
	}
}

func TestActivityAudienceByStatus(t *testing.T) {
	st := openStore(t)
	ps := fivePersons(t, st)
	act := &data.Activity{Name: "Dani dijaspore", ActivityKind: "cultural", Start: data.NewDate(2026, 7, 20), ByOffice: true}
	if err := st.Save(act); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Invite(act.ID, data.KindPerson, []string{ps["Amra"].ID, ps["Milan"].ID, ps["Emina"].ID}, "invited"); err != nil {
		t.Fatal(err)
	}
	p := &data.Participation{ActivityID: act.ID, ParticipantKind: data.KindPerson, ParticipantID: ps["Đorđe"].ID, Status: "attended"}
	if _, err := st.SetParticipation(p); err != nil {
		t.Fatal(err)
	}
	invited := Audience{ActivityID: act.ID, Statuses: []string{"invited"}}
	cs, c, err := Resolve(st, invited, NeedEmail)
	if err != nil || !slices.Equal(names(cs), []string{"Amra"}) || c != (Counts{Matched: 3, NoConsent: 1, NoEmail: 1, Reached: 1}) {
		t.Errorf("invited: %v %+v %v", names(cs), c, err)
	}
	cs, _, _ = Resolve(st, Audience{ActivityID: act.ID}, NeedAny)
	if !slices.Equal(names(cs), []string{"Amra", "Đorđe", "Emina"}) {
		t.Errorf("every status: %v", names(cs))
	}
	if d, want := invited.Describe(st, i18n.BS), "Dani dijaspore ("+data.ValueLabel(data.GroupParticipation, "invited", i18n.BS)+")"; d != want || want == "Dani dijaspore (invited)" {
		t.Errorf("describe: %q, want %q", d, want)
	}
	if d := (Audience{Query: "country:AT"}).Describe(st, i18n.SQ); d != i18n.T(i18n.SQ, "kind.person.plural")+": country:AT" {
		t.Errorf("describe a search: %q", d)
	}
	var oe *Error
	if _, err := Count(st, Audience{ActivityID: "nope"}, NeedAny); !errors.As(err, &oe) || oe.Key != "outreach.error.noactivity" {
		t.Errorf("unknown activity: %v", err)
	}
	if _, err := Count(st, Audience{ActivityID: act.ID, Statuses: []string{"maybe"}}, NeedAny); !errors.As(err, &oe) || oe.Key != "outreach.error.status" {
		t.Errorf("unknown status: %v", err)
	}
}

func TestRecordRunFlagsRefusedAddresses(t *testing.T) {
	st := openStore(t)
	ps := fivePersons(t, st)
	amra, djordje := ps["Amra"], ps["Đorđe"]
	outs := []Outcome{
		{Message: &Message{ContactID: amra.ID, Kind: data.KindPerson, To: amra.Email}, Sent: true, Attempts: 1},
		{Message: &Message{ContactID: djordje.ID, Kind: data.KindPerson, To: djordje.Email}, Reason: "550 5.1.1 user unknown", Undeliverable: true},
	}
	ds, bad := DeliveriesOf(outs)
	when := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	c, err := Record(st, Run{Channel: "email", Subject: "Poziv na Dane dijaspore", Audience: "Osobe", Deliveries: ds, Undeliverable: bad, Now: when})
	if err != nil {
		t.Fatal(err)
	}
	if sent, failed, _ := c.Counts(); sent != 1 || failed != 1 {
		t.Errorf("counts %d sent %d failed", sent, failed)
	}
	r, _ := st.Get(djordje.ID)
	if got := r.(*data.Person).EmailUndeliverable; got != "2026-12-07: 550 5.1.1 user unknown" {
		t.Errorf("flag = %q", got)
	}
	// Flagged: out of e-mail audiences, said so in the counts.
	cnt, _ := Count(st, Audience{}, NeedEmail)
	if cnt.Undeliverable != 1 || cnt.Reached != 2 {
		t.Errorf("counts after a refusal %+v", cnt)
	}
	// A new address clears the flag.
	p := r.(*data.Person)
	p.Email = "djordje.p@example.at"
	if err := st.Save(p); err != nil {
		t.Fatal(err)
	}
	if r, _ = st.Get(djordje.ID); r.(*data.Person).EmailUndeliverable != "" {
		t.Error("a changed address is still flagged")
	}
	// The log and each person's communications.
	log, _ := Log(st)
	if len(log) != 1 || log[0].Subject != "Poziv na Dane dijaspore" || log[0].CreatedBy != "clerk" {
		t.Fatalf("log %+v", log)
	}
	for id, want := range map[string]int{amra.ID: 1, djordje.ID: 1, ps["Milan"].ID: 0} {
		if cs, _ := CommunicationsOf(st, id); len(cs) != want {
			t.Errorf("communications of %s: %d, want %d", id, len(cs), want)
		}
	}
	// Erasing a recipient removes their delivery and nothing else.
	if err := st.Erase(amra.ID); err != nil {
		t.Fatal(err)
	}
	log, _ = Log(st)
	if _, ok := log[0].DeliveryTo(amra.ID); ok || len(log[0].Recipients) != 1 {
		t.Errorf("after erasure: %+v", log[0].Recipients)
	}
	// Found by search and counted by kind.
	if n := st.Index().Count(searchQuery("kind:communication dijaspor")); n != 1 {
		t.Errorf("search finds %d communications", n)
	}
	// Nothing printed or sent: nothing recorded.
	if c, err := Record(st, Run{Channel: "letter"}); c != nil || err != nil {
		t.Errorf("empty run recorded: %v %v", c, err)
	}
}

func searchQuery(s string) search.Query { return search.ParseQuery(s) }
