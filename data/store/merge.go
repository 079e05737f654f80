package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
	"registar/data/search"
)

// What the store offers data/bundle: the changes to put in a bundle, what
// the registry holds for the IDs a bundle brings, and one journaled step
// that writes a merge (records with the Meta the merge decided, versions set
// aside) and can be undone as one.

// Tombstone says that a record was erased for good: its ID, its kind and
// when, never any of its data.
type Tombstone struct {
	ID   string    `json:"id"`
	Kind data.Kind `json:"kind"`
	Time time.Time `json:"time"`
}

// txErased reports whether the record with this ID was erased (its
// tombstone is stored). A bulk job that began with no tombstone in the
// registry skips the read until one is written (noTombstones): a merge of
// a million new records read a key that is not there two or three times a
// record (4 s of CPU).
func (s *Store) txErased(txn *badger.Txn, id string) bool {
	if s.noTombstones.Load() {
		return false
	}
	_, err := txn.Get(erasedKey(id))
	return err == nil
}

// txSetTombstone stores an erased record's tombstone; every tombstone is
// written here, so that a bulk job's noTombstones is never stale.
func (s *Store) txSetTombstone(txn *badger.Txn, id string, tomb []byte) error {
	s.noTombstones.Store(false)
	return txn.Set(erasedKey(id), tomb)
}

// anyTombstone reports whether any erased record's tombstone is stored.
func (s *Store) anyTombstone() bool {
	found := true // on an error, read every time
	_ = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: erasedKey(""), PrefetchValues: false})
		defer it.Close()
		it.Rewind()
		found = it.Valid()
		return nil
	})
	return found
}

func (s *Store) txTombstone(txn *badger.Txn, id string) (*Tombstone, error) {
	if s.noTombstones.Load() {
		return nil, nil
	}
	item, err := txn.Get(erasedKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t := &Tombstone{ID: id}
	err = item.Value(func(v []byte) error { return json.Unmarshal(v, t) })
	return t, err
}

// Local is what the registry holds for one ID.
type Local struct {
	// Meta is the record's, with its version vector (filled in for a
	// record written before vectors existed, see EffectiveVV); nil: no
	// such record. Record decodes the rest when it is needed.
	Meta      *data.Meta
	Kind      data.Kind
	Conflict  *Conflict  // versions set aside, or nil
	Tombstone *Tombstone // the record was erased here

	raw []byte
	rec data.Record
}

// Record is the whole record (nil when there is none), decoded once.
func (l *Local) Record() (data.Record, error) {
	if l.rec != nil || l.Meta == nil {
		return l.rec, nil
	}
	r, err := data.Decode(l.Kind, l.raw)
	if err != nil {
		return nil, err
	}
	r.Base().VV = l.Meta.VV
	l.rec, l.raw = r, nil
	return r, nil
}

// Lookup returns what the registry holds for each ID (an absent ID maps to
// a Local with nothing), read at one moment. It decodes only the records'
// Meta: a merge mostly needs no more.
func (s *Store) Lookup(ids []string) (map[string]*Local, error) { return s.LookupLikely(ids, nil) }

// LookupLikely is Lookup told the kind each ID likely has (likely[id]: a
// bundle's record says its own, a link the kind it names), which is read
// first when the index cannot say (during a bulk job); the others are
// still read if it is not there.
func (s *Store) LookupLikely(ids []string, likely map[string]data.Kind) (map[string]*Local, error) {
	out := make(map[string]*Local, len(ids))
	err := s.db.View(func(txn *badger.Txn) error {
		for _, id := range ids {
			l := &Local{}
			out[id] = l
			var err error
			if l.Tombstone, err = s.txTombstone(txn, id); err != nil {
				return err
			}
			if l.Tombstone != nil {
				continue
			}
			for _, k := range s.kindsOf(id, likely[id]) {
				item, err := txn.Get(recordKey(k, id))
				if errors.Is(err, badger.ErrKeyNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if l.raw, err = item.ValueCopy(nil); err != nil {
					return err
				}
				l.Kind, l.Meta = k, &data.Meta{}
				// The owners and members of 20,000 businesses are looked
				// up all over a million persons' tables: shed as they are
				// read (a key that is not there reads next to nothing).
				s.readRecords(1)
				break
			}
			if l.Meta == nil {
				continue
			}
			if err := data.DecodeMeta(l.raw, l.Meta); err != nil {
				return fmt.Errorf("decode %s %s: %w", l.Kind, id, err)
			}
			if l.Meta.VV, err = s.EffectiveVV(l.Meta); err != nil {
				return err
			}
			if l.Conflict, _, err = s.txConflict(txn, id); err != nil {
				return err
			}
		}
		return nil
	})
	return out, translate(err, s.dir)
}

// MergeStep is what a merge writes, as one step.
type MergeStep struct {
	Action StepKind       // StepMerge, StepResolve, StepMergeDuplicates
	Note   string         // e.g. which bundle
	Counts map[string]int // added to the step's audit entry
	// Records are written with their Meta as given (versions, vectors,
	// times and users decided by the merge).
	Records []data.Record
	// Base is, for every ID the step writes, the Version in the registry
	// when the merge was planned (0: no record). If any has changed
	// meanwhile, nothing is written and the error is ErrConflict.
	Base map[string]uint64
	// Conflicts gives, by ID, the versions to keep set aside from now on;
	// a conflict with no Theirs clears what was set aside.
	Conflicts map[string]*Conflict
}

// onEveryCore calls fn for 0 ≤ i < n on as many goroutines as there are
// cores, each taking the next i; a few calls are made on this one.
func onEveryCore(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/64)
	if workers < 2 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// ApplyMerge writes a merge as one journaled step (see Apply): every record
// validated first, all or nothing, one audit entry with the counts, undoable
// with Undo. Records other records of the step link to may come in the same
// step.
func (s *Store) ApplyMerge(ctx context.Context, ms MergeStep, progress func(done, total int)) (StepResult, error) {
	s.writes.Lock()
	defer s.writes.Unlock()
	var res StepResult
	pending := make(map[string]data.Kind, len(ms.Records))
	s.stepLinks.Clear()
	for _, r := range ms.Records {
		if r.Base().ID == "" {
			return res, errors.New("merge: a record without an ID")
		}
		pending[r.Base().ID] = data.KindOf(r)
	}
	var preps []prepared
	changed := func(id string) error {
		return fmt.Errorf("%w (%s changed while the merge was prepared)", ErrConflict, id)
	}
	err := s.db.View(func(txn *badger.Txn) error {
		for id, want := range ms.Base {
			if _, ok := pending[id]; ok {
				continue // checked below, as the record is read anyway
			}
			var have uint64
			if t, err := s.txTombstone(txn, id); err != nil {
				return err
			} else if t != nil {
				return fmt.Errorf("%w (%s)", ErrErased, id)
			}
			cur, err := s.txGet(txn, id)
			switch {
			case err == nil:
				have = cur.Base().Version
			case !errors.Is(err, ErrNotFound):
				return err
			}
			if have != want {
				return changed(id)
			}
		}
		preps = make([]prepared, len(ms.Records))
		for i, r := range ms.Records {
			m := r.Base()
			kind := data.KindOf(r)
			if s.txErased(txn, m.ID) {
				return fmt.Errorf("record %d (%s): %w", i+1, r.Title(), ErrErased)
			}
			var oldBytes []byte
			var item *badger.Item
			err := badger.ErrKeyNotFound
			if s.mayBeStored(m.ID) { // a bulk job's filter knows an ID no record has: no read
				item, err = txn.Get(recordKey(kind, m.ID))
				s.readRecords(1)
			}
			if err == nil {
				if oldBytes, err = item.ValueCopy(nil); err != nil {
					return err
				}
				have, err := storedVersion(oldBytes)
				if err != nil {
					return err
				}
				if want, ok := ms.Base[m.ID]; ok && want != have {
					return changed(m.ID)
				}
				// A version written here is always above the one it replaces,
				// so a window holding the old one cannot save over it.
				m.Version = max(m.Version, have+1)
			} else if want := ms.Base[m.ID]; want != 0 {
				return changed(m.ID)
			}
			preps[i] = prepared{kind: kind, id: m.ID, old: oldBytes, version: m.Version}
			if oldBytes == nil {
				res.Created++
			} else {
				res.Updated++
			}
		}
		// Validating and encoding the records is most of a merge's work
		// and needs nothing but each record: on every core (a registry of
		// 1,000,000 merged from a bundle, issue 18). The first bad record
		// in the step's order is the one reported.
		bulk := s.bulk.Load()
		errs := make([]error, len(ms.Records))
		onEveryCore(len(ms.Records), func(i int) {
			r := ms.Records[i]
			b, err := s.prepare(r, nil, "", true, false, pending) // with Meta kept, the old version plays no part
			if err != nil {
				errs[i] = &RecordError{Index: i, Title: r.Title(), Err: err}
				return
			}
			preps[i].value = b
			if !bulk { // a bulk job rebuilds the index at its end
				d := search.DocOf(r)
				preps[i].doc = &d
			}
		})
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		ids := make([]string, 0, len(ms.Conflicts))
		for id := range ms.Conflicts {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			c := ms.Conflicts[id]
			_, cur, err := s.txConflict(txn, id)
			if err != nil {
				return err
			}
			var b []byte
			if len(c.Theirs) > 0 {
				c.ID = id
				if b, err = encodeConflict(c); err != nil {
					return err
				}
			}
			if cur == nil && b == nil {
				continue
			}
			preps = append(preps, prepared{kind: c.Kind, id: id, value: b, old: cur, raw: conflictKey(id)})
		}
		return nil
	})
	if err != nil {
		return StepResult{}, translate(err, s.dir)
	}
	if len(preps) == 0 {
		return res, nil
	}
	return s.commitStep(ctx, Step{Action: ms.Action, Note: ms.Note, Source: data.SourceBundle, Counts: ms.Counts}, preps, res, progress)
}

// storedVersion reads the Version of an encoded record without decoding
// all of it: Meta's "version" key comes before the record's own fields, and
// no field of a record has that name (a string value cannot hold it: its
// quotes would be escaped).
func storedVersion(b []byte) (uint64, error) {
	if i := bytes.Index(b, []byte(`"version":`)); i >= 0 {
		rest := b[i+len(`"version":`):]
		end := 0
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if v, err := strconv.ParseUint(string(rest[:end]), 10, 64); err == nil {
			return v, nil
		}
	}
	var v struct {
		Version uint64 `json:"version"`
	}
	err := json.Unmarshal(b, &v)
	return v.Version, err
}

// ApplyTombstones erases here, for good, the records another laptop erased
// (each like Erase, with its own audit entry), and keeps the tombstones of
// records this registry never had, so that no bundle can bring them. It
// returns the records it erased (their last version here, for a report).
func (s *Store) ApplyTombstones(tombs []Tombstone) ([]data.Record, error) {
	var erased []data.Record
	for _, t := range tombs {
		r, err := s.Get(t.ID)
		switch {
		case errors.Is(err, ErrErased):
			continue
		case err == nil:
			if err := s.Erase(t.ID); err != nil {
				return erased, err
			}
			erased = append(erased, r)
			continue
		case !errors.Is(err, ErrNotFound):
			return erased, err
		}
		s.writes.Lock()
		err = s.db.Update(func(txn *badger.Txn) error {
			tomb, _ := json.Marshal(map[string]any{"kind": t.Kind, "time": t.Time.UTC()})
			if err := s.txSetTombstone(txn, t.ID, tomb); err != nil {
				return err
			}
			return s.txAudit(txn, AuditEntry{Action: ActionErase, Kind: t.Kind, ID: t.ID, Note: "erased on another laptop"})
		})
		s.writes.Unlock()
		if err != nil {
			return erased, translate(err, s.dir)
		}
	}
	return erased, nil
}

// A mark is a point in the audit log ("a/<nanos>"); a bundle carries the
// changes after one, and gives the mark of its end for the next.

// MarkAt is the mark of a moment: the changes after it are those made
// after that time.
func MarkAt(t time.Time) string { return fmt.Sprintf("a/%020d", t.UnixNano()) }

// MarkTime is the moment of a mark (zero for "").
func MarkTime(mark string) time.Time {
	var n int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(mark, "a/"), "%d", &n); err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Changes returns what a bundle carries: every record written after mark
// (every record when mark is ""), trashed ones too, and the tombstone of
// every erase after it; with links, also the records those link to
// (owners, members, umbrella, locality), however old, so that the other
// laptop can check the links. It returns the mark of the end, to pass next
// time. Records carry their version vector, also those written before
// vectors existed. No step is half-written while it reads.
func (s *Store) Changes(mark string, links bool) (recs []data.Record, tombs []Tombstone, end string, err error) {
	s.writes.Lock()
	defer s.writes.Unlock()
	err = s.db.View(func(txn *badger.Txn) error {
		end = lastAuditKey(txn)
		ids, erased, err := s.txChangedIDs(txn, mark)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		add := func(r data.Record) error {
			m := r.Base()
			if seen[m.ID] {
				return nil
			}
			seen[m.ID] = true
			var err error
			m.VV, err = s.EffectiveVV(m)
			recs = append(recs, r)
			return err
		}
		if mark == "" {
			it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 256, Prefix: []byte("r/")})
			for it.Rewind(); it.Valid(); it.Next() {
				kind, _, ok := splitRecordKey(it.Item().Key())
				if !ok {
					continue
				}
				if err := it.Item().Value(func(v []byte) error {
					r, err := data.Decode(kind, v)
					if err != nil {
						return err
					}
					return add(r)
				}); err != nil {
					it.Close()
					return err
				}
			}
			it.Close()
		} else {
			for _, id := range ids {
				r, err := s.txGet(txn, id)
				if errors.Is(err, ErrNotFound) || errors.Is(err, ErrErased) {
					continue // erased (a tombstone below) or undone
				}
				if err != nil {
					return err
				}
				if err := add(r); err != nil {
					return err
				}
			}
		}
		for _, id := range erased {
			t, err := s.txTombstone(txn, id)
			if err != nil {
				return err
			}
			if t != nil {
				tombs = append(tombs, *t)
			}
		}
		if !links {
			return nil
		}
		for i := 0; i < len(recs); i++ { // recs grows: the closure of links
			for _, l := range recs[i].Links() {
				if seen[l.ID] {
					continue
				}
				r, err := s.txGetKind(txn, l.Kind, l.ID)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if err := add(r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return recs, tombs, end, translate(err, s.dir)
}

// txChangedIDs lists the IDs written after mark, in order of first change,
// and those erased (all tombstones when mark is "").
func (s *Store) txChangedIDs(txn *badger.Txn, mark string) (ids, erased []string, err error) {
	if mark == "" {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("e/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			erased = append(erased, strings.TrimPrefix(string(it.Item().Key()), "e/"))
		}
		return nil, erased, nil
	}
	seen := map[string]bool{}
	note := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("a/")})
	defer it.Close()
	for it.Seek([]byte(mark)); it.Valid(); it.Next() {
		key := string(it.Item().Key())
		if key <= mark {
			continue
		}
		var e struct {
			ID     string `json:"id"`
			Action string `json:"action"`
		}
		if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
			return nil, nil, err
		}
		if e.ID != "" {
			note(e.ID)
			if e.Action == ActionErase {
				erased = append(erased, e.ID)
			}
			continue
		}
		// A step: its records are in its journal.
		prefix := []byte("j/" + key + "/")
		jt := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		for jt.Rewind(); jt.Valid(); jt.Next() {
			id := strings.TrimPrefix(string(jt.Item().Key()), string(prefix))
			if !strings.Contains(id, "/") { // not the versions set aside
				note(id)
			}
		}
		jt.Close()
	}
	return ids, erased, nil
}

func lastAuditKey(txn *badger.Txn) string {
	it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: []byte("a/")})
	defer it.Close()
	it.Seek([]byte("a/~"))
	if it.Valid() {
		return string(it.Item().KeyCopy(nil))
	}
	return "a/"
}
