package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/i18n"
)

// fakeTimer stands for the timer of searchDelay: the test fires it.
type fakeTimer struct {
	f              func()
	stopped, fired bool
}

func (ft *fakeTimer) stop() bool {
	if ft.stopped || ft.fired {
		return false
	}
	ft.stopped = true
	return true
}

func (ft *fakeTimer) fire() {
	ft.fired = true
	ft.f()
}

// plumbing replaces the list's timer and its way back to the UI goroutine
// with ones the test drives: timers it fires and a queue of UI work it
// runs itself, in any order it likes.
type plumbing struct {
	timers []*fakeTimer
	delays []time.Duration
	ui     chan func()
}

func fakePlumbing(l *listScreen) *plumbing {
	p := &plumbing{ui: make(chan func(), 16)}
	l.after = func(d time.Duration, f func()) func() bool {
		ft := &fakeTimer{f: f}
		p.timers = append(p.timers, ft)
		p.delays = append(p.delays, d)
		return ft.stop
	}
	l.post = func(f func()) { p.ui <- f }
	return p
}

// last is the newest timer.
func (p *plumbing) last(t *testing.T) *fakeTimer {
	t.Helper()
	if len(p.timers) == 0 {
		t.Fatal("no search is waiting")
	}
	return p.timers[len(p.timers)-1]
}

// threeAs are three persons, of whom one is found by "ab".
func threeAs(t *testing.T, s *Shell) {
	addPerson(t, s, "Amra", "Hodžić", "AT")
	addPerson(t, s, "Abdulah", "Sidran", "DE")
	addPerson(t, s, "Alen", "Kovač", "SE")
}

func TestListTypingSearchesOnceAfterTheDelay(t *testing.T) {
	s, _ := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	p := fakePlumbing(l)
	test.Type(l.search, "ab")
	if len(p.timers) != 2 || !p.timers[0].stopped || p.timers[1].stopped {
		t.Fatalf("typing two letters left timers %+v: want the first stopped, the second waiting", p.timers)
	}
	if len(p.ui) != 0 || len(l.table.Hits()) != 3 {
		t.Fatal("the list changed before the delay passed")
	}
	p.last(t).fire()
	(<-p.ui)()
	if got := titles(l); len(got) != 1 || got[0] != "Abdulah Sidran" {
		t.Fatalf("ab shows %v", got)
	}
	if l.count.Text != "1 found" {
		t.Fatalf("count shows %q", l.count.Text)
	}
	// The wait is the last search's time, at most searchDelay.
	if l.cost <= 0 || l.cost >= searchDelay || p.delays[1] != searchDelay {
		t.Fatalf("first delay %v, last search %v", p.delays[1], l.cost)
	}
	test.Type(l.search, "d")
	if got := p.delays[2]; got != l.cost {
		t.Fatalf("after a search of %v the next keystroke waits %v", l.cost, got)
	}
	l.cost = time.Second
	if got := l.typingDelay(); got != searchDelay {
		t.Fatalf("after a search of 1 s a keystroke waits %v", got)
	}
}

func TestListSortPutsRecordsWithoutAValueLast(t *testing.T) {
	s, _ := newTestShell(t)
	threeAs(t, s)
	p := addPerson(t, s, "Berina", "Zukić", "SE")
	p.Profession = ""
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	p = addPerson(t, s, "Emir", "Avdić", "SE")
	p.Profession = "Arhitekt"
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	l := list(t, s, data.KindPerson)
	l.onSort(3, false) // profession
	want := "Emir Avdić|Abdulah Sidran|Alen Kovač|Amra Hodžić|Berina Zukić"
	if got := strings.Join(titles(l), "|"); got != want {
		t.Fatalf("by profession:\n got %s\nwant %s", got, want)
	}
	l.onSort(2, false) // city: every one has Wien
	if got := strings.Join(titles(l), "|"); got != "Abdulah Sidran|Alen Kovač|Amra Hodžić|Berina Zukić|Emir Avdić" {
		t.Fatalf("by city: %s", got)
	}
}

func TestListStaleSearchNeverOverwritesNewer(t *testing.T) {
	s, _ := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	p := fakePlumbing(l)
	// "a" is searched (its timer fired) but slow; "ab" is typed, searched
	// and shown; then the result of "a" arrives.
	test.Type(l.search, "a")
	p.last(t).fire()
	stale := <-p.ui
	test.Type(l.search, "b")
	p.last(t).fire()
	fresh := <-p.ui
	fresh()
	stale()
	if got := titles(l); len(got) != 1 || got[0] != "Abdulah Sidran" {
		t.Fatalf("after the late result of \"a\" the list shows %v, want the result of \"ab\"", got)
	}
	// A sort asked while a search waits supersedes it too: one search, at
	// once, with both.
	l.search.SetText("a")
	waiting := p.last(t)
	l.onSort(0, true)
	if !waiting.stopped {
		t.Fatal("a sort did not stop the search waiting for the delay")
	}
	(<-p.ui)()
	if got := titles(l); strings.Join(got, "|") != "Amra Hodžić|Alen Kovač|Abdulah Sidran" {
		t.Fatalf("\"a\" sorted by name, descending: %v", got)
	}
}

func TestListSearchesOffTheUIGoroutine(t *testing.T) {
	s, _ := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	// The real timer and search goroutine. The test driver's fyne.Do runs
	// its function on the calling goroutine, where it would race with the
	// test, so the way back is a queue this goroutine runs, as Fyne's loop
	// runs fyne.Do's.
	s.inline = false
	ui := make(chan func(), 4)
	l.post = func(f func()) { ui <- f }
	shows := 0
	l.onShow = func() { shows++ }
	test.Type(l.search, "ab")
	if len(l.table.Hits()) != 3 {
		t.Fatal("the keystrokes searched on the UI goroutine")
	}
	for !l.current() {
		(<-ui)()
	}
	if got := titles(l); len(got) != 1 || got[0] != "Abdulah Sidran" {
		t.Fatalf("typing ab quickly ends showing %v", got)
	}
	if shows != 1 {
		t.Fatalf("typing ab quickly swapped hits in %d times", shows)
	}
}

func TestListOpensWithTheSearchFocused(t *testing.T) {
	s, w := newTestShell(t)
	threeAs(t, s)
	for _, k := range data.Kinds {
		l := list(t, s, k)
		if w.Canvas().Focused() != l.search {
			t.Fatalf("the %s list opens with %v focused, not its search bar", k, w.Canvas().Focused())
		}
	}
	// Back from a record, the search bar has the focus again, its text
	// selected so that typing replaces it.
	l := list(t, s, data.KindPerson)
	test.Type(l.search, "sidran")
	l.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	l = list(t, s, data.KindPerson)
	if w.Canvas().Focused() != l.search || l.search.SelectedText() != "sidran" {
		t.Fatalf("back on the list: focus %v, selected %q", w.Canvas().Focused(), l.search.SelectedText())
	}
}

func TestEnterInTheSearchOpensTheOnlyHit(t *testing.T) {
	s, _ := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	test.Type(l.search, "sidran")
	l.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.page == nil || !strings.Contains(s.page.title.Text, "Abdulah Sidran") {
		t.Fatalf("Enter on the only hit opened %v", s.page)
	}
}

func TestEnterTypedBeforeTheHitsCameOpensTheNewHit(t *testing.T) {
	s, _ := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	p := fakePlumbing(l)
	test.Type(l.search, "kovac")
	l.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // within the delay
	if !p.last(t).stopped {
		t.Fatal("Enter did not start the waiting search at once")
	}
	(<-p.ui)()
	if s.page == nil || !strings.Contains(s.page.title.Text, "Alen Kovač") {
		t.Fatalf("Enter before the hits came opened %v", s.page)
	}
}

func TestEnterOnARowOpensIt(t *testing.T) {
	s, w := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	l.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // three hits: to the table
	tab := l.table.Table()
	if w.Canvas().Focused() != tab {
		t.Fatal("Enter in the search bar with several hits does not move to the table")
	}
	tab.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	tab.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.page == nil || !strings.Contains(s.page.title.Text, "Alen Kovač") {
		t.Fatalf("down and Enter opened %v, want the second row", s.page)
	}
}

// TestListKeyboardMethods covers what the shell's shortcuts call: Ctrl+F
// (focusSearch), Enter (openSelected) and Ctrl+N (newRecord).
func TestListKeyboardMethods(t *testing.T) {
	s, w := newTestShell(t)
	threeAs(t, s)
	l := list(t, s, data.KindPerson)
	w.Canvas().Focus(l.table.Table())
	l.focusSearch()
	if w.Canvas().Focused() != l.search {
		t.Fatal("focusSearch did not focus the search bar")
	}
	w.Canvas().Focus(l.table.Table())
	l.openSelected() // the keyboard is on the first row
	if s.page == nil || !strings.Contains(s.page.title.Text, "Abdulah Sidran") {
		t.Fatalf("openSelected on the table opened %v", s.page)
	}
	b := list(t, s, data.KindBusiness)
	b.newRecord()
	if s.page == nil || !s.page.isNew || s.page.form.kind != data.KindBusiness {
		t.Fatalf("newRecord on the businesses list opened %+v", s.page)
	}
}

func TestEachListHasItsOwnSearchHint(t *testing.T) {
	s, _ := newTestShell(t)
	s.setLang(i18n.BS)
	hints := map[string]data.Kind{}
	for _, k := range data.Kinds {
		h := list(t, s, k).search.PlaceHolder
		if other, ok := hints[h]; ok {
			t.Fatalf("the %s and %s lists share the search hint %q", other, k, h)
		}
		hints[h] = k
	}
	loc := list(t, s, data.KindLocality).search.PlaceHolder
	if strings.Contains(loc, "zanimanje") || !strings.Contains(loc, "općina") {
		t.Fatalf("the local communities' hint is %q", loc)
	}
}
