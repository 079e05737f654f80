package app

import (
	"context"
	"errors"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/fsnotify/fsnotify"

	"registar/data/i18n"
	"registar/data/store"
	datasync "registar/data/sync"
)

// The sync folder in the app: while one is chosen, a round of
// data/sync (write this laptop's changes, merge the others' files) runs
// when the registry opens, soon after an import or a merge, every few
// minutes, when files arrive in the folder, and once when the app closes.
// Rounds run one at a time on one goroutine of their own; what they did
// comes back to the window through fyne.Do and shows at the foot of the
// navigation ("Synced 3 min ago with 2 laptops").
//
// The folder's path is kept in the preferences, keyed by the registry's
// folder, not in the registry: it names a place on this computer (a drive
// letter, a user's profile, a mounted share), which a backup restored or a
// registry copied to another computer must not carry along. Such a copy
// takes a new laptop ID for the same reason (data/store's laptop.json), and
// would otherwise start writing into a folder it never chose.

// How often the sync runs by itself.
const (
	syncEvery    = 3 * time.Minute // a round: this laptop's changes go out
	syncPoll     = time.Minute     // a look at the folder, for shares that send no events
	syncDebounce = 2 * time.Second // after the last event of a burst of arriving files
	// syncCloseLimit bounds the round at close, well inside exitGrace:
	// the store must still close cleanly after it.
	syncCloseLimit = 2 * time.Second
)

// prefSyncFolder is the preference holding the sync folder of the registry
// in dir.
func prefSyncFolder(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil && dir != "" {
		dir = abs // the same registry, however --db named it
	}
	return "sync.folder:" + dir
}

// syncState is the shell's part of the sync: the rounds running for the
// folder chosen (none while no folder is) and the status area in the
// navigation.
type syncState struct {
	mu  sync.Mutex // guards run: the close may come from a signal's goroutine
	run *syncRunner

	area      *fyne.Container // the status at the foot of the navigation
	label     *widget.Label
	warnings  *widget.Label
	conflicts *widget.Button
}

// syncRunner runs the rounds of one folder for one open registry.
type syncRunner struct {
	shell  *Shell
	st     *store.Store // the registry it was started for (the shell's may change)
	folder *datasync.Folder
	kick   chan struct{} // a round is wanted (buffered: requests while one runs make one more)
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the loop has ended (nil: inline, no loop)
	stop1  sync.Once
	ended  atomic.Bool // stopped: results still arriving are not shown
	// rounds counts the rounds whose results were shown (tests wait on it).
	rounds atomic.Int64

	// What the status shows; read and written on the UI goroutine only.
	busy      bool
	sum       *datasync.Summary // of the last round that ran without error
	at        time.Time         // when it ended
	err       error             // of the last round, nil when it went well
	pending   int               // conflicts waiting on the Bundles screen
	errLogged string            // the error last logged, so a share away for hours logs once
}

// syncFolder is the sync folder chosen for the open registry, "" for none.
func (s *Shell) syncFolder() string {
	if s.store == nil {
		return ""
	}
	return s.app.Preferences().String(prefSyncFolder(s.store.Dir()))
}

// startSync starts the rounds for the folder chosen, if any; the first runs
// at once. Any rounds of a folder chosen before are stopped first.
func (s *Shell) startSync() {
	s.stopSync(0)
	dir := s.syncFolder()
	if dir == "" || s.store == nil {
		s.showSyncStatus()
		return
	}
	f := datasync.New(s.store, dir)
	f.Now = timeNow
	if s.store.Encrypted() {
		f.Passphrase = s.pass
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &syncRunner{shell: s, st: s.store, folder: f, kick: make(chan struct{}, 1), ctx: ctx, cancel: cancel, busy: true}
	if !s.inline {
		r.done = make(chan struct{}) // before it is published: stop reads it
	}
	s.sync.mu.Lock()
	s.sync.run = r
	s.sync.mu.Unlock()
	s.showSyncStatus()
	if s.inline {
		r.roundNow()
		return
	}
	go r.loop()
}

// stopSync stops the rounds, after one last round bounded by final when
// final > 0 (at close). It may be called from any goroutine, and twice.
func (s *Shell) stopSync(final time.Duration) {
	s.sync.mu.Lock()
	r := s.sync.run
	s.sync.run = nil
	s.sync.mu.Unlock()
	if r != nil {
		r.stop(final)
	}
}

// syncSoon asks for a round now (after an import or a merge, or the Sync
// now button), on the UI goroutine; one running already is followed by one
// more. Nothing happens without a sync folder.
func (s *Shell) syncSoon() {
	s.sync.mu.Lock()
	r := s.sync.run
	s.sync.mu.Unlock()
	if r == nil {
		return
	}
	if s.inline {
		r.roundNow()
		return
	}
	r.busy = true // "Syncing…" until the round ends
	s.showSyncStatus()
	select {
	case r.kick <- struct{}{}:
	default: // one is asked for already
	}
}

// setSyncFolder chooses the sync folder ("" for none) and starts over.
func (s *Shell) setSyncFolder(dir string) {
	p := s.app.Preferences()
	if dir == "" {
		p.RemoveValue(prefSyncFolder(s.store.Dir()))
	} else {
		p.SetString(prefSyncFolder(s.store.Dir()), dir)
	}
	s.startSync()
}

// loop is the goroutine that runs the rounds: at start, when kicked, on the
// ticker, after a burst of file events has settled and when a look at the
// folder finds it changed.
func (r *syncRunner) loop() {
	defer close(r.done)
	me, _ := r.st.LaptopID()
	w, err := fsnotify.NewWatcher()
	var events <-chan fsnotify.Event
	var errs <-chan error
	if err != nil {
		fyne.LogError("watching the sync folder (it is looked at every minute instead)", err)
	} else {
		defer w.Close()
		events, errs = w.Events, w.Errors
	}
	tick := time.NewTicker(syncEvery)
	defer tick.Stop()
	poll := time.NewTicker(syncPoll)
	defer poll.Stop()
	settle := time.NewTimer(syncDebounce)
	settle.Stop()
	defer settle.Stop()
	var seen uint64
	round := func() {
		watchFolder(w, r.folder.Dir)
		seen = folderPrint(r.folder.Dir, me)
		r.round()
	}
	round()
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-r.kick:
			round()
		case <-tick.C:
			round()
		case <-settle.C:
			round()
		case <-poll.C:
			if folderPrint(r.folder.Dir, me) != seen {
				round()
			} else {
				fyne.Do(r.shell.showSyncStatus) // "3 min ago" moves on
			}
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if othersFile(r.folder.Dir, me, ev) {
				if ev.Has(fsnotify.Create) {
					watchFolder(w, r.folder.Dir) // a laptop's new subfolder
				}
				settle.Reset(syncDebounce)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			fyne.LogError("watching the sync folder", err)
		}
	}
}

// round runs one round on the loop's goroutine and shows what it did.
func (r *syncRunner) round() {
	sum, err := r.folder.Round(r.ctx)
	if r.ctx.Err() != nil {
		return // stopping: the round at close says the last word
	}
	pending := r.countConflicts()
	fyne.Do(func() { r.show(sum, err, pending) })
}

// roundNow runs one round on the calling goroutine (tests: Shell.inline).
func (r *syncRunner) roundNow() {
	sum, err := r.folder.Round(r.ctx)
	r.show(sum, err, r.countConflicts())
}

// countConflicts counts the records waiting on the Bundles screen, or -1
// when they cannot be read.
func (r *syncRunner) countConflicts() int {
	c, err := r.st.Conflicts()
	if err != nil {
		return -1
	}
	return len(c)
}

// show takes a round's result on the UI goroutine.
func (r *syncRunner) show(sum *datasync.Summary, err error, pending int) {
	if r.ended.Load() {
		return
	}
	s := r.shell
	r.busy = false
	r.err = err
	if pending >= 0 {
		r.pending = pending
	}
	if err == nil {
		r.sum, r.at, r.errLogged = sum, timeNow(), ""
	} else if msg := err.Error(); msg != r.errLogged {
		fyne.LogError("syncing with "+r.folder.Dir, err)
		r.errLogged = msg
	}
	if sum != nil && len(sum.Merged) > 0 {
		s.refreshLists()
	}
	r.rounds.Add(1)
	s.showSyncStatus()
}

// refreshLists makes the lists read their records again after a merge, and
// the list on screen search again, so that records new to it show.
func (s *Shell) refreshLists() {
	s.invalidateLists()
	for k, key := range kindScreen {
		if l := s.lists[k]; l != nil && key == s.current {
			l.run()
		}
	}
}

// stop ends the loop, then runs the round at close if final > 0, waiting
// at most about final for both: the store closes after it whatever happens.
func (r *syncRunner) stop(final time.Duration) {
	r.stop1.Do(func() {
		r.ended.Store(true)
		r.cancel()
		last := func() {
			if r.done != nil {
				<-r.done
			}
			if final <= 0 {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), final)
			defer cancel()
			if _, err := r.folder.Round(ctx); err != nil {
				fyne.LogError("syncing with "+r.folder.Dir+" at close", err)
			}
		}
		if r.done == nil {
			last()
			return
		}
		finished := make(chan struct{})
		go func() { last(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(final + time.Second):
			fyne.LogError("syncing with "+r.folder.Dir, errors.New("the last round did not finish in time; the next start catches up"))
		}
	})
}

// laptopDir is the name of a laptop's subfolder in the sync folder (as
// data/sync writes it: the laptop ID, 16 hex digits).
var laptopDir = regexp.MustCompile(`^[0-9a-f]{16}$`)

// watchFolder watches the folder and every laptop's subfolder in it;
// errors are ignored, as the look every minute covers what events miss.
func watchFolder(w *fsnotify.Watcher, dir string) {
	if w == nil {
		return
	}
	_ = w.Add(dir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && laptopDir.MatchString(e.Name()) {
			_ = w.Add(filepath.Join(dir, e.Name()))
		}
	}
}

// othersFile tells an event worth a round: a file of another laptop's
// arriving (or renamed into place), or a new laptop's subfolder. This
// laptop's own writes are not.
func othersFile(dir, me string, ev fsnotify.Event) bool {
	rel, err := filepath.Rel(dir, ev.Name)
	if err != nil {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	switch {
	case len(parts) == 1:
		return laptopDir.MatchString(parts[0]) && parts[0] != me
	case len(parts) == 2:
		return laptopDir.MatchString(parts[0]) && parts[0] != me && strings.HasSuffix(parts[1], ".registar") &&
			!ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Chmod)
	}
	return false
}

// folderPrint is a fingerprint of the other laptops' files in the folder
// (names, sizes, times), 0 when the folder is not there: a cheap look that
// does not touch the registry.
func folderPrint(dir, me string) uint64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	h := fnv.New64a()
	for _, e := range entries {
		if !e.IsDir() || e.Name() == me || !laptopDir.MatchString(e.Name()) {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(dir, e.Name()))
		for _, f := range files {
			if !strings.HasSuffix(f.Name(), ".registar") {
				continue
			}
			var size, mod int64
			if fi, err := f.Info(); err == nil {
				size, mod = fi.Size(), fi.ModTime().UnixNano()
			} else if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			h.Write([]byte(e.Name() + "/" + f.Name() + ":" + strconv.FormatInt(size, 10) + ":" + strconv.FormatInt(mod, 10) + "\n"))
		}
	}
	return h.Sum64() | 1 // never 0, which says "not there"
}

// The status in the navigation.

// syncStatusArea is the status at the foot of the navigation, hidden while
// no sync folder is chosen.
func (s *Shell) syncStatusArea() fyne.CanvasObject {
	y := &s.sync
	y.label = widget.NewLabel("")
	y.label.Wrapping = fyne.TextWrapWord
	y.warnings = widget.NewLabel("")
	y.warnings.Wrapping = fyne.TextWrapWord
	y.warnings.Importance = widget.WarningImportance
	y.conflicts = widget.NewButtonWithIcon("", theme.WarningIcon(), s.showSyncConflicts)
	y.conflicts.Importance = widget.LowImportance
	y.conflicts.Alignment = widget.ButtonAlignLeading
	y.area = container.NewVBox(widget.NewSeparator(), y.label, y.warnings, y.conflicts)
	s.showSyncStatus()
	return y.area
}

// showSyncStatus writes the status of the last round into the navigation.
func (s *Shell) showSyncStatus() {
	y := &s.sync
	if y.area == nil {
		return
	}
	y.mu.Lock()
	r := y.run
	y.mu.Unlock()
	if r == nil {
		y.area.Hide()
		return
	}
	status, warnings, pending := r.status()
	y.label.SetText(status)
	y.label.Importance = widget.MediumImportance
	if r.err != nil {
		y.label.Importance = widget.WarningImportance
	}
	y.label.Refresh()
	y.warnings.SetText(strings.Join(warnings, "\n"))
	y.warnings.Hidden = len(warnings) == 0
	y.conflicts.SetText(s.T("syncui.status.conflicts", "n", strconv.Itoa(pending)))
	y.conflicts.Hidden = pending <= 0
	y.area.Show()
	y.area.Refresh()
}

// status is what the status area says: one line, the warnings (laptops
// silent for a week) and the conflicts waiting.
func (r *syncRunner) status() (line string, warnings []string, pending int) {
	s := r.shell
	switch {
	case errors.Is(r.err, datasync.ErrNoFolder):
		line = s.T("syncui.status.nofolder")
	case r.err != nil:
		line = s.T("syncui.status.failed", "reason", s.errorText(r.err))
	case r.busy || r.sum == nil:
		return s.T("syncui.status.syncing"), nil, r.pending
	case len(r.sum.Laptops) == 0:
		line = s.T("syncui.status.alone", "ago", agoText(s.lang, timeNow().Sub(r.at), r.at))
	default:
		n := len(r.sum.Laptops)
		line = s.T("syncui.status.synced", "ago", agoText(s.lang, timeNow().Sub(r.at), r.at),
			"laptops", s.T("syncui.laptops."+pluralForm(s.lang, n), "n", strconv.Itoa(n)))
	}
	if r.sum != nil {
		now := timeNow()
		for _, lp := range r.sum.Laptops {
			if lp.Silent(now, datasync.Week) {
				name := lp.Name
				if name == "" {
					name = lp.ID
				}
				warnings = append(warnings, s.T("sync.silent", "laptop", name,
					"days", strconv.Itoa(int(now.Sub(lp.Heard)/(24*time.Hour)))))
			}
		}
	}
	return line, warnings, r.pending
}

// showSyncConflicts opens the Bundles screen on its Conflicts tab.
func (s *Shell) showSyncConflicts() {
	s.app.Preferences().SetInt(prefBundlesTab, bundleTabConflicts)
	s.show("bundles")
}

// agoText says how long ago at was: "just now", "3 min ago", "2 h ago",
// or the date and time.
func agoText(l i18n.Lang, d time.Duration, at time.Time) string {
	n := func(v time.Duration) string { return strconv.Itoa(int(v)) }
	switch {
	case d < time.Minute:
		return i18n.T(l, "syncui.ago.now")
	case d < time.Hour:
		return i18n.T(l, "syncui.ago.min", "n", n(d/time.Minute))
	case d < 24*time.Hour:
		return i18n.T(l, "syncui.ago.hours", "n", n(d/time.Hour))
	}
	return i18n.T(l, "syncui.ago.date", "date", at.Local().Format("02.01.2006. 15:04"))
}

// pluralForm is the CLDR plural category of n: "one", "few" or "other"
// (Bosnian, Croatian and Serbian have all three; English and Albanian use
// "few" like "other").
func pluralForm(l i18n.Lang, n int) string {
	switch l {
	case i18n.BS, i18n.HR, i18n.SR, i18n.SRLatn:
		switch m10, m100 := n%10, n%100; {
		case m10 == 1 && m100 != 11:
			return "one"
		case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
			return "few"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}
