package store

import "sync/atomic"

// shedEvery is how many records a session reads (Each, Records) between
// two calls that let the system take back the pages the reads mapped:
// Badger's table files and the index snapshot. An export of a million
// persons otherwise counted most of the registry's files in its resident
// set (issue 18: 1.1 GB for a .csv): a record read at random maps some
// 64 KB around it (the kernel's fault-around), so 20,000 records between
// two calls still left 400 MB of table pages. The pages stay in the file
// cache, and dropping them costs a read of /proc/self/maps and a call per
// table file (about a millisecond).
const shedEvery = 2048

// readCount counts records read since the pages were last shed.
type readCount struct{ n atomic.Int64 }

// read adds n records read and sheds the pages when enough were.
func (s *Store) readRecords(n int) {
	if s.opt.InMemory || n == 0 {
		return
	}
	if s.reads.n.Add(int64(n)) < shedEvery {
		return
	}
	s.reads.n.Store(0)
	s.ShedPages()
}

// ShedPages lets the system take back the resident pages of the
// registry's mapped files (Badger's tables, the index snapshot) that this
// process has read; the next read maps back what it touches. Long reading
// jobs call it (Each and Records do, every shedEvery records); it changes
// nothing but the process's resident set.
func (s *Store) ShedPages() {
	if s.opt.InMemory {
		return
	}
	releaseTablePages(s.dir)
	s.index.ShedPages()
}
