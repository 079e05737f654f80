package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
)

func TestCompareVV(t *testing.T) {
	vv := func(kv ...any) map[string]uint64 {
		m := map[string]uint64{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = uint64(kv[i+1].(int))
		}
		return m
	}
	cases := []struct {
		a, b map[string]uint64
		want Order
	}{
		{nil, nil, Same},
		{vv("a", 1), vv("a", 1), Same},
		{vv("a", 1, "b", 0), vv("a", 1), Same},
		{vv("a", 1), vv("a", 2), Older},
		{vv("a", 2), vv("a", 1), Newer},
		{vv("a", 1), vv("a", 1, "b", 1), Older},
		{vv("a", 2, "b", 1), vv("a", 1), Newer},
		{vv("a", 2), vv("a", 1, "b", 1), Concurrent},
		{vv("a", 1, "c", 3), vv("a", 1, "b", 1), Concurrent},
	}
	for _, c := range cases {
		if got := CompareVV(c.a, c.b); got != c.want {
			t.Errorf("CompareVV(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if m := MaxVV(vv("a", 2, "b", 1), vv("a", 1, "c", 4)); SumVV(m) != 7 {
		t.Fatalf("max %v", m)
	}
}

// Every write keeps the vector: one more for this laptop, Version its sum.
func TestEveryWriteKeepsTheVector(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	me, err := s.LaptopID()
	if err != nil || len(me) != 16 {
		t.Fatalf("laptop ID %q %v", me, err)
	}
	check := func(id string, want uint64) {
		t.Helper()
		r, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		m := r.Base()
		if m.VV[me] != want || len(m.VV) != 1 || m.Version != SumVV(m.VV) {
			t.Fatalf("after write %d: version %d vv %v", want, m.Version, m.VV)
		}
	}
	p := person("Amir", "Hodžić")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	check(p.ID, 1)
	p.City = "Graz"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	check(p.ID, 2)
	if err := s.Trash(p.ID); err != nil {
		t.Fatal(err)
	}
	check(p.ID, 3)
	if err := s.Restore(p.ID); err != nil {
		t.Fatal(err)
	}
	check(p.ID, 4)
	upd := data.Clone(p).(*data.Person)
	upd.Version = 4
	upd.City = "Linz"
	res, err := s.Apply(context.Background(), Step{Action: "import"}, []data.Record{upd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(p.ID, 5)
	if _, err := s.Undo(context.Background(), res.Key); err != nil {
		t.Fatal(err)
	}
	check(p.ID, 6)
	org := &data.Organisation{Name: "KUD", OrgKind: "cultural", Country: "AT", MemberIDs: []string{p.ID}}
	if err := s.Save(org); err != nil {
		t.Fatal(err)
	}
	if err := s.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	check(org.ID, 2) // the link removed is a write too
	h, _ := s.History(org.ID)
	if len(h) != 2 || len(h[1].Changed) != 1 && h[1].Note == "" {
		t.Fatalf("history %+v", h)
	}
}

func TestLaptopIdentity(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s := openTest(t, dir, Options{})
	id, err := s.LaptopID()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetLaptopName("Ured Cazin"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "office.backup")
	if err := s.BackupFile(file); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTest(t, dir, Options{})
	if again, _ := s.LaptopID(); again != id || s.LaptopName() != "Ured Cazin" {
		t.Fatalf("reopened: %s %q, want %s", again, s.LaptopName(), id)
	}
	s.Close()

	// A copy of the folder is another laptop.
	cp := filepath.Join(t.TempDir(), "copy")
	copyDir(t, dir, cp)
	c := openTest(t, cp, Options{})
	if other, _ := c.LaptopID(); other == id || len(other) != 16 {
		t.Fatalf("a copied registry kept the laptop ID %s", other)
	}
	if f := c.FormerLaptopIDs(); len(f) != 1 || f[0] != id {
		t.Fatalf("former IDs %v", f)
	}
	c.Close()

	// So is a restored backup: its counters may be behind what this
	// laptop already sent.
	if _, err := RestoreFile(dir, file, Options{kdfMemoryKiB: 1024}); err != nil {
		t.Fatal(err)
	}
	r := openTest(t, dir, Options{})
	if other, _ := r.LaptopID(); other == id {
		t.Fatal("a restored registry kept the laptop ID")
	}
	renewed, err := r.RenewLaptopID()
	if err != nil || len(r.FormerLaptopIDs()) != 2 {
		t.Fatalf("renew: %s %v %v", renewed, err, r.FormerLaptopIDs())
	}
	if now, _ := r.LaptopID(); now != renewed {
		t.Fatal("renewed ID not used")
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(from)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// A record written before vectors existed counts as written here, Version
// times: its next write and a bundle carry that.
func TestRecordsWithoutVector(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	me, _ := s.LaptopID()
	p := person("Emina", "Mujkić")
	p.ID, p.Version = newID(), 3
	p.CreatedAt, p.UpdatedAt = s.opt.Now(), s.opt.Now()
	if _, err := s.ApplyMerge(context.Background(), MergeStep{Action: "legacy", Records: []data.Record{p}, Base: map[string]uint64{p.ID: 0}}, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(p.ID)
	if len(got.Base().VV) != 0 || got.Base().Version != 3 {
		t.Fatalf("stored %+v", got.Base())
	}
	recs, _, _, err := s.Changes("", false)
	if err != nil || len(recs) != 1 || recs[0].Base().VV[me] != 3 {
		t.Fatalf("changes: %v %v", recs, err)
	}
	got.(*data.Person).City = "Wels"
	if err := s.Save(got); err != nil {
		t.Fatal(err)
	}
	if got.Base().VV[me] != 4 || got.Base().Version != 4 {
		t.Fatalf("after save: %+v", got.Base())
	}
}

// ApplyMerge writes nothing when a record changed since the merge was
// planned; its versions set aside land and go with the step.
func TestApplyMergeStepAndConflicts(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	p := person("Selma", "Begić")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	theirs := data.Clone(p).(*data.Person)
	theirs.City, theirs.VV = "Bern", map[string]uint64{"aaaaaaaaaaaaaaaa": 1}
	step := MergeStep{Action: "merge", Base: map[string]uint64{p.ID: 1},
		Conflicts: map[string]*Conflict{p.ID: {Kind: data.KindPerson, Theirs: []SetAside{{Record: theirs, From: "aaaaaaaaaaaaaaaa", FromName: "Amra"}}}}}

	p.City = "Basel"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyMerge(context.Background(), step, nil); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale merge: %v", err)
	}
	if cs, _ := s.Conflicts(); len(cs) != 0 {
		t.Fatal("a refused merge set something aside")
	}
	step.Base[p.ID] = 2
	res, err := s.ApplyMerge(context.Background(), step, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.Conflicts()
	if err != nil || len(cs) != 1 || cs[0].Ours.(*data.Person).City != "Basel" || cs[0].Theirs[0].Record.(*data.Person).City != "Bern" {
		t.Fatalf("conflicts %+v %v", cs, err)
	}
	if _, err := s.Undo(context.Background(), res.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conflict(p.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("undo kept the conflict: %v", err)
	}

	// A crash after the versions set aside were written, before the
	// commit: the next open rolls them back too.
	crash := errors.New("crash")
	func() {
		defer func() {
			if r := recover(); r != crash {
				t.Fatalf("recovered %v", r)
			}
		}()
		s.ApplyMerge(context.Background(), step, func(done, total int) {
			if done == total {
				panic(crash)
			}
		})
	}()
	if cs, _ := s.Conflicts(); len(cs) != 1 {
		t.Fatal("the simulated crash should leave the conflict written")
	}
	s.Close()
	s2 := openTest(t, dir, Options{})
	if cs, _ := s2.Conflicts(); len(cs) != 0 {
		t.Fatal("crashed step's conflict survived the recovery")
	}

	// Set aside again, then erase: nothing of the person is left.
	if _, err := s2.ApplyMerge(context.Background(), step, nil); err != nil {
		t.Fatal(err)
	}
	if err := s2.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	// (x/ is the search index saved at the last close, rewritten at the next.)
	var live []string
	for _, line := range strings.Split(dumpAll(t, s2), "\n") {
		if !strings.HasPrefix(line, "x/") {
			live = append(live, line)
		}
	}
	for _, secret := range []string{"Begić", "Bern", "Basel"} {
		if strings.Contains(strings.Join(live, "\n"), secret) {
			t.Errorf("%q survives the erase", secret)
		}
	}
}

func TestChangesSinceAMark(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	loc := &data.Locality{Name: "Stijena", Municipality: "Cazin"}
	if err := s.Save(loc); err != nil {
		t.Fatal(err)
	}
	a, b := person("Amir", "Hodžić"), person("Emina", "Mujkić")
	a.LocalityID = loc.ID
	for _, p := range []*data.Person{a, b} {
		if err := s.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	recs, tombs, mark, err := s.Changes("", true)
	if err != nil || len(recs) != 3 || len(tombs) != 0 || mark == "" {
		t.Fatalf("all: %d %d %q %v", len(recs), len(tombs), mark, err)
	}
	a.City = "Graz"
	if err := s.Save(a); err != nil {
		t.Fatal(err)
	}
	if err := s.Erase(b.ID); err != nil {
		t.Fatal(err)
	}
	recs, tombs, mark2, _ := s.Changes(mark, false)
	if len(recs) != 1 || recs[0].Base().ID != a.ID || len(tombs) != 1 || tombs[0].ID != b.ID || mark2 <= mark {
		t.Fatalf("since: %v %v", recs, tombs)
	}
	recs, _, _, _ = s.Changes(mark, true)
	if len(recs) != 2 {
		t.Fatalf("with links: %d records, want Amir and his locality", len(recs))
	}
	if recs, tombs, _, _ = s.Changes(mark2, true); len(recs)+len(tombs) != 0 {
		t.Fatalf("nothing since the end: %v %v", recs, tombs)
	}
	if MarkTime(MarkAt(s.opt.Now())).IsZero() || !MarkTime("").IsZero() {
		t.Fatal("mark times")
	}
}

func TestStoredVersion(t *testing.T) {
	p := person("Amir", `Hodžić "version":99`)
	p.ID, p.Version, p.Notes = "x", 7, `{"version":42}`
	b, err := data.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := storedVersion(b); err != nil || v != 7 {
		t.Fatalf("storedVersion = %d, %v", v, err)
	}
}

// A merge step's records are validated and encoded on every core: what is
// written is each record in the step's order, and of several bad records
// the first in that order is the one reported, with nothing written.
func TestApplyMergeOnEveryCore(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	mk := func(n int) []data.Record {
		recs := make([]data.Record, n)
		for i := range recs {
			p := person("Amir", fmt.Sprintf("Hodžić %d", i))
			p.ID, p.Version = newID(), 1
			p.CreatedAt, p.UpdatedAt = s.opt.Now(), s.opt.Now()
			recs[i] = p
		}
		return recs
	}
	bad := mk(500)
	bad[321].(*data.Person).Country = "XX"
	bad[77].(*data.Person).GivenName = ""
	bad[400].(*data.Person).Country = "XX"
	_, err := s.ApplyMerge(context.Background(), MergeStep{Action: "test", Records: bad}, nil)
	var re *RecordError
	if !errors.As(err, &re) || re.Index != 77 {
		t.Fatalf("three bad records: %v", err)
	}
	if n := s.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("a refused step wrote %d persons", n)
	}
	good := mk(500)
	res, err := s.ApplyMerge(context.Background(), MergeStep{Action: "test", Records: good}, nil)
	if err != nil || res.Created != 500 {
		t.Fatalf("500 good records: %+v, %v", res, err)
	}
	for _, i := range []int{0, 63, 64, 255, 499} {
		got, err := s.Get(good[i].Base().ID)
		if err != nil || got.(*data.Person).FamilyName != fmt.Sprintf("Hodžić %d", i) {
			t.Fatalf("record %d: %v, %v", i, got, err)
		}
	}
}
