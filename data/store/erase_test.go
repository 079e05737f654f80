package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"

	"registar/data"
	"registar/data/search"
)

// The person the erase tests erase: a family name and a city nobody else
// in the registry has, so any of their bytes left in the folder is theirs.
// The secrets are lower case and cut short, so that they match the raw
// name, its folded form ("zxqwertovic") and the city however cased.
var eraseSecrets = []string{"zxqwert", "kwertzing"}

func rarePerson() *data.Person {
	p := person("Ana", "Zxqwertović")
	p.City = "Kwertzingen"
	p.Email = "ana.zxqwertovic@example.com"
	return p
}

// fillRegistry saves a few ordinary persons beside the rare one, so the
// index and the tables hold more than one record.
func fillRegistry(t *testing.T, s *Store) {
	t.Helper()
	for i, name := range []string{"Hodžić", "Mujkić", "Berisha", "Petrović", "Kovačević"} {
		p := person(fmt.Sprintf("Emir%d", i), name)
		p.City = "Wien"
		if err := s.Save(p); err != nil {
			t.Fatal(err)
		}
	}
}

// leftovers reports every place in the closed registry at dir where a
// secret can still be read: the raw bytes of every file; each SST's
// entries decompressed (unencrypted registries: an SST's blocks are
// Snappy-compressed, so a raw grep alone could miss a name); the saved
// search snapshot, decrypted if sealed; and every version of every key
// Badger still keeps, deleted or not, read through Badger with the key.
func leftovers(t *testing.T, dir, pass string) []string {
	t.Helper()
	var found []string
	note := func(where string, b []byte) {
		low := bytes.ToLower(b)
		for _, s := range eraseSecrets {
			if bytes.Contains(low, []byte(s)) {
				found = append(found, fmt.Sprintf("%s holds %q", where, s))
			}
		}
	}
	var key []byte
	if pass != "" {
		m, err := readMarker(dir)
		if err != nil {
			t.Fatal(err)
		}
		key = deriveKey(pass, m)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		// In an encrypted registry the raw bytes are ciphertext: the grep
		// can only find a leak in clear text, never miss one the reads
		// below would not find.
		note(rel, b)
		if strings.HasSuffix(path, ".sst") && key == nil {
			sstEntries(t, path, func(k, v []byte) { note(rel+" (decompressed)", append(k, v...)) })
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Every version Badger keeps, through Badger (which decrypts).
	db, err := badger.Open(badgerOptions(dir, Options{}, key))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var info snapshotInfo
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			note(fmt.Sprintf("key %s version %d", item.Key(), item.Version()), append(item.KeyCopy(nil), v...))
			if string(item.Key()) == snapshotMarker && !item.IsDeletedOrExpired() && info.Gen == "" {
				json.Unmarshal(v, &info)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if key != nil && info.Gen != "" {
		sealed, err := os.ReadFile(filepath.Join(dir, snapshotPrefix+info.Gen+snapshotSuffix))
		if err != nil {
			t.Fatal(err)
		}
		dump, err := openSnapshot(key, info.Gen, sealed, info.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		note("the snapshot, decrypted", dump)
	}
	return found
}

// sstEntries calls fn with every key and value of an SST, all versions,
// from a copy (a table's last reference deletes its file).
func sstEntries(t *testing.T, path string, fn func(k, v []byte)) {
	t.Helper()
	cp := filepath.Join(t.TempDir(), filepath.Base(path))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	mf, err := z.OpenMmapFile(cp, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := table.OpenTable(mf, table.Options{Compression: options.Snappy, BlockSize: 4 << 10, BloomFalsePositive: 0.01})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer mf.Close(-1)
	it := tbl.NewIterator(0)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		fn(bytes.Clone(it.Key()), bytes.Clone(it.Value().Value))
	}
}

// registryWithRarePerson makes a registry whose SST files hold the rare
// person (saved, then the session closed, which flushes it into a table)
// and checks that leftovers does see them there, so that an empty answer
// later means erased, not unseen.
func registryWithRarePerson(t *testing.T, pass string) (string, *data.Person) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "db")
	s := openTest(t, dir, Options{Passphrase: pass})
	fillRegistry(t, s)
	p := rarePerson()
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	p.Phone = "+38761000111" // a second version, so there are old ones to compact away
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(leftovers(t, dir, pass), "\n")
	for _, want := range []string{"decompressed", "version", "snapshot"} {
		if pass != "" && want == "decompressed" {
			continue
		}
		if !strings.Contains(got, want) {
			t.Fatalf("the check does not see the live person in %q; it saw:\n%s", want, got)
		}
	}
	return dir, p
}

// afterErase reopens the registry, checks that what is left still works
// (the other persons are found from the saved snapshot), and checks the
// folder for the erased person.
func afterErase(t *testing.T, dir, pass string, id string) {
	t.Helper()
	if found := leftovers(t, dir, pass); len(found) > 0 {
		t.Errorf("the erased person can still be read in the folder:\n%s", strings.Join(found, "\n"))
	}
	s := openTest(t, dir, Options{Passphrase: pass, ReadOnly: true})
	defer s.Close()
	if pass == "" && s.indexFrom != "snapshot" {
		t.Errorf("the index came from %q, not from the saved snapshot", s.indexFrom)
	}
	if n := s.Search(search.Query{Text: "wien"}).Total; n != 5 {
		t.Errorf("the others: %d persons in Wien, want 5", n)
	}
	if n := s.Search(search.Query{Text: "zxqwertovic"}).Total; n != 0 {
		t.Errorf("the erased person is found: %d", n)
	}
	if _, err := s.Get(id); err == nil {
		t.Error("the erased person can be read")
	}
}

func TestEraseLeavesNothingInTheFolder(t *testing.T) {
	dir, p := registryWithRarePerson(t, "")
	s := openTest(t, dir, Options{})
	if err := s.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	afterErase(t, dir, "", p.ID)
}

// A person saved and erased in one session never reached a table before
// the erase: the memtable and its log held both.
func TestEraseInTheSessionThatSavedLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s := openTest(t, dir, Options{})
	fillRegistry(t, s)
	p := rarePerson()
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := s.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	afterErase(t, dir, "", p.ID)
}

// The tombstone path of a bundle merge erases through ApplyTombstones.
func TestTombstoneFromABundleLeavesNothingInTheFolder(t *testing.T) {
	dir, p := registryWithRarePerson(t, "")
	s := openTest(t, dir, Options{})
	erased, err := s.ApplyTombstones([]Tombstone{{ID: p.ID, Kind: data.KindPerson, Time: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil || len(erased) != 1 {
		t.Fatalf("erased %d: %v", len(erased), err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	afterErase(t, dir, "", p.ID)
}

// In an encrypted registry the files are ciphertext: the check reads every
// version through Badger with the key and decrypts the snapshot.
func TestEraseInAnEncryptedRegistryLeavesNothing(t *testing.T) {
	const pass = "Cazin 2026 ured"
	dir, p := registryWithRarePerson(t, pass)
	s := openTest(t, dir, Options{Passphrase: pass})
	if err := s.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	afterErase(t, dir, pass, p.ID)
}

// A session killed after its erase never reached its close: the next
// session that opens the registry for writing finishes the job at its own
// close, even if it writes nothing.
func TestEraseIsFinishedByTheNextSessionAfterACrash(t *testing.T) {
	dir, p := registryWithRarePerson(t, "")
	s, err := Open(dir, Options{Now: testClock(), kdfMemoryKiB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	// Badger alone is closed: no snapshot, no compaction, as after a kill
	// (Badger's own close only flushes the memtable, which a kill leaves
	// in its log: both hold the same versions).
	close(s.gcStop)
	<-s.gcDone
	s.index.Reset()
	if err := s.db.DB.Close(); err != nil {
		t.Fatal(err)
	}
	if len(leftovers(t, dir, "")) == 0 {
		t.Fatal("the crashed session left nothing behind: the test shows nothing")
	}
	s = openTest(t, dir, Options{ReadOnly: true}) // a reading command
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	afterErase(t, dir, "", p.ID)
}

// A session that erased nothing does not pay for a compaction: the tables
// it did not touch stay as they were.
func TestCloseWithoutAnEraseLeavesTheTablesAlone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s := openTest(t, dir, Options{})
	fillRegistry(t, s)
	s.Close()
	before := tableFiles(t, dir)
	s = openTest(t, dir, Options{})
	p := rarePerson()
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	after := tableFiles(t, dir)
	for _, f := range before {
		if !strings.Contains(strings.Join(after, " "), f) {
			t.Fatalf("table %s was rewritten by a session that erased nothing (before %v, after %v)", f, before, after)
		}
	}
}

func tableFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

// Benchmarks of what an erase adds to the close (docs/benchmarks.md): each
// round copies a demo registry, opens it, erases one person (or, for the
// baseline, saves one) and closes it; only the close is timed.
func BenchmarkCloseAfterErase20k(b *testing.B)  { benchCloseAfter(b, 20000, true) }
func BenchmarkCloseAfterErase100k(b *testing.B) { benchCloseAfter(b, 100000, true) }
func BenchmarkCloseAfterSave20k(b *testing.B)   { benchCloseAfter(b, 20000, false) }
func BenchmarkCloseAfterSave100k(b *testing.B)  { benchCloseAfter(b, 100000, false) }

func benchCloseAfter(b *testing.B, persons int, erase bool) {
	src := benchStore(b, persons)
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "db")
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			b.Fatal(err)
		}
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		hit := s.Search(search.Query{Kind: data.KindPerson, Limit: 1}).Hits[0]
		if erase {
			err = s.Erase(hit.ID)
		} else {
			var r data.Record
			if r, err = s.Get(hit.ID); err == nil {
				r.(*data.Person).Notes = "called back"
				err = s.Save(r)
			}
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
	}
}
