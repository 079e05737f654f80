//go:build linux || darwin || freebsd

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock on f without waiting; errLockHeld when
// another program (or another handle in this one) holds it. The kernel
// drops it when the holder dies, which is what tells a killed restore from
// a running one.
func lockFile(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return errLockHeld
	}
	return err
}

// lockRegistryDir takes the lock Badger takes on a registry's folder:
// exclusive, so it fails while any program has the registry open, reading
// commands included (they hold it shared and leave no LOCK file). The lock
// is held until release, through the swap of a restore.
func lockRegistryDir(dir string, _ Options) (release func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, translate(err, dir)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLockHeld) {
			return nil, &PathError{ErrLocked, dir}
		}
		return nil, translate(err, dir)
	}
	return func() { f.Close() }, nil
}
