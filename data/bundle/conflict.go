package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"registar/data"
	"registar/data/store"
)

// ListConflicts lists every record in conflict: the version in the registry
// (Ours) and the versions set aside (Theirs), oldest first, each with the
// laptop it came from.
func ListConflicts(st *store.Store) ([]store.Conflict, error) { return st.Conflicts() }

// Take is version i of a conflict (0: ours, 1…: the versions set aside in
// order) as a record ready to give ResolveConflict, or to edit first.
func Take(c store.Conflict, i int) (data.Record, error) {
	vs := c.Versions()
	if i < 0 || i >= len(vs) {
		return nil, fmt.Errorf("conflict of %s has no version %d", c.ID, i)
	}
	r := data.Clone(vs[i])
	r.Base().Version = c.Ours.Base().Version
	return r, nil
}

// Differences lists the fields (JSON names, e.g. "city", "owners") whose
// values differ between two versions, "trashed_at" when one is in the trash
// and the other not: the rows a side-by-side view highlights.
func Differences(a, b data.Record) []string {
	ma, mb := fieldsOf(a), fieldsOf(b)
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]json.RawMessage{ma, mb} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			if !bytes.Equal(ma[k], mb[k]) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// fieldsOf is a record's content by JSON field, without bookkeeping.
func fieldsOf(r data.Record) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(contentOf(r), &m)
	delete(m, "id")
	delete(m, "kind")
	return m
}

// TakeFields returns a copy of base with the named fields (JSON names, as
// Differences gives them) taken from other: how a user takes fields from
// each version. "trashed_at" takes other's trash state.
func TakeFields(base, other data.Record, fields ...string) (data.Record, error) {
	if data.KindOf(base) != data.KindOf(other) {
		return nil, ErrKindMismatch
	}
	bb, err := data.Encode(data.Clone(base))
	if err != nil {
		return nil, err
	}
	ob, err := data.Encode(data.Clone(other))
	if err != nil {
		return nil, err
	}
	var bm, om map[string]json.RawMessage
	if err := json.Unmarshal(bb, &bm); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(ob, &om); err != nil {
		return nil, err
	}
	for _, f := range fields {
		switch f {
		case "id", "kind", "schema", "version", "vv", "created_at", "created_by", "updated_at", "updated_by", "source":
			continue
		}
		if v, ok := om[f]; ok {
			bm[f] = v
		} else {
			delete(bm, f)
		}
	}
	out, err := json.Marshal(bm)
	if err != nil {
		return nil, err
	}
	return data.Decode(data.KindOf(base), out)
}

// ResolveConflict settles the conflict of record id with the version the
// user chose: ours, one set aside (see Take), or one with fields taken from
// each (TakeFields), possibly edited. chosen must carry the Version of the
// record in the registry as the conflict showed it, else store.ErrConflict
// (the record changed meanwhile: show the conflict again). It is written as
// a new version that supersedes every version of the conflict, so the other
// laptops take it too when they merge; links to records erased here are
// dropped. The versions not chosen stay in the record's history
// (store.PastVersions). It is one step of the store, undoable.
func ResolveConflict(ctx context.Context, st *store.Store, id string, chosen data.Record) error {
	c, err := st.Conflict(id)
	if err != nil {
		return err
	}
	if data.KindOf(chosen) != c.Kind {
		return ErrKindMismatch
	}
	om := c.Ours.Base()
	if chosen.Base().Version != om.Version {
		return fmt.Errorf("%w (%s)", store.ErrConflict, c.Ours.Title())
	}
	r := data.Clone(chosen)
	m := r.Base()
	m.ID, m.CreatedAt, m.CreatedBy, m.Source = id, om.CreatedAt, om.CreatedBy, data.SourceOffice
	if err := dropErasedLinks(st, r); err != nil {
		return err
	}
	over := []*data.Meta{om}
	for _, t := range c.Theirs {
		over = append(over, t.Record.Base())
	}
	if err := st.Stamp(r, over...); err != nil {
		return err
	}
	_, err = st.ApplyMerge(ctx, store.MergeStep{
		Action:    store.StepResolve,
		Note:      fmt.Sprintf("conflict of %s resolved (%d versions)", id, len(c.Theirs)+1),
		Records:   []data.Record{r},
		Base:      map[string]uint64{id: om.Version},
		Conflicts: map[string]*store.Conflict{id: {Kind: c.Kind}},
	}, nil)
	if err != nil {
		return err
	}
	*chosen.Base() = *m
	return nil
}

// dropErasedLinks removes from r the links to records erased here.
func dropErasedLinks(st *store.Store, r data.Record) error {
	links := r.Links()
	if len(links) == 0 {
		return nil
	}
	ids := make([]string, len(links))
	for i, l := range links {
		ids[i] = l.ID
	}
	local, err := st.Lookup(ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if local[id].Tombstone != nil {
			relink(r, id, "")
		}
	}
	return nil
}
