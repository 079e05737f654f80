package store

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/crypto/argon2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

// markerName is the file that makes a folder a Registar registry. It holds
// the format version and, for an encrypted store, the key-derivation salt and
// a check value that tells a wrong passphrase apart before Badger is opened.
const markerName = "registar.json"

// FormatVersion is the on-disk format of the folder (marker and key layout).
const FormatVersion = 1

// Options say how to open a store. The zero value opens an unencrypted store
// with the laptop-friendly Badger settings, messages in English.
type Options struct {
	// Passphrase encrypts a new store and unlocks an encrypted one.
	Passphrase string
	// User is written into the audit log; empty means the OS user name.
	User string
	// Lang is the language of validation messages.
	Lang i18n.Lang
	// Region is the default phone region ("BA", "XK", "RS").
	Region string
	// Logger receives Badger's warnings and errors; nil discards them.
	Logger *log.Logger
	// InMemory keeps everything in memory (tests); Dir is ignored.
	InMemory bool
	// SyncWrites makes every write survive a power cut, at some cost.
	SyncWrites bool
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// ReadOnly opens the registry for reading: every write fails with
	// ErrReadOnly. Where Badger can (not on Windows) its files are opened
	// read-only too, which creates nothing in the folder and makes a short
	// command faster. A registry that needs a write before it can be read
	// (an interrupted change to roll back, an index to rebuild) is opened
	// read-write for that, and the session still refuses the caller's
	// writes.
	ReadOnly bool
	// IndexProgress, if set, is told after each batch of a rebuild of the
	// search index at open how many records are indexed so far (called on
	// the opening goroutine), so that a long first open after a restore
	// shows it is moving.
	IndexProgress func(records int)

	kdfMemoryKiB uint32 // tests lower it; 0 means the default
}

// Store is an open registry. It is safe for concurrent use.
type Store struct {
	db     *db
	dir    string
	opt    Options
	index  *search.Index
	writes sync.Mutex  // one writer at a time keeps the index and the data in step
	bulk   atomic.Bool // in bulk-write mode (bulk.go): steps leave the index alone
	reads  readCount   // records read since the mapped pages were last shed (shed.go)
	// bulkStop ends the shedding of table pages during a bulk job; guarded by writes
	bulkStop func()
	// bulkIDs, during a bulk job, holds every record ID stored when it began
	// and every one it wrote since (idfilter.go); nil otherwise.
	bulkIDs atomic.Pointer[idFilter]
	// noTombstones, during a bulk job that began with no erased record's
	// tombstone stored, says there still is none (txErased): cleared
	// before any tombstone is written (txSetTombstone).
	noTombstones atomic.Bool
	// stepLinks, during a bulk job, holds the link targets (linkTarget)
	// found stored by the step being prepared (Apply, ApplyMerge): the
	// persons of a step of 5,000 link to a few of 96 localities. Cleared as
	// each step starts, under writes: nothing is deleted while a step is
	// prepared. A single save does not use it.
	stepLinks sync.Map

	indexFrom string // "snapshot" or "records": how the index was loaded (tests)
	// indexRebuilt: the index was built from the records (at open, or after
	// damage found in the snapshot), so Close saves a new snapshot.
	indexRebuilt atomic.Bool
	// rebuilt names the snapshot file the open wrote from the records,
	// whose marker Close writes if the session wrote nothing.
	rebuilt atomic.Pointer[snapshotInfo]
	early   *earlySnapshot // the snapshot file being mapped while Badger opens; readSnapshot takes it
	// savedSnapshot is the file name of the snapshot Close saved (its
	// marker written), once it has.
	savedSnapshot string

	gcStop chan struct{}
	gcDone chan struct{}
	// closing is closed when Close has finished; nil until Close is called.
	closing chan struct{}
	mu      sync.Mutex // guards closing
}

type marker struct {
	Format    int       `json:"format"`
	Created   time.Time `json:"created"`
	Encrypted bool      `json:"encrypted"`
	Salt      []byte    `json:"salt,omitempty"`
	KDFTime   uint32    `json:"kdf_time,omitempty"`
	KDFMemory uint32    `json:"kdf_memory_kib,omitempty"`
	KDFLanes  uint8     `json:"kdf_lanes,omitempty"`
	Check     []byte    `json:"check,omitempty"`
}

// Argon2id parameters: about 0.1 s and 64 MiB on an office laptop.
const (
	kdfTime      = 1
	kdfMemoryKiB = 64 * 1024
	kdfLanes     = 2
)

func deriveKey(pass string, m marker) []byte {
	return argon2.IDKey([]byte(pass), m.Salt, m.KDFTime, m.KDFMemory, m.KDFLanes, 32)
}

func checkValue(key []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("registar passphrase check"))
	return h.Sum(nil)
}

// DefaultDir is where the registry lives when no --db is given: the user's
// local (not roaming) data folder, e.g. ~/.local/share/registar on Linux,
// %LOCALAPPDATA%\Registar on Windows.
func DefaultDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "Registar", "registry"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support", "Registar", "registry"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "registar"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "registar"), nil
}

// IsStore reports whether dir holds a Registar registry.
func IsStore(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, markerName))
	return err == nil
}

// IsEncrypted reports whether the registry in dir needs a passphrase.
func IsEncrypted(dir string) bool {
	m, err := readMarker(dir)
	return err == nil && m.Encrypted
}

func readMarker(dir string) (marker, error) {
	var m marker
	b, err := os.ReadFile(filepath.Join(dir, markerName))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, &PathError{fmt.Errorf("%w (damaged %s)", ErrNotAStore, markerName), dir}
	}
	return m, nil
}

func writeMarker(dir string, m marker) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, markerName+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return translate(err, dir)
	}
	return translate(os.Rename(tmp, filepath.Join(dir, markerName)), dir)
}

// Open opens the registry in dir, creating it when the folder is missing or
// empty. A folder with other files in it is refused (ErrNotAStore), and so is
// a registry already open elsewhere (ErrLocked, naming the folder).
func Open(dir string, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Region == "" {
		opt.Region = data.DefaultRegion
	}
	if opt.User == "" {
		opt.User = osUser()
	}
	if opt.kdfMemoryKiB == 0 {
		opt.kdfMemoryKiB = kdfMemoryKiB
	}
	var key []byte
	var fresh bool
	var m marker
	if !opt.InMemory {
		var err error
		if dir, err = filepath.Abs(dir); err != nil {
			return nil, err
		}
		// A restore killed during its swap is finished before the folder
		// is looked at: a registry missing because of one is never
		// replaced by a new, empty one.
		if err := finishRestore(dir); err != nil {
			return nil, err
		}
		m, fresh, err = prepareDir(dir, opt)
		if err != nil {
			return nil, err
		}
		if m.Encrypted {
			if opt.Passphrase == "" {
				return nil, &PathError{ErrNeedPassphrase, dir}
			}
			key = deriveKey(opt.Passphrase, m)
			if !hmac.Equal(checkValue(key), m.Check) {
				return nil, &PathError{ErrWrongPassphrase, dir}
			}
		}
	} else if opt.Passphrase != "" {
		m = newMarker(opt)
		key = deriveKey(opt.Passphrase, m)
	}

	var early *earlySnapshot
	if !opt.InMemory && !fresh && !m.Encrypted {
		early = startEarlySnapshot(dir)
	}
	readOnlyFiles := opt.ReadOnly && !fresh && !opt.InMemory && badgerCanOpenReadOnly
	s, err := openSession(dir, opt, key, m, fresh, early, readOnlyFiles)
	if readOnlyFiles && err != nil && !errors.Is(err, ErrLocked) {
		// Something needs writing first (a change a crash interrupted, an
		// index to rebuild and save, a log to truncate): open as usual.
		s, err = openSession(dir, opt, key, m, fresh, nil, false)
	}
	if err != nil {
		return nil, err
	}
	s.db.readOnly = opt.ReadOnly
	go s.gcLoop(10 * time.Minute)
	return s, nil
}

// badgerCanOpenReadOnly: Badger refuses read-only mode on Windows.
const badgerCanOpenReadOnly = runtime.GOOS != "windows" && runtime.GOOS != "plan9"

// errNeedsWrite ends a session opened with read-only files that has to
// write before it can answer.
var errNeedsWrite = errors.New("the registry needs a repair before it can be read")

// openSession opens Badger and loads the index. With readOnlyFiles Badger
// opens its files read-only: nothing is created in the folder, and opening
// and closing take ~10 ms less (docs/benchmarks.md); a registry that needs
// a write first fails with errNeedsWrite.
func openSession(dir string, opt Options, key []byte, m marker, fresh bool, early *earlySnapshot, readOnlyFiles bool) (*Store, error) {
	removeEmptyMemtables(dir)
	bdb, err := badger.Open(badgerOptions(dir, opt, key).WithReadOnly(readOnlyFiles))
	if err != nil {
		early.drop()
		if fresh {
			// Leave no half-made registry behind.
			os.RemoveAll(dir)
		}
		return nil, translate(err, dir)
	}
	s := &Store{db: &db{DB: bdb}, dir: dir, opt: opt, index: search.NewIndex(), early: early, gcStop: make(chan struct{}), gcDone: make(chan struct{})}
	if fresh {
		if err := writeMarker(dir, m); err != nil {
			bdb.Close()
			return nil, err
		}
	}
	fail := func(err error) (*Store, error) {
		early.drop()
		s.index.Reset()
		bdb.Close()
		return nil, err
	}
	if readOnlyFiles {
		if pending, err := s.pendingSteps(); err != nil || len(pending) > 0 {
			return fail(errNeedsWrite)
		}
	} else if err := s.recover(); err != nil {
		return fail(err)
	}
	if err := s.seedAuditClock(); err != nil {
		return fail(translate(err, dir))
	}
	if err := s.loadIndex(!readOnlyFiles); err != nil {
		return fail(err)
	}
	s.index.SetRebuild(s.rebuildDocs)
	return s, nil
}

func newMarker(opt Options) marker {
	m := marker{Format: FormatVersion, Created: opt.Now().UTC()}
	if opt.Passphrase != "" {
		m.Encrypted = true
		m.Salt = make([]byte, 16)
		if _, err := rand.Read(m.Salt); err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		m.KDFTime, m.KDFMemory, m.KDFLanes = kdfTime, opt.kdfMemoryKiB, kdfLanes
		m.Check = checkValue(deriveKey(opt.Passphrase, m))
	}
	return m
}

// prepareDir checks the folder and returns its marker; fresh is true when
// the folder is new and the marker still has to be written.
func prepareDir(dir string, opt Options) (m marker, fresh bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return m, false, translate(err, dir)
		}
		return newMarker(opt), true, nil
	case err != nil:
		return m, false, &PathError{err, dir}
	case len(entries) == 0:
		return newMarker(opt), true, nil
	}
	m, err = readMarker(dir)
	if errors.Is(err, os.ErrNotExist) {
		return m, false, &PathError{ErrNotAStore, dir}
	}
	if err != nil {
		return m, false, err
	}
	if m.Format > FormatVersion {
		return m, false, &PathError{ErrNewerStore, dir}
	}
	return m, false, nil
}

// badgerOptions are tuned for a laptop: Badger's defaults reserve ~85 MB of
// heap and 2 GB value-log files (not sparse on NTFS). Measured figures are in
// docs/benchmarks.md.
func badgerOptions(dir string, opt Options, key []byte) badger.Options {
	o := badger.DefaultOptions(dir).
		WithMemTableSize(memTableSize(dir)).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(4).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(8 << 20). // also required with encryption, or Badger panics later
		WithValueLogFileSize(16 << 20).
		WithNumCompactors(2).
		WithSyncWrites(opt.SyncWrites).
		WithLogger(badgerLogger{opt.Logger})
	// A compaction builds up to 13 tables at once, each in buffers of
	// twice its size and more, and by default each level's tables are
	// twice the size of the level's above: 8 MB at the bottom level of a
	// million persons, whose two compactions held 400–500 MB of buffers.
	// Tables of 2 MB (BaseTableSize) at every level hold a quarter of that
	// (some 450 files at a million persons) and change nothing for a small
	// registry, whose tables are all of the base level anyway.
	o.TableSizeMultiplier = 1
	if opt.InMemory {
		o = o.WithDir("").WithValueDir("").WithInMemory(true)
	}
	if key != nil {
		o = o.WithEncryptionKey(key).WithEncryptionKeyRotationDuration(30 * 24 * time.Hour)
	}
	return o
}

// memTableSize is Badger's memtable size for the registry in dir: 8 MB.
// Writing out a full memtable as a table takes buffers of several times
// its size, which Badger keeps for its next tables: with 16 MB memtables a
// merge of a million records held 400 MB of them (issue 18). A memtable
// file that a crash left behind replays into a memtable at least as big as
// the one that wrote it (a smaller one panics), so one written by an older
// Registar's 16 MB memtables (a file of twice the size) gets that size.
func memTableSize(dir string) int64 {
	size := int64(8 << 20)
	if dir == "" {
		return size
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.mem"))
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Size()/2 > size {
			size = fi.Size() / 2
		}
	}
	return size
}

// badgerLogger routes Badger's warnings and errors into the app log and
// drops its chatter.
type badgerLogger struct{ l *log.Logger }

func (b badgerLogger) Errorf(f string, a ...interface{}) {
	if b.l != nil {
		b.l.Printf("store error: "+f, a...)
	}
}
func (b badgerLogger) Warningf(f string, a ...interface{}) {
	if b.l != nil {
		b.l.Printf("store warning: "+f, a...)
	}
}
func (badgerLogger) Infof(string, ...interface{})  {}
func (badgerLogger) Debugf(string, ...interface{}) {}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "office"
}

// Dir is the folder of the registry ("" in memory).
func (s *Store) Dir() string { return s.dir }

// Encrypted reports whether the registry is encrypted at rest.
func (s *Store) Encrypted() bool { return len(s.db.Opts().EncryptionKey) > 0 }

// SetLang changes the language of validation messages.
func (s *Store) SetLang(l i18n.Lang) { s.writes.Lock(); s.opt.Lang = l; s.writes.Unlock() }

// SetRegion changes the default phone region.
func (s *Store) SetRegion(r string) { s.writes.Lock(); s.opt.Region = r; s.writes.Unlock() }

// Region is the default phone region: the country local numbers are read
// in when a record's own country does not make them valid.
func (s *Store) Region() string { s.writes.Lock(); defer s.writes.Unlock(); return s.opt.Region }

// SetUser changes the name written into the audit log.
func (s *Store) SetUser(u string) { s.writes.Lock(); s.opt.User = u; s.writes.Unlock() }

// Index is the search index, kept current by every write.
func (s *Store) Index() *search.Index { return s.index }

// Close runs a last value-log GC and closes the database. It is safe to call
// twice, also at once: the second call returns when the first has finished.
func (s *Store) Close() error {
	s.mu.Lock()
	if done := s.closing; done != nil {
		// A second Close (the app's signal handler and its main) waits for
		// the first: returning at once let the process end in the middle
		// of the index's dump (2.5 s at 1,000,000 persons).
		s.mu.Unlock()
		<-done
		return nil
	}
	s.closing = make(chan struct{})
	s.mu.Unlock()
	defer close(s.closing)
	close(s.gcStop)
	<-s.gcDone
	if closeHook != nil {
		closeHook()
	}
	serr := s.saveSnapshot()
	// The index may answer from the mapped snapshot file, or read its
	// lists from it: let it go (a closed store answers nothing), then
	// delete an old file Windows kept while it was mapped.
	s.index.Reset()
	if s.savedSnapshot != "" {
		s.removeSnapshotFiles(s.savedSnapshot)
	}
	if s.db.wrote() {
		// A session that wrote nothing made no garbage: the last close
		// that wrote already collected (this saves a read-only command
		// such as `search` a pass over the value log).
		s.runGC()
	}
	if err := s.db.Close(); err != nil {
		return translate(err, s.dir)
	}
	return translate(serr, s.dir)
}

// closeHook, set by tests, runs in Close before the snapshot is saved.
var closeHook func()

// gcLoop reclaims value-log space while the app runs; Close stops it.
func (s *Store) gcLoop(every time.Duration) {
	defer close(s.gcDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.gcStop:
			return
		case <-t.C:
			s.runGC()
		}
	}
}

func (s *Store) runGC() {
	if s.opt.InMemory || s.opt.ReadOnly {
		return
	}
	for i := 0; i < 10; i++ { // ErrNoRewrite ends it: nothing left worth rewriting
		if s.db.RunValueLogGC(0.5) != nil {
			return
		}
	}
}

// Sync flushes writes to disk, for after a user's explicit save.
func (s *Store) Sync() error { return translate(s.db.Sync(), s.dir) }

// removeEmptyMemtables removes the memtable files (*.mem) of no length a
// process killed just after Badger created one, before it sized it, leaves
// behind: Badger refuses to open the folder with one ("while opening
// memtables … Create a new file"). Such a file holds nothing, so removing
// it loses nothing; it is the one change even a read-only session makes.
func removeEmptyMemtables(dir string) {
	if dir == "" {
		return
	}
	mems, _ := filepath.Glob(filepath.Join(dir, "*.mem"))
	for _, m := range mems {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
			os.Remove(m)
		}
	}
}
