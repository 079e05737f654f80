package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

// testClock is a clock that moves a second per call, so audit keys and
// times are distinct and predictable.
func testClock() func() time.Time {
	t := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func openTest(t *testing.T, dir string, opt Options) *Store {
	t.Helper()
	if opt.Now == nil {
		opt.Now = testClock()
	}
	opt.kdfMemoryKiB = 1024 // fast key derivation in tests
	s, err := Open(dir, opt)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func person(given, family string) *data.Person {
	return &data.Person{GivenName: given, FamilyName: family, Country: "DE", Gender: "m",
		BirthDate: data.NewDate(1980, 5, 17), Phone: "061/242-771"}
}

func TestSaveBumpsVersionAndAudits(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{User: "amra"})
	p := person("Đorđe", "Petrović")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.Version != 1 || p.CreatedBy != "amra" || p.Source != data.SourceOffice {
		t.Fatalf("meta after create: %+v", p.Meta)
	}
	if p.Phone != "+38761242771" {
		t.Fatalf("phone not normalised: %q", p.Phone)
	}
	p.City = "München"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if p.Version != 2 {
		t.Fatalf("version = %d, want 2", p.Version)
	}
	got, err := s.Get(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.(*data.Person).City != "München" || got.Base().Version != 2 {
		t.Fatalf("stored: %+v", got)
	}
	h, err := s.History(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Action != ActionCreate || h[1].Action != ActionUpdate {
		t.Fatalf("history: %+v", h)
	}
	if strings.Join(h[1].Changed, ",") != "city" || !bytes.Contains(h[1].Before, []byte(`"version":1`)) {
		t.Fatalf("update entry: changed %v before %s", h[1].Changed, h[1].Before)
	}
	res := s.Search(search.Query{Text: "djordje munchen"})
	if res.Total != 1 {
		t.Fatalf("search after update: %+v", res)
	}
}

func TestSaveStaleVersionIsAConflict(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	p := person("Amir", "Hodžić")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	stale := data.Clone(p).(*data.Person)
	p.City = "Wien"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	stale.City = "Graz"
	if err := s.Save(stale); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale save: %v, want ErrConflict", err)
	}
	got, _ := s.Get(p.ID)
	if got.(*data.Person).City != "Wien" {
		t.Fatal("stale save overwrote the newer version")
	}
}

func TestInvalidRecordIsNotWritten(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{Lang: i18n.BS})
	p := person("", "Begić")
	p.Email = "not-an-email"
	err := s.Save(p)
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	fields := map[string]bool{}
	for _, fe := range ve.Errors {
		fields[fe.Field] = true
	}
	if !fields["given_name"] || !fields["email"] {
		t.Fatalf("errors name the wrong fields: %+v", ve.Errors)
	}
	if s.Counts()[data.KindPerson] != 0 {
		t.Fatal("an invalid record was written")
	}
	log, _ := s.AuditLog(0)
	if len(log) != 0 {
		t.Fatalf("audit entries for a refused save: %+v", log)
	}
}

func TestLinksMustExist(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	b := &data.Business{Name: "Hodžić Bau GmbH", Country: "AT", Owners: []data.Owner{{PersonID: "nobody", Share: "owner"}}}
	var ve *data.ValidationError
	if err := s.Save(b); !errors.As(err, &ve) {
		t.Fatalf("dangling owner accepted: %v", err)
	}
	p := person("Amir", "Hodžić")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	b.Owners[0].PersonID = p.ID
	if err := s.Save(b); err != nil {
		t.Fatalf("owner that exists refused: %v", err)
	}
}

func TestTrashAndRestore(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	p := person("Selma", "Begić")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := s.Trash(p.ID); err != nil {
		t.Fatal(err)
	}
	if n := s.Search(search.Query{Text: "selma"}).Total; n != 0 {
		t.Fatalf("trashed record still found: %d", n)
	}
	if n := s.Search(search.Query{Text: "selma", Trash: search.TrashOnly}).Total; n != 1 {
		t.Fatalf("trash search: %d", n)
	}
	got, _ := s.Get(p.ID)
	if !got.Base().Trashed() || got.Base().Version != 2 {
		t.Fatalf("after trash: %+v", got.Base())
	}
	if err := s.Restore(p.ID); err != nil {
		t.Fatal(err)
	}
	if n := s.Search(search.Query{Text: "selma"}).Total; n != 1 {
		t.Fatal("restored record not found")
	}
	h, _ := s.History(p.ID)
	if len(h) != 3 || h[1].Action != ActionTrash || h[2].Action != ActionRestore {
		t.Fatalf("history: %+v", h)
	}
}

func TestEraseRemovesPersonalDataEverywhere(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	p := person("Vjosa", "Berisha")
	p.Email = "vjosa.berisha@example.com"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	p.City = "Zürich"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	org := &data.Organisation{Name: "Shoqata Gjilani", OrgKind: "diaspora_association", Country: "CH", MemberIDs: []string{p.ID}}
	if err := s.Save(org); err != nil {
		t.Fatal(err)
	}
	if err := s.Erase(p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(p.ID); !errors.Is(err, ErrErased) {
		t.Fatalf("get after erase: %v", err)
	}
	if s.Search(search.Query{Text: "berisha"}).Total != 0 {
		t.Fatal("erased person still in the index")
	}
	o, _ := s.Get(org.ID)
	if len(o.(*data.Organisation).MemberIDs) != 0 {
		t.Fatal("organisation still lists the erased member")
	}
	// Re-creating the same ID (a bundle bringing it back) is refused.
	again := person("Vjosa", "Berisha")
	again.ID = p.ID
	if err := s.Save(again); !errors.Is(err, ErrErased) {
		t.Fatalf("erased ID re-created: %v", err)
	}
	h, _ := s.History(p.ID)
	if h[len(h)-1].Action != ActionErase {
		t.Fatalf("last entry %+v", h[len(h)-1])
	}
	s.Close()
	// Nothing personal is left anywhere in the files' live data.
	s2 := openTest(t, dir, Options{})
	var buf bytes.Buffer
	if err := s2.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	raw := dumpAll(t, s2)
	for _, secret := range []string{"Berisha", "vjosa.berisha@example.com", "Zürich"} {
		if strings.Contains(raw, secret) {
			t.Errorf("%q survives the erase", secret)
		}
	}
	// A backup taken after the erase is the registry as it is now: restored,
	// it holds the same live keys and values (so nothing of the person
	// either), and the erased ID stays erased. The backup is gzip, so the
	// names are looked for in what it restores, not in its bytes.
	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(restored, bytes.NewReader(buf.Bytes()), Options{}); err != nil {
		t.Fatalf("restore the backup taken after the erase: %v", err)
	}
	s3 := openTest(t, restored, Options{ReadOnly: true})
	if got := dumpAll(t, s3); got != raw {
		t.Errorf("the restored backup differs from the registry it was taken of:\n%s", lineDiff(raw, got))
	}
	if _, err := s3.Get(p.ID); !errors.Is(err, ErrErased) {
		t.Errorf("get after restoring the backup: %v", err)
	}
	if o, err := s3.Get(org.ID); err != nil || len(o.(*data.Organisation).MemberIDs) != 0 {
		t.Errorf("organisation after restoring the backup: %+v %v", o, err)
	}
	if s3.Search(search.Query{Text: "berisha"}).Total != 0 || s3.Search(search.Query{Text: "gjilani"}).Total != 1 {
		t.Error("the restored index does not match the registry")
	}
}

// dumpAll returns every live key and value as text.
func dumpAll(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			b.Write(it.Item().Key())
			v, _ := it.Item().ValueCopy(nil)
			b.Write(v)
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestApplyIsAllOrNothing(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	recs := []data.Record{person("Amir", "Hodžić"), person("Emina", "Mujkić"), person("", "Broken")}
	_, err := s.Apply(context.Background(), Step{Action: "import"}, recs, nil)
	var re *RecordError
	if !errors.As(err, &re) || re.Index != 2 {
		t.Fatalf("want RecordError at index 2, got %v", err)
	}
	if s.Counts()[data.KindPerson] != 0 {
		t.Fatal("a refused step wrote records")
	}
	recs = recs[:2]
	res, err := s.Apply(context.Background(), Step{Action: "import", Note: "field.xlsx"}, recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || s.Counts()[data.KindPerson] != 2 {
		t.Fatalf("result %+v, counts %v", res, s.Counts())
	}
	log, _ := s.AuditLog(1)
	if log[0].Action != "import" || log[0].Note != "field.xlsx" || log[0].Counts["created"] != 2 {
		t.Fatalf("step audit entry: %+v", log[0])
	}
}

func TestApplyCancelledRollsBack(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	var recs []data.Record
	for i := 0; i < 3*chunk; i++ {
		recs = append(recs, person("Edin", "Ćehajić"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := s.Apply(ctx, Step{Action: "import"}, recs, func(done, total int) {
		if done >= chunk {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := s.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("%d records left by a cancelled step", n)
	}
	if raw := dumpAll(t, s); strings.Contains(raw, "Ćehajić") {
		t.Fatal("record data left after rollback")
	}
}

// A step interrupted by a crash (simulated: the process "dies" after the
// first chunk, so the journal and some records are written and the commit is
// not) is rolled back when the store opens again.
func TestCrashedStepRolledBackAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	keep := person("Ivan", "Horvat")
	if err := s.Save(keep); err != nil {
		t.Fatal(err)
	}
	changed := data.Clone(keep).(*data.Person)
	changed.City = "Graz"
	recs := []data.Record{changed}
	for i := 0; i < 2*chunk; i++ {
		recs = append(recs, person("Ana", "Kovačević"))
	}
	crash := errors.New("crash")
	func() {
		defer func() {
			if r := recover(); r != crash {
				t.Fatalf("recovered %v", r)
			}
		}()
		s.Apply(context.Background(), Step{Action: "import"}, recs, func(done, total int) {
			if done >= chunk {
				panic(crash) // the process dies here: no rollback runs
			}
		})
	}()
	if n := countKind(t, s, data.KindPerson); n <= 1 {
		t.Fatalf("the simulated crash should leave records on disk, found %d", n)
	}
	s.Close()

	s2 := openTest(t, dir, Options{})
	if n := countKind(t, s2, data.KindPerson); n != 1 {
		t.Fatalf("after recovery %d persons on disk, want 1", n)
	}
	got, _ := s2.Get(keep.ID)
	if got.(*data.Person).City != "" || got.Base().Version != 1 {
		t.Fatalf("the changed record was not rolled back: %+v", got)
	}
	if s2.Search(search.Query{Text: "kovacevic"}).Total != 0 {
		t.Fatal("index has records of the rolled-back step")
	}
}

// countKind counts the records of a kind on disk, not in the index.
func countKind(t *testing.T, s *Store, k data.Kind) int {
	n := 0
	if err := s.Each(k, func(data.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUndoStep(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	old := person("Nikola", "Đurić")
	if err := s.Save(old); err != nil {
		t.Fatal(err)
	}
	upd := data.Clone(old).(*data.Person)
	upd.City = "Linz"
	res, err := s.Apply(context.Background(), Step{Action: "import"}, []data.Record{upd, person("Milica", "Jovanović")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1 || res.Updated != 1 {
		t.Fatalf("result %+v", res)
	}
	if _, err := s.Undo(context.Background(), res.Key); err != nil {
		t.Fatal(err)
	}
	if s.Search(search.Query{Text: "milica"}).Total != 0 {
		t.Fatal("created record survives undo")
	}
	got, _ := s.Get(old.ID)
	if got.(*data.Person).City != "" {
		t.Fatal("updated record not reverted")
	}
	if _, err := s.Undo(context.Background(), res.Key); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("second undo: %v", err)
	}
	// A step whose records were edited afterwards is not undone.
	res, err = s.Apply(context.Background(), Step{Action: "import"}, []data.Record{person("Blerim", "Gashi")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hit := s.Search(search.Query{Text: "blerim"}).Hits[0]
	r, _ := s.Get(hit.ID)
	r.(*data.Person).City = "Bern"
	if err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(context.Background(), res.Key); !errors.Is(err, ErrUndoChangedSince) {
		t.Fatalf("undo over a later edit: %v", err)
	}
}

func TestEncryptedStore(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{Passphrase: "bihac 2026"})
	if err := s.Save(person("Arbër", "Krasniqi")); err != nil {
		t.Fatal(err)
	}
	if !s.Encrypted() {
		t.Fatal("not encrypted")
	}
	s.Close()
	if _, err := Open(dir, Options{kdfMemoryKiB: 1024}); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("open without passphrase: %v", err)
	}
	_, err := Open(dir, Options{Passphrase: "wrong", kdfMemoryKiB: 1024})
	if !errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	// No plain text of a record in the files.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte("Krasniqi")) {
				t.Errorf("%s holds plain text", p)
			}
		}
		return nil
	})
	s2 := openTest(t, dir, Options{Passphrase: "bihac 2026"})
	if s2.Search(search.Query{Text: "krasniqi"}).Total != 1 {
		t.Fatal("record not found after reopening")
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir, Options{})
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second open: %v", err)
	}
}

func TestFolderThatIsNotAStore(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "thesis.docx"), []byte("x"), 0o600)
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNotAStore) {
		t.Fatalf("open: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "thesis.docx")); err != nil {
		t.Fatal("the user's file was touched")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("files added to a foreign folder: %v", entries)
	}
}

func TestBackupRoundTrip(t *testing.T) {
	for _, pass := range []string{"", "gjilan"} {
		t.Run("passphrase="+pass, func(t *testing.T) {
			dir := t.TempDir()
			s := openTest(t, dir, Options{Passphrase: pass})
			p := person("Ђорђе", "Петровић")
			if err := s.Save(p); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "registar.backup")
			if err := s.BackupFile(file); err != nil {
				t.Fatal(err)
			}
			p.City = "Beograd" // a change after the backup, lost by the restore
			if err := s.Save(p); err != nil {
				t.Fatal(err)
			}
			s.Close()
			previous, err := RestoreFile(dir, file, Options{Passphrase: pass, kdfMemoryKiB: 1024})
			if err != nil {
				t.Fatal(err)
			}
			if previous == "" || !IsStore(previous) {
				t.Fatalf("previous registry not kept: %q", previous)
			}
			s2 := openTest(t, dir, Options{Passphrase: pass})
			got, err := s2.Get(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.(*data.Person).City != "" || got.Base().Version != 1 {
				t.Fatalf("restored %+v", got)
			}
			if s2.Search(search.Query{Text: "djordje"}).Total != 1 {
				t.Fatal("restored store not searchable")
			}
			if h, _ := s2.History(p.ID); len(h) != 1 {
				t.Fatalf("audit log not restored: %+v", h)
			}
		})
	}
}

func TestRestoreRefusesBadFilesAndKeepsTheStore(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	if err := s.Save(person("Amir", "Hodžić")); err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := s.Backup(&good); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b := good.Bytes()
	flipped := append([]byte(nil), b...)
	flipped[len(flipped)/2] ^= 0xFF
	cases := map[string]struct {
		content []byte
		want    error
	}{
		"not a backup": {[]byte("PK\x03\x04 a spreadsheet"), ErrNotABackup},
		"empty":        {nil, ErrNotABackup},
		"truncated":    {b[:len(b)*2/3], ErrCorruptBackup},
		"no end frame": {b[:len(b)-40], ErrCorruptBackup},
		"tampered":     {flipped, ErrCorruptBackup},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Restore(dir, bytes.NewReader(c.content), Options{})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if _, err := os.Stat(dir + ".restoring"); !os.IsNotExist(err) {
				t.Fatal("temporary restore folder left behind")
			}
			s := openTest(t, dir, Options{})
			if s.Search(search.Query{Text: "hodzic"}).Total != 1 {
				t.Fatal("the registry was harmed by a refused restore")
			}
			s.Close()
		})
	}
}

func TestBackupToAFullDisk(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	s := openTest(t, t.TempDir(), Options{})
	if err := s.Save(person("Amir", "Hodžić")); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = s.Backup(f)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("backup to a full disk: %v", err)
	}
	// The store is unharmed.
	if s.Search(search.Query{Text: "amir"}).Total != 1 {
		t.Fatal("store harmed")
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	loc := &data.Locality{Name: "Ostrožac", Municipality: "Cazin", LocalityKind: "local_community"}
	if err := s.Save(loc); err != nil {
		t.Fatal(err)
	}
	p := person("Emina", "Mujkić")
	p.LocalityID = loc.ID
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := openTest(t, dir, Options{})
	c := s2.Counts()
	if c[data.KindPerson] != 1 || c[data.KindLocality] != 1 {
		t.Fatalf("counts after reopen: %v", c)
	}
	if s2.Search(search.Query{Filters: []search.Facet{{Name: "locality", Value: loc.ID}}}).Total != 1 {
		t.Fatal("locality filter after reopen")
	}
}

// A backup to a device (here /dev/null) writes to it and leaves it a device:
// renaming a temporary file over it would replace the device node.
func TestBackupFileToADeviceKeepsTheDevice(t *testing.T) {
	info, err := os.Stat(os.DevNull)
	if err != nil || info.Mode().IsRegular() {
		t.Skip("no device to write to")
	}
	s := openTest(t, t.TempDir(), Options{})
	if err := s.BackupFile(os.DevNull); err != nil {
		t.Fatal(err)
	}
	if after, err := os.Stat(os.DevNull); err != nil || after.Mode() != info.Mode() {
		t.Fatalf("%s changed: %v %v", os.DevNull, after.Mode(), err)
	}
}

// Audit keys keep increasing across runs even when the laptop's clock has
// been set back, so "changes since the last bundle" misses nothing.
func TestAuditKeysIncreaseAcrossAClockSetBack(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	s.Save(person("Amir", "Hodžić"))
	before, _ := s.AuditLog(1)
	s.Close()
	lastAuditNanos.Store(0) // a new process
	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	s2 := openTest(t, dir, Options{Now: func() time.Time { return past }})
	s2.Save(person("Emina", "Mujkić"))
	after, _ := s2.AuditLog(1)
	if after[0].Key <= before[0].Key {
		t.Fatalf("new audit key %s sorts before the old %s", after[0].Key, before[0].Key)
	}
}

// A second Close while the first is still saving (the app's signal handler
// and its main both close) returns only when the first has finished: the
// index's snapshot is there, and the registry opens without a rebuild.
func TestSecondCloseWaitsForTheFirst(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open(dir, Options{kdfMemoryKiB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(person("Amra", "Hodžić")); err != nil {
		t.Fatal(err)
	}
	hold := make(chan struct{})
	closeHook = func() { <-hold } // the first Close waits here, as if its save were long
	t.Cleanup(func() { closeHook = nil })
	first, second := make(chan error), make(chan error)
	go func() { first <- s.Close() }()
	for {
		s.mu.Lock()
		started := s.closing != nil
		s.mu.Unlock()
		if started {
			break
		}
		time.Sleep(time.Millisecond)
	}
	go func() { second <- s.Close() }()
	select {
	case <-second:
		t.Fatal("the second Close returned while the first was still closing")
	case <-time.After(100 * time.Millisecond):
	}
	close(hold)
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, Options{kdfMemoryKiB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.indexFrom != "snapshot" {
		t.Errorf("index loaded from %q after the two closes, want the snapshot", s.indexFrom)
	}
}
