package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/store"
)

// jobOn is a job runner with its bar shown in the window.
func jobOn(t *testing.T) (*Shell, *jobRunner) {
	t.Helper()
	s, w := newTestShell(t)
	j := &jobRunner{shell: s}
	w.SetContent(j.progressView())
	return s, j
}

// The bar follows the work: hidden before and after, endless until the
// work counts, then the fraction done; the message beside it.
func TestJobProgressReachesTheBar(t *testing.T) {
	_, j := jobOn(t)
	if j.progress.Visible() {
		t.Fatal("the bar is shown before any job")
	}
	var ended error = errors.New("done not called")
	j.start("Writing…", func(ctx context.Context, progress func(int, int)) error {
		if !j.progress.Visible() || j.busyLabel.Text != "Writing…" || j.cancelBtn.Disabled() || !j.busy {
			t.Error("while the job runs, the bar, its message or Cancel are not shown")
		}
		if !j.barEndless.Visible() || j.bar.Visible() {
			t.Error("a job that has not counted yet has no endless bar")
		}
		progress(3, 4)
		if !j.bar.Visible() || j.barEndless.Visible() || j.bar.Value != 0.75 {
			t.Errorf("after 3 of 4: bar shown %v at %v", j.bar.Visible(), j.bar.Value)
		}
		progress(4, 4)
		if j.bar.Value != 1 {
			t.Errorf("after 4 of 4: %v", j.bar.Value)
		}
		return nil
	}, func(err error) { ended = err })
	if ended != nil || j.busy || j.progress.Visible() {
		t.Fatalf("after the job: err %v, busy %v, bar shown %v", ended, j.busy, j.progress.Visible())
	}
}

// Cancel stops work that heeds its ctx, done hears context.Canceled and
// the runner takes a new job.
func TestJobCancelStopsTheWork(t *testing.T) {
	_, j := jobOn(t)
	steps := 0
	var outcome jobOutcome = -1
	j.start("", func(ctx context.Context, progress func(int, int)) error {
		for i := range 1000 {
			if err := ctx.Err(); err != nil {
				return err
			}
			steps++
			progress(i, 1000)
			if i == 9 {
				test.Tap(j.cancelBtn) // the clerk taps Cancel
				if !j.cancelBtn.Disabled() {
					t.Error("Cancel can be tapped twice")
				}
			}
		}
		return nil
	}, func(err error) { outcome = j.outcome("testing", err, nil) })
	if steps != 10 || outcome != jobCancelled || j.busy {
		t.Fatalf("cancelled after 10 steps: ran %d, outcome %v, busy %v", steps, outcome, j.busy)
	}
	ran := false
	j.start("", func(context.Context, func(int, int)) error { ran = true; return nil }, nil)
	if !ran || j.cancelBtn.Disabled() {
		t.Fatal("no new job after a cancel, or its Cancel stays disabled")
	}
}

// Off the UI goroutine too: the work waits for Cancel, done follows.
func TestJobCancelFromAnotherGoroutine(t *testing.T) {
	s, j := jobOn(t)
	s.inline = false
	started, ended := make(chan struct{}), make(chan error)
	j.start("", func(ctx context.Context, _ func(int, int)) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}, func(err error) { ended <- err })
	<-started
	if !j.busy {
		t.Fatal("not busy while the work runs")
	}
	test.Tap(j.cancelBtn)
	if err := <-ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("done got %v", err)
	}
}

// A failed job's error reaches a dialog, as a sentence from the store's
// table, not as Go's text; a cancel shows none.
func TestJobErrorReachesTheDialog(t *testing.T) {
	s, j := jobOn(t)
	w := s.window
	j.start("", func(context.Context, func(int, int)) error {
		return fmt.Errorf("saving Amra: %w", store.ErrConflict)
	}, func(err error) {
		if j.outcome("saving", err, nil) != jobFailed {
			t.Error("a failure is not jobFailed")
		}
	})
	if top := w.Canvas().Overlays().Top(); top == nil || !hasText(top, s.T("store.error.conflict")) {
		t.Fatal("the error's sentence is not in a dialog")
	}
	tapDialog(t, w, "OK")
	j.start("", func(context.Context, func(int, int)) error { return context.Canceled }, func(err error) {
		if j.outcome("saving", err, nil) != jobCancelled {
			t.Error("a cancel is not jobCancelled")
		}
	})
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("a cancel shows a dialog")
	}
}

// Writing a bundle is a job: Cancel stops the writing and the tab says
// so.
func TestBundleSendCancel(t *testing.T) {
	s, _ := newTestShell(t)
	addPerson(t, s, "Amra", "Hodžić", "DE")
	x := bundleScreenOf(t, s).send
	w := &tapOnWrite{tap: func() { test.Tap(x.job.cancelBtn) }}
	x.exportTo(w, "test.registar", nil)
	if w.writes == 0 || x.status.Text != s.T("jobs.bundle.cancelled") || x.save.Disabled() {
		t.Fatalf("after cancel: %d writes, status %q, save disabled %v", w.writes, x.status.Text, x.save.Disabled())
	}
	// Without Cancel the same tab writes the bundle.
	var buf bytes.Buffer
	x.exportTo(&buf, "test.registar", nil)
	if buf.Len() == 0 || !strings.Contains(x.status.Text, "test.registar") {
		t.Fatalf("the bundle after a cancel: %d bytes, status %q", buf.Len(), x.status.Text)
	}
}

// tapOnWrite taps at its first write, as a clerk tapping Cancel while a
// file is written.
type tapOnWrite struct {
	tap    func()
	writes int
}

func (w *tapOnWrite) Write(p []byte) (int, error) {
	w.writes++
	if w.writes == 1 {
		w.tap()
	}
	return len(p), nil
}

// "Undo last import" is offered only while an import is in effect: not on
// a fresh registry, after an import, not once it is undone, and after an
// import made elsewhere (the command line) when the screen is shown again.
func TestUndoLastImportDisabledUntilAnImport(t *testing.T) {
	s, w := newTestShell(t)
	x := exchangeOf(t, s)
	if !x.undoLastBtn.Disabled() {
		t.Fatal("Undo last import is enabled before any import")
	}
	x = loaded(t, s)
	test.Tap(x.importBtn)
	if x.undoLastBtn.Disabled() {
		t.Fatal("Undo last import is disabled after an import")
	}
	test.Tap(x.undoBtn)
	tapDialog(t, w, s.T("exchangeui.undo"))
	if n := s.store.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("persons after undo: %d", n)
	}
	if !x.undoLastBtn.Disabled() {
		t.Fatal("Undo last import is enabled once the only import is undone")
	}

	p := &data.Person{GivenName: "Edin", FamilyName: "Kovač", Country: "AT", Gender: "m", BirthDate: data.NewDate(1979, 2, 3)}
	if _, err := s.store.Apply(context.Background(), store.Step{Action: store.StepImport, Note: "cli.xlsx"}, []data.Record{p}, nil); err != nil {
		t.Fatal(err)
	}
	s.show("home")
	x = exchangeOf(t, s)
	if x.undoLastBtn.Disabled() {
		t.Fatal("an import made elsewhere cannot be undone from the screen")
	}
	test.Tap(x.undoLastBtn)
	tapDialog(t, w, s.T("exchangeui.undo"))
	if n := s.store.Counts()[data.KindPerson]; n != 0 || !x.undoLastBtn.Disabled() {
		t.Fatalf("after undoing the last import: %d persons, button enabled %v", n, !x.undoLastBtn.Disabled())
	}
}
