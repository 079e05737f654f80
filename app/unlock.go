package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"registar/data/store"
)

// showUnlock asks for the passphrase of an encrypted registry; a wrong one
// says so and lets the user try again.
func (s *Shell) showUnlock() { s.showUnlockMessage("") }

func (s *Shell) showUnlockMessage(message string) {
	ui, pass := s.unlockUI(message)
	s.window.SetContent(ui)
	s.window.Canvas().Focus(pass)
}

func (s *Shell) unlockUI(message string) (fyne.CanvasObject, *widget.Entry) {
	pass := widget.NewPasswordEntry()
	msg := widget.NewLabel(message)
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	open := func() {
		s.openStore(pass.Text, func(err error) {
			if errors.Is(err, store.ErrWrongPassphrase) || errors.Is(err, store.ErrNeedPassphrase) {
				s.showUnlockMessage(s.T("ui.unlock.wrong"))
				return
			}
			s.showFatal(err)
		}, nil)
	}
	pass.OnSubmitted = func(string) { open() }
	btn := widget.NewButton(s.T("fyne.Open"), open)
	btn.Importance = widget.HighImportance
	intro := widget.NewLabel(s.T("ui.unlock.intro"))
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		widget.NewLabelWithStyle("Registar", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro, pass, msg, container.NewHBox(btn))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(420, body.MinSize().Height), body)), pass
}
