package reports

import (
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"registar/data/i18n"
)

// LabelFormat is a sheet of self-adhesive address labels on A4: Cols×Rows
// labels of Width×Height mm, the first one's top left corner Top mm from
// the sheet's top and Left mm from its left edge, with GapX mm between
// columns and GapY mm between rows.
type LabelFormat struct {
	Name                  string
	Cols, Rows            int
	Width, Height         float64 // mm
	Top, Left, GapX, GapY float64 // mm
}

// LabelFormats are the sheets offices buy, the default first: 3×7 labels
// of 70×42.3 mm edge to edge (Avery 3652, Herma 4453 and the like), and
// 2×7 of 99.1×38.1 mm (Avery L7163 geometry).
var LabelFormats = []LabelFormat{
	{Name: "3x7", Cols: 3, Rows: 7, Width: 70, Height: 42.3, Top: (297 - 7*42.3) / 2},
	{Name: "2x7", Cols: 2, Rows: 7, Width: 99.1, Height: 38.1, Top: 15.15, Left: 4.65, GapX: 2.5},
}

// LabelFormatByName finds a format of LabelFormats by its name ("3x7",
// "2x7"; "3×7" and upper case are read too).
func LabelFormatByName(name string) (LabelFormat, bool) {
	name = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(name, "×", "x")))
	for _, f := range LabelFormats {
		if f.Name == name {
			return f, true
		}
	}
	return LabelFormat{}, false
}

// perSheet is the number of labels on one sheet.
func (f LabelFormat) perSheet() int { return f.Cols * f.Rows }

// fits reports whether the format is a sheet of labels that fits on A4.
func (f LabelFormat) fits() bool {
	const slack = 0.05 // rounding of the makers' figures
	if f.Cols <= 0 || f.Rows <= 0 || f.Width <= 0 || f.Height <= 0 || f.Top < 0 || f.Left < 0 || f.GapX < 0 || f.GapY < 0 {
		return false
	}
	w := f.Left + float64(f.Cols)*f.Width + float64(f.Cols-1)*f.GapX
	h := f.Top + float64(f.Rows)*f.Height + float64(f.Rows-1)*f.GapY
	return w <= 210+slack && h <= 297+slack
}

// LabelOptions say how labels are printed.
type LabelOptions struct {
	// Format is the sheet; the zero value is LabelFormats[0] (3×7).
	Format LabelFormat
	// Skip is the number of labels already used on the first sheet: the
	// first label goes into the next cell, counted along the rows.
	Skip int
	// Lang is the language of the document's title (default English).
	Lang i18n.Lang
	// Outline draws each label's edge in light grey, for a test print on
	// plain paper held against a sheet of labels.
	Outline bool
	// Now is the creation date written into the PDF; zero is now.
	Now time.Time
}

// Label geometry: the text keeps clear of the label's edges (labels are
// cut a little off, and 3×7 sheets have no margin the printer can leave
// blank), and is set at most at labelPt, shrunk down to labelMinPt for long
// lines before a line is wrapped or shortened.
const (
	labelPadX, labelPadY = 5.5, 3.5 // mm
	labelPt, labelMinPt  = 10, 7
	labelLead            = 1.22 // line height / font size
	labelMaxLines        = 6
)

// Labels writes address labels as a PDF of A4 sheets: one label per entry
// of labels, each the lines of one address (as outreach.AddressLines gives
// them), filled along the rows, starting after opt.Skip used cells on the
// first sheet. The lines of a label are set as large as fit, never over its
// edge; more than six lines are joined so the first (the name) and the last
// (the city or country) stay whole. No labels is ErrNoLabels.
func Labels(w io.Writer, labels [][]string, opt LabelOptions) error {
	if len(labels) == 0 {
		return ErrNoLabels
	}
	f := opt.Format
	if f == (LabelFormat{}) {
		f = LabelFormats[0]
	}
	if !f.fits() {
		return &outreachError{key: "outreachpdf.bad_format", args: []string{"name", f.Name}}
	}
	per := f.perSheet()
	if opt.Skip < 0 || opt.Skip >= per {
		return &outreachError{key: "outreachpdf.bad_skip", args: []string{"max", strconv.Itoa(per - 1)}}
	}
	lang := opt.Lang
	if lang == "" {
		lang = i18n.EN
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := newDoc(A4, lang, i18n.T(lang, "outreachpdf.labels.title"), now)
	d.textColor(colInk)
	innerW, innerH := f.Width-2*labelPadX, f.Height-2*labelPadY
	for i, lab := range labels {
		slot := i + opt.Skip
		cell := slot % per
		if i == 0 || cell == 0 {
			d.pdf.AddPage()
			if opt.Outline {
				d.drawColor(colRule)
				d.pdf.SetLineWidth(0.15)
				for c := 0; c < per; c++ {
					x, y := f.cell(c)
					d.pdf.Rect(x, y, f.Width, f.Height, "D")
				}
			}
		}
		x, y := f.cell(cell)
		pt, lines := d.fitBlock(lab, innerW, innerH, labelPt, labelMinPt, labelMaxLines, labelLead)
		lh := pt * ptMM * labelLead
		d.font(false, pt)
		ty := y + labelPadY + (innerH-float64(len(lines))*lh)/2
		for _, l := range lines {
			d.text(x+labelPadX, ty, l)
			ty += lh
		}
	}
	return d.output(w)
}

// cell is the top left corner of the n-th label of a sheet, counted along
// the rows.
func (f LabelFormat) cell(n int) (x, y float64) {
	r, c := n/f.Cols, n%f.Cols
	return f.Left + float64(c)*(f.Width+f.GapX), f.Top + float64(r)*(f.Height+f.GapY)
}

// fitBlock sets a block of lines (an address) into a box w×h mm: at maxPt
// if it fits; shrunk by up to 15 % when a line is a little too wide or
// there are many lines; else with the too-wide lines wrapped, at the
// largest size down to minPt at which every line fits; else, at minPt,
// with what does not fit shortened with an ellipsis. Blank lines are
// dropped and the lines cleaned for the PDF; more than maxLines are joined
// (the first and the last stay whole). It returns the size in points and
// the lines to write, and leaves the regular font selected at that size.
func (d *doc) fitBlock(in []string, w, h, maxPt, minPt float64, maxLines int, lead float64) (float64, []string) {
	lines := make([]string, 0, len(in))
	for _, l := range in {
		if l = clean(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > maxLines {
		mid := strings.Join(lines[maxLines-2:len(lines)-1], ", ")
		lines = append(lines[:maxLines-2:maxLines-2], mid, lines[len(lines)-1])
	}
	if len(lines) == 0 {
		return maxPt, nil
	}
	d.font(false, maxPt)
	widest := 0.0
	for _, l := range lines {
		widest = max(widest, d.width(l))
	}
	pt := maxPt
	if widest > w {
		pt = maxPt * w / widest
	}
	if byH := h / (float64(len(lines)) * ptMM * lead); byH < pt {
		pt = byH
	}
	pt = float64(int(pt*4)) / 4 // quarter points, so similar labels look alike
	if pt >= max(minPt, maxPt*0.85) {
		d.font(false, pt)
		return pt, lines
	}
	// a line much too long (an association's name): wrapped at the
	// largest size at which all the lines fit
	for try := maxPt; try >= minPt; try -= 0.5 {
		d.font(false, try)
		rows := int(h / (try * ptMM * lead))
		out := make([]string, 0, rows)
		for _, l := range lines {
			if d.width(l) <= w {
				out = append(out, l)
			} else {
				out = append(out, d.noOrphan(d.wrap(l, w), w)...)
			}
			if len(out) > rows {
				break
			}
		}
		if len(out) <= rows {
			return try, out
		}
	}
	pt = max(minPt, min(pt, maxPt))
	d.font(false, pt)
	room := int(h / (pt * ptMM * lead))
	if room < 1 {
		room = 1
	}
	out := make([]string, 0, room)
	for i, l := range lines {
		left := len(lines) - i - 1 // lines still to come, one row each
		if d.width(l) <= w {
			out = append(out, l)
			continue
		}
		parts := d.wrap(l, w)
		if free := room - len(out) - left; len(parts) > free {
			if free < 1 {
				free = 1
			}
			rest := strings.Join(parts[free-1:], " ")
			parts = append(parts[:free-1:free-1], d.fit(rest, w))
		}
		out = append(out, parts...)
	}
	if len(out) > room { // more lines than rows even at the smallest size
		out = out[:room]
	}
	return pt, out
}

// noOrphan moves the last word of the second-last line down when the last
// line would be a scrap ("e. V.", "d.o.o.") alone; the moved word makes the
// line above shorter; it is not moved when the last line would get wider
// than w.
func (d *doc) noOrphan(parts []string, w float64) []string {
	n := len(parts)
	if n < 2 || utf8.RuneCountInString(parts[n-1]) > 5 {
		return parts
	}
	prev := parts[n-2]
	i := strings.LastIndexByte(prev, ' ')
	if i <= 0 {
		return parts
	}
	last := prev[i+1:] + " " + parts[n-1]
	if d.width(last) > w {
		return parts
	}
	parts[n-2], parts[n-1] = prev[:i], last
	return parts
}
