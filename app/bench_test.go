package app

import (
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/store"
)

// TestListTimings measures the persons list on a real registry (a copy:
// the test writes nothing, but Badger needs the folder to itself):
//
//	REGISTAR_BENCH_DB=/tmp/demo100k go test -tags migrated_fynedo -run ListTimings -v ./app/
//
// It is skipped without the variable. docs/bench-gui.md has the figures.
func TestListTimings(t *testing.T) {
	dir := os.Getenv("REGISTAR_BENCH_DB")
	if dir == "" {
		t.Skip("REGISTAR_BENCH_DB not set")
	}
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, "bs")
	t0 := time.Now()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t.Logf("open the registry and build the index: %v (%d persons)", time.Since(t0), st.Counts()[data.KindPerson])
	w := a.NewWindow("Registar")
	w.Resize(fyne.NewSize(1280, 800))
	t0 = time.Now()
	s := New(a, w, st)
	s.showNow("home")
	w.Canvas().Refresh(w.Content())
	t.Logf("home with charts: %v", time.Since(t0))
	t0 = time.Now()
	s.showNow("persons")
	l := s.lists[data.KindPerson]
	test.WidgetRenderer(l.table) // lay the table out
	for i := 0; i < 20; i++ {
		l.table.CellText(i, 1)
	}
	t.Logf("persons list, all %d rows, first screen loaded: %v", len(l.table.Hits()), time.Since(t0))
	for _, q := range []string{"d", "dj", "djo", "djordje", "djordje bec"} {
		t0 = time.Now()
		l.search.SetText(q)
		t.Logf("search %-12q → %6d hits in %v", q, len(l.table.Hits()), time.Since(t0))
	}
	l.search.SetText("")
	for col, name := range map[int]string{1: "country", 2: "city", 3: "profession", 5: "registered"} {
		t0 = time.Now()
		l.onSort(col, false)
		t.Logf("sort by %-10s: %v", name, time.Since(t0))
	}
	t0 = time.Now()
	n := len(l.table.Hits())
	for i := 0; i < n; i += n / 50 {
		for r := i; r < i+20 && r < n; r++ {
			l.table.CellText(r, 3)
		}
	}
	t.Logf("jumping to 50 places in the list, 20 rows each (loads 50 blocks): %v", time.Since(t0))
}
