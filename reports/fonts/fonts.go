// Package fonts embeds the typeface of Registar's publications, Noto Sans
// Regular and Bold (SIL Open Font License 1.1, see OFL.txt), and says which
// characters it can draw.
//
// Noto Sans covers Latin with Latin Extended-A and B (č ć đ š ž ë ç, the
// digraphs ǅ ǈ ǋ), Greek and Cyrillic (Serbian ђ ћ џ љ њ ј), which is every
// letter the offices' names and places use. The PDF library embeds only the
// glyphs a document uses, so a publication carries a few tens of kilobytes
// of font, not the whole files.
package fonts

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"sync"
)

// Family is the font family name publications register the fonts under.
const Family = "NotoSans"

var (
	//go:embed NotoSans-Regular.ttf
	regular []byte
	//go:embed NotoSans-Bold.ttf
	bold []byte
	//go:embed OFL.txt
	licence string
)

// Regular returns the TrueType file of Noto Sans Regular. Callers must not
// modify it.
func Regular() []byte { return regular }

// Bold returns the TrueType file of Noto Sans Bold. Callers must not modify it.
func Bold() []byte { return bold }

// Licence returns the SIL Open Font License text the fonts are shipped with.
func Licence() string { return licence }

var (
	coverOnce sync.Once
	cover     []uint64 // bit r set: both faces have a glyph for rune r (BMP only)
	coverErr  error
)

// Covers reports whether both faces have a glyph for r. Runes outside the
// Basic Multilingual Plane are never covered (the PDF library cannot encode
// them at all).
func Covers(r rune) bool {
	coverOnce.Do(buildCover)
	if coverErr != nil || r < 0 || r > 0xFFFF {
		return false
	}
	return cover[r>>6]&(1<<(uint(r)&63)) != 0
}

// Check returns an error if the embedded fonts cannot be read; tests call it.
func Check() error {
	coverOnce.Do(buildCover)
	return coverErr
}

func buildCover() {
	r, err := bmpCoverage(regular)
	if err != nil {
		coverErr = err
		return
	}
	b, err := bmpCoverage(bold)
	if err != nil {
		coverErr = err
		return
	}
	for i := range r {
		r[i] &= b[i]
	}
	cover = r
}

var errCmap = errors.New("fonts: no usable Unicode cmap (format 4) in the font")

// bmpCoverage reads the font's Unicode BMP character map (the Windows
// Unicode subtable, format 4) and returns a bitset of the runes that map to a
// glyph other than .notdef.
func bmpCoverage(ttf []byte) ([]uint64, error) {
	u16 := func(b []byte, off int) (int, bool) {
		if off < 0 || off+2 > len(b) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(b[off:])), true
	}
	u32 := func(b []byte, off int) (int, bool) {
		if off < 0 || off+4 > len(b) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(b[off:])), true
	}
	numTables, ok := u16(ttf, 4)
	if !ok {
		return nil, errCmap
	}
	cmapOff := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errCmap
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmapOff, _ = u32(ttf, rec+8)
		}
	}
	if cmapOff < 0 {
		return nil, errCmap
	}
	n, ok := u16(ttf, cmapOff+2)
	if !ok {
		return nil, errCmap
	}
	sub := -1
	for i := 0; i < n; i++ {
		pid, _ := u16(ttf, cmapOff+4+8*i)
		eid, _ := u16(ttf, cmapOff+4+8*i+2)
		off, ok := u32(ttf, cmapOff+4+8*i+4)
		if !ok {
			return nil, errCmap
		}
		if format, _ := u16(ttf, cmapOff+off); format == 4 && (pid == 3 && eid == 1 || pid == 0) {
			sub = cmapOff + off
			if pid == 3 {
				break
			}
		}
	}
	if sub < 0 {
		return nil, errCmap
	}
	segX2, ok := u16(ttf, sub+6)
	if !ok || segX2 == 0 {
		return nil, errCmap
	}
	ends, starts := sub+14, sub+16+segX2
	deltas, ranges := starts+segX2, starts+2*segX2
	bits := make([]uint64, 0x10000/64)
	for s := 0; s < segX2/2; s++ {
		end, ok1 := u16(ttf, ends+2*s)
		start, ok2 := u16(ttf, starts+2*s)
		delta, ok3 := u16(ttf, deltas+2*s)
		ro, ok4 := u16(ttf, ranges+2*s)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errCmap
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			g := 0
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				gi, ok := u16(ttf, ranges+2*s+ro+2*(c-start))
				if !ok {
					return nil, errCmap
				}
				if gi != 0 {
					g = (gi + delta) & 0xFFFF
				}
			}
			if g != 0 {
				bits[c>>6] |= 1 << (uint(c) & 63)
			}
		}
	}
	return bits, nil
}
