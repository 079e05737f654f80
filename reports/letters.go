package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"registar/data"
	"registar/data/i18n"
)

// outreachError is an error of labels and letters that says itself in the
// user's language (i18n.Translated): a key of the outreachpdf catalogue
// domain and its arguments as name, value pairs.
type outreachError struct {
	key  string
	args []string
}

func (e *outreachError) Error() string { return "reports: " + i18n.T(i18n.EN, e.key, e.args...) }

// Message is the error in language l.
func (e *outreachError) Message(l i18n.Lang) string { return i18n.T(l, e.key, e.args...) }

// The errors of an empty run: nobody to print labels or letters for. Each
// says itself in the user's language (i18n.ErrorMessage).
var (
	ErrNoLabels  error = &outreachError{key: "outreachpdf.no_labels"}
	ErrNoLetters error = &outreachError{key: "outreachpdf.no_letters"}
)

// Letter is one personalised letter.
type Letter struct {
	// Lang is the letter's language: it writes the date (default English).
	Lang i18n.Lang
	// Recipient is the address block, one line each (outreach.AddressLines).
	Recipient []string
	// Body is the text, already personalised, salutation and closing
	// included; a blank line separates paragraphs, a single line break is
	// kept as one.
	Body string
}

// LetterOptions say what every letter of a run shares.
type LetterOptions struct {
	// Office is the letterhead: logo (if it decodes), name, municipality,
	// address, phone, e-mail and website, each left out when empty.
	Office data.Office
	// Place is where the letters are written ("Cazin"), before the date.
	Place string
	// Date is the letters' date; zero is today.
	Date data.Date
	// Signature are the lines under the space for the signature: the
	// signatory's name, then their title.
	Signature []string
	// PaperA5 prints on A5 (folded once into a C6 envelope) instead of A4
	// (folded in three into a DL or C6/5 envelope).
	PaperA5 bool
}

// letterGeo is the geometry of a letter page, in mm and points.
type letterGeo struct {
	size                 Size
	left, right, bottom  float64
	headTop, headBottom  float64 // letterhead band; the rule is at headBottom
	logoW, logoH         float64
	namePt, headPt, tiny float64 // office name, municipality, contacts
	retY                 float64 // return address line
	addrX, addrY         float64 // recipient block, inside the envelope's window
	addrW, addrH         float64
	addrPt               float64
	dateY                float64
	bodyY, contY         float64 // first line of the body on the first / a further page
	bodyPt               float64
	folds                []float64 // fold and punch marks on the left edge
}

// The envelope window of DIN 5008 (form B) and of DL, C6/5 and C6 window
// envelopes is 20 mm from the left and 45–90 mm from the top of the folded
// letter: the return line and the recipient go there on both sizes.
var (
	letterA4 = letterGeo{
		size: A4, left: 25, right: 20, bottom: 24,
		headTop: 12, headBottom: 39, logoW: 26, logoH: 22,
		namePt: 13, headPt: 9.5, tiny: 8,
		retY: 45.5, addrX: 25, addrY: 51, addrW: 80, addrH: 38, addrPt: 11,
		dateY: 96, bodyY: 108, contY: 26, bodyPt: 11,
		folds: []float64{105, 148.5, 210},
	}
	letterA5 = letterGeo{
		size: A5, left: 20, right: 14, bottom: 18,
		headTop: 10, headBottom: 34, logoW: 22, logoH: 20,
		namePt: 11, headPt: 8.5, tiny: 7,
		retY: 45.5, addrX: 20, addrY: 51, addrW: 80, addrH: 36, addrPt: 10,
		dateY: 93, bodyY: 103, contY: 24, bodyPt: 10,
		folds: []float64{105},
	}
)

const (
	letterLead  = 1.38 // body line height / font size
	sigSpace    = 16   // mm left blank for the signature
	sigColumn   = 72   // mm, width of the signature column at the right
	paraSpacing = 0.55 // a blank line is this many lines high
)

// Letters writes the letters as one PDF, each starting on a new page: the
// office's letterhead on its first page, the recipient where a window
// envelope shows it (with fold marks on the edge), place and date in the
// letter's language, the body wrapped into paragraphs and continued on
// further pages under a small header, pages numbered "1/2" within a letter
// of more than one page, and the signature block at the end. No letters is
// ErrNoLetters.
func Letters(w io.Writer, letters []Letter, opt LetterOptions) error {
	d, err := letterDoc(letters, opt)
	if err != nil {
		return err
	}
	return d.output(w)
}

// letterDoc lays the letters out (Letters without the writing).
func letterDoc(letters []Letter, opt LetterOptions) (*doc, error) {
	if len(letters) == 0 {
		return nil, ErrNoLetters
	}
	g := letterA4
	if opt.PaperA5 {
		g = letterA5
	}
	date := opt.Date
	if date.IsZero() {
		date = data.DateOf(time.Now())
	}
	lang := letters[0].Lang
	if lang == "" {
		lang = i18n.EN
	}
	d := newDoc(g.size, lang, i18n.T(lang, "outreachpdf.letters.title"), date.Time())
	d.left, d.right, d.bottom = g.left, g.right, g.bottom
	d.setLogo(opt.Office.Logo)
	lw := &letterWriter{d: d, g: g, office: opt.Office, place: clean(opt.Place), date: date}
	for _, s := range opt.Signature {
		if s = clean(s); s != "" {
			lw.signature = append(lw.signature, s)
		}
	}
	lw.head = lw.letterhead()
	for _, l := range letters {
		lw.letter(l)
	}
	return d, nil
}

// letterWriter writes the letters of one run.
type letterWriter struct {
	d         *doc
	g         letterGeo
	office    data.Office
	place     string
	date      data.Date
	signature []string
	head      []headLine
}

// headLine is a line of the letterhead.
type headLine struct {
	text  string
	bold  bool
	pt    float64
	color rgb
}

// letterhead lays out the office's lines once for the whole run.
func (lw *letterWriter) letterhead() []headLine {
	d, g, o := lw.d, lw.g, lw.office
	textW := d.w - g.left - g.right
	if d.logo != "" {
		textW -= g.logoW + 4
	}
	var out []headLine
	add := func(s string, bold bool, pt float64, c rgb) {
		if s == "" {
			return
		}
		d.font(bold, pt)
		for _, l := range d.wrap(s, textW) {
			out = append(out, headLine{l, bold, pt, c})
		}
	}
	add(clean(o.Name), true, g.namePt, colAccent)
	add(clean(o.Municipality), false, g.headPt, colInk)
	add(clean(o.Address), false, g.tiny, colMuted)
	var contacts []string
	if p := clean(o.Phone); p != "" {
		contacts = append(contacts, "{tel}\u00A0"+formatPhone(p))
	}
	if m := clean(o.Email); m != "" {
		contacts = append(contacts, m)
	}
	if ws := clean(o.Website); ws != "" {
		contacts = append(contacts, strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(ws, "https://"), "http://"), "/"))
	}
	add(strings.Join(contacts, contactSep), false, g.tiny, colMuted)
	return out
}

// drawLetterhead draws the letterhead in the letter's language (only "Tel."
// is said in it), with the logo at the left, and the rule under it.
func (lw *letterWriter) drawLetterhead(lang i18n.Lang) {
	d, g := lw.d, lw.g
	x := g.left
	if d.drawLogo(g.left, g.headTop, g.logoW, g.logoH) {
		x += g.logoW + 4
	}
	// the text block is centred on the logo's height when it is shorter
	h := 0.0
	for _, l := range lw.head {
		h += l.pt * ptMM * 1.3
	}
	y := g.headTop
	if d.logo != "" && h < g.logoH {
		y += (g.logoH - h) / 2
	}
	limit := g.headBottom - 1.5
	tel := i18n.T(lang, "outreachpdf.tel")
	for _, l := range lw.head {
		lh := l.pt * ptMM * 1.3
		if y+lh > limit {
			break
		}
		d.font(l.bold, l.pt)
		d.textColor(l.color)
		d.text(x, y, strings.ReplaceAll(l.text, "{tel}", tel))
		y += lh
	}
	if len(lw.head) > 0 || d.logo != "" {
		d.rule(g.left, d.w-g.right, g.headBottom, 0.4, colAccent)
	}
	d.textColor(colInk)
}

// placeDate is "Cazin, 7. 12. 2026." in the language.
func (lw *letterWriter) placeDate(lang i18n.Lang) string {
	s := letterDate(lw.date, lang)
	if lw.place != "" {
		s = lw.place + ", " + s
	}
	return s
}

// letterDate writes the date of a letter as the language dates letters:
// 7. 12. 2026. in Bosnian, Croatian and Serbian, 7.12.2026 in Albanian,
// 7 December 2026 in English.
func letterDate(dt data.Date, lang i18n.Lang) string {
	switch lang {
	case i18n.EN, "":
		return fmt.Sprintf("%d %s %d", dt.Day, dt.Month, dt.Year)
	case i18n.SQ:
		return fmt.Sprintf("%d.%d.%d", dt.Day, int(dt.Month), dt.Year)
	}
	return fmt.Sprintf("%d. %d. %d.", dt.Day, int(dt.Month), dt.Year)
}

// placed is a line of a letter's body or signature on its page.
type placed struct {
	page int
	y    float64
	text string
	sig  bool // a signature line (centred in the signature column)
}

// letter writes one letter from a new page.
func (lw *letterWriter) letter(l Letter) {
	d, g := lw.d, lw.g
	lang := l.Lang
	if lang == "" {
		lang = i18n.EN
	}
	textW := d.w - g.left - g.right
	bottom := d.h - g.bottom
	// lay the body and the signature out first, to know the page count
	d.font(false, g.bodyPt)
	lh := g.bodyPt * ptMM * letterLead
	var lines []placed
	page, y := 0, g.bodyY
	for _, s := range d.wrap(cleanText(l.Body), textW) {
		if s == "" {
			if y > g.contY+0.01 || page == 0 { // no gap at the top of a page
				y += lh * paraSpacing
			}
			continue
		}
		if y+lh > bottom {
			page, y = page+1, g.contY
		}
		lines = append(lines, placed{page: page, y: y, text: s})
		y += lh
	}
	if len(lw.signature) > 0 {
		sigH := sigSpace + float64(len(lw.signature))*lh
		y += lh * 0.6
		if y+sigH > bottom {
			page, y = page+1, g.contY
		}
		y += sigSpace
		for _, s := range lw.signature {
			lines = append(lines, placed{page: page, y: y, text: s, sig: true})
			y += lh
		}
	}
	pages := page + 1

	// then draw
	name := ""
	if len(l.Recipient) > 0 {
		name = clean(l.Recipient[0])
	}
	pd := lw.placeDate(lang)
	i := 0
	for p := 0; p < pages; p++ {
		d.pdf.AddPage()
		d.textColor(colInk)
		if p == 0 {
			lw.drawLetterhead(lang)
			lw.drawAddress(l.Recipient)
			d.font(false, g.bodyPt-0.5)
			d.textRight(d.w-g.right, g.dateY, pd)
			d.drawColor(colRule)
			d.pdf.SetLineWidth(0.2)
			for _, f := range g.folds {
				d.pdf.Line(3, f, 7, f)
			}
		} else {
			lw.contHeader(name, pd, textW)
		}
		if pages > 1 {
			d.font(false, 8)
			d.textColor(colMuted)
			d.textRight(d.w-g.right, d.h-g.bottom+7, strconv.Itoa(p+1)+"/"+strconv.Itoa(pages))
			d.textColor(colInk)
		}
		d.font(false, g.bodyPt)
		sigX := d.w - g.right - sigColumn/2
		for ; i < len(lines) && lines[i].page == p; i++ {
			ln := lines[i]
			if ln.sig {
				d.textCenter(sigX, ln.y, d.fit(ln.text, sigColumn))
				continue
			}
			d.text(g.left, ln.y, ln.text)
		}
	}
}

// drawAddress writes the return line and the recipient block in the
// envelope's window.
func (lw *letterWriter) drawAddress(recipient []string) {
	d, g, o := lw.d, lw.g, lw.office
	var ret []string
	for _, s := range []string{clean(o.Name), clean(o.Address)} {
		if s != "" {
			ret = append(ret, s)
		}
	}
	if len(ret) > 0 {
		d.font(false, 6.5)
		d.textColor(colMuted)
		s := d.fit(strings.Join(ret, " · "), g.addrW)
		d.text(g.addrX, g.retY, s)
		d.rule(g.addrX, g.addrX+d.width(s), g.retY+d.lh()-0.4, 0.1, colMuted)
		d.textColor(colInk)
	}
	pt, lines := d.fitBlock(recipient, g.addrW, g.addrH, g.addrPt, 8, 7, 1.25)
	lh := pt * ptMM * 1.25
	y := g.addrY
	for _, s := range lines {
		d.text(g.addrX, y, s)
		y += lh
	}
}

// contHeader is the small header of a letter's further pages: the office
// at the left, the recipient and the date at the right, and a rule.
func (lw *letterWriter) contHeader(name, date string, textW float64) {
	d, g := lw.d, lw.g
	d.font(false, 7.5)
	d.textColor(colMuted)
	right := date // the date whole, the name shortened if need be
	if name != "" {
		right = d.fit(name, textW*0.6-d.width(" · "+date)) + " · " + date
	}
	d.textRight(d.w-g.right, 12, right)
	d.text(g.left, 12, d.fit(clean(lw.office.Name), textW-d.width(right)-6))
	d.rule(g.left, d.w-g.right, 12+d.lh()+1, 0.2, colRule)
	d.textColor(colInk)
}
