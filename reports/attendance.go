package reports

import (
	"strconv"

	"registar/data/i18n"
)

// attendanceSheet is the list to sign at the door: the activity's title,
// date and place on every page, numbered rows with name, organisation,
// place of residence and a box to sign, and the consent line at the foot
// of every page (each page is signed apart and may be filed apart). The
// participants who were invited, registered or attended are printed
// (excused and absent ones are not expected); blank numbered rows fill the
// last page for walk-ins.
func attendanceSheet(ad *activityData, opt Options) (*doc, error) {
	lang := opt.Lang
	act := ad.act
	title := clean(act.Title())
	d := newDoc(A4, lang, i18n.T(lang, "report.pub.attendance")+": "+title, opt.Now)
	d.left, d.right, d.top, d.bottom = 14, 14, 12, 12
	d.setLogo(opt.Office.Logo)
	inner := d.w - d.left - d.right

	var rows []*participant
	for _, p := range ad.parts {
		switch p.p.Status {
		case "excused", "absent":
			continue
		}
		rows = append(rows, p)
	}

	// the consent line, as wide as the page, at the foot
	consent := i18n.T(lang, "actrep.att.consent", "office", officeName(opt, lang))
	d.font(false, 7.5)
	consentLines := d.wrap(consent, inner)
	footH := float64(len(consentLines))*d.lh() + 8
	d.pdf.SetFooterFunc(func() {
		d.font(false, 7.5)
		d.textColor(colInk)
		y := d.h - d.bottom - footH + 1
		for _, l := range consentLines {
			d.text(d.left, y, l)
			y += d.lh()
		}
		d.textColor(colMuted)
		d.font(false, 7)
		y += 1.5
		d.rule(d.left, d.w-d.right, y-0.6, 0.2, colRule)
		d.text(d.left, y, d.fit(clean(opt.Office.Name), inner*0.6))
		d.textRight(d.w-d.right, y, i18n.T(lang, "report.stats.page", "n", strconv.Itoa(d.pdf.PageNo()), "total", "{nb}"))
		d.textColor(colInk)
	})

	cols := []struct {
		key string
		w   float64
	}{
		{"actrep.att.no", 9}, {"actrep.att.name", 44}, {"actrep.att.org", 40}, {"actrep.att.residence", 38}, {"actrep.att.signature", 51},
	}
	sum := 0.0
	for _, c := range cols {
		sum += c.w
	}
	xs := []float64{d.left}
	for _, c := range cols {
		xs = append(xs, xs[len(xs)-1]+c.w/sum*inner)
	}
	const rowH = 9.0
	const pad = 1.5
	var y float64
	page := func() {
		d.pdf.AddPage()
		y = d.top
		logoW := 0.0
		if d.drawLogo(d.w-d.right-22, y, 22, 15) {
			logoW = 26
		}
		d.font(false, 8.5)
		d.textColor(colMuted)
		d.text(d.left, y, d.fit(i18n.T(lang, "report.pub.attendance"), inner-logoW))
		y += d.lh()
		d.font(true, 14)
		d.textColor(colAccent)
		for _, l := range d.wrap(title, inner-logoW) {
			d.text(d.left, y, l)
			y += d.lh()
		}
		d.textColor(colInk)
		d.font(false, 9.5)
		line := when(act, lang)
		if w := where(act, ad.names, lang); w != "" {
			line += " · " + w
		}
		for _, l := range d.wrap(line, inner-logoW) {
			d.text(d.left, y, l)
			y += d.lh()
		}
		y = max(y, d.top+15) + 3
		// the header row
		d.font(true, 8)
		hh := d.lh() + 2*pad
		d.rect(d.left, y, inner, hh, colAccentBg)
		d.textColor(colAccent)
		for i, c := range cols {
			d.text(xs[i]+pad, y+pad, d.fit(i18n.T(lang, c.key), xs[i+1]-xs[i]-2*pad))
		}
		d.textColor(colInk)
		y += hh
	}
	bottom := d.h - d.bottom - footH - 2
	n := 0
	drawRow := func(p *participant) {
		if n == 0 || y+rowH > bottom {
			page()
		}
		n++
		d.drawColor(colRule)
		d.pdf.SetLineWidth(0.25)
		d.pdf.Rect(d.left, y, inner, rowH, "D")
		for i := 1; i < len(xs)-1; i++ {
			d.pdf.Line(xs[i], y, xs[i], y+rowH)
		}
		d.font(false, 8.5)
		ty := y + (rowH-d.lh())/2
		d.textColor(colMuted)
		d.textRight(xs[1]-pad, ty, strconv.Itoa(n))
		d.textColor(colInk)
		if p != nil {
			// an organisation nobody is recorded for has its name cell
			// left for whoever comes to write in
			for i, s := range []string{p.name, p.org, p.residence} {
				cw := xs[i+2] - xs[i+1] - 2*pad
				if d.width(s) > cw { // two smaller lines before shortening
					d.font(false, 7)
					ls := d.wrap(s, cw)
					if len(ls) > 2 {
						ls = []string{ls[0], d.fit(ls[1]+" "+ls[2], cw)}
					}
					yy := y + (rowH-float64(len(ls))*d.lh())/2
					for _, l := range ls {
						d.text(xs[i+1]+pad, yy, d.fit(l, cw))
						yy += d.lh()
					}
					d.font(false, 8.5)
					continue
				}
				d.text(xs[i+1]+pad, ty, s)
			}
		}
		y += rowH
	}
	for _, p := range rows {
		drawRow(p)
	}
	// blank rows for walk-ins: at least five, then to the end of the page
	for i := 0; i < 5 || y+rowH <= bottom; i++ {
		drawRow(nil)
	}
	return d, nil
}

// officeName is the office's name for a sentence, or a generic "the office".
func officeName(opt Options, lang i18n.Lang) string {
	if n := clean(opt.Office.Name); n != "" {
		return n
	}
	return i18n.T(lang, "actrep.office")
}
