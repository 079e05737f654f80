//go:build ignore

// gen draws the app icon: an open registry book on a blue tile.
//
// The shapes are laid out on a 16-unit grid so that at 16 px every edge
// falls on a pixel boundary and the icon stays sharp in a title bar or a
// file list; larger sizes add finer text lines. It writes
//
//	icons/registar.png   512 px, FyneApp.toml's icon (Linux, window icon)
//	icons/registar.ico   16 20 24 32 40 48 64 128 256 px, the Windows executable's
//	                     icon (fyne package embeds one size only: fyne-io/tools#79)
//
// Run from the module root: go run icons/gen.go
//
// With -hicolor DIR it writes only the freedesktop icon theme files,
// DIR/<n>x<n>/apps/ba.registar.app.png for hicolor's sizes 16…512 px (make dist puts them in
// the Linux archive).
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

var (
	blue  = color.NRGBA{0x1f, 0x4e, 0x8c, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	gold  = color.NRGBA{0xf2, 0xb1, 0x34, 0xff}
	ink   = color.NRGBA{0x5b, 0x7d, 0xb1, 0xff} // text lines: mid blue, visible at 16 px
	shade = color.NRGBA{0xd6, 0xe1, 0xf0, 0xff} // page edge, large sizes only
)

// appID is FyneApp.toml's ID, the icon's name in a freedesktop theme.
const appID = "ba.registar.app"

func main() {
	hicolor := flag.String("hicolor", "", "write DIR/<n>x<n>/apps/"+appID+".png and nothing else")
	flag.Parse()
	if *hicolor != "" {
		for _, n := range []int{16, 22, 24, 32, 48, 64, 128, 256, 512} {
			dir := filepath.Join(*hicolor, fmt.Sprintf("%dx%d", n, n), "apps")
			must(os.MkdirAll(dir, 0o755))
			must(writePNG(filepath.Join(dir, appID+".png"), draw(n)))
		}
		return
	}
	must(writePNG("icons/registar.png", draw(512)))
	var imgs []image.Image
	for _, n := range []int{16, 20, 24, 32, 40, 48, 64, 128, 256} {
		imgs = append(imgs, draw(n))
	}
	must(writeICO("icons/registar.ico", imgs))
}

// draw renders the icon at n×n pixels with 8×8 samples per pixel.
func draw(n int) *image.NRGBA {
	const ss = 8
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	unit := float64(n) / 16
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					u := (float64(x) + (float64(sx)+.5)/ss) / unit
					v := (float64(y) + (float64(sy)+.5)/ss) / unit
					c, ok := at(u, v, n)
					if !ok {
						continue
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				uint8(r/a + .5), uint8(g/a + .5), uint8(b/a + .5),
				uint8(a * 255 / (ss * ss)),
			})
		}
	}
	return img
}

// at is the colour at (u, v) on the 16-unit grid, painted back to front;
// ok is false outside the tile. Every straight edge is snapped to the
// pixel grid, and the right half mirrors the left so that both pages keep
// the same width whatever the size.
func at(u, v float64, n int) (c color.NRGBA, ok bool) {
	if !inRoundRect(u, v, 0, 0, 16, 16, 3) {
		return c, false
	}
	unit := float64(n) / 16
	s := func(e float64) float64 { return math.Round(e*unit) / unit }
	u = math.Min(u, 16-u) // left half; the spine is at 8
	c = blue
	// A page; its lower edge dips one unit towards the spine, so the
	// outline reads as an open book even at 16 px.
	outer, inner := s(2), s(7)
	bottom := s(12) + (s(13)-s(12))*math.Min(1, (u-outer)/(inner-outer))
	if u >= outer && v >= s(4) && v < bottom {
		c = white
		if n >= 48 && v >= bottom-0.35 {
			c = shade
		}
		// Three text lines: one pixel thick at 16 px, thinner above 32 px.
		thick, right := 1.0, 6.0
		if n > 32 {
			thick, right = 0.6, 6.2
		}
		if u >= s(3) && u < s(right) {
			for _, top := range []float64{6, 8, 10} {
				if v >= s(top) && v < math.Max(s(top+thick), s(top)+1/unit) {
					c = ink
				}
			}
		}
	}
	// The spine doubles as a bookmark ribbon above and below the pages.
	if u >= s(7) && v >= s(3) && v < s(14) {
		c = gold
	}
	return c, true
}

func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return math.Hypot(x-cx, y-cy) <= r
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

func writePNG(path string, img image.Image) error {
	b, err := encodePNG(img)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// writeICO writes PNG-compressed entries (Windows Vista and later).
func writeICO(path string, imgs []image.Image) error {
	var pngs [][]byte
	for _, img := range imgs {
		b, err := encodePNG(img)
		if err != nil {
			return err
		}
		pngs = append(pngs, b)
	}
	var out bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&out, le, [3]uint16{0, 1, uint16(len(imgs))}) // reserved, type icon, count
	offset := 6 + 16*len(imgs)
	for i, img := range imgs {
		w := img.Bounds().Dx()
		dim := uint8(w)
		if w >= 256 {
			dim = 0 // 0 means 256
		}
		binary.Write(&out, le, struct {
			W, H, Colors, Reserved uint8
			Planes, BitCount       uint16
			Size, Offset           uint32
		}{dim, dim, 0, 0, 1, 32, uint32(len(pngs[i])), uint32(offset)})
		offset += len(pngs[i])
	}
	for _, p := range pngs {
		out.Write(p)
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
