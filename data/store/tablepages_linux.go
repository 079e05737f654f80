package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// releaseTablePages lets go of this process's mapped pages of the
// registry's table files (*.sst). Badger reads its tables through memory
// maps, and every page a pass over all records touches stays resident: a
// rebuild or a backup of a million persons would count the whole 900 MB
// registry in its resident set. The pages stay in the system's file cache;
// a later read maps them again. Tables are immutable files mapped shared,
// so dropping the mappings loses nothing.
func releaseTablePages(dir string) {
	if dir == "" {
		return
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	prefix := []byte(filepath.Clean(dir) + string(filepath.Separator))
	for line := range bytes.Lines(maps) {
		// "lo-hi perms offset dev inode   path"
		f := bytes.Fields(line)
		if len(f) < 6 {
			continue
		}
		path := bytes.TrimSpace(line[bytes.Index(line, f[5]):])
		if !bytes.HasPrefix(path, prefix) || !bytes.HasSuffix(path, []byte(".sst")) {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(string(lo), 16, 64)
		b, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || b <= a {
			continue
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(a), uintptr(b-a), syscall.MADV_DONTNEED)
	}
}

// dropMappedPages lets go of the resident pages of a read-only file
// mapping (the index snapshot); the next read brings back what it touches.
// Never for heap memory: there MADV_DONTNEED would zero it.
func dropMappedPages(b []byte) {
	if len(b) > 0 {
		syscall.Madvise(b, syscall.MADV_DONTNEED)
	}
}
