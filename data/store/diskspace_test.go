package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

func persons(n int) []data.Record {
	recs := make([]data.Record, n)
	for i := range recs {
		recs[i] = person("Amir", fmt.Sprintf("Hodžić %d", i))
	}
	return recs
}

// A step the disk has no room for is refused before its first write, in
// the store's language, naming the registry's folder and both sizes.
func TestStepRefusedWhenTheDiskIsFull(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registar")
	s := openTest(t, dir, Options{Lang: i18n.BS})
	var asked string
	diskFree = func(d string) (uint64, error) { asked = d; return 3 << 20, nil }
	defer func() { diskFree = freeSpace }()

	_, err := s.Apply(context.Background(), Step{Action: "import"}, persons(50), nil)
	var full *DiskFullError
	if !errors.As(err, &full) || !errors.Is(err, ErrDiskFull) {
		t.Fatalf("apply on a full disk: %v", err)
	}
	if asked != dir || full.Folder != dir || full.Free != 3<<20 {
		t.Fatalf("checked %q, error %+v", asked, full)
	}
	// Badger's headroom alone (memtable + value-log file) is 24 MB with
	// our options; 50 small persons add little.
	if full.Need < 24<<20 || full.Need > 25<<20 {
		t.Fatalf("need %d", full.Need)
	}
	want := "Na disku na kojem je " + dir + " slobodno je 3 MB; programu Registar potrebno je oko 25 MB."
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("message:\n%s\nwant it to start:\n%s", err, want)
	}
	if got := full.Message(i18n.EN); !strings.Contains(got, "has 3 MB free; Registar needs about 25 MB") {
		t.Fatalf("English: %s", got)
	}
	if c := s.Counts()[data.KindPerson]; c != 0 {
		t.Fatalf("%d persons written by a refused step", c)
	}
	// With room, the same records go in: a refused step handed them back unchanged.
	diskFree = func(string) (uint64, error) { return 1 << 40, nil }
	if _, err := s.Apply(context.Background(), Step{Action: "import"}, persons(50), nil); err != nil {
		t.Fatal(err)
	}
}

// On a real, small disk (a tmpfs) filled up: an import is refused with the
// message instead of Badger's SIGBUS, and a reading command (what `stats`
// and `search` do) still works. Needs root to mount; skipped elsewhere.
func TestFullTmpfsRefusesAnImportAndStillReads(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s): the full-disk test needs root", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	dir := filepath.Join(mnt, "registar")
	s := openTest(t, dir, Options{})
	if _, err := s.Apply(context.Background(), Step{Action: "import"}, persons(3), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fillDisk(t, mnt, 2<<20)

	s = openTest(t, dir, Options{})
	_, err := s.Apply(context.Background(), Step{Action: "import"}, persons(2000), nil)
	var full *DiskFullError
	if !errors.As(err, &full) || full.Folder != dir || full.Free > 3<<20 {
		t.Fatalf("import on a full disk: %v", err)
	}
	t.Log(err)
	if err := s.Close(); err != nil && !errors.Is(err, ErrDiskFull) {
		t.Fatalf("close: %v", err)
	}

	r := openTest(t, dir, Options{ReadOnly: true})
	if c := r.Counts()[data.KindPerson]; c != 3 {
		t.Fatalf("persons read on a full disk: %d", c)
	}
	if n := r.Search(search.Query{Text: "hodzic"}).Total; n != 3 {
		t.Fatalf("search on a full disk: %d", n)
	}
}

// fillDisk writes a file into dir until the disk has about leave bytes free.
func fillDisk(t *testing.T, dir string, leave uint64) {
	t.Helper()
	free, err := freeSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	if free <= leave {
		return
	}
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.CopyN(f, zeros{}, int64(free-leave)); err != nil {
		t.Fatal(err)
	}
	if free, _ = freeSpace(dir); free > leave+(1<<20) {
		t.Fatalf("%d bytes still free", free)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// BenchmarkCheckSpace is the free-space check of a 20,000-record step
// (the whole of what it adds to a step): ≤ 1 ms is the aim.
func BenchmarkCheckSpace(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "registar"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	preps := make([]prepared, 20000)
	for i := range preps {
		preps[i] = prepared{id: fmt.Sprintf("0190c0de-0000-7000-8000-%012d", i), value: make([]byte, 600)}
	}
	for b.Loop() {
		if err := s.checkSpace(preps); err != nil {
			b.Fatal(err)
		}
	}
}

// A memtable file left by a crash of a Registar with 16 MB memtables is
// replayed into a memtable as big: a smaller one would panic at the open.
func TestMemTableSizeFitsAFileLeftByACrash(t *testing.T) {
	dir := t.TempDir()
	if got := memTableSize(dir); got != 8<<20 {
		t.Fatalf("a registry without memtable files: %d", got)
	}
	f, err := os.Create(filepath.Join(dir, "00007.mem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(32 << 20); err != nil { // Badger sizes the file at twice the memtable
		t.Fatal(err)
	}
	f.Close()
	if got := memTableSize(dir); got != 16<<20 {
		t.Fatalf("with a 32 MB memtable file: %d", got)
	}
}
