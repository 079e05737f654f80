package store

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"registar/data/search"
)

// folderFiles lists the names in dir with their sizes and times, to see
// whether a session changed anything.
func folderFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %v", e.Name(), info.Size(), info.ModTime()))
	}
	return out
}

// A read-only session answers, refuses every write with ErrReadOnly and,
// where Badger can open its files read-only, leaves the folder as it was.
func TestReadOnlyOpen(t *testing.T) {
	dir := closedRegistry(t, "Đorđe", "Petrović")
	before := folderFiles(t, dir)
	s := openTest(t, dir, Options{ReadOnly: true})
	if got := s.Search(search.Query{Text: "Ђорђе"}); got.Total != 1 {
		t.Fatalf("read-only search found %d", got.Total)
	}
	id := s.Search(search.Query{Text: "petrovic"}).Hits[0].ID
	p, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(p); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("save in a read-only session: %v", err)
	}
	if err := s.Save(person("Ana", "Anić")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("new record in a read-only session: %v", err)
	}
	if err := s.Trash(id); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("trash in a read-only session: %v", err)
	}
	if err := s.Erase(id); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("erase in a read-only session: %v", err)
	}
	if got := s.Search(search.Query{Text: "ana"}).Total; got != 0 {
		t.Fatal("a refused write reached the index")
	}
	if runtime.GOOS != "windows" {
		if !s.db.Opts().ReadOnly {
			t.Fatal("Badger's files were not opened read-only")
		}
		// A second reader may share the folder; a writer may not.
		s2 := openTest(t, dir, Options{ReadOnly: true})
		if s2.Search(search.Query{Text: "djordje"}).Total != 1 {
			t.Fatal("second reader")
		}
		s2.Close()
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("a writer beside a reader: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && !slices.Equal(before, folderFiles(t, dir)) {
		t.Fatalf("a read-only session changed the folder:\n%v\n%v", before, folderFiles(t, dir))
	}
	// And a reader beside a writer is refused too.
	w := openTest(t, dir, Options{})
	if _, err := Open(dir, Options{ReadOnly: true}); !errors.Is(err, ErrLocked) {
		t.Fatalf("a reader beside a writer: %v", err)
	}
	w.Close()
}

// A registry that needs a write before it can be read is opened read-write
// for it, and the session still refuses the caller's writes: a change a
// crash interrupted is rolled back, a missing snapshot is rebuilt and saved.
func TestReadOnlyOpenRepairsFirst(t *testing.T) {
	dir := closedRegistry(t, "Ivan", "Horvat")
	s := openTest(t, dir, Options{})
	s.db.DB.Update(func(txn *badger.Txn) error { return txn.Set(pendingKey("crashed"), []byte("{}")) })
	s.db.DB.Update(dropSnapshot)
	s.Close()

	r := openTest(t, dir, Options{ReadOnly: true})
	if r.db.Opts().ReadOnly || r.indexFrom != "records" {
		t.Fatalf("repair needed, yet opened with read-only files (index from %s)", r.indexFrom)
	}
	if steps, err := r.pendingSteps(); err != nil || len(steps) != 0 {
		t.Fatalf("interrupted step not rolled back: %v %v", steps, err)
	}
	if r.Search(search.Query{Text: "horvat"}).Total != 1 {
		t.Fatal("rebuilt index")
	}
	if err := r.Save(person("Ana", "Anić")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write in a repaired read-only session: %v", err)
	}
	r.Close()

	// The repair saved a snapshot: the next reader needs no write.
	r2 := openTest(t, dir, Options{ReadOnly: true})
	defer r2.Close()
	if r2.indexFrom != "snapshot" || runtime.GOOS != "windows" && !r2.db.Opts().ReadOnly {
		t.Fatalf("after the repair: index from %s, read-only files %v", r2.indexFrom, r2.db.Opts().ReadOnly)
	}
}

// Damage in the docs' strings of the snapshot (which opening does not
// read) is found at the first search: the index is rebuilt from the
// records, the answers are right, and a session that can write saves a
// sound snapshot at close; a read-only one leaves the folder alone.
func TestSnapshotDocsDamageFoundAtFirstSearch(t *testing.T) {
	dir := closedRegistry(t, "Ivan", "Horvat")
	// The last letter of the last doc's kind.
	path, b := damageSnapshot(t, dir, func(n int) int { return n - 1 }, 0x20)

	for _, readOnly := range []bool{true, false} {
		s := openTest(t, dir, Options{ReadOnly: readOnly})
		if s.indexFrom != "snapshot" || !s.index.InPlace() {
			t.Fatalf("read-only %v: the doc part was read at open (index from %s)", readOnly, s.indexFrom)
		}
		if s.index.Count(search.Query{Text: "horvat"}) != 1 || !s.index.InPlace() {
			t.Fatal("a count needs only the core")
		}
		got := s.Search(search.Query{Text: "horvat"})
		if got.Total != 1 || got.Hits[0].Kind != "person" || got.Hits[0].Title != "Ivan Horvat" || s.index.InPlace() {
			t.Fatalf("read-only %v: search over damaged docs: %+v", readOnly, got)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		same, _ := os.ReadFile(path)
		if readOnly && !slices.Equal(same, b) {
			t.Fatal("a read-only session rewrote the snapshot")
		}
	}
	// The writable session saved a new generation: no damage left.
	s2 := openTest(t, dir, Options{})
	defer s2.Close()
	if got, err := os.ReadFile(snapshotPath(t, s2)); err != nil || slices.Equal(got, b) {
		t.Fatalf("the damaged snapshot is still the saved one (%v)", err)
	}
	if got := s2.Search(search.Query{Text: "horvat"}); s2.indexFrom != "snapshot" || got.Total != 1 || got.Hits[0].Title != "Ivan Horvat" {
		t.Fatalf("after the repair: index from %s, %+v", s2.indexFrom, got)
	}
}
