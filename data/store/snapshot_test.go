package store

import (
	"encoding/json"
	"strings"
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
	s2.Close()
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "snapshot" || s3.Search(search.Query{Text: "berisha"}).Total != 1 {
		t.Fatalf("after a clean close with a write: from %s", s3.indexFrom)
	}
}

// A crash after a write (no clean close) leaves no marker: the index is
// rebuilt from the records and has the write.
func TestIndexRebuiltAfterUncleanStop(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	s.Save(person("Amir", "Hodžić"))
	s.Close()
	s2 := openTest(t, dir, Options{})
	s2.Save(person("Emina", "Mujkić"))
	// Simulate a crash: close Badger without the store's Close.
	s2.mu.Lock()
	s2.closed = true
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

// A damaged snapshot is not trusted.
func TestDamagedSnapshotIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	s.Save(person("Ivan", "Horvat"))
	s.Close()
	s2 := openTest(t, dir, Options{})
	s2.db.DB.Update(func(txn *badger.Txn) error { return txn.Set(chunkKey(savedGen(t, s2), 0), []byte{0xff, 0x01, 0x02}) })
	s2.Close()
	s3 := openTest(t, dir, Options{})
	if s3.indexFrom != "records" || s3.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatalf("damaged snapshot: index from %s", s3.indexFrom)
	}
}

// A snapshot of another format (1 was encoded docs) is rebuilt from the
// records; so is one with a chunk missing.
func TestOldSnapshotFormatIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	s.Save(person("Ivan", "Horvat"))
	s.Close()
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
	s4.db.DB.Update(func(txn *badger.Txn) error { return txn.Delete(chunkKey(savedGen(t, s4), 0)) })
	s4.Close()
	s5 := openTest(t, dir, Options{})
	if s5.indexFrom != "records" || s5.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatalf("chunk missing: index from %s", s5.indexFrom)
	}
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

// Each save leaves one generation of chunks: the others' are deleted.
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
	var keys []string
	s.db.DB.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("x/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, string(it.Item().Key()))
		}
		return nil
	})
	if len(keys) == 0 {
		t.Fatal("no chunks saved")
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "x/"+gen+"/") {
			t.Fatalf("chunk %s of another generation left beside %s", k, gen)
		}
	}
	if s.indexFrom != "snapshot" || s.Search(search.Query{Text: "babic"}).Total != 1 {
		t.Fatalf("index from %s", s.indexFrom)
	}
}
