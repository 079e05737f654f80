package store

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
	"registar/data/search"
)

func markerOnDisk(t *testing.T, s *Store) bool {
	t.Helper()
	found := false
	s.db.DB.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(snapshotMarker))
		found = err == nil
		return nil
	})
	return found
}

func TestIndexSnapshot(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	for _, n := range [][2]string{{"Đorđe", "Petrović"}, {"Ђорђе", "Петровић"}, {"Arbër", "Çelik"}} {
		if err := s.Save(person(n[0], n[1])); err != nil {
			t.Fatal(err)
		}
	}
	trashed := person("Selma", "Begić")
	s.Save(trashed)
	s.Trash(trashed.ID)
	s.Close()

	s2 := openTest(t, dir, Options{})
	if s2.indexFrom != "snapshot" || !markerOnDisk(t, s2) {
		t.Fatalf("index loaded from %s after a clean close", s2.indexFrom)
	}
	for q, want := range map[string]int{"djordje": 2, "celik": 1, "selma": 0} {
		if got := s2.Search(search.Query{Text: q}).Total; got != want {
			t.Errorf("%s: %d hits from the snapshot, want %d", q, got, want)
		}
	}
	if s2.Search(search.Query{Trash: search.TrashOnly}).Total != 1 {
		t.Error("trash lost in the snapshot")
	}
	// The first write drops the marker before it lands: a crash now would
	// make the next open rebuild from the records.
	if err := s2.Save(person("Vjosa", "Berisha")); err != nil {
		t.Fatal(err)
	}
	if markerOnDisk(t, s2) {
		t.Fatal("marker still on disk after a write")
	}
	// The file went with the marker, after the index was copied out of it.
	if files := snapshotFiles(t, dir); len(files) != 0 {
		t.Fatalf("snapshot files left after a write: %v", files)
	}
	for q, want := range map[string]int{"djordje": 2, "celik": 1, "berisha": 1, "selma": 0} {
		if got := s2.Search(search.Query{Text: q}).Total; got != want {
			t.Errorf("%s: %d hits after the first write, want %d", q, got, want)
		}
	}
	s2.Close()
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "snapshot" || s3.Search(search.Query{Text: "berisha"}).Total != 1 {
		t.Fatalf("after a clean close with a write: from %s", s3.indexFrom)
	}
}

// A crash after a write (no clean close) leaves no marker: the index is
// rebuilt from the records and has the write.
func TestIndexRebuiltAfterUncleanStop(t *testing.T) {
	dir := closedRegistry(t, "Amir", "Hodžić")
	s2 := openTest(t, dir, Options{})
	s2.Save(person("Emina", "Mujkić"))
	// Simulate a crash: close Badger without the store's Close.
	s2.mu.Lock()
	s2.closing = make(chan struct{}) // the Cleanup's Close then returns at once
	close(s2.closing)
	s2.mu.Unlock()
	close(s2.gcStop)
	<-s2.gcDone
	s2.db.DB.Close()

	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "records" {
		t.Fatalf("index from %s after an unclean stop", s3.indexFrom)
	}
	if s3.Search(search.Query{Text: "mujkic"}).Total != 1 || s3.Counts()[data.KindPerson] != 2 {
		t.Fatal("write lost from the index")
	}
}

// damageSnapshot flips bits of byte at(len) of the snapshot file of the
// closed registry in dir; it returns the file's path and its new bytes.
func damageSnapshot(t *testing.T, dir string, at func(n int) int, bits byte) (string, []byte) {
	t.Helper()
	s := openTest(t, dir, Options{})
	path := snapshotPath(t, s)
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[at(len(b))] ^= bits
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, b
}

// A damaged snapshot is not trusted.
func TestDamagedSnapshotIsRebuilt(t *testing.T) {
	dir := closedRegistry(t, "Ivan", "Horvat")
	damageSnapshot(t, dir, func(n int) int { return n / 2 }, 0x40)
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "records" || s3.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatalf("damaged snapshot: index from %s", s3.indexFrom)
	}
}

// A snapshot file of another generation under the marker's name (a file
// copied in by hand, a restore gone wrong) is not read.
func TestStaleSnapshotFileIsRebuilt(t *testing.T) {
	dir := closedRegistry(t, "Ivan", "Horvat")
	s2 := openTest(t, dir, Options{})
	old, err := os.ReadFile(snapshotPath(t, s2))
	if err != nil {
		t.Fatal(err)
	}
	s2.Save(person("Ana", "Anić"))
	s2.Close()
	s3 := openTest(t, dir, Options{})
	path := snapshotPath(t, s3)
	s3.Close()
	os.WriteFile(path, old, 0o600) // one person, where the marker says two
	s4 := openTest(t, dir, Options{})
	if s4.indexFrom != "records" || s4.Search(search.Query{Text: "anic"}).Total != 1 {
		t.Fatalf("stale snapshot file: index from %s", s4.indexFrom)
	}
}

// A snapshot of another format (1 was encoded docs) is rebuilt from the
// records; so is one with a chunk missing.
func TestOldSnapshotFormatIsRebuilt(t *testing.T) {
	dir := closedRegistry(t, "Ivan", "Horvat")
	s2 := openTest(t, dir, Options{})
	s2.db.DB.Update(func(txn *badger.Txn) error {
		return txn.Set([]byte(snapshotMarker), []byte(`{"format":1,"docs":1,"chunks":1}`))
	})
	s2.Close()
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "records" || s3.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatalf("old snapshot format: index from %s", s3.indexFrom)
	}
	s3.Save(person("Ana", "Anić")) // dirty: Close saves anew
	s3.Close()
	s4 := openTest(t, dir, Options{})
	if s4.indexFrom != "snapshot" || s4.Search(search.Query{Text: "anic"}).Total != 1 {
		t.Fatalf("after a save: index from %s", s4.indexFrom)
	}
	path := snapshotPath(t, s4)
	s4.Close()
	os.Remove(path)
	s5 := openTest(t, dir, Options{})
	if s5.indexFrom != "records" || s5.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatalf("snapshot file missing: index from %s", s5.indexFrom)
	}
}

// closedRegistry makes a registry holding one person, saved and closed so
// that it has a snapshot, and returns its folder.
func closedRegistry(t *testing.T, given, family string) string {
	t.Helper()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	if err := s.Save(person(given, family)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshotPath is the file of the snapshot s opened with.
func snapshotPath(t *testing.T, s *Store) string {
	t.Helper()
	return filepath.Join(s.dir, snapshotPrefix+savedGen(t, s)+snapshotSuffix)
}

// snapshotFiles lists the snapshot files in dir.
func snapshotFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, snapshotPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// savedGen is the generation of the snapshot s opened with.
func savedGen(t *testing.T, s *Store) string {
	t.Helper()
	var info snapshotInfo
	err := s.db.DB.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(snapshotMarker))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return json.Unmarshal(v, &info) })
	})
	if err != nil || info.Gen == "" {
		t.Fatalf("no saved snapshot: %v %+v", err, info)
	}
	return info.Gen
}

// Each save leaves one generation's file: the others' are deleted.
func TestSnapshotKeepsOneGeneration(t *testing.T) {
	dir := t.TempDir()
	gens := map[string]bool{}
	for i, name := range []string{"Horvat", "Anić", "Babić"} {
		s := openTest(t, dir, Options{})
		if i > 0 {
			gens[savedGen(t, s)] = true
		}
		s.Save(person("Ivan", name))
		s.Close()
	}
	s := openTest(t, dir, Options{})
	defer s.Close()
	gen := savedGen(t, s)
	if gens[gen] || len(gens) != 2 {
		t.Fatalf("generation %q reused (%v)", gen, gens)
	}
	files := snapshotFiles(t, dir)
	if len(files) != 1 || files[0] != snapshotPath(t, s) {
		t.Fatalf("snapshot files %v, want only generation %s", files, gen)
	}
	if s.indexFrom != "snapshot" || s.Search(search.Query{Text: "babic"}).Total != 1 {
		t.Fatalf("index from %s", s.indexFrom)
	}
}

// A session that only reads keeps the snapshot: the next open maps the same
// generation, and the index answered from the mapping all along.
func TestReadOnlySessionKeepsSnapshot(t *testing.T) {
	dir := closedRegistry(t, "Đorđe", "Petrović")
	s2 := openTest(t, dir, Options{})
	gen := savedGen(t, s2)
	if s2.index.Search(search.Query{Text: "Ђорђе"}).Total != 1 {
		t.Fatal("not found from the mapped snapshot")
	}
	if _, err := s2.Get(s2.Search(search.Query{Text: "petrovic"}).Hits[0].ID); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "snapshot" || savedGen(t, s3) != gen {
		t.Fatalf("a read-only session rewrote the snapshot (from %s)", s3.indexFrom)
	}
}

// Chunks that the previous version kept in Badger (x/...) are deleted at
// the next save.
func TestOldSnapshotChunksDeleted(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	s.db.DB.Update(func(txn *badger.Txn) error { return txn.Set([]byte("x/old/00000000"), []byte("Horvat")) })
	s.Save(person("Ivan", "Horvat"))
	s.Close()
	s2 := openTest(t, dir, Options{})
	defer s2.Close()
	s2.db.DB.View(func(txn *badger.Txn) error {
		if _, err := txn.Get([]byte("x/old/00000000")); err == nil {
			t.Error("old snapshot chunk left in the store")
		}
		return nil
	})
}

// An encrypted registry's snapshot is sealed: no name in the clear, and it
// still loads.
func TestEncryptedSnapshotSealed(t *testing.T) {
	dir := t.TempDir()
	opt := Options{Passphrase: "correct horse", kdfMemoryKiB: 1024}
	s := openTest(t, dir, opt)
	s.Save(person("Đorđe", "Petrović"))
	s.Close()
	files := snapshotFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("snapshot files %v", files)
	}
	b, _ := os.ReadFile(files[0])
	for _, clear := range []string{"petrovic", "Petrović", "djordje"} {
		if bytes.Contains(b, []byte(clear)) {
			t.Fatalf("%q in the clear in the snapshot of an encrypted registry", clear)
		}
	}
	s2 := openTest(t, dir, opt)
	defer s2.Close()
	if s2.indexFrom != "snapshot" || s2.Search(search.Query{Text: "djordje"}).Total != 1 {
		t.Fatalf("encrypted snapshot: index from %s", s2.indexFrom)
	}
}

// The snapshot file is mapped while Badger opens, before the marker can be
// read: a file without its marker (a crash after a write deleted the marker
// but not yet the file), or a second file beside it, is never used.
func TestEarlySnapshotNeedsItsMarker(t *testing.T) {
	dir := closedRegistry(t, "Ivan", "Horvat")
	s2 := openTest(t, dir, Options{})
	path := snapshotPath(t, s2)
	s2.db.DB.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(snapshotMarker)) })
	s2.db.DB.Update(func(txn *badger.Txn) error { // a record the snapshot lacks
		late := person("Ana", "Anić")
		late.ID = "p-late"
		b, err := data.Encode(late)
		if err != nil {
			t.Fatal(err)
		}
		return txn.Set(recordKey(data.KindPerson, late.ID), b)
	})
	s2.db.valid = false
	s2.Close() // nothing written through the store: no new snapshot
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "records" || s3.Search(search.Query{Text: "anic"}).Total != 1 {
		t.Fatalf("a snapshot without its marker was used (index from %s)", s3.indexFrom)
	}
	s3.Close()

	// Two files: the early load steps aside, the marker picks its own.
	s4 := openTest(t, dir, Options{})
	b, _ := os.ReadFile(snapshotPath(t, s4))
	s4.Close()
	os.WriteFile(filepath.Join(dir, snapshotPrefix+"zzzz"+snapshotSuffix), b, 0o600)
	s5 := openTest(t, dir, Options{})
	defer s5.Close()
	if s5.indexFrom != "snapshot" || s5.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatalf("two snapshot files: index from %s", s5.indexFrom)
	}
}

// PrepareForWrites copies the index out of the mapping ahead of the first
// write and keeps the snapshot valid: the next open still uses it.
func TestPrepareForWrites(t *testing.T) {
	dir := closedRegistry(t, "Đorđe", "Petrović")
	s2 := openTest(t, dir, Options{})
	if !s2.Index().InPlace() {
		t.Fatal("the index was copied at open")
	}
	gen := savedGen(t, s2)
	s2.PrepareForWrites()
	if s2.Index().InPlace() || s2.Search(search.Query{Text: "Ђорђе"}).Total != 1 {
		t.Fatal("not copied out, or lost on the way")
	}
	if err := s2.Save(person("Ana", "Anić")); err != nil { // the first write: no copy left to make
		t.Fatal(err)
	}
	s2.Close()
	s3 := openTest(t, dir, Options{})
	defer s3.Close()
	if s3.indexFrom != "snapshot" || savedGen(t, s3) == gen || s3.Search(search.Query{Text: "anic"}).Total != 1 {
		t.Fatalf("after prepare and a write: from %s", s3.indexFrom)
	}
	s4 := openTest(t, t.TempDir(), Options{})
	defer s4.Close()
	s4.PrepareForWrites() // a new registry has nothing mapped: nothing to do
}

// Encrypting a plain registry leaves no snapshot in the clear: the copy made
// under the new key has no snapshot file, so the next open rebuilds the
// index and its close seals the new one.
func TestEncryptingDropsClearSnapshot(t *testing.T) {
	dir := t.TempDir() + "/reg"
	s := openTest(t, dir, Options{})
	s.Save(person("Đorđe", "Petrović"))
	s.Close()
	if len(snapshotFiles(t, dir)) != 1 {
		t.Fatal("no snapshot to begin with")
	}
	if err := ChangePassphrase(dir, "", "correct horse", Options{kdfMemoryKiB: 1024}); err != nil {
		t.Fatal(err)
	}
	if files := snapshotFiles(t, dir); len(files) != 0 {
		t.Fatalf("clear snapshot left after encrypting: %v", files)
	}
	s2 := openTest(t, dir, Options{Passphrase: "correct horse"})
	if s2.indexFrom != "records" || s2.Search(search.Query{Text: "djordje"}).Total != 1 {
		t.Fatalf("after encrypting: index from %s", s2.indexFrom)
	}
	s2.Close()
	for _, f := range snapshotFiles(t, dir) {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("petrovic")) {
			t.Fatal("the new snapshot is not sealed")
		}
	}
}
