package reports

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sync"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/charmap"

	"registar/reports/fonts"
)

// The fillable form's field font: Noto Sans Regular as a simple TrueType
// font, one byte a letter, with an encoding of our own and only the glyphs
// that encoding reaches. A one-byte font because pdftk (pdftk-java 3.3,
// an iText fork) draws field values only in Type1 and TrueType fonts: its
// DocumentFont has no Type0 branch, and given the whole Noto Sans as a
// Type0/Identity-H font it wrote a zero byte for every letter, so every
// value, ASCII too, printed as boxes. poppler drew both kinds.
//
// One byte holds 255 letters, so the encoding is chosen: WinAnsi (ASCII,
// the Latin-1 letters of the countries where the diaspora lives, Š š Ž ž,
// quotes and dashes) with its rarest symbols and unused codes given to the
// letters the offices' languages add: Č č Ć ć Đ đ, the 60 letters of
// Serbian Cyrillic, Turkish Ğ ğ İ ı Ş ş, Hungarian (Vojvodina) Ő ő Ű ű,
// and Й й. Each added letter is named as the Adobe Glyph List names it
// (afii10017 for А), the only names pdftk knows; readers map a name to
// Unicode and the font's own cmap to the glyph.
//
// A letter outside the set (Russian Щ, Polish ł, Greek) is one no font of
// the form can draw: pdftk leaves it out, and so does poppler when it draws
// a value a program filled (NeedAppearances). A viewer a person types in
// uses a font of its own for it.

// fieldFontName is the font's name in the form's resources and the
// fields' /DA.
const fieldFontName = "NotoSans"

// fieldDA is a text field's default appearance at pt points, black.
func fieldDA(pt int) string { return fmt.Sprintf("/%s %d Tf 0 g", fieldFontName, pt) }

// winAnsiDropped are the WinAnsi symbols whose codes go to letters: nobody
// writes them in a registration form. (pdftk, which keeps WinAnsi's
// reading of a code alongside ours, draws one of them as the letter that
// took its code.)
const winAnsiDropped = "ƒ†‡ˆ‰‹Œ˜™›œŸ¡¢£¤¥¦¨ª¬\u00ad®¯±²³µ¶¸¹º¼¾¿Ð×Þð÷þ"

// fieldLetters are the letters the encoding adds to WinAnsi, in the order
// they take the free codes.
const fieldLetters = "ČčĆćĐđ" +
	"АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ" +
	"абвгдђежзијклљмнњопрстћуфхцчџш" +
	"ĞğİıŞşŐőŰűЙй"

// aglNames are the Adobe Glyph List names of the added Latin letters.
var aglNames = map[rune]string{
	'Č': "Ccaron", 'č': "ccaron", 'Ć': "Cacute", 'ć': "cacute", 'Đ': "Dcroat", 'đ': "dcroat",
	'Ğ': "Gbreve", 'ğ': "gbreve", 'İ': "Idotaccent", 'ı': "dotlessi", 'Ş': "Scedilla", 'ş': "scedilla",
	'Ő': "Ohungarumlaut", 'ő': "ohungarumlaut", 'Ű': "Uhungarumlaut", 'ű': "uhungarumlaut",
}

// aglName is r's name in the Adobe Glyph List, "" if this file does not
// know it. The Cyrillic names are the AGL's afii numbers: А–Е are
// afii10017–10022, Ж–Я afii10024–10049 (10023 is Ё), а–е afii10065–10070,
// ж–я afii10072–10097 (10071 is ё); the Serbian letters outside those runs
// have numbers of their own.
func aglName(r rune) string {
	if n, ok := aglNames[r]; ok {
		return n
	}
	afii := map[rune]int{0x402: 10051, 0x408: 10057, 0x409: 10058, 0x40A: 10059, 0x40B: 10060, 0x40F: 10145,
		0x452: 10099, 0x458: 10105, 0x459: 10106, 0x45A: 10107, 0x45B: 10108, 0x45F: 10193}
	switch {
	case afii[r] != 0:
		return fmt.Sprintf("afii%d", afii[r])
	case r >= 0x410 && r <= 0x415:
		return fmt.Sprintf("afii%d", 10017+r-0x410)
	case r >= 0x416 && r <= 0x42F:
		return fmt.Sprintf("afii%d", 10024+r-0x416)
	case r >= 0x430 && r <= 0x435:
		return fmt.Sprintf("afii%d", 10065+r-0x430)
	case r >= 0x436 && r <= 0x44F:
		return fmt.Sprintf("afii%d", 10072+r-0x436)
	}
	return ""
}

// fieldEncoding is the field font's encoding: the letter each code draws
// (0: none), and the Differences from WinAnsi that say so.
type fieldEncoding struct {
	letters     [256]rune
	differences types.Array
}

// newFieldEncoding lays the added letters over WinAnsi's free and dropped
// codes. Code 0 stays unused: a zero byte is the end of a string to too
// many programs.
func newFieldEncoding() (*fieldEncoding, error) {
	dropped := map[rune]bool{}
	for _, r := range winAnsiDropped {
		dropped[r] = true
	}
	enc := &fieldEncoding{}
	var free []int
	for c := 1; c < 256; c++ {
		r := charmap.Windows1252.DecodeByte(byte(c))
		switch {
		case c < 0x20 || c == 0x7F || r == utf8.RuneError || dropped[r]:
			free = append(free, c) // a control code, a code WinAnsi leaves empty, or a dropped symbol
		default:
			enc.letters[c] = r
		}
	}
	added := []rune(fieldLetters)
	if len(added) > len(free) {
		return nil, fmt.Errorf("%d letters for %d free codes", len(added), len(free))
	}
	last := -2
	for i, r := range added {
		c, name := free[i], aglName(r)
		if name == "" {
			return nil, fmt.Errorf("no glyph name for %q", r)
		}
		enc.letters[c] = r
		if c != last+1 {
			enc.differences = append(enc.differences, types.Integer(c))
		}
		enc.differences = append(enc.differences, types.Name(name))
		last = c
	}
	return enc, nil
}

// fieldFontData is what the PDF objects of the field font are made of,
// worked out once.
type fieldFontData struct {
	enc                    *fieldEncoding
	program                []byte      // the TrueType file, with the encoding's glyphs only
	widths                 types.Array // Widths of codes 0–255
	toUnicode              []byte      // the ToUnicode CMap
	bbox                   types.Array // FontBBox
	ascent, descent, capHt int         // in the PDF's thousandths of an em
}

var fieldFont = sync.OnceValues(func() (*fieldFontData, error) {
	return newFieldFontData(fonts.Regular())
})

// newFieldFontData reads the metrics of a TrueType file's glyphs for the
// letters of the encoding.
func newFieldFontData(ttf []byte) (*fieldFontData, error) {
	enc, err := newFieldEncoding()
	if err != nil {
		return nil, err
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	upem := int(f.UnitsPerEm())
	ppem := fixed.I(upem) // so that 26.6 values are font units × 64
	thou := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64 * 1000 / float64(upem))) }

	fd := &fieldFontData{enc: enc}
	glyphs := map[sfnt.GlyphIndex]bool{}
	for _, r := range enc.letters {
		w := 0
		if r != 0 {
			g, err := f.GlyphIndex(&buf, r)
			if err != nil {
				return nil, err
			}
			if g == 0 {
				return nil, fmt.Errorf("the font has no glyph for %q", r)
			}
			glyphs[g] = true
			adv, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
			if err != nil {
				return nil, err
			}
			w = thou(adv)
		}
		fd.widths = append(fd.widths, types.Integer(w))
	}
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	fd.ascent, fd.descent, fd.capHt = thou(m.Ascent), -thou(m.Descent), thou(m.CapHeight)
	b, err := f.Bounds(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	// sfnt's y axis points down, PDF's up.
	fd.bbox = types.Array{types.Integer(thou(b.Min.X)), types.Integer(-thou(b.Max.Y)), types.Integer(thou(b.Max.X)), types.Integer(-thou(b.Min.Y))}
	fd.toUnicode = toUnicodeCMap(enc.letters)
	if fd.program, err = subsetGlyphs(ttf, glyphs); err != nil {
		return nil, err
	}
	return fd, nil
}

// toUnicodeCMap writes the CMap that maps each code to the letter it draws
// (ISO 32000-1, 9.10.3), for text extraction and for programs that look a
// letter's code up in it.
func toUnicodeCMap(letters [256]rune) []byte {
	var entries []string
	for c, r := range letters {
		if r != 0 {
			entries = append(entries, fmt.Sprintf("<%02X> <%04X>\n", c, r))
		}
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n")
	// A CMap's blocks hold at most 100 entries each.
	for i := 0; i < len(entries); i += 100 {
		block := entries[i:min(i+100, len(entries))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(block))
		for _, e := range block {
			b.WriteString(e)
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// addFieldFont adds the field font's objects to ctx and returns the font.
func addFieldFont(ctx *model.Context) (*types.IndirectRef, error) {
	fd, err := fieldFont()
	if err != nil {
		return nil, fmt.Errorf("field font: %w", err)
	}
	stream := func(content []byte, extra types.Dict) (*types.IndirectRef, error) {
		sd, err := ctx.NewStreamDictForBuf(content)
		if err != nil {
			return nil, err
		}
		for k, v := range extra {
			sd.Insert(k, v)
		}
		if err := sd.Encode(); err != nil {
			return nil, err
		}
		return ctx.IndRefForNewObject(*sd)
	}
	file, err := stream(fd.program, types.Dict{"Length1": types.Integer(len(fd.program))})
	if err != nil {
		return nil, err
	}
	toUni, err := stream(fd.toUnicode, nil)
	if err != nil {
		return nil, err
	}
	const baseFont = "NotoSans-Regular"
	desc, err := ctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("FontDescriptor"), "FontName": types.Name(baseFont),
		"Flags":    types.Integer(1 << 5), // nonsymbolic: codes are read through the encoding's glyph names
		"FontBBox": fd.bbox, "ItalicAngle": types.Integer(0),
		"Ascent": types.Integer(fd.ascent), "Descent": types.Integer(fd.descent), "CapHeight": types.Integer(fd.capHt),
		"StemV": types.Integer(80), "FontFile2": *file,
	})
	if err != nil {
		return nil, err
	}
	return ctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("TrueType"), "BaseFont": types.Name(baseFont),
		"FirstChar": types.Integer(0), "LastChar": types.Integer(255), "Widths": fd.widths,
		"Encoding": types.Dict{
			"Type": types.Name("Encoding"), "BaseEncoding": types.Name("WinAnsiEncoding"), "Differences": fd.enc.differences,
		},
		"FontDescriptor": *desc, "ToUnicode": *toUni,
	})
}

// subsetGlyphs returns the TrueType file ttf with only the glyphs in keep
// (and the parts of composite glyphs they are built of) drawn: the others
// keep their numbers, empty, so the character map and metrics stay as they
// are. The layout tables and the glyph names go: nothing lays out a
// field's value, and readers find a letter's glyph through the cmap.
// A one-byte font reaches 255 glyphs of Noto Sans's 3,246, and the rest
// would be 85% of the form's size.
func subsetGlyphs(ttf []byte, keep map[sfnt.GlyphIndex]bool) ([]byte, error) {
	errBad := errors.New("subset: damaged TrueType file")
	u16 := func(b []byte, off int) int { return int(binary.BigEndian.Uint16(b[off:])) }
	u32 := func(b []byte, off int) int { return int(binary.BigEndian.Uint32(b[off:])) }
	if len(ttf) < 12 {
		return nil, errBad
	}
	type table struct {
		tag  string
		data []byte
	}
	var tables []table
	byTag := map[string][]byte{}
	for i := range u16(ttf, 4) {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errBad
		}
		off, n := u32(ttf, rec+8), u32(ttf, rec+12)
		if off+n > len(ttf) {
			return nil, errBad
		}
		t := table{string(ttf[rec : rec+4]), ttf[off : off+n]}
		tables = append(tables, t)
		byTag[t.tag] = t.data
	}
	head, maxp, loca, glyf := byTag["head"], byTag["maxp"], byTag["loca"], byTag["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, errBad
	}
	numGlyphs, long := u16(maxp, 4), u16(head, 50) == 1
	offset := func(g int) int {
		if long {
			return u32(loca, 4*g)
		}
		return 2 * u16(loca, 2*g)
	}
	if (long && len(loca) < 4*(numGlyphs+1)) || (!long && len(loca) < 2*(numGlyphs+1)) {
		return nil, errBad
	}
	glyph := func(g int) ([]byte, error) {
		a, b := offset(g), offset(g+1)
		if a > b || b > len(glyf) {
			return nil, errBad
		}
		return glyf[a:b], nil
	}
	// The closure of keep under "is a part of".
	todo := []int{0} // .notdef, which every font must have
	for g := range keep {
		todo = append(todo, int(g))
	}
	kept := map[int]bool{}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if kept[g] || g >= numGlyphs {
			continue
		}
		kept[g] = true
		data, err := glyph(g)
		if err != nil {
			return nil, err
		}
		if len(data) < 10 || int16(u16(data, 0)) >= 0 {
			continue // empty or simple
		}
		for p := 10; ; {
			if p+4 > len(data) {
				return nil, errBad
			}
			flags := u16(data, p)
			todo = append(todo, u16(data, p+2))
			p += 4
			if flags&0x01 != 0 { // arguments are words
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x08 != 0: // a scale
				p += 2
			case flags&0x40 != 0: // x and y scales
				p += 4
			case flags&0x80 != 0: // a two by two
				p += 8
			}
			if flags&0x20 == 0 { // no more components
				break
			}
		}
	}
	var newGlyf, newLoca []byte
	for g := range numGlyphs {
		newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
		if kept[g] {
			data, _ := glyph(g)
			newGlyf = append(newGlyf, data...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
	newHead := bytes.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long offsets
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below

	var out []table
	for _, t := range tables {
		switch t.tag {
		case "GPOS", "GSUB", "GDEF", "TTFA", "DSIG":
			continue
		case "glyf":
			t.data = newGlyf
		case "loca":
			t.data = newLoca
		case "head":
			t.data = newHead
		case "post": // glyph names: readers find glyphs through the cmap
			if len(t.data) >= 32 {
				t.data = bytes.Clone(t.data[:32])
				binary.BigEndian.PutUint32(t.data, 0x00030000)
			}
		}
		out = append(out, t)
	}
	checksum := func(b []byte) uint32 {
		var sum uint32
		for i := 0; i < len(b); i += 4 {
			var w [4]byte
			copy(w[:], b[i:])
			sum += binary.BigEndian.Uint32(w[:])
		}
		return sum
	}
	n := len(out)
	var hdr bytes.Buffer
	hdr.Write(ttf[:4]) // sfnt version
	sr := 1
	for sr*2 <= n {
		sr *= 2
	}
	entrySelector := bits.Len(uint(sr)) - 1
	for _, v := range []int{n, sr * 16, entrySelector, n*16 - sr*16} {
		hdr.Write(binary.BigEndian.AppendUint16(nil, uint16(v)))
	}
	off := 12 + 16*n
	var body []byte
	headAt := -1
	for _, t := range out {
		hdr.WriteString(t.tag)
		hdr.Write(binary.BigEndian.AppendUint32(nil, checksum(t.data)))
		hdr.Write(binary.BigEndian.AppendUint32(nil, uint32(off+len(body))))
		hdr.Write(binary.BigEndian.AppendUint32(nil, uint32(len(t.data))))
		if t.tag == "head" {
			headAt = off + len(body)
		}
		body = append(body, t.data...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	file := append(hdr.Bytes(), body...)
	if headAt >= 0 {
		binary.BigEndian.PutUint32(file[headAt+8:], 0xB1B0AFBA-checksum(file))
	}
	return file, nil
}
