package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"registar/data"
	"registar/data/demo"
	"registar/data/i18n"
	"registar/data/search"
)

// demoRegistry is a closed registry of n demo persons (with their
// businesses and organisations).
func demoRegistry(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "registar")
	s := openTest(t, dir, Options{})
	var recs []data.Record
	err := demo.Generate(demo.Options{Persons: n, Seed: 3, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, func(r data.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(t.Context(), Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func removeSnapshotFiles(t *testing.T, dir string) {
	t.Helper()
	for _, f := range snapshotFiles(t, dir) {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
}

var rebuildQueries = []string{"hodz", "petrov", "Петр", "djordje", "celik", "amir hod", "krasniq", "selma",
	"country:DE", "kind:business", "interest:invest", "gender:f country:AT", "a", "zz"}

// The index a rebuild streams from the records into the snapshot file,
// batch after batch, is the very dump the old rebuild made (every doc in
// memory, PutAll, MarshalBinary at close); the open answers from the file
// in place, and queries get the same answers.
func TestRebuildStreamsTheSameIndex(t *testing.T) {
	dir := demoRegistry(t, 2500)
	defer func(n int) { rebuildBatch = n }(rebuildBatch)
	rebuildBatch = 700 // a few batches, and docs across the decoders' chunks

	s := openTest(t, dir, Options{})
	docs, err := s.recordDocs()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	old := search.NewIndex()
	old.PutAll(docs)
	want, err := old.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}

	removeSnapshotFiles(t, dir)
	s2 := openTest(t, dir, Options{})
	if s2.indexFrom != "records" || !s2.index.InPlace() {
		t.Fatalf("rebuilt from %s, in place %v: not answered from the file written at open", s2.indexFrom, s2.index.InPlace())
	}
	files := snapshotFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("snapshot files after the rebuild: %v", files)
	}
	got, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the streamed dump (%d bytes) differs from the old rebuild's (%d bytes)", len(got), len(want))
	}
	for _, q := range rebuildQueries {
		pq := search.ParseQuery(q)
		pq.Limit = 40
		a, b := s2.Search(pq), old.Search(pq)
		if a.Total != b.Total || !slices.Equal(a.Hits, b.Hits) {
			t.Errorf("%q: %d hits after the streamed rebuild, %d after the old one", q, a.Total, b.Total)
		}
	}
	// Closed without a write, the file is kept and named by the marker:
	// the next open maps it.
	s2.Close()
	s3 := openTest(t, dir, Options{ReadOnly: true})
	if s3.indexFrom != "snapshot" || snapshotPath(t, s3) != files[0] {
		t.Fatalf("after the rebuild's session: index from %s, file %v", s3.indexFrom, snapshotFiles(t, dir))
	}
}

// A write in the session that rebuilt lets go of the file the open wrote
// (it holds names an erase must be able to remove) and Close saves anew.
func TestRebuildThenWrite(t *testing.T) {
	dir := demoRegistry(t, 300)
	removeSnapshotFiles(t, dir)
	s := openTest(t, dir, Options{})
	if s.indexFrom != "records" || len(snapshotFiles(t, dir)) != 1 {
		t.Fatalf("index from %s, files %v", s.indexFrom, snapshotFiles(t, dir))
	}
	if err := s.Save(person("Vjosa", "Berisha")); err != nil {
		t.Fatal(err)
	}
	if files := snapshotFiles(t, dir); len(files) != 0 || markerOnDisk(t, s) {
		t.Fatalf("after a write: files %v, marker %v", files, markerOnDisk(t, s))
	}
	if s.Search(search.Query{Text: "vjosa berisha"}).Total != 1 {
		t.Fatal("the write is not in the index")
	}
	s.Close()
	s2 := openTest(t, dir, Options{})
	if s2.indexFrom != "snapshot" || s2.Search(search.Query{Text: "vjosa berisha"}).Total != 1 {
		t.Fatalf("after the session: index from %s", s2.indexFrom)
	}
}

// A backup leaves the snapshot file out: the first open after a restore
// rebuilds the index from the records, answers, and saves it for the next.
func TestRestoreThenFirstOpenRebuilds(t *testing.T) {
	src := demoRegistry(t, 400)
	s := openTest(t, src, Options{})
	want := s.Search(search.Query{Text: "a", Limit: 1000})
	backup := filepath.Join(t.TempDir(), "registar.backup")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := RestoreFile(dir, backup, Options{}); err != nil {
		t.Fatal(err)
	}
	if files := snapshotFiles(t, dir); len(files) != 0 {
		t.Fatalf("the restore brought snapshot files: %v", files)
	}
	r := openTest(t, dir, Options{ReadOnly: true})
	got := r.Search(search.Query{Text: "a", Limit: 1000})
	if r.indexFrom != "records" || got.Total != want.Total || !slices.Equal(got.Hits, want.Hits) {
		t.Fatalf("first open after the restore: index from %s, %d hits, want %d", r.indexFrom, got.Total, want.Total)
	}
	r.Close()
	r2 := openTest(t, dir, Options{ReadOnly: true})
	if r2.indexFrom != "snapshot" || r2.Search(search.Query{Text: "a", Limit: 1000}).Total != want.Total {
		t.Fatalf("second open after the restore: index from %s", r2.indexFrom)
	}
}

// A disk too full for the rebuilt index refuses the open with one message
// naming the folder and the room needed, and leaves the registry as it was:
// no file, no marker; with room again, the open rebuilds.
func TestRebuildOnAFullDiskLeavesTheRegistry(t *testing.T) {
	dir := demoRegistry(t, 300)
	removeSnapshotFiles(t, dir)
	before := folderNames(t, dir)
	diskFree = func(string) (uint64, error) { return 2 << 20, nil }
	defer func() { diskFree = freeSpace }()
	_, err := Open(dir, Options{Lang: i18n.BS, kdfMemoryKiB: 1024})
	var full *DiskFullError
	if !errors.As(err, &full) || full.Folder != dir || full.Need <= full.Free {
		t.Fatalf("open with a full disk: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || msg != full.Message(i18n.BS) {
		t.Errorf("message: %q", msg)
	}
	if after := folderNames(t, dir); !slices.Equal(after, before) {
		t.Errorf("the folder changed:\n before %v\n after  %v", before, after)
	}
	diskFree = freeSpace
	s := openTest(t, dir, Options{})
	if s.indexFrom != "records" || s.Counts()[data.KindPerson] != 300 {
		t.Fatalf("with room again: index from %s, %d persons", s.indexFrom, s.Counts()[data.KindPerson])
	}
}

// folderNames lists the registry's files, but Badger's own (which an open
// may rotate).
func folderNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		switch filepath.Ext(n) {
		case ".sst", ".vlog", ".mem":
			continue
		}
		if n == "MANIFEST" || n == "DISCARD" || n == "KEYREGISTRY" || n == "LOCK" {
			continue
		}
		names = append(names, n)
	}
	return names
}

// An encrypted registry rebuilds into a sealed file, and answers.
func TestRebuildEncrypted(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{Passphrase: "tajna lozinka"})
	for _, n := range [][2]string{{"Đorđe", "Petrović"}, {"Arbër", "Çelik"}} {
		if err := s.Save(person(n[0], n[1])); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	removeSnapshotFiles(t, dir)
	s2 := openTest(t, dir, Options{Passphrase: "tajna lozinka"})
	if s2.indexFrom != "records" || s2.Search(search.Query{Text: "djordje"}).Total != 1 {
		t.Fatalf("encrypted rebuild: index from %s", s2.indexFrom)
	}
	files := snapshotFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	if b, _ := os.ReadFile(files[0]); bytes.Contains(b, []byte("petrovic")) {
		t.Fatal("the rebuilt snapshot of an encrypted registry is in clear")
	}
	s2.Close()
	s3 := openTest(t, dir, Options{Passphrase: "tajna lozinka"})
	if s3.indexFrom != "snapshot" || s3.Search(search.Query{Text: "celik"}).Total != 1 {
		t.Fatalf("after the rebuild: index from %s", s3.indexFrom)
	}
}

// A rebuild at open tells how many records it has indexed after each
// batch, up to all of them.
func TestRebuildReportsProgress(t *testing.T) {
	dir := demoRegistry(t, 300)
	removeSnapshotFiles(t, dir)
	defer func(n int) { rebuildBatch = n }(rebuildBatch)
	rebuildBatch = 100
	var seen []int
	s := openTest(t, dir, Options{IndexProgress: func(n int) { seen = append(seen, n) }})
	if s.indexFrom != "records" {
		t.Fatalf("index from %s", s.indexFrom)
	}
	if len(seen) < 3 || seen[len(seen)-1] != s.index.Len() {
		t.Fatalf("progress %v for %d records", seen, s.index.Len())
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("progress goes back: %v", seen)
		}
	}
}
