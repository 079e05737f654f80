package store

import (
	"errors"
	"runtime/debug"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
)

// Bulk runs fn with the store in bulk-write mode, for a batch job that
// writes hundreds of thousands of records (demo data, a whole registry
// merged from a bundle, a big import). The writes go through the one write
// path as always (Apply, ApplyMerge, Undo: the same validation, audit,
// journal and steps), but the search index is not kept current record by
// record: it is let go of at the start, and when fn returns it is rebuilt
// from the records the way an open without a snapshot rebuilds it,
// streamed into the snapshot file (search.DumpBuilder) in bounded memory.
// The mutable index of a million persons holds some 450 bytes a record;
// the streamed rebuild stays under 1 GB at a million (docs/benchmarks.md).
//
// While fn runs, the index answers nothing: searches, counts and lookups
// by ID see an empty registry (reads of records by ID still find them).
// Links are checked against the records themselves. Bulk is for batch
// commands, not for a session a clerk is looking at.
//
// The snapshot marker is dropped before the first write, as by any write,
// so a process killed in the middle leaves a registry whose next open
// rolls back the unfinished step and rebuilds the index from the records.
// If the rebuild at the end fails, the index stays empty and the error is
// returned (with fn's, if any); the next open rebuilds it.
func (s *Store) Bulk(fn func() error) error {
	if err := s.beginBulk(); err != nil {
		return err
	}
	ferr := fn()
	return errors.Join(ferr, s.endBulk())
}

// beginBulk drops the snapshot marker (a write: a read-only store refuses)
// and empties the index without copying it out of its snapshot.
func (s *Store) beginBulk() error {
	s.writes.Lock()
	defer s.writes.Unlock()
	if s.db.readOnly {
		return ErrReadOnly
	}
	// What the index knows of the records, it tells the filter before it
	// is let go of: an ID the filter has not seen is stored under no kind.
	ids := newIDFilter(s.index.Len())
	s.index.EachID(ids.add)
	s.bulkIDs.Store(ids)
	s.noTombstones.Store(!s.anyTombstone())
	s.bulk.Store(true)
	s.bulkStop = shedWhileBulk(s.dir)
	// Any write drops a valid marker first, and with it the snapshot file
	// (dropSnapshotFiles, which in bulk mode does not copy the index out).
	err := s.db.Update(func(*badger.Txn) error { return nil })
	s.index.Reset()
	if err != nil {
		s.bulk.Store(false)
		s.bulkIDs.Store(nil)
		s.noTombstones.Store(false)
		s.bulkStop()
		return translate(err, s.dir)
	}
	return nil
}

// shedWhileBulk lets go of Badger's table pages twice a second until the
// returned function is called: the compactions a bulk job sets off read
// hundreds of MB of tables in the background, between the job's own
// sheds (a merge of a million records counted 490 MB of them at once).
func shedWhileBulk(dir string) (stop func()) {
	return releaseTablePagesEvery(dir, 500*time.Millisecond)
}

// endBulk leaves bulk mode and rebuilds the index from the records.
func (s *Store) endBulk() error {
	s.writes.Lock()
	defer s.writes.Unlock()
	s.bulk.Store(false)
	s.bulkIDs.Store(nil)
	s.noTombstones.Store(false)
	// The tables' pages are let go of twice a second through the rebuild
	// too: the compactions the job set off go on reading and writing
	// tables (700 MB of their pages at once after an import of 100,000
	// rows into 1,000,000 persons).
	defer s.bulkStop()
	s.index.Reset()
	// What the job held (its batches, Badger's compaction buffers) goes
	// back to the system before the rebuild: the two would add up.
	releaseTablePages(s.dir)
	debug.FreeOSMemory()
	return s.buildIndex(true)
}

// InBulk reports whether the store is in bulk-write mode (see Bulk).
func (s *Store) InBulk() bool {
	s.writes.Lock()
	defer s.writes.Unlock()
	return s.bulk.Load()
}

// kindsOf is the kinds under which a record with this ID may be stored:
// the one the index knows; when the index does not know it, none if the
// filter of a bulk job has never seen the ID (the index was let go of),
// else every kind (a record the index does not know yet, or a bulk job's),
// likely first.
func (s *Store) kindsOf(id string, likely data.Kind) []data.Kind {
	if k, ok := s.index.Kind(id); ok {
		return []data.Kind{k}
	}
	if !s.mayBeStored(id) {
		return nil
	}
	if first, ok := likelyFirst[likely]; ok {
		return first
	}
	return data.AllKinds
}

// mayBeStored is false only for an ID a bulk job's filter has never seen.
func (s *Store) mayBeStored(id string) bool {
	f := s.bulkIDs.Load()
	return f == nil || f.mayHave(id)
}

// likelyFirst is every kind, one of them first.
var likelyFirst = func() map[data.Kind][]data.Kind {
	m := map[data.Kind][]data.Kind{}
	for _, k := range data.AllKinds {
		m[k] = append([]data.Kind{k}, slices.DeleteFunc(slices.Clone(data.AllKinds), func(o data.Kind) bool { return o == k })...)
	}
	return m
}()

// storedAs reports whether a record of kind k with this ID is stored, for
// the link checks of a bulk step (the index is empty then): one read of the
// one key a link of that kind can name. Such lookups land all over the
// tables (the owners of 50,000 businesses among a million persons): they
// count as reads, whose pages are shed (shed.go).
func (s *Store) storedAs(k data.Kind, id string) bool {
	defer s.readRecords(1)
	found := false
	_ = s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(recordKey(k, id))
		found = err == nil
		return nil
	})
	return found
}
