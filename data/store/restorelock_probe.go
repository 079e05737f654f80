//go:build !linux && !darwin && !freebsd

package store

import (
	"errors"

	"github.com/dgraph-io/badger/v4"
)

// probeRegistryLock opens Badger on dir for a moment to learn whether
// another program holds it (where the lock cannot be taken directly).
func probeRegistryLock(dir string, opt Options) error {
	probe, err := badger.Open(badgerOptions(dir, opt, keyFor(dir, opt)).WithLogger(nil))
	if err != nil {
		if terr := translate(err, dir); errors.Is(terr, ErrLocked) {
			return terr
		}
		return nil
	}
	return probe.Close()
}

// keyFor derives the key of an existing store, or nil; used only to probe
// whether the store is open elsewhere.
func keyFor(dir string, opt Options) []byte {
	m, err := readMarker(dir)
	if err != nil || !m.Encrypted || opt.Passphrase == "" {
		return nil
	}
	return deriveKey(opt.Passphrase, m)
}
