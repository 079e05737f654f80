package app

import (
	"errors"
	"fmt"
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"registar/data/store"
)

// ID is the application ID from FyneApp.toml; preferences need it.
const ID = "ba.registar.app"

// Shell is the running application: the window and the open store.
type Shell struct {
	app    fyne.App
	window fyne.Window
	store  *store.Store
	dir    string
}

// Start opens the registry in dir (the default folder when empty) and fills
// the window. A registry that cannot be opened (locked by another window,
// not a registry, damaged) gives a window that says why, never a crash.
func Start(a fyne.App, w fyne.Window, dir string) *Shell {
	s := &Shell{app: a, window: w, dir: dir}
	w.Resize(fyne.NewSize(1100, 720))
	if s.dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			s.showFatal(err)
			return s
		}
		s.dir = d
	}
	st, err := store.Open(s.dir, store.Options{Logger: log.Default()})
	if err != nil {
		s.showFatal(err)
		return s
	}
	s.store = st
	w.SetContent(newHomeScreen(st).buildUI())
	return s
}

// Store is the open registry, or nil if it could not be opened.
func (s *Shell) Store() *store.Store { return s.store }

// Close closes the store; main defers it so the registry is closed cleanly.
func (s *Shell) Close() {
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			fyne.LogError("closing the registry", err)
		}
	}
}

// showFatal explains why the registry could not be opened.
func (s *Shell) showFatal(err error) {
	fyne.LogError("opening the registry", err)
	msg := err.Error()
	if errors.Is(err, store.ErrLocked) {
		msg = fmt.Sprintf("%v\n\nClose the other Registar window first.", err)
	}
	label := widget.NewLabel(msg)
	label.Wrapping = fyne.TextWrapWord
	s.window.SetContent(container.NewBorder(
		widget.NewLabelWithStyle("Registar cannot open the registry", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(widget.NewButton("Quit", s.app.Quit)), nil, nil, label))
}
