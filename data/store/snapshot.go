package store

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"registar/data"
	"registar/data/search"
)

// The search index is saved at close and loaded at open, so that opening a
// registry of 100,000 persons does not decode 100,000 records. The saved
// index is trusted only while the marker s/index-snapshot is there: the
// first write after opening deletes the marker before it writes anything,
// so a crash after any change leaves no marker, and the next open rebuilds
// the index from the records. Every write goes through db.Update, which is
// where the marker is dropped, so no write path can forget it.
const snapshotMarker = "s/index-snapshot"

// The snapshot is the index's binary dump (search.Index.MarshalBinary) in
// a file beside Badger's, index-<gen>.snapshot, a new generation <gen> at
// each save. The open maps the file into memory and the index answers
// queries from it in place (search.Index.LoadInPlace): no copy, no decode,
// and only the pages a query reads are ever read. The first write copies
// the index out of the mapping, unmaps it and deletes the file. An
// encrypted registry seals the file with its key (AES-256-GCM); it is then
// read and opened into memory, and answered from there.
//
// (Format 2 kept the dump in Badger, in 1 MB chunks under x/<gen>/<n>:
// copying it out and decoding it was three quarters of a 0.34 s
// `search --queries` over 100,000 persons. Such chunks are deleted at the
// next save.)
const snapshotPrefix, snapshotSuffix = "index-", ".snapshot"

// snapshotFormat changes with the dump's layout and with what DocOf puts
// into the index: a snapshot of another format is rebuilt from the records.
// Format 1 was a list of encoded docs.
const snapshotFormat = 1000*search.DumpFormat + search.DocFormat

type snapshotInfo struct {
	Format int    `json:"format"`
	Docs   int    `json:"docs"`
	Bytes  int    `json:"bytes"` // of the dump, before sealing
	Gen    string `json:"gen"`
	Sum    uint32 `json:"sum"` // the dump's own checksum: a stale file is not read
}

// db is Badger with a hook on every read-write transaction.
type db struct {
	*badger.DB
	mu    sync.Mutex
	valid bool // the marker is on disk and matches the records
	dirty bool // something was written since open
	// readOnly refuses every write after open (Options.ReadOnly).
	readOnly bool
	// dropped runs after the marker is deleted: the store lets go of the
	// snapshot file there.
	dropped func()
}

// wrote reports whether anything was written since open.
func (d *db) wrote() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dirty
}

// Update drops the snapshot marker before the first write, then writes.
func (d *db) Update(fn func(txn *badger.Txn) error) error {
	d.mu.Lock()
	if d.readOnly {
		d.mu.Unlock()
		return ErrReadOnly
	}
	if d.valid {
		// The saved index goes with the marker: it holds folded names,
		// which an erase must not leave behind. Close writes it anew.
		if err := d.DB.Update(dropSnapshot); err != nil {
			d.mu.Unlock()
			return err
		}
		d.valid = false
		if d.dropped != nil {
			d.dropped()
		}
	}
	d.dirty = true
	d.mu.Unlock()
	return d.DB.Update(fn)
}

// loadIndex fills the index from the saved snapshot when it is valid, else
// from the records (or, unless mayRebuild, fails with errNeedsWrite: a
// rebuilt index is saved at close); then it gives the memory the loading
// used back to the OS.
func (s *Store) loadIndex(mayRebuild bool) error {
	s.db.dropped = s.dropSnapshotFiles
	ok, err := s.readSnapshot()
	if err != nil {
		return err
	}
	if ok {
		s.db.valid = true
		s.indexFrom = "snapshot"
		return nil
	}
	if !mayRebuild {
		return errNeedsWrite
	}
	defer debug.FreeOSMemory()
	s.indexFrom = "records"
	return s.buildIndex(false)
}

// readSnapshot loads the index from the snapshot if there is a valid one.
func (s *Store) readSnapshot() (bool, error) {
	early := s.early
	s.early = nil
	if early != nil {
		<-early.done
		defer early.drop() // unless adopted below
	}
	if s.opt.InMemory {
		return false, nil
	}
	var info snapshotInfo
	found := false
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(snapshotMarker))
		if err != nil {
			return nil // no marker: rebuild
		}
		return item.Value(func(v []byte) error {
			found = json.Unmarshal(v, &info) == nil
			return nil
		})
	})
	if err != nil {
		return false, translate(err, s.dir)
	}
	valid := found && info.Format == snapshotFormat && info.Gen != "" && !strings.ContainsAny(info.Gen, `/\.`) && info.Bytes > 0
	if early != nil && early.index != nil {
		if valid && early.gen == info.Gen && early.sum == info.Sum && early.index.Len() == info.Docs {
			s.index, early.index = early.index, nil
			return true, nil
		}
	}
	if !valid {
		return false, nil
	}
	sum, err := loadSnapshotFile(s.index, s.snapshotPath(info.Gen), s.db.Opts().EncryptionKey, info.Gen, info.Bytes, false)
	if err != nil || sum != info.Sum || s.index.Len() != info.Docs {
		// Missing, damaged or of another generation: rebuilt, not trusted.
		s.index.Reset()
		return false, nil
	}
	return true, nil
}

func (s *Store) snapshotPath(gen string) string {
	return filepath.Join(s.dir, snapshotPrefix+gen+snapshotSuffix)
}

// loadSnapshotFile loads a snapshot file into ix: mapped and read in place,
// or with a key, decrypted into memory. size is the dump's length (-1:
// whatever the file holds, unencrypted only). It returns the dump's
// checksum, for the caller to match against the marker's. A mapping is
// read in whole at once (populate: the first searches then wait for no
// disk) unless lazy (the end of a bulk job, see buildIndex).
func loadSnapshotFile(ix *search.Index, path string, key []byte, gen string, size int, lazy bool) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var dump []byte
	var release, shed func() // shed: only for a file mapping (a decrypted dump is heap memory)
	if len(key) > 0 {
		sealed, err := io.ReadAll(f)
		if err != nil {
			return 0, err
		}
		if dump, err = openSnapshot(key, gen, sealed, size); err != nil {
			return 0, err
		}
	} else {
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		if size >= 0 && st.Size() != int64(size) || st.Size() == 0 {
			return 0, search.ErrBadDump
		}
		if dump, err = z.Mmap(f, false, st.Size()); err != nil {
			return 0, err
		}
		if !lazy {
			populate(dump)
		}
		mapped := dump
		release = func() { z.Munmap(mapped) }
		shed = func() { dropMappedPages(mapped) }
	}
	if err := ix.LoadMappedInPlace(dump, release, shed); err != nil {
		if release != nil {
			release()
		}
		return 0, err
	}
	return search.DumpChecksum(dump), nil
}

// earlySnapshot is the snapshot file mapped and checked on another core
// while Badger opens (a third of a `search` run over 100,000 persons went
// to the two, one after the other). Only the marker, read once Badger is
// open, says whether it is the valid one; if not, it is let go.
type earlySnapshot struct {
	done  chan struct{}
	gen   string
	sum   uint32
	index *search.Index
}

// drop waits for the early load and lets go of what it mapped, unless the
// store adopted it. A nil *earlySnapshot does nothing.
func (e *earlySnapshot) drop() {
	if e == nil {
		return
	}
	<-e.done
	if e.index != nil {
		e.index.Reset()
		e.index = nil
	}
}

// startEarlySnapshot begins loading the one snapshot file in dir, if there
// is exactly one (an encrypted registry waits for its marker instead).
func startEarlySnapshot(dir string) *earlySnapshot {
	e := &earlySnapshot{done: make(chan struct{})}
	go func() {
		defer close(e.done)
		files, _ := filepath.Glob(filepath.Join(dir, snapshotPrefix+"*"+snapshotSuffix))
		if len(files) != 1 {
			return
		}
		gen := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(files[0]), snapshotPrefix), snapshotSuffix)
		ix := search.NewIndex()
		sum, err := loadSnapshotFile(ix, files[0], nil, gen, -1, false)
		if err == nil {
			e.gen, e.sum, e.index = gen, sum, ix
		}
	}()
	return e
}

// saveSnapshot writes the index beside the records, then the marker. It
// runs at close, and only if something was written since open or the index
// was rebuilt from the records; never with Badger's files read-only.
func (s *Store) saveSnapshot() error {
	if !s.db.wrote() && !s.indexRebuilt.Load() || s.opt.InMemory || s.db.Opts().ReadOnly {
		return nil
	}
	if info := s.rebuilt.Load(); info != nil {
		// The file the open (or the end of a bulk job) wrote from the
		// records still matches them: only its marker is missing. The
		// first write after it forgets it (dropSnapshotFiles).
		return s.writeSnapshotMarker(*info)
	}
	docs := s.index.Len()
	gen := strconv.FormatInt(time.Now().UnixNano(), 36)
	// Words no record has any more (an erased one's) are left out of the
	// dump, which goes to the file a section at a time, not whole in
	// memory beside the index (345 MB at a million persons).
	var size int64
	var sum uint32
	err := WriteFileAtomically(s.snapshotPath(gen), 0o600, func(w io.Writer) error {
		var err error
		size, sum, err = writeDump(w, s.db.Opts().EncryptionKey, gen, s.index.MarshalBinary, s.index.WriteDump)
		return err
	})
	if err != nil {
		return err
	}
	return s.writeSnapshotMarker(snapshotInfo{Format: snapshotFormat, Docs: docs, Bytes: int(size), Gen: gen, Sum: sum})
}

// writeDump writes an index's dump to the snapshot file w of generation
// gen and returns its length and core checksum: with a key sealed, whole
// (sealing needs it whole), else a section at a time in place (inPlace).
func writeDump(w io.Writer, key []byte, gen string, whole func() ([]byte, error), inPlace func(search.WriterAt) (int64, uint32, error)) (int64, uint32, error) {
	if len(key) > 0 {
		dump, err := whole()
		if err != nil {
			return 0, 0, err
		}
		sealed, err := sealSnapshot(key, gen, dump)
		if err != nil {
			return 0, 0, err
		}
		_, err = w.Write(sealed)
		return int64(len(dump)), search.DumpChecksum(dump), err
	}
	f, ok := w.(search.WriterAt)
	if !ok {
		return 0, 0, errors.New("store: the snapshot file cannot be written in place")
	}
	return inPlace(f)
}

// writeSnapshotMarker marks the snapshot file of info's generation valid
// and drops the chunks an older version kept in Badger; then it deletes the
// files of every other generation (the last save's, or one a crash left).
func (s *Store) writeSnapshotMarker(info snapshotInfo) error {
	err := s.db.DB.Update(func(txn *badger.Txn) error {
		if err := deletePrefix(txn, []byte("x/")); err != nil {
			return err
		}
		b, _ := json.Marshal(info)
		return txn.Set([]byte(snapshotMarker), b)
	})
	if err != nil {
		return err
	}
	s.savedSnapshot = snapshotPrefix + info.Gen + snapshotSuffix
	s.removeSnapshotFiles(s.savedSnapshot)
	return nil
}

// PrepareForWrites copies the search index out of the mapped snapshot now
// rather than at the first write (all but its postings and docs' terms,
// which it reads from the mapping until they change: search.Index.thaw),
// so that the first save does not wait for it (0.14 s at 100,000 persons
// and 0.8 s at 500,000 in a fresh process on the test VM).
// The snapshot stays valid: it still matches the records. The desktop app
// calls it in the background once its window is up; a command that only
// reads never does, and keeps the quick, small open.
func (s *Store) PrepareForWrites() { s.index.PrepareForWrites() }

// dropSnapshotFiles lets go of the snapshot once its marker is deleted:
// the index is copied out of the mapping first, all but the lists of
// numbers it keeps reading from it until they change. The file is deleted
// now where a mapped file can be (Linux, macOS: the mapping still reads
// it); Windows refuses while it is mapped, and Close deletes it once the
// index has let it go. Either way no later open reads it: its marker is
// gone.
func (s *Store) dropSnapshotFiles() {
	s.rebuilt.Store(nil) // no longer what the records hold
	if s.bulk.Load() {
		// A bulk job rebuilds the index at its end: copying a million
		// docs out of the mapping would cost what bulk mode saves.
		s.index.Reset()
	} else {
		s.index.PrepareForWrites()
	}
	s.removeSnapshotFiles("")
}

// removeSnapshotFiles deletes every snapshot file but keep. A file that
// cannot be deleted now is deleted by a later save.
func (s *Store) removeSnapshotFiles(keep string) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if n != keep && strings.HasPrefix(n, snapshotPrefix) && (strings.HasSuffix(n, snapshotSuffix) || strings.HasSuffix(n, snapshotSuffix+partialSuffix)) {
			os.Remove(filepath.Join(s.dir, n))
		}
	}
}

// sealSnapshot encrypts a dump for an encrypted registry: a random nonce,
// then the sealed dump, bound to its generation.
func sealSnapshot(key []byte, gen string, dump []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(dump)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, dump, []byte(snapshotPrefix+gen)), nil
}

// openSnapshot decrypts what sealSnapshot wrote into a fresh buffer (which
// the index then reads in place).
func openSnapshot(key []byte, gen string, sealed []byte, size int) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	ns := aead.NonceSize()
	if len(sealed) != ns+size+aead.Overhead() {
		return nil, search.ErrBadDump
	}
	return aead.Open(make([]byte, 0, size), sealed[:ns], sealed[ns:], []byte(snapshotPrefix+gen))
}

// dropSnapshot deletes the marker (and any chunks an older version left).
func dropSnapshot(txn *badger.Txn) error {
	if err := txn.Delete([]byte(snapshotMarker)); err != nil {
		return err
	}
	return deletePrefix(txn, []byte("x/"))
}

// deletePrefix deletes every key with the prefix.
func deletePrefix(txn *badger.Txn, prefix []byte) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	var keys [][]byte
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	it.Close()
	for _, k := range keys {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// buildIndex reads every record once and loads the search index.
//
// A registry on disk gets its snapshot written straight from the records
// (search.DumpBuilder), a batch of docs at a time, and then opens it as at
// any open: a million persons took 2.9 GB the old way (every doc, then the
// index built from them, then its dump at close) and take some 0.6 GB this
// way. The snapshot is valid from then on, so Close has nothing to save
// unless something is written. A disk too full for the snapshot refuses the
// open with a *DiskFullError before anything is written; the registry is as
// it was.
//
// lazy is for the end of a bulk job: the new file is not read in whole when
// it is mapped, and after its check (which reads it through once) its pages
// are let go of, with the tables the rebuild read; the searches after it read
// back what they touch. An import of 100,000 rows into 1,000,000 persons
// otherwise peaked here, the new file's 330 MB on top of the tables' pages
// (issue 18).
func (s *Store) buildIndex(lazy bool) error {
	if s.opt.InMemory {
		docs, err := s.recordDocs()
		if err != nil {
			return err
		}
		s.index.PutAll(docs)
		return nil
	}
	// The batch job asks the runtime to collect more often rather than let
	// the heap grow to twice what it holds: a soft limit, never a failure.
	// What the builder holds is numbers and bytes, quick to mark.
	if old := debug.SetMemoryLimit(-1); old > rebuildMemoryLimit {
		debug.SetMemoryLimit(rebuildMemoryLimit)
		defer debug.SetMemoryLimit(old)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(rebuildGCPercent))
	b := search.NewDumpBuilder()
	indexed := 0
	err := s.eachDocBatch(rebuildBatch, func(docs []search.Doc) {
		b.Add(docs)
		releaseTablePages(s.dir)
		indexed += len(docs)
		if s.opt.IndexProgress != nil {
			s.opt.IndexProgress(indexed)
		}
	})
	if err != nil {
		return err
	}
	docs, size := b.Len(), b.Size()
	gen := strconv.FormatInt(time.Now().UnixNano(), 36)
	name := snapshotPrefix + gen + snapshotSuffix
	path := s.snapshotPath(gen)
	key := s.db.Opts().EncryptionKey
	need := uint64(size) + uint64(s.db.Opts().MemTableSize) + uint64(s.db.Opts().ValueLogFileSize)
	if len(key) > 0 {
		need += uint64(size) // the sealed copy beside the plain one
	}
	if free, err := diskFree(s.dir); err == nil && free < need {
		return &DiskFullError{Folder: s.dir, Free: free, Need: need, Lang: s.opt.Lang}
	}
	var sum uint32
	err = WriteFileAtomically(path, 0o600, func(w io.Writer) error {
		whole := func() ([]byte, error) {
			dump, err := b.Dump()
			b = nil // what the build held goes while the dump is sealed
			return dump, err
		}
		var err error
		_, sum, err = writeDump(w, key, gen, whole, func(f search.WriterAt) (int64, uint32, error) { return b.WriteDump(f) })
		return err
	})
	b = nil
	if err != nil {
		if errors.Is(translate(err, s.dir), ErrDiskFull) {
			e := &DiskFullError{Folder: s.dir, Need: need, Lang: s.opt.Lang}
			if free, ferr := diskFree(s.dir); ferr == nil {
				e.Free = free
			}
			return e
		}
		return translate(err, s.dir)
	}
	s.removeSnapshotFiles(name)
	// What the build held goes back to the system before the snapshot is
	// mapped: the two would otherwise add up.
	debug.FreeOSMemory()
	got, err := loadSnapshotFile(s.index, path, key, gen, int(size), lazy)
	if err != nil || got != sum || s.index.Len() != docs {
		s.index.Reset()
		os.Remove(path)
		if err == nil {
			err = search.ErrBadDump
		}
		return fmt.Errorf("store: the rebuilt search index does not read back: %w", err)
	}
	// The marker that names the file is written at close, as after any
	// rebuild: the session leaves the records' keys as it found them
	// unless it writes. Meanwhile the first write lets go of the file as
	// of a valid snapshot (an erase must not leave names in it).
	s.rebuilt.Store(&snapshotInfo{Format: snapshotFormat, Docs: docs, Bytes: int(size), Gen: gen, Sum: sum})
	s.indexRebuilt.Store(true)
	s.db.valid = true
	if lazy {
		s.ShedPages()
	}
	return nil
}

// rebuildBatch is how many docs a rebuild folds at a time (tests lower
// it, so that a few thousand records cross batches).
var rebuildBatch = 16384

// rebuildMemoryLimit is the soft limit of the Go heap while a rebuild runs,
// and rebuildGCPercent its GOGC: a million persons' builder holds some
// 350 MB, and by default the heap grows to twice what is live before a
// collection.
const (
	rebuildMemoryLimit = 640 << 20
	rebuildGCPercent   = 40
)

// rebuildDocs is the index's way back from a snapshot whose docs' strings
// turn out damaged at their first read (search.Index.SetRebuild): the
// records, read again; the session saves a sound snapshot at close. It
// runs with the index locked, so it takes no lock a writer may hold while
// it waits for the index (db.mu).
func (s *Store) rebuildDocs() ([]search.Doc, error) {
	if s.opt.Logger != nil {
		s.opt.Logger.Printf("store: the saved search index of %s is damaged; rebuilding it from the records", s.dir)
	}
	docs, err := s.recordDocs()
	if err != nil {
		if s.opt.Logger != nil {
			s.opt.Logger.Printf("store: reading the records to rebuild the search index: %v", err)
		}
		return nil, err
	}
	s.rebuilt.Store(nil) // the file the open wrote, if any, is not what the index holds now
	s.indexRebuilt.Store(true)
	return docs, nil
}

// recordDocs reads every record once, as search docs.
func (s *Store) recordDocs() ([]search.Doc, error) {
	var docs []search.Doc
	err := s.eachDocBatch(rebuildBatch, func(batch []search.Doc) {
		docs = append(docs, batch...)
	})
	return docs, err
}

// eachDocBatch reads every record once, in key order, and hands fn their
// search docs in batches of up to size (fn must not keep the slice). One
// goroutine reads, every core decodes: decoding is most of a rebuild.
func (s *Store) eachDocBatch(size int, fn func([]search.Doc)) error {
	type chunk struct {
		kinds []data.Kind
		vals  [][]byte
		docs  []search.Doc
		err   error
		done  chan struct{}
	}
	const chunkLen = 512
	nw := runtime.GOMAXPROCS(0)
	work := make(chan *chunk, nw)
	ordered := make(chan *chunk, 2*nw+2) // bounds what is read ahead
	stop := make(chan struct{})
	for range nw {
		go func() {
			for c := range work {
				c.docs = make([]search.Doc, 0, len(c.vals))
				for i, v := range c.vals {
					r, err := data.Decode(c.kinds[i], v)
					if err != nil {
						c.err = err
						break
					}
					c.docs = append(c.docs, search.DocOf(r))
				}
				c.kinds, c.vals = nil, nil
				close(c.done)
			}
		}()
	}
	go func() {
		defer close(ordered)
		defer close(work)
		newChunk := func() *chunk { return &chunk{done: make(chan struct{})} }
		send := func(c *chunk) bool {
			select {
			case ordered <- c:
			case <-stop:
				return false
			}
			work <- c
			return true
		}
		c := newChunk()
		err := s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 256, Prefix: []byte("r/")})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				item := it.Item()
				kind, _, ok := splitRecordKey(item.Key())
				if !ok {
					continue
				}
				v, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				c.kinds, c.vals = append(c.kinds, kind), append(c.vals, v)
				if len(c.vals) == chunkLen {
					if !send(c) {
						return nil
					}
					c = newChunk()
				}
			}
			return nil
		})
		if err != nil {
			c = &chunk{err: err, done: make(chan struct{})}
			close(c.done) // decoded already, as it were: not for the decoders
			select {
			case ordered <- c:
			case <-stop:
			}
			return
		}
		if len(c.vals) > 0 {
			send(c)
		}
	}()
	batch := make([]search.Doc, 0, size)
	var err error
	for c := range ordered {
		<-c.done
		if err != nil {
			continue // draining, so that the reader ends
		}
		if c.err != nil {
			err = c.err
			close(stop)
			continue
		}
		for _, d := range c.docs {
			batch = append(batch, d)
			if len(batch) == size {
				fn(batch)
				clear(batch)
				batch = batch[:0]
			}
		}
	}
	if err != nil {
		return translate(err, s.dir)
	}
	if len(batch) > 0 {
		fn(batch)
	}
	return nil
}
