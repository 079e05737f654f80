package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

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

// The snapshot is the index's binary dump (search.Index.MarshalBinary),
// cut into chunks of at most chunkSize bytes under x/<gen>/<n> (Badger
// limits the size of one transaction), chunksPerTxn to a transaction. Each
// save takes a new generation <gen> and deletes the chunks of the others:
// the open seeks straight to its generation, so the deleted versions that
// Badger keeps until a compaction are never read. (With one key per chunk
// number, a store saved many times took 0.33 s to open instead of 0.19 s,
// most of it decompressing stale versions.)
const (
	chunkSize    = 1 << 20
	chunksPerTxn = 4
)

// snapshotFormat changes with the dump's layout and with what DocOf puts
// into the index: a snapshot of another format is rebuilt from the records.
// Format 1 was a list of encoded docs.
const snapshotFormat = 1000*search.DumpFormat + search.DocFormat

type snapshotInfo struct {
	Format int    `json:"format"`
	Docs   int    `json:"docs"`
	Chunks int    `json:"chunks"`
	Bytes  int    `json:"bytes"`
	Gen    string `json:"gen"`
}

// db is Badger with a hook on every read-write transaction.
type db struct {
	*badger.DB
	mu    sync.Mutex
	valid bool // the marker is on disk and matches the records
	dirty bool // something was written since open
}

// Update drops the snapshot marker before the first write, then writes.
func (d *db) Update(fn func(txn *badger.Txn) error) error {
	d.mu.Lock()
	if d.valid {
		// The saved index goes with the marker: it holds folded names,
		// which an erase must not leave behind. Close writes it anew.
		if err := d.DB.Update(dropSnapshot); err != nil {
			d.mu.Unlock()
			return err
		}
		d.valid = false
	}
	d.dirty = true
	d.mu.Unlock()
	return d.DB.Update(fn)
}

// loadIndex fills the index from the saved snapshot when it is valid, else
// from the records; then it gives the memory the loading used back to the OS.
func (s *Store) loadIndex() error {
	// Reading the snapshot allocates the index and little garbage besides
	// the dump: a collection in the middle would only trace the half-built
	// index (about a fifth of the open of 100,000 persons).
	gc := debug.SetGCPercent(-1)
	ok, err := s.readSnapshot()
	debug.SetGCPercent(gc)
	if err != nil {
		return err
	}
	if ok {
		s.db.valid = true
		s.indexFrom = "snapshot"
		return nil
	}
	defer debug.FreeOSMemory()
	s.indexFrom = "records"
	return s.buildIndex()
}

// readSnapshot loads the index from the snapshot if there is a valid one.
func (s *Store) readSnapshot() (bool, error) {
	var info snapshotInfo
	var dump []byte
	chunks := 0
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(snapshotMarker))
		if err != nil {
			return nil // no marker: rebuild
		}
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &info) }); err != nil ||
			info.Format != snapshotFormat || info.Gen == "" || info.Bytes < 0 || info.Bytes > 1<<32 || info.Chunks != (info.Bytes+chunkSize-1)/chunkSize {
			return nil
		}
		dump = make([]byte, 0, info.Bytes)
		// Without prefetching, Value hands over the value-log bytes in place:
		// one copy into dump instead of two (a tenth of the open).
		it := txn.NewIterator(badger.IteratorOptions{Prefix: chunkPrefix(info.Gen)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if !bytes.Equal(it.Item().Key(), chunkKey(info.Gen, chunks)) {
				dump = nil // a chunk missing or out of place
				return nil
			}
			err := it.Item().Value(func(v []byte) error {
				dump = append(dump, v...)
				return nil
			})
			if err != nil {
				return err
			}
			chunks++
		}
		return nil
	})
	if err != nil {
		return false, translate(err, s.dir)
	}
	if dump == nil || chunks != info.Chunks || len(dump) != info.Bytes {
		return false, nil
	}
	if err := s.index.UnmarshalBinary(dump); err != nil || s.index.Len() != info.Docs {
		// A damaged snapshot is rebuilt, not trusted.
		s.index.UnmarshalBinary(emptyDump)
		return false, nil
	}
	return true, nil
}

// emptyDump empties an index.
var emptyDump, _ = search.NewIndex().MarshalBinary()

// saveSnapshot writes the index beside the records, then the marker. It
// runs at close, and only if something was written since open.
func (s *Store) saveSnapshot() error {
	s.db.mu.Lock()
	dirty := s.db.dirty
	s.db.mu.Unlock()
	if !dirty || s.opt.InMemory {
		return nil
	}
	docs := s.index.Len()
	dump, err := s.index.MarshalBinary()
	if err != nil {
		return err
	}
	gen := strconv.FormatInt(time.Now().UnixNano(), 36)
	chunks := 0
	for start := 0; start < len(dump); start += chunkSize * chunksPerTxn {
		end := min(start+chunkSize*chunksPerTxn, len(dump))
		err := s.db.DB.Update(func(txn *badger.Txn) error {
			for c := start; c < end; c += chunkSize {
				if err := txn.Set(chunkKey(gen, chunks), dump[c:min(c+chunkSize, end)]); err != nil {
					return err
				}
				chunks++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Drop the chunks of every other generation (the last save's, or one a
	// crash left), then mark the snapshot valid.
	return s.db.DB.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("x/")})
		var stale [][]byte
		mine := chunkPrefix(gen)
		for it.Rewind(); it.Valid(); it.Next() {
			if !bytes.HasPrefix(it.Item().Key(), mine) {
				stale = append(stale, it.Item().KeyCopy(nil))
			}
		}
		it.Close()
		for _, k := range stale {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		info, _ := json.Marshal(snapshotInfo{Format: snapshotFormat, Docs: docs, Chunks: chunks, Bytes: len(dump), Gen: gen})
		return txn.Set([]byte(snapshotMarker), info)
	})
}

// dropSnapshot deletes the marker and every saved chunk.
func dropSnapshot(txn *badger.Txn) error {
	if err := txn.Delete([]byte(snapshotMarker)); err != nil {
		return err
	}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("x/")})
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

func chunkPrefix(gen string) []byte { return []byte("x/" + gen + "/") }

func chunkKey(gen string, n int) []byte { return fmt.Appendf(chunkPrefix(gen), "%08d", n) }

// buildIndex reads every record once and loads the search index.
func (s *Store) buildIndex() error {
	var docs []search.Doc
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 256, Prefix: []byte("r/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			kind, _, ok := splitRecordKey(item.Key())
			if !ok {
				continue
			}
			err := item.Value(func(v []byte) error {
				r, err := data.Decode(kind, v)
				if err != nil {
					return err
				}
				docs = append(docs, search.DocOf(r))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return translate(err, s.dir)
	}
	s.index.PutAll(docs)
	// The records were read anyway: save the index at close so the next
	// open is quick, even if nothing is written in between.
	s.db.mu.Lock()
	s.db.dirty = true
	s.db.mu.Unlock()
	return nil
}
