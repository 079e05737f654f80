package reports

import (
	"math"

	"github.com/jung-kurt/gofpdf"
)

// Charts are drawn as vectors (rectangles and polygons), never as images:
// they stay sharp on any printer and cost a few hundred bytes.

// flow is a column of content that runs on to new pages.
type flow struct {
	d       *doc
	y       float64
	bottom  float64
	newPage func() // adds a page and sets y to its top
	// pending is a heading that waits for the content it belongs to, so
	// that the two go to a new page together; pendingH is its height.
	pending  func()
	pendingH float64
}

// need starts a new page unless h more millimetres fit (after a pending
// heading, which it then draws).
func (f *flow) need(h float64) bool {
	broke := false
	if f.y+f.pendingH+h > f.bottom {
		f.newPage()
		broke = true
	}
	if p := f.pending; p != nil {
		f.pending, f.pendingH = nil, 0
		p()
	}
	return broke
}

// hold makes draw (of height h) wait for the next need: a heading is kept
// with what follows it. Holds add up: a heading and its note wait together.
func (f *flow) hold(h float64, draw func()) {
	if prev := f.pending; prev != nil {
		f.pending = func() { prev(); draw() }
	} else {
		f.pending = draw
	}
	f.pendingH += h
}

// flush draws a pending heading that nothing followed.
func (f *flow) flush() { f.need(0) }

// row is one line of a breakdown.
type row struct {
	label string
	g     GenderCount // a plain count is in g.U
	muted bool        // "other" and "not stated" rows
	other bool        // the sum of the rows left out of a long list
}

// breakdown is a table of counts with a bar for each row.
type breakdown struct {
	rows   []row
	gender bool // columns for women, men and not stated; else one count
	// of is the whole that shares are taken of; 0 is the sum of the rows
	of int
	// barsOfWhole scales bars to the whole (a rate) instead of the largest row
	barsOfWhole bool
}

func (b breakdown) whole() int {
	if b.of > 0 {
		return b.of
	}
	n := 0
	for _, r := range b.rows {
		n += r.g.Total()
	}
	return n
}

// tableLayout holds the columns of a breakdown table.
type tableLayout struct {
	x, w      float64
	s         float64 // type scale
	labelW    float64
	numW      float64
	shareW    float64
	barX      float64
	barW      float64
	cols      []string  // headers of the number columns
	colX      []float64 // right edge of each number column
	rowH      float64
	header    [][]string
	headerH   float64
	maxTotal  int
	whole     int
	breakdown breakdown
}

func (d *doc) layoutTable(x, w, s float64, b breakdown) *tableLayout {
	t := &tableLayout{x: x, w: w, s: s, breakdown: b, whole: b.whole()}
	d.font(false, 7.5*s)
	t.rowH = d.lh() + 1.4*s
	t.numW = max(d.width("888.888")+2.5*s, 12*s)
	t.shareW = max(d.width("100,0 %")+2.5*s, 12*s)
	if b.gender {
		t.cols = []string{d.t("report.stats.col.women"), d.t("report.stats.col.men"), d.t("report.stats.col.unknown"), d.t("report.stats.col.total"), d.t("report.stats.col.share")}
		t.barW = w * 0.26
	} else {
		t.cols = []string{d.t("report.stats.col.count"), d.t("report.stats.col.share")}
		t.barW = w * 0.36
	}
	nums := float64(len(t.cols)-1)*t.numW + t.shareW
	t.labelW = w - nums - t.barW - 3*s
	if t.labelW < w*0.25 { // narrow page: the bar gives way to the label
		t.barW = max(w*0.12, t.barW-(w*0.25-t.labelW))
		t.labelW = w - nums - t.barW - 3*s
	}
	right := x + t.labelW
	for i := range t.cols {
		if i == len(t.cols)-1 {
			right += t.shareW
		} else {
			right += t.numW
		}
		t.colX = append(t.colX, right)
	}
	t.barX = right + 3*s
	d.font(true, 6.3*s)
	lines := 1
	for i, c := range t.cols {
		cw := t.numW - 1.5*s
		if i == len(t.cols)-1 {
			cw = t.shareW - 1.5*s
		}
		ls := d.wrap(c, cw)
		if len(ls) > 2 {
			ls = []string{ls[0], d.fit(ls[1]+" "+ls[2], cw)}
		}
		t.header = append(t.header, ls)
		lines = max(lines, len(ls))
	}
	t.headerH = float64(lines)*d.lh() + 1.2*s
	for _, r := range b.rows {
		if !r.muted { // "Other" may dwarf every row: bars scale to the rows themselves
			t.maxTotal = max(t.maxTotal, r.g.Total())
		}
	}
	if t.maxTotal == 0 {
		for _, r := range b.rows {
			t.maxTotal = max(t.maxTotal, r.g.Total())
		}
	}
	if b.barsOfWhole {
		t.maxTotal = t.whole
	}
	return t
}

// drawHeader writes the column headers at f.y.
func (d *doc) drawHeader(f *flow, t *tableLayout) {
	d.font(true, 6.3*t.s)
	d.textColor(colMuted)
	top := f.y + t.headerH - 1.2*t.s
	for i, ls := range t.header {
		y := top - float64(len(ls))*d.lh()
		for _, l := range ls {
			d.textRight(t.colX[i], y, l)
			y += d.lh()
		}
	}
	f.y += t.headerH
	d.rule(t.x, t.x+t.w, f.y, 0.25, colMuted)
	f.y += 0.6 * t.s
	d.textColor(colInk)
}

// legend draws the women / men / not stated swatches ending at x.
func (d *doc) legend(xRight, y, s float64, items []string, colors []rgb) {
	d.font(false, 6.5*s)
	x := xRight
	box := 2.4 * s
	for i := len(items) - 1; i >= 0; i-- {
		x -= d.width(items[i])
		d.textColor(colMuted)
		d.text(x, y, items[i])
		x -= box + 1.2*s
		d.rect(x, y+(d.lh()-box)/2, box, box, colors[i])
		x -= 3.5 * s
	}
	d.textColor(colInk)
}

func (d *doc) genderLegend(xRight, y, s float64) {
	d.legend(xRight, y, s,
		[]string{d.t("report.stats.col.women"), d.t("report.stats.col.men"), d.t("report.stats.col.unknown")},
		[]rgb{colWomen, colMen, colUnknown})
}

// table draws a breakdown from f.y on, running on to new pages (the column
// headers repeated), and leaves f.y below it.
func (d *doc) table(f *flow, x, w, s float64, b breakdown) {
	t := d.layoutTable(x, w, s, b)
	if len(b.rows) == 0 {
		d.font(false, 7.5*s)
		d.textColor(colMuted)
		f.need(d.lh())
		d.text(x, f.y, d.t("report.stats.empty"))
		f.y += d.lh() + 2*s
		d.textColor(colInk)
		return
	}
	d.font(false, 6.5*s)
	legendH := 0.0
	if b.gender {
		legendH = d.lh() + 1*s
	}
	whole := legendH + t.headerH + t.rowH*float64(len(b.rows)) + 0.5
	if whole <= (f.bottom-f.d.top)*0.45 {
		f.need(whole) // a short table is never split
	} else {
		f.need(legendH + t.headerH + t.rowH*float64(min(4, len(b.rows))))
	}
	if b.gender {
		d.genderLegend(x+w, f.y, s)
		f.y += legendH
	}
	d.drawHeader(f, t)
	for i, r := range b.rows {
		left := len(b.rows) - i
		if f.y+t.rowH > f.bottom || (left <= 2 && i > 3 && f.y+t.rowH*float64(left) > f.bottom) {
			f.newPage()
			d.drawHeader(f, t)
		}
		d.drawRow(f.y, t, r, i%2 == 1)
		f.y += t.rowH
	}
	d.rule(x, x+w, f.y, 0.25, colMuted)
	f.y += 3 * s
}

func (d *doc) drawRow(y float64, t *tableLayout, r row, shaded bool) {
	s := t.s
	if shaded {
		d.rect(t.x, y, t.w, t.rowH, colShade)
	}
	ty := y + 0.7*s
	d.font(r.muted, 7.5*s)
	d.textColor(colInk)
	if r.muted {
		d.textColor(colMuted)
	}
	d.text(t.x+0.8*s, ty, d.fit(r.label, t.labelW-1.6*s))
	d.font(false, 7.5*s)
	var vals []string
	total := r.g.Total()
	if t.breakdown.gender {
		vals = []string{d.num(r.g.F), d.num(r.g.M), d.num(r.g.U), d.num(total)}
	} else {
		vals = []string{d.num(total)}
	}
	vals = append(vals, formatPercent(total, t.whole, d.lang))
	for i, v := range vals {
		if i == len(vals)-2 {
			d.font(true, 7.5*s)
		} else {
			d.font(false, 7.5*s)
		}
		d.textRight(t.colX[i], ty, v)
	}
	d.textColor(colInk)
	if t.maxTotal <= 0 {
		return
	}
	by := y + t.rowH*0.2
	bh := t.rowH * 0.6
	x := t.barX
	end := t.barX + t.barW
	seg := func(n int, c rgb) {
		if n <= 0 || x >= end {
			return
		}
		w := math.Min(end-x, math.Max(0.3, float64(n)/float64(t.maxTotal)*t.barW))
		d.rect(x, by, w, bh, c)
		x += w
	}
	switch {
	case t.breakdown.gender:
		seg(r.g.F, colWomen)
		seg(r.g.M, colMen)
		seg(r.g.U, colUnknown)
	case r.g.F == total:
		seg(total, colWomen)
	case r.g.M == total:
		seg(total, colMen)
	default:
		seg(total, colBar)
	}
	if total > t.maxTotal && !t.breakdown.barsOfWhole { // cut: a white break near the end
		d.drawColor(colWhite)
		d.pdf.SetLineWidth(0.5)
		d.pdf.Line(end-2.2*t.s, by+bh+0.3, end-1.2*t.s, by-0.3)
	}
	if t.breakdown.barsOfWhole { // a rate: show the rest of the whole faintly
		d.drawColor(colRule)
		d.pdf.SetLineWidth(0.15)
		d.pdf.Rect(t.barX, by, t.barW, bh, "D")
	}
}

// niceStep is a round step (1, 2 or 5 times a power of ten) giving about
// n ticks up to max.
func niceStep(maxV, n int) int {
	if maxV <= 0 {
		return 1
	}
	raw := float64(maxV) / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return max(1, int(m*p))
		}
	}
	return max(1, int(10*p))
}

// columnChart draws stacked columns (women, men, not stated) for the rows,
// with a value axis, in the box x, y, w, h.
func (d *doc) columnChart(x, y, w, h, s float64, rows []row) {
	maxV := 0
	for _, r := range rows {
		maxV = max(maxV, r.g.Total())
	}
	d.font(false, 6*s)
	axisW := d.width(d.num(maxV)) + 2*s
	labelH := d.lh() + 1*s
	plotX, plotW := x+axisW, w-axisW
	plotY, plotH := y, h-labelH
	if len(rows) == 0 || maxV == 0 || plotW <= 0 || plotH <= 0 {
		return
	}
	step := niceStep(maxV, 4)
	top := ((maxV + step - 1) / step) * step
	d.textColor(colMuted)
	for v := 0; v <= top; v += step {
		yy := plotY + plotH - float64(v)/float64(top)*plotH
		d.rule(plotX, plotX+plotW, yy, 0.12, colRule)
		d.textRight(plotX-1*s, yy-d.lh()/2, d.num(v))
	}
	slot := plotW / float64(len(rows))
	colW := slot * 0.72
	every := 1
	for {
		maxLabel := 0.0
		for i, r := range rows {
			if i%every == 0 {
				maxLabel = math.Max(maxLabel, d.width(r.label))
			}
		}
		if maxLabel <= slot*float64(every)*0.95 || every > len(rows) {
			break
		}
		every++
	}
	for i, r := range rows {
		cx := plotX + slot*float64(i) + (slot-colW)/2
		base := plotY + plotH
		for _, part := range []struct {
			n int
			c rgb
		}{{r.g.F, colWomen}, {r.g.M, colMen}, {r.g.U, colUnknown}} {
			if part.n <= 0 {
				continue
			}
			hh := float64(part.n) / float64(top) * plotH
			d.rect(cx, base-hh, colW, hh, part.c)
			base -= hh
		}
		if i%every == 0 {
			d.textCenter(plotX+slot*(float64(i)+0.5), plotY+plotH+0.8*s, r.label)
		}
	}
	d.rule(plotX, plotX+plotW, plotY+plotH, 0.3, colMuted)
	d.textColor(colInk)
}

// donut draws a ring of slices, clockwise from the top.
func (d *doc) donut(cx, cy, r, inner float64, parts []int, colors []rgb) {
	total := 0
	for _, p := range parts {
		total += max(0, p)
	}
	if total == 0 {
		d.drawColor(colRule)
		d.pdf.SetLineWidth(0.3)
		d.pdf.Circle(cx, cy, r, "D")
		d.pdf.Circle(cx, cy, inner, "D")
		return
	}
	start := -math.Pi / 2
	for i, p := range parts {
		if p <= 0 {
			continue
		}
		sweep := 2 * math.Pi * float64(p) / float64(total)
		n := max(2, int(sweep/(math.Pi/90))) // a point every 2°
		pts := make([]gofpdf.PointType, 0, 2*n+2)
		for k := 0; k <= n; k++ {
			a := start + sweep*float64(k)/float64(n)
			pts = append(pts, gofpdf.PointType{X: cx + r*math.Cos(a), Y: cy + r*math.Sin(a)})
		}
		for k := n; k >= 0; k-- {
			a := start + sweep*float64(k)/float64(n)
			pts = append(pts, gofpdf.PointType{X: cx + inner*math.Cos(a), Y: cy + inner*math.Sin(a)})
		}
		d.fillColor(colors[i%len(colors)])
		d.drawColor(colWhite)
		d.pdf.SetLineWidth(0.3)
		d.pdf.Polygon(pts, "FD")
		start += sweep
	}
}

// keyFigure draws a big number over its label in a tinted box.
func (d *doc) keyFigure(x, y, w, h, s float64, value, label string) {
	d.rect(x, y, w, h, colAccentBg)
	d.font(true, 15*s)
	d.textColor(colAccent)
	d.textCenter(x+w/2, y+h*0.16, d.fit(value, w-2*s))
	d.font(false, 6.8*s)
	d.textColor(colInk)
	ls := d.wrap(label, w-3*s)
	ly := y + h*0.16 + 15*s*ptMM*1.32 + 0.5*s
	for i, l := range ls {
		if i == 2 {
			break
		}
		d.textCenter(x+w/2, ly, l)
		ly += d.lh()
	}
}
