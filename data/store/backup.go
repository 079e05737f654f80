package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
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
const (
	backupMagic       = backupMagicPrefix + "1\n"
	backupMagicPrefix = "REGISTAR BACKUP "
)

// newerBackup refuses a backup of a later format, saying which: the clerk
// learns that updating Registar is the way to restore it.
func newerBackup(format int) error {
	return fmt.Errorf("%w (the backup is in format %d; this program reads format %d)", ErrNewerStore, format, FormatVersion)
}

// Backup writes the whole registry (records, audit log, undo data,
// settings) to w as one file. An encrypted store gives an encrypted backup,
// restored with the same passphrase. A full disk is said of the disk w
// writes to (a *DiskFullError naming its folder when w is a file), not of
// the registry's.
func (s *Store) Backup(w io.Writer) error {
	target := ""
	if f, ok := w.(*os.File); ok {
		target = f.Name()
	}
	return s.backupTo(w, target)
}

// backupTo is Backup with the name of the file w writes, for messages.
func (s *Store) backupTo(w io.Writer, target string) error {
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
	// Badger's Backup reports a failed write to w and a failed read of
	// the registry alike: remembering w's own error tells them apart.
	tw := &targetWriter{w: w}
	fail := func(err error) error {
		if tw.err != nil {
			return s.targetError(tw.err, target)
		}
		return translate(err, s.dir)
	}
	bw := bufio.NewWriter(tw)
	if _, err := bw.WriteString(backupMagic); err != nil {
		return fail(err)
	}
	if _, err := bw.Write(append(hdr, '\n')); err != nil {
		return fail(err)
	}
	fw := &frameWriter{w: bw, sum: sha256.New()}
	if key := s.db.Opts().EncryptionKey; len(key) > 0 {
		if fw.aead, err = newAEAD(key); err != nil {
			return err
		}
	}
	zw := gzip.NewWriter(fw)
	if err := s.writeBackupStream(zw); err != nil {
		return fail(err)
	}
	if err := zw.Close(); err != nil {
		return fail(err)
	}
	if err := fw.Close(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	return nil
}

// backupFrame bounds the records of one frame of the backup stream.
const backupFrame = 4 << 20

// writeBackupStream writes every key's newest version in the stream format
// Badger's DB.Backup writes and DB.Load reads: frames of a little-endian
// uint64 length and a pb.KVList. DB.Backup reads with 8 goroutines into up
// to 32 buffers of 16 MB ahead of the writer, and gzip is the slow end:
// 3.5 GB at a million persons. One iterator and 4 MB frames hold a few MB.
// Older versions and deletions are left out (DB.Backup kept those Badger
// had not compacted yet): a restore starts from an empty folder, so the
// registry it gives is the same, and an erased value is in no frame.
func (s *Store) writeBackupStream(w io.Writer) error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		list := &pb.KVList{}
		var frame []byte
		size, read := 0, 0
		flush := func() error {
			if len(list.Kv) == 0 {
				return nil
			}
			var err error
			frame = binary.LittleEndian.AppendUint64(frame[:0], uint64(proto.Size(list)))
			if frame, err = (proto.MarshalOptions{}).MarshalAppend(frame, list); err != nil {
				return err
			}
			clear(list.Kv)
			list.Kv, size = list.Kv[:0], 0
			_, err = w.Write(frame)
			return err
		}
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			var meta byte
			if item.DiscardEarlierVersions() {
				meta = bitDiscardEarlierVersions
			}
			kv := &pb.KV{Key: item.KeyCopy(nil), Value: v, UserMeta: []byte{item.UserMeta()},
				Version: item.Version(), ExpiresAt: item.ExpiresAt(), Meta: []byte{meta}}
			list.Kv = append(list.Kv, kv)
			size += len(kv.Key) + len(v) + 32
			if size >= backupFrame {
				if err := flush(); err != nil {
					return err
				}
			}
			if read += len(v); read >= 64<<20 {
				releaseTablePages(s.dir) // see there: the tables read so far
				read = 0
			}
		}
		return flush()
	})
}

// releaseTablePagesEvery runs releaseTablePages on dir on a ticker until
// the returned function is called.
func releaseTablePagesEvery(dir string, every time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				releaseTablePages(dir)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		releaseTablePages(dir)
	}
}

// bitDiscardEarlierVersions is Badger's meta bit of an entry written with
// Entry.WithDiscard (badger/v4 structs.go), which a backup keeps.
const bitDiscardEarlierVersions = 1 << 2

// restorePending bounds the batches DB.Load lets wait for the disk: Badger
// suggests 256, each up to 15% of a memtable, which a fast reader filled
// ahead of the writes.
const restorePending = 8

// restoreMemoryLimit and restoreGCPercent hold the Go heap down while a
// backup loads (see Restore).
const (
	restoreMemoryLimit = 640 << 20
	restoreGCPercent   = 50
)

// targetWriter keeps the first error of the writer a backup goes to.
type targetWriter struct {
	w   io.Writer
	err error
}

func (t *targetWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

// targetError is a failed write to a backup's target: a full disk names
// the target's folder.
func (s *Store) targetError(err error, target string) error {
	if errors.Is(translate(err, target), ErrDiskFull) {
		if target == "" {
			return ErrDiskFull
		}
		return diskFullAt(target, s.opt.Lang)
	}
	return err // the OS's own error names the file
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
		err = s.backupTo(f, path)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = s.targetError(cerr, path)
		}
		return err
	}
	var inner error
	// A backup holds every person's data: the owner's alone (0600), never
	// readable by other accounts on a shared office computer.
	err := WriteFileAtomically(path, 0o600, func(w io.Writer) error {
		inner = s.backupTo(w, path)
		return inner
	})
	if err == nil || err == inner {
		return err
	}
	// Creating, syncing, closing or renaming the file failed: the target's.
	return s.targetError(err, path)
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
//
// It refuses (ErrLocked) while any program has the registry open, a reading
// command included. The swap is two renames; a marker file beside the
// folder (see restoreMarker) is written before them, so a restore killed at
// any point is finished by the next Open instead of leaving no registry.
func Restore(dir string, r io.Reader, opt Options) (previous string, err error) {
	if dir, err = filepath.Abs(dir); err != nil {
		return "", err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := br.ReadSlice('\n')
	if err != nil || !bytes.HasPrefix(first, []byte(backupMagicPrefix)) {
		return "", ErrNotABackup
	}
	if string(first) != backupMagic {
		// "REGISTAR BACKUP 2": a later program's file, not a damaged one.
		n, err := strconv.Atoi(strings.TrimSpace(string(first[len(backupMagicPrefix):])))
		if err != nil || n <= 1 {
			return "", ErrNotABackup
		}
		return "", newerBackup(n)
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
		return "", newerBackup(m.Format)
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
	// A restore killed earlier is finished first: its marker must not be
	// overwritten, and the registry it left is the one being replaced.
	if err := finishRestore(dir); err != nil {
		return "", err
	}
	if IsStore(dir) {
		release, err := lockRegistryDir(dir, opt)
		if err != nil {
			return "", err
		}
		defer release()
	}

	tmp := dir + restoringSuffix
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
	// Badger writes its tables through memory maps, and compacts them
	// through maps again: the pages of a million persons' 900 MB would
	// all count in this process's resident set until it ends.
	stopRelease := releaseTablePagesEvery(tmp, 250*time.Millisecond)
	// A batch job: the runtime collects more often rather than let the
	// heap grow to twice what Badger holds while it compacts.
	if old := debug.SetMemoryLimit(-1); old > restoreMemoryLimit {
		debug.SetMemoryLimit(restoreMemoryLimit)
		defer debug.SetMemoryLimit(old)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(restoreGCPercent))
	err = db.Load(zr, restorePending)
	stopRelease()
	if err != nil {
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
	// The marker of the restored copy is written last: a folder holding
	// it is whole.
	if err := writeMarker(tmp, m); err != nil {
		return cleanup(err)
	}
	if err := restoreStop("loaded"); err != nil {
		return "", err
	}

	rm := restoreMarker{Restored: filepath.Base(tmp), Previous: filepath.Base(previousName(dir))}
	mf, err := createRestoreMarker(dir, rm)
	if err != nil {
		return cleanup(err)
	}
	defer mf.Close() // after a kill the system lets go of its lock
	if err := restoreStop("marked"); err != nil {
		return "", err
	}
	_, statErr := os.Stat(dir)
	if err := completeRestore(dir, rm); err != nil {
		if !errors.Is(err, errRestoreKilled) && IsStore(dir) {
			removeRestoreMarker(dir, mf) // put back as it was
		}
		// Otherwise nothing is lost either: the marker stays and the next
		// Open (or restore) takes the swap up from where it stopped.
		return "", err
	}
	removeRestoreMarker(dir, mf)
	if statErr == nil {
		previous = filepath.Join(filepath.Dir(dir), rm.Previous)
	}
	return previous, nil
}

// restoringSuffix names the folder a backup is restored into.
const restoringSuffix = ".restoring"

// restoreMarker is the file <registry>.restore.json, written beside the
// registry's folder before a restore's swap and removed after it. It names
// the restored copy and where the registry that was there goes, relative
// to the registry's parent folder (so moving the whole parent keeps it
// true). The restoring program holds a lock on it: a marker nobody holds
// is a restore that was killed, which Open finishes.
type restoreMarker struct {
	Restored string `json:"restored"`
	Previous string `json:"previous"`
}

func restoreMarkerPath(dir string) string { return dir + ".restore.json" }

// restoreKillPoint is a test's way to stop a restore at a named point as a
// kill would: the restore returns errRestoreKilled at once, leaving the
// folders and the marker as they are. Empty in the program.
var restoreKillPoint string

var errRestoreKilled = errors.New("restore stopped at a test's kill point")

func restoreStop(point string) error {
	if point == restoreKillPoint {
		return errRestoreKilled
	}
	return nil
}

// errLockHeld: another program holds a lock lockFile tried to take.
var errLockHeld = errors.New("held by another program")

// previousName is a free name for the registry that a restore sets aside.
func previousName(dir string) string {
	base := fmt.Sprintf("%s.before-restore-%s", dir, time.Now().Format("20060102-150405"))
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// createRestoreMarker writes the marker, synced, and returns it open and
// locked. It is created exclusively and checked to be still the file at
// its name once locked, so two programs never both believe they own it.
func createRestoreMarker(dir string, rm restoreMarker) (*os.File, error) {
	path := restoreMarkerPath(dir)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, &PathError{ErrLocked, dir} // another restore is under way
	}
	if err != nil {
		return nil, translate(err, path)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, &PathError{ErrLocked, dir}
	}
	if !sameFile(f, path) {
		f.Close()
		return nil, &PathError{ErrLocked, dir}
	}
	b, _ := json.Marshal(rm)
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		removeRestoreMarker(dir, f)
		return nil, translate(err, path)
	}
	return f, nil
}

// removeRestoreMarker removes the marker, while still holding it where the
// system allows (not on Windows, which refuses to remove an open file).
func removeRestoreMarker(dir string, f *os.File) {
	path := restoreMarkerPath(dir)
	if os.Remove(path) != nil {
		f.Close()
		os.Remove(path)
	}
	f.Close()
}

func sameFile(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// completeRestore brings the folders from whatever state a restore
// stopped in to the restored registry in place. Each step looks at what is
// there, so it can be run again after a kill within it:
//
//	registry and restored copy both there: set the registry aside;
//	restored copy there, registry not: move the copy in;
//	neither: put the registry that was set aside back.
func completeRestore(dir string, rm restoreMarker) error {
	parent := filepath.Dir(dir)
	tmp := filepath.Join(parent, rm.Restored)
	previous := filepath.Join(parent, rm.Previous)
	if !IsStore(tmp) {
		if _, err := os.Stat(dir); err == nil {
			return nil // already swapped
		}
		if rm.Previous != "" && IsStore(previous) {
			return translate(os.Rename(previous, dir), dir)
		}
		return &PathError{ErrRestoreLost, dir}
	}
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, previous); err != nil {
			// Nothing moved (a file in the registry held open by another
			// program, say): give up the restore, the registry as it was.
			os.RemoveAll(tmp)
			return translate(err, dir)
		}
	}
	if err := restoreStop("aside"); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(previous, dir); rerr == nil {
			os.RemoveAll(tmp)
		}
		return translate(err, dir)
	}
	return restoreStop("swapped")
}

// ErrRestoreLost: a restore's marker names folders that are all gone.
var ErrRestoreLost = errors.New("a restore of this registry was interrupted and neither the restored copy nor the registry it replaced is there any more")

// finishRestore is run by Open (and Restore) before anything else touches
// dir: if a restore was killed there, it finishes it, so that the next
// command never finds the registry missing and creates an empty one. While
// the restore is still running it refuses with ErrLocked.
func finishRestore(dir string) error {
	path := restoreMarkerPath(dir)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return translate(err, path)
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return &PathError{ErrLocked, dir}
	}
	if !sameFile(f, path) {
		return nil // the restore finished while this looked
	}
	var rm restoreMarker
	b, err := io.ReadAll(f)
	if err != nil {
		return translate(err, path)
	}
	if len(b) == 0 || json.Unmarshal(b, &rm) != nil || rm.Restored == "" {
		// Killed before the marker was written through: nothing was
		// moved yet. The half-made copy goes, the registry stays.
		os.RemoveAll(dir + restoringSuffix)
		removeRestoreMarker(dir, f)
		return nil
	}
	if err := completeRestore(dir, rm); err != nil {
		return err
	}
	removeRestoreMarker(dir, f)
	return nil
}
