//go:build !linux && !darwin && !freebsd && !windows

package store

import "os"

func lockFile(*os.File) error { return nil }

func lockRegistryDir(dir string, opt Options) (release func(), err error) {
	if err := probeRegistryLock(dir, opt); err != nil {
		return nil, err
	}
	return func() {}, nil
}
