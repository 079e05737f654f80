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
	Action string      // "import", "merge", "demo", …
	Note   string      // e.g. the file name
	Source data.Source // source given to the records written
	// KeepMeta keeps each record's Meta as given (versions and times of a
	// record merged from another laptop) instead of setting it here.
	KeepMeta bool
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
}

type stepHeader struct {
	Action string `json:"action"`
	Count  int    `json:"count"`
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
			if _, err := txn.Get(erasedKey(m.ID)); err == nil {
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
			b, err := s.prepare(r, old, step.Source, step.KeepMeta, pending)
			if err != nil {
				return &RecordError{Index: i, Title: r.Title(), Err: err}
			}
			preps = append(preps, prepared{kind, m.ID, b, oldBytes, m.Version})
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
				je, _ := json.Marshal(journalEntry{Kind: p.kind, Old: p.old, NewVersion: p.version})
				if err := txn.Set(journalKey(key, p.id), je); err != nil {
					return err
				}
				var err error
				if p.value == nil {
					err = txn.Delete(recordKey(p.kind, p.id))
				} else {
					err = txn.Set(recordKey(p.kind, p.id), p.value)
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
		e := AuditEntry{Key: key, Time: s.opt.Now().UTC(), User: s.opt.User, Action: step.Action,
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
	for _, p := range preps {
		if p.value == nil {
			s.index.Remove(p.id)
			continue
		}
		if r, err := data.Decode(p.kind, p.value); err == nil {
			s.index.Put(search.DocOf(r))
		}
	}
	return res, nil
}

// prepared is one record of a step, ready to write: value nil deletes it.
type prepared struct {
	kind    data.Kind
	id      string
	value   []byte
	old     []byte
	version uint64
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
	var steps []string
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("p/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			steps = append(steps, strings.TrimPrefix(string(it.Item().Key()), "p/"))
		}
		return nil
	})
	if err != nil {
		return translate(err, s.dir)
	}
	for _, step := range steps {
		if err := s.rollback(step); err != nil {
			return err
		}
	}
	return nil
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
				var err error
				if len(b.je.Old) == 0 {
					err = txn.Delete(recordKey(b.je.Kind, b.id))
				} else {
					err = txn.Set(recordKey(b.je.Kind, b.id), b.je.Old)
				}
				if err != nil {
					return err
				}
				if err := txn.Delete(journalKey(step, b.id)); err != nil {
					return err
				}
				if err := txn.Delete(historyKey(b.id, step)); err != nil {
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
			m.Version, m.UpdatedAt, m.UpdatedBy = cur.Base().Version+1, now, s.opt.User
			b, err := data.Encode(old)
			if err != nil {
				return err
			}
			preps = append(preps, prepared{je.Kind, id, b, curBytes, m.Version})
			res.Updated++
		}
		return nil
	})
	if err != nil {
		return StepResult{}, translate(err, s.dir)
	}
	res, err = s.commitStep(ctx, Step{Action: ActionUndo, Note: step, Counts: map[string]int{"removed": len(preps) - res.Updated}}, preps, res, nil)
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
