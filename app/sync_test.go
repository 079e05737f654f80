package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
	datasync "registar/data/sync"
)

// answerFolderDialog makes the folder dialog answer dir ("" cancels).
func answerFolderDialog(t *testing.T, dir string) {
	t.Helper()
	old := exchangeOpenFolder
	exchangeOpenFolder = func(_ *Shell, _ string, cb func(fyne.ListableURI, error)) {
		if dir == "" {
			cb(nil, nil)
			return
		}
		l, err := storage.ListerForURI(storage.NewFileURI(dir))
		cb(l, err)
	}
	t.Cleanup(func() { exchangeOpenFolder = old })
}

// settingsOf shows Settings and returns the screen's content.
func settingsOf(s *Shell) fyne.CanvasObject {
	s.showNow("settings")
	return s.content.Objects[0]
}

// laptopFiles lists the files a laptop wrote in the sync folder.
func laptopFiles(t *testing.T, dir string, s *Shell) []string {
	t.Helper()
	id, err := s.store.LaptopID()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, id))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// Two registries share one folder: a person saved on the office's laptop
// reaches Amra's through the office's round and hers, her list shows it,
// and her status says with whom she synced; a week later it warns.
func TestSyncCarriesAChangeToTheOtherRegistry(t *testing.T) {
	dir := t.TempDir()
	office, _ := newTestShell(t)
	if err := office.store.SetLaptopName("Ured"); err != nil {
		t.Fatal(err)
	}
	office.setSyncFolder(dir)
	p := addPerson(t, office, "Selma", "Begić", "AT")
	office.syncSoon()
	if files := laptopFiles(t, dir, office); len(files) != 1 || files[0] != datasync.FileName(1) {
		t.Fatalf("the office's round wrote %v", files)
	}

	amra, _ := newTestShell(t)
	before := list(t, amra, data.KindPerson) // shown before the round: it must refresh
	if got := titles(before); len(got) != 0 {
		t.Fatalf("Amra's list before syncing: %v", got)
	}
	amra.setSyncFolder(dir) // the round at start
	if _, err := amra.store.Get(p.ID); err != nil {
		t.Fatalf("the office's person did not reach Amra's registry: %v", err)
	}
	if got := titles(before); len(got) != 1 || got[0] != "Selma Begić" {
		t.Fatalf("Amra's list on screen after syncing: %v", got)
	}
	y := &amra.sync
	if y.area.Hidden || y.label.Text != "Synced just now with 1 laptop." {
		t.Fatalf("status: hidden %v, %q", y.area.Hidden, y.label.Text)
	}
	if !y.warnings.Hidden || !y.conflicts.Hidden {
		t.Fatalf("warnings %q, conflicts %q shown after a clean round", y.warnings.Text, y.conflicts.Text)
	}

	// Eight days on, with nothing heard from the office.
	old := timeNow
	timeNow = func() time.Time { return fixedNow.Add(8 * 24 * time.Hour) }
	t.Cleanup(func() { timeNow = old })
	amra.syncSoon()
	if want := "Nothing heard from Ured for 8 days"; y.warnings.Hidden || !strings.HasPrefix(y.warnings.Text, want) {
		t.Fatalf("after a week of silence the warning is %q (hidden %v), want %q…", y.warnings.Text, y.warnings.Hidden, want)
	}
	if y.label.Text != "Synced just now with 1 laptop." {
		t.Fatalf("status after a week: %q", y.label.Text)
	}
}

// The status speaks the user's language, with the right plural.
func TestSyncStatusInBosnian(t *testing.T) {
	dir := t.TempDir()
	office, _ := newTestShell(t)
	office.setSyncFolder(dir)
	addPerson(t, office, "Selma", "Begić", "AT")
	office.syncSoon()
	amra, _ := newTestShell(t)
	amra.setLang(i18n.BS)
	amra.setSyncFolder(dir)
	if got := amra.sync.label.Text; got != "Sinhronizovano upravo sada s 1 računarom." {
		t.Fatalf("Bosnian status: %q", got)
	}
	for n, want := range map[int]string{1: "one", 2: "few", 4: "few", 5: "other", 11: "other", 12: "other", 21: "one", 22: "few"} {
		if got := pluralForm(i18n.BS, n); got != want {
			t.Errorf("plural of %d: %s, want %s", n, got, want)
		}
	}
}

// Settings chooses the folder (the first round runs at once) and clears it
// (the status goes away, no more rounds); a cancelled dialog changes nothing.
func TestSyncFolderChosenAndClearedInSettings(t *testing.T) {
	s, w := newTestShell(t)
	addPerson(t, s, "Edin", "Hasić", "DE")
	page := settingsOf(s)
	if !hasText(page, "No sync folder: this laptop does not sync. Bundles can still be carried by hand (Bundles screen).") {
		t.Fatal("Settings does not say that no sync folder is chosen")
	}
	if b := findButton(page, "Stop syncing"); b == nil || !b.Disabled() {
		t.Fatal("Stop syncing is missing or enabled without a folder")
	}
	if !s.sync.area.Hidden {
		t.Fatal("the sync status shows without a sync folder")
	}

	answerFolderDialog(t, "")
	test.Tap(findButton(page, "Choose folder…"))
	if s.syncFolder() != "" {
		t.Fatal("a cancelled dialog chose a folder")
	}

	dir := t.TempDir()
	answerFolderDialog(t, dir)
	test.Tap(findButton(page, "Choose folder…"))
	if got := s.syncFolder(); got != dir {
		t.Fatalf("sync folder %q, want %q", got, dir)
	}
	if !hasText(page, "Folder: "+dir) {
		t.Fatal("Settings does not show the folder chosen")
	}
	if files := laptopFiles(t, dir, s); len(files) != 1 {
		t.Fatalf("choosing the folder ran no round: %v", files)
	}
	if s.sync.area.Hidden || s.sync.label.Text != "Synced just now. No other laptop has written to the folder yet." {
		t.Fatalf("status after choosing: %q", s.sync.label.Text)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("choosing a folder left a dialog open")
	}

	test.Tap(findButton(page, "Stop syncing"))
	if s.syncFolder() != "" || !s.sync.area.Hidden {
		t.Fatalf("after Stop syncing: folder %q, status hidden %v", s.syncFolder(), s.sync.area.Hidden)
	}
	addPerson(t, s, "Ana", "Kovač", "DE")
	s.syncSoon()
	if files := laptopFiles(t, dir, s); len(files) != 1 {
		t.Fatalf("a round ran after the folder was cleared: %v", files)
	}
	if !hasText(page, "No sync folder: this laptop does not sync. Bundles can still be carried by hand (Bundles screen).") {
		t.Fatal("Settings still shows a folder after Stop syncing")
	}
}

// A folder that is not there (a share not connected) is a quiet warning in
// the status, round after round, never a dialog; when it comes back the
// next round syncs.
func TestSyncMissingFolderWarnsWithoutDialog(t *testing.T) {
	s, w := newTestShell(t)
	dir := filepath.Join(t.TempDir(), "share")
	s.setSyncFolder(dir)
	for i := 0; i < 3; i++ {
		if w.Canvas().Overlays().Top() != nil {
			t.Fatalf("round %d: a dialog opened for a missing folder", i+1)
		}
		y := &s.sync
		want := "Not synced: the sync folder is not there. Connect the drive or network share that holds it."
		if y.area.Hidden || y.label.Text != want || y.label.Importance != widget.WarningImportance {
			t.Fatalf("round %d: status %q (importance %v, hidden %v)", i+1, y.label.Text, y.label.Importance, y.area.Hidden)
		}
		s.syncSoon()
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("the missing folder was created in its place")
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	addPerson(t, s, "Edin", "Hasić", "DE")
	s.syncSoon()
	if s.sync.label.Importance == widget.WarningImportance || len(laptopFiles(t, dir, s)) != 1 {
		t.Fatalf("the folder came back but the round did not sync: %q", s.sync.label.Text)
	}
}

// Closing the app writes what was saved since the last round.
func TestSyncRoundAtClose(t *testing.T) {
	s, _ := newTestShell(t)
	dir := t.TempDir()
	s.setSyncFolder(dir)
	addPerson(t, s, "Edin", "Hasić", "DE")
	if files := laptopFiles(t, dir, s); len(files) != 0 {
		t.Fatalf("written before the close: %v", files)
	}
	s.Close()
	if files := laptopFiles(t, dir, s); len(files) != 1 {
		t.Fatalf("the close wrote %v", files)
	}
}

// Conflicts a round brings point to the Bundles screen's Conflicts tab.
func TestSyncConflictsPointToBundles(t *testing.T) {
	dir := t.TempDir()
	office, _ := newTestShell(t)
	office.setSyncFolder(dir)
	p := addPerson(t, office, "Selma", "Begić", "AT")
	office.syncSoon()
	amra, _ := newTestShell(t)
	amra.setSyncFolder(dir)
	// Both change the same person before they sync again.
	for _, s := range []*Shell{office, amra} {
		r, err := s.store.Get(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		r.(*data.Person).City = map[*Shell]string{office: "Graz", amra: "Linz"}[s]
		if err := s.store.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	office.syncSoon()
	amra.syncSoon()
	b := amra.sync.conflicts
	if b.Hidden || b.Text != "Conflicts to settle: 1" {
		t.Fatalf("conflicts button: hidden %v, %q", b.Hidden, b.Text)
	}
	test.Tap(b)
	if amra.current != "bundles" || amra.app.Preferences().Int(prefBundlesTab) != bundleTabConflicts {
		t.Fatalf("the button went to %q, tab %d", amra.current, amra.app.Preferences().Int(prefBundlesTab))
	}
}

// With rounds on their own goroutine, a file arriving in the folder is
// merged without anyone asking: the watcher sees it (the deadline is far
// beyond the debounce and far below the minute of polling). The other
// laptop is a bare registry here: the test driver runs fyne.Do on the
// calling goroutine, so nothing else may touch Fyne while rounds run.
func TestSyncMergesFilesAsTheyArrive(t *testing.T) {
	dir := t.TempDir()
	office, err := store.Open("", store.Options{InMemory: true, User: "office", Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { office.Close() })
	amra, _ := newTestShell(t)
	amra.inline = false
	amra.setSyncFolder(dir)
	t.Cleanup(func() { amra.stopSync(0) })
	amra.sync.mu.Lock()
	r := amra.sync.run
	amra.sync.mu.Unlock()
	waitFor(t, "the round at start", func() bool { return r.rounds.Load() >= 1 })

	p := &data.Person{GivenName: "Selma", FamilyName: "Begić", Country: "AT", Gender: "f", BirthDate: data.NewDate(1985, 3, 12)}
	if err := office.Save(p); err != nil {
		t.Fatal(err)
	}
	if _, err := datasync.New(office, dir).Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a round set off by the office's file", func() bool { return r.rounds.Load() >= 2 })
	amra.stopSync(0)
	if _, err := amra.store.Get(p.ID); err != nil {
		t.Fatalf("the round the file set off did not merge it: %v", err)
	}
}

// waitFor waits for cond, failing after a deadline far beyond any delay
// the sync itself has (the 2 s debounce).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOverlappingFolders(t *testing.T) {
	sep := string(filepath.Separator)
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{sep + "reg", sep + "reg", true},
		{sep + "reg" + sep + "sync", sep + "reg", true},
		{sep + "sync", sep + "sync" + sep + "reg", true},
		{sep + "sync", sep + "reg", false},
		{sep + "regs", sep + "reg", false},
		{sep + "sync", "", false},
	} {
		if got := overlaps(c.a, c.b); got != c.want {
			t.Errorf("overlaps(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
