package reports

import (
	"context"
	"strconv"
	"strings"

	"registar/data"
	"registar/data/i18n"
)

// activityPublication makes one of the ActivityPublications.
func activityPublication(ctx context.Context, pub Publication, src Source, opt Options) (*doc, error) {
	if pub == AnnualActivities {
		st := opt.ActivityStats
		if st == nil {
			if opt.Year <= 0 {
				return nil, &ActivityError{Msg: i18n.T(opt.Lang, "actrep.err.noyear"), Err: ErrNoActivity}
			}
			var err error
			if st, err = CollectActivityStats(ctx, src, opt.Year); err != nil {
				return nil, err
			}
		}
		return annualReport(ctx, st, opt)
	}
	ad, err := loadActivity(ctx, src, opt.Activity, opt.Lang)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch pub {
	case Attendance:
		return attendanceSheet(ad, opt)
	case ConsultationReport:
		return consultationReport(ctx, ad, opt)
	}
	return activityReport(ctx, ad, opt)
}

// newActDoc starts a report on the statistics report's layout (headers,
// footers, sections, tables), with the title block left to the caller.
func newActDoc(opt Options, title string) *statsReport {
	st := &Stats{}
	r := &statsReport{doc: newDoc(opt.Size, opt.Lang, title, opt.Now), st: st, opt: opt, rb: newRows(st, opt.Lang), title: title}
	r.left, r.right, r.top, r.bottom = 18, 18, 22, 18
	if opt.Size == A5 {
		r.left, r.right, r.top, r.bottom = 12, 12, 20, 17
	}
	r.setLogo(opt.Office.Logo)
	r.pdf.SetFooterFunc(r.footer)
	r.f = &flow{d: r.doc, bottom: r.h - r.bottom, newPage: r.newPage}
	r.pdf.AddPage()
	r.page1 = true
	r.f.y = 14
	return r
}

// actTitle writes the title block of a publication of one activity: what
// the publication is, the activity's title and the facts given (label,
// value; empty values are left out), with the office and its logo.
func (r *statsReport) actTitle(kicker, title string, facts [][2]string) {
	inner := r.inner()
	top := r.f.y
	logoW := 0.0
	if r.drawLogo(r.w-r.right-28, r.f.y, 28, 20) {
		logoW = 32
	}
	r.font(false, 9.5)
	r.textColor(colMuted)
	r.text(r.left, r.f.y, r.fit(kicker, inner-logoW))
	r.f.y += r.lh()
	if o := clean(r.opt.Office.Name); o != "" {
		r.text(r.left, r.f.y, r.fit(o, inner-logoW))
		r.f.y += r.lh()
	}
	r.f.y += 1.5
	r.font(true, 18)
	r.textColor(colAccent)
	for _, l := range r.wrap(title, inner-logoW) {
		r.text(r.left, r.f.y, l)
		r.f.y += r.lh()
	}
	r.f.y = max(r.f.y, top+22) + 2
	r.textColor(colInk)
	r.facts(facts)
	r.f.y += 4
}

// facts writes label: value lines, the values wrapped in their column.
func (r *statsReport) facts(facts [][2]string) {
	r.font(true, 8.5)
	lw := 0.0
	for _, f := range facts {
		if f[1] != "" {
			lw = max(lw, r.width(f[0]))
		}
	}
	lw = min(lw+3, r.inner()*0.35)
	for _, f := range facts {
		if f[1] == "" {
			continue
		}
		r.font(false, 9)
		ls := r.wrap(cleanText(f[1]), r.inner()-lw)
		r.f.need(r.lh())
		r.font(true, 8.5)
		r.textColor(colMuted)
		r.text(r.left, r.f.y+0.2, r.fit(f[0], lw-2))
		r.textColor(colInk)
		r.font(false, 9)
		for _, l := range ls {
			r.f.need(r.lh())
			r.text(r.left+lw, r.f.y, l)
			r.f.y += r.lh()
		}
		r.f.y += 0.6
	}
}

// paragraph writes text wrapped to the column.
func (r *statsReport) paragraph(text string, pt float64) {
	r.font(false, pt)
	for _, l := range r.wrap(cleanText(text), r.inner()) {
		r.f.need(r.lh())
		r.font(false, pt)
		r.text(r.left, r.f.y, l)
		r.f.y += r.lh()
	}
	r.f.y += 2
}

// keyFigures draws a row of figures in tinted boxes.
func (r *statsReport) keyFigures(figs [][2]string) {
	const gap = 3.0
	s := 1.0
	h := 22.0
	if r.size == A5 {
		s, h = 0.8, 18
	}
	r.f.need(h + 6)
	w := (r.inner() - gap*float64(len(figs)-1)) / float64(len(figs))
	for i, f := range figs {
		r.keyFigure(r.left+float64(i)*(w+gap), r.f.y, w, h, s, f[0], f[1])
	}
	r.f.y += h + 8
}

// gridCol is a column of a grid: its title, its share of the width, and
// whether its numbers are aligned right.
type gridCol struct {
	title string
	w     float64
	right bool
}

// grid draws a table whose cells wrap. The header is repeated on every
// page; a row taller than what is left of a page goes on over the next.
func (r *statsReport) grid(cols []gridCol, rows [][]string, pt float64) {
	const pad = 1.2
	inner := r.inner()
	sum := 0.0
	for _, c := range cols {
		sum += c.w
	}
	x := make([]float64, len(cols)+1)
	x[0] = r.left
	for i, c := range cols {
		x[i+1] = x[i] + c.w/sum*inner
	}
	cellW := func(i int) float64 { return x[i+1] - x[i] - 2*pad }
	// the headers' size: no word of a title broken inside (a narrow
	// column of numbers under "Присуствовали")
	hs := pt * 0.88
	for i, c := range cols {
		for _, word := range strings.Fields(c.title) {
			r.font(true, hs)
			for hs > 5 && r.width(word) > cellW(i) {
				hs -= 0.25
				r.font(true, hs)
			}
		}
	}
	r.font(true, hs)
	var heads [][]string
	hl := 1
	for i, c := range cols {
		ls := r.wrap(c.title, cellW(i))
		heads = append(heads, ls)
		hl = max(hl, len(ls))
	}
	headH := float64(hl)*r.lh() + 2*pad
	header := func() {
		r.rect(r.left, r.f.y, inner, headH, colAccentBg)
		r.font(true, hs)
		r.textColor(colAccent)
		for i, ls := range heads {
			for j, l := range ls {
				y := r.f.y + pad + float64(j)*r.lh()
				if cols[i].right {
					r.textRight(x[i+1]-pad, y, l)
				} else {
					r.text(x[i]+pad, y, l)
				}
			}
		}
		r.textColor(colInk)
		r.f.y += headH
	}
	r.font(false, pt)
	r.f.need(headH + r.lh()*2 + 2*pad)
	header()
	for n, cells := range rows {
		r.font(false, pt)
		lines := make([][]string, len(cols))
		tall := 1
		for i := range cols {
			s := ""
			if i < len(cells) {
				s = cells[i]
			}
			lines[i] = r.wrap(s, cellW(i))
			tall = max(tall, len(lines[i]))
		}
		for done := 0; done < tall; {
			avail := int((r.f.bottom - r.f.y - 2*pad) / r.lh())
			k := min(tall-done, avail)
			if k < min(tall-done, 3) {
				r.newPage()
				header()
				r.font(false, pt)
				continue
			}
			h := float64(k)*r.lh() + 2*pad
			if n%2 == 1 {
				r.rect(r.left, r.f.y, inner, h, colShade)
			}
			for i, ls := range lines {
				for j := done; j < done+k && j < len(ls); j++ {
					y := r.f.y + pad + float64(j-done)*r.lh()
					if cols[i].right {
						r.textRight(x[i+1]-pad, y, ls[j])
					} else {
						r.text(x[i]+pad, y, ls[j])
					}
				}
			}
			r.f.y += h
			done += k
		}
		r.rule(r.left, r.left+inner, r.f.y, 0.1, colRule)
	}
	r.f.y += 3
}

// ---- the activity report ----

// ageGroups are the bounds of the age groups of the activity report.
var ageGroups = []struct {
	lo, hi int
	label  string
}{{0, 17, "0–17"}, {18, 29, "18–29"}, {30, 44, "30–44"}, {45, 64, "45–64"}, {65, 200, "65+"}}

// activityReport: what, when, where, who organised it, and who attended
// by gender, country of residence, generation, age group and organisation.
func activityReport(ctx context.Context, ad *activityData, opt Options) (*doc, error) {
	lang := opt.Lang
	act := ad.act
	r := newActDoc(opt, clean(act.Title()))
	r.actTitle(i18n.T(lang, "report.pub.activity"), clean(act.Title()), [][2]string{
		{i18n.T(lang, "actrep.kind"), kindLabel(act.ActivityKind, lang)},
		{i18n.T(lang, "actrep.when"), when(act, lang)},
		{i18n.T(lang, "actrep.where"), where(act, ad.names, lang)},
		{i18n.T(lang, "actrep.organisers"), organisers(act, ad.names, opt.Office.Name, lang)},
		{i18n.T(lang, "actrep.tags"), clean(strings.Join(act.Tags, ", "))},
	})
	if d := strings.TrimSpace(act.Description); d != "" {
		r.paragraph(d, 9)
	}

	byStatus := map[string]int{}
	var attended []*participant
	for _, p := range ad.parts {
		byStatus[p.p.Status]++
		if p.p.Status == "attended" {
			attended = append(attended, p)
		}
	}
	var gender GenderCount
	country := map[string]*GenderCount{}
	generation := map[string]*GenderCount{}
	age := map[string]*GenderCount{}
	orgs := map[string]*Named{}
	gc := func(m map[string]*GenderCount, k string) *GenderCount {
		if m[k] == nil {
			m[k] = &GenderCount{}
		}
		return m[k]
	}
	for _, p := range attended {
		g := p.gender
		gender.add(g)
		gc(country, p.country).add(g)
		gen := ""
		if p.generation > 0 {
			gen = strconv.Itoa(p.generation)
		}
		gc(generation, gen).add(g)
		ag := ""
		if !p.birth.IsZero() {
			years := p.birth.AgeOn(act.Start)
			for _, a := range ageGroups {
				if years >= a.lo && years <= a.hi {
					ag = a.label
				}
			}
		}
		gc(age, ag).add(g)
		if p.orgID != "" {
			if orgs[p.orgID] == nil {
				orgs[p.orgID] = &Named{Name: p.org}
			}
			orgs[p.orgID].add(g)
		}
	}
	r.st.Persons = len(attended)
	r.keyFigures([][2]string{
		{r.num(len(ad.parts)), i18n.T(lang, "actrep.fig.participants")},
		{r.num(len(attended)), i18n.T(lang, "actrep.fig.attended")},
		{r.num(gender.F), i18n.T(lang, "report.stats.col.women")},
		{r.num(gender.M), i18n.T(lang, "report.stats.col.men")},
		{r.num(len(orgs)), i18n.T(lang, "actrep.fig.orgs")},
	})
	if len(attended) == 0 && len(ad.parts) > 0 {
		r.note(i18n.T(lang, "actrep.note.noattendance"))
		r.f.flush()
	}
	ages := make([]string, len(ageGroups))
	for i, a := range ageGroups {
		ages[i] = a.label
	}
	sections := []struct {
		key  string
		draw func()
	}{
		{"actrep.sec.status", func() {
			r.table(r.f, r.left, r.inner(), 1, breakdown{rows: statusRows(byStatus, lang), of: len(ad.parts)})
		}},
		{"actrep.sec.gender", func() { r.genderBlock(gender) }},
		{"actrep.sec.country", func() {
			r.genderTable(r.rb.byTotal(r.rb.fromCodes(country, r.rb.country), topRows))
		}},
		{"actrep.sec.generation", func() {
			r.genderTable(r.rb.ordered(generation, data.ValueCodes(data.GroupGeneration), func(c string) string {
				return data.ValueLabel(data.GroupGeneration, c, lang)
			}))
		}},
		{"actrep.sec.age", func() {
			rows := r.rb.ordered(age, ages, func(c string) string { return c })
			var chart []row // every group, so that the gaps show
			for _, a := range ages {
				var g GenderCount
				if c := age[a]; c != nil {
					g = *c
				}
				chart = append(chart, row{label: a, g: g})
			}
			if len(attended) > 0 {
				r.f.need(50)
				r.genderLegend(r.w-r.right, r.f.y, 1)
				r.f.y += 5
				r.columnChart(r.left, r.f.y, r.inner(), 40, 1, chart)
				r.f.y += 44
			}
			r.genderTable(rows)
		}},
		{"actrep.sec.orgs", func() {
			if len(orgs) == 0 {
				r.note(i18n.T(lang, "actrep.none"))
				return
			}
			r.genderTable(r.rb.named(orgs, 0))
		}},
	}
	for _, s := range sections {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.section(i18n.T(lang, s.key), s.draw)
	}
	return r.doc, nil
}

// genderBlock draws a donut of women, men and not stated beside its table.
func (r *statsReport) genderBlock(g GenderCount) {
	d := 40.0
	if r.size == A5 {
		d = 30
	}
	r.f.need(d + 4)
	y := r.f.y
	r.donut(r.left+d/2, y+d/2, d/2, d/2*0.55, []int{g.F, g.M, g.U}, []rgb{colWomen, colMen, colUnknown})
	r.font(true, 11)
	r.textCenter(r.left+d/2, y+d/2-r.lh()/2, r.num(g.Total()))
	rows := []row{
		{label: r.t("report.stats.col.women"), g: GenderCount{F: g.F}},
		{label: r.t("report.stats.col.men"), g: GenderCount{M: g.M}},
	}
	if g.U > 0 {
		rows = append(rows, row{label: r.t("report.stats.col.unknown"), g: GenderCount{U: g.U}, muted: true})
	}
	sub := &flow{d: r.doc, y: y + 2, bottom: r.f.bottom, newPage: r.newPage}
	r.table(sub, r.left+d+8, r.inner()-d-8, 1, breakdown{rows: rows, of: g.Total()})
	r.f.y = max(y+d+4, sub.y)
}
