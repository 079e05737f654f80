package sync

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/bundle"
	"registar/data/i18n"
	"registar/data/store"
)

// readable is everything of a file that anyone could read: its bytes, and
// for a bundle (whole or cut short) as much of its content as unseals and
// decompresses.
func readable(t testing.TB, path, pass string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), raw...)
	br := bufio.NewReader(bytes.NewReader(raw))
	first, err1 := br.ReadBytes('\n')
	second, err2 := br.ReadBytes('\n')
	if err1 != nil || err2 != nil || !bytes.HasPrefix(first, []byte("REGISTAR BUNDLE ")) {
		return out
	}
	var info bundle.Info
	if json.Unmarshal(second, &info) != nil {
		return out
	}
	var key []byte
	if info.Encrypted {
		k, ok := info.KDF.Key(pass)
		if !ok {
			t.Fatalf("%s: sealed with another passphrase", path)
		}
		key = k
	}
	sr, err := store.NewSealReader(br, key, append(first, second...), errors.New("cut short"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(sr)
	if err != nil {
		return out
	}
	content, _ := io.ReadAll(zr) // what there is, up to where it is cut
	return append(out, content...)
}

// grepFolder lists the files under dir in which any of words can be read.
func grepFolder(t testing.TB, dir, pass string, words ...string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text := readable(t, path, pass)
		for _, w := range words {
			if bytes.Contains(text, []byte(w)) {
				found = append(found, path)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// After an erase on one laptop, once both have synced, no file of the
// folder holds the person: not the erasing laptop's own files, not the
// other laptop's (which edited her, once before and once after the erase),
// not the engine's partial and conflict copies; and both registries still
// agree, with the tombstone on the other laptop and nothing else lost.
func TestEraseTakesThePersonOutOfEveryFolderFile(t *testing.T) {
	sts, fs, dir := sharedFolder(t, "Amra", "Bojan")
	a, b := sts[0], sts[1]
	rare := person("Zenobija", "Vrtikapić")
	kept := person("Lejla", "Begić")
	save(t, a, rare)
	save(t, a, kept)
	round(t, fs[0])
	round(t, fs[1])
	r, err := b.Get(rare.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.(*data.Person).Notes = "came to the diaspora day"
	save(t, b, r)
	save(t, b, person("Sead", "Mujić"))
	round(t, fs[1])
	round(t, fs[0])
	// The engine left copies of both laptops' first files about: whole ones
	// beside Amra's, partial ones beside Bojan's.
	aid, bid := laptopID(t, a), laptopID(t, b)
	whole, _ := os.ReadFile(filepath.Join(dir, aid, FileName(1)))
	litter(t, filepath.Join(dir, aid), FileName(1), whole)
	part, _ := os.ReadFile(filepath.Join(dir, bid, FileName(1)))
	litter(t, filepath.Join(dir, bid), FileName(1), part[:len(part)*3/4])
	if found := grepFolder(t, dir, "", "Zenobija"); len(found) < 10 {
		t.Fatalf("the test's folder should hold her in many files: %v", found)
	}

	if err := a.Erase(rare.ID); err != nil {
		t.Fatal(err)
	}
	sum := round(t, fs[0])
	if len(sum.Purged) == 0 || len(sum.Rewritten) == 0 {
		t.Fatalf("nothing purged: %+v", sum)
	}
	if !strings.Contains(strings.Join(sum.Lines(i18n.BS, c0), "\n"), "Izbrisani zapisi uklonjeni") {
		t.Fatal(sum.Lines(i18n.BS, c0))
	}
	// Bojan edits her once more before he hears of the erase: his next file
	// carries her again, and his own round takes her out.
	r, _ = b.Get(rare.ID)
	r.(*data.Person).Notes = "called back"
	save(t, b, r)
	round(t, fs[1])
	round(t, fs[0])
	round(t, fs[1])

	if found := grepFolder(t, dir, "", "Zenobija", "Vrtikapić", "Vrtikapic"); len(found) > 0 {
		t.Fatalf("the erased name is still readable in %v", found)
	}
	if _, err := b.Get(rare.ID); !errors.Is(err, store.ErrErased) {
		t.Fatalf("Bojan's copy of her: %v", err)
	}
	sameRegistries(t, a, b)
	if n := len(registry(t, b)); n != 2 {
		t.Fatalf("Bojan has %d records, want 2", n)
	}
	// A laptop that joins now learns everything else, and the erasure.
	c := laptop(t, &clock{}, "Cazim")
	g := New(c, dir)
	round(t, g)
	sameRegistries(t, a, b, c)
	if _, err := c.Get(rare.ID); !errors.Is(err, store.ErrErased) {
		t.Fatalf("a late laptop: %v", err)
	}
	// Nothing left to look for: a quiet round reads nothing and writes nothing.
	round(t, fs[0])
	if ids, _ := loadPending(a); len(ids) > 0 {
		t.Fatalf("still pending: %v", ids)
	}
	if sum := round(t, fs[0]); sum.Changed() {
		t.Fatalf("%+v", sum)
	}
}

// A sealed folder is checked by unsealing it: the purge reads and writes
// sealed files, and none of them holds the name once unsealed.
func TestEraseTakesThePersonOutOfSealedFiles(t *testing.T) {
	c := &clock{}
	dir := t.TempDir()
	var sts []*store.Store
	var fs []*Folder
	for _, n := range []string{"Amra", "Bojan"} {
		st := laptop(t, c, n)
		f := New(st, dir)
		f.Now, f.Passphrase = c.now, "ured-2026"
		sts, fs = append(sts, st), append(fs, f)
	}
	rare := person("Zenobija", "Vrtikapić")
	save(t, sts[0], rare)
	save(t, sts[0], person("Lejla", "Begić"))
	round(t, fs[0])
	round(t, fs[1])
	if found := grepFolder(t, dir, "ured-2026", "Zenobija"); len(found) != 1 {
		t.Fatalf("found in %v", found)
	}
	if err := sts[1].Erase(rare.ID); err != nil { // erased on the laptop that did not write her
		t.Fatal(err)
	}
	round(t, fs[1])
	round(t, fs[0])
	if found := grepFolder(t, dir, "ured-2026", "Zenobija", "Vrtikapić"); len(found) > 0 {
		t.Fatalf("the erased name is still readable in %v", found)
	}
	sameRegistries(t, sts...)
}

// A file that holds an erased person but has not been merged here yet is
// left alone: its other records are not here yet. The round that merges it
// purges it.
func TestUnmergedFileIsPurgedOnlyOnceMerged(t *testing.T) {
	sts, fs, dir := sharedFolder(t, "Amra", "Bojan")
	a, b := sts[0], sts[1]
	rare := person("Zenobija", "Vrtikapić")
	save(t, a, rare)
	round(t, fs[0])
	round(t, fs[1])
	r, _ := b.Get(rare.ID)
	r.(*data.Person).Notes = "edited on Bojan"
	save(t, b, r)
	other := person("Sead", "Mujić")
	save(t, b, other)
	w := round(t, fs[1]).Written
	// Bojan's file is late for Amra: she erases before it arrives.
	hidden := filepath.Join(t.TempDir(), "late")
	copyFile(t, w.File, hidden)
	os.Remove(w.File)
	if err := a.Erase(rare.ID); err != nil {
		t.Fatal(err)
	}
	round(t, fs[0])
	copyFile(t, hidden, w.File)
	sum := round(t, fs[0])
	if len(sum.Merged) != 1 || len(sum.Merged[0].Report.Ignored) != 1 {
		t.Fatalf("late file: %+v", sum)
	}
	if _, err := os.Stat(w.File); !os.IsNotExist(err) {
		t.Fatal("the late file holding her was not purged once merged")
	}
	if _, err := a.Get(other.ID); err != nil {
		t.Fatalf("the late file's other record: %v", err)
	}
	round(t, fs[1])
	round(t, fs[0])
	if found := grepFolder(t, dir, "", "Zenobija"); len(found) > 0 {
		t.Fatalf("still readable in %v", found)
	}
	sameRegistries(t, a, b)
}
