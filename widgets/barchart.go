package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Widget        = (*BarChart)(nil)
	_ fyne.Tappable      = (*BarChart)(nil)
	_ desktop.Cursorable = (*BarChart)(nil)
)

// Bar is one bar of a BarChart.
type Bar struct {
	Label string
	Value float64
	// Text is written at the end of the bar (a count, a percentage); empty
	// means none.
	Text string
}

// BarChart draws bars, horizontal (a label left of each bar) or as columns
// (labels underneath), scaled to the largest value or to Max. Tapping a bar
// calls OnTapped with its index, so that a chart can lead to the records it
// counts.
type BarChart struct {
	widget.BaseWidget

	Bars []Bar
	// Max is the value of a full-length bar; 0 means the largest value.
	Max float64
	// Columns draws vertical bars side by side.
	Columns  bool
	OnTapped func(i int)
}

// NewBarChart returns a chart of horizontal bars.
func NewBarChart(bars []Bar, tapped func(i int)) *BarChart {
	c := &BarChart{Bars: bars, OnTapped: tapped}
	c.ExtendBaseWidget(c)
	return c
}

// NewColumnChart returns a chart of vertical bars.
func NewColumnChart(bars []Bar, tapped func(i int)) *BarChart {
	c := NewBarChart(bars, tapped)
	c.Columns = true
	return c
}

// SetBars replaces the bars and redraws.
func (c *BarChart) SetBars(bars []Bar) {
	c.Bars = bars
	c.Refresh()
}

// Cursor is a pointer when bars can be tapped.
func (c *BarChart) Cursor() desktop.Cursor {
	if c.OnTapped != nil {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// Tapped finds the bar under the pointer.
func (c *BarChart) Tapped(e *fyne.PointEvent) {
	if c.OnTapped == nil || len(c.Bars) == 0 {
		return
	}
	size := c.Size()
	var i int
	if c.Columns {
		i = int(e.Position.X / (size.Width / float32(len(c.Bars))))
	} else {
		i = int(e.Position.Y / c.rowHeight())
	}
	if i >= 0 && i < len(c.Bars) {
		c.OnTapped(i)
	}
}

func (c *BarChart) rowHeight() float32 {
	return c.Theme().Size(theme.SizeNameText)*1.4 + c.Theme().Size(theme.SizeNameInnerPadding)
}

// CreateRenderer returns the chart's renderer.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{chart: c}
	r.Refresh()
	return r
}

type barChartRenderer struct {
	chart  *BarChart
	rects  []*canvas.Rectangle
	labels []*canvas.Text
	values []*canvas.Text
	objs   []fyne.CanvasObject
}

func (r *barChartRenderer) Destroy() {}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *barChartRenderer) maxValue() float64 {
	m := r.chart.Max
	if m <= 0 {
		for _, b := range r.chart.Bars {
			m = max(m, b.Value)
		}
	}
	return m
}

func (r *barChartRenderer) labelWidth() float32 {
	w := float32(0)
	for _, l := range r.labels {
		w = max(w, l.MinSize().Width)
	}
	return w
}

func (r *barChartRenderer) MinSize() fyne.Size {
	th := r.chart.Theme()
	pad := th.Size(theme.SizeNamePadding)
	n := float32(len(r.chart.Bars))
	if r.chart.Columns {
		return fyne.NewSize(n*24, 7*th.Size(theme.SizeNameText))
	}
	return fyne.NewSize(r.labelWidth()+pad*2+120, n*r.chart.rowHeight())
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	th := r.chart.Theme()
	pad := th.Size(theme.SizeNamePadding)
	m := r.maxValue()
	frac := func(v float64) float32 {
		if m <= 0 {
			return 0
		}
		return float32(v / m)
	}
	if r.chart.Columns {
		n := float32(len(r.rects))
		if n == 0 {
			return
		}
		slot := size.Width / n
		textH := r.labels[0].MinSize().Height
		area := size.Height - 2*textH - pad
		for i, rect := range r.rects {
			h := area * frac(r.chart.Bars[i].Value)
			x := float32(i) * slot
			rect.Resize(fyne.NewSize(max(slot-pad, 1), h))
			rect.Move(fyne.NewPos(x+pad/2, textH+area-h))
			l := r.labels[i]
			l.Resize(fyne.NewSize(slot, textH))
			l.Move(fyne.NewPos(x, size.Height-textH))
			v := r.values[i]
			v.Resize(fyne.NewSize(slot, textH))
			v.Move(fyne.NewPos(x, textH+area-h-textH))
		}
		return
	}
	lw := r.labelWidth()
	rowH := r.chart.rowHeight()
	var vw float32
	for _, v := range r.values {
		vw = max(vw, v.MinSize().Width)
	}
	area := size.Width - lw - vw - 3*pad
	for i, rect := range r.rects {
		y := float32(i) * rowH
		l := r.labels[i]
		lh := l.MinSize().Height
		l.Resize(fyne.NewSize(lw, lh))
		l.Move(fyne.NewPos(0, y+(rowH-lh)/2))
		w := max(area*frac(r.chart.Bars[i].Value), 1)
		rect.Resize(fyne.NewSize(w, rowH-pad))
		rect.Move(fyne.NewPos(lw+pad, y+pad/2))
		v := r.values[i]
		v.Resize(v.MinSize())
		v.Move(fyne.NewPos(lw+2*pad+w, y+(rowH-lh)/2))
	}
}

func (r *barChartRenderer) Refresh() {
	th := r.chart.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, variant)
	bar := th.Color(theme.ColorNamePrimary, variant)
	size := th.Size(theme.SizeNameText)
	small := size * 0.85
	n := len(r.chart.Bars)
	for len(r.rects) < n {
		r.rects = append(r.rects, canvas.NewRectangle(color.Transparent))
		r.labels = append(r.labels, canvas.NewText("", fg))
		r.values = append(r.values, canvas.NewText("", fg))
	}
	r.rects, r.labels, r.values = r.rects[:n], r.labels[:n], r.values[:n]
	r.objs = r.objs[:0]
	for i, b := range r.chart.Bars {
		r.rects[i].FillColor = bar
		r.rects[i].CornerRadius = 2
		r.labels[i].Text, r.labels[i].Color, r.labels[i].TextSize = b.Label, fg, size
		r.values[i].Text, r.values[i].Color, r.values[i].TextSize = b.Text, fg, small
		if r.chart.Columns {
			r.labels[i].TextSize = small
			r.labels[i].Alignment = fyne.TextAlignCenter
			r.values[i].Alignment = fyne.TextAlignCenter
		}
		r.objs = append(r.objs, r.rects[i], r.labels[i], r.values[i])
	}
	r.Layout(r.chart.Size())
	canvas.Refresh(r.chart)
}
