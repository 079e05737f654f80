package widgets

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
)

var _ fyne.Widget = (*DateEntry)(nil)

// DateEntry takes a date typed as people write it here (12.03.1985.,
// 12.3.1985, 1985-03-12) or picked from a calendar.
type DateEntry struct {
	widget.BaseWidget

	Entry *widget.Entry // the text field (inside field, which passes the window's keys on)
	field *KeyEntry
	// OnChanged is called with the text whenever it changes.
	OnChanged func(string)

	popup *widget.PopUp
}

// NewDateEntry returns an empty date entry; placeholder shows the format.
func NewDateEntry(placeholder string) *DateEntry {
	field := NewKeyEntry()
	d := &DateEntry{Entry: &field.Entry, field: field}
	d.Entry.SetPlaceHolder(placeholder)
	d.Entry.OnChanged = func(s string) {
		if d.OnChanged != nil {
			d.OnChanged(s)
		}
	}
	d.ExtendBaseWidget(d)
	return d
}

// Date is the date typed, zero when empty or not a date.
func (d *DateEntry) Date() (data.Date, error) {
	return data.ParseDate(d.Entry.Text)
}

// SetDate shows a date in the local form (12.03.1985.).
func (d *DateEntry) SetDate(v data.Date) { d.Entry.SetText(v.Local()) }

// CreateRenderer places the calendar button after the entry.
func (d *DateEntry) CreateRenderer() fyne.WidgetRenderer {
	b := widget.NewButtonWithIcon("", theme.CalendarIcon(), d.openCalendar)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, b, d.field))
}

func (d *DateEntry) openCalendar() {
	c := fyne.CurrentApp().Driver().CanvasForObject(d)
	if c == nil {
		return
	}
	var start time.Time
	if v, err := d.Date(); err == nil && !v.IsZero() {
		start = v.Time()
	}
	cal := NewCalendar(start, func(t time.Time) {
		d.Entry.SetText(data.DateOf(t).Local())
		if d.popup != nil {
			d.popup.Hide()
		}
	})
	d.popup = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d)
	d.popup.ShowAtPosition(pos.Add(fyne.NewPos(0, d.Size().Height)))
}
