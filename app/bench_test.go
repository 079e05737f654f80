package app

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/store"
)

// uiLoop stands for Fyne's UI goroutine in a timing run: the list's
// results come back through post into a queue that the test goroutine
// drains, timing each piece of UI work, as the real loop would run it.
type uiLoop struct {
	q     chan func()
	spent []time.Duration // each piece of UI work, wall clock
	cpu   time.Duration   // the thread's CPU time in them
}

func (u *uiLoop) post(f func()) { u.q <- f }

// until runs UI work until done says so.
func (u *uiLoop) until(done func() bool) {
	for !done() {
		f := <-u.q
		t0, c0 := time.Now(), threadCPU()
		f()
		u.spent = append(u.spent, time.Since(t0))
		u.cpu += threadCPU() - c0
	}
}

// TestListTimings measures the persons list on a real registry (the test
// writes nothing, but Badger needs the folder to itself):
//
//	REGISTAR_BENCH_DB=/tmp/reg100k go test -tags migrated_fynedo -run ListTimings -v ./app/
//
// It is skipped without the variable. It reports, for typing and sorting,
// the time spent on the UI goroutine (the keystroke's handler, then the
// swap of the hits and the first screen of rows read) and the time from
// the keystroke or the tap to the hits shown. docs/bench-gui.md has the
// figures.
func TestListTimings(t *testing.T) {
	dir := os.Getenv("REGISTAR_BENCH_DB")
	if dir == "" {
		t.Skip("REGISTAR_BENCH_DB not set")
	}
	runtime.LockOSThread() // the UI work's CPU time is this thread's
	defer runtime.UnlockOSThread()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, "bs")
	t0 := time.Now()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t.Logf("open the registry: %v (%d persons)", time.Since(t0), st.Counts()[data.KindPerson])
	w := a.NewWindow("Registar")
	w.Resize(fyne.NewSize(1280, 800))
	t0 = time.Now()
	s := New(a, w, st)
	s.showNow("home")
	w.Canvas().Refresh(w.Content())
	t.Logf("home with charts: %v", time.Since(t0))

	// The list is built once in the foreground (filters included); its
	// first search runs like every other one.
	u := &uiLoop{q: make(chan func(), 64)}
	l := newListScreen(s, data.KindPerson)
	l.post = u.post
	t0 = time.Now()
	l.ui = l.buildUI()
	s.lists[data.KindPerson] = l
	s.showNow("persons")
	built := time.Since(t0)
	u.cpu = 0
	var shownAt time.Time
	l.onShow = func() { shownAt = time.Now() }
	u.until(l.current)
	readFirstScreen(l)
	t.Logf("persons list built on the UI goroutine (filters included): %v; all %d rows shown %v after the tap; swap %v (CPU %v)",
		built, len(l.table.Hits()), shownAt.Sub(t0), u.spent[len(u.spent)-1], u.cpu)
	t.Logf("search bar typing delay now: %v", l.typingDelay())

	// step does what a key or a tap does and runs the UI work until its
	// hits are shown, then reads the first screen of rows as the next frame
	// would.
	step := func(what string, act func()) {
		u.spent, u.cpu = u.spent[:0], 0
		t0, c0 := time.Now(), threadCPU()
		act()
		handler, handlerCPU := time.Since(t0), threadCPU()-c0
		u.until(l.current)
		r0, rc0 := time.Now(), threadCPU()
		readFirstScreen(l)
		rows, rowsCPU := time.Since(r0), threadCPU()-rc0
		t.Logf("%-26s %6d hits: UI goroutine %v (CPU %v: handler %v, swap %v, first screen %v); shown %v after it",
			what, len(l.table.Hits()), handler+sum(u.spent)+rows, handlerCPU+u.cpu+rowsCPU,
			handler, sum(u.spent), rows, shownAt.Sub(t0))
	}

	// One keystroke at a time, each waited for.
	for _, q := range []string{"d", "dj", "djo", "djordje", "djordje bec", "marko", ""} {
		step("keystroke → "+strconv.Quote(q), func() { l.search.SetText(q) })
	}

	// A clerk typing "djordje" at 8 keys a second: the searches the delay
	// lets through, and the time from the last key to its hits.
	u.spent, u.cpu = u.spent[:0], 0
	var handlers []time.Duration
	var last time.Time
	for i := 1; i <= len("djordje"); i++ {
		if i > 1 {
			time.Sleep(125 * time.Millisecond)
		}
		for len(u.q) > 0 { // the UI loop runs between keys
			(<-u.q)()
		}
		last = time.Now()
		l.search.SetText("djordje"[:i])
		handlers = append(handlers, time.Since(last))
	}
	u.until(l.current)
	t.Logf("typing djordje at 8 keys/s: slowest handler %v; shown %v after the last key", slices.Max(handlers), shownAt.Sub(last))

	step("clear the search", func() { l.search.SetText("") })
	for _, c := range []struct {
		col  int
		name string
	}{{1, "country"}, {2, "city"}, {3, "profession"}, {5, "registered"}, {0, "name"}} {
		step("sort by "+c.name, func() { l.onSort(c.col, false) })
	}
	l.search.SetText("marko")
	u.until(l.current)
	step("marko, sort by city", func() { l.onSort(2, false) })
	step("marko, city descending", func() { l.onSort(2, true) })

	// The searches alone, on this thread: what the background goroutine
	// spends, without the wait for a core that a busy machine adds.
	for _, c := range []struct {
		text string
		col  int
	}{{"d", 0}, {"djo", 0}, {"djordje", 0}, {"marko", 0}, {"", 0}, {"", 1}, {"", 2}, {"", 3}, {"", 5}, {"marko", 2}} {
		l.search.SetText(c.text)
		l.sortCol = c.col
		col := l.cols[c.col]
		job := listJob{ix: st.Index(), q: l.query(), facet: col.facet, label: col.label}
		t0, c0 := time.Now(), threadCPU()
		hits, _ := job.hits(t.Context())
		t.Logf("search %-9q sorted by column %d: %6d hits in %v (CPU %v)", c.text, c.col, len(hits), time.Since(t0), threadCPU()-c0)
	}
	l.abandon()

	t0 = time.Now()
	n := len(l.table.Hits())
	for i := 0; i < n; i += n / 50 {
		for r := i; r < i+20 && r < n; r++ {
			l.table.CellText(r, 3)
		}
	}
	t.Logf("jumping to 50 places in the list, 20 rows each (loads 50 blocks): %v", time.Since(t0))
}

// readFirstScreen reads the cells of the first screen of rows, as the next
// frame does after new hits, and says how long it took.
func readFirstScreen(l *listScreen) {
	for r := 0; r < 25; r++ {
		for c := range l.cols {
			l.table.CellText(r, c)
		}
	}
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}
