package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // logos may come as GIF
	_ "image/jpeg" // or JPEG
	"image/png"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"registar/data/i18n"
	"registar/reports/fonts"
)

// ptMM is one typographic point in millimetres.
const ptMM = 25.4 / 72

// rgb is a colour.
type rgb struct{ r, g, b int }

// The palette. Women and men have colours that stay apart in greyscale
// photocopies (dark blue against light orange).
var (
	colInk      = rgb{33, 33, 33}
	colMuted    = rgb{105, 105, 105}
	colRule     = rgb{190, 190, 190}
	colShade    = rgb{243, 243, 243}
	colAccent   = rgb{22, 84, 124}
	colAccentBg = rgb{226, 236, 244}
	colWomen    = rgb{236, 142, 62}
	colMen      = rgb{35, 92, 150}
	colUnknown  = rgb{185, 185, 185}
	colBar      = rgb{63, 120, 165}
	colWhite    = rgb{255, 255, 255}
)

// doc is a gofpdf document with the house fonts, page geometry and the few
// text primitives the publications are built from. Coordinates are in
// millimetres from the top left; y of a text line is the top of its line box.
type doc struct {
	pdf  *gofpdf.Fpdf
	lang i18n.Lang
	size Size
	w, h float64 // page size
	// margins
	left, right, top, bottom float64

	pt   float64 // current font size
	bold bool
	logo string  // registered image name of the office logo, "" without one
	lw   float64 // logo width/height ratio

	// blankFrom is the first of the blank pages that pad a booklet to
	// whole sheets (0: none); footers leave them blank.
	blankFrom int
}

// newDoc starts a document of the size with the fonts loaded.
func newDoc(size Size, lang i18n.Lang, title string, now time.Time) *doc {
	w, h := size.mm()
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: w, Ht: h}, OrientationStr: "P"})
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes(fonts.Family, "", fonts.Regular())
	pdf.AddUTF8FontFromBytes(fonts.Family, "B", fonts.Bold())
	pdf.SetCreator("Registar", true)
	pdf.SetProducer("Registar (gofpdf)", true)
	pdf.SetTitle(clean(title), true)
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetDisplayMode("fullpage", "continuous")
	d := &doc{pdf: pdf, lang: lang, size: size, w: w, h: h}
	d.font(false, 10)
	return d
}

// t is the catalogue text of the key in the document's language.
func (d *doc) t(key string, args ...string) string { return i18n.T(d.lang, key, args...) }

// num formats an integer the language's way.
func (d *doc) num(n int) string { return i18n.FormatInt(n, d.lang) }

// font selects the regular or bold face at the size in points.
func (d *doc) font(bold bool, pt float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(fonts.Family, style, pt)
	d.pt, d.bold = pt, bold
}

// em is the current font size in millimetres.
func (d *doc) em() float64 { return d.pt * ptMM }

// lh is the height of a line of the current font.
func (d *doc) lh() float64 { return d.pt * ptMM * 1.32 }

func (d *doc) textColor(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fillColor(c rgb) { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *doc) drawColor(c rgb) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// width is the width of s in the current font.
func (d *doc) width(s string) float64 { return d.pdf.GetStringWidth(s) }

// baseline is where text whose line box starts at y sits.
func (d *doc) baseline(y float64) float64 { return y + d.em()*1.02 }

// text writes one line with its line box's top left at x, y.
func (d *doc) text(x, y float64, s string) {
	if s != "" {
		d.pdf.Text(x, d.baseline(y), s)
	}
}

// textRight writes one line ending at x.
func (d *doc) textRight(x, y float64, s string) {
	if s != "" {
		d.pdf.Text(x-d.width(s), d.baseline(y), s)
	}
}

// textCenter writes one line centred on x.
func (d *doc) textCenter(x, y float64, s string) {
	if s != "" {
		d.pdf.Text(x-d.width(s)/2, d.baseline(y), s)
	}
}

// lines writes lines from y down and returns the y below them.
func (d *doc) lines(x, y float64, ls []string) float64 {
	for _, l := range ls {
		d.text(x, y, l)
		y += d.lh()
	}
	return y
}

// wrap breaks s into lines no wider than w in the current font: at spaces,
// and inside a word only when the word alone is wider than w (a long e-mail
// address). A line break in s starts a new line; an empty line between
// paragraphs stays as "". Only plain spaces break lines: a no-break space
// (inside a phone number) never does.
func (d *doc) wrap(s string, w float64) []string {
	var out []string
	space := d.width(" ")
	for i, para := range strings.Split(s, "\n") {
		if i > 0 && strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		var line strings.Builder
		lineW := 0.0
		for _, word := range strings.Split(para, " ") {
			if word == "" {
				continue
			}
			ww := d.width(word)
			if line.Len() > 0 && lineW+space+ww <= w {
				line.WriteByte(' ')
				line.WriteString(word)
				lineW += space + ww
				continue
			}
			if line.Len() > 0 {
				out = append(out, line.String())
				line.Reset()
				lineW = 0
			}
			for ww > w { // a word wider than the column: break it
				cut, cw := d.fitPrefix(word, w)
				out = append(out, word[:cut])
				word = word[cut:]
				ww -= cw
				if ww <= w {
					ww = d.width(word)
				}
			}
			line.WriteString(word)
			lineW = ww
		}
		if line.Len() > 0 {
			out = append(out, line.String())
		}
	}
	if len(out) == 0 {
		out = append(out, "")
	}
	return out
}

// fitPrefix is the longest prefix of s (at least one rune) no wider than w:
// its length in bytes and its width.
func (d *doc) fitPrefix(s string, w float64) (int, float64) {
	total, cut := 0.0, 0
	for i, r := range s {
		rw := d.width(string(r))
		if total+rw > w && i > 0 {
			return i, total
		}
		total += rw
		cut = i + utf8.RuneLen(r)
	}
	return cut, total
}

// fit shortens s with an ellipsis until it is no wider than w.
func (d *doc) fit(s string, w float64) string {
	if d.width(s) <= w {
		return s
	}
	ell := d.width("…")
	cut, _ := d.fitPrefix(s, max(0, w-ell))
	return strings.TrimRight(s[:cut], " ") + "…"
}

// rule draws a horizontal line.
func (d *doc) rule(x1, x2, y, width float64, c rgb) {
	d.drawColor(c)
	d.pdf.SetLineWidth(width)
	d.pdf.Line(x1, y, x2, y)
}

// rect fills a rectangle.
func (d *doc) rect(x, y, w, h float64, c rgb) {
	if w <= 0 || h <= 0 {
		return
	}
	d.fillColor(c)
	d.pdf.Rect(x, y, w, h, "F")
}

// setLogo registers the office logo, if it can be read as an image. The
// image is re-encoded as an 8-bit RGBA PNG, which gofpdf always reads
// (it refuses 16-bit and interlaced PNGs), and scaled down when large.
func (d *doc) setLogo(b []byte) {
	if len(b) == 0 {
		return
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 40_000_000 {
		return
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return
	}
	img = shrink(img, 800)
	bounds := img.Bounds()
	rgba := image.NewNRGBA(image.Rect(0, 0, bounds.Dx(), bounds.Dy()))
	draw.Draw(rgba, rgba.Bounds(), img, bounds.Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, rgba); err != nil {
		return
	}
	info := d.pdf.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: "PNG"}, &buf)
	if d.pdf.Err() || info == nil {
		d.pdf.ClearError()
		return
	}
	d.logo = "logo"
	d.lw = float64(bounds.Dx()) / float64(bounds.Dy())
}

// drawLogo draws the logo fitted into the box, centred; false without a logo.
func (d *doc) drawLogo(x, y, w, h float64) bool {
	if d.logo == "" {
		return false
	}
	lw, lh := w, w/d.lw
	if lh > h {
		lh, lw = h, h*d.lw
	}
	d.pdf.ImageOptions(d.logo, x+(w-lw)/2, y+(h-lh)/2, lw, lh, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return true
}

// shrink scales an image down (box filter) so neither side exceeds max.
func shrink(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	f := (max(b.Dx(), b.Dy()) + maxSide - 1) / maxSide
	if f <= 1 {
		return img
	}
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx()/f, b.Dy()/f))
	for y := 0; y < out.Bounds().Dy(); y++ {
		for x := 0; x < out.Bounds().Dx(); x++ {
			var r, g, bl, a, n uint64
			for dy := 0; dy < f; dy++ {
				for dx := 0; dx < f; dx++ {
					cr, cg, cb, ca := img.At(b.Min.X+x*f+dx, b.Min.Y+y*f+dy).RGBA()
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			if a == 0 {
				continue
			}
			// average premultiplied colour, then un-premultiply
			out.Pix[out.PixOffset(x, y)+0] = uint8(r * 255 / a)
			out.Pix[out.PixOffset(x, y)+1] = uint8(g * 255 / a)
			out.Pix[out.PixOffset(x, y)+2] = uint8(bl * 255 / a)
			out.Pix[out.PixOffset(x, y)+3] = uint8(a / n >> 8)
		}
	}
	return out
}

// pad adds blank pages at the end until the page count is a multiple of per.
func (d *doc) pad(per int) {
	for d.pdf.PageCount()%per != 0 {
		if d.blankFrom == 0 {
			d.blankFrom = d.pdf.PageCount() + 1
		}
		d.pdf.AddPage()
	}
}

// blank reports whether the current page is a padding page.
func (d *doc) blank() bool { return d.blankFrom > 0 && d.pdf.PageNo() >= d.blankFrom }

// output closes the document and writes it; gofpdf's errors are sticky, so
// one check here catches any made while drawing. "{nb}" in the text becomes
// the number of pages (padding left out).
func (d *doc) output(w io.Writer) error {
	nb := d.pdf.PageCount()
	if d.blankFrom > 0 {
		nb = d.blankFrom - 1
	}
	d.pdf.RegisterAlias("{nb}", strconv.Itoa(nb))
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("reports: PDF: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("reports: PDF: %w", err)
	}
	return nil
}

// restore re-applies the graphics state after SetPage has taken the
// document back to an earlier page, whose content stream ends in whatever
// state it was left in.
func (d *doc) restore() {
	d.font(d.bold, d.pt)
	d.textColor(colInk)
	d.pdf.SetLineWidth(0.2)
}
