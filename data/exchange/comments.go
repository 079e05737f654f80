package exchange

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/store"
)

// Organisations send their comments on a policy draft by letter or e-mail;
// the office types them into a table: who sent it, when, the article, the
// text, and later the response and its reason. PrepareComments reads such a
// table into the consultation's comments. The sender is an organisation of
// the registry (or else a person) found by name, whatever the script; one
// the registry lacks is offered as a new organisation, added in the same
// step.

// CommentsPlan is the preview of a comments sheet: the Plan's rows (Added
// counts comments), and the organisations it will add.
type CommentsPlan struct {
	*Plan
	Activity *data.Activity
	// NewOrganisations are the senders the registry lacks, added as
	// civil-society organisations in the office's country.
	NewOrganisations []*data.Organisation
}

// PrepareComments checks a comments sheet of the consultation with the ID
// without writing anything. The activity must be in the registry, not in
// the trash, and of the kind consultation; the sheet must have a column
// for the comment's text (else a *SheetError names it). A row repeating a
// comment the consultation has (the same sender, article and text) is a
// duplicate, so importing a sheet twice adds nothing.
func PrepareComments(ctx context.Context, st *store.Store, sh *Sheet, m Mapping, activityID string, opt Options) (cp *CommentsPlan, err error) {
	defer guard(&err)
	if sh == nil {
		return nil, ErrNoHeader
	}
	if st == nil {
		return nil, ErrNoStore
	}
	opt = defaults(opt)
	l := opt.Lang
	m.Kind = KindComment
	act, err := activityOf(st, activityID, l)
	if err != nil {
		return nil, err
	}
	if act.ActivityKind != "consultation" {
		return nil, sheetError(l, "activityx.sheet.not_consultation", "name", act.Title(),
			"kind", data.ValueLabel(data.GroupActivityKind, "consultation", l))
	}
	if !has(m, "text") {
		return nil, sheetError(l, "activityx.sheet.no_text", "param", "„"+data.FieldLabel("text", l)+"“")
	}
	cp = &CommentsPlan{Plan: &Plan{Sheet: sh, Mapping: m, Options: opt}, Activity: act}
	orgs, err := organisationIndex(st)
	if err != nil {
		return nil, err
	}
	persons := newNameIndex()
	err = st.Each(data.KindPerson, func(r data.Record) error {
		p := r.(*data.Person)
		persons.add(p.GivenName+" "+p.FamilyName, p)
		persons.add(p.FamilyName+" "+p.GivenName, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	conv := &converter{lang: l, region: opt.Region, xlsx: sh.Format == FormatXLSX, date1904: sh.date1904}

	upd := data.Clone(act).(*data.Activity)
	if upd.Consultation == nil {
		upd.Consultation = &data.Consultation{DraftTitle: upd.Name}
	}
	seen := map[string]int{} // comment key → the row that gave it (0: the registry)
	for _, c := range upd.Consultation.Comments {
		seen[commentKey(c, "")] = 0
	}
	newOrgs := map[string]*data.Organisation{}
	pending := map[string]data.Kind{}
	var added []data.Comment
	for i, row := range sh.Rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		cells := cellsOf(m, row)
		rr := &cellReader{conv: conv}
		c := data.Comment{
			Date:     rr.date("date", cells["date"]),
			Article:  rr.text(cells["article"]),
			Text:     strings.TrimSpace(strings.ReplaceAll(cells["text"], "\r\n", "\n")),
			Response: rr.code("response", data.GroupCommentResponse, cells["response"]),
			Reason:   strings.TrimSpace(strings.ReplaceAll(cells["reason"], "\r\n", "\n")),
		}
		sender := rr.text(cells["from_id"])
		res := RowResult{Row: row.N, Title: sender}
		if len(rr.reasons) > 0 {
			res.Action, res.Reasons = Reject, rr.reasons
			cp.Rows = append(cp.Rows, res)
			continue
		}
		wantKind := data.Kind("")
		if v := cells["from_kind"]; v != "" {
			k, err := data.ParseKind(v)
			if err != nil || (k != data.KindOrganisation && k != data.KindPerson) {
				k = kindByLabel(v)
			}
			if k == "" {
				res.Action = Reject
				res.Reasons = []string{i18n.T(l, "exchange.reason.value", "field", data.FieldLabel("from_kind", l), "value", v,
					"param", i18n.T(l, "kind.organisation")+", "+i18n.T(l, "kind.person"))}
				cp.Rows = append(cp.Rows, res)
				continue
			}
			wantKind = k
		}
		if sender != "" {
			var live, trashed []data.Record
			if wantKind != data.KindPerson {
				live, trashed = orgs.find(sender)
				if len(live) > 0 {
					c.FromKind = data.KindOrganisation
				}
			}
			if len(live) == 0 && wantKind != data.KindOrganisation {
				pl, pt := persons.find(sender)
				if len(pl) > 0 {
					live, c.FromKind = pl, data.KindPerson
				}
				trashed = append(trashed, pt...)
			}
			switch {
			case len(live) == 1:
				c.FromID = live[0].Base().ID
			case len(live) > 1:
				res.Action = Reject
				res.Reasons = []string{i18n.T(l, "activityx.reason.sender_twice", "name", sender)}
			case len(trashed) > 0:
				res.Action = Reject
				res.Reasons = []string{i18n.T(l, "activityx.reason.trashed", "name", trashed[0].Title())}
			case wantKind == data.KindPerson:
				res.Action = Reject
				res.Reasons = []string{i18n.T(l, "activityx.reason.sender_person_missing", "name", sender)}
			default:
				key := fold.Key(sender)
				o, ok := newOrgs[key]
				if !ok {
					u, err := uuid.NewV7()
					if err != nil {
						u = uuid.New()
					}
					o = &data.Organisation{Meta: data.Meta{ID: u.String()}, Name: sender, OrgKind: "cso", Country: strings.ToUpper(opt.Region)}
					if msgs := validationMessages(o, opt, nil, nil); len(msgs) > 0 {
						res.Action, res.Reasons = Reject, msgs
						break
					}
					newOrgs[key] = o
					pending[o.ID] = data.KindOrganisation
					cp.NewOrganisations = append(cp.NewOrganisations, o)
					res.Notes = append(res.Notes, i18n.T(l, "activityx.note.new_org", "name", sender,
						"kind", data.ValueLabel(data.GroupOrgKind, "cso", l), "country", data.CountryName(o.Country, l)))
				}
				c.FromKind, c.FromID = data.KindOrganisation, o.ID
			}
			if res.Action == Reject {
				cp.Rows = append(cp.Rows, res)
				continue
			}
		}
		if c.Text == "" {
			res.Action = Reject
			res.Reasons = []string{i18n.T(l, "activityx.reason.no_text", "field", data.FieldLabel("text", l))}
			cp.Rows = append(cp.Rows, res)
			continue
		}
		key := commentKey(c, sender)
		if n, ok := seen[key]; ok {
			res.Action = Duplicate
			if n == 0 {
				res.Reasons = []string{i18n.T(l, "activityx.dup.comment")}
			} else {
				res.SameAsRow = n
				res.Reasons = []string{i18n.T(l, "exchange.dup.row", "n", strconv.Itoa(n))}
			}
			cp.Rows = append(cp.Rows, res)
			continue
		}
		u, err := uuid.NewV7()
		if err != nil {
			u = uuid.New()
		}
		c.ID = u.String()
		// The model's rules for one comment, with the rows before it.
		trial := data.Clone(upd).(*data.Activity)
		trial.Consultation.Comments = append(trial.Consultation.Comments, added...)
		trial.Consultation.Comments = append(trial.Consultation.Comments, c)
		if msgs := validationMessages(trial, opt, storeLinks(st, pending), act); len(msgs) > 0 {
			res.Action, res.Reasons = Reject, msgs
			cp.Rows = append(cp.Rows, res)
			continue
		}
		seen[key] = row.N
		added = append(added, c)
		res.Action = Add
		cp.Rows = append(cp.Rows, res)
	}
	// An organisation whose rows were all refused is not added.
	kept := cp.NewOrganisations[:0]
	for _, o := range cp.NewOrganisations {
		for _, c := range added {
			if c.FromID == o.ID {
				kept = append(kept, o)
				break
			}
		}
	}
	cp.NewOrganisations = kept
	cp.count()
	if len(added) > 0 {
		for _, o := range cp.NewOrganisations {
			cp.recs = append(cp.recs, o)
		}
		upd.Consultation.Comments = append(upd.Consultation.Comments, added...)
		cp.recs = append(cp.recs, upd)
	}
	return cp, nil
}

// commentKey tells a comment repeated from one already there: the sender
// (its ID, else the name the sheet gives), the article and the text,
// folded.
func commentKey(c data.Comment, sender string) string {
	who := c.FromID
	if who == "" {
		who = fold.Key(sender)
	}
	return who + "|" + fold.Key(c.Article) + "|" + fold.Key(c.Text)
}

// kindByLabel reads "Organizacija", "Osoba", "Person" as a kind.
func kindByLabel(s string) data.Kind {
	k := fold.Key(s)
	for _, l := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		for _, kind := range []data.Kind{data.KindOrganisation, data.KindPerson} {
			if fold.Key(i18n.T(l, "kind."+string(kind))) == k {
				return kind
			}
		}
	}
	return ""
}
