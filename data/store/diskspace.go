package store

import (
	"fmt"
	"path/filepath"

	"registar/data/i18n"
)

// DiskFullError says which disk is too full and, when it is known, how much
// room it has and how much the refused work needed. It wraps ErrDiskFull.
type DiskFullError struct {
	// Folder names the disk: the registry's folder, or the folder a backup
	// was being written into.
	Folder string
	// Free and Need are in bytes; Need is 0 when the work failed part-way
	// (a backup) rather than being refused before it started.
	Free, Need uint64
	// Lang is the language of Error (the store's).
	Lang i18n.Lang
}

func (e *DiskFullError) Error() string { return e.Message(e.Lang) }
func (e *DiskFullError) Unwrap() error { return ErrDiskFull }

// Message says it in l, for a clerk: which disk, what to do.
func (e *DiskFullError) Message(l i18n.Lang) string {
	if e.Need == 0 {
		return i18n.T(l, "reliability.disk_full.write", "folder", e.Folder)
	}
	return i18n.T(l, "reliability.disk_full.step", "folder", e.Folder,
		"free", megabytes(e.Free), "need", megabytes(e.Need))
}

// megabytes rounds up, so "0 MB free" is never said of a disk with some
// room and a need is never understated.
func megabytes(b uint64) string { return fmt.Sprint((b + 1<<20 - 1) >> 20) }

// diskFree is freeSpace; tests replace it to play a full disk.
var diskFree = freeSpace

// stepOverhead is what a record costs in a step besides its value and its
// previous version: journal, history and pending keys and their framing.
const stepOverhead = 256

// stepNeed is the disk a step of these records may take: each record's
// value and previous version, twice (the record and its journal entry, then
// Badger's own log and the tables it is compacted into), plus the room
// Badger takes as a whole when it starts a new memtable log and value-log
// file. Those are memory-mapped and sparse, so a full disk is met only when
// a page is first written, and then as SIGBUS, not as an error: hence
// checking before the step instead of catching an error during it.
func (s *Store) stepNeed(preps []prepared) uint64 {
	var n uint64
	for _, p := range preps {
		n += uint64(len(p.value)+len(p.old)+len(p.id)+len(p.raw)) + stepOverhead
	}
	o := s.db.Opts()
	return 2*n + uint64(o.MemTableSize) + uint64(o.ValueLogFileSize)
}

// checkSpace refuses a step the registry's disk has no room for, before
// anything is written (a *DiskFullError in the store's language).
func (s *Store) checkSpace(preps []prepared) error {
	if s.opt.InMemory || s.db.readOnly || s.dir == "" {
		return nil
	}
	need := s.stepNeed(preps)
	free, err := diskFree(s.dir)
	if err != nil {
		// Unknown (an unusual file system): let Badger try; a real ENOSPC
		// still becomes ErrDiskFull.
		return nil
	}
	if free < need {
		return &DiskFullError{Folder: s.dir, Free: free, Need: need, Lang: s.opt.Lang}
	}
	return nil
}

// diskFullAt is ErrDiskFull for a write into path's folder, with the room
// left there when it can be read.
func diskFullAt(path string, lang i18n.Lang) error {
	folder := filepath.Dir(path)
	e := &DiskFullError{Folder: folder, Lang: lang}
	if free, err := diskFree(folder); err == nil {
		e.Free = free
	}
	return e
}
