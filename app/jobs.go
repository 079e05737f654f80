package app

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Long work (reading and writing an import, making a publication, writing
// or merging a bundle, exporting a list) runs as a job: off the UI
// goroutine, with one progress bar and Cancel, its error handed back on the
// UI goroutine. The work only stores numbers (progressFeed); the UI
// goroutine reads them on a ticker, so a 20,000-row step costs the UI a
// few redraws, not 20,000 fyne.Do calls.

// progressTick is how often a running job's bar is brought up to date.
const progressTick = 100 * time.Millisecond

// jobRunner runs one job at a time for a screen and shows it. Its state
// (busy, the progress) outlives the widgets, which a screen builds anew
// with progressView after a change of language.
type jobRunner struct {
	shell *Shell
	// changed, if set, is called on the UI goroutine when a job starts and
	// after its done has run: the screen disables and enables its controls.
	changed func()

	busy    bool   // a job is running
	busyMsg string // what it is doing, beside the bar
	cancel  context.CancelFunc
	feed    progressFeed

	// The widgets, made by progressView.
	progress   *fyne.Container // the message, the bar and Cancel; shown while a job runs
	busyLabel  *widget.Label
	bar        *widget.ProgressBar
	barEndless *widget.ProgressBarInfinite
	cancelBtn  *widget.Button
}

// progressView builds the job's widgets: the message, a bar (endless while
// the work does not count) and Cancel. It is hidden while no job runs.
func (j *jobRunner) progressView() *fyne.Container {
	j.bar = widget.NewProgressBar()
	j.barEndless = widget.NewProgressBarInfinite()
	j.cancelBtn = widget.NewButtonWithIcon(j.shell.T("fyne.Cancel"), theme.CancelIcon(), j.onCancel)
	j.busyLabel = widget.NewLabel("")
	j.progress = container.NewBorder(nil, nil, j.busyLabel, j.cancelBtn, container.NewStack(j.bar, j.barEndless))
	j.showJob()
	return j.progress
}

// start runs work off the UI goroutine with the bar and Cancel shown;
// done gets work's error on the UI goroutine (context.Canceled after
// Cancel, if the work heeds its ctx). A start while a job runs is ignored.
func (j *jobRunner) start(msg string, work func(ctx context.Context, progress func(done, total int)) error, done func(error)) {
	if j.busy {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	j.busy, j.cancel, j.busyMsg = true, cancel, msg
	j.feed.reset()
	j.showJob()
	j.notify()
	stop := j.shell.watchProgress(j.showProgress)
	var err error
	j.shell.background(func() { err = work(ctx, j.report) }, func() {
		stop()
		cancel()
		j.busy, j.cancel = false, nil
		j.showJob()
		if done != nil {
			done(err)
		}
		j.notify()
	})
}

// report is the progress function a job's work gets.
func (j *jobRunner) report(done, total int) {
	j.feed.report(done, total)
	if j.shell.inline { // tests: the work runs on the UI goroutine, no ticker
		j.showProgress()
	}
}

// onCancel stops the job under way; what it has written is the work's to
// roll back (a store step rolls back when its ctx is cancelled).
func (j *jobRunner) onCancel() {
	if j.cancel != nil {
		j.cancel()
		if j.cancelBtn != nil {
			j.cancelBtn.Disable()
		}
	}
}

func (j *jobRunner) notify() {
	if j.changed != nil {
		j.changed()
	}
}

// showJob shows or hides the widgets as the job stands.
func (j *jobRunner) showJob() {
	if j.progress == nil {
		return
	}
	if !j.busy {
		j.barEndless.Stop()
		j.progress.Hide()
		return
	}
	j.busyLabel.SetText(j.busyMsg)
	if j.busyMsg == "" {
		j.busyLabel.Hide()
	} else {
		j.busyLabel.Show()
	}
	j.cancelBtn.Enable()
	j.progress.Show()
	j.showProgress()
}

// showProgress moves the bar to where the job is; a job that does not
// count (reading a file) gets the endless bar.
func (j *jobRunner) showProgress() {
	if !j.busy || j.progress == nil {
		return
	}
	if v, ok := j.feed.value(); ok {
		j.barEndless.Hide()
		j.barEndless.Stop()
		j.bar.Show()
		j.bar.SetValue(v)
		return
	}
	j.bar.Hide()
	j.barEndless.Show()
	j.barEndless.Start()
}

// jobOutcome is how a job ended.
type jobOutcome int

const (
	jobDone      jobOutcome = iota // the work did what it had to
	jobCancelled                   // the user stopped it
	jobFailed                      // it failed; the error has been shown
)

// outcome sorts the error a job ended with. Any error but a cancel is
// logged with what and shown in a dialog by show (the screen's sentences),
// or by the shell's showError when show is nil.
func (j *jobRunner) outcome(what string, err error, show func(string, error)) jobOutcome {
	switch {
	case err == nil:
		return jobDone
	case errors.Is(err, context.Canceled):
		return jobCancelled
	}
	if show == nil {
		show = j.shell.showError
	}
	show(what, err)
	return jobFailed
}

// runModal runs work as a job behind a dialog with the bar and Cancel;
// done gets work's error on the UI goroutine, once the dialog is gone.
func (s *Shell) runModal(title, msg string, work func(ctx context.Context, progress func(done, total int)) error, done func(error)) {
	j := &jobRunner{shell: s}
	view := j.progressView()
	d := dialog.NewCustomWithoutButtons(title, container.NewGridWrap(fyne.NewSize(460, view.MinSize().Height), view), s.window)
	d.Show()
	j.start(msg, work, func(err error) {
		d.Hide()
		done(err)
	})
}

// progressFeed carries a job's progress from its goroutines to the bar:
// they only store numbers, and the UI goroutine reads them on a ticker.
type progressFeed struct{ done, total atomic.Int64 }

func (f *progressFeed) report(done, total int) {
	f.total.Store(int64(total))
	f.done.Store(int64(done))
}

func (f *progressFeed) reset() { f.done.Store(0); f.total.Store(0) }

// value is the fraction done, if the job counts.
func (f *progressFeed) value() (float64, bool) {
	t := f.total.Load()
	if t <= 0 {
		return 0, false
	}
	return min(1, float64(f.done.Load())/float64(t)), true
}

// watchProgress calls show on the UI goroutine every tick until stop is
// called. Tests run jobs inline and need no ticker.
func (s *Shell) watchProgress(show func()) (stop func()) {
	if s.inline {
		return func() {}
	}
	quit := make(chan struct{})
	go func() {
		t := time.NewTicker(progressTick)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				fyne.Do(show)
			}
		}
	}()
	return func() { close(quit) }
}

// ctxWriter is a writer that fails once its ctx is cancelled, so that Cancel
// stops work that writes a file but takes no ctx of its own (a bundle).
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// ctxReader is a reader that fails once its ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
