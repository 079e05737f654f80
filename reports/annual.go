package reports

import (
	"context"
	"strconv"

	"registar/data/i18n"
)

// annualReport is the head of office's report of a year's activities:
// totals by kind and by gender, those who attended by month, and every
// activity with its figures.
func annualReport(ctx context.Context, st *ActivityStats, opt Options) (*doc, error) {
	lang := opt.Lang
	year := strconv.Itoa(st.Year)
	title := i18n.T(lang, "actrep.annual.title", "year", year)
	r := newActDoc(opt, title)
	r.actTitle(i18n.T(lang, "report.pub.activities"), title, [][2]string{
		{i18n.T(lang, "actrep.annual.made"), formatDate(opt.Now, lang)},
		{i18n.T(lang, "actrep.annual.municipality"), clean(opt.Office.Municipality)},
	})
	consultations := st.KindCount["consultation"]
	r.keyFigures([][2]string{
		{r.num(len(st.Activities)), i18n.T(lang, "actrep.annual.fig.activities")},
		{r.num(st.Attended.Total()), i18n.T(lang, "actrep.fig.attended")},
		{r.num(st.Attended.F), i18n.T(lang, "report.stats.col.women")},
		{r.num(st.Attended.M), i18n.T(lang, "report.stats.col.men")},
		{r.num(consultations), i18n.T(lang, "actrep.annual.fig.consultations")},
	})
	if len(st.Activities) == 0 {
		r.note(i18n.T(lang, "actrep.annual.none", "year", year))
		r.f.flush()
		return r.doc, nil
	}
	r.st.Persons = st.Attended.Total()
	r.section(i18n.T(lang, "actrep.annual.sec.kind"), func() { r.activitiesByKind(st) })
	r.section(i18n.T(lang, "actrep.sec.gender"), func() { r.genderBlock(st.Attended) })
	r.section(i18n.T(lang, "actrep.annual.sec.month"), func() {
		var chart []row
		for m := 1; m <= 12; m++ {
			var g GenderCount
			if c := st.ByMonth[m]; c != nil {
				g = *c
			}
			chart = append(chart, row{label: strconv.Itoa(m), g: g})
		}
		r.f.need(50)
		r.genderLegend(r.w-r.right, r.f.y, 1)
		r.f.y += 5
		r.columnChart(r.left, r.f.y, r.inner(), 40, 1, chart)
		r.f.y += 44
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.section(i18n.T(lang, "actrep.annual.sec.list"), func() {
		rows := make([][]string, 0, len(st.Activities)+1)
		var tot GenderCount
		total, invited := 0, 0
		for i, f := range st.Activities {
			a := f.Activity
			n := 0
			for _, c := range f.ByStatus {
				n += c
			}
			total += n
			invited += f.ByStatus["invited"]
			tot.plus(f.Attended)
			rows = append(rows, []string{strconv.Itoa(i + 1), when(a, lang),
				clean(a.Title()) + "\n" + kindLabel(a.ActivityKind, lang), where(a, nil, lang),
				r.num(n), r.num(f.Attended.Total()), r.num(f.Attended.F), r.num(f.Attended.M)})
		}
		rows = append(rows, []string{"", "", i18n.T(lang, "report.stats.col.total"), "",
			r.num(total), r.num(tot.Total()), r.num(tot.F), r.num(tot.M)})
		r.grid([]gridCol{
			{title: i18n.T(lang, "actrep.att.no"), w: 6, right: true},
			{title: i18n.T(lang, "actrep.when"), w: 20},
			{title: i18n.T(lang, "actrep.annual.col.activity"), w: 48},
			{title: i18n.T(lang, "actrep.where"), w: 30},
			{title: i18n.T(lang, "actrep.fig.participants"), w: 14, right: true},
			{title: i18n.T(lang, "actrep.fig.attended"), w: 13, right: true},
			{title: i18n.T(lang, "report.stats.col.women"), w: 11, right: true},
			{title: i18n.T(lang, "report.stats.col.men"), w: 11, right: true},
		}, rows, 7.5)
	})
	return r.doc, nil
}

// activitiesByKind: how many activities of each kind, and who attended
// them by gender.
func (r *statsReport) activitiesByKind(st *ActivityStats) {
	people, counts := st.kindRows(r.lang)
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: counts, of: len(st.Activities)})
	r.f.y += 2
	r.table(r.f, r.left, r.inner(), 1, breakdown{rows: people, gender: true, of: st.Attended.Total()})
}
