package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"

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

// docsPerChunk docs are stored together under one x/<n> key.
const docsPerChunk = 1000

type snapshotInfo struct {
	Format int `json:"format"`
	Docs   int `json:"docs"`
	Chunks int `json:"chunks"`
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
		// The saved docs go with the marker: they hold folded names, which
		// an erase must not leave behind. Close writes them anew.
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
	defer debug.FreeOSMemory()
	docs, ok, err := s.readSnapshot()
	if err != nil {
		return err
	}
	if ok {
		s.index.PutAll(docs)
		s.db.valid = true
		s.indexFrom = "snapshot"
		return nil
	}
	s.indexFrom = "records"
	return s.buildIndex()
}

func (s *Store) readSnapshot() ([]search.Doc, bool, error) {
	var info snapshotInfo
	var docs []search.Doc
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(snapshotMarker))
		if err != nil {
			return nil // no marker: rebuild
		}
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &info) }); err != nil || info.Format != search.DocFormat {
			return nil
		}
		docs = make([]search.Doc, 0, info.Docs)
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 16, Prefix: []byte("x/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			err := it.Item().Value(func(v []byte) error {
				for len(v) > 0 {
					l, n := binary.Uvarint(v)
					if n <= 0 || l > uint64(len(v)-n) {
						return search.ErrBadDoc
					}
					d, err := search.DecodeDoc(v[n : n+int(l)])
					if err != nil {
						return err
					}
					docs = append(docs, d)
					v = v[n+int(l):]
				}
				return nil
			})
			if err != nil {
				docs = nil // a damaged snapshot is rebuilt, not trusted
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, translate(err, s.dir)
	}
	if docs == nil || len(docs) != info.Docs {
		return nil, false, nil
	}
	return docs, true, nil
}

// saveSnapshot writes the index beside the records, then the marker. It
// runs at close, and only if something was written since open.
func (s *Store) saveSnapshot() error {
	s.db.mu.Lock()
	dirty := s.db.dirty
	s.db.mu.Unlock()
	if !dirty || s.opt.InMemory {
		return nil
	}
	docs := s.index.Docs()
	chunks := 0
	for start := 0; start < len(docs); start += docsPerChunk * 4 {
		end := min(start+docsPerChunk*4, len(docs))
		err := s.db.DB.Update(func(txn *badger.Txn) error {
			for c := start; c < end; c += docsPerChunk {
				var buf []byte
				for _, d := range docs[c:min(c+docsPerChunk, end)] {
					enc := search.EncodeDoc(d)
					buf = binary.AppendUvarint(buf, uint64(len(enc)))
					buf = append(buf, enc...)
				}
				if err := txn.Set(chunkKey(chunks), buf); err != nil {
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
	// Drop chunks left from a bigger index, then mark the snapshot valid.
	err := s.db.DB.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("x/")})
		var stale [][]byte
		for it.Seek(chunkKey(chunks)); it.Valid(); it.Next() {
			stale = append(stale, it.Item().KeyCopy(nil))
		}
		it.Close()
		for _, k := range stale {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		info, _ := json.Marshal(snapshotInfo{Format: search.DocFormat, Docs: len(docs), Chunks: chunks})
		return txn.Set([]byte(snapshotMarker), info)
	})
	return err
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

func chunkKey(n int) []byte { return []byte(fmt.Sprintf("x/%08d", n)) }

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
