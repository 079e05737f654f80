package reports

import (
	"strconv"

	"registar/data"
	"registar/data/i18n"
)

// The blank registration form: A4, in the language, with every field of a
// person, the consent text and tick boxes, and a box for the office. Labels
// are the model's field labels (data.FieldLabel), choices its value labels,
// so the form always says what the registry stores.

type formDoc struct {
	*doc
	opt Options
	f   *flow
}

func blankForm(opt Options) (*doc, error) {
	title := i18n.T(opt.Lang, "report.form.title")
	fd := &formDoc{doc: newDoc(A4, opt.Lang, title, opt.Now), opt: opt}
	fd.left, fd.right, fd.top, fd.bottom = 16, 16, 14, 16
	fd.setLogo(opt.Office.Logo)
	fd.pdf.SetFooterFunc(fd.footer)
	fd.f = &flow{d: fd.doc, bottom: fd.h - fd.bottom, newPage: func() { fd.pdf.AddPage(); fd.f.y = fd.top }}
	fd.f.newPage()

	fd.header(title)
	L := func(field string) string { return data.FieldLabel(field, fd.lang) }
	V := func(group, code string) string { return data.ValueLabel(group, code, fd.lang) }
	codes := func(group string, cs []string) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = V(group, c)
		}
		return out
	}
	req := func(s string) string { return s + " *" }

	fd.section("report.form.section.person")
	fd.boxes(req(L("given_name")), req(L("family_name")))
	fd.boxes(L("parent_name"), "")
	fd.choices(L("gender"), codes(data.GroupGender, data.Genders), "", nil)
	fd.cells(req(L("birth_date")), i18n.T(fd.lang, "report.form.date.hint"), []int{2, 2, 4})

	fd.section("report.form.section.home")
	fd.boxes(L("home_municipality"), L("locality_id"))

	fd.section("report.form.section.abroad")
	fd.boxes(req(L("country")), L("city"))
	fd.boxes(L("address"))

	fd.section("report.form.section.contact")
	fd.boxes(L("email"))
	fd.boxesHint(L("phone"), i18n.T(fd.lang, "report.form.phone.hint"))

	fd.section("report.form.section.work")
	fd.boxes(L("profession"))
	fd.choices(L("education"), codes(data.GroupEducation, data.Educations), "", nil)

	fd.section("report.form.section.ties")
	fd.cells(L("emigration_year"), "", []int{4})
	fd.choices(L("generation"), codes(data.GroupGeneration, data.ValueCodes(data.GroupGeneration)), "", nil)
	fd.cells(L("days_home_per_year"), "", []int{3})

	fd.section("report.form.section.interests")
	fd.choices(L("interests"), codes(data.GroupInterest, data.Interests), i18n.T(fd.lang, "report.form.tick"), nil)
	fd.ruled(L("needs"), 3)
	fd.boxes(L("languages"))

	fd.section("report.form.section.consent")
	fd.consent(nil)
	fd.officeBox()
	return fd.doc, nil
}

func (fd *formDoc) inner() float64 { return fd.w - fd.left - fd.right }

func (fd *formDoc) footer() {
	if fd.blank() {
		return
	}
	pt, bold := fd.doc.pt, fd.doc.bold
	defer fd.font(bold, pt)
	fd.font(false, 7)
	fd.textColor(colMuted)
	y := fd.h - 11
	fd.text(fd.left, y, fd.fit(i18n.T(fd.lang, "report.form.title"), fd.inner()*0.7))
	fd.textRight(fd.w-fd.right, y, i18n.T(fd.lang, "report.form.page", "n", strconv.Itoa(fd.pdf.PageNo()), "total", "{nb}"))
	fd.textColor(colInk)
}

func (fd *formDoc) header(title string) {
	inner := fd.inner()
	logoW := 0.0
	if fd.drawLogo(fd.w-fd.right-28, fd.f.y, 28, 18) {
		logoW = 32
	}
	o := fd.opt.Office
	if name := clean(o.Name); name != "" {
		fd.font(true, 9)
		fd.textColor(colMuted)
		fd.f.y = fd.doc.lines(fd.left, fd.f.y, fd.wrap(name, inner-logoW))
	}
	if m := clean(o.Municipality); m != "" {
		fd.font(false, 9)
		fd.textColor(colMuted)
		fd.f.y = fd.doc.lines(fd.left, fd.f.y, fd.wrap(m, inner-logoW))
	}
	fd.f.y += 2
	fd.font(true, 16)
	fd.textColor(colAccent)
	fd.f.y = fd.doc.lines(fd.left, fd.f.y, fd.wrap(title, inner-logoW))
	fd.textColor(colInk)
	fd.f.y = max(fd.f.y, fd.top+18) + 1
	fd.font(false, 8.5)
	fd.f.y = fd.doc.lines(fd.left, fd.f.y, fd.wrap(i18n.T(fd.lang, "report.form.intro"), inner)) + 2
}

func (fd *formDoc) section(key string) {
	fd.font(true, 10)
	h := fd.lh() + 2
	fd.f.need(h + 3.5 + 20) // the heading and its first field stay together
	fd.f.y += 1.5
	fd.rect(fd.left, fd.f.y, fd.inner(), h, colAccentBg)
	fd.textColor(colAccent)
	fd.text(fd.left+2, fd.f.y+1, fd.fit(i18n.T(fd.lang, key), fd.inner()-4))
	fd.textColor(colInk)
	fd.f.y += h + 2
}

const (
	formBoxH = 7.5
	formGap  = 6.0
)

// label writes a field's label (and a hint, lighter) at x and returns the
// height used.
func (fd *formDoc) label(x, y, w float64, label, hint string) float64 {
	fd.font(false, 8)
	fd.textColor(colInk)
	l := fd.fit(label, w)
	fd.text(x, y, l)
	if hint != "" {
		off := fd.width(l) + 2
		fd.textColor(colMuted)
		fd.font(false, 7)
		fd.text(x+off, y+0.4, fd.fit("("+hint+")", max(0, w-off)))
		fd.textColor(colInk)
	}
	fd.font(false, 8)
	return fd.lh() + 0.5
}

func (fd *formDoc) box(x, y, w, h float64) {
	fd.drawColor(colMuted)
	fd.pdf.SetLineWidth(0.25)
	fd.pdf.Rect(x, y, w, h, "D")
}

// boxes writes one row of fields side by side, each a label over a box; an
// empty label leaves its place empty.
func (fd *formDoc) boxes(labels ...string) {
	fd.font(false, 8)
	h := fd.lh() + 0.5 + formBoxH + 3
	fd.f.need(h)
	w := (fd.inner() - formGap*float64(len(labels)-1)) / float64(len(labels))
	for i, l := range labels {
		if l == "" {
			continue
		}
		x := fd.left + float64(i)*(w+formGap)
		lh := fd.label(x, fd.f.y, w, l, "")
		fd.box(x, fd.f.y+lh, w, formBoxH)
	}
	fd.f.y += h
}

func (fd *formDoc) boxesHint(label, hint string) {
	fd.font(false, 8)
	h := fd.lh() + 0.5 + formBoxH + 3
	fd.f.need(h)
	lh := fd.label(fd.left, fd.f.y, fd.inner(), label, hint)
	fd.box(fd.left, fd.f.y+lh, fd.inner(), formBoxH)
	fd.f.y += h
}

// cells writes a label and groups of character cells (a date: 2, 2, 4).
func (fd *formDoc) cells(label, hint string, groups []int) {
	fd.font(false, 8)
	h := fd.lh() + 0.5 + formBoxH + 3
	fd.f.need(h)
	lh := fd.label(fd.left, fd.f.y, fd.inner(), label, hint)
	x, y := fd.left, fd.f.y+lh
	const cw = 6.0
	for gi, n := range groups {
		for i := 0; i < n; i++ {
			fd.box(x, y, cw, formBoxH)
			x += cw
		}
		if gi < len(groups)-1 {
			fd.font(true, 11)
			fd.text(x+1, y+1.2, ".")
			x += 4
		}
	}
	fd.f.y += h
}

// onBox is told where a tick box was drawn (the i-th of its group), for
// the fillable form to lay a check box over it.
type onBox func(i int, x, y, size float64)

// choices writes a label and a tick box for each choice, as many on a
// line as fit.
func (fd *formDoc) choices(label string, opts []string, hint string, on onBox) {
	fd.font(false, 8)
	lineH := fd.lh() + 2.2
	const box = 3.6
	// lay the choices out first to know the height
	type pos struct{ x, y float64 }
	var ps []pos
	x, y := fd.left, 0.0
	for _, o := range opts {
		w := box + 1.5 + fd.width(o) + 6
		if x > fd.left && x+w > fd.w-fd.right {
			x, y = fd.left, y+lineH
		}
		ps = append(ps, pos{x, y})
		x += w
	}
	labelH := fd.lh() + 0.8
	h := labelH + y + lineH + 2
	fd.f.need(h)
	fd.label(fd.left, fd.f.y, fd.inner(), label, hint)
	top := fd.f.y + labelH
	for i, o := range opts {
		px, py := ps[i].x, top+ps[i].y
		fd.box(px, py+(fd.lh()-box)/2, box, box)
		if on != nil {
			on(i, px, py+(fd.lh()-box)/2, box)
		}
		fd.font(false, 8)
		fd.text(px+box+1.5, py, fd.fit(o, fd.w-fd.right-px-box-1.5))
	}
	fd.f.y += h
}

// ruled writes a label and n ruled lines to write on.
func (fd *formDoc) ruled(label string, n int) {
	fd.font(false, 8)
	h := fd.lh() + 0.5 + float64(n)*7 + 2
	fd.f.need(h)
	lh := fd.label(fd.left, fd.f.y, fd.inner(), label, "")
	for i := 1; i <= n; i++ {
		fd.rule(fd.left, fd.w-fd.right, fd.f.y+lh+float64(i)*7, 0.25, colMuted)
	}
	fd.f.y += h
}

func (fd *formDoc) consent(on onBox) {
	inner := fd.inner()
	fd.font(false, 8)
	ls := fd.wrap(i18n.T(fd.lang, "report.form.consent.text"), inner)
	fd.f.need(float64(len(ls)) * fd.lh())
	fd.f.y = fd.doc.lines(fd.left, fd.f.y, ls) + 2
	const box = 4.2
	for i, k := range []string{"report.form.consent.contact", "report.form.consent.publish"} {
		fd.font(true, 8.5)
		ls := fd.wrap(i18n.T(fd.lang, k), inner-box-3)
		h := float64(len(ls))*fd.lh() + 2.5
		fd.f.need(h)
		fd.box(fd.left, fd.f.y+0.3, box, box)
		if on != nil {
			on(i, fd.left, fd.f.y+0.3, box)
		}
		fd.f.y = fd.doc.lines(fd.left+box+3, fd.f.y, ls) + 2.5
	}
	// place, date and signature lines
	fd.font(false, 8)
	h := 12 + fd.lh()
	fd.f.need(h)
	w := (inner - formGap) / 2
	for i, k := range []string{"report.form.place_date", "report.form.signature"} {
		x := fd.left + float64(i)*(w+formGap)
		fd.rule(x, x+w, fd.f.y+10, 0.3, colInk)
		fd.textColor(colMuted)
		fd.text(x, fd.f.y+10.8, fd.fit(i18n.T(fd.lang, k), w))
		fd.textColor(colInk)
	}
	fd.f.y += h + 3
}

func (fd *formDoc) officeBox() {
	fd.font(false, 8)
	rowH := 11.0
	h := fd.lh() + 3 + 2*rowH + 2
	fd.f.need(h)
	y0 := fd.f.y
	fd.drawColor(colMuted)
	fd.pdf.SetLineWidth(0.25)
	fd.pdf.SetDashPattern([]float64{1.2, 1}, 0)
	fd.pdf.Rect(fd.left, y0, fd.inner(), h, "D")
	fd.pdf.SetDashPattern([]float64{}, 0)
	fd.font(true, 8.5)
	fd.textColor(colMuted)
	fd.text(fd.left+2, y0+1.5, fd.fit(i18n.T(fd.lang, "report.form.section.office"), fd.inner()-4))
	fd.font(false, 7.5)
	w := (fd.inner() - 4 - formGap) / 2
	keys := []string{"report.form.received_by", "report.form.received_on", "report.form.volunteer", "report.form.entered"}
	for i, k := range keys {
		x := fd.left + 2 + float64(i%2)*(w+formGap)
		y := y0 + fd.lh() + 3 + float64(i/2)*rowH
		fd.rule(x, x+w, y+6, 0.25, colMuted)
		fd.text(x, y+6.6, fd.fit(i18n.T(fd.lang, k), w))
	}
	fd.textColor(colInk)
	fd.f.y += h + 2
}
