package reports

import (
	"context"
	"strconv"

	"registar/data"
	"registar/data/i18n"
)

// consultationReport is the report BiH's rules on consultations ask for:
// the draft, the comment period, who was invited and who responded, and
// the table of the comments received with the response to each and its
// reason.
func consultationReport(ctx context.Context, ad *activityData, opt Options) (*doc, error) {
	lang := opt.Lang
	act := ad.act
	c := act.Consultation
	if c == nil {
		return nil, &ActivityError{Msg: i18n.T(lang, "actrep.err.notconsultation", "name", "„"+clean(act.Title())+"“"), Err: ErrNoActivity}
	}
	r := newActDoc(opt, clean(act.Title()))
	period := ""
	switch {
	case !c.From.IsZero() && !c.To.IsZero():
		period = formatDate(c.From.Time(), lang) + " – " + formatDate(c.To.Time(), lang)
	case !c.From.IsZero():
		period = i18n.T(lang, "actrep.cons.from", "date", formatDate(c.From.Time(), lang))
	case !c.To.IsZero():
		period = i18n.T(lang, "actrep.cons.to", "date", formatDate(c.To.Time(), lang))
	}
	r.actTitle(i18n.T(lang, "report.pub.consultation"), clean(act.Title()), [][2]string{
		{i18n.T(lang, "actrep.cons.draft"), clean(c.DraftTitle)},
		{i18n.T(lang, "actrep.cons.reference"), clean(c.Reference)},
		{i18n.T(lang, "actrep.cons.body"), clean(c.IssuingBody)},
		{i18n.T(lang, "actrep.cons.link"), clean(c.Link)},
		{i18n.T(lang, "actrep.cons.period"), period},
		{i18n.T(lang, "actrep.organisers"), organisers(act, ad.names, opt.Office.Name, lang)},
		{i18n.T(lang, "actrep.where"), where(act, ad.names, lang)},
	})

	// who was invited, and who responded (a comment may come from someone
	// not invited: they are listed too)
	type invitee struct {
		name, place, status string
		comments            int
	}
	commentsBy := map[string]int{}
	for _, cm := range c.Comments {
		if ad.responders[cm.FromID] {
			commentsBy[cm.FromID]++
		}
	}
	var list []invitee
	listed := map[string]bool{}
	for _, p := range ad.parts {
		name := p.org
		if name == "" {
			name = p.name
		} else if p.name != "" && p.p.ParticipantKind != data.KindPerson {
			name += " (" + p.name + ")"
		}
		list = append(list, invitee{name: name, place: p.residence,
			status:   data.ValueLabel(data.GroupParticipation, p.p.Status, lang),
			comments: commentsBy[p.p.ParticipantID]})
		listed[p.p.ParticipantID] = true
	}
	for _, cm := range c.Comments {
		if id := cm.FromID; ad.responders[id] && !listed[id] {
			listed[id] = true
			list = append(list, invitee{name: ad.names[id], status: i18n.T(lang, "actrep.cons.notinvited"), comments: commentsBy[id]})
		}
	}
	responded := len(ad.responders)
	byResponse := map[string]int{}
	for _, cm := range c.Comments {
		byResponse[cm.Response]++
	}
	r.keyFigures([][2]string{
		{r.num(len(ad.parts)), i18n.T(lang, "actrep.cons.fig.invited")},
		{r.num(responded), i18n.T(lang, "actrep.cons.fig.responded")},
		{r.num(len(c.Comments)), i18n.T(lang, "actrep.cons.fig.comments")},
		{r.num(byResponse["accepted"] + byResponse["partly"]), i18n.T(lang, "actrep.cons.fig.accepted")},
	})

	r.section(i18n.T(lang, "actrep.cons.sec.invited"), func() {
		if len(list) == 0 {
			r.note(i18n.T(lang, "actrep.none"))
			return
		}
		rows := make([][]string, len(list))
		for i, in := range list {
			resp := i18n.T(lang, "actrep.cons.no")
			if in.comments > 0 {
				resp = i18n.T(lang, "actrep.cons.yes", "n", r.num(in.comments))
			}
			rows[i] = []string{strconv.Itoa(i + 1), in.name, in.place, in.status, resp}
		}
		r.grid([]gridCol{
			{title: i18n.T(lang, "actrep.att.no"), w: 7, right: true},
			{title: i18n.T(lang, "actrep.cons.col.who"), w: 60},
			{title: i18n.T(lang, "actrep.att.residence"), w: 35},
			{title: i18n.T(lang, "actrep.cons.col.status"), w: 22},
			{title: i18n.T(lang, "actrep.cons.col.responded"), w: 26},
		}, rows, 8)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.section(i18n.T(lang, "actrep.cons.sec.responses"), func() {
		var rows []row
		for _, resp := range data.CommentResponses {
			rows = append(rows, row{label: data.ValueLabel(data.GroupCommentResponse, resp, lang), g: GenderCount{U: byResponse[resp]}})
		}
		if n := byResponse[""]; n > 0 {
			rows = append(rows, row{label: i18n.T(lang, "actrep.cons.pending"), g: GenderCount{U: n}, muted: true})
		}
		r.table(r.f, r.left, r.inner(), 1, breakdown{rows: rows, of: len(c.Comments)})
	})
	r.section(i18n.T(lang, "actrep.cons.sec.comments"), func() {
		if len(c.Comments) == 0 {
			r.note(i18n.T(lang, "actrep.cons.nocomments"))
			return
		}
		rows := make([][]string, len(c.Comments))
		for i, cm := range c.Comments {
			from := ad.names[cm.FromID]
			if from == "" {
				from = i18n.T(lang, "report.stats.notstated")
			}
			date := ""
			if !cm.Date.IsZero() {
				date = formatDate(cm.Date.Time(), lang)
			}
			resp := ""
			if cm.Response != "" {
				resp = data.ValueLabel(data.GroupCommentResponse, cm.Response, lang)
			}
			rows[i] = []string{strconv.Itoa(i + 1), from, date, clean(cm.Article), cleanText(cm.Text), resp, cleanText(cm.Reason)}
		}
		r.grid([]gridCol{
			{title: i18n.T(lang, "actrep.att.no"), w: 6, right: true},
			{title: i18n.T(lang, "actrep.cons.col.from"), w: 26},
			{title: i18n.T(lang, "actrep.cons.col.date"), w: 17},
			{title: i18n.T(lang, "actrep.cons.col.article"), w: 14},
			{title: i18n.T(lang, "actrep.cons.col.text"), w: 48},
			{title: i18n.T(lang, "actrep.cons.col.response"), w: 17},
			{title: i18n.T(lang, "actrep.cons.col.reason"), w: 40},
		}, rows, 7.5)
	})
	return r.doc, nil
}
