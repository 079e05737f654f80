package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// comingSoon stands in for a screen a later issue delivers.
func comingSoon(s *Shell) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(s.T("screen."+s.current), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	msg := widget.NewLabelWithStyle(s.T("ui.comingsoon"), fyne.TextAlignCenter, fyne.TextStyle{})
	icon := widget.NewIcon(theme.InfoIcon())
	return container.NewCenter(container.NewVBox(container.NewCenter(icon), title, msg))
}
