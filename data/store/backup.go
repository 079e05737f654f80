package store

import (
	"bufio"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// A backup file is:
//
//	"REGISTAR BACKUP 1\n"
//	one line of JSON: the store's marker (format, encryption salt and check)
//	frames: 4-byte big-endian length, then that many bytes (sealed with
//	        AES-256-GCM when the store is encrypted)
//	an end frame of length 0xFFFFFFFF followed by the SHA-256 of the plain
//	        content, so a truncated or altered file is refused
//
// The plain content is gzip of Badger's own backup stream.
const backupMagic = "REGISTAR BACKUP 1\n"

// Backup writes the whole registry (records, audit log, undo data,
// settings) to w as one file. An encrypted store gives an encrypted backup,
// restored with the same passphrase.
func (s *Store) Backup(w io.Writer) error {
	var m marker
	if !s.opt.InMemory {
		var err error
		if m, err = readMarker(s.dir); err != nil {
			return err
		}
	} else {
		m = marker{Format: FormatVersion, Created: s.opt.Now().UTC()}
	}
	hdr, err := json.Marshal(m)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(backupMagic); err != nil {
		return translate(err, "")
	}
	if _, err := bw.Write(append(hdr, '\n')); err != nil {
		return translate(err, "")
	}
	fw := &frameWriter{w: bw, sum: sha256.New()}
	if key := s.db.Opts().EncryptionKey; len(key) > 0 {
		if fw.aead, err = newAEAD(key); err != nil {
			return err
		}
	}
	zw := gzip.NewWriter(fw)
	if _, err := s.db.Backup(zw, 0); err != nil {
		return translate(err, s.dir)
	}
	if err := zw.Close(); err != nil {
		return translate(err, "")
	}
	if err := fw.Close(); err != nil {
		return translate(err, "")
	}
	return translate(bw.Flush(), "")
}

// BackupFile writes a backup to path. A regular file is written through a
// temporary file and renamed, so that a failed backup (a full disk) never
// leaves a file that looks complete. Anything else (a device, a pipe) is
// written in place: renaming over it would replace the device itself.
func (s *Store) BackupFile(path string) error {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return translate(err, path)
		}
		err = s.Backup(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return translate(err, path)
	}
	return translate(WriteFileAtomically(path, 0o666, s.Backup), path)
}

// RestoreFile replaces the registry in dir with a backup file. The store
// must not be open. See Restore.
func RestoreFile(dir, path string, opt Options) (previous string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &PathError{err, path}
	}
	defer f.Close()
	return Restore(dir, f, opt)
}

// Restore replaces the registry in dir with the backup read from r. It
// restores into a new folder beside dir and swaps only once the whole backup
// has been read and checked, so a damaged file leaves the registry as it
// was. The registry that was there is kept beside it, renamed; previous is
// its path ("" if dir held none). An encrypted backup needs opt.Passphrase.
func Restore(dir string, r io.Reader, opt Options) (previous string, err error) {
	if dir, err = filepath.Abs(dir); err != nil {
		return "", err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != backupMagic {
		return "", ErrNotABackup
	}
	line, err := br.ReadBytes('\n')
	if err != nil {
		return "", ErrCorruptBackup
	}
	var m marker
	if err := json.Unmarshal(line, &m); err != nil {
		return "", ErrCorruptBackup
	}
	if m.Format > FormatVersion {
		return "", ErrNewerStore
	}
	var key []byte
	fr := &frameReader{r: br, sum: sha256.New()}
	if m.Encrypted {
		if opt.Passphrase == "" {
			return "", ErrNeedPassphrase
		}
		key = deriveKey(opt.Passphrase, m)
		if !hmac.Equal(checkValue(key), m.Check) {
			return "", ErrWrongPassphrase
		}
		if fr.aead, err = newAEAD(key); err != nil {
			return "", err
		}
	}
	if IsStore(dir) {
		if _, lerr := os.Stat(filepath.Join(dir, "LOCK")); lerr == nil {
			// Badger leaves LOCK while open; try to take it to be sure.
			probe, perr := badger.Open(badgerOptions(dir, opt, keyFor(dir, opt)).WithLogger(nil))
			if perr != nil {
				if terr := translate(perr, dir); errors.Is(terr, ErrLocked) {
					return "", terr
				}
			} else {
				probe.Close()
			}
		}
	}

	tmp := dir + ".restoring"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return "", translate(err, tmp)
	}
	cleanup := func(err error) (string, error) {
		os.RemoveAll(tmp)
		return "", err
	}
	db, err := badger.Open(badgerOptions(tmp, opt, key))
	if err != nil {
		return cleanup(translate(err, tmp))
	}
	zr, err := gzip.NewReader(fr)
	if err != nil {
		db.Close()
		return cleanup(ErrCorruptBackup)
	}
	if err := db.Load(zr, 256); err != nil {
		db.Close()
		if errors.Is(err, ErrCorruptBackup) {
			return cleanup(ErrCorruptBackup)
		}
		return cleanup(fmt.Errorf("%w: %v", ErrCorruptBackup, translate(err, tmp)))
	}
	// Load stops at the end of the gzip stream; the end frame must follow.
	if _, err := io.Copy(io.Discard, fr); err != nil || !fr.done {
		db.Close()
		return cleanup(ErrCorruptBackup)
	}
	if err := db.Close(); err != nil {
		return cleanup(translate(err, tmp))
	}
	if err := writeMarker(tmp, m); err != nil {
		return cleanup(err)
	}
	if _, err := os.Stat(dir); err == nil {
		previous = fmt.Sprintf("%s.before-restore-%s", dir, time.Now().Format("20060102-150405"))
		if err := os.Rename(dir, previous); err != nil {
			return cleanup(translate(err, dir))
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if previous != "" {
			os.Rename(previous, dir)
		}
		return cleanup(translate(err, dir))
	}
	return previous, nil
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
