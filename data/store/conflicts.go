package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
)

// Conflicts. When a bundle brings a version of a record that was changed
// both here and there since their common version, the merge keeps the
// version here in place and sets the other aside under c/<id>, until someone
// picks one or takes fields from each (see data/bundle). Several laptops
// may each bring their own: a conflict can hold more than one version set
// aside. Erasing the record drops them with the rest of its personal data.

func conflictKey(id string) string { return "c/" + id }

// rawID is the record ID of a key "<prefix>/<id>" other than the record's.
func rawID(key string) string {
	_, id, _ := strings.Cut(key, "/")
	return id
}

// rawSum is the hash a journal keeps of a raw value it wrote (0: deleted).
func rawSum(v []byte) uint64 {
	if v == nil {
		return 0
	}
	h := fnv.New64a()
	h.Write(v)
	return h.Sum64() | 1
}

// Conflict is a record changed on two laptops since their common version.
type Conflict struct {
	ID   string
	Kind data.Kind
	// Ours is the version in the registry now (it can still be edited;
	// reads fill it in).
	Ours data.Record
	// Theirs are the versions set aside, oldest first.
	Theirs []SetAside
}

// SetAside is a version of a record that a merge set aside.
type SetAside struct {
	Record   data.Record
	From     string    // laptop ID of the bundle it came in
	FromName string    // that laptop's name
	At       time.Time // when it was set aside
}

// Versions are Ours then Theirs, the order a screen shows them side by side.
func (c *Conflict) Versions() []data.Record {
	out := []data.Record{c.Ours}
	for _, t := range c.Theirs {
		out = append(out, t.Record)
	}
	return out
}

type conflictJSON struct {
	ID     string         `json:"id"`
	Kind   data.Kind      `json:"kind"`
	Theirs []setAsideJSON `json:"theirs"`
}

type setAsideJSON struct {
	Record   json.RawMessage `json:"record"`
	From     string          `json:"from"`
	FromName string          `json:"from_name,omitempty"`
	At       time.Time       `json:"at"`
}

func encodeConflict(c *Conflict) ([]byte, error) {
	cj := conflictJSON{ID: c.ID, Kind: c.Kind}
	for _, t := range c.Theirs {
		b, err := data.Encode(t.Record)
		if err != nil {
			return nil, err
		}
		cj.Theirs = append(cj.Theirs, setAsideJSON{Record: b, From: t.From, FromName: t.FromName, At: t.At})
	}
	return json.Marshal(cj)
}

func decodeConflict(b []byte) (*Conflict, error) {
	var cj conflictJSON
	if err := json.Unmarshal(b, &cj); err != nil {
		return nil, fmt.Errorf("conflict: %w", err)
	}
	c := &Conflict{ID: cj.ID, Kind: cj.Kind}
	for _, t := range cj.Theirs {
		r, err := data.Decode(cj.Kind, t.Record)
		if err != nil {
			return nil, err
		}
		c.Theirs = append(c.Theirs, SetAside{Record: r, From: t.From, FromName: t.FromName, At: t.At})
	}
	return c, nil
}

// txConflict reads the versions set aside for id; nil when there are none.
func (s *Store) txConflict(txn *badger.Txn, id string) (*Conflict, []byte, error) {
	item, err := txn.Get([]byte(conflictKey(id)))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	raw, err := item.ValueCopy(nil)
	if err != nil {
		return nil, nil, err
	}
	c, err := decodeConflict(raw)
	return c, raw, err
}

// Conflicts lists every record in conflict, in ID order, each with the
// version in the registry and the versions set aside.
func (s *Store) Conflicts() ([]Conflict, error) {
	var out []Conflict
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("c/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var c *Conflict
			if err := it.Item().Value(func(v []byte) error {
				var err error
				c, err = decodeConflict(v)
				return err
			}); err != nil {
				return err
			}
			ours, err := s.txGetKind(txn, c.Kind, c.ID)
			if err != nil {
				continue // a record gone meanwhile has no conflict left
			}
			c.Ours = ours
			out = append(out, *c)
		}
		return nil
	})
	return out, translate(err, s.dir)
}

// Conflict returns the conflict of one record (ErrNotFound: none).
func (s *Store) Conflict(id string) (Conflict, error) {
	var c *Conflict
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		if c, _, err = s.txConflict(txn, id); err != nil {
			return err
		}
		if c == nil {
			return ErrNotFound
		}
		c.Ours, err = s.txGetKind(txn, c.Kind, id)
		return err
	})
	if err != nil {
		return Conflict{}, translate(err, s.dir)
	}
	return *c, nil
}

// PastVersions returns every earlier version of a record kept in its
// history, oldest first: the versions each change replaced (audit entries
// and the undo data of steps) and the versions a merge set aside and a
// resolution then did not keep. Nothing a merge decides against is lost: it
// is here. An erased record has none.
func (s *Store) PastVersions(id string) ([]data.Record, error) {
	var out []data.Record
	err := s.db.View(func(txn *badger.Txn) error {
		prefix := []byte("h/" + id + "/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			ak := strings.TrimPrefix(string(it.Item().Key()), string(prefix))
			var e AuditEntry
			if item, err := txn.Get([]byte(ak)); err == nil {
				if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
					return err
				}
			}
			if e.ID == id && len(e.Before) > 0 {
				if r, err := data.Decode(e.Kind, e.Before); err == nil {
					out = append(out, r)
				}
			}
			// A step: this record's journal entry, and the versions set
			// aside that the step replaced.
			for _, jk := range []string{id, conflictKey(id)} {
				item, err := txn.Get(journalKey(ak, jk))
				if err != nil {
					continue
				}
				var je journalEntry
				if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &je) }); err != nil {
					return err
				}
				if len(je.Old) == 0 {
					continue
				}
				if je.Key == "" {
					if r, err := data.Decode(je.Kind, je.Old); err == nil {
						out = append(out, r)
					}
					continue
				}
				if c, err := decodeConflict(je.Old); err == nil {
					for _, t := range c.Theirs {
						out = append(out, t.Record)
					}
				}
			}
		}
		return nil
	})
	return out, translate(err, s.dir)
}
