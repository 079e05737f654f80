package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/demo"
	"registar/data/search"
)

// demoRecords are n demo persons with their businesses, organisations and
// localities (businesses and organisations link to persons).
func demoRecords(t *testing.T, n int) []data.Record {
	t.Helper()
	var recs []data.Record
	err := demo.Generate(demo.Options{Persons: n, Seed: 5, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, func(r data.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// writeInSteps writes the records in steps of size, as demo and a big
// merge do: later steps link to records of earlier ones.
func writeInSteps(t *testing.T, s *Store, recs []data.Record, size int) []string {
	t.Helper()
	var keys []string
	for i := 0; i < len(recs); i += size {
		res, err := s.Apply(context.Background(), Step{Action: StepDemo, Source: data.SourceDemo}, recs[i:min(i+size, len(recs))], nil)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, res.Key)
	}
	return keys
}

func sortedDocs(ix *search.Index) []search.Doc {
	docs := ix.Docs()
	slices.SortFunc(docs, func(a, b search.Doc) int { return strings.Compare(a.ID, b.ID) })
	return docs
}

// recordsOf reads every record of the registry, encoded, by key; the
// registry's own laptop ID (in version vectors) is written as "laptop".
func recordsOf(t *testing.T, s *Store) map[string]string {
	t.Helper()
	me, err := s.LaptopID()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range data.AllKinds {
		err := s.Each(k, func(r data.Record) error {
			b, err := data.Encode(r)
			out[string(k)+"/"+r.Base().ID] = strings.ReplaceAll(string(b), me, "laptop")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Steps written in bulk mode give the registry and the index that the
// same steps written one by one give; the index comes back from the
// snapshot file the end of the bulk job wrote, and the next open uses it.
func TestBulkGivesTheSameRegistryAndIndex(t *testing.T) {
	defer func(n int) { rebuildBatch = n }(rebuildBatch)
	rebuildBatch = 300 // the rebuild at the end crosses batches

	normalDir := filepath.Join(t.TempDir(), "normal")
	normal := openTest(t, normalDir, Options{Region: "BA"})
	writeInSteps(t, normal, demoRecords(t, 1200), 400)

	bulkDir := filepath.Join(t.TempDir(), "bulk")
	bulk := openTest(t, bulkDir, Options{Region: "BA"})
	err := bulk.Bulk(func() error {
		if !bulk.InBulk() {
			t.Error("not in bulk mode inside Bulk")
		}
		writeInSteps(t, bulk, demoRecords(t, 1200), 400)
		if n := bulk.index.Len(); n != 0 {
			t.Errorf("the index holds %d docs during the bulk job: it is kept current", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if bulk.InBulk() {
		t.Fatal("still in bulk mode after Bulk")
	}
	if !bulk.index.InPlace() {
		t.Fatal("the index after a bulk job is not answered from the snapshot written from the records")
	}
	if got, want := recordsOf(t, bulk), recordsOf(t, normal); !reflect.DeepEqual(got, want) {
		for k, v := range got {
			if want[k] != v {
				t.Fatalf("records differ: %d in bulk, %d written normally; %s:\n%s\n%s", len(got), len(want), k, v, want[k])
			}
		}
		t.Fatalf("records differ: %d in bulk, %d written normally", len(got), len(want))
	}
	if got, want := sortedDocs(bulk.index), sortedDocs(normal.index); len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("index after bulk (%d docs) differs from the index kept by the steps (%d docs)", len(got), len(want))
	}
	for _, q := range rebuildQueries {
		qq := search.ParseQuery(q)
		if g, w := bulk.Search(qq).Total, normal.Search(qq).Total; g != w {
			t.Errorf("%q: %d hits after bulk, %d after normal steps", q, g, w)
		}
	}
	written := snapshotFiles(t, bulkDir)
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	// The close wrote only the marker of the file the bulk job wrote, not
	// a dump of its own (a million persons' index copied out of the file).
	if files := snapshotFiles(t, bulkDir); len(written) != 1 || !slices.Equal(files, written) {
		t.Fatalf("snapshot files: %v after the bulk job, %v after close", written, files)
	}
	again := openTest(t, bulkDir, Options{Region: "BA"})
	if again.indexFrom != "snapshot" {
		t.Fatalf("the next open loaded the index from %s, not from the snapshot", again.indexFrom)
	}
	if got, want := sortedDocs(again.index), sortedDocs(normal.index); !reflect.DeepEqual(got, want) {
		t.Fatal("the snapshot saved after a bulk job differs from the index kept by normal steps")
	}
}

// A write after a bulk job lets go of the snapshot the job wrote, so the
// close saves the index as it is then, not the file from before the write.
func TestWriteAfterBulkSavesTheNewIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s := openTest(t, dir, Options{Region: "BA"})
	if err := s.Bulk(func() error { writeInSteps(t, s, demoRecords(t, 300), 200); return nil }); err != nil {
		t.Fatal(err)
	}
	p := person("Zlatan", "Qerimaj")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{Region: "BA"})
	if s.indexFrom != "snapshot" {
		t.Fatalf("index from %s", s.indexFrom)
	}
	if s.Search(search.Query{Text: "qerimaj"}).Total != 1 {
		t.Fatal("the person saved after the bulk job is missing from the saved index")
	}
}

// A step written in bulk mode is undone like any other, and the index
// follows.
func TestUndoOfABulkStep(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "db"), Options{Region: "BA"})
	first := []data.Record{person("Amra", "Hodžić")}
	if _, err := s.Apply(context.Background(), Step{Action: StepImport}, first, nil); err != nil {
		t.Fatal(err)
	}
	recs := demoRecords(t, 300)
	var keys []string
	if err := s.Bulk(func() error { keys = writeInSteps(t, s, recs, 200); return nil }); err != nil {
		t.Fatal(err)
	}
	total := s.index.Len()
	if total != len(recs)+1 {
		t.Fatalf("index after bulk: %d docs, want %d", total, len(recs)+1)
	}
	res, err := s.Undo(context.Background(), keys[len(keys)-1])
	if err != nil {
		t.Fatal(err)
	}
	last := len(recs) - 200
	if res.Created+res.Updated != 0 || s.index.Len() != 1+200 {
		t.Fatalf("after undoing the last bulk step: %+v, index %d docs, want %d", res, s.index.Len(), 201)
	}
	for _, r := range recs[200 : 200+last] {
		if _, ok := s.index.Kind(r.Base().ID); ok {
			t.Fatalf("%s still in the index after its step was undone", r.Title())
		}
		if _, err := s.Get(r.Base().ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%s still stored after its step was undone: %v", r.Title(), err)
		}
	}
	// Undone inside another bulk job, too.
	if err := s.Bulk(func() error { _, err := s.Undo(context.Background(), keys[0]); return err }); err != nil {
		t.Fatal(err)
	}
	if n := s.index.Len(); n != 1 || s.Search(search.Query{Text: "hodzic"}).Total != 1 {
		t.Fatalf("after undoing both bulk steps: %d docs", n)
	}
}

// A bulk step checks links against the records (the index is empty then),
// so a business may own a person written by an earlier step, and a link to
// nothing is refused as it is outside bulk mode.
func TestBulkChecksLinksAgainstTheRecords(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "db"), Options{Region: "BA"})
	owner := person("Amra", "Hodžić")
	err := s.Bulk(func() error {
		if _, err := s.Apply(context.Background(), Step{Action: StepDemo}, []data.Record{owner}, nil); err != nil {
			return err
		}
		b := &data.Business{Name: "Hodžić GmbH", Country: "DE", Owners: []data.Owner{{PersonID: owner.ID, Share: "owner"}}}
		if _, err := s.Apply(context.Background(), Step{Action: StepDemo}, []data.Record{b}, nil); err != nil {
			return err
		}
		bad := &data.Business{Name: "Nobody GmbH", Country: "DE", Owners: []data.Owner{{PersonID: newID(), Share: "owner"}}}
		if _, err := s.Apply(context.Background(), Step{Action: StepDemo}, []data.Record{bad}, nil); err == nil {
			t.Error("a business owned by nobody was written in bulk mode")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Counts()[data.KindBusiness] != 1 {
		t.Fatalf("counts after bulk: %v", s.Counts())
	}
}

// A process killed in the middle of a bulk job (between two steps, and in
// the middle of a step) leaves a registry whose next open rolls back the
// unfinished step and rebuilds the index from the records: what the
// finished steps wrote is found, nothing of the unfinished one.
func TestCrashDuringBulkRebuildsTheIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s := openTest(t, dir, Options{Region: "BA"})
	if _, err := s.Apply(context.Background(), Step{Action: StepImport}, []data.Record{person("Amra", "Hodžić")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil { // a valid snapshot on disk
		t.Fatal(err)
	}
	s, err := Open(dir, Options{Region: "BA", Now: testClock(), kdfMemoryKiB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if s.indexFrom != "snapshot" {
		t.Fatalf("index from %s", s.indexFrom)
	}
	recs := demoRecords(t, 200)
	if err := s.beginBulk(); err != nil {
		t.Fatal(err)
	}
	writeInSteps(t, s, recs[:150], 150)
	// The next step is killed after its first chunk: its p/ key and part
	// of its records are on disk.
	ctx, cancel := context.WithCancel(context.Background())
	killed := errors.New("killed")
	func() {
		defer func() {
			if r := recover(); r != killed {
				panic(r)
			}
		}()
		s.Apply(ctx, Step{Action: StepDemo}, recs[150:], func(done, total int) { panic(killed) })
	}()
	cancel()
	// Badger alone is closed, as after a kill: no snapshot, no marker.
	close(s.gcStop)
	<-s.gcDone
	s.index.Reset()
	if err := s.db.DB.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{Region: "BA"})
	if s.indexFrom != "records" {
		t.Fatalf("the open after a crash mid-bulk loaded the index from %s, not the records", s.indexFrom)
	}
	if got, want := s.index.Len(), 1+150; got != want {
		t.Fatalf("index after the crash: %d docs, want %d", got, want)
	}
	stored := recordsOf(t, s)
	if len(stored) != 1+150 {
		t.Fatalf("records after the crash: %d, want %d (the unfinished step rolled back)", len(stored), 151)
	}
	for _, r := range recs[150:] {
		if _, ok := stored[string(data.KindOf(r))+"/"+r.Base().ID]; ok {
			t.Fatalf("%s of the killed step is still stored", r.Title())
		}
	}
	if s.Search(search.Query{Text: "hodzic"}).Total < 1 {
		t.Fatal("the person from before the bulk job is not found")
	}
}
