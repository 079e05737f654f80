package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data/bundle"
	"registar/data/i18n"
	"registar/data/store"
)

// bundleReceive is the Receive tab. Open bundle… reads a file and says
// whose it is; a sealed one asks for its passphrase; the merge is then
// previewed (nothing written) with its counts and the records it touches;
// Merge applies it as one step with a progress bar and a cancel (which
// rolls it back); the result offers Undo this merge.
type bundleReceive struct {
	screen *bundlesScreen
	shell  *Shell

	open     *widget.Button
	file     *widget.Label
	from     *widget.Label
	about    *widget.Label
	passRow  *fyne.Container
	pass     *widget.Entry
	passMsg  *widget.Label
	check    *widget.Button
	counts   map[string]*widget.Label
	heading  *widget.Label
	items    *widget.Table
	rows     []bundleItemRow
	status   *widget.Label
	merge    *widget.Button
	undo     *widget.Button
	lastUndo *widget.Button // Undo last merge: enabled while a merge is in effect
	toConf   *widget.Button
	toDupes  *widget.Button
	detail   *fyne.Container // shown once a bundle is open

	raw  []byte      // the file, when it is merged whole
	path string      // the file, when it is merged from disk in batches (a whole registry: bundle.InBatches)
	info bundle.Info // what it says about itself
	// passphrase opened the sealed bundle at path, for the merge after the
	// preview (a bundle merged whole is kept read and checked instead).
	passphrase string
	bundle     *bundle.Bundle // read and checked
	report     *bundle.Report // the preview, then the merge's result
	merged     bool
	job        jobRunner // reading, checking and merging, with the bar and Cancel
}

// bundleItemRow is a line of the table of what a merge does.
type bundleItemRow struct{ what, kind, title string }

// bundleCountKeys are the report's counts in the order shown.
var bundleCountKeys = []string{"added", "updated", "unchanged", "conflicts", "duplicates", "erased", "ignored", "tombstones"}

func (x *bundleReceive) buildUI() fyne.CanvasObject {
	s := x.shell
	intro := widget.NewLabel(s.T("bundleui.receive.intro"))
	intro.Wrapping = fyne.TextWrapWord
	x.open = widget.NewButtonWithIcon(s.T("bundleui.receive.open"), theme.FolderOpenIcon(), x.onOpen)
	x.open.Importance = widget.HighImportance
	x.file = widget.NewLabel("")
	x.file.Truncation = fyne.TextTruncateEllipsis
	x.lastUndo = widget.NewButtonWithIcon(s.T("bundleui.undo.last"), theme.ContentUndoIcon(), x.onUndoLast)
	x.lastUndo.Importance = widget.LowImportance
	x.job = jobRunner{shell: s, changed: x.onJobChanged}

	x.from = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	x.from.Wrapping = fyne.TextWrapWord
	x.about = widget.NewLabel("")
	x.about.Wrapping = fyne.TextWrapWord
	x.pass = widget.NewPasswordEntry()
	x.pass.SetPlaceHolder(s.T("bundleui.receive.pass"))
	x.pass.OnSubmitted = func(string) { x.onCheck() }
	x.check = widget.NewButtonWithIcon(s.T("bundleui.receive.check"), theme.ConfirmIcon(), x.onCheck)
	x.passMsg = widget.NewLabel("")
	x.passMsg.Importance = widget.DangerImportance
	x.passMsg.Wrapping = fyne.TextWrapWord
	sealed := widget.NewLabel(s.T("bundleui.receive.sealed"))
	sealed.Wrapping = fyne.TextWrapWord
	x.passRow = container.NewVBox(sealed, container.NewBorder(nil, nil, nil, x.check, x.pass), x.passMsg)
	x.passRow.Hide()

	x.counts = map[string]*widget.Label{}
	countForm := container.New(layout.NewFormLayout())
	for _, k := range bundleCountKeys {
		v := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		x.counts[k] = v
		countForm.Add(widget.NewLabel(s.T("bundle.count." + k)))
		countForm.Add(v)
	}
	x.heading = widget.NewLabelWithStyle(s.T("bundleui.receive.preview"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	x.items = x.itemTable()

	x.status = widget.NewLabel("")
	x.status.Wrapping = fyne.TextWrapWord
	x.merge = widget.NewButtonWithIcon(s.T("bundle.merge.apply"), theme.MailReplyAllIcon(), x.onMerge)
	x.merge.Importance = widget.HighImportance
	x.undo = widget.NewButtonWithIcon(s.T("bundle.merge.undo"), theme.ContentUndoIcon(), x.onUndo)
	x.toConf = widget.NewButtonWithIcon(s.T("bundleui.receive.toconflicts"), theme.WarningIcon(), func() { x.screen.showTab(bundleTabConflicts) })
	x.toDupes = widget.NewButtonWithIcon(s.T("bundleui.receive.todupes"), theme.ContentCopyIcon(), func() { x.screen.showTab(bundleTabDuplicates) })

	card := widget.NewCard("", "", container.NewVBox(x.from, x.about, x.passRow))
	left := container.NewVBox(x.heading, countForm)
	table := container.NewBorder(nil, nil, nil, nil, x.items)
	middle := container.NewBorder(nil, nil, container.NewPadded(left), nil, table)
	buttons := container.NewHBox(x.toConf, x.toDupes, x.undo, x.merge)
	bottom := container.NewBorder(nil, nil, nil, buttons, x.status)
	x.detail = container.NewBorder(card, bottom, nil, nil, middle)
	x.detail.Hide()

	top := container.NewVBox(intro, container.NewBorder(nil, nil, x.open, x.lastUndo, x.file))
	x.show()
	x.checkUndoLast()
	return container.NewPadded(container.NewBorder(top, x.job.progressView(), nil, nil, x.detail))
}

// itemTable lists the records a merge adds, updates, sets aside or erases.
func (x *bundleReceive) itemTable() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return len(x.rows), 3 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("Possible duplicates")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			r := x.rows[id.Row]
			o.(*widget.Label).SetText([]string{r.what, r.kind, r.title}[id.Col])
		})
	t.SetColumnWidth(0, 190)
	t.SetColumnWidth(1, 130)
	t.SetColumnWidth(2, 340)
	return t
}

// show puts the tab's widgets in the state of what was read and done.
func (x *bundleReceive) show() {
	s := x.shell
	x.undo.Hide()
	x.toConf.Hide()
	x.toDupes.Hide()
	x.merge.Hide()
	x.open.Enable()
	if !x.isOpen() {
		x.detail.Hide()
		return
	}
	x.detail.Show()
	rep := x.report
	for _, k := range bundleCountKeys {
		n := 0
		if rep != nil {
			n = rep.Counts()[k]
		}
		l := x.counts[k]
		l.SetText(i18n.FormatInt(n, x.shell.lang))
		switch {
		case rep == nil:
			l.SetText("")
		case n > 0 && (k == "conflicts" || k == "duplicates"):
			l.Importance = widget.WarningImportance
		case n == 0:
			l.Importance = widget.LowImportance
		default:
			l.Importance = widget.MediumImportance
		}
		l.Refresh()
	}
	x.rows = x.itemRows(rep)
	x.items.Refresh()
	if rep == nil {
		return
	}
	if x.merged {
		x.heading.SetText(s.T("bundleui.receive.result"))
		if rep.Step != "" {
			x.undo.Show()
		}
		if len(rep.Conflicts) > 0 {
			x.toConf.Show()
		}
		if len(rep.Duplicates) > 0 {
			x.toDupes.Show()
		}
		return
	}
	x.heading.SetText(s.T("bundleui.receive.preview"))
	x.merge.Show()
	if rep.Changed() {
		x.merge.Enable()
	} else {
		x.merge.Disable()
		x.status.SetText(s.T("bundle.merge.nothing"))
	}
}

// isOpen says whether a bundle is open (read whole or left on disk).
func (x *bundleReceive) isOpen() bool { return x.raw != nil || x.path != "" }

// appMergeMemoryLimit is the Go heap's soft limit while the app merges a
// whole registry from its file: at 1,000,000 records the CLI's 768 MiB
// left the app at 990–1,070 MiB resident at the peak (its window and
// renderer beside the merge).
const appMergeMemoryLimit = 704 << 20

// maxItemRows is how many records of each list (added, updated, …) the
// table shows; a line says how many more. A new laptop catching up adds a
// whole registry, and a million lines help nobody.
const maxItemRows = 1000

// shown is rep as the tab keeps it: what the table shows of its lists and
// the counts of the rest (Report.Trim). A preview of a whole registry's
// bundle held a million items (100 MB) through the merge after it.
func shown(rep *bundle.Report) *bundle.Report {
	rep.Trim(maxItemRows)
	return rep
}

// itemRows are the table's lines for a report: what happens to which record.
func (x *bundleReceive) itemRows(rep *bundle.Report) []bundleItemRow {
	if rep == nil {
		return nil
	}
	s := x.shell
	var rows []bundleItemRow
	// more: the list's records beyond its items (Report.Trim).
	add := func(what string, items []bundle.Item, more int) {
		for i, it := range items {
			if i == maxItemRows {
				more += len(items) - i
				break
			}
			rows = append(rows, bundleItemRow{what, s.T("kind." + string(it.Kind)), it.Title})
		}
		if more > 0 {
			rows = append(rows, bundleItemRow{what, "", s.T("bundleui.item.more", "n", i18n.FormatInt(more, s.lang))})
		}
	}
	add(s.T("bundleui.item.conflict"), rep.Conflicts, 0)
	for _, d := range rep.Duplicates {
		rows = append(rows, bundleItemRow{s.T("bundleui.item.duplicate"), s.T("kind." + string(d.Kind)),
			s.T("bundleui.item.duplicate.of", "name", d.Drop.Title, "other", d.Keep.Title)})
	}
	add(s.T("bundleui.item.added"), rep.Added, rep.AddedMore)
	add(s.T("bundleui.item.updated"), rep.Updated, rep.UpdatedMore)
	add(s.T("bundleui.item.erased"), rep.Erased, 0)
	add(s.T("bundleui.item.ignored"), rep.Ignored, 0)
	return rows
}

func (x *bundleReceive) onOpen() {
	s := x.shell
	bundleOpenDialog(s, func(r fyne.URIReadCloser, err error) {
		if err != nil {
			x.screen.showError("choosing a bundle", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		rememberFolder(s, prefBundlesFolder, r.URI())
		if r.URI().Scheme() == "file" {
			if err := r.Close(); err != nil {
				fyne.LogError("closing a bundle", err)
			}
			x.loadFile(r.URI().Path())
			return
		}
		name := r.URI().Name()
		var raw []byte
		x.job.start(s.T("bundleui.receive.reading"), func(ctx context.Context, _ func(int, int)) error {
			raw, err = io.ReadAll(ctxReader{ctx, r})
			if cerr := r.Close(); err == nil {
				err = cerr
			}
			return err
		}, func(err error) {
			if x.job.outcome("reading a bundle", err, x.screen.showError) != jobDone {
				x.show()
				return
			}
			x.load(raw, name)
		})
	})
}

// loadFile opens a bundle file on disk. One of up to a step's size is read
// into memory and goes on as load; a bigger one (a whole registry, a new
// laptop catching up) stays on disk and is previewed and merged from there
// in batches, in bounded memory (issue 18). Tests call it in place of the
// dialog.
func (x *bundleReceive) loadFile(path string) {
	name := filepath.Base(path)
	var raw []byte
	var info bundle.Info
	var infoErr error
	x.job.start(x.shell.T("bundleui.receive.reading"), func(ctx context.Context, _ func(int, int)) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if info, infoErr = bundle.ReadInfo(f); infoErr != nil || bundle.InBatches(info) {
			return nil // take says what is wrong, or the file stays on disk
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		raw, err = io.ReadAll(ctxReader{ctx, f})
		return err
	}, func(err error) {
		if x.job.outcome("reading a bundle", err, x.screen.showError) != jobDone {
			x.show()
			return
		}
		onDisk := path
		if raw != nil {
			onDisk = ""
		}
		x.take(info, infoErr, raw, onDisk, name)
	})
}

// load takes a bundle file's bytes: it says whose it is and, unless it is
// sealed, previews the merge. Tests call it in place of the dialog.
func (x *bundleReceive) load(raw []byte, name string) {
	info, err := bundle.ReadInfo(bytes.NewReader(raw))
	x.take(info, err, raw, "", name)
}

// take shows a bundle just opened, its bytes in raw or left on disk at
// path, and previews it unless it is sealed.
func (x *bundleReceive) take(info bundle.Info, err error, raw []byte, path, name string) {
	s := x.shell
	if err == nil {
		if me, _ := s.store.LaptopID(); info.Laptop == me {
			err = bundle.ErrOwnBundle
		}
	}
	x.raw, x.path, x.passphrase, x.bundle, x.report, x.merged = nil, "", "", nil, nil, false
	x.file.SetText(name)
	x.status.SetText("")
	if err != nil {
		x.show()
		x.screen.showError("opening a bundle", err)
		return
	}
	x.raw, x.path, x.info = raw, path, info
	x.from.SetText(s.T("bundle.merge.from", "laptop", info.LaptopName, "time", bundleTime(info.Created)))
	about := s.T("bundleui.receive.contents", "n", i18n.FormatInt(info.RecordCount, s.lang), "e", i18n.FormatInt(info.TombstoneCount, s.lang))
	if info.Since.IsZero() {
		about += " " + s.T("bundleui.receive.whole")
	} else {
		about += " " + s.T("bundleui.receive.since", "date", bundleTime(info.Since))
	}
	x.about.SetText(about)
	x.pass.SetText("")
	x.passMsg.SetText("")
	x.passMsg.Hide()
	if info.Encrypted {
		x.passRow.Show()
		x.show()
		x.shell.window.Canvas().Focus(x.pass)
		return
	}
	x.passRow.Hide()
	x.read("")
}

// onCheck opens a sealed bundle with the passphrase typed.
func (x *bundleReceive) onCheck() {
	if !x.isOpen() {
		return
	}
	x.read(x.pass.Text)
}

// read checks the whole bundle and previews its merge, off the UI goroutine.
func (x *bundleReceive) read(pass string) {
	s := x.shell
	st := s.store
	raw, path := x.raw, x.path
	var b *bundle.Bundle
	var rep *bundle.Report
	x.job.start(s.T("bundleui.receive.checking"), func(ctx context.Context, progress func(int, int)) error {
		var err error
		if path != "" {
			// Checked whole, then planned batch by batch, nothing written.
			rep, err = bundle.MergeFile(ctx, st, path, pass, bundle.MergeOptions{DryRun: true, Progress: progress})
		} else {
			b, err = bundle.Read(ctxReader{ctx, bytes.NewReader(raw)}, pass)
			if err == nil {
				rep, err = bundle.Preview(st, b)
			}
		}
		if err == nil {
			err = ctx.Err() // cancelled during the preview: drop it
		}
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, context.Canceled):
			x.raw, x.path = nil, ""
			x.status.SetText("")
			x.show()
			return
		case errors.Is(err, bundle.ErrWrongPassphrase), errors.Is(err, bundle.ErrNeedPassphrase):
			x.passMsg.SetText(bundle.Message(err, s.lang))
			x.passMsg.Show()
			x.status.SetText("")
			x.show()
			return
		case err != nil:
			x.raw, x.path = nil, ""
			x.status.SetText("")
			x.show()
			x.screen.showError("reading a bundle", err)
			return
		}
		x.passRow.Hide()
		x.bundle, x.report, x.passphrase = b, shown(rep), pass
		x.status.SetText(s.T("bundleui.receive.previewed"))
		x.show()
	})
}

// onJobChanged disables opening and merging while a job runs; when it
// ends, show (which the job's done calls) has set Merge as the result
// allows.
func (x *bundleReceive) onJobChanged() {
	if x.job.busy {
		x.open.Disable()
		x.merge.Disable()
		x.lastUndo.Disable()
		return
	}
	x.open.Enable()
	x.checkUndoLast()
}

// checkUndoLast enables "Undo last merge" while a merge is in effect; it
// reads only the store's undo markers.
func (x *bundleReceive) checkUndoLast() {
	_, err := x.shell.store.LastStep(store.StepMerge)
	if err != nil && !errors.Is(err, store.ErrNothingToUndo) {
		fyne.LogError("looking for the last merge", err)
	}
	if err == nil && !x.job.busy {
		x.lastUndo.Enable()
	} else {
		x.lastUndo.Disable()
	}
}

// onMerge applies the bundle, off the UI goroutine, with a progress bar
// and a cancel. A bundle merged whole is one step, and a cancel rolls it
// back; one merged from disk in batches is a step a batch, and a cancel or
// a failure keeps the batches done, which Undo this merge takes back.
func (x *bundleReceive) onMerge() {
	s := x.shell
	st := s.store
	b, path, pass, info := x.bundle, x.path, x.passphrase, x.info
	if b == nil && path == "" {
		return
	}
	x.status.SetText("")
	var rep *bundle.Report
	x.job.start(s.T("bundleui.receive.merging"), func(ctx context.Context, progress func(int, int)) error {
		var err error
		if path != "" {
			rep, err = bundle.MergeFile(ctx, st, path, pass, bundle.MergeOptions{Progress: progress, MemoryLimit: appMergeMemoryLimit})
		} else {
			rep, err = bundle.Merge(ctx, st, b, bundle.MergeOptions{Progress: progress})
		}
		return err
	}, func(err error) {
		outcome := x.job.outcome("merging a bundle", err, x.screen.showError)
		if outcome != jobDone && rep != nil && len(rep.Steps) > 0 {
			// Batches landed before the cancel or the failure.
			x.report, x.merged = shown(rep), true
			s.invalidateLists()
			c := rep.Counts()
			x.status.SetText(s.T("bundleui.receive.partial", "n", i18n.FormatInt(c["added"]+c["updated"]+c["conflicts"], s.lang)))
			x.show()
			x.screen.conflicts.reload("")
			return
		}
		switch outcome {
		case jobCancelled:
			x.status.SetText(s.T("bundleui.receive.cancelled"))
			x.show()
			return
		case jobFailed:
			x.show()
			return
		}
		x.report, x.merged = shown(rep), true
		s.invalidateLists()
		s.syncSoon()
		x.status.SetText(s.T("bundleui.receive.done", "laptop", info.LaptopName))
		x.show()
		x.screen.conflicts.reload("")
		x.screen.send.loadPeers()
	})
}

// onUndo asks, then undoes the merge just made.
func (x *bundleReceive) onUndo() {
	if x.report == nil || x.report.Step == "" {
		return
	}
	steps := x.report.Steps // a merge in batches: a step each
	if len(steps) == 0 {
		steps = []string{x.report.Step}
	}
	x.confirmUndo(timeNow(), x.report.Counts(), steps)
}

// onUndoLast finds the newest merge still in effect and offers to undo it.
func (x *bundleReceive) onUndoLast() {
	s := x.shell
	st := s.store
	var last *store.AuditEntry
	var err error
	s.background(func() {
		var e store.AuditEntry
		if e, err = st.LastStep(store.StepMerge); err == nil {
			last = &e
		} else if errors.Is(err, store.ErrNothingToUndo) {
			err = nil
		}
	}, func() {
		switch {
		case err != nil:
			x.screen.showError("looking for the last merge", err)
		case last == nil:
			dialog.ShowInformation(s.T("bundleui.undo.title"), s.T("bundleui.undo.none"), s.window)
		default:
			x.confirmUndo(last.Time, last.Counts, []string{last.Key})
		}
	})
}

// confirmUndo says what undoing the merge does, then does it.
func (x *bundleReceive) confirmUndo(at time.Time, counts map[string]int, steps []string) {
	s := x.shell
	msg := widget.NewLabel(s.T("bundleui.undo.confirm", "date", bundleTime(at),
		"added", i18n.FormatInt(counts["added"], s.lang), "updated", i18n.FormatInt(counts["updated"], s.lang),
		"conflicts", i18n.FormatInt(counts["conflicts"], s.lang)))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(s.T("bundleui.undo.title"), s.T("bundle.merge.undo"), s.T("fyne.Cancel"),
		container.NewGridWrap(fyne.NewSize(460, msg.MinSize().Height*5), msg), func(ok bool) {
			if ok {
				x.undoSteps(steps)
			}
		}, s.window)
	d.Show()
}

// undoSteps takes a merge back: its one step, or the steps of its batches,
// last first, with the bar.
func (x *bundleReceive) undoSteps(steps []string) {
	s := x.shell
	st := s.store
	x.status.SetText(s.T("bundleui.undo.busy"))
	x.job.start(s.T("bundleui.undo.busy"), func(ctx context.Context, progress func(int, int)) error {
		for i := len(steps) - 1; i >= 0; i-- {
			if _, err := st.Undo(ctx, steps[i]); err != nil {
				return err
			}
			progress(len(steps)-i, len(steps))
		}
		return nil
	}, func(err error) {
		s.invalidateLists()
		x.checkUndoLast()
		x.screen.conflicts.reload("")
		if x.job.outcome("undoing a merge", err, x.screen.showError) != jobDone {
			x.status.SetText("")
			return
		}
		if x.report != nil && x.report.Step == steps[len(steps)-1] {
			// The bundle can be merged again: preview it anew.
			x.merged, x.report = false, nil
			if x.path != "" {
				x.read(x.passphrase) // from the file, with the bar
				return
			}
			if x.bundle != nil {
				if rep, err := bundle.Preview(st, x.bundle); err == nil {
					x.report = shown(rep)
				}
			}
		}
		x.show()
		x.status.SetText(s.T("bundleui.undo.done"))
	})
}
