package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"registar/data"
	"registar/data/search"
)

// residentKB sums the resident kilobytes of this process's mappings of
// files in dir whose names end in suffix.
func residentKB(t *testing.T, dir, suffix string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	sum, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && strings.HasPrefix(fields[5], prefix) && strings.HasSuffix(fields[5], suffix)
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			sum += n
		}
	}
	return sum
}

// A long read lets the system take back the pages it mapped: Badger's
// table files and the index snapshot stay resident only until the next
// shed, every shedEvery records.
func TestLongReadsShedMappedPages(t *testing.T) {
	dir := demoRegistry(t, 3000)
	s := openTest(t, dir, Options{ReadOnly: true})
	if s.indexFrom != "snapshot" {
		t.Fatalf("index from %s", s.indexFrom)
	}
	s.Search(search.ParseQuery("a"))
	var ids []string
	if err := s.Each(data.KindPerson, func(r data.Record) error { ids = append(ids, r.Base().ID); return nil }); err != nil {
		t.Fatal(err)
	}
	// Records in batches smaller than shedEvery, as an export reads them.
	s.reads.n.Store(0)
	for i := 0; i+500 <= shedEvery-1; i += 500 {
		if _, err := s.Records(ids[i : i+500]); err != nil {
			t.Fatal(err)
		}
	}
	sst, snap := residentKB(t, dir, ".sst"), residentKB(t, dir, snapshotSuffix)
	if sst == 0 || snap == 0 {
		t.Skipf("nothing resident to shed (tables %d KB, snapshot %d KB)", sst, snap)
	}
	// The read that crosses shedEvery sheds.
	if _, err := s.Records(ids[:500]); err != nil {
		t.Fatal(err)
	}
	if got := residentKB(t, dir, ".sst") + residentKB(t, dir, snapshotSuffix); got != 0 {
		t.Fatalf("after %d records read, %d KB of tables and snapshot still resident (before the shed: %d + %d KB)", shedEvery, got, sst, snap)
	}
	// What is read next maps back what it needs, and reads the same.
	recs, err := s.Records(ids[:10])
	if err != nil || len(recs) != 10 {
		t.Fatalf("read after the shed: %d records, %v", len(recs), err)
	}
	if s.Search(search.ParseQuery("a")).Total == 0 {
		t.Fatal("the index answers nothing after the shed")
	}
}
