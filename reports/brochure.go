package reports

import (
	"context"
	"strconv"
	"strings"

	"registar/data/i18n"
)

// The brochure: a cover, the office and what it offers, the numbers with
// charts, and the contacts on the back. A5 (or A4, the same layout larger).

type brochureDoc struct {
	*doc
	st    *Stats
	opt   Options
	rb    *rowsBuilder
	f     *flow
	s     float64
	role  pageRole
	title string
}

func brochure(ctx context.Context, st *Stats, opt Options) (*doc, error) {
	title := clean(opt.Title)
	if title == "" {
		title = i18n.T(opt.Lang, "report.brochure.title")
	}
	b := &brochureDoc{doc: newDoc(opt.Size, opt.Lang, title, opt.Now), st: st, opt: opt, rb: newRows(st, opt.Lang), s: 1, title: title}
	if opt.Size == A4 {
		b.s = 1.3
	}
	b.left, b.right, b.top, b.bottom = 13*b.s, 13*b.s, 14*b.s, 15*b.s
	b.setLogo(opt.Office.Logo)
	b.pdf.SetFooterFunc(b.footer)
	b.f = &flow{d: b.doc, bottom: b.h - b.bottom, newPage: func() { b.page(roleDirectory) }}

	b.cover()
	b.about()
	b.f.y += 6 * b.s
	for _, sec := range []struct {
		key  string
		draw func()
	}{
		{"report.brochure.figures", b.figures},
		{"report.brochure.where", b.where},
		{"report.brochure.who", b.who},
		{"report.brochure.wants", b.wants},
		{"report.brochure.economy", b.economy},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b.section(i18n.T(b.lang, sec.key), sec.draw)
	}
	if opt.Booklet != NoBooklet {
		for (b.pdf.PageCount()+1)%pagesPerSheet(opt.Size) != 0 {
			b.page(roleBlank)
		}
	}
	b.page(roleBack)
	drawBackCover(b.doc, opt.Office, b.s*1.35, true)
	return b.doc, nil
}

func (b *brochureDoc) inner() float64 { return b.w - b.left - b.right }

func (b *brochureDoc) page(role pageRole) {
	b.pdf.AddPage()
	b.role = role
	b.f.y = b.top
}

func (b *brochureDoc) footer() {
	if b.role != roleDirectory {
		return
	}
	pt, bold := b.doc.pt, b.doc.bold
	defer b.font(bold, pt)
	b.font(false, 7*b.s)
	b.textColor(colMuted)
	y := b.h - b.bottom + 5*b.s
	b.text(b.left, y, b.fit(b.title, b.inner()*0.7))
	b.textRight(b.w-b.right, y, strconv.Itoa(b.pdf.PageNo()))
	b.textColor(colInk)
}

func (b *brochureDoc) cover() {
	b.page(roleCover)
	s, inner := b.s, b.inner()
	band := b.h * 0.5
	b.rect(0, 0, b.w, band, colAccent)
	b.font(true, 22*s)
	tl := b.wrap(b.title, inner)
	if len(tl) > 4 {
		b.font(true, 15*s)
		tl = b.wrap(b.title, inner)
	}
	y := max(10*s, band-12*s-float64(len(tl))*b.lh())
	b.textColor(colWhite)
	for _, l := range tl {
		if y+b.lh() > band-4*s {
			break
		}
		b.text(b.left, y, l)
		y += b.lh()
	}
	b.font(false, 10*s)
	b.text(b.left, band-9*s, strconv.Itoa(b.opt.Now.Year()))
	y = band + 10*s
	if b.drawLogo(b.left, y, inner, 26*s) {
		y += 32 * s
	}
	b.textColor(colInk)
	put := func(bold bool, pt float64, c rgb, txt string) {
		b.font(bold, pt*s)
		b.textColor(c)
		for _, l := range b.wrap(txt, inner) {
			if y+b.lh() > b.h-36*s {
				return
			}
			b.textCenter(b.w/2, y, l)
			y += b.lh()
		}
	}
	put(true, 12, colInk, clean(b.opt.Office.Name))
	put(false, 10, colMuted, clean(b.opt.Office.Municipality))
	// one number on the cover: the persons registered
	b.font(true, 26*s)
	b.textColor(colAccent)
	b.textCenter(b.w/2, b.h-30*s, b.num(b.st.Persons))
	b.font(false, 9*s)
	b.textColor(colInk)
	b.textCenter(b.w/2, b.h-30*s+26*s*ptMM*1.3, i18n.T(b.lang, "report.stats.persons"))
}

func (b *brochureDoc) heading(title string) {
	b.font(true, 13*b.s)
	b.textColor(colAccent)
	for _, l := range b.wrap(title, b.inner()) {
		b.text(b.left, b.f.y, l)
		b.f.y += b.lh()
	}
	b.f.y += 0.8 * b.s
	b.rule(b.left, b.left+20*b.s, b.f.y, 0.7, colAccent)
	b.f.y += 4 * b.s
	b.textColor(colInk)
}

func (b *brochureDoc) paragraph(text string, pt float64) {
	b.font(false, pt*b.s)
	for _, para := range strings.Split(text, "\n") {
		for _, l := range b.wrap(para, b.inner()) {
			b.f.need(b.lh())
			b.text(b.left, b.f.y, l)
			b.f.y += b.lh()
		}
		b.f.y += b.lh() * 0.4
	}
}

func (b *brochureDoc) about() {
	b.page(roleDirectory)
	b.heading(i18n.T(b.lang, "report.brochure.about"))
	about := cleanText(b.opt.Office.About)
	if about == "" {
		about = i18n.T(b.lang, "report.brochure.about.default")
	}
	b.paragraph(about, 9)
	b.f.y += 4 * b.s
	b.f.need(30 * b.s)
	b.heading(i18n.T(b.lang, "report.brochure.offers"))
	bullet := 4 * b.s
	for _, k := range []string{"register", "invest", "return", "business", "volunteer", "culture"} {
		b.font(false, 9*b.s)
		ls := b.wrap(i18n.T(b.lang, "report.brochure.offer."+k), b.inner()-bullet)
		b.f.need(float64(len(ls)) * b.lh())
		b.fillColor(colAccent)
		b.pdf.Circle(b.left+1.2*b.s, b.f.y+b.lh()*0.55, 0.9*b.s, "F")
		b.f.y = b.lines(b.left+bullet, b.f.y, ls) + 1.5*b.s
	}
}

func (b *brochureDoc) section(title string, draw func()) {
	b.font(true, 13*b.s)
	h := float64(len(b.wrap(title, b.inner())))*b.lh() + 4.8*b.s
	b.f.hold(h, func() {
		b.pdf.Bookmark(title, 0, b.f.y)
		b.heading(title)
	})
	draw()
	b.f.flush()
	b.f.y += 6 * b.s
}

func (b *brochureDoc) subheading(title string) {
	b.font(true, 9*b.s)
	ls := b.wrap(title, b.inner())
	b.f.hold(float64(len(ls))*b.lh()+1*b.s, func() {
		b.font(true, 9*b.s)
		b.textColor(colInk)
		b.f.y = b.doc.lines(b.left, b.f.y, ls) + 1*b.s
	})
}

func (b *brochureDoc) plain(rows []row, of int, rate bool) {
	b.table(b.f, b.left, b.inner(), b.s, breakdown{rows: rows, of: of, barsOfWhole: rate})
}

func (b *brochureDoc) cards(figs []struct {
	n   int
	key string
}) {
	gap, h := 3*b.s, 20*b.s
	w := (b.inner() - gap) / 2
	for i := 0; i < len(figs); i += 2 {
		b.f.need(h)
		for j := i; j < min(i+2, len(figs)); j++ {
			b.keyFigure(b.left+float64(j-i)*(w+gap), b.f.y, w, h, b.s, b.num(figs[j].n), i18n.T(b.lang, figs[j].key))
		}
		b.f.y += h + gap
	}
}

func (b *brochureDoc) figures() {
	b.cards([]struct {
		n   int
		key string
	}{
		{b.st.Persons, "report.stats.persons"},
		{b.st.Countries(), "report.stats.countries"},
		{b.st.Businesses, "report.stats.businesses"},
		{b.st.Organisations, "report.stats.organisations"},
	})
	// women and men
	d := 30 * b.s
	b.f.need(d + 4*b.s)
	y := b.f.y + 2*b.s
	g := b.st.Gender
	b.donut(b.left+d/2, y+d/2, d/2, d/2*0.55, []int{g.F, g.M, g.U}, []rgb{colWomen, colMen, colUnknown})
	sub := &flow{d: b.doc, y: y, bottom: b.f.bottom, newPage: b.f.newPage}
	b.table(sub, b.left+d+6*b.s, b.inner()-d-6*b.s, b.s, breakdown{rows: b.rb.gender(), of: g.Total()})
	b.f.y = max(y+d+4*b.s, sub.y)
}

func (b *brochureDoc) where() {
	b.subheading(i18n.T(b.lang, "report.stats.country"))
	b.plain(plainRows(b.rb.countries(10)), b.st.Persons, false)
	b.subheading(i18n.T(b.lang, "report.stats.city"))
	b.plain(plainRows(b.rb.cities(8)), b.st.Persons, false)
}

func (b *brochureDoc) who() {
	b.subheading(i18n.T(b.lang, "report.stats.generation"))
	b.plain(plainRows(b.rb.generations()), b.st.Persons, false)
	b.subheading(i18n.T(b.lang, "report.stats.education"))
	b.plain(plainRows(b.rb.education()), b.st.Persons, false)
}

func (b *brochureDoc) wants() {
	b.plain(plainRows(b.rb.interests()), b.st.Persons, true)
	b.font(false, 7*b.s)
	b.textColor(colMuted)
	for _, l := range b.wrap(i18n.T(b.lang, "report.stats.interests.note"), b.inner()) {
		b.f.need(b.lh())
		b.text(b.left, b.f.y, l)
		b.f.y += b.lh()
	}
	b.textColor(colInk)
}

func (b *brochureDoc) economy() {
	b.subheading(i18n.T(b.lang, "report.stats.business.sector"))
	b.plain(b.rb.named(b.st.BusinessBySector, 8), b.st.Businesses, false)
	b.subheading(i18n.T(b.lang, "report.stats.org.kind"))
	b.plain(b.rb.orgKinds(), b.st.Organisations, false)
}

// plainRows folds a gender breakdown into plain counts.
func plainRows(rows []row) []row {
	out := make([]row, len(rows))
	for i, r := range rows {
		out[i] = row{label: r.label, g: GenderCount{U: r.g.Total()}, muted: r.muted, other: r.other}
	}
	return out
}
