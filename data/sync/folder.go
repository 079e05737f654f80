package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	"registar/data"
	"registar/data/bundle"
	"registar/data/store"
)

// DefaultKeepAlive is how long a laptop with nothing new stays quiet before
// it writes an empty file to say it is still there.
const DefaultKeepAlive = 24 * time.Hour

// Folder is one registry's view of a sync folder. Rounds may be called from
// several goroutines; they run one at a time.
type Folder struct {
	// Dir is the sync folder, the same on every laptop (as the engine sees it).
	Dir string
	// Passphrase seals the files written and opens others'. An encrypted
	// registry refuses to write without one.
	Passphrase string
	// KeepAlive: after this long without a file, a round with nothing new
	// writes an empty one; 0 means DefaultKeepAlive, negative never.
	KeepAlive time.Duration
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time

	// beforeRemove, when set, runs in Compact between writing the file of
	// everything and removing the old ones (tests: a file arriving then).
	beforeRemove func()

	st  *store.Store
	mu  stdsync.Mutex
	bad map[string]badFile // files that did not read, not read again while unchanged
	// restWritten: files purged whose rest is written but which would not
	// go; their rest is not written again while they stay.
	restWritten map[string]bool
}

// badFile is a file that did not read, as it was then.
type badFile struct {
	size int64
	mod  time.Time
	err  error
}

// New is the sync folder dir for the registry st.
func New(st *store.Store, dir string) *Folder {
	return &Folder{Dir: dir, st: st, bad: map[string]badFile{}, restWritten: map[string]bool{}}
}

var (
	// seqName is the only file name a round reads or counts; the engines'
	// partial and conflict copies of it never match.
	seqName       = regexp.MustCompile(`^([0-9]{8,20})\.registar$`)
	laptopDirName = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

const (
	ext        = ".registar"
	tempPrefix = ".registar-"
	tempSuffix = ".tmp"
)

// FileName is the name of a laptop's file with sequence seq.
func FileName(seq uint64) string { return fmt.Sprintf("%08d%s", seq, ext) }

func (f *Folder) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Round writes this laptop's changes since its last file, if any, then
// merges the other laptops' files not merged yet (see the package comment).
// A file that does not read is skipped with a reason, never stopping the
// round; an error is returned for the folder (not there, not writable) or
// the registry (full disk, closed). The summary says what was done, also
// alongside an error.
func (f *Folder) Round(ctx context.Context) (*Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.round(ctx)
}

// round is Round with f.mu held.
func (f *Folder) round(ctx context.Context) (*Summary, error) {
	sum := &Summary{}
	if fi, err := os.Stat(f.Dir); err != nil || !fi.IsDir() {
		return sum, fmt.Errorf("%s: %w", f.Dir, ErrNoFolder)
	}
	if f.st.Encrypted() && f.Passphrase == "" {
		return sum, ErrNeedPassphrase
	}
	me, err := f.st.LaptopID()
	if err != nil {
		return sum, err
	}
	// Write first: a laptop's first file is then what it had before it met
	// the folder, not a copy of what it is about to merge.
	if err := f.write(me, sum, false); err != nil {
		return sum, err
	}
	peers, err := f.merge(ctx, me, sum)
	if err == nil && len(sum.Merged) > 0 {
		// Move this laptop's place past what the merges wrote (and write
		// what was edited meanwhile), so the next round starts there.
		err = f.write(me, sum, true)
	}
	if err == nil {
		// Last, once every file that arrived has been merged: a file is
		// rewritten only when its other records are known to be here.
		err = f.purge(ctx, me, sum)
	}
	sum.Laptops = laptops(peers, sum)
	return sum, err
}

// ownFiles lists the sequences in this laptop's subfolder and removes the
// temporary files a crash left there: no other program writes into it.
func ownFiles(own string) (seqs []uint64, err error) {
	entries, err := os.ReadDir(own)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix) {
			os.Remove(filepath.Join(own, name))
			continue
		}
		if n, ok := seqOf(name); ok {
			seqs = append(seqs, n)
		}
	}
	return seqs, nil
}

func seqOf(name string) (uint64, bool) {
	m := seqName.FindStringSubmatch(name)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseUint(m[1], 10, 64)
	return n, err == nil && n > 0
}

// write writes this laptop's changes since its last file as the next file.
// again: a second call in the same round, which only moves the place on
// unless something was edited meanwhile.
func (f *Folder) write(me string, sum *Summary, again bool) error {
	own := filepath.Join(f.Dir, me)
	seqs, err := ownFiles(own)
	if err != nil {
		return err
	}
	w, err := loadWritten(f.st)
	if err != nil {
		return err
	}
	last := uint64(0)
	if w.Laptop == me {
		last = w.Seq
	}
	for _, n := range seqs {
		last = max(last, n)
	}
	// Everything when this laptop has no place yet (or a new ID), or when
	// its files are gone from the folder (a new or emptied folder).
	first := w.Laptop != me || (w.Seq > 0 && len(seqs) == 0)
	mark := w.Mark
	if first {
		mark = ""
	}
	recs, tombs, end, err := f.st.Changes(mark, true)
	if err != nil {
		return err
	}
	if !first {
		recs = ownChanges(recs, append([]string{me}, f.st.FormerLaptopIDs()...))
	}
	// Every erasure, here or merged, is a person whose name may still be in
	// the folder's files: noted before the file that says so is written,
	// so that a crash in between cannot forget it.
	if err := notePending(f.st, tombIDs(tombs)); err != nil {
		return err
	}
	now := f.now()
	keepAlive := f.KeepAlive
	if keepAlive == 0 {
		keepAlive = DefaultKeepAlive
	}
	alive := !again && !first && keepAlive > 0 && now.Sub(w.At) >= keepAlive
	if len(recs) == 0 && len(tombs) == 0 && !alive {
		if end == w.Mark && !first {
			return nil // nothing new, and nothing written to the registry either
		}
		w.Laptop, w.Mark = me, end
		if first {
			w.Seq = last
		}
		return saveWritten(f.st, w)
	}
	if err := os.MkdirAll(own, 0o777); err != nil {
		return err
	}
	seq := last + 1
	b := &bundle.Bundle{Info: bundle.Info{Laptop: me, LaptopName: f.st.LaptopName(), Created: now.UTC(),
		Since: store.MarkTime(mark)}, Records: recs, Tombstones: tombs}
	path, err := writeFile(own, seq, b, f.Passphrase)
	if err != nil {
		return err
	}
	sum.Written = &Written{File: path, Seq: seq, Records: len(recs), Tombstones: len(tombs), Encrypted: f.Passphrase != ""}
	return saveWritten(f.st, written{Laptop: me, Seq: seq, Mark: end, At: now})
}

// writeFile writes b as own/<seq>.registar through a temporary file, so that
// the engine never carries half a file under the final name, and never over
// a file already there.
func writeFile(own string, seq uint64, b *bundle.Bundle, pass string) (string, error) {
	tmp, err := os.CreateTemp(own, tempPrefix+"*"+tempSuffix)
	if err != nil {
		return "", err
	}
	err = bundle.Write(tmp, b, pass)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	path := filepath.Join(own, FileName(seq))
	if err == nil {
		if _, serr := os.Lstat(path); serr == nil {
			err = fmt.Errorf("%s: %w", path, os.ErrExist) // never rewritten
		}
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return path, nil
}

// ownChanges keeps, of the records written since the last file, those this
// laptop had a hand in (one of ids in the version vector), with the records
// they link to; records only merged here are their own laptop's to carry.
func ownChanges(recs []data.Record, ids []string) []data.Record {
	byID := make(map[string]data.Record, len(recs))
	for _, r := range recs {
		byID[r.Base().ID] = r
	}
	kept := map[string]bool{}
	var out []data.Record
	for _, r := range recs {
		for _, id := range ids {
			if r.Base().VV[id] > 0 {
				kept[r.Base().ID] = true
				out = append(out, r)
				break
			}
		}
	}
	for i := 0; i < len(out); i++ { // out grows: the closure of links
		for _, l := range out[i].Links() {
			if r, ok := byID[l.ID]; ok && !kept[l.ID] {
				kept[l.ID] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// merge merges the other laptops' files not merged yet and returns what is
// known of those laptops.
func (f *Folder) merge(ctx context.Context, me string, sum *Summary) (map[string]*peerState, error) {
	peers, err := loadMerged(f.st)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(f.Dir)
	if err != nil {
		return peers, fmt.Errorf("%s: %w", f.Dir, ErrNoFolder)
	}
	for _, e := range entries {
		id := e.Name()
		if !e.IsDir() || id == me || !laptopDirName.MatchString(id) {
			continue
		}
		p := peers[id]
		if p == nil {
			p = &peerState{}
		}
		var todo []uint64
		files, err := os.ReadDir(filepath.Join(f.Dir, id))
		if err != nil {
			continue // gone meanwhile, or not readable: the next round sees
		}
		for _, fe := range files {
			if n, ok := seqOf(fe.Name()); ok && !fe.IsDir() && !p.Merged.has(n) {
				todo = append(todo, n)
			}
		}
		sort.Slice(todo, func(i, j int) bool { return todo[i] < todo[j] })
		for _, n := range todo {
			if err := ctx.Err(); err != nil {
				return peers, err
			}
			path := filepath.Join(f.Dir, id, FileName(n))
			b, skip := f.read(path, id)
			if skip != nil {
				if skip.Err != nil {
					sum.Skipped = append(sum.Skipped, *skip)
				}
				continue
			}
			rep, err := bundle.Merge(ctx, f.st, b, bundle.MergeOptions{})
			if err != nil {
				if stopsRound(err) {
					return peers, err
				}
				sum.Skipped = append(sum.Skipped, Skipped{File: path, Err: err, Retry: true})
				continue
			}
			// Its versions of records erased here were ignored, but the
			// file still holds them: it is to be purged.
			if err := notePending(f.st, itemIDs(rep.Ignored)); err != nil {
				return peers, err
			}
			now := f.now()
			p.Name, p.Merged, p.MergedAt = b.LaptopName, p.Merged.add(n), now
			heard := b.Created
			if heard.After(now) { // its clock is ahead: it was heard now, not later
				heard = now
			}
			if heard.After(p.Heard) {
				p.Heard = heard
			}
			peers[id] = p
			// Remember each file as it is merged: a round cut short does
			// not merge it again (it would change nothing, but cost time).
			if err := saveMerged(f.st, peers); err != nil {
				return peers, err
			}
			sum.Merged = append(sum.Merged, Merged{File: path, Laptop: id, LaptopName: b.LaptopName, Seq: n, Report: rep})
			sum.Conflicts += len(rep.Conflicts)
		}
	}
	return peers, nil
}

// stopsRound tells trouble of the registry or the round itself, which every
// further merge would meet too, from trouble with one file.
func stopsRound(err error) bool {
	for _, e := range []error{context.Canceled, context.DeadlineExceeded, store.ErrDiskFull, store.ErrClosed,
		store.ErrReadOnly, store.ErrLocked} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// read reads and checks one file of laptop id. A file gone meanwhile gives
// a Skipped without error (nothing to say); one that does not read gives
// the reason, and is not read again while its size and time stay the same.
func (f *Folder) read(path, id string) (*bundle.Bundle, *Skipped) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &Skipped{}
	}
	if bad, ok := f.bad[path]; ok && bad.size == fi.Size() && bad.mod.Equal(fi.ModTime()) {
		return nil, &Skipped{File: path, Err: bad.err, Retry: true}
	}
	fail := func(err error) (*bundle.Bundle, *Skipped) {
		f.bad[path] = badFile{size: fi.Size(), mod: fi.ModTime(), err: err}
		return nil, &Skipped{File: path, Err: err, Retry: true}
	}
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &Skipped{}
	}
	if err != nil {
		return fail(err)
	}
	defer file.Close()
	b, err := bundle.Read(file, f.Passphrase)
	if errors.Is(err, bundle.ErrNotABundle) {
		// Named as ours but not even the first line is right: the start of
		// a file still arriving, most likely.
		err = bundle.ErrDamaged
	}
	if err != nil {
		return fail(err)
	}
	if b.Laptop != id {
		return fail(ErrMisplaced)
	}
	delete(f.bad, path)
	return b, nil
}

// laptops lists the other laptops known, by name, with this round's counts.
func laptops(peers map[string]*peerState, sum *Summary) []Laptop {
	now := sum.MergedFrom()
	out := make([]Laptop, 0, len(peers))
	for id, p := range peers {
		out = append(out, Laptop{ID: id, Name: p.Name, Heard: p.Heard, MergedNow: now[id]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Laptops lists the other laptops this registry has merged files of, with
// when each was last heard from, without touching the folder: for a status
// line ("synced 3 min ago with 2 laptops") and the week-of-silence warning.
func Laptops(st *store.Store) ([]Laptop, error) {
	peers, err := loadMerged(st)
	if err != nil {
		return nil, err
	}
	return laptops(peers, &Summary{}), nil
}
