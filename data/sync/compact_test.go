package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data/i18n"
	"registar/data/store"
)

// Three laptops fill the folder; the office compacts it while two files
// arrive (a new one of Amra's, and a late one of Edin's with an older
// sequence than his newest); both stay, with each laptop's newest file and
// the office's file of everything. A fourth laptop joins and converges with
// the others, erasure included; the others go on numbering their files.
func TestCompactionKeepsWhatItHasNotMergedAndALateLaptopCatchesUp(t *testing.T) {
	names := []string{"Office", "Amra", "Edin"}
	sts, fs, dir := sharedFolder(t, names...)
	office, amra, edin := laptopID(t, sts[0]), laptopID(t, sts[1]), laptopID(t, sts[2])
	var erased string
	hidden := filepath.Join(t.TempDir(), "late")
	var late string
	for step := 0; step < 3; step++ {
		for i, st := range sts {
			p := person(fmt.Sprintf("%s%d", names[i], step), "Hodžić")
			save(t, st, p)
			if i == 1 && step == 0 {
				erased = p.ID
			}
			w := round(t, fs[i]).Written
			if i == 2 && step == 1 { // Edin's second file is late for everyone
				late = w.File
				copyFile(t, late, hidden)
				os.Remove(late)
			}
		}
	}
	if err := sts[1].Erase(erased); err != nil {
		t.Fatal(err)
	}
	for pass := 0; pass < 2; pass++ {
		for _, f := range fs {
			round(t, f)
		}
	}
	amraBefore := files(t, dir, amra)
	if len(amraBefore) < 3 || len(files(t, dir, office)) < 3 {
		t.Fatalf("too few files to compact: %v %v", amraBefore, files(t, dir, office))
	}
	// An engine's conflict copy of Amra's oldest file, which the office merged.
	whole, err := os.ReadFile(filepath.Join(dir, amra, amraBefore[0]))
	if err != nil {
		t.Fatal(err)
	}
	conflictCopy := filepath.Join(dir, amra, strings.TrimSuffix(amraBefore[0], ext)+".sync-conflict-20260601-101010-ABCDEFG"+ext)
	os.WriteFile(conflictCopy, whole, 0o666)

	var arrived string
	var c *Compacted
	fs[0].beforeRemove = func() {
		copyFile(t, hidden, late)
		save(t, sts[1], person("Amra", "Nova"))
		arrived = round(t, fs[1]).Written.File
	}
	c, err = fs[0].Compact(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Everything the office has: 9 persons, one erased, Edin's late one not yet.
	if c.Written == nil || c.Written.Records != 7 || c.Written.Tombstones != 1 {
		t.Fatalf("file of everything: %+v", c.Written)
	}
	if got := files(t, dir, office); len(got) != 1 || got[0] != FileName(c.Written.Seq) {
		t.Fatalf("office's files: %v", got)
	}
	if got := files(t, dir, amra); len(got) != 2 || got[0] != amraBefore[len(amraBefore)-1] || filepath.Join(dir, amra, got[1]) != arrived {
		t.Fatalf("Amra's files: %v (before %v, arrived %s)", got, amraBefore, arrived)
	}
	if got := files(t, dir, edin); len(got) != 2 || filepath.Join(dir, edin, got[0]) != late {
		t.Fatalf("Edin's files: %v (late %s)", got, late)
	}
	if _, err := os.Stat(conflictCopy); !os.IsNotExist(err) {
		t.Fatal("the engine's copy of a merged file was left")
	}
	if c.Kept != 2 || len(c.Removed) == 0 {
		t.Fatalf("kept %d, removed %v", c.Kept, c.Removed)
	}
	lines := strings.Join(c.Lines(i18n.EN, c0), "\n")
	if !strings.Contains(lines, "Sync folder compacted") || !strings.Contains(lines, "2 files not merged") {
		t.Fatal(lines)
	}

	// A laptop joins after the compaction.
	dino := laptop(t, &clock{}, "Dino")
	g := New(dino, dir)
	sum := round(t, g)
	if len(sum.Merged) != 5 || len(sum.Skipped) != 0 {
		t.Fatalf("the late laptop merged %+v", sum)
	}
	heard := map[string]bool{}
	for _, l := range sum.Laptops {
		heard[l.Name] = !l.Heard.IsZero()
	}
	if !heard["Office"] || !heard["Amra"] || !heard["Edin"] {
		t.Fatalf("last heard: %+v", sum.Laptops)
	}
	all := append(sts, dino)
	for pass := 0; pass < 2; pass++ {
		for _, f := range append(fs, g) {
			round(t, f)
		}
	}
	sameRegistries(t, all...)
	if _, err := dino.Get(erased); !errors.Is(err, store.ErrErased) {
		t.Fatalf("the erased person on the late laptop: %v", err)
	}
	// Amra goes on numbering her files, and writes only what is new.
	last := files(t, dir, amra)
	save(t, sts[1], person("Amra", "Posljednja"))
	w := round(t, fs[1]).Written
	if want := FileName(mustSeq(t, last[len(last)-1]) + 1); filepath.Base(w.File) != want || w.Records != 1 {
		t.Fatalf("Amra's next file: %+v, want %s with one record", w, want)
	}
	for _, f := range append(fs, g) {
		round(t, f)
	}
	sameRegistries(t, all...)
	if n := len(registry(t, dino)); n != 10 {
		t.Fatalf("%d records, want 10", n)
	}
}

func mustSeq(t testing.TB, name string) uint64 {
	t.Helper()
	n, ok := seqOf(name)
	if !ok {
		t.Fatal(name)
	}
	return n
}

// A compaction needs the passphrase of an encrypted registry like a round.
func TestCompactionOfAnEncryptedRegistryNeedsThePassphrase(t *testing.T) {
	sealed, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{Passphrase: "ured-2026", User: "o"})
	if err != nil {
		t.Fatal(err)
	}
	defer sealed.Close()
	save(t, sealed, person("Lejla", "Begić"))
	f := New(sealed, t.TempDir())
	if _, err := f.Compact(context.Background()); !errors.Is(err, ErrNeedPassphrase) {
		t.Fatalf("got %v", err)
	}
}
