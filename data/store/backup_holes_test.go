package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"registar/data/search"
)

// The restores a backup must refuse, each leaving the registry it would
// have replaced exactly as it was: not a byte of its folder changed, nothing
// new beside it.

// targetRegistry makes a closed, unencrypted registry holding Amir Hodžić,
// the one a refused restore must leave alone. It returns its folder.
func targetRegistry(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "registar")
	s := openTest(t, dir, Options{})
	if err := s.Save(person("Amir", "Hodžić")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// encryptedBackup is a backup of an encrypted registry (passphrase
// "gjilan") holding Vjosa Berisha.
func encryptedBackup(t *testing.T) []byte {
	t.Helper()
	s := openTest(t, t.TempDir(), Options{Passphrase: "gjilan"})
	if err := s.Save(person("Vjosa", "Berisha")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("Berisha")) {
		t.Fatal("an encrypted registry's backup holds plain text")
	}
	return buf.Bytes()
}

// folderState is every name in dir's parent folder, and every file under
// dir with a checksum of its bytes: equal states mean the registry and its
// surroundings were not touched.
func folderState(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		lines = append(lines, "beside: "+e.Name())
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		lines = append(lines, fmt.Sprintf("%s %x", rel, sha256.Sum256(b)))
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// refused restores raw onto dir with opt, wants err, and checks that dir
// and its parent folder are as they were; a registry in dir must still
// open and hold Amir Hodžić.
func refused(t *testing.T, dir string, raw []byte, opt Options, want error) error {
	t.Helper()
	before := folderState(t, dir)
	opt.kdfMemoryKiB = 1024
	previous, err := Restore(dir, bytes.NewReader(raw), opt)
	if !errors.Is(err, want) {
		t.Fatalf("restore: err = %v, want %v", err, want)
	}
	if previous != "" {
		t.Errorf("a refused restore moved the registry to %s", previous)
	}
	if after := folderState(t, dir); after != before {
		t.Fatalf("a refused restore changed the folder:\n%s", lineDiff(before, after))
	}
	if IsStore(dir) {
		s := openTest(t, dir, Options{ReadOnly: true})
		if s.Search(search.Query{Text: "hodzic"}).Total != 1 {
			t.Fatal("the registry was harmed by a refused restore")
		}
		s.Close()
	}
	return err
}

func TestRestoreEncryptedBackupWithoutItsPassphrase(t *testing.T) {
	raw := encryptedBackup(t)
	for _, c := range []struct {
		name, passphrase string
		want             error
	}{
		{"missing", "", ErrNeedPassphrase},
		{"wrong", "cazin", ErrWrongPassphrase},
		{"right one with a space", "gjilan ", ErrWrongPassphrase},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := refused(t, targetRegistry(t), raw, Options{Passphrase: c.passphrase}, c.want)
			if !strings.Contains(err.Error(), "passphrase") {
				t.Errorf("the message does not say what is wrong: %q", err)
			}
		})
	}
	t.Run("onto no registry", func(t *testing.T) {
		// The folder does not exist yet: it must not after a refusal either.
		refused(t, filepath.Join(t.TempDir(), "new"), raw, Options{Passphrase: "cazin"}, ErrWrongPassphrase)
	})
	// And the same file with the right passphrase restores (so the refusals
	// above were for the passphrase, not the file).
	dir := targetRegistry(t)
	if _, err := Restore(dir, bytes.NewReader(raw), Options{Passphrase: "gjilan", kdfMemoryKiB: 1024}); err != nil {
		t.Fatal(err)
	}
	s := openTest(t, dir, Options{Passphrase: "gjilan"})
	if s.Search(search.Query{Text: "berisha"}).Total != 1 || s.Search(search.Query{Text: "hodzic"}).Total != 0 {
		t.Fatal("the encrypted backup did not restore")
	}
}

func TestRestoreDamagedEncryptedBackup(t *testing.T) {
	raw := encryptedBackup(t)
	// The sealed frames start after the magic line and the marker's line.
	body := len(backupMagic) + bytes.IndexByte(raw[len(backupMagic):], '\n') + 1
	flip := func(at int) []byte {
		out := append([]byte(nil), raw...)
		out[at] ^= 0x01
		return out
	}
	for name, damaged := range map[string][]byte{
		"a bit flipped in a sealed frame": flip(body + (len(raw)-body)/2),
		"a frame's length altered":        flip(body + 3),
		"a bit flipped in the checksum":   flip(len(raw) - 1),
		"truncated":                       raw[:body+(len(raw)-body)*2/3],
		"no end frame":                    raw[:len(raw)-36],
		"header only":                     raw[:body],
	} {
		t.Run(name, func(t *testing.T) {
			refused(t, targetRegistry(t), damaged, Options{Passphrase: "gjilan"}, ErrCorruptBackup)
		})
	}
}

// A backup written by a later Registar is refused as newer, saying which
// format it is, not as damaged or as "not a backup": the clerk must learn
// that updating the program is the way to restore it. The format is in two
// places, the first line ("REGISTAR BACKUP 1") and the marker's "format".
func TestRestoreBackupOfANewerFormat(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	if err := s.Save(person("Vjosa", "Berisha")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	const future = FormatVersion + 6 // a number no path or size in the message holds by chance
	markerFormat := []byte(`"format":` + strconv.Itoa(FormatVersion) + `,`)
	if !bytes.Contains(raw, markerFormat) {
		t.Fatalf("the marker's format is not where this test looks: %q", raw[:120])
	}
	for name, newer := range map[string][]byte{
		"marker's format": bytes.Replace(raw, markerFormat, []byte(`"format":`+strconv.Itoa(future)+`,`), 1),
		"first line":      bytes.Replace(raw, []byte(backupMagic), []byte("REGISTAR BACKUP "+strconv.Itoa(future)+"\n"), 1),
	} {
		t.Run(name, func(t *testing.T) {
			err := refused(t, targetRegistry(t), newer, Options{}, ErrNewerStore)
			if !strings.Contains(err.Error(), strconv.Itoa(future)) {
				t.Errorf("the message does not name the backup's format %d: %q", future, err)
			}
		})
	}
}

// A restore while another program has the registry open is refused: it
// would swap the folder under a program still reading or writing it.
func TestRestoreOntoAnOpenRegistry(t *testing.T) {
	var buf bytes.Buffer
	other := openTest(t, t.TempDir(), Options{})
	if err := other.Save(person("Vjosa", "Berisha")); err != nil {
		t.Fatal(err)
	}
	if err := other.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"open for writing", Options{}},
		// A reading command (search, stats, backup) opens read-only: Badger
		// then holds a shared lock and writes no LOCK file.
		{"open for reading", Options{ReadOnly: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := targetRegistry(t)
			s := openTest(t, dir, c.opt)
			before := folderState(t, dir)
			previous, err := Restore(dir, bytes.NewReader(buf.Bytes()), Options{kdfMemoryKiB: 1024})
			if !errors.Is(err, ErrLocked) {
				t.Errorf("restore onto a registry %s: err = %v (previous %q), want %v", c.name, err, previous, ErrLocked)
			}
			if after := folderState(t, dir); after != before {
				t.Errorf("the refused restore changed the folder:\n%s", lineDiff(before, after))
			}
			if s.Search(search.Query{Text: "hodzic"}).Total != 1 {
				t.Error("the open registry no longer finds its person")
			}
			s.Close()
			s = openTest(t, dir, Options{ReadOnly: true})
			if s.Search(search.Query{Text: "hodzic"}).Total != 1 || s.Search(search.Query{Text: "berisha"}).Total != 0 {
				t.Error("after the refused restore the folder holds another registry")
			}
		})
	}
}

// lineDiff lists the lines only one of two texts has.
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var b strings.Builder
	for l, n := range count {
		switch {
		case n > 0:
			fmt.Fprintf(&b, "- %.200q\n", l)
		case n < 0:
			fmt.Fprintf(&b, "+ %.200q\n", l)
		}
	}
	return b.String()
}
