package app

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data/bundle"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/widgets"
)

// bundleSend is the Send tab: this laptop's name, what the bundle carries
// (the changes not yet sent to a laptop, the changes since a day, or the
// whole registry), an optional passphrase, and Save bundle….
type bundleSend struct {
	screen *bundlesScreen
	shell  *Shell

	name     *widget.Entry
	nameSave *widget.Button
	id       *widget.Label
	peers    []bundle.Peer
	peerBox  *fyne.Container
	what     *widget.Select
	since    *widgets.DateEntry
	hint     *widget.Label
	pass     *widget.Entry
	save     *widget.Button
	job      jobRunner // writing the bundle, with an endless bar and Cancel
	status   *widget.Label
}

// errBadSinceDate is the error of a "since" day that is not a date.
var errBadSinceDate = errors.New("not a date")

func (x *bundleSend) buildUI() fyne.CanvasObject {
	s := x.shell
	st := s.store
	intro := widget.NewLabel(s.T("bundleui.send.intro"))
	intro.Wrapping = fyne.TextWrapWord

	x.name = widget.NewEntry()
	x.name.SetText(st.LaptopName())
	x.name.OnChanged = func(string) { x.nameSave.Enable() }
	x.name.OnSubmitted = func(string) { x.onSaveName() }
	x.nameSave = widget.NewButtonWithIcon(s.T("fyne.Save"), theme.DocumentSaveIcon(), x.onSaveName)
	x.nameSave.Disable()
	id, err := st.LaptopID()
	if err != nil {
		fyne.LogError("reading the laptop ID", err)
	}
	x.id = widget.NewLabel(s.T("bundle.laptop.id") + ": " + id)
	x.id.Importance = widget.LowImportance
	x.id.Selectable = true
	nameHint := widget.NewLabel(s.T("bundleui.laptop.hint"))
	nameHint.Wrapping = fyne.TextWrapWord
	nameHint.Importance = widget.LowImportance
	laptop := widget.NewCard(s.T("bundleui.laptop.title"), "", container.NewVBox(
		widget.NewForm(widget.NewFormItem(s.T("bundle.laptop.name"), container.NewBorder(nil, nil, nil, x.nameSave, x.name))),
		nameHint, x.id))

	x.peerBox = container.NewVBox()
	peers := widget.NewCard(s.T("bundleui.peers.title"), "", x.peerBox)

	x.what = widget.NewSelect(nil, func(string) { x.onWhatChanged() })
	x.since = widgets.NewDateEntry(s.T("ui.form.dateformat"))
	x.since.OnChanged = func(string) { x.onWhatChanged() }
	x.hint = widget.NewLabel("")
	x.hint.Wrapping = fyne.TextWrapWord
	x.pass = widget.NewPasswordEntry()
	x.pass.SetPlaceHolder(s.T("bundle.passphrase"))
	passHint := widget.NewLabel(s.T("bundleui.send.pass.hint"))
	passHint.Wrapping = fyne.TextWrapWord
	passHint.Importance = widget.LowImportance
	x.save = widget.NewButtonWithIcon(s.T("bundleui.send.save"), theme.DocumentSaveIcon(), x.onSave)
	x.save.Importance = widget.HighImportance
	x.job = jobRunner{shell: s, changed: x.onJobChanged}
	x.status = widget.NewLabel("")
	x.status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(s.T("bundleui.send.what"), container.NewVBox(x.what, x.since)),
		widget.NewFormItem("", x.hint),
		widget.NewFormItem(s.T("bundleui.send.pass"), x.pass),
		widget.NewFormItem("", passHint),
	)
	send := widget.NewCard(s.T("bundle.export"), "", container.NewVBox(form,
		container.NewBorder(nil, nil, nil, x.save, x.job.progressView()), x.status))

	x.loadPeers()
	left := container.NewVBox(intro, send)
	right := container.NewVBox(laptop, peers)
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(left)), container.NewVScroll(container.NewPadded(right)))
	split.SetOffset(0.6)
	return split
}

// loadPeers reads the laptops this one exchanges with and offers them.
func (x *bundleSend) loadPeers() {
	s := x.shell
	peers, err := bundle.Peers(s.store)
	if err != nil {
		fyne.LogError("reading the laptops", err)
	}
	x.peers = peers
	x.peerBox.RemoveAll()
	if len(peers) == 0 {
		none := widget.NewLabel(s.T("bundleui.peers.none"))
		none.Wrapping = fyne.TextWrapWord
		none.Importance = widget.LowImportance
		x.peerBox.Add(none)
	}
	for _, p := range peers {
		name := widget.NewLabelWithStyle(peerName(p), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		var lines []string
		if !p.Merged.IsZero() {
			lines = append(lines, s.T("bundleui.peers.merged", "date", bundleTime(p.Merged)))
		}
		if !p.Sent.IsZero() {
			lines = append(lines, s.T("bundleui.peers.sent", "date", bundleTime(p.Sent)))
		} else {
			lines = append(lines, s.T("bundleui.peers.notsent"))
		}
		detail := widget.NewLabel(strings.Join(lines, "\n"))
		detail.Importance = widget.LowImportance
		x.peerBox.Add(container.NewVBox(name, detail))
	}
	options := make([]string, 0, len(peers)+2)
	for _, p := range peers {
		options = append(options, s.T("bundleui.send.to", "laptop", peerName(p)))
	}
	options = append(options, s.T("bundleui.send.since"), s.T("bundle.export.everything"))
	sel := x.what.SelectedIndex()
	x.what.SetOptions(options)
	if sel < 0 || sel >= len(options) {
		sel = 0 // the first laptop, or else the changes since a day
		if len(peers) == 0 {
			sel = len(options) - 1 // the whole registry
		}
	}
	x.what.SetSelectedIndex(sel)
}

// peerName is how a laptop is shown: its name, or its ID if it has none.
func peerName(p bundle.Peer) string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}

// choice says what the selection means: a laptop (peer ≥ 0), the changes
// since a day, or the whole registry.
func (x *bundleSend) choice() (peer int, since bool) {
	i := x.what.SelectedIndex()
	switch {
	case i >= 0 && i < len(x.peers):
		return i, false
	case i == len(x.peers):
		return -1, true
	}
	return -1, false
}

// onWhatChanged shows the day entry only when it is needed and says in a
// sentence what the bundle will carry.
func (x *bundleSend) onWhatChanged() {
	if x.hint == nil {
		return // still building
	}
	s := x.shell
	peer, since := x.choice()
	if since {
		x.since.Show()
	} else {
		x.since.Hide()
	}
	hint, ok := "", true
	switch {
	case peer >= 0:
		p := x.peers[peer]
		if p.Sent.IsZero() {
			hint = s.T("bundleui.send.to.first", "laptop", peerName(p))
		} else {
			hint = s.T("bundleui.send.to.hint", "laptop", peerName(p), "date", bundleTime(p.Sent))
		}
	case since:
		if _, err := x.sinceTime(); err != nil {
			hint, ok = s.T("bundleui.send.baddate"), false
		} else {
			hint = s.T("bundleui.send.since.hint")
		}
	default:
		hint = s.T("bundleui.send.everything.hint")
	}
	x.hint.SetText(hint)
	if ok {
		x.hint.Importance = widget.MediumImportance
		x.save.Enable()
	} else {
		x.hint.Importance = widget.DangerImportance
		x.save.Disable()
	}
	x.hint.Refresh()
}

// sinceTime is the start of the day typed, in local time.
func (x *bundleSend) sinceTime() (time.Time, error) {
	d, err := x.since.Date()
	if err != nil || d.IsZero() {
		return time.Time{}, errBadSinceDate
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.Local), nil
}

// options are the export options the tab shows.
func (x *bundleSend) options() (bundle.ExportOptions, error) {
	opt := bundle.ExportOptions{Passphrase: x.pass.Text}
	peer, since := x.choice()
	switch {
	case peer >= 0:
		opt.To = x.peers[peer].ID
	case since:
		t, err := x.sinceTime()
		if err != nil {
			return opt, err
		}
		opt.Since = t
	}
	return opt, nil
}

func (x *bundleSend) onSaveName() {
	s := x.shell
	name := strings.TrimSpace(x.name.Text)
	if name == "" {
		x.name.SetText(s.store.LaptopName())
		x.nameSave.Disable()
		return
	}
	if err := s.store.SetLaptopName(name); err != nil {
		x.screen.showError("naming the laptop", err)
		return
	}
	x.nameSave.Disable()
	x.status.SetText(s.T("bundleui.laptop.saved"))
}

// fileName is the name the save dialog proposes: the laptop and the day,
// in plain letters so that every computer can show it.
func (x *bundleSend) fileName() string {
	name := strings.Join(fold.Words(x.shell.store.LaptopName()), "-")
	if name == "" {
		name = "laptop"
	}
	return "registar-" + name + "-" + timeNow().Format("2006-01-02") + bundleExt
}

// onSave asks where to write the bundle, then writes it.
func (x *bundleSend) onSave() {
	if _, err := x.options(); err != nil {
		return
	}
	s := x.shell
	name := x.fileName()
	s.saveAs(func(cb func(fyne.URIWriteCloser, error)) { bundleSaveDialog(s, name, cb) },
		"saving a bundle", prefBundlesFolder, bundleExt, bundleExts, x.screen.showError, func(w fyne.URIWriteCloser) {
			x.exportTo(w, w.URI().Name(), func(err error) error { return closeWritten(w, err) })
		})
}

// exportTo writes a bundle to w as a job (Cancel stops the writing).
// finish, if not nil, closes the file and gets the export's error (nil
// when it went well); it returns the first error. Only a bundle whose file
// closed well is remembered as sent. Tests call this in place of the
// dialog.
func (x *bundleSend) exportTo(w io.Writer, file string, finish func(error) error) {
	s := x.shell
	st := s.store
	opt, err := x.options()
	if err != nil {
		return
	}
	x.status.SetText("")
	var info bundle.Info
	x.job.start(s.T("bundleui.send.busy"), func(ctx context.Context, _ func(int, int)) error {
		info, err = bundle.Export(st, ctxWriter{ctx, w}, opt)
		if err == nil {
			err = ctx.Err() // cancelled after the last write: the file goes too
		}
		if finish != nil {
			err = finish(err)
		}
		if err == nil {
			err = bundle.MarkSent(st, info)
		}
		return err
	}, func(err error) {
		switch x.job.outcome("exporting a bundle", err, x.screen.showError) {
		case jobCancelled:
			x.status.SetText(s.T("jobs.bundle.cancelled"))
		case jobDone:
			x.status.SetText(s.T("bundleui.send.done", "file", file,
				"n", i18n.FormatInt(info.RecordCount, s.lang), "e", i18n.FormatInt(info.TombstoneCount, s.lang)))
			x.loadPeers()
		}
	})
}

// onJobChanged lets Save be tapped only while no bundle is being written.
func (x *bundleSend) onJobChanged() {
	if x.job.busy {
		x.save.Disable()
	} else {
		x.save.Enable()
	}
}
