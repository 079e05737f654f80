package bundle

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"registar/data"
	"registar/data/store"
)

// event is a summer evening in Vienna organised by the office.
func event(title string) *data.Activity {
	return &data.Activity{Name: title, ActivityKind: "cultural", Start: data.NewDate(2026, 7, 12),
		StartTime: "18:00", ByOffice: true, Place: data.Place{Country: "AT", City: "Wien"}}
}

func setStatus(t testing.TB, st *store.Store, activityID, personID, status string) *data.Participation {
	t.Helper()
	p, err := st.SetParticipation(&data.Participation{ActivityID: activityID, ParticipantID: personID, Status: status})
	if err != nil {
		t.Fatalf("%s: participation of %s: %v", st.LaptopName(), personID, err)
	}
	return p
}

func statusOf(t testing.TB, st *store.Store, activityID, personID string) string {
	t.Helper()
	r := get(t, st, data.ParticipationID(activityID, personID)).(*data.Participation)
	if r.Trashed() {
		return "trashed " + r.Status
	}
	return r.Status
}

// exchange sends a's changes to b and b's to a, and checks that neither
// merge found a conflict and that both then hold the same registry.
func exchange(t testing.TB, a, b *store.Store) {
	t.Helper()
	for _, rep := range []*Report{send(t, a, b), send(t, b, a)} {
		if len(rep.Conflicts) != 0 {
			t.Fatalf("conflicts: %+v", rep.Conflicts)
		}
	}
	if d := diffRegistries(registry(t, a), registry(t, b)); d != "" {
		t.Fatalf("the laptops differ after the exchange:\n%s", d)
	}
}

// office sets up an event with three invited persons and gives a copy to a
// second laptop at the door.
func eventOnTwoLaptops(t *testing.T) (office, door *store.Store, ev *data.Activity, ps []*data.Person) {
	c := &clock{}
	office, door = laptop(t, c, "Office"), laptop(t, c, "Door")
	ev = event("Ljetno veče dijaspore")
	save(t, office, ev)
	ps = []*data.Person{person("Selma", "Begić"), person("Mirza", "Hodžić"), person("Vjosa", "Berisha")}
	ps[1].Gender = "m"
	var ids []string
	for _, p := range ps {
		save(t, office, p)
		ids = append(ids, p.ID)
	}
	if n, err := office.Invite(ev.ID, data.KindPerson, ids, ""); err != nil || n != 3 {
		t.Fatalf("invite: %d, %v", n, err)
	}
	if rep := send(t, office, door); len(rep.Added) != 7 {
		t.Fatalf("the door laptop got %d records, want the event, 3 persons and 3 participations: %+v", len(rep.Added), rep.Counts())
	}
	return office, door, ev, ps
}

// Two laptops check different people in at one event: both check-ins are
// kept, and neither is a conflict.
func TestCheckInDifferentPeopleOnTwoLaptops(t *testing.T) {
	office, door, ev, ps := eventOnTwoLaptops(t)
	setStatus(t, office, ev.ID, ps[0].ID, "attended")
	setStatus(t, door, ev.ID, ps[1].ID, "attended")
	setStatus(t, door, ev.ID, ps[2].ID, "excused")

	exchange(t, office, door)
	for _, st := range []*store.Store{office, door} {
		for i, want := range []string{"attended", "attended", "excused"} {
			if got := statusOf(t, st, ev.ID, ps[i].ID); got != want {
				t.Errorf("%s: %s is %q, want %q", st.LaptopName(), ps[i].GivenName, got, want)
			}
		}
		c, err := st.ParticipationCounts(ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Total != 3 || c.ByStatus["attended"] != 2 || c.AttendedByGender["f"] != 1 || c.AttendedByGender["m"] != 1 {
			t.Errorf("%s: counts %+v", st.LaptopName(), c)
		}
	}
}

// The same person changed on both laptops is one record, no conflict: the
// further status wins, role and note come from the newer change.
func TestSamePersonOnTwoLaptops(t *testing.T) {
	office, door, ev, ps := eventOnTwoLaptops(t)
	// Selma: checked in at the door; the office, later, marks her excused
	// (her e-mail came late) and a speaker.
	setStatus(t, door, ev.ID, ps[0].ID, "attended")
	p := setStatus(t, office, ev.ID, ps[0].ID, "excused")
	p.Role, p.Note = "speaker", "govori o povratku"
	if _, err := office.SetParticipation(p); err != nil {
		t.Fatal(err)
	}
	// Mirza: the office registered him, the door marks him absent.
	setStatus(t, office, ev.ID, ps[1].ID, "registered")
	setStatus(t, door, ev.ID, ps[1].ID, "absent")
	// A walk-in added on both laptops, never invited: the same ID on both.
	walkIn := person("Arbër", "Krasniqi")
	save(t, office, walkIn)
	send(t, office, door)
	setStatus(t, office, ev.ID, walkIn.ID, "registered")
	setStatus(t, door, ev.ID, walkIn.ID, "attended")

	exchange(t, office, door)
	for _, st := range []*store.Store{office, door} {
		got := get(t, st, data.ParticipationID(ev.ID, ps[0].ID)).(*data.Participation)
		if got.Status != "attended" || got.Role != "speaker" || got.Note != "govori o povratku" {
			t.Errorf("%s: Selma merged to %q %q %q, want attended, the office's role and note", st.LaptopName(), got.Status, got.Role, got.Note)
		}
		if s := statusOf(t, st, ev.ID, ps[1].ID); s != "absent" {
			t.Errorf("%s: Mirza is %q, want absent", st.LaptopName(), s)
		}
		if s := statusOf(t, st, ev.ID, walkIn.ID); s != "attended" {
			t.Errorf("%s: the walk-in is %q, want attended", st.LaptopName(), s)
		}
		list, err := st.Participations(ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 {
			t.Errorf("%s: %d participants, want 4", st.LaptopName(), len(list))
		}
		if cs, _ := st.Conflicts(); len(cs) != 0 {
			t.Errorf("%s: %d conflicts", st.LaptopName(), len(cs))
		}
	}
	// Merging again changes nothing.
	if rep := send(t, office, door); rep.Changed() {
		t.Errorf("a second exchange changed %+v", rep.Counts())
	}
}

// Removing a participant on one laptop while the other checks them in: the
// newer change decides whether they stay, the status is the further one.
func TestParticipantRemovedAndCheckedIn(t *testing.T) {
	office, door, ev, ps := eventOnTwoLaptops(t)
	if err := office.Trash(data.ParticipationID(ev.ID, ps[2].ID)); err != nil {
		t.Fatal(err)
	}
	setStatus(t, door, ev.ID, ps[2].ID, "attended") // later
	exchange(t, office, door)
	if s := statusOf(t, office, ev.ID, ps[2].ID); s != "attended" {
		t.Errorf("Vjosa is %q, want attended (the check-in is newer)", s)
	}
}

// An activity edited on both laptops is the usual conflict; its comments
// travel with it and the resolution reaches the other laptop.
func TestActivityEditedOnBothIsAConflict(t *testing.T) {
	c := &clock{}
	office, field := laptop(t, c, "Office"), laptop(t, c, "Field")
	org := &data.Organisation{Name: "Udruženje Bosanaca Beč", Country: "AT", OrgKind: "diaspora_association"}
	save(t, office, org)
	cons := &data.Activity{Name: "Javne konsultacije: Strategija za dijasporu", ActivityKind: "consultation",
		Start: data.NewDate(2026, 3, 1), End: data.NewDate(2026, 3, 31), ByOffice: true, OrganiserIDs: []string{org.ID},
		Consultation: &data.Consultation{DraftTitle: "Strategija saradnje s dijasporom 2027–2030", Reference: "01-23/26",
			Comments: []data.Comment{{ID: "c1", FromKind: data.KindOrganisation, FromID: org.ID, Date: data.NewDate(2026, 3, 10),
				Article: "čl. 4", Text: "Predlažemo godišnji sajam investicija.", Response: "accepted", Reason: "Uvršteno."}}}}
	save(t, office, cons)
	send(t, office, field)
	got := get(t, field, cons.ID).(*data.Activity)
	if got.Consultation == nil || len(got.Consultation.Comments) != 1 || got.Consultation.Comments[0].Text != "Predlažemo godišnji sajam investicija." {
		t.Fatalf("the comments did not travel: %+v", got.Consultation)
	}

	a := get(t, office, cons.ID).(*data.Activity)
	a.Place.City = "Cazin"
	save(t, office, a)
	b := get(t, field, cons.ID).(*data.Activity)
	b.Consultation.Comments = append(b.Consultation.Comments, data.Comment{ID: "c2", Text: "Nedostaje budžet.", Response: "noted"})
	save(t, field, b)

	rep := send(t, field, office)
	if len(rep.Conflicts) != 1 || rep.Conflicts[0].ID != cons.ID {
		t.Fatalf("want the activity in conflict, got %+v", rep.Counts())
	}
	cs, err := ListConflicts(office)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts: %v %v", cs, err)
	}
	if d := Differences(cs[0].Ours, cs[0].Theirs[0].Record); len(d) != 2 || d[0] != "consultation" || d[1] != "place" {
		t.Errorf("differences %v, want consultation and place", d)
	}
	chosen, err := TakeFields(cs[0].Ours, cs[0].Theirs[0].Record, "consultation")
	if err != nil {
		t.Fatal(err)
	}
	chosen.Base().Version = cs[0].Ours.Base().Version
	if err := ResolveConflict(context.Background(), office, cons.ID, chosen); err != nil {
		t.Fatal(err)
	}
	exchange(t, office, field)
	r := get(t, field, cons.ID).(*data.Activity)
	if r.Place.City != "Cazin" || len(r.Consultation.Comments) != 2 {
		t.Errorf("resolved activity on the field laptop: %q, %d comments", r.Place.City, len(r.Consultation.Comments))
	}
}

// A person erased on one laptop: their participations are erased on the
// other too, even one checked in there meanwhile, and a bundle still
// carrying it does not bring it back.
func TestErasedParticipantLeavesEveryLaptop(t *testing.T) {
	office, door, ev, ps := eventOnTwoLaptops(t)
	pid := data.ParticipationID(ev.ID, ps[2].ID)
	// The door laptop also has a workshop the office never saw, with Vjosa.
	ws := event("Radionica za mlade")
	save(t, door, ws)
	setStatus(t, door, ws.ID, ps[2].ID, "registered")
	setStatus(t, door, ev.ID, ps[2].ID, "attended")
	pid2 := data.ParticipationID(ws.ID, ps[2].ID)
	old := full(t, door) // made before the erase, with Vjosa's participations
	if err := office.Erase(ps[2].ID); err != nil {
		t.Fatal(err)
	}
	// A bundle from a laptop that has not heard of the erase does not
	// bring Vjosa back, nor her participations, even one never seen here.
	rep := merge(t, office, old)
	for _, id := range []string{pid, pid2} {
		if _, err := office.Get(id); err == nil {
			t.Fatalf("an old bundle brought the erased person's participation %s back", id)
		}
	}
	ignored := map[string]bool{}
	for _, it := range rep.Ignored {
		ignored[it.ID] = true
	}
	if !ignored[ps[2].ID] || !ignored[pid] || !ignored[pid2] {
		t.Errorf("ignored %+v, want the person and both participations", rep.Ignored)
	}
	exchange(t, office, door)
	for _, st := range []*store.Store{office, door} {
		for _, id := range []string{pid, pid2} {
			if _, err := st.Get(id); err == nil {
				t.Errorf("%s: the erased person's participation %s is still there", st.LaptopName(), id)
			}
		}
		list, _ := st.Participations(ev.ID)
		if len(list) != 2 {
			t.Errorf("%s: %d participants, want 2", st.LaptopName(), len(list))
		}
	}
}

// A whole registry streamed and merged in batches carries activities and
// participations, after the records they link to.
func TestWholeRegistryInBatchesCarriesActivities(t *testing.T) {
	defer func(n int) { streamAbove = n }(streamAbove)
	defer SetMergeBatch(3)()
	streamAbove = 0
	office, _, ev, _ := eventOnTwoLaptops(t)
	c := &clock{base: testEpoch.AddDate(0, 1, 0)}
	fresh := laptop(t, c, "New")
	path := filepath.Join(t.TempDir(), "all.registar")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Export(office, f, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := MergeFile(context.Background(), fresh, path, "", MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 7 {
		t.Errorf("added %d records, want 7: %+v", len(rep.Added), rep.Counts())
	}
	if d := diffRegistries(registry(t, office), registry(t, fresh)); d != "" {
		t.Fatalf("the new laptop differs:\n%s", d)
	}
	if list, err := fresh.Participations(ev.ID); err != nil || len(list) != 3 {
		t.Errorf("participants on the new laptop: %d, %v", len(list), err)
	}
}

// The same person registered on two laptops, each checked in at the event
// under their own ID: merging the duplicates leaves one participant with
// the further status.
func TestDuplicatePersonsKeepOneParticipation(t *testing.T) {
	office, door, ev, _ := eventOnTwoLaptops(t)
	a, b := person("Emina", "Mujić"), person("Emina", "Mujic")
	save(t, office, a)
	save(t, door, b)
	setStatus(t, office, ev.ID, a.ID, "registered")
	setStatus(t, door, ev.ID, b.ID, "attended")
	p, err := door.SetParticipation(&data.Participation{ActivityID: ev.ID, ParticipantID: b.ID, Role: "volunteer"})
	if err != nil || p.Status != "attended" {
		t.Fatalf("%+v %v", p, err)
	}
	rep := send(t, door, office)
	if len(rep.Duplicates) != 1 || rep.Duplicates[0].Keep.ID != a.ID {
		t.Fatalf("duplicates %+v", rep.Duplicates)
	}
	if _, err := MergeDuplicates(context.Background(), office, a.ID, b.ID, nil); err != nil {
		t.Fatal(err)
	}
	list, err := office.Participations(ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	var emina []*data.Participation
	for _, p := range list {
		if p.ParticipantID == a.ID || p.ParticipantID == b.ID {
			emina = append(emina, p)
		}
	}
	if len(emina) != 1 || emina[0].ParticipantID != a.ID || emina[0].Status != "attended" || emina[0].Role != "volunteer" {
		t.Fatalf("Emina's participations after merging the duplicates: %+v", emina)
	}
	exchange(t, office, door)
	if s := statusOf(t, door, ev.ID, b.ID); s != "trashed attended" {
		t.Errorf("the dropped duplicate's participation on the door laptop: %q", s)
	}
}

// A bundle of activities survives being read back byte for byte.
func TestActivityBundleRoundTrip(t *testing.T) {
	office, _, ev, _ := eventOnTwoLaptops(t)
	var buf bytes.Buffer
	if _, err := Export(office, &buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[data.Kind]int{}
	for _, r := range b.Records {
		kinds[data.KindOf(r)]++
	}
	if kinds[data.KindActivity] != 1 || kinds[data.KindParticipation] != 3 {
		t.Fatalf("bundle holds %v", kinds)
	}
	for _, r := range b.Records {
		if r.Base().ID == ev.ID && r.(*data.Activity).StartTime != "18:00" {
			t.Errorf("start time lost: %+v", r)
		}
	}
}

// Two laptops each check in half of an event of 2,000 invited, and one
// merges the other's bundle: no conflict, every check-in kept.
func BenchmarkMergeCheckIns2000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		c := &clock{}
		office, door := laptop(b, c, "Office"), laptop(b, c, "Door")
		ev := event("Dani dijaspore")
		save(b, office, ev)
		ids := make([]string, 2000)
		for i := range ids {
			p := person("Osoba", "Broj"+strconv.Itoa(i))
			save(b, office, p)
			ids[i] = p.ID
		}
		if _, err := office.Invite(ev.ID, data.KindPerson, ids, ""); err != nil {
			b.Fatal(err)
		}
		send(b, office, door)
		for i, id := range ids {
			st := office
			if i%2 == 1 {
				st = door
			}
			setStatus(b, st, ev.ID, id, "attended")
		}
		doorID, _ := door.LaptopID()
		var buf bytes.Buffer
		if _, err := Export(office, &buf, ExportOptions{To: doorID}); err != nil {
			b.Fatal(err)
		}
		bu, err := Read(&buf, "")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep := merge(b, door, bu)
		b.StopTimer()
		if len(rep.Conflicts) != 0 || len(rep.Updated) != 1000 {
			b.Fatalf("%+v", rep.Counts())
		}
		b.StartTimer()
	}
}
