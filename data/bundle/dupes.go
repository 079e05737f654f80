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

// FindDuplicates lists pairs of records (not in the trash) with different
// IDs that match by data.MatchKeys: the same person registered on two
// laptops. Keep is the older record of the pair.
func FindDuplicates(st *store.Store) ([]Duplicate, error) {
	var out []Duplicate
	for _, k := range data.Kinds {
		var recs []data.Record
		err := st.Each(k, func(r data.Record) error {
			if !r.Base().Trashed() {
				recs = append(recs, r)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.SliceStable(recs, func(i, j int) bool {
			a, b := recs[i].Base(), recs[j].Base()
			if !a.CreatedAt.Equal(b.CreatedAt) {
				return a.CreatedAt.Before(b.CreatedAt)
			}
			return a.ID < b.ID
		})
		first := map[string]data.Record{}
		for _, r := range recs {
			var d *Duplicate
			for _, key := range data.MatchKeys(r) {
				f, ok := first[key]
				if !ok {
					first[key] = r
					continue
				}
				if d == nil {
					d = &Duplicate{Kind: k, Keep: itemOf(f), Drop: itemOf(r)}
				}
				if f.Base().ID == d.Keep.ID {
					d.Keys = append(d.Keys, key)
				}
			}
			if d != nil {
				out = append(out, *d)
			}
		}
	}
	return out, nil
}

// Combine is the default record for merging two duplicates: keep's fields,
// with what keep lacks (empty text, no date, no consent given) taken from
// drop, and lists (tags, languages, interests, owners, members) joined.
func Combine(keep, drop data.Record) (data.Record, error) {
	if data.KindOf(keep) != data.KindOf(drop) {
		return nil, ErrKindMismatch
	}
	kb, err := data.Encode(data.Clone(keep))
	if err != nil {
		return nil, err
	}
	db, err := data.Encode(data.Clone(drop))
	if err != nil {
		return nil, err
	}
	var km, dm map[string]json.RawMessage
	if err := json.Unmarshal(kb, &km); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(db, &dm); err != nil {
		return nil, err
	}
	skip := map[string]bool{"id": true, "kind": true, "schema": true, "version": true, "vv": true, "created_at": true,
		"created_by": true, "updated_at": true, "updated_by": true, "source": true, "trashed_at": true}
	for f, dv := range dm {
		if skip[f] {
			continue
		}
		kv, ok := km[f]
		switch {
		case !ok || isEmptyJSON(kv):
			km[f] = dv
		case kv[0] == '[' && dv[0] == '[':
			km[f] = unionJSON(kv, dv)
		}
	}
	out, err := json.Marshal(km)
	if err != nil {
		return nil, err
	}
	return data.Decode(data.KindOf(keep), out)
}

// isEmptyJSON: "", 0, false, null, [], {} or an object of such.
func isEmptyJSON(v json.RawMessage) bool {
	var x any
	if json.Unmarshal(v, &x) != nil {
		return false
	}
	return data.EmptyValue(x)
}

// unionJSON joins two JSON arrays, a's elements first, without repeats.
func unionJSON(a, b json.RawMessage) json.RawMessage {
	var xa, xb []json.RawMessage
	if json.Unmarshal(a, &xa) != nil || json.Unmarshal(b, &xb) != nil {
		return a
	}
	seen := map[string]bool{}
	var out []json.RawMessage
	for _, e := range append(xa, xb...) {
		var c bytes.Buffer
		if json.Compact(&c, e) != nil || seen[c.String()] {
			continue
		}
		seen[c.String()] = true
		out = append(out, e)
	}
	res, _ := json.Marshal(out)
	return res
}

// holderKinds are the kinds of record that can link to a record of a kind.
var holderKinds = map[data.Kind][]data.Kind{
	data.KindPerson:       {data.KindBusiness, data.KindOrganisation},
	data.KindOrganisation: {data.KindOrganisation},
	data.KindLocality:     {data.KindPerson},
}

// MergeDuplicates makes one record of two duplicates: the record keepID
// gets chosen's fields (nil: Combine of the two), every record linking to
// dropID links to keepID instead, and dropID goes to the trash, where its
// data stays recoverable (and a laptop still editing it gets a conflict, not
// a silent loss). All of it is one step of the store, undoable.
func MergeDuplicates(ctx context.Context, st *store.Store, keepID, dropID string, chosen data.Record) (store.StepResult, error) {
	if keepID == dropID {
		return store.StepResult{}, fmt.Errorf("merge duplicates: the same record twice (%s)", keepID)
	}
	keep, err := st.Get(keepID)
	if err != nil {
		return store.StepResult{}, err
	}
	drop, err := st.Get(dropID)
	if err != nil {
		return store.StepResult{}, err
	}
	kind := data.KindOf(keep)
	if data.KindOf(drop) != kind || (chosen != nil && data.KindOf(chosen) != kind) {
		return store.StepResult{}, ErrKindMismatch
	}
	if chosen == nil {
		if chosen, err = Combine(keep, drop); err != nil {
			return store.StepResult{}, err
		}
	}
	base := map[string]uint64{keepID: keep.Base().Version, dropID: drop.Base().Version}
	km := keep.Base()
	survivor := data.Clone(chosen)
	m := survivor.Base()
	m.ID, m.CreatedAt, m.CreatedBy, m.TrashedAt, m.Source = keepID, km.CreatedAt, km.CreatedBy, km.TrashedAt, data.SourceOffice
	relink(survivor, dropID, keepID)
	relink(survivor, keepID, "") // an organisation is not its own umbrella
	if err := st.Stamp(survivor, km); err != nil {
		return store.StepResult{}, err
	}
	recs := []data.Record{survivor}

	for _, hk := range holderKinds[kind] {
		err := st.Each(hk, func(r data.Record) error {
			if r.Base().ID == keepID || r.Base().ID == dropID {
				return nil
			}
			before := r.Base().Version
			if !relink(r, dropID, keepID) {
				return nil
			}
			r.Base().Source = data.SourceOffice
			if err := st.Stamp(r, r.Base()); err != nil {
				return err
			}
			base[r.Base().ID] = before
			recs = append(recs, r)
			return nil
		})
		if err != nil {
			return store.StepResult{}, err
		}
	}

	if recs, err = moveParticipations(st, recs, base, keepID, dropID); err != nil {
		return store.StepResult{}, err
	}

	gone := data.Clone(drop)
	gm := gone.Base()
	gm.Source = data.SourceOffice
	relink(gone, dropID, "")
	if err := st.Stamp(gone, drop.Base()); err != nil {
		return store.StepResult{}, err
	}
	t := gm.UpdatedAt
	gm.TrashedAt = &t
	recs = append(recs, gone)

	return st.ApplyMerge(ctx, store.MergeStep{
		Action:  store.StepMergeDuplicates,
		Note:    fmt.Sprintf("%s merged into %s", dropID, keepID),
		Counts:  map[string]int{"relinked": len(recs) - 2},
		Records: recs,
		Base:    base,
	}, nil)
}

// relink makes every link of r to from point to to instead (to "": drop
// it), without repeating a link r already has; it reports whether r had one.
func relink(r data.Record, from, to string) bool {
	found := false
	switch v := r.(type) {
	case *data.Person:
		if v.LocalityID == from {
			v.LocalityID, found = to, true
		}
	case *data.Business:
		has := false
		for _, o := range v.Owners {
			has = has || (to != "" && o.PersonID == to)
		}
		kept := v.Owners[:0]
		for _, o := range v.Owners {
			if o.PersonID == from {
				found = true
				if to == "" || has {
					continue
				}
				o.PersonID = to
			}
			kept = append(kept, o)
		}
		v.Owners = kept
	case *data.Organisation:
		if v.UmbrellaID == from {
			v.UmbrellaID, found = to, true
		}
		has := false
		for _, id := range v.MemberIDs {
			has = has || (to != "" && id == to)
		}
		kept := v.MemberIDs[:0]
		for _, id := range v.MemberIDs {
			if id == from {
				found = true
				if to == "" || has {
					continue
				}
				id = to
			}
			kept = append(kept, id)
		}
		v.MemberIDs = kept
	default:
		found = relinkActivities(r, from, to)
	}
	return found
}
