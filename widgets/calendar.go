package widgets

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*Calendar)(nil)

// Calendar is a month of days to pick one from. Unlike Fyne's calendar, its
// month is chosen from a list and its year typed, so a birth date forty
// years back takes three clicks instead of 480, and its month names and
// weekdays are in the app's language (lang keys "month.1"…"month.12",
// "monday.short"…; Fyne's own writes the month in English).
type Calendar struct {
	widget.BaseWidget

	shown    time.Time // the first of the month shown
	picked   time.Time // zero when nothing is picked yet
	onPicked func(time.Time)

	month *widget.Select
	year  *widget.Entry
	days  *fyne.Container
}

// NewCalendar shows the month of start, with start marked as picked unless
// it is zero (then today's month, nothing marked).
func NewCalendar(start time.Time, onPicked func(time.Time)) *Calendar {
	c := &Calendar{picked: start, onPicked: onPicked}
	if start.IsZero() {
		start = time.Now()
	}
	c.shown = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.Local)
	c.month = widget.NewSelect(monthNames(), func(name string) {
		if m := c.month.SelectedIndex(); m >= 0 && time.Month(m+1) != c.shown.Month() {
			c.show(time.Date(c.shown.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.Local))
		}
	})
	c.year = widget.NewEntry()
	c.year.SetPlaceHolder(lang.X("year", "Year"))
	c.year.Validator = func(s string) error {
		if _, ok := parseYear(s); !ok {
			return errYear
		}
		return nil
	}
	c.year.OnChanged = func(s string) {
		if y, ok := parseYear(s); ok && y != c.shown.Year() {
			c.show(time.Date(y, c.shown.Month(), 1, 0, 0, 0, 0, time.Local))
		}
	}
	c.days = container.NewGridWithColumns(7)
	c.ExtendBaseWidget(c)
	c.show(c.shown)
	return c
}

// Shown is the first day of the month on screen.
func (c *Calendar) Shown() time.Time { return c.shown }

// Pick picks day d of the month shown, as a click on it does.
func (c *Calendar) Pick(d int) {
	c.picked = c.shown.AddDate(0, 0, d-1)
	c.show(c.shown)
	if c.onPicked != nil {
		c.onPicked(c.picked)
	}
}

// MonthTitle is the month and year shown, in the app's language.
func (c *Calendar) MonthTitle() string {
	return c.month.Selected + " " + strconv.Itoa(c.shown.Year())
}

// CreateRenderer lays out month, year and the arrows above the days.
func (c *Calendar) CreateRenderer() fyne.WidgetRenderer {
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { c.show(c.shown.AddDate(0, -1, 0)) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { c.show(c.shown.AddDate(0, 1, 0)) })
	prev.Importance, next.Importance = widget.LowImportance, widget.LowImportance
	year := container.NewGridWrap(fyne.NewSize(90, c.year.MinSize().Height), c.year)
	head := container.NewBorder(nil, nil, prev, next, container.NewBorder(nil, nil, nil, year, c.month))
	return widget.NewSimpleRenderer(container.NewBorder(head, nil, nil, nil, c.days))
}

// show fills the grid with the month starting at first.
func (c *Calendar) show(first time.Time) {
	c.shown = first
	c.month.SetSelectedIndex(int(first.Month()) - 1)
	if y := strconv.Itoa(first.Year()); c.year.Text != y {
		c.year.SetText(y)
	}
	objs := make([]fyne.CanvasObject, 0, 7*7)
	for _, d := range weekdayKeys {
		l := widget.NewLabelWithStyle(lang.X(d+".short", d[:3]), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		objs = append(objs, l)
	}
	// Weeks start on Monday here.
	for range (int(first.Weekday()) + 6) % 7 {
		objs = append(objs, widget.NewLabel(""))
	}
	today := time.Now()
	for day := first; day.Month() == first.Month(); day = day.AddDate(0, 0, 1) {
		n := day.Day()
		b := widget.NewButton(strconv.Itoa(n), func() { c.Pick(n) })
		switch {
		case sameDay(day, c.picked):
			b.Importance = widget.HighImportance
		case sameDay(day, today):
			b.Importance = widget.MediumImportance
		default:
			b.Importance = widget.LowImportance
		}
		objs = append(objs, b)
	}
	c.days.Objects = objs
	c.days.Refresh()
}

var weekdayKeys = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func monthNames() []string {
	names := make([]string, 12)
	for i := range names {
		names[i] = lang.X("month."+strconv.Itoa(i+1), time.Month(i+1).String())
	}
	return names
}

type yearError struct{}

func (yearError) Error() string { return "a year from 1900 to 2100" }

var errYear error = yearError{}

// parseYear accepts the years a registry's dates can hold.
func parseYear(s string) (int, bool) {
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 1900 && y <= 2100
}

func sameDay(a, b time.Time) bool {
	return !b.IsZero() && a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
