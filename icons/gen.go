//go:build ignore

// gen draws the app icon: an open registry book on a blue tile, plain
// shapes that still read at 16 px. Run: go run icons/gen.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

func main() {
	const n = 512
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	blue := color.NRGBA{0x1f, 0x4e, 0x8c, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	gold := color.NRGBA{0xf2, 0xb1, 0x34, 0xff}
	line := color.NRGBA{0x9d, 0xb4, 0xd3, 0xff}
	radius := 96.0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if inRoundRect(float64(x)+.5, float64(y)+.5, 16, 16, n-16, n-16, radius) {
				img.Set(x, y, blue)
			}
		}
	}
	// Two pages, slanted like an open book.
	for y := 150; y < 390; y++ {
		for x := 96; x < 416; x++ {
			fx, fy := float64(x), float64(y)
			left := fx < 256 && fy > 150+(256-fx)*-0.12+0 && fy < 390-(256-fx)*0.10
			right := fx >= 256 && fy > 150+(fx-256)*-0.12 && fy < 390-(fx-256)*0.10
			if left || right {
				img.Set(x, y, white)
			}
		}
	}
	// Text lines on the pages.
	for _, ly := range []int{200, 240, 280, 320} {
		for y := ly; y < ly+10; y++ {
			for x := 126; x < 232; x++ {
				img.Set(x, y, line)
			}
			for x := 280; x < 386; x++ {
				img.Set(x, y, line)
			}
		}
	}
	// The spine.
	for y := 140; y < 400; y++ {
		for x := 248; x < 264; x++ {
			img.Set(x, y, gold)
		}
	}
	f, err := os.Create("icons/registar.png")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		panic(err)
	}
}

func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return math.Hypot(x-cx, y-cy) <= r
}
