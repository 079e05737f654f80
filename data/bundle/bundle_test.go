package bundle

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"registar/data"
	"registar/data/store"
)

// An office and two volunteers: the office sends its registry out, both
// volunteers work, the office merges their bundles, then everyone
// exchanges until all three registries are the same.
func TestOfficeAndTwoVolunteers(t *testing.T) {
	c := &clock{}
	office, amra, edin := laptop(t, c, "Office"), laptop(t, c, "Amra"), laptop(t, c, "Edin")
	ctx := context.Background()

	loc := &data.Locality{Name: "Ostrožac", Municipality: "Cazin", LocalityKind: "local_community"}
	save(t, office, loc)
	selma, mirza, vjosa := person("Selma", "Begić"), person("Mirza", "Hodžić"), person("Vjosa", "Berisha")
	selma.LocalityID = loc.ID
	for _, p := range []*data.Person{selma, mirza, vjosa} {
		save(t, office, p)
	}
	for _, v := range []*store.Store{amra, edin} {
		rep := send(t, office, v)
		if len(rep.Added) != 4 || rep.Changed() && len(rep.Updated)+len(rep.Conflicts) != 0 {
			t.Fatalf("first bundle to %s: %+v", v.LaptopName(), rep.Counts())
		}
	}

	// Amra: Selma moved to Vienna, a new person, Vjosa to the trash.
	s := get(t, amra, selma.ID).(*data.Person)
	s.City = "Wien"
	save(t, amra, s)
	newOne := person("Arbër", "Krasniqi")
	save(t, amra, newOne)
	if err := amra.Trash(vjosa.ID); err != nil {
		t.Fatal(err)
	}
	// Edin: Selma's phone (the same person, concurrently), a business owned
	// by Mirza, and Vjosa erased.
	s = get(t, edin, selma.ID).(*data.Person)
	s.Phone = "+38761242771"
	save(t, edin, s)
	biz := &data.Business{Name: "Hodžić Bau GmbH", Country: "AT", Owners: []data.Owner{{PersonID: mirza.ID, Share: "owner"}}}
	save(t, edin, biz)
	if err := edin.Erase(vjosa.ID); err != nil {
		t.Fatal(err)
	}
	// The office: Mirza's profession.
	m := get(t, office, mirza.ID).(*data.Person)
	m.Profession = "Inženjer"
	save(t, office, m)

	rep := send(t, amra, office)
	if c := rep.Counts(); c["added"] != 1 || c["updated"] != 2 || c["conflicts"] != 0 {
		t.Fatalf("Amra's bundle: %v", c)
	}
	if rep.Step == "" {
		t.Fatal("no step for undo")
	}

	var edinsBundle bytes.Buffer
	edinID, _ := edin.LaptopID()
	_ = edinID
	officeID, _ := office.LaptopID()
	if _, err := Export(edin, &edinsBundle, ExportOptions{To: officeID}); err != nil {
		t.Fatal(err)
	}
	b, err := Read(bytes.NewReader(edinsBundle.Bytes()), "")
	if err != nil {
		t.Fatal(err)
	}
	preview, err := Preview(office, b)
	if err != nil {
		t.Fatal(err)
	}
	before := auditLen(t, office)
	rep = merge(t, office, b)
	if c := rep.Counts(); c["conflicts"] != 1 || c["added"] != 1 || c["erased"] != 1 || c["updated"] != 0 {
		t.Fatalf("Edin's bundle: %v", c)
	}
	if p, r := preview.Counts(), rep.Counts(); len(p) != len(r) || p["conflicts"] != r["conflicts"] || p["added"] != r["added"] || p["erased"] != r["erased"] {
		t.Fatalf("preview %v ≠ merge %v", p, r)
	}
	if rep.Conflicts[0].ID != selma.ID || rep.Erased[0].ID != vjosa.ID {
		t.Fatalf("report: %+v", rep)
	}
	if _, err := office.Get(vjosa.ID); !errors.Is(err, store.ErrErased) {
		t.Fatalf("Vjosa after Edin's erase: %v", err)
	}
	// One audit entry for the merge step, one for the erase.
	if n := auditLen(t, office) - before; n != 2 {
		t.Fatalf("%d audit entries for a merge", n)
	}
	log, _ := office.AuditLog(2)
	var step store.AuditEntry
	for _, e := range log {
		if e.Action == "merge" {
			step = e
		}
	}
	if step.Counts["conflicts"] != 1 || step.Counts["added"] != 1 || !strings.Contains(step.Note, "Edin") {
		t.Fatalf("merge audit entry: %+v", step)
	}

	// The same bundle again: nothing.
	snap := registry(t, office)
	before = auditLen(t, office)
	again := merge(t, office, b)
	if again.Changed() || again.Step != "" {
		t.Fatalf("the same bundle twice: %v", again.Counts())
	}
	if d := diffRegistries(snap, registry(t, office)); d != "" || auditLen(t, office) != before {
		t.Fatalf("the second merge changed something:\n%s", d)
	}

	// The conflict shows both versions; take Edin's phone into the office's version.
	cs, err := ListConflicts(office)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts: %v %v", cs, err)
	}
	cf := cs[0]
	ours, theirs := cf.Ours.(*data.Person), cf.Theirs[0].Record.(*data.Person)
	if ours.City != "Wien" || ours.Phone != "" || theirs.Phone != "+38761242771" || theirs.City != "" || cf.Theirs[0].FromName != "Edin" {
		t.Fatalf("conflict versions: ours %+v theirs %+v", ours, theirs)
	}
	if d := Differences(cf.Ours, cf.Theirs[0].Record); strings.Join(d, ",") != "city,phone" {
		t.Fatalf("differences: %v", d)
	}
	chosen, err := TakeFields(cf.Ours, cf.Theirs[0].Record, "phone")
	if err != nil {
		t.Fatal(err)
	}
	stale := data.Clone(chosen)
	if err := ResolveConflict(ctx, office, selma.ID, chosen); err != nil {
		t.Fatal(err)
	}
	if err := ResolveConflict(ctx, office, selma.ID, stale); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("resolving twice: %v", err)
	}
	got := get(t, office, selma.ID).(*data.Person)
	if got.City != "Wien" || got.Phone != "+38761242771" || got.LocalityID != loc.ID {
		t.Fatalf("resolved: %+v", got)
	}
	checkKept(t, office, selma.ID, []string{string(contentOf(ours)), string(contentOf(theirs))})

	// Everyone exchanges with everyone until nothing changes.
	converge(t, office, amra, edin)
	got = get(t, amra, selma.ID).(*data.Person)
	if got.City != "Wien" || got.Phone != "+38761242771" {
		t.Fatalf("Amra's Selma: %+v", got)
	}
	if _, err := amra.Get(vjosa.ID); !errors.Is(err, store.ErrErased) {
		t.Fatalf("Vjosa on Amra's laptop: %v", err)
	}
	if b := get(t, amra, biz.ID).(*data.Business); b.Owners[0].PersonID != mirza.ID {
		t.Fatalf("business: %+v", b)
	}
	if p := get(t, edin, mirza.ID).(*data.Person); p.Profession != "Inženjer" {
		t.Fatalf("Edin's Mirza: %+v", p)
	}
}

// converge exchanges bundles between every pair of laptops, resolving
// conflicts alike, until a round changes nothing; then all must be equal.
func converge(t testing.TB, laptops ...*store.Store) {
	t.Helper()
	for round := 0; ; round++ {
		if round == 12 {
			t.Fatal("laptops do not converge")
		}
		changed := false
		for _, a := range laptops {
			for _, b := range laptops {
				if a != b && send(t, a, b).Changed() {
					changed = true
				}
			}
		}
		for _, l := range laptops {
			if len(resolveAll(t, l)) > 0 {
				changed = true
			}
			if cs, _ := l.Conflicts(); len(cs) > 0 {
				t.Fatalf("conflicts left on %s", l.LaptopName())
			}
		}
		if !changed {
			break
		}
	}
	first := registry(t, laptops[0])
	for _, l := range laptops[1:] {
		if d := diffRegistries(first, registry(t, l)); d != "" {
			t.Fatalf("%s and %s differ:\n%s", laptops[0].LaptopName(), l.LaptopName(), d)
		}
	}
}

// Bundles merged in either order give the same registry: the same records,
// and for a record changed on both sides the same versions in conflict.
func TestEitherOrder(t *testing.T) {
	c := &clock{}
	office, amra, edin := laptop(t, c, "Office"), laptop(t, c, "Amra"), laptop(t, c, "Edin")
	p, q := person("Amir", "Hodžić"), person("Emina", "Mujkić")
	save(t, office, p)
	save(t, office, q)
	send(t, office, amra)
	send(t, office, edin)
	second := laptop(t, c, "Office copy")
	merge(t, second, full(t, office))

	a := get(t, amra, p.ID).(*data.Person)
	a.City = "Graz"
	save(t, amra, a)
	save(t, amra, person("Nikola", "Đurić"))
	e := get(t, edin, p.ID).(*data.Person)
	e.City = "Linz"
	save(t, edin, e)
	eq := get(t, edin, q.ID).(*data.Person)
	eq.Notes = "Zove se vikendom."
	save(t, edin, eq)
	if err := edin.Trash(q.ID); err != nil {
		t.Fatal(err)
	}

	ba, be := full(t, amra), full(t, edin)
	merge(t, office, ba)
	merge(t, office, be)
	merge(t, second, be)
	merge(t, second, ba)
	if d := diffRegistries(versions(t, office), versions(t, second)); d != "" {
		t.Fatalf("order matters:\n%s", d)
	}
	if cs, _ := office.Conflicts(); len(cs) != 1 {
		t.Fatalf("%d conflicts, want 1", len(cs))
	}
	resolveAll(t, office)
	resolveAll(t, second)
	converge(t, office, second, amra, edin)
}

func TestEraseWinsOverEdits(t *testing.T) {
	c := &clock{}
	office, amra := laptop(t, c, "Office"), laptop(t, c, "Amra")
	p := person("Vjosa", "Berisha")
	p.Email = "vjosa@example.com"
	save(t, office, p)
	org := &data.Organisation{Name: "Shoqata Gjilani", OrgKind: "diaspora_association", Country: "CH", MemberIDs: []string{p.ID}}
	save(t, office, org)
	send(t, office, amra)

	// Amra edits Vjosa and adds her to another organisation; the office erases her.
	v := get(t, amra, p.ID).(*data.Person)
	v.City = "Zürich"
	save(t, amra, v)
	org2 := &data.Organisation{Name: "KUD Bosna", OrgKind: "cultural", Country: "CH", MemberIDs: []string{p.ID}}
	save(t, amra, org2)
	if err := office.Erase(p.ID); err != nil {
		t.Fatal(err)
	}

	rep := send(t, amra, office)
	if len(rep.Ignored) != 1 || rep.Ignored[0].ID != p.ID || rep.Ignored[0].Title != "" || len(rep.Added) != 1 {
		t.Fatalf("Amra's edit of an erased person: %+v", rep)
	}
	if _, err := office.Get(p.ID); !errors.Is(err, store.ErrErased) {
		t.Fatal("an erased person came back")
	}
	if o := get(t, office, org2.ID).(*data.Organisation); len(o.MemberIDs) != 0 {
		t.Fatalf("the new organisation still lists the erased person: %v", o.MemberIDs)
	}

	rep = send(t, office, amra)
	if len(rep.Erased) != 1 || rep.Erased[0].Title != "Vjosa Berisha" {
		t.Fatalf("office's erase on Amra's laptop: %+v", rep)
	}
	if _, err := amra.Get(p.ID); !errors.Is(err, store.ErrErased) {
		t.Fatal("not erased on Amra's laptop")
	}
	if past, _ := amra.PastVersions(p.ID); len(past) != 0 {
		t.Fatalf("erased person's versions kept: %d", len(past))
	}
	converge(t, office, amra)
	for _, st := range []*store.Store{office, amra} {
		for _, id := range []string{org.ID, org2.ID} {
			if o := get(t, st, id).(*data.Organisation); len(o.MemberIDs) != 0 {
				t.Fatalf("%s: %s lists the erased person", st.LaptopName(), o.Name)
			}
		}
	}
}

// An erase also wins over a version set aside in a conflict, and the
// versions set aside go with the rest of the personal data.
func TestEraseDropsConflict(t *testing.T) {
	c := &clock{}
	office, amra := laptop(t, c, "Office"), laptop(t, c, "Amra")
	p := person("Blerim", "Gashi")
	save(t, office, p)
	send(t, office, amra)
	a := get(t, amra, p.ID).(*data.Person)
	a.City = "Bern"
	save(t, amra, a)
	o := get(t, office, p.ID).(*data.Person)
	o.City = "Basel"
	save(t, office, o)
	if rep := send(t, amra, office); len(rep.Conflicts) != 1 {
		t.Fatalf("no conflict: %v", rep.Counts())
	}
	if err := office.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ := office.Conflicts(); len(cs) != 0 {
		t.Fatal("the conflict of an erased record is still listed")
	}
	if past, _ := office.PastVersions(p.ID); len(past) != 0 {
		t.Fatalf("versions of an erased record kept: %d", len(past))
	}
	converge(t, office, amra)
}

func TestUndoMerge(t *testing.T) {
	c := &clock{}
	office, amra := laptop(t, c, "Office"), laptop(t, c, "Amra")
	p, q := person("Amir", "Hodžić"), person("Emina", "Mujkić")
	save(t, office, p)
	save(t, office, q)
	send(t, office, amra)
	a := get(t, amra, p.ID).(*data.Person)
	a.City = "Graz"
	save(t, amra, a)
	aq := get(t, amra, q.ID).(*data.Person)
	aq.City = "Linz"
	save(t, amra, aq)
	save(t, amra, person("Nikola", "Đurić"))
	oq := get(t, office, q.ID).(*data.Person)
	oq.City = "Wels"
	save(t, office, oq)

	before := registry(t, office)
	rep := send(t, amra, office)
	if c := rep.Counts(); c["added"] != 1 || c["updated"] != 1 || c["conflicts"] != 1 {
		t.Fatalf("merge: %v", c)
	}
	if _, err := office.Undo(context.Background(), rep.Step); err != nil {
		t.Fatal(err)
	}
	if cs, _ := office.Conflicts(); len(cs) != 0 {
		t.Fatal("undo left the conflict")
	}
	after := registry(t, office)
	if got := get(t, office, p.ID).(*data.Person); got.City != "" {
		t.Fatalf("undo did not revert: %+v", got)
	}
	if len(after) != len(before) {
		t.Fatalf("undo left %d records, had %d", len(after), len(before))
	}
}

func TestDuplicatesAcrossLaptops(t *testing.T) {
	c := &clock{}
	office, amra, edin := laptop(t, c, "Office"), laptop(t, c, "Amra"), laptop(t, c, "Edin")
	// Two volunteers register the same man, in two scripts.
	d1 := person("Đorđe", "Petrović")
	d1.Gender, d1.City = "m", "Wien"
	save(t, amra, d1)
	d2 := person("Ђорђе", "Петровић")
	d2.Gender, d2.Phone, d2.Interests = "m", "+436641234567", []string{"invest"}
	save(t, edin, d2)
	biz := &data.Business{Name: "Petrović d.o.o.", Country: "AT", Owners: []data.Owner{{PersonID: d2.ID, Share: "owner"}}}
	save(t, edin, biz)

	if rep := send(t, amra, office); len(rep.Duplicates) != 0 {
		t.Fatalf("duplicates in the first bundle: %+v", rep.Duplicates)
	}
	rep := send(t, edin, office)
	if len(rep.Duplicates) != 1 || rep.Duplicates[0].Keep.ID != d1.ID || rep.Duplicates[0].Drop.ID != d2.ID {
		t.Fatalf("duplicates: %+v", rep.Duplicates)
	}
	org := &data.Organisation{Name: "Srpsko kolo", OrgKind: "cultural", Country: "AT", MemberIDs: []string{d2.ID, d1.ID}}
	save(t, office, org)
	if ds, err := FindDuplicates(office); err != nil || len(ds) != 1 {
		t.Fatalf("FindDuplicates: %+v %v", ds, err)
	}

	res, err := MergeDuplicates(context.Background(), office, d1.ID, d2.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := get(t, office, d1.ID).(*data.Person)
	if got.City != "Wien" || got.Phone != "+436641234567" || len(got.Interests) != 1 || got.GivenName != "Đorđe" {
		t.Fatalf("survivor: %+v", got)
	}
	if b := get(t, office, biz.ID).(*data.Business); len(b.Owners) != 1 || b.Owners[0].PersonID != d1.ID {
		t.Fatalf("business owners: %+v", b.Owners)
	}
	if o := get(t, office, org.ID).(*data.Organisation); strings.Join(o.MemberIDs, ",") != d1.ID {
		t.Fatalf("organisation members: %v", o.MemberIDs)
	}
	if !get(t, office, d2.ID).Base().Trashed() {
		t.Fatal("the duplicate is not in the trash")
	}
	if ds, _ := FindDuplicates(office); len(ds) != 0 {
		t.Fatalf("still duplicates: %+v", ds)
	}
	log, _ := office.AuditLog(1)
	if log[0].Key != res.Key || log[0].Action != "merge-duplicates" {
		t.Fatalf("one step: %+v", log[0])
	}

	converge(t, office, amra, edin)
	if b := get(t, edin, biz.ID).(*data.Business); b.Owners[0].PersonID != d1.ID {
		t.Fatalf("Edin's business still owned by the duplicate: %+v", b.Owners)
	}
	if !get(t, edin, d2.ID).Base().Trashed() {
		t.Fatal("Edin's duplicate not trashed")
	}
}
