package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
	"registar/data/search"
)

// A step writes many records (an import, a merge, demo data) as one unit:
// either all of it lands or none, even when the program is killed half-way,
// and it can be undone as one. Badger's transactions are too small for
// 20,000 records, so a step is journaled:
//
//  1. p/<step> is written: the step is in progress.
//  2. For each record, in chunks: j/<step>/<id> gets the previous version
//     (or "none"), then the new version is written.
//  3. One transaction writes the step's audit entry a/<step>, u/<step>, and
//     deletes p/<step>: that is the commit point.
//
// Opening a store that has a p/<step> rolls the step back from its journal.
// After the commit the journal stays as the step's undo data.

// Step describes a multi-record change for the audit log.
type Step struct {
	Action StepKind    // StepImport, StepDemo, … (steps.go)
	Note   string      // e.g. the file name
	Source data.Source // source given to the records written
	// KeepMeta keeps each record's Meta as given (versions and times of a
	// record merged from another laptop) instead of setting it here.
	KeepMeta bool
	// Validated says the caller has just validated every record with
	// data.Validate (an import's preview): the store does not do it again.
	// Links are not re-checked either, so such records must carry none
	// that could have gone since.
	Validated bool
	// Counts are added to the audit entry (rows rejected, skipped, …).
	Counts map[string]int
}

// StepResult says what a step did.
type StepResult struct {
	Key     string // the audit key of the step, for Undo
	Created int
	Updated int
}

type journalEntry struct {
	Kind       data.Kind       `json:"kind"`
	Old        json.RawMessage `json:"old,omitempty"` // absent: the record was new
	NewVersion uint64          `json:"new_version"`
	// Key is set when the entry is not the record itself but another key
	// of it (the versions a merge set aside, c/<id>); Old is that key's
	// value, Sum a hash of the value written (Undo checks it is still there).
	Key string `json:"key,omitempty"`
	Sum uint64 `json:"sum,omitempty"`
}

type stepHeader struct {
	Action StepKind `json:"action"`
	Count  int      `json:"count"`
}

func journalKey(step, id string) []byte { return []byte("j/" + step + "/" + id) }
func pendingKey(step string) []byte     { return []byte("p/" + step) }
func undoKey(step string) []byte        { return []byte("u/" + step) }

// chunk is how many records go into one Badger transaction.
const chunk = 500

// Apply writes the records as one step. Every record is validated first; if
// any is invalid nothing is written and the error says which (index in recs
// and the messages). progress, if not nil, is called after each chunk. A
// cancelled ctx stops the step before its commit point and rolls it back.
func (s *Store) Apply(ctx context.Context, step Step, recs []data.Record, progress func(done, total int)) (StepResult, error) {
	s.writes.Lock()
	defer s.writes.Unlock()
	var res StepResult

	// Validate and encode everything before the first write. A refused step
	// gives the caller its records back unchanged.
	saved := make([]data.Meta, len(recs))
	for i, r := range recs {
		saved[i] = *r.Base()
	}
	restoreMeta := func() {
		for i, r := range recs {
			*r.Base() = saved[i]
		}
	}
	pending := make(map[string]data.Kind, len(recs))
	s.stepLinks.Clear()
	for _, r := range recs {
		m := r.Base()
		if m.ID == "" {
			m.ID = newID()
		}
		pending[m.ID] = data.KindOf(r)
	}
	preps := make([]prepared, 0, len(recs))
	err := s.db.View(func(txn *badger.Txn) error {
		for i, r := range recs {
			m := r.Base()
			kind := data.KindOf(r)
			if s.txErased(txn, m.ID) {
				return fmt.Errorf("record %d (%s): %w", i+1, r.Title(), ErrErased)
			}
			var old data.Record
			var oldBytes []byte
			if item, err := txn.Get(recordKey(kind, m.ID)); err == nil {
				if oldBytes, err = item.ValueCopy(nil); err != nil {
					return err
				}
				if old, err = data.Decode(kind, oldBytes); err != nil {
					return err
				}
			}
			b, err := s.prepare(r, old, step.Source, step.KeepMeta, step.Validated, pending)
			if err != nil {
				return &RecordError{Index: i, Title: r.Title(), Err: err}
			}
			s.readRecords(1)
			var doc *search.Doc
			if !s.bulk.Load() { // a bulk job rebuilds the index at its end
				d := search.DocOf(r)
				doc = &d
			}
			preps = append(preps, prepared{kind: kind, id: m.ID, value: b, old: oldBytes, version: m.Version, doc: doc})
			if old == nil {
				res.Created++
			} else {
				res.Updated++
			}
		}
		return nil
	})
	if err != nil {
		restoreMeta()
		return StepResult{}, translate(err, s.dir)
	}
	res, err = s.commitStep(ctx, step, preps, res, progress)
	if err != nil {
		restoreMeta()
	}
	return res, err
}

// commitStep writes prepared records through the journal (see the top of
// this file) and updates the index once the step has landed.
func (s *Store) commitStep(ctx context.Context, step Step, preps []prepared, res StepResult, progress func(done, total int)) (StepResult, error) {
	// Badger meets a full disk in a memory-mapped file, as a crash: say it
	// before the first write instead.
	if err := s.checkSpace(preps); err != nil {
		return StepResult{}, err
	}
	if f := s.bulkIDs.Load(); f != nil { // before the records are there to be found
		for _, p := range preps {
			if p.raw == "" && p.value != nil {
				f.add(p.id)
			}
		}
	}
	key := s.newAuditKey()
	res.Key = key
	hdr, _ := json.Marshal(stepHeader{Action: step.Action, Count: len(preps)})
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(pendingKey(key), hdr) }); err != nil {
		return StepResult{}, translate(err, s.dir)
	}
	fail := func(err error) (StepResult, error) {
		if rerr := s.rollback(key); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return StepResult{}, translate(err, s.dir)
	}
	for start := 0; start < len(preps); start += chunk {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		end := min(start+chunk, len(preps))
		err := s.db.Update(func(txn *badger.Txn) error {
			for _, p := range preps[start:end] {
				ent := journalEntry{Kind: p.kind, Old: p.old, NewVersion: p.version}
				target, name := recordKey(p.kind, p.id), p.id
				if p.raw != "" {
					target, name = []byte(p.raw), p.raw
					ent.Key, ent.Sum = p.raw, rawSum(p.value)
				}
				je, _ := json.Marshal(ent)
				if err := txn.Set(journalKey(key, name), je); err != nil {
					return err
				}
				var err error
				if p.value == nil {
					err = txn.Delete(target)
				} else {
					err = txn.Set(target, p.value)
				}
				if err != nil {
					return err
				}
				if err := txn.Set(historyKey(p.id, key), nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fail(err)
		}
		if !s.bulk.Load() {
			// A step of 100,000 maps tables all over (shed.go). A bulk
			// job's tables are let go of twice a second instead: shedding
			// every 2,048 records written made each lookup after it map
			// the tables' indexes again (a fifth of a million-record
			// merge's CPU, for the same peak).
			s.readRecords(end - start)
		}
		if progress != nil {
			progress(end, len(preps))
		}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	counts := map[string]int{"created": res.Created, "updated": res.Updated}
	for k, v := range step.Counts {
		counts[k] = v
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		e := AuditEntry{Key: key, Time: s.opt.Now().UTC(), User: s.opt.User, Action: string(step.Action),
			Source: step.Source, Note: step.Note, Counts: counts}
		b, _ := json.Marshal(e)
		if err := txn.Set([]byte(key), b); err != nil {
			return err
		}
		if err := txn.Set(undoKey(key), hdr); err != nil {
			return err
		}
		return txn.Delete(pendingKey(key))
	})
	if err != nil {
		return fail(err)
	}
	if s.bulk.Load() {
		// The index is rebuilt from the records when the bulk job ends
		// (bulk.go). Badger's compactions map the tables they merge: let
		// the pages go, step by step.
		releaseTablePages(s.dir)
		return res, nil
	}
	docs := make([]search.Doc, 0, len(preps))
	for _, p := range preps {
		if p.raw != "" {
			continue
		}
		if p.value == nil {
			s.index.Remove(p.id)
			continue
		}
		if p.doc != nil {
			docs = append(docs, *p.doc)
		} else if r, err := data.Decode(p.kind, p.value); err == nil {
			docs = append(docs, search.DocOf(r))
		}
	}
	s.index.PutAll(docs) // one bulk update: 20,000 Puts cost several times more
	return res, nil
}

// prepared is one record of a step, ready to write: value nil deletes it.
// With raw set it is another key of the record (c/<id>), not the record.
type prepared struct {
	kind    data.Kind
	id      string
	value   []byte
	old     []byte
	version uint64
	raw     string
	// doc is the search entry of value, made when value was encoded from a
	// record: decoding 20,000 records again at commit took a third of an
	// import. Nil means decode value.
	doc *search.Doc
}

// RecordError says which record of a step was refused, and why.
type RecordError struct {
	Index int // 0-based position in the slice given to Apply
	Title string
	Err   error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("record %d (%s): %v", e.Index+1, e.Title, e.Err)
}
func (e *RecordError) Unwrap() error { return e.Err }

// recover rolls back every step left in progress by a crash.
func (s *Store) recover() error {
	steps, err := s.pendingSteps()
	if err != nil {
		return err
	}
	for _, step := range steps {
		if err := s.rollback(step); err != nil {
			return err
		}
	}
	return nil
}

// pendingSteps lists the steps a crash interrupted.
func (s *Store) pendingSteps() ([]string, error) {
	var steps []string
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("p/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			steps = append(steps, strings.TrimPrefix(string(it.Item().Key()), "p/"))
		}
		return nil
	})
	return steps, translate(err, s.dir)
}

// rollback puts back the previous version of every record a step wrote,
// then forgets the step. It is safe to run again after a crash within it.
func (s *Store) rollback(step string) error {
	if err := s.restoreJournal(step, true); err != nil {
		return err
	}
	return translate(s.db.Update(func(txn *badger.Txn) error { return txn.Delete(pendingKey(step)) }), s.dir)
}

// restoreJournal writes back the old versions recorded in a step's journal,
// in chunks; with drop it also deletes the journal and history pointers.
func (s *Store) restoreJournal(step string, drop bool) error {
	prefix := []byte("j/" + step + "/")
	for {
		var batch []struct {
			id string
			je journalEntry
		}
		err := s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(batch) < chunk; it.Next() {
				var je journalEntry
				if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &je) }); err != nil {
					return err
				}
				batch = append(batch, struct {
					id string
					je journalEntry
				}{strings.TrimPrefix(string(it.Item().Key()), string(prefix)), je})
			}
			return nil
		})
		if err != nil {
			return translate(err, s.dir)
		}
		if len(batch) == 0 {
			return nil
		}
		err = s.db.Update(func(txn *badger.Txn) error {
			for _, b := range batch {
				target, id := recordKey(b.je.Kind, b.id), b.id
				if b.je.Key != "" {
					target, id = []byte(b.je.Key), rawID(b.je.Key)
				}
				var err error
				if len(b.je.Old) == 0 {
					err = txn.Delete(target)
				} else {
					err = txn.Set(target, b.je.Old)
				}
				if err != nil {
					return err
				}
				if err := txn.Delete(journalKey(step, b.id)); err != nil {
					return err
				}
				if err := txn.Delete(historyKey(id, step)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return translate(err, s.dir)
		}
		if !drop {
			return nil
		}
	}
}

// Undo reverts a finished step (an import, a merge) as one: every record it
// wrote goes back to its previous version, or away if it was new. It refuses
// (ErrUndoChangedSince) when any of those records was changed after the
// step, so undo never throws away later work. The undo is itself a journaled
// step in the audit log, and the original step is marked undone.
func (s *Store) Undo(ctx context.Context, step string) (StepResult, error) {
	s.writes.Lock()
	defer s.writes.Unlock()
	var preps []prepared
	var res StepResult
	raws := 0
	now := s.opt.Now().UTC()
	err := s.db.View(func(txn *badger.Txn) error {
		if _, err := txn.Get(undoKey(step)); err != nil {
			return ErrNothingToUndo
		}
		prefix := []byte("j/" + step + "/")
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			id := strings.TrimPrefix(string(it.Item().Key()), string(prefix))
			var je journalEntry
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &je) }); err != nil {
				return err
			}
			if je.Key != "" { // versions set aside: put back what was there
				var cur []byte
				if item, err := txn.Get([]byte(je.Key)); err == nil {
					if cur, err = item.ValueCopy(nil); err != nil {
						return err
					}
				}
				if rawSum(cur) != je.Sum {
					return fmt.Errorf("%w (%s)", ErrUndoChangedSince, rawID(je.Key))
				}
				preps = append(preps, prepared{kind: je.Kind, id: rawID(je.Key), value: je.Old, old: cur, raw: je.Key})
				raws++
				continue
			}
			cur, err := s.txGetKind(txn, je.Kind, id)
			if err != nil {
				return fmt.Errorf("%w (%s)", ErrUndoChangedSince, id)
			}
			if cur.Base().Version != je.NewVersion {
				return fmt.Errorf("%w: %s", ErrUndoChangedSince, cur.Title())
			}
			curBytes, err := data.Encode(cur)
			if err != nil {
				return err
			}
			if len(je.Old) == 0 {
				preps = append(preps, prepared{kind: je.Kind, id: id, old: curBytes})
				continue
			}
			old, err := data.Decode(je.Kind, je.Old)
			if err != nil {
				return err
			}
			// The old content comes back as a new version on top.
			m := old.Base()
			if m.VV, err = s.nextVV(cur.Base()); err != nil {
				return err
			}
			m.Version, m.UpdatedAt, m.UpdatedBy = cur.Base().Version+1, now, s.opt.User
			b, err := data.Encode(old)
			if err != nil {
				return err
			}
			preps = append(preps, prepared{kind: je.Kind, id: id, value: b, old: curBytes, version: m.Version})
			res.Updated++
		}
		return nil
	})
	if err != nil {
		return StepResult{}, translate(err, s.dir)
	}
	res, err = s.commitStep(ctx, Step{Action: StepUndo, Note: step, Counts: map[string]int{"removed": len(preps) - raws - res.Updated}}, preps, res, nil)
	if err != nil {
		return res, err
	}
	err = s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(step))
		if err != nil {
			return err
		}
		var e AuditEntry
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
			return err
		}
		e.Undone = true
		b, _ := json.Marshal(e)
		if err := txn.Set([]byte(step), b); err != nil {
			return err
		}
		return txn.Delete(undoKey(step))
	})
	return res, translate(err, s.dir)
}
