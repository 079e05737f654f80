package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/google/uuid"

	"registar/data"
	"registar/data/search"
)

// Actions written into the audit log.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionTrash   = "trash"
	ActionRestore = "restore"
	ActionErase   = "erase"
	ActionUndo    = "undo"
)

// AuditEntry is one line of the audit log: who did what, when. For a change
// to one record, Before holds the previous version so that nothing is lost;
// erasing a record removes Before from all of its entries.
type AuditEntry struct {
	Key     string          `json:"key"`
	Time    time.Time       `json:"time"`
	User    string          `json:"user"`
	Action  string          `json:"action"`
	Kind    data.Kind       `json:"kind,omitempty"`
	ID      string          `json:"id,omitempty"`
	Version uint64          `json:"version,omitempty"`
	Source  data.Source     `json:"source,omitempty"`
	Changed []string        `json:"changed,omitempty"`
	Before  json.RawMessage `json:"before,omitempty"`
	// For a step of many records (import, merge, undo):
	Note   string         `json:"note,omitempty"`
	Counts map[string]int `json:"counts,omitempty"`
	Undone bool           `json:"undone,omitempty"`
}

func recordKey(k data.Kind, id string) []byte { return []byte("r/" + string(k) + "/" + id) }

func splitRecordKey(key []byte) (data.Kind, string, bool) {
	parts := strings.SplitN(string(key), "/", 3)
	if len(parts) != 3 || parts[0] != "r" {
		return "", "", false
	}
	return data.Kind(parts[1]), parts[2], true
}

func erasedKey(id string) []byte { return []byte("e/" + id) }

// lastAuditNanos keeps audit keys increasing within the process; Open
// seeds it from the newest key on disk, so a clock set back on the laptop
// cannot make new entries sort before old ones.
var lastAuditNanos atomic.Int64

// seedAuditClock raises lastAuditNanos to the newest audit key on disk.
func (s *Store) seedAuditClock() error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Reverse: true, Prefix: []byte("a/")})
		defer it.Close()
		it.Seek([]byte("a/~"))
		if !it.Valid() {
			return nil
		}
		var n int64
		if _, err := fmt.Sscanf(string(it.Item().Key()), "a/%d", &n); err != nil {
			return nil
		}
		for {
			last := lastAuditNanos.Load()
			if n <= last || lastAuditNanos.CompareAndSwap(last, n) {
				return nil
			}
		}
	})
}

// newAuditKey returns a unique, time-ordered key "a/<20-digit nanos>".
func (s *Store) newAuditKey() string {
	n := s.opt.Now().UnixNano()
	for {
		last := lastAuditNanos.Load()
		if n <= last {
			n = last + 1
		}
		if lastAuditNanos.CompareAndSwap(last, n) {
			return fmt.Sprintf("a/%020d", n)
		}
	}
}

func historyKey(id, auditKey string) []byte { return []byte("h/" + id + "/" + auditKey) }

// Get returns the record with the ID, of whatever kind.
func (s *Store) Get(id string) (data.Record, error) {
	var r data.Record
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		r, err = s.txGet(txn, id)
		return err
	})
	return r, translate(err, s.dir)
}

// txGet reads a record inside a transaction, under the kinds kindsOf gives.
func (s *Store) txGet(txn *badger.Txn, id string) (data.Record, error) {
	for _, k := range s.kindsOf(id, "") {
		r, err := s.txGetKind(txn, k, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		return r, err
	}
	if s.txErased(txn, id) {
		return nil, ErrErased
	}
	return nil, ErrNotFound
}

func (s *Store) txGetKind(txn *badger.Txn, k data.Kind, id string) (data.Record, error) {
	item, err := txn.Get(recordKey(k, id))
	if err != nil {
		return nil, translate(err, s.dir)
	}
	var r data.Record
	err = item.Value(func(v []byte) error {
		var err error
		r, err = data.Decode(k, v)
		return err
	})
	return r, err
}

// Records returns the records with these IDs, in order, skipping any that
// have gone (a search hit erased meanwhile).
func (s *Store) Records(ids []string) ([]data.Record, error) {
	out := make([]data.Record, 0, len(ids))
	err := s.db.View(func(txn *badger.Txn) error {
		for _, id := range ids {
			r, err := s.txGet(txn, id)
			if errors.Is(err, ErrNotFound) || errors.Is(err, ErrErased) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	s.readRecords(len(ids))
	return out, translate(err, s.dir)
}

// Each calls fn for every record of the kind (trashed ones too; check
// Base().Trashed()), in key order, stopping at the first error.
func (s *Store) Each(k data.Kind, fn func(data.Record) error) error {
	n := 0 // read since the last count
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 128, Prefix: []byte("r/" + string(k) + "/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var r data.Record
			if err := it.Item().Value(func(v []byte) error {
				var err error
				r, err = data.Decode(k, v)
				return err
			}); err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
			if n++; n == 1024 {
				s.readRecords(n)
				n = 0
			}
		}
		return nil
	})
	s.readRecords(n)
	return translate(err, s.dir)
}

// Search runs a query over the index.
func (s *Store) Search(q search.Query) search.Result { return s.index.Search(q) }

// Counts returns how many records of each kind are not in the trash.
func (s *Store) Counts() map[data.Kind]int {
	out := map[data.Kind]int{}
	for _, k := range data.Kinds {
		out[k] = s.index.Count(search.Query{Kind: k})
	}
	return out
}

// linkChecker sees the index plus records about to be written in the same step.
func (s *Store) linkChecker(pending map[string]data.Kind) data.LinkChecker {
	return func(k data.Kind, id string) bool {
		if pk, ok := pending[id]; ok {
			return pk == k
		}
		if ik, ok := s.index.Kind(id); ok {
			return ik == k
		}
		// The index is empty while a bulk job writes: the record itself.
		if !s.bulk.Load() || !s.mayBeStored(id) {
			return false
		}
		if pending == nil { // a single save, not a step: stepLinks is not its own
			return s.storedAs(k, id)
		}
		t := linkTarget{k, id}
		if _, ok := s.stepLinks.Load(t); ok {
			return true
		}
		if !s.storedAs(k, id) {
			return false
		}
		s.stepLinks.Store(t, struct{}{})
		return true
	}
}

// linkTarget is a record a link names, as a key of Store.stepLinks.
type linkTarget struct {
	kind data.Kind
	id   string
}

// prepare turns a record into the bytes to write: it normalises, sets the
// store's fields (ID, version, times, users, source), validates and encodes.
// old is the stored version (nil for a new record). keepMeta takes Meta as
// given (records merged from another laptop keep their history); with
// validated the caller has just run data.Validate on the record itself.
func (s *Store) prepare(r data.Record, old data.Record, src data.Source, keepMeta, validated bool, pending map[string]data.Kind) ([]byte, error) {
	m := r.Base()
	m.Kind = data.KindOf(r)
	if !keepMeta {
		now := s.opt.Now().UTC()
		switch {
		case old == nil && m.Version != 0:
			return nil, fmt.Errorf("%w (%s %s)", ErrConflict, m.Kind, m.ID)
		case old != nil && m.Version != old.Base().Version:
			return nil, fmt.Errorf("%w (%s)", ErrConflict, old.Title())
		}
		var om *data.Meta
		if old != nil {
			om = old.Base()
		}
		vv, err := s.nextVV(om)
		if err != nil {
			return nil, err
		}
		m.VV = vv
		if old != nil {
			m.CreatedAt, m.CreatedBy, m.TrashedAt = om.CreatedAt, om.CreatedBy, om.TrashedAt
			m.Version = om.Version + 1
		} else {
			if m.CreatedAt.IsZero() {
				m.CreatedAt = now
			}
			if m.CreatedBy == "" {
				m.CreatedBy = s.opt.User
			}
			m.Version = 1
		}
		m.UpdatedAt, m.UpdatedBy = now, s.opt.User
		if src != "" {
			m.Source = src
		} else if m.Source == "" {
			m.Source = data.SourceOffice
		}
	}
	data.Normalize(r, s.opt.Region)
	if !keepMeta && old != nil {
		data.ClearRefusedAddress(r, old)
	}
	if !validated {
		// A number stored before the phone rule grew stricter does not
		// block saving the record's other fields, nor merging it from
		// another laptop; a new or changed one must be valid.
		opts := []data.ValidateOption{data.WithOffice(s.opt.Region), data.WithStored(old)}
		if keepMeta {
			opts = append(opts, data.AsMerged())
		}
		if err := data.Validate(r, s.opt.Lang, s.linkChecker(pending), opts...); err != nil {
			return nil, err
		}
	}
	return data.Encode(r)
}

// Save writes one record: a new one (empty ID or an ID not yet stored) or a
// new version of a stored one, whose Version must be the one that was read
// (else ErrConflict). It validates (a *data.ValidationError names each bad
// field in the store's language), bumps the version, and appends an audit
// entry in the same transaction. On success r carries its new Meta.
func (s *Store) Save(r data.Record) error { return s.SaveFrom(r, "") }

// SaveFrom is Save with the record's source (office, field, …).
func (s *Store) SaveFrom(r data.Record, src data.Source) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	m := r.Base()
	saved := *m // a refused save gives the caller its record back unchanged
	if m.ID == "" {
		m.ID = newID()
	}
	kind := data.KindOf(r)
	var oldBytes []byte
	err := s.db.Update(func(txn *badger.Txn) error {
		if s.txErased(txn, m.ID) {
			return ErrErased
		}
		old, err := s.txGetKind(txn, kind, m.ID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if old != nil {
			oldBytes, _ = data.Encode(old)
		}
		b, err := s.prepare(r, old, src, false, false, nil)
		if err != nil {
			return err
		}
		// A save on a full disk is refused with the sizes, before Badger
		// meets the full disk inside its memtable (SIGBUS).
		if err := s.checkSpace([]prepared{{value: b, old: oldBytes}}); err != nil {
			return err
		}
		action := ActionCreate
		if old != nil {
			action = ActionUpdate
		}
		if err := txn.Set(recordKey(kind, m.ID), b); err != nil {
			return err
		}
		return s.txAudit(txn, AuditEntry{Action: action, Kind: kind, ID: m.ID, Version: m.Version,
			Source: m.Source, Changed: changedFields(oldBytes, b), Before: oldBytes})
	})
	if err != nil {
		*m = saved
		return translate(err, s.dir)
	}
	s.index.Put(search.DocOf(r))
	return nil
}

func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}

// txAudit appends an entry and its history pointer.
func (s *Store) txAudit(txn *badger.Txn, e AuditEntry) error {
	e.Key = s.newAuditKey()
	e.Time = s.opt.Now().UTC()
	e.User = s.opt.User
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := txn.Set([]byte(e.Key), b); err != nil {
		return err
	}
	if e.ID != "" {
		return txn.Set(historyKey(e.ID, e.Key), nil)
	}
	return nil
}

// metaFields are left out of the list of changed fields.
var metaFields = map[string]bool{"id": true, "kind": true, "schema": true, "version": true, "created_at": true,
	"created_by": true, "updated_at": true, "updated_by": true, "source": true, "trashed_at": true, "vv": true}

// changedFields lists the JSON fields whose values differ, sorted.
func changedFields(before, after []byte) []string {
	var a, b map[string]json.RawMessage
	_ = json.Unmarshal(before, &a)
	_ = json.Unmarshal(after, &b)
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]json.RawMessage{a, b} {
		for k := range m {
			if seen[k] || metaFields[k] {
				continue
			}
			seen[k] = true
			if !bytes.Equal(a[k], b[k]) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Trash moves a record to the trash; it keeps all its data.
func (s *Store) Trash(id string) error { return s.setTrashed(id, true) }

// Restore takes a record out of the trash.
func (s *Store) Restore(id string) error { return s.setTrashed(id, false) }

func (s *Store) setTrashed(id string, trash bool) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	var r data.Record
	err := s.db.Update(func(txn *badger.Txn) error {
		var err error
		if r, err = s.txGet(txn, id); err != nil {
			return err
		}
		m := r.Base()
		if m.Trashed() == trash {
			return nil
		}
		action := ActionRestore
		m.TrashedAt = nil
		if trash {
			now := s.opt.Now().UTC()
			m.TrashedAt, action = &now, ActionTrash
		}
		if m.VV, err = s.nextVV(m); err != nil {
			return err
		}
		m.Version++
		m.UpdatedAt, m.UpdatedBy = s.opt.Now().UTC(), s.opt.User
		b, err := data.Encode(r)
		if err != nil {
			return err
		}
		if err := txn.Set(recordKey(m.Kind, id), b); err != nil {
			return err
		}
		return s.txAudit(txn, AuditEntry{Action: action, Kind: m.Kind, ID: id, Version: m.Version})
	})
	if err != nil {
		return translate(err, s.dir)
	}
	s.index.Put(search.DocOf(r))
	return nil
}

// History returns the audit entries of one record, oldest first. Entries of
// multi-record steps carry the record's previous version from the step's
// undo data.
func (s *Store) History(id string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.View(func(txn *badger.Txn) error {
		prefix := []byte("h/" + id + "/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			ak := strings.TrimPrefix(string(it.Item().Key()), string(prefix))
			item, err := txn.Get([]byte(ak))
			if err != nil {
				continue
			}
			var e AuditEntry
			if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
				return err
			}
			if e.ID == "" { // a step: fill in this record's part
				e.ID = id
				if j, err := txn.Get(journalKey(ak, id)); err == nil {
					var je journalEntry
					if err := j.Value(func(v []byte) error { return json.Unmarshal(v, &je) }); err == nil {
						e.Kind, e.Before, e.Version = je.Kind, je.Old, je.NewVersion
					}
				}
			}
			out = append(out, e)
		}
		return nil
	})
	return out, translate(err, s.dir)
}

// AuditLog returns the newest audit entries, newest first, at most limit
// (0: all).
func (s *Store) AuditLog(limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Reverse: true, Prefix: []byte("a/")})
		defer it.Close()
		for it.Seek([]byte("a/~")); it.Valid() && (limit == 0 || len(out) < limit); it.Next() {
			var e AuditEntry
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, translate(err, s.dir)
}

// Setting reads a value kept with the data (office details, laptop ID);
// ErrNotFound when it was never set.
func (s *Store) Setting(name string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte("s/" + name))
		if err != nil {
			return err
		}
		out, err = item.ValueCopy(nil)
		return err
	})
	return out, translate(err, s.dir)
}

// SetSetting writes a value kept with the data.
func (s *Store) SetSetting(name string, value []byte) error {
	return translate(s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("s/"+name), value) }), s.dir)
}
