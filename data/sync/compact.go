package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"registar/data/bundle"
	"registar/data/i18n"
)

// Compacted is what a compaction did.
type Compacted struct {
	// Round is the round run first, to merge what had arrived.
	Round *Summary
	// Written is the file of everything.
	Written *Written
	// Removed lists the files removed: merged here and not their laptop's
	// newest, and engines' copies holding nothing new.
	Removed []string
	// Kept counts the files left because they are not merged here yet.
	Kept int
}

// Compact shrinks the folder, on the office laptop: it runs a round, writes
// one file of everything this registry holds (records and erasures), then
// removes the files it has merged, keeping each other laptop's newest one
// merged (so its sequence numbering goes on, and a laptop that joins later
// learns when it was last heard from), and every file it has not merged: it
// may have arrived since. The engines' copies of our files that hold
// nothing new go too. A laptop that joins later catches up from the file of
// everything and the few files left.
func (f *Folder) Compact(ctx context.Context) (*Compacted, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &Compacted{}
	sum, err := f.round(ctx)
	c.Round = sum
	if err != nil {
		return c, err
	}
	me, err := f.st.LaptopID()
	if err != nil {
		return c, err
	}
	recs, tombs, end, err := f.st.Changes("", true)
	if err != nil {
		return c, err
	}
	w, err := f.writeOwn(me, &bundle.Bundle{Records: recs, Tombstones: tombs}, end)
	if err != nil {
		return c, err
	}
	c.Written = w
	if f.beforeRemove != nil {
		f.beforeRemove()
	}
	// The list of merged files is read after the folder: a file that
	// arrives in between is not in it, and stays.
	files, err := f.scan()
	if err != nil {
		return c, fmt.Errorf("%s: %w", f.Dir, ErrNoFolder)
	}
	peers, err := loadMerged(f.st)
	if err != nil {
		return c, err
	}
	newest := map[string]uint64{} // each other laptop's newest file merged
	for _, ff := range files {
		if !ff.copy && ff.laptop != me && merged(ff, me, peers) {
			newest[ff.laptop] = max(newest[ff.laptop], ff.seq)
		}
	}
	for _, ff := range files {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		var remove bool
		switch {
		case ff.copy:
			if remove, err = f.settledCopy(ff, me, peers); err != nil {
				return c, err
			}
		case ff.laptop == me:
			remove = ff.seq < w.Seq
		default:
			remove = merged(ff, me, peers) && ff.seq < newest[ff.laptop]
			if !merged(ff, me, peers) {
				c.Kept++
			}
		}
		if !remove {
			continue
		}
		if err := os.Remove(ff.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return c, err
		}
		c.Removed = append(c.Removed, ff.path)
	}
	return c, nil
}

// Lines says what the compaction did, in language l: the round's lines,
// then the compaction's.
func (c *Compacted) Lines(l i18n.Lang, now time.Time) []string {
	var out []string
	if c.Round != nil {
		out = append(out, c.Round.Lines(l, now)...)
	}
	n := strconv.Itoa
	if w := c.Written; w != nil {
		out = append(out, i18n.T(l, "sync.compacted", "file", w.File, "records", n(w.Records),
			"erasures", n(w.Tombstones), "removed", n(len(c.Removed))))
	}
	if c.Kept > 0 {
		out = append(out, i18n.T(l, "sync.compact.kept", "n", n(c.Kept)))
	}
	return out
}
