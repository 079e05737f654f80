package reports

import (
	"context"
	"sort"
	"strconv"

	"registar/data"
	"registar/data/i18n"
)

// ---- rows from the statistics ----

// rowsBuilder turns Stats into table rows with labels in a language.
type rowsBuilder struct {
	st   *Stats
	lang i18n.Lang
	col  func(ss []string) [][]byte
}

func newRows(st *Stats, lang i18n.Lang) *rowsBuilder {
	col := collatorFor(lang)
	return &rowsBuilder{st: st, lang: lang, col: func(ss []string) [][]byte { return sortKeys(col, ss) }}
}

func (rb *rowsBuilder) notStated() string { return i18n.T(rb.lang, "report.stats.notstated") }

func (rb *rowsBuilder) country(code string) string {
	if code == "" {
		return rb.notStated()
	}
	return clean(data.CountryName(code, rb.lang))
}

// byTotal sorts rows by total, largest first (ties alphabetically), keeps
// the top n and sums the rest into "Other (k)"; rows marked muted ("not
// stated") always go last.
func (rb *rowsBuilder) byTotal(rows []row, top int) []row {
	labels := make([]string, len(rows))
	for i, r := range rows {
		labels[i] = r.label
	}
	keys := rb.col(labels)
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ra, rz := rows[idx[a]], rows[idx[b]]
		if ra.muted != rz.muted {
			return rz.muted
		}
		if ra.g.Total() != rz.g.Total() {
			return ra.g.Total() > rz.g.Total()
		}
		return string(keys[idx[a]]) < string(keys[idx[b]])
	})
	var main, muted []row
	for _, i := range idx {
		if rows[i].muted {
			muted = append(muted, rows[i])
		} else {
			main = append(main, rows[i])
		}
	}
	if top > 0 && len(main) > top+1 {
		other := row{muted: true, other: true, label: i18n.T(rb.lang, "report.stats.other", "n", i18n.FormatInt(len(main)-top, rb.lang))}
		for _, r := range main[top:] {
			other.g.plus(r.g)
		}
		main = append(main[:top:top], other)
	}
	return append(main, muted...)
}

func (rb *rowsBuilder) fromCodes(m map[string]*GenderCount, label func(string) string) []row {
	var rows []row
	for k, g := range m {
		if k == "" {
			rows = append(rows, row{label: rb.notStated(), g: *g, muted: true})
			continue
		}
		rows = append(rows, row{label: label(k), g: *g})
	}
	return rows
}

func (rb *rowsBuilder) countries(top int) []row {
	return rb.byTotal(rb.fromCodes(rb.st.ByCountry, rb.country), top)
}

func (rb *rowsBuilder) cities(top int) []row {
	var rows []row
	var ns GenderCount
	for k, n := range rb.st.ByCity {
		if n.Name == "" {
			ns.plus(n.GenderCount) // the cities not given, of every country, are one row
			continue
		}
		rows = append(rows, row{label: clean(n.Name) + " (" + rb.country(rb.st.CityCountry[k]) + ")", g: n.GenderCount})
	}
	if ns.Total() > 0 {
		rows = append(rows, row{label: rb.notStated(), g: ns, muted: true})
	}
	return rb.byTotal(rows, top)
}

func (rb *rowsBuilder) localities(top int) []row {
	return rb.byTotal(rb.fromCodes(rb.st.ByLocality, func(id string) string {
		if n := clean(rb.st.LocalityName[id]); n != "" {
			return n
		}
		return id
	}), top)
}

func (rb *rowsBuilder) named(m map[string]*Named, top int) []row {
	var rows []row
	for k, n := range m {
		if k == "" || clean(n.Name) == "" {
			rows = append(rows, row{label: rb.notStated(), g: n.GenderCount, muted: true})
			continue
		}
		rows = append(rows, row{label: clean(n.Name), g: n.GenderCount})
	}
	return rb.byTotal(rows, top)
}

// ordered lists rows in a fixed order of codes, "not stated" last, leaving
// out codes nobody has.
func (rb *rowsBuilder) ordered(m map[string]*GenderCount, codes []string, label func(string) string) []row {
	var rows []row
	for _, c := range codes {
		if g := m[c]; g != nil && g.Total() > 0 {
			rows = append(rows, row{label: label(c), g: *g})
		}
	}
	for k, g := range m { // codes outside the list (old or imported data)
		known := k == ""
		for _, c := range codes {
			known = known || c == k
		}
		if !known && g.Total() > 0 {
			rows = append(rows, row{label: clean(k), g: *g})
		}
	}
	if g := m[""]; g != nil && g.Total() > 0 {
		rows = append(rows, row{label: rb.notStated(), g: *g, muted: true})
	}
	return rows
}

func (rb *rowsBuilder) education() []row {
	return rb.ordered(rb.st.ByEducation, data.Educations, func(c string) string {
		return data.ValueLabel(data.GroupEducation, c, rb.lang)
	})
}

func (rb *rowsBuilder) generations() []row {
	m := map[string]*GenderCount{}
	for g, c := range rb.st.ByGeneration {
		k := ""
		if g > 0 {
			k = strconv.Itoa(g)
		}
		if m[k] == nil {
			m[k] = &GenderCount{}
		}
		m[k].plus(*c)
	}
	return rb.ordered(m, data.ValueCodes(data.GroupGeneration), func(c string) string {
		return data.ValueLabel(data.GroupGeneration, c, rb.lang)
	})
}

// emigration lists the decades of emigration: long labels for the table
// ("1990–1999"), short ones for the chart ("1990").
func (rb *rowsBuilder) emigration() (table, chart []row) {
	lo, hi := 0, 0
	for d, g := range rb.st.ByEmigration {
		if d <= 0 || g.Total() == 0 {
			continue
		}
		if lo == 0 || d < lo {
			lo = d
		}
		hi = max(hi, d)
	}
	for d := lo; lo > 0 && d <= hi; d += 10 {
		var g GenderCount
		if c := rb.st.ByEmigration[d]; c != nil {
			g = *c
		}
		table = append(table, row{label: strconv.Itoa(d) + "–" + strconv.Itoa(d+9), g: g})
		chart = append(chart, row{label: strconv.Itoa(d), g: g})
	}
	if c := rb.st.ByEmigration[0]; c != nil && c.Total() > 0 {
		table = append(table, row{label: rb.notStated(), g: *c, muted: true})
	}
	return table, chart
}

func (rb *rowsBuilder) interests() []row {
	var rows []row
	for _, c := range data.Interests {
		g := rb.st.ByInterest[c]
		if g == nil {
			g = &GenderCount{}
		}
		rows = append(rows, row{label: data.ValueLabel(data.GroupInterest, c, rb.lang), g: *g})
	}
	return rows
}

func (rb *rowsBuilder) consent() []row {
	return []row{
		{label: i18n.T(rb.lang, "report.stats.consent.contact"), g: rb.st.Contact},
		{label: i18n.T(rb.lang, "report.stats.consent.publish"), g: rb.st.Publish},
	}
}

func (rb *rowsBuilder) counts(m map[string]int, label func(string) string, top int) []row {
	var rows []row
	for k, n := range m {
		if k == "" {
			rows = append(rows, row{label: rb.notStated(), g: GenderCount{U: n}, muted: true})
			continue
		}
		rows = append(rows, row{label: label(k), g: GenderCount{U: n}})
	}
	return rb.byTotal(rows, top)
}

func (rb *rowsBuilder) orgKinds() []row {
	return rb.counts(rb.st.OrgByKind, func(k string) string { return data.ValueLabel(data.GroupOrgKind, k, rb.lang) }, 0)
}

func (rb *rowsBuilder) gender() []row {
	g := rb.st.Gender
	rows := []row{
		{label: i18n.T(rb.lang, "report.stats.col.women"), g: GenderCount{F: g.F}},
		{label: i18n.T(rb.lang, "report.stats.col.men"), g: GenderCount{M: g.M}},
	}
	if g.U > 0 {
		rows = append(rows, row{label: i18n.T(rb.lang, "report.stats.col.unknown"), g: GenderCount{U: g.U}, muted: true})
	}
	return rows
}

// ---- the report ----

// Top lists of long breakdowns show this many rows and then "Other".
const topRows = 25

type statsReport struct {
	*doc
	st    *Stats
	opt   Options
	rb    *rowsBuilder
	f     *flow
	title string
	toc   []tocLine
	page1 bool
}

type tocLine struct {
	title string
	page  int
}

func statisticsReport(ctx context.Context, st *Stats, opt Options) (*doc, error) {
	title := i18n.T(opt.Lang, "report.stats.title")
	r := &statsReport{doc: newDoc(A4, opt.Lang, title, opt.Now), st: st, opt: opt, rb: newRows(st, opt.Lang), title: title}
	r.left, r.right, r.top, r.bottom = 18, 18, 22, 18
	r.setLogo(opt.Office.Logo)
	r.pdf.SetFooterFunc(r.footer)
	r.f = &flow{d: r.doc, bottom: r.h - r.bottom, newPage: r.newPage}

	r.pdf.AddPage()
	r.page1 = true
	r.f.y = 16
	r.titleBlock()
	contentsY := r.f.y

	sections := []struct {
		key  string
		draw func()
	}{
		{"report.stats.gender", r.genderSection},
		{"report.stats.country", func() { r.genderTable(r.rb.countries(topRows)) }},
		{"report.stats.city", func() { r.genderTable(r.rb.cities(topRows)) }},
		{"report.stats.locality", func() { r.genderTable(r.rb.localities(40)) }},
		{"report.stats.profession", func() { r.genderTable(r.rb.named(st.ByProfession, topRows)) }},
		{"report.stats.education", func() { r.genderTable(r.rb.education()) }},
		{"report.stats.generation", func() { r.genderTable(r.rb.generations()) }},
		{"report.stats.emigration", r.emigrationSection},
		{"report.stats.interests", r.interestSection},
		{"report.stats.consent", r.consentSection},
		{"report.stats.business.sector", r.businessSection},
		{"report.stats.business.country", func() {
			r.table(r.f, r.left, r.inner(), 1, breakdown{rows: r.rb.counts(st.BusinessByCountry, r.rb.country, topRows)})
		}},
		{"report.stats.org.kind", r.orgSection},
		{"report.stats.org.country", func() {
			r.table(r.f, r.left, r.inner(), 1, breakdown{rows: r.rb.counts(st.OrgByCountry, r.rb.country, topRows)})
		}},
	}
	if as := opt.ActivityStats; as != nil && len(as.Activities) > 0 {
		sections = append(sections, struct {
			key  string
			draw func()
		}{"actrep.stats.section", func() { r.activitiesSection(as) }})
	}
	// the contents go on page 1 under the title; their page numbers are
	// written once the sections are laid out
	r.font(false, 9)
	contentsH := r.headingH() + float64(len(sections))*r.lh()
	r.f.y = contentsY + contentsH + 8
	for _, s := range sections {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.section(i18n.T(r.lang, s.key), s.draw)
	}
	last := r.pdf.PageNo()
	r.pdf.SetPage(1)
	r.restore()
	r.f.y = contentsY
	r.contents()
	r.pdf.SetPage(last)
	r.restore()
	return r.doc, nil
}

func (r *statsReport) inner() float64 { return r.w - r.left - r.right }

func (r *statsReport) newPage() {
	r.pdf.AddPage()
	r.page1 = false
	r.f.y = r.top
}

func (r *statsReport) footer() {
	if r.blank() {
		return
	}
	pt, bold := r.doc.pt, r.doc.bold
	defer r.font(bold, pt)
	r.font(false, 7.5)
	r.textColor(colMuted)
	if !r.page1 {
		office := clean(r.opt.Office.Name)
		r.text(r.left, 10, r.fit(office, r.inner()*0.5))
		r.textRight(r.w-r.right, 10, r.fit(r.title, r.inner()*0.45))
		r.rule(r.left, r.w-r.right, 10+r.lh()+0.6, 0.2, colRule)
	}
	fy := r.h - 12
	r.rule(r.left, r.w-r.right, fy-1.2, 0.2, colRule)
	r.text(r.left, fy, i18n.T(r.lang, "report.stats.page", "n", strconv.Itoa(r.pdf.PageNo()), "total", "{nb}"))
	r.textRight(r.w-r.right, fy, formatDate(r.opt.Now, r.lang))
	r.textColor(colInk)
}

func (r *statsReport) titleBlock() {
	inner := r.inner()
	logoW := 0.0
	if r.drawLogo(r.w-r.right-32, r.f.y, 32, 24) {
		logoW = 36
	}
	r.font(true, 22)
	r.textColor(colAccent)
	for _, l := range r.wrap(r.title, inner-logoW) {
		r.text(r.left, r.f.y, l)
		r.f.y += r.lh()
	}
	r.font(false, 10.5)
	r.textColor(colInk)
	r.text(r.left, r.f.y+1, r.fit(i18n.T(r.lang, "report.stats.subtitle", "date", formatDate(r.opt.Now, r.lang)), inner-logoW))
	r.f.y += r.lh() + 1
	o := r.opt.Office
	if name := clean(o.Name); name != "" {
		r.font(true, 10.5)
		for _, l := range r.wrap(name, inner-logoW) {
			r.text(r.left, r.f.y, l)
			r.f.y += r.lh()
		}
	}
	if m := clean(o.Municipality); m != "" {
		r.font(false, 10)
		r.textColor(colMuted)
		r.text(r.left, r.f.y, r.fit(m, inner-logoW))
		r.f.y += r.lh()
		r.textColor(colInk)
	}
	r.f.y = max(r.f.y, 16+24) + 8
	// key figures
	figs := []struct {
		n   int
		key string
	}{
		{r.st.Persons, "report.stats.persons"},
		{r.st.Businesses, "report.stats.businesses"},
		{r.st.Organisations, "report.stats.organisations"},
		{r.st.Localities, "report.stats.localities"},
		{r.st.Countries(), "report.stats.countries"},
	}
	gap := 3.0
	w := (inner - gap*float64(len(figs)-1)) / float64(len(figs))
	for i, f := range figs {
		r.keyFigure(r.left+float64(i)*(w+gap), r.f.y, w, 22, 1, r.num(f.n), i18n.T(r.lang, f.key))
	}
	r.f.y += 22 + 10
}

func (r *statsReport) headingH() float64 {
	r.font(true, 13)
	h := float64(len(r.wrap("x", r.inner())))*r.lh() + 3.5
	r.font(false, 9)
	return h
}

func (r *statsReport) heading(title string) {
	r.font(true, 13)
	r.textColor(colAccent)
	for _, l := range r.wrap(title, r.inner()) {
		r.text(r.left, r.f.y, l)
		r.f.y += r.lh()
	}
	r.f.y += 0.8
	r.rule(r.left, r.w-r.right, r.f.y, 0.5, colAccent)
	r.f.y += 2.7
	r.textColor(colInk)
}

// section writes a heading, held until the section's first content so
// that the two share a page, and the content.
func (r *statsReport) section(title string, draw func()) {
	r.f.hold(r.headingH(), func() {
		r.toc = append(r.toc, tocLine{title, r.pdf.PageNo()})
		r.font(true, 13)
		r.pdf.Bookmark(title, 0, r.f.y)
		r.heading(title)
	})
	draw()
	r.f.flush()
	r.f.y += 5
}

// note writes a remark under a heading; it is held with the heading.
func (r *statsReport) note(text string) {
	r.font(false, 7.5)
	ls := r.wrap(text, r.inner())
	h := float64(len(ls))*r.lh() + 1.5
	r.f.hold(h, func() {
		r.font(false, 7.5)
		r.textColor(colMuted)
		r.f.y = r.lines(r.left, r.f.y, ls) + 1.5
		r.textColor(colInk)
	})
}

func (r *statsReport) contents() {
	r.heading(i18n.T(r.lang, "report.contents"))
	r.font(false, 9)
	for _, t := range r.toc {
		r.text(r.left, r.f.y, r.fit(t.title, r.inner()-15))
		r.textRight(r.w-r.right, r.f.y, strconv.Itoa(t.page))
		r.f.y += r.lh()
	}
}

// mutedAfter counts the "not stated" rows after "Other".
func mutedAfter(rows []row) int {
	n := 0
	for i := len(rows) - 1; i >= 0 && !rows[i].other; i-- {
		n++
	}
	return n
}

// genderTable draws a breakdown by gender; long ones say they are cut.
func (r *statsReport) genderTable(rows []row) {
	for _, rw := range rows {
		if rw.other {
			r.note(i18n.T(r.lang, "report.stats.top", "n", strconv.Itoa(len(rows)-1-mutedAfter(rows))))
			break
		}
	}
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: rows, gender: true, of: r.st.Persons})
}

func (r *statsReport) genderSection() {
	const d = 44.0
	r.f.need(d + 4)
	y := r.f.y
	g := r.st.Gender
	r.donut(r.left+d/2, y+d/2, d/2, d/2*0.55, []int{g.F, g.M, g.U}, []rgb{colWomen, colMen, colUnknown})
	r.font(true, 11)
	r.textCenter(r.left+d/2, y+d/2-r.lh()/2, r.num(g.Total()))
	sub := &flow{d: r.doc, y: y + 2, bottom: r.f.bottom, newPage: r.newPage}
	r.table(sub, r.left+d+10, r.inner()-d-10, 1, breakdown{rows: r.rb.gender(), of: g.Total()})
	r.f.y = max(y+d+4, sub.y)
}

func (r *statsReport) emigrationSection() {
	table, chart := r.rb.emigration()
	if len(chart) > 0 {
		r.f.need(62)
		r.genderLegend(r.w-r.right, r.f.y, 1)
		r.f.y += 5
		r.columnChart(r.left, r.f.y, r.inner(), 52, 1, chart)
		r.f.y += 56
	}
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: table, gender: true, of: r.st.Persons})
}

func (r *statsReport) interestSection() {
	r.note(i18n.T(r.lang, "report.stats.interests.note"))
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: r.rb.interests(), gender: true, of: r.st.Persons, barsOfWhole: true})
}

func (r *statsReport) consentSection() {
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: r.rb.consent(), gender: true, of: r.st.Persons, barsOfWhole: true})
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: []row{
		{label: i18n.T(r.lang, "report.stats.business.publish"), g: GenderCount{U: r.st.BusinessPublish}},
	}, of: r.st.Businesses, barsOfWhole: true})
}

func (r *statsReport) businessSection() {
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: r.rb.named(r.st.BusinessBySector, topRows)})
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: []row{
		{label: i18n.T(r.lang, "report.stats.business.invest"), g: GenderCount{U: r.st.BusinessInvest}},
	}, of: r.st.Businesses, barsOfWhole: true})
	r.note(i18n.T(r.lang, "report.stats.employees") + ": " + r.num(r.st.Employees))
}

func (r *statsReport) orgSection() {
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: r.rb.orgKinds()})
	r.note(i18n.T(r.lang, "report.stats.members") + ": " + r.num(r.st.Members))
}

// activitiesSection: the office's activities (every year) by kind and who
// attended them by gender, and the years they were held in.
func (r *statsReport) activitiesSection(as *ActivityStats) {
	r.note(i18n.T(r.lang, "actrep.stats.note", "n", r.num(len(as.Activities)), "attended", r.num(as.Attended.Total())))
	r.activitiesByKind(as)
	years := map[int]*GenderCount{}
	var order []int
	for _, f := range as.Activities { // by start: the years come in order
		y := f.Activity.Start.Year
		if years[y] == nil {
			years[y] = &GenderCount{}
			order = append(order, y)
		}
		years[y].plus(f.Attended)
	}
	rows := make([]row, len(order))
	for i, y := range order {
		rows[i] = row{label: strconv.Itoa(y), g: *years[y]}
	}
	r.f.y += 2
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: rows, gender: true, of: as.Attended.Total()})
}
