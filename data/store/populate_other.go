//go:build !linux

package store

// populate does nothing where MADV_POPULATE_READ does not exist.
func populate([]byte) {}
