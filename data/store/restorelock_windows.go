//go:build windows

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes an exclusive lock on f without waiting; errLockHeld when
// another handle holds it. Windows drops it when the holder dies.
func lockFile(f *os.File) error {
	var ol windows.Overlapped
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errLockHeld
	}
	return err
}

// lockRegistryDir: Badger has no read-only mode on Windows, so every
// program with the registry open holds its exclusive lock; opening Badger
// briefly tells whether one does. A folder cannot be renamed while this
// program holds a handle on it, so nothing is held through the swap.
func lockRegistryDir(dir string, opt Options) (release func(), err error) {
	if err := probeRegistryLock(dir, opt); err != nil {
		return nil, err
	}
	return func() {}, nil
}
