package store

import (
	"crypto/hmac"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// ChangePassphrase sets, changes or removes the passphrase of the registry
// in dir, which must not be open. oldPass is the current passphrase ("" for
// a registry without one); newPass is the new one ("" removes encryption).
//
// Badger cannot change its key in place, so everything is streamed into a
// new folder beside dir (dir.rekey) encrypted with the new key, checked
// (same number of keys), and only then swapped in: the old folder is first
// renamed to dir.before-rekey, the new one takes its place, and the old one
// is deleted last, since it holds the data under the old key (or none).
// Any failure before the swap leaves dir exactly as it was.
func ChangePassphrase(dir, oldPass, newPass string, opt Options) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if !IsStore(dir) {
		return &PathError{ErrNotAStore, dir}
	}
	m, err := readMarker(dir)
	if err != nil {
		return err
	}
	if opt.kdfMemoryKiB == 0 {
		opt.kdfMemoryKiB = kdfMemoryKiB
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var oldKey []byte
	if m.Encrypted {
		if oldPass == "" {
			return &PathError{ErrNeedPassphrase, dir}
		}
		oldKey = deriveKey(oldPass, m)
		if !hmac.Equal(checkValue(oldKey), m.Check) {
			return &PathError{ErrWrongPassphrase, dir}
		}
	}
	src, err := badger.Open(badgerOptions(dir, opt, oldKey))
	if err != nil {
		return translate(err, dir)
	}
	srcOpen := true
	defer func() {
		if srcOpen {
			src.Close()
		}
	}()

	nopt := opt
	nopt.Passphrase = newPass
	nm := newMarker(nopt)
	nm.Created = m.Created
	var newKey []byte
	if nm.Encrypted {
		newKey = deriveKey(newPass, nm)
	}
	tmp := dir + ".rekey"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return translate(err, tmp)
	}
	fail := func(err error) error {
		os.RemoveAll(tmp)
		return err
	}
	dst, err := badger.Open(badgerOptions(tmp, opt, newKey))
	if err != nil {
		return fail(translate(err, tmp))
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := src.Backup(pw, 0)
		pw.CloseWithError(err)
	}()
	if err := dst.Load(pr, 256); err != nil {
		pr.CloseWithError(err)
		dst.Close()
		return fail(translate(err, tmp))
	}
	want, err := countKeys(src)
	if err == nil {
		var got int
		got, err = countKeys(dst)
		if err == nil && got != want {
			err = fmt.Errorf("re-encryption copied %d of %d entries", got, want)
		}
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(translate(err, tmp))
	}
	if err := writeMarker(tmp, nm); err != nil {
		return fail(err)
	}
	srcOpen = false
	if err := src.Close(); err != nil {
		return fail(translate(err, dir))
	}
	old := dir + ".before-rekey"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil {
		return fail(translate(err, dir))
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%w; the registry is in %s", translate(err, dir), old)
		}
		return fail(translate(err, dir))
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("the passphrase was changed, but the old copy could not be deleted: %w", &PathError{err, old})
	}
	return nil
}

// countKeys counts the live keys of a database.
func countKeys(db *badger.DB) (int, error) {
	n := 0
	err := db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// CheckPassphrase reports whether pass opens the registry in dir, without
// opening it (the registry may be open): nil, ErrWrongPassphrase, or
// ErrNeedPassphrase for an empty one. A registry without encryption
// accepts only the empty passphrase.
func CheckPassphrase(dir, pass string) error {
	m, err := readMarker(dir)
	if err != nil {
		return &PathError{ErrNotAStore, dir}
	}
	switch {
	case !m.Encrypted && pass == "":
		return nil
	case !m.Encrypted:
		return &PathError{ErrWrongPassphrase, dir}
	case pass == "":
		return &PathError{ErrNeedPassphrase, dir}
	case !hmac.Equal(checkValue(deriveKey(pass, m)), m.Check):
		return &PathError{ErrWrongPassphrase, dir}
	}
	return nil
}
