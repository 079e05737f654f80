package sync

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"sort"

	"registar/data/bundle"
	"registar/data/store"
)

// Erasing for good reaches the folder too. A laptop's files are immutable
// and the engines copy them everywhere, so a person erased here would stay
// in every file that carried one of their versions. After an erase, made
// here or merged, a round therefore looks for the erased IDs in every file
// of the folder it can read, its own and the others', and for each file
// that holds one and whose contents it has merged, writes the rest anew as
// a file of its own (the other records, in the version this registry holds
// when that is the same or newer, and the erasures) before it removes the
// old one. The other laptops see the old file go: they merged it already,
// so nothing is lost, and one that had not gets its rest. The engines'
// partial and conflict copies of our files go too, once they are known to
// hold nothing this registry has not merged.
//
// The IDs to look for are kept in a setting until a round has looked
// (settingErasePending): an erase is noted when the file carrying its
// tombstone is written, and a file merged with versions of erased records
// notes those. A file not merged yet is left for the round that merges it;
// that merge notes its erased records again.

const settingErasePending = "sync_erase_pending"

func loadPending(st *store.Store) ([]string, error) {
	b, err := st.Setting(settingErasePending)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	if json.Unmarshal(b, &ids) != nil {
		return nil, nil
	}
	return ids, nil
}

func savePending(st *store.Store, ids []string) error {
	if ids == nil {
		ids = []string{}
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return st.SetSetting(settingErasePending, b)
}

// notePending adds ids to the erased IDs to look for in the folder.
func notePending(st *store.Store, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	have, err := loadPending(st)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, len(have))
	for _, id := range have {
		seen[id] = true
	}
	n := len(have)
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			have = append(have, id)
		}
	}
	if len(have) == n {
		return nil
	}
	sort.Strings(have)
	return savePending(st, have)
}

func tombIDs(ts []store.Tombstone) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func itemIDs(items []bundle.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// purge removes the erased records noted pending from the folder's files
// (see the top of this file).
func (f *Folder) purge(ctx context.Context, me string, sum *Summary) error {
	pending, err := loadPending(f.st)
	if err != nil || len(pending) == 0 {
		return err
	}
	want := make(map[string]bool, len(pending))
	for _, id := range pending {
		want[id] = true
	}
	peers, err := loadMerged(f.st)
	if err != nil {
		return err
	}
	files, err := f.scan()
	if err != nil {
		return err
	}
	stuck := false
	for _, ff := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ff.copy {
			if err := f.removeSettledCopy(ff, me, peers, sum); err != nil {
				return err
			}
			continue
		}
		if !merged(ff, me, peers) {
			continue // arrived since the merge: the round that merges it notes its erased records
		}
		b, err := f.readWhole(ff.path)
		if err != nil {
			continue // gone, or it never read: then it was never merged either
		}
		if !holdsAny(b, want) {
			continue
		}
		if !f.restWritten[ff.path] {
			rest, err := f.rest(b)
			if err != nil {
				return err
			}
			w, err := f.writeOwn(me, rest, "")
			if err != nil {
				return err
			}
			sum.Rewritten = append(sum.Rewritten, *w)
			f.restWritten[ff.path] = true
		}
		if err := os.Remove(ff.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			// Held open by the engine or an antivirus, or read-only: the
			// next round tries again (its rest is written once a session).
			sum.Skipped = append(sum.Skipped, Skipped{File: ff.path, Err: err, Retry: true})
			stuck = true
			continue
		}
		delete(f.restWritten, ff.path)
		sum.Purged = append(sum.Purged, ff.path)
	}
	if stuck {
		return nil
	}
	// Done: a file not reached yet (not merged, not readable) brings its
	// erased records back through the merge that reaches it. Only the IDs
	// looked for go, whatever was noted since they were read.
	now, err := loadPending(f.st)
	if err != nil {
		return err
	}
	var left []string
	for _, id := range now {
		if !want[id] {
			left = append(left, id)
		}
	}
	return savePending(f.st, left)
}

// removeSettledCopy removes an engine's copy of one of our files when it
// holds nothing this registry has not merged.
func (f *Folder) removeSettledCopy(ff folderFile, me string, peers map[string]*peerState, sum *Summary) error {
	ok, err := f.settledCopy(ff, me, peers)
	if err != nil || !ok {
		return err
	}
	if err := os.Remove(ff.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil // the engine's to deal with; tried again at the next purge
	}
	sum.Purged = append(sum.Purged, ff.path)
	return nil
}

// holdsAny reports whether b carries a version of a record in ids.
func holdsAny(b *bundle.Bundle, ids map[string]bool) bool {
	for _, r := range b.Records {
		if ids[r.Base().ID] {
			return true
		}
	}
	return false
}

// rest is what of b may stay in the folder: its records not erased here,
// each in this registry's version when that is the same or newer (so a
// record that linked to an erased one comes without the link, as Erase
// left it), else in b's; b's erasures, and those of the records it held.
func (f *Folder) rest(b *bundle.Bundle) (*bundle.Bundle, error) {
	local, err := f.st.Lookup(bundleIDs(b))
	if err != nil {
		return nil, err
	}
	out := &bundle.Bundle{}
	tombs := map[string]bool{}
	for _, t := range b.Tombstones {
		tombs[t.ID] = true
		out.Tombstones = append(out.Tombstones, t)
	}
	for _, r := range b.Records {
		l := local[r.Base().ID]
		if l.Tombstone != nil {
			if !tombs[l.Tombstone.ID] {
				tombs[l.Tombstone.ID] = true
				out.Tombstones = append(out.Tombstones, *l.Tombstone)
			}
			continue
		}
		keep := r
		if l.Meta != nil && len(r.Base().VV) > 0 {
			if o := store.CompareVV(r.Base().VV, l.Meta.VV); o == store.Same || o == store.Older {
				cur, err := l.Record()
				if err != nil {
					return nil, err
				}
				keep = cur
			}
		}
		out.Records = append(out.Records, keep)
	}
	return out, nil
}
