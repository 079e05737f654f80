package sync

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"registar/data"
	"registar/data/bundle"
	"registar/data/store"
)

// folderFile is one file in a laptop's subfolder that is ours or a sync
// engine's copy of ours.
type folderFile struct {
	path   string
	laptop string // the subfolder's laptop ID
	// seq is the file's sequence, or for a copy the sequence of the file
	// it is a copy of (its name starts with it).
	seq uint64
	// copy: a partial download or conflict copy the engine left (named
	// after one of our files, but not exactly <seq>.registar).
	copy bool
}

// copyName matches the names sync engines give their partial downloads and
// conflict copies of 00000003.registar: .syncthing.00000003.registar.tmp,
// ~syncthing~00000003.registar.tmp, 00000003.sync-conflict-….registar,
// "00000003 (conflicted copy).registar", ~$00000003.registar,
// 00000003.registar.partial, 00000003(1).registar. Our own temporary files
// (.registar-*.tmp) do not match: another laptop may be writing one.
var copyName = regexp.MustCompile(`^(?:\.syncthing\.|~syncthing~|~\$)?([0-9]{8,20})(?:[^0-9].*)?\.registar`)

func copyOf(name string) (uint64, bool) {
	m := copyName.FindStringSubmatch(name)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseUint(m[1], 10, 64)
	return n, err == nil && n > 0
}

// scan lists the files of every laptop's subfolder, ours and the engines'
// copies of ours, by laptop and sequence.
func (f *Folder) scan() ([]folderFile, error) {
	entries, err := os.ReadDir(f.Dir)
	if err != nil {
		return nil, err
	}
	var out []folderFile
	for _, e := range entries {
		id := e.Name()
		if !e.IsDir() || !laptopDirName.MatchString(id) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(f.Dir, id))
		if err != nil {
			continue // gone meanwhile, or not readable
		}
		for _, fe := range files {
			if fe.IsDir() {
				continue
			}
			ff := folderFile{path: filepath.Join(f.Dir, id, fe.Name()), laptop: id}
			if n, ok := seqOf(fe.Name()); ok {
				ff.seq = n
			} else if n, ok := copyOf(fe.Name()); ok {
				ff.seq, ff.copy = n, true
			} else {
				continue
			}
			out = append(out, ff)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].laptop != out[j].laptop {
			return out[i].laptop < out[j].laptop
		}
		if out[i].seq != out[j].seq {
			return out[i].seq < out[j].seq
		}
		return out[i].path < out[j].path
	})
	return out, nil
}

// readWhole reads a file of the folder whole and checked, or not at all.
func (f *Folder) readWhole(path string) (*bundle.Bundle, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return bundle.Read(file, f.Passphrase)
}

// merged reports whether this registry holds what the file ff (or the file
// it is a copy of) carried: it wrote it, or merged it.
func merged(ff folderFile, me string, peers map[string]*peerState) bool {
	if ff.laptop == me {
		return true
	}
	p := peers[ff.laptop]
	return p != nil && p.Merged.has(ff.seq)
}

// settledCopy reports whether an engine's copy holds nothing this registry
// has not merged, so that it may go. A copy that reads whole is judged by
// what it holds, whatever its name; one that does not (a partial download,
// a damaged copy) is a piece of the file it is named after, and is settled
// when that file was merged here.
func (f *Folder) settledCopy(ff folderFile, me string, peers map[string]*peerState) (bool, error) {
	b, err := f.readWhole(ff.path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		return merged(ff, me, peers), nil
	}
	return f.holdsNothingNew(b)
}

// holdsNothingNew reports whether every record of b is here in the same or
// a newer version (or set aside as a conflict, or erased), and every
// erasure of b was made here too.
func (f *Folder) holdsNothingNew(b *bundle.Bundle) (bool, error) {
	local, err := f.st.Lookup(bundleIDs(b))
	if err != nil {
		return false, err
	}
	for _, t := range b.Tombstones {
		if local[t.ID].Tombstone == nil {
			return false, nil
		}
	}
	for _, r := range b.Records {
		if !known(local[r.Base().ID], r) {
			return false, nil
		}
	}
	return true, nil
}

// known reports whether the registry's l holds r's version or a newer one.
func known(l *store.Local, r data.Record) bool {
	if l == nil {
		return false
	}
	if l.Tombstone != nil {
		return true
	}
	vv := r.Base().VV
	if l.Meta != nil && len(vv) > 0 {
		if o := store.CompareVV(vv, l.Meta.VV); o == store.Same || o == store.Older {
			return true
		}
	}
	if l.Conflict != nil && len(vv) > 0 {
		for _, s := range l.Conflict.Theirs {
			if o := store.CompareVV(vv, s.Record.Base().VV); o == store.Same || o == store.Older {
				return true
			}
		}
	}
	return false
}

func bundleIDs(b *bundle.Bundle) []string {
	ids := make([]string, 0, len(b.Records)+len(b.Tombstones))
	for _, r := range b.Records {
		ids = append(ids, r.Base().ID)
	}
	for _, t := range b.Tombstones {
		ids = append(ids, t.ID)
	}
	return ids
}

// nextSeq is the sequence of this laptop's next file.
func (f *Folder) nextSeq(me string) (uint64, written, error) {
	seqs, err := ownFiles(filepath.Join(f.Dir, me))
	if err != nil {
		return 0, written{}, err
	}
	w, err := loadWritten(f.st)
	if err != nil {
		return 0, w, err
	}
	last := uint64(0)
	if w.Laptop == me {
		last = w.Seq
	}
	for _, n := range seqs {
		last = max(last, n)
	}
	return last + 1, w, nil
}

// writeOwn writes b as this laptop's next file, outside the rhythm of its
// changes (a compaction, the rest of a purged file): the place in the
// registry's changes stays where it was unless mark is given.
func (f *Folder) writeOwn(me string, b *bundle.Bundle, mark string) (*Written, error) {
	if err := os.MkdirAll(filepath.Join(f.Dir, me), 0o777); err != nil {
		return nil, err
	}
	seq, w, err := f.nextSeq(me)
	if err != nil {
		return nil, err
	}
	now := f.now()
	b.Laptop, b.LaptopName, b.Created = me, f.st.LaptopName(), now.UTC()
	path, err := writeFile(filepath.Join(f.Dir, me), seq, b, f.Passphrase)
	if err != nil {
		return nil, err
	}
	out := &Written{File: path, Seq: seq, Records: len(b.Records), Tombstones: len(b.Tombstones), Encrypted: f.Passphrase != ""}
	if w.Laptop != me && mark == "" {
		return out, nil // no place yet: the next round still writes everything, after this file
	}
	w.Laptop, w.Seq = me, seq
	if mark != "" {
		w.Mark, w.At = mark, now
	}
	if err := saveWritten(f.st, w); err != nil {
		return nil, err
	}
	return out, nil
}
