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
// it and rises a third above a live heap that comes near it (1,000,000
// persons with the index copied out: some 700 MB live).
func TestHeapLimitRisesAboveTheLiveHeap(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, want int64 }{
		{130 * mib, 768 * mib},
		{576 * mib, 768 * mib},
		{700 * mib, 933 * mib},
	} {
		if got := heapLimitFor(768*mib, c.live); got/mib != c.want/mib {
			t.Errorf("live %d MiB: limit %d MiB, want %d", c.live/mib, got/mib, c.want/mib)
		}
	}
}

// A registry over eagerCopyMax keeps its index answered from the snapshot
// file after the window is up (the copy would double its memory); a smaller
// one has it copied out a second after, for its first save not to wait.
func TestBigRegistryKeepsItsIndexInTheSnapshot(t *testing.T) {
	for _, big := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "db")
		st, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"Amra", "Đorđe", "Lule"} {
			if err := st.Save(&data.Person{GivenName: n, FamilyName: "Test", Country: "DE", Gender: "f", BirthDate: data.NewDate(1980, 5, 1)}); err != nil {
				t.Fatal(err)
			}
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
		if !st.Index().InPlace() {
			t.Fatal("the reopened index is not answered from its snapshot")
		}
		old := eagerCopyMax
		if big {
			eagerCopyMax = 2
		}
		a := test.NewTempApp(t)
		a.Preferences().SetString(prefLang, "bs")
		New(a, a.NewWindow("Registar"), st)
		time.Sleep(1500 * time.Millisecond)
		eagerCopyMax = old
		if got := st.Index().InPlace(); got != big {
			t.Errorf("3 records, eagerCopyMax %d: index in the snapshot %v, want %v", map[bool]int{false: old, true: 2}[big], got, big)
		}
		st.Close()
	}
}
