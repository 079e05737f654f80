package app

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/store"
)

// The soft heap limit stays at its base while the live heap is well under
// it and rises a quarter above a live heap that comes near it (1,000,000
// persons with the index copied out: some 550 MB live); a limit another
// part set meanwhile (a merge's 768 MiB) is left alone.
func TestHeapLimitRisesAboveTheLiveHeap(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, want int64 }{
		{130 * mib, 768 * mib},
		{614 * mib, 768 * mib},
		{700 * mib, 875 * mib},
	} {
		if got, _ := nextHeapLimit(768*mib, 768*mib, 768*mib, c.live); got/mib != c.want/mib {
			t.Errorf("live %d MiB: limit %d MiB, want %d", c.live/mib, got/mib, c.want/mib)
		}
	}
	if _, set := nextHeapLimit(640*mib, 640*mib, 640*mib, 130*mib); set {
		t.Error("the limit was set again unchanged")
	}
	if _, set := nextHeapLimit(640*mib, 640*mib, 640*mib, 700*mib); !set {
		t.Error("the limit was not raised above the live heap")
	}
	if _, set := nextHeapLimit(640*mib, 640*mib, 768*mib, 700*mib); set {
		t.Error("a limit another part set was overridden")
	}
}

// reopenedRegistry is a registry on disk of three persons, reopened so that
// its index is answered from its snapshot file, and their IDs.
func reopenedRegistry(t *testing.T) (*store.Store, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range []string{"Amra", "Đorđe", "Lule"} {
		p := &data.Person{GivenName: n, FamilyName: "Test", Country: "DE", Gender: "f", BirthDate: data.NewDate(1980, 5, 1)}
		if err := st.Save(p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	// The app writes the language only when it changed: a write would
	// copy the index out too.
	if err := st.SetSetting(data.LangSetting, []byte("bs")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = store.Open(dir, store.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if !st.Index().InPlace() {
		t.Fatal("the reopened index is not answered from its snapshot")
	}
	return st, ids
}

// bigRegistryShell is the app on st as if st held more than eagerCopyMax
// records.
func bigRegistryShell(t *testing.T, st *store.Store) *Shell {
	t.Helper()
	old := eagerCopyMax
	eagerCopyMax = 2
	t.Cleanup(func() { eagerCopyMax = old })
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, "bs")
	s := New(a, a.NewWindow("Registar"), st)
	s.inline = true
	return s
}

// A registry over eagerCopyMax keeps its index answered from the snapshot
// file after the window is up (the copy would double its memory); a smaller
// one has it copied out a second after, for its first save not to wait.
func TestBigRegistryKeepsItsIndexInTheSnapshot(t *testing.T) {
	st, _ := reopenedRegistry(t)
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, "bs")
	New(a, a.NewWindow("Registar"), st)
	time.Sleep(1500 * time.Millisecond)
	if st.Index().InPlace() {
		t.Error("3 records: the index was not copied out of its snapshot")
	}

	st, _ = reopenedRegistry(t)
	bigRegistryShell(t, st)
	time.Sleep(1500 * time.Millisecond)
	if !st.Index().InPlace() {
		t.Error("a big registry's index was copied out with nothing changed")
	}
}

// In a big registry the index is copied out when a form is first changed,
// in the background, so that the save after it does not wait (2.1 s at
// 1,000,000 persons); opening a record to read it copies nothing.
func TestBigRegistryCopiesItsIndexOutAtTheFirstChange(t *testing.T) {
	st, ids := reopenedRegistry(t)
	s := bigRegistryShell(t, st)
	s.show("persons")
	s.openRecord(ids[0])
	time.Sleep(300 * time.Millisecond)
	if !st.Index().InPlace() {
		t.Fatal("opening a record copied the index out")
	}
	test.Type(entry(t, s, "city"), "Wien")
	deadline := time.Now().Add(3 * time.Second)
	for st.Index().InPlace() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st.Index().InPlace() {
		t.Error("the first change in a form did not copy the index out")
	}
}
