//go:build !linux

package store

// releaseTablePages does nothing here: other systems trim a process's
// mapped file pages from its working set themselves when memory is short.
func releaseTablePages(string) {}

// dropMappedPages does nothing here (see releaseTablePages).
func dropMappedPages([]byte) {}
