package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"registar/data"
)

// Every ID added is found; of a million never added, about one in a
// thousand is a "maybe" when a million are in (a "maybe" only costs the
// lookups every ID cost before the filter).
func TestIDFilterKnowsWhatWasAdded(t *testing.T) {
	const n = 1_000_000
	f := newIDFilter(0)
	for i := range n {
		f.add(fmt.Sprintf("in-%d", i))
	}
	for i := range n {
		if !f.mayHave(fmt.Sprintf("in-%d", i)) {
			t.Fatalf("in-%d added but not found", i)
		}
	}
	maybe := 0
	for i := range n {
		if f.mayHave(fmt.Sprintf("out-%d", i)) {
			maybe++
		}
	}
	if maybe > n/200 {
		t.Errorf("%d of %d IDs never added were a maybe", maybe, n)
	}
	if len(newIDFilter(3_000_000).words)*64 < 3_000_000*32 {
		t.Error("the filter does not grow with the registry")
	}
}

// A bulk job lets go of the index but still finds, by kind, the records
// stored before it began (the filter learns them from the index, answered
// from its snapshot file after a reopen, or in memory) and those it wrote;
// an ID never stored is stored under no kind, and a record of one kind is
// not taken for another (the merge ignores a bundle's person whose ID is a
// business here).
func TestBulkFindsRecordsStoredBeforeAndDuring(t *testing.T) {
	for _, reopen := range []bool{false, true} {
		t.Run(fmt.Sprintf("reopen=%v", reopen), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			s := openTest(t, dir, Options{Region: "BA"})
			owner := person("Amra", "Hodžić")
			biz := &data.Business{Name: "Hodžić GmbH", Country: "DE", Owners: []data.Owner{{PersonID: owner.ID, Share: "owner"}}}
			if err := s.Save(owner); err != nil {
				t.Fatal(err)
			}
			biz.Owners[0].PersonID = owner.ID
			if err := s.Save(biz); err != nil {
				t.Fatal(err)
			}
			if reopen {
				s.Close()
				s = openTest(t, dir, Options{Region: "BA"})
				if !s.index.InPlace() {
					t.Fatal("the reopened index is not answered from its snapshot")
				}
			}
			added := person("Đorđe", "Petrović")
			never := newID()
			err := s.Bulk(func() error {
				if s.index.Len() != 0 {
					t.Error("the index was kept in bulk mode")
				}
				if _, err := s.Apply(context.Background(), Step{Action: StepDemo}, []data.Record{added}, nil); err != nil {
					return err
				}
				for id, want := range map[string]data.Kind{owner.ID: data.KindPerson, biz.ID: data.KindBusiness, added.ID: data.KindPerson} {
					r, err := s.Get(id)
					if err != nil || data.KindOf(r) != want {
						t.Errorf("Get(%s) in bulk = %v, %v; want a %s", id, r, err, want)
					}
				}
				if _, err := s.Get(never); err == nil {
					t.Error("an ID never stored was found")
				}
				local, err := s.Lookup([]string{owner.ID, biz.ID, added.ID, never})
				if err != nil {
					return err
				}
				if l := local[biz.ID]; l.Meta == nil || l.Kind != data.KindBusiness {
					t.Errorf("Lookup of the business in bulk: %+v", l)
				}
				if l := local[owner.ID]; l.Meta == nil || l.Kind != data.KindPerson {
					t.Errorf("Lookup of the owner in bulk: %+v", l)
				}
				if l := local[added.ID]; l.Meta == nil || l.Kind != data.KindPerson {
					t.Errorf("Lookup of the person added in bulk: %+v", l)
				}
				if l := local[never]; l.Meta != nil {
					t.Errorf("Lookup of an ID never stored: %+v", l)
				}
				// Told a wrong kind, the lookup still finds the right one.
				local, err = s.LookupLikely([]string{biz.ID, added.ID}, map[string]data.Kind{biz.ID: data.KindPerson, added.ID: data.KindLocality})
				if err != nil {
					return err
				}
				if l := local[biz.ID]; l.Meta == nil || l.Kind != data.KindBusiness {
					t.Errorf("LookupLikely of the business taken for a person: %+v", l)
				}
				if l := local[added.ID]; l.Meta == nil || l.Kind != data.KindPerson {
					t.Errorf("LookupLikely of a person taken for a locality: %+v", l)
				}
				// Links: to the owner stored before, to the person added
				// in the job, to nobody.
				for _, c := range []struct {
					owner string
					ok    bool
				}{{owner.ID, true}, {added.ID, true}, {never, false}, {biz.ID, false}} {
					b := &data.Business{Name: "Link " + c.owner, Country: "DE", Owners: []data.Owner{{PersonID: c.owner, Share: "owner"}}}
					_, err := s.Apply(context.Background(), Step{Action: StepDemo}, []data.Record{b}, nil)
					if (err == nil) != c.ok {
						t.Errorf("business owned by %s written in bulk: %v, want ok=%v", c.owner, err, c.ok)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if s.bulkIDs.Load() != nil {
				t.Error("the filter outlived the bulk job")
			}
			if got := s.Counts(); got[data.KindPerson] != 2 || got[data.KindBusiness] != 3 {
				t.Errorf("counts after the job: %v", got)
			}
		})
	}
}

// A bulk job that began with no tombstone stored skips reading them, and
// stops skipping as soon as one is written in it, however it is written
// (Erase, ApplyTombstones): an erased record stays erased for every write
// path of the job. A job that began with a tombstone reads them all along.
func TestBulkSeesTombstonesWrittenDuringIt(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "db"), Options{Region: "BA"})
	erased, tombed, kept := person("Amra", "Hodžić"), person("Đorđe", "Petrović"), person("Arbër", "Krasniqi")
	for _, p := range []*data.Person{erased, tombed, kept} {
		if err := s.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	refused := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrErased) {
			t.Errorf("%s: %v, want ErrErased", what, err)
		}
	}
	again := func(p *data.Person) *data.Person { c := *p; c.Version = 0; return &c }
	err := s.Bulk(func() error {
		if !s.noTombstones.Load() {
			t.Error("a registry without tombstones: the job reads them anyway")
		}
		if err := s.Erase(erased.ID); err != nil {
			return err
		}
		if _, err := s.ApplyTombstones([]Tombstone{{ID: tombed.ID, Kind: data.KindPerson, Time: time.Now()}}); err != nil {
			return err
		}
		for _, p := range []*data.Person{erased, tombed} {
			refused("Save of "+p.GivenName, s.Save(again(p)))
			_, err := s.Apply(context.Background(), Step{Action: StepImport}, []data.Record{again(p)}, nil)
			refused("Apply of "+p.GivenName, err)
			_, err = s.ApplyMerge(context.Background(), MergeStep{Action: StepMerge, Records: []data.Record{again(p)}}, nil)
			refused("ApplyMerge of "+p.GivenName, err)
			local, err := s.Lookup([]string{p.ID})
			if err != nil || local[p.ID].Tombstone == nil {
				t.Errorf("Lookup of %s: no tombstone (%v)", p.GivenName, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Bulk(func() error {
		if s.noTombstones.Load() {
			t.Error("a registry with tombstones: the job skips them")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(kept.ID); err != nil {
		t.Fatal(err)
	}
}
