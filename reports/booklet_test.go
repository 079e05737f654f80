package reports

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"registar/data/i18n"
)

// markedPDF makes n pages of the size, page p carrying the words TOPp at its
// top edge and BOTp at its bottom edge, so that where a page lands on an
// imposed sheet, and which way up, can be read back with pdftotext -bbox.
func markedPDF(t *testing.T, size Size, n int) []byte {
	t.Helper()
	d := newDoc(size, i18n.EN, "marked", testNow)
	for p := 1; p <= n; p++ {
		d.pdf.AddPage()
		d.font(true, 14)
		d.textCenter(d.w/2, 8, fmt.Sprintf("TOP%d", p))
		d.textCenter(d.w/2, d.h-16, fmt.Sprintf("BOT%d", p))
	}
	var b bytes.Buffer
	if err := d.output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type word struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

func (w word) cx() float64 { return (w.xMin + w.xMax) / 2 }
func (w word) cy() float64 { return (w.yMin + w.yMax) / 2 }

type bboxPage struct {
	w, h  float64
	words []word
}

var (
	bboxPageRe = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	bboxWordRe = regexp.MustCompile(`<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>`)
)

// bboxes reads every word of every page with its box (points, y down).
func bboxes(t testing.TB, path string) []bboxPage {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	var pages []bboxPage
	for _, chunk := range strings.Split(out, "</page>") {
		m := bboxPageRe.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		p := bboxPage{}
		p.w, _ = strconv.ParseFloat(m[1], 64)
		p.h, _ = strconv.ParseFloat(m[2], 64)
		for _, wm := range bboxWordRe.FindAllStringSubmatch(chunk, -1) {
			var f [4]float64
			for i := range f {
				f[i], _ = strconv.ParseFloat(wm[i+1], 64)
			}
			p.words = append(p.words, word{unescapeXML(wm[5]), f[0], f[1], f[2], f[3]})
		}
		pages = append(pages, p)
	}
	return pages
}

func unescapeXML(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(s)
}

// tile is a page of the booklet as found on a side of an imposed sheet:
// its centre and the direction of its top, in the side's own coordinates.
type tile struct {
	page   int
	cx, cy float64
	ux, uy float64 // unit vector from the page's bottom to its top
}

func tiles(t *testing.T, side bboxPage) map[int]tile {
	t.Helper()
	top, bot := map[int]word{}, map[int]word{}
	for _, w := range side.words {
		if n, err := strconv.Atoi(strings.TrimPrefix(w.text, "TOP")); err == nil && strings.HasPrefix(w.text, "TOP") {
			top[n] = w
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(w.text, "BOT")); err == nil && strings.HasPrefix(w.text, "BOT") {
			bot[n] = w
		}
	}
	out := map[int]tile{}
	for n, tw := range top {
		bw, ok := bot[n]
		if !ok {
			t.Fatalf("page %d: TOP without BOT", n)
		}
		dx, dy := tw.cx()-bw.cx(), tw.cy()-bw.cy()
		l := math.Hypot(dx, dy)
		out[n] = tile{page: n, cx: (tw.cx() + bw.cx()) / 2, cy: (tw.cy() + bw.cy()) / 2, ux: math.Round(dx / l), uy: math.Round(dy / l)}
	}
	return out
}

// checkBooklet simulates printing the imposed PDF on a duplex printer that
// flips as b says, then folding: every page must be backed by its right
// neighbour (1 by 2, 3 by 4, …), the same way up, and on every side the
// odd page of a spread must lie right of the even one, which, read the
// right way up, is what makes a booklet that opens like a book.
func checkBooklet(t *testing.T, sides []bboxPage, n int, b Binding, perSide int) {
	t.Helper()
	if len(sides)%2 != 0 {
		t.Fatalf("%d sides: not whole sheets", len(sides))
	}
	seen := map[int]bool{}
	for s := 0; s < len(sides); s += 2 {
		front, back := tiles(t, sides[s]), tiles(t, sides[s+1])
		if len(front) != perSide || len(back) != perSide {
			t.Fatalf("sheet %d: %d and %d pages on the sides, want %d", s/2+1, len(front), len(back), perSide)
		}
		W, H := sides[s+1].w, sides[s+1].h
		for _, side := range []map[int]tile{front, back} {
			for p, tl := range side {
				seen[p] = true
				// the spread partner of p is n+1-p
				q, ok := side[n+1-p]
				if !ok {
					t.Fatalf("sheet %d: page %d without %d beside it", s/2+1, p, n+1-p)
				}
				if q.ux != tl.ux || q.uy != tl.uy {
					t.Errorf("sheet %d: pages %d and %d of a spread point different ways", s/2+1, p, q.page)
				}
				if p%2 == 1 {
					// right of the fold when read the right way up: rightward is the top turned clockwise
					rx, ry := -tl.uy, tl.ux
					if (tl.cx-q.cx)*rx+(tl.cy-q.cy)*ry <= 0 {
						t.Errorf("sheet %d: odd page %d is left of %d", s/2+1, p, q.page)
					}
				}
			}
		}
		for p, ft := range front {
			// where the back of this spot is, seen on the back side
			bx, by, bux, buy := W-ft.cx, ft.cy, -ft.ux, ft.uy // long edge: mirrored left-right
			if b == ShortEdge {
				bx, by, bux, buy = ft.cx, H-ft.cy, ft.ux, -ft.uy // short edge: mirrored top-bottom
			}
			want := p + 1
			if p%2 == 0 {
				want = p - 1
			}
			bt, ok := back[want]
			if !ok {
				t.Fatalf("sheet %d: page %d's reverse, %d, is not on the back", s/2+1, p, want)
			}
			if math.Abs(bt.cx-bx) > 20 || math.Abs(bt.cy-by) > 20 {
				t.Errorf("sheet %d: page %d is backed by %d at (%.0f,%.0f), want the spot (%.0f,%.0f)", s/2+1, p, want, bt.cx, bt.cy, bx, by)
			}
			if bt.ux != bux || bt.uy != buy {
				t.Errorf("sheet %d: page %d and its reverse %d are not the same way up", s/2+1, p, want)
			}
		}
	}
	if len(seen) != n {
		t.Errorf("%d pages imposed, want %d", len(seen), n)
	}
}

func TestImposeTwoUpAndFourUp(t *testing.T) {
	needPoppler(t)
	cases := []struct {
		size    Size
		pages   int
		perSide int
	}{
		{A5, 8, 2},
		{A5, 16, 2},
		{A4, 4, 2},
		{A6, 16, 4},
		{A6, 8, 4},
	}
	for _, c := range cases {
		for _, b := range []Binding{LongEdge, ShortEdge} {
			t.Run(fmt.Sprintf("%s-%d-%s", c.size, c.pages, b), func(t *testing.T) {
				var out bytes.Buffer
				sheets, err := Impose(bytes.NewReader(markedPDF(t, c.size, c.pages)), &out, c.size, b)
				if err != nil {
					t.Fatal(err)
				}
				if want := c.pages / c.perSide; sheets != want {
					t.Fatalf("%d A4 sides, want %d", sheets, want)
				}
				path := writeTemp(t, out.Bytes())
				if n := pageCount(t, path); n != sheets {
					t.Fatalf("pdfinfo: %d pages, Impose said %d", n, sheets)
				}
				sides := bboxes(t, path)
				for _, s := range sides {
					if math.Abs(s.w-595.3) > 1 || math.Abs(s.h-841.9) > 1 {
						t.Fatalf("sheet is %.0fx%.0f pt, want A4 portrait", s.w, s.h)
					}
				}
				checkBooklet(t, sides, c.pages, b, c.perSide)
				info := run(t, "pdfinfo", path)
				_ = info
				raw := out.String()
				want := "/DuplexFlipLongEdge"
				if b == ShortEdge {
					want = "/DuplexFlipShortEdge"
				}
				if !strings.Contains(raw, want) {
					t.Errorf("the PDF does not ask for %s", want)
				}
			})
		}
	}
}

// The first sheet of an 8-page A5 booklet carries pages 8 and 1 on its
// front and 2 and 7 on its back.
func TestImposeFirstSheet(t *testing.T) {
	needPoppler(t)
	var out bytes.Buffer
	if _, err := Impose(bytes.NewReader(markedPDF(t, A5, 8)), &out, A5, LongEdge); err != nil {
		t.Fatal(err)
	}
	sides := bboxes(t, writeTemp(t, out.Bytes()))
	front, back := tiles(t, sides[0]), tiles(t, sides[1])
	for _, p := range []int{8, 1} {
		if _, ok := front[p]; !ok {
			t.Errorf("page %d is not on the front of sheet 1: %v", p, front)
		}
	}
	for _, p := range []int{2, 7} {
		if _, ok := back[p]; !ok {
			t.Errorf("page %d is not on the back of sheet 1: %v", p, back)
		}
	}
}

func TestImposeRefusesNoBinding(t *testing.T) {
	if _, err := Impose(bytes.NewReader(nil), &bytes.Buffer{}, A5, NoBooklet); err == nil {
		t.Fatal("Impose without a binding gave no error")
	}
	if _, err := Impose(bytes.NewReader([]byte("not a pdf")), &bytes.Buffer{}, A5, LongEdge); err == nil {
		t.Fatal("Impose of garbage gave no error")
	}
}
