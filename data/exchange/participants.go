package exchange

import (
	"context"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// A participants sheet lists the people of one activity: a list of those
// invited or registered (with a status column), or a sign-in sheet typed up
// after the event (no status column: everyone on it attended). Each row is
// matched to a person of the registry as the person import matches (the
// folded name and date of birth, or the e-mail: data.MatchKeys), or by the
// phone, or by the name alone when one person of the registry has it; a
// row that matches nobody is offered as a new person, added in the same
// step as the participations.

// Participant errors: the sheet or the activity cannot be imported at all.
var (
	// ErrNoActivity: no activity was named for a participants or comments
	// sheet.
	ErrNoActivity = errors.New("name the activity the sheet belongs to")
)

// SheetError is a participants or comments sheet refused as a whole, with
// a message in the user's language naming what is missing.
type SheetError struct {
	Key  string   // catalogue key of the message
	Args []string // its placeholders, name and value
	lang i18n.Lang
}

func (e *SheetError) Error() string { return i18n.T(e.lang, e.Key, e.Args...) }

// Message is the error in a language.
func (e *SheetError) Message(l i18n.Lang) string { return i18n.T(l, e.Key, e.Args...) }

func sheetError(l i18n.Lang, key string, args ...string) *SheetError {
	return &SheetError{Key: key, Args: args, lang: l}
}

// ParticipantsPlan is the preview of a participants sheet: the Plan's rows
// and counts (Added and Updated count participations; Duplicates the rows
// naming a person an earlier row named), and what else it will do.
type ParticipantsPlan struct {
	*Plan
	Activity *data.Activity
	// SignIn is set when the sheet has no status column: everyone on it is
	// marked as attended.
	SignIn bool
	// NewPersons are the persons the import adds (rows that matched nobody
	// in the registry), in sheet order.
	NewPersons []*data.Person

	parts []*data.Participation // to write, in sheet order
}

// participantRow is what a row says about its participant.
type participantRow struct {
	cells   map[string]string
	person  *data.Person // as read (a new person, if no one matches)
	reasons []string
	orgName string
}

// personIndex finds the registry's persons by the keys a row can match
// them by.
type personIndex struct {
	byKey  map[string][]string // match key → person IDs
	byName map[string][]string // folded "given family" → person IDs
	recs   map[string]*data.Person
}

func (ix *personIndex) add(p *data.Person, region string) {
	id := p.ID
	ix.recs[id] = p
	put := func(m map[string][]string, k string) {
		for _, x := range m[k] {
			if x == id {
				return
			}
		}
		m[k] = append(m[k], id)
	}
	for _, k := range personKeys(p, region) {
		put(ix.byKey, k)
	}
	if n := fold.Key(p.GivenName + " " + p.FamilyName); n != "" {
		put(ix.byName, n)
	}
}

// personKeys are the keys a person is matched by: data.MatchKeys (folded
// name and date of birth, e-mail) and the phone in E.164.
func personKeys(p *data.Person, region string) []string {
	keys := data.MatchKeys(p)
	if ph := data.NormalizePhone(p.Phone, region); ph != "" {
		keys = append(keys, "p:phone:"+ph)
	}
	return keys
}

// PrepareParticipants checks a participants sheet of the activity against
// the registry without writing anything. A sheet with no column for the
// participant's name is refused (*SheetError naming the columns), as is an
// activity that is not in the registry or is in the trash.
func PrepareParticipants(ctx context.Context, st *store.Store, sh *Sheet, m Mapping, activityID string, opt Options) (pp *ParticipantsPlan, err error) {
	defer guard(&err)
	if sh == nil {
		return nil, ErrNoHeader
	}
	if st == nil {
		return nil, ErrNoStore
	}
	opt = defaults(opt)
	m.Kind = data.KindParticipation
	act, err := activityOf(st, activityID, opt.Lang)
	if err != nil {
		return nil, err
	}
	if !has(m, "given_name") && !has(m, "family_name") && !has(m, "participant_name") &&
		!has(m, "participant_name_reversed") && !has(m, "participant_org") && !has(m, "id") {
		return nil, sheetError(opt.Lang, "activityx.sheet.no_name", "param", nameColumns(opt.Lang))
	}
	pp = &ParticipantsPlan{Plan: &Plan{Sheet: sh, Mapping: m, Options: opt}, Activity: act, SignIn: !has(m, "status")}

	persons := &personIndex{byKey: map[string][]string{}, byName: map[string][]string{}, recs: map[string]*data.Person{}}
	err = st.Each(data.KindPerson, func(r data.Record) error {
		persons.add(r.(*data.Person), opt.Region)
		return nil
	})
	if err != nil {
		return nil, err
	}
	orgs, err := organisationIndex(st)
	if err != nil {
		return nil, err
	}
	conv := &converter{lang: opt.Lang, region: opt.Region, xlsx: sh.Format == FormatXLSX, date1904: sh.date1904}
	l := opt.Lang

	planned := map[string]int{}  // participant ID → index in parts
	partRow := map[string]int{}  // participant ID → the row that named them first
	newByKey := map[string]int{} // keys of new persons → index in NewPersons
	newRow := map[int]int{}      // index in NewPersons → its row
	pending := map[string]data.Kind{}
	for i, row := range sh.Rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if opt.Progress != nil {
				opt.Progress(i, len(sh.Rows))
			}
		}
		pr := readParticipant(conv, m, row)
		res := RowResult{Row: row.N, Title: pr.person.Title()}
		if res.Title == "" {
			res.Title = pr.orgName
		}
		reject := func(reasons ...string) {
			res.Action, res.Reasons = Reject, reasons
			pp.Rows = append(pp.Rows, res)
		}
		if len(pr.reasons) > 0 {
			reject(pr.reasons...)
			continue
		}
		status, role, note := "", "", pr.cells["note"]
		rr := &cellReader{conv: conv}
		if pp.SignIn {
			status = "attended"
		} else {
			status = rr.code("status", data.GroupParticipation, pr.cells["status"])
		}
		role = rr.code("role", data.GroupRole, pr.cells["role"])
		if len(rr.reasons) > 0 {
			reject(rr.reasons...)
			continue
		}

		// Who: an organisation (represented by the person on the row, if
		// any), or a person.
		kind := data.KindPerson
		participant, representative := "", ""
		var org data.Record
		if pr.orgName != "" {
			live, trashed := orgs.find(pr.orgName)
			switch {
			case len(live) == 1:
				org = live[0]
			case len(live) > 1:
				reject(i18n.T(l, "activityx.reason.org_twice", "name", pr.orgName))
				continue
			case len(trashed) > 0:
				reject(i18n.T(l, "activityx.reason.trashed", "name", trashed[0].Title()))
				continue
			default:
				reject(i18n.T(l, "activityx.reason.org_missing", "name", pr.orgName))
				continue
			}
			kind, participant = data.KindOrganisation, org.Base().ID
		}
		if erasedID(st, pr.cells["id"]) {
			// The person asked to be erased: a sheet must not bring them back.
			reject(i18n.T(l, "activityx.reason.erased"))
			continue
		}
		if pr.person.GivenName != "" || pr.person.FamilyName != "" || pr.cells["id"] != "" && org == nil {
			id, note, msg := persons.match(pr, opt.Region, l)
			if msg != "" {
				reject(msg)
				continue
			}
			if id == "" {
				// Nobody in the registry: a new person, unless an earlier
				// row brought the same one.
				newKeys := personKeys(pr.person, opt.Region)
				if fn := fold.Key(pr.person.GivenName + " " + pr.person.FamilyName); fn != "" && pr.person.BirthDate.IsZero() {
					newKeys = append(newKeys, "p:n:"+fn)
				}
				idx := -1
				for _, k := range newKeys {
					if j, ok := newByKey[k]; ok {
						idx = j
						break
					}
				}
				if idx >= 0 {
					id = pp.NewPersons[idx].ID
				} else {
					p := pr.person
					data.NormalizeNoted(p, opt.Region, l)
					if msgs := validationMessages(p, opt, nil, nil); len(msgs) > 0 {
						reject(append([]string{i18n.T(l, "activityx.reason.new_person_incomplete")}, msgs...)...)
						continue
					}
					u, err := uuid.NewV7()
					if err != nil {
						u = uuid.New()
					}
					p.ID = u.String()
					p.Source = data.SourceImport
					idx = len(pp.NewPersons)
					pp.NewPersons = append(pp.NewPersons, p)
					newRow[idx] = row.N
					pending[p.ID] = data.KindPerson
					for _, k := range newKeys {
						newByKey[k] = idx
					}
					id = p.ID
					res.Notes = append(res.Notes, i18n.T(l, "activityx.note.new_person", "name", p.Title()))
				}
			} else if note != "" {
				res.Notes = append(res.Notes, note)
			}
			if org != nil {
				representative = id
			} else {
				participant = id
			}
		}
		if participant == "" {
			reject(i18n.T(l, "activityx.sheet.no_name", "param", nameColumns(l)))
			continue
		}
		res.MatchID = participant

		// The same participant twice: one participation, the furthest status.
		if j, ok := planned[participant]; ok {
			q := pp.parts[j]
			if data.ParticipationStatusRank(status) > data.ParticipationStatusRank(q.Status) {
				q.Status = status
			}
			res.Action, res.SameAsRow = Duplicate, partRow[participant]
			res.Reasons = []string{i18n.T(l, "activityx.dup.participant", "n", strconv.Itoa(partRow[participant]))}
			pp.Rows = append(pp.Rows, res)
			continue
		}
		q := &data.Participation{ActivityID: act.ID, ParticipantKind: kind, ParticipantID: participant,
			RepresentedBy: representative, Status: status, Role: role, Note: strings.TrimSpace(note)}
		q.ID = data.ParticipationID(act.ID, participant)
		res.Action = Add
		if old, err := st.Get(q.ID); err == nil {
			o := old.(*data.Participation)
			if q.Status == "" {
				q.Status = o.Status
			}
			if q.Role == "" {
				q.Role = o.Role
			}
			if q.Note == "" {
				q.Note = o.Note
			}
			if q.RepresentedBy == "" {
				q.RepresentedBy = o.RepresentedBy
			}
			switch {
			case o.Trashed():
				res.Action = Change
				res.Notes = append(res.Notes, i18n.T(l, "activityx.note.restored"))
			case o.Status == q.Status && o.Role == q.Role && o.Note == q.Note && o.RepresentedBy == q.RepresentedBy:
				res.Action = Unchanged
			default:
				res.Action = Change
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if q.Status == "" {
			q.Status = "invited"
		}
		if msgs := validationMessages(q, opt, storeLinks(st, pending), nil); len(msgs) > 0 {
			reject(msgs...)
			continue
		}
		planned[participant] = len(pp.parts)
		partRow[participant] = row.N
		pp.parts = append(pp.parts, q)
		pp.Rows = append(pp.Rows, res)
	}
	// A new person whose every row was refused is not added.
	used := map[string]bool{}
	for _, q := range pp.parts {
		used[q.ParticipantID], used[q.RepresentedBy] = true, true
	}
	kept := pp.NewPersons[:0]
	for _, p := range pp.NewPersons {
		if used[p.ID] {
			kept = append(kept, p)
		}
	}
	pp.NewPersons = kept
	pp.count()
	return pp, nil
}

// match finds the person of the registry a row names: by ID, e-mail, phone
// or name and date of birth (data.MatchKeys), else by the name alone when
// one person of the registry has it and the row gives no date of birth.
// It returns the ID ("" for nobody), a note on how a name alone matched,
// or the reason the row cannot be taken.
func (ix *personIndex) match(pr participantRow, region string, l i18n.Lang) (id, note, reason string) {
	var found []string
	add := func(ids ...string) {
		for _, x := range ids {
			if !slices.Contains(found, x) {
				found = append(found, x)
			}
		}
	}
	if v := pr.cells["id"]; v != "" {
		if u, err := uuid.Parse(v); err == nil {
			if _, ok := ix.recs[u.String()]; ok {
				add(u.String())
			}
		}
	}
	if len(found) == 0 {
		for _, k := range personKeys(pr.person, region) {
			add(ix.byKey[k]...)
		}
	}
	byNameOnly := false
	if len(found) == 0 && pr.person.BirthDate.IsZero() {
		for _, n := range nameOrders(pr) {
			add(ix.byName[n]...)
		}
		byNameOnly = len(found) > 0
	}
	var live, trashed []*data.Person
	for _, x := range found {
		if p := ix.recs[x]; p.Trashed() {
			trashed = append(trashed, p)
		} else {
			live = append(live, p)
		}
	}
	switch {
	case len(live) == 1:
		if byNameOnly {
			note = i18n.T(l, "activityx.note.by_name", "name", live[0].Title())
		}
		return live[0].ID, note, ""
	case len(live) > 1:
		names := make([]string, len(live))
		for i, p := range live {
			names[i] = p.Title()
			if !p.BirthDate.IsZero() {
				names[i] += " (" + dateText(p.BirthDate, l) + ")"
			}
		}
		sort.Strings(names)
		if byNameOnly {
			return "", "", i18n.T(l, "activityx.reason.same_name", "param", strings.Join(names, ", "))
		}
		return "", "", i18n.T(l, "exchange.reason.two_records", "param", strings.Join(names, ", "))
	case len(trashed) > 0:
		return "", "", i18n.T(l, "activityx.reason.trashed", "name", trashed[0].Title())
	}
	return "", "", ""
}

// nameOrders are the folded names a row's person may be registered under:
// a sign-in sheet's one name column may hold "Given Family" or
// "Family Given".
func nameOrders(pr participantRow) []string {
	p := pr.person
	out := []string{fold.Key(p.GivenName + " " + p.FamilyName)}
	if full := pr.cells["participant_name"] + pr.cells["participant_name_reversed"]; full != "" {
		out = append(out, fold.Key(p.FamilyName+" "+p.GivenName))
	}
	return out
}

// readParticipant reads a row's person (as a new person would be added)
// and organisation.
func readParticipant(conv *converter, m Mapping, row Row) participantRow {
	cells := cellsOf(m, row)
	rr := &cellReader{conv: conv}
	p := &data.Person{}
	p.GivenName = rr.text(cells["given_name"])
	p.FamilyName = rr.text(cells["family_name"])
	if p.GivenName == "" && p.FamilyName == "" {
		// One name column: the family name is the last word ("Amir
		// Hodžić"), or the first under a "Surname and name" header.
		if words := strings.Fields(cells["participant_name"]); len(words) > 0 {
			p.GivenName, p.FamilyName = strings.Join(words[:max(len(words)-1, 1)], " "), ""
			if len(words) > 1 {
				p.FamilyName = words[len(words)-1]
			}
		} else if words := strings.Fields(cells["participant_name_reversed"]); len(words) > 0 {
			p.FamilyName = words[0]
			p.GivenName = strings.Join(words[1:], " ")
		}
	}
	p.Gender = rr.code("gender", data.GroupGender, cells["gender"])
	p.BirthDate = rr.date("birth_date", cells["birth_date"])
	p.Email = strings.TrimSpace(cells["email"])
	p.Phone = numberText(cells["phone"])
	p.Country = rr.country("country", cells["country"])
	p.City = rr.text(cells["city"])
	return participantRow{cells: cells, person: p, reasons: rr.reasons, orgName: rr.text(cells["participant_org"])}
}

// nameColumns names the columns a participants sheet may name people by,
// for the message that it has none.
func nameColumns(l i18n.Lang) string {
	var out []string
	for _, f := range []string{"participant_name", "given_name", "family_name", "participant_org"} {
		out = append(out, "„"+data.FieldLabel(f, l)+"“")
	}
	return strings.Join(out, ", ")
}

// activityOf reads the activity a sheet belongs to: refused with a
// *SheetError when it is not in the registry or is in the trash.
func activityOf(st *store.Store, id string, l i18n.Lang) (*data.Activity, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, ErrNoActivity
	}
	r, err := st.Get(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, sheetError(l, "activityx.sheet.no_activity", "id", id)
	}
	if err != nil {
		return nil, err
	}
	a, ok := r.(*data.Activity)
	if !ok {
		return nil, sheetError(l, "activityx.sheet.no_activity", "id", id)
	}
	if a.Trashed() {
		return nil, sheetError(l, "activityx.sheet.activity_trashed", "name", a.Title())
	}
	return a, nil
}

// Apply writes the new persons and the participations as one journaled
// step (an import): all of it or nothing, and Result.Step undoes it. A
// participation in the trash is restored with the sheet's status.
func (pp *ParticipantsPlan) Apply(ctx context.Context, st *store.Store, progress func(done, total int)) (res Result, err error) {
	defer guard(&err)
	if st == nil {
		return Result{}, ErrNoStore
	}
	if pp.applied {
		return Result{}, ErrApplied
	}
	res.Counts = pp.Counts
	var recs []data.Record
	for _, p := range pp.NewPersons {
		c := data.Clone(p)
		if err := st.Stamp(c); err != nil {
			return Result{}, err
		}
		recs = append(recs, c)
	}
	for _, q := range pp.parts {
		c := *q
		old, err := st.Get(q.ID)
		switch {
		case err == nil:
			o := old.(*data.Participation)
			if !o.Trashed() && o.Status == c.Status && o.Role == c.Role && o.Note == c.Note && o.RepresentedBy == c.RepresentedBy {
				continue
			}
			c.Meta = o.Meta
			c.TrashedAt = nil
			if err := st.Stamp(&c, &o.Meta); err != nil {
				return Result{}, err
			}
		case errors.Is(err, store.ErrNotFound):
			c.Meta = data.Meta{ID: q.ID}
			if err := st.Stamp(&c); err != nil {
				return Result{}, err
			}
		default:
			return Result{}, err
		}
		c.Source = data.SourceImport
		recs = append(recs, &c)
	}
	if len(recs) == 0 {
		pp.applied = true
		return res, nil
	}
	step := store.Step{
		Action:   store.StepImport,
		Note:     pp.Sheet.File,
		Source:   data.SourceImport,
		KeepMeta: true, // stamped above, so that a participation in the trash comes back
		Counts: map[string]int{
			"rows":        pp.Counts.Rows,
			"rejected":    pp.Counts.Rejected,
			"duplicates":  pp.Counts.Duplicates,
			"unchanged":   pp.Counts.Unchanged,
			"new_persons": len(pp.NewPersons),
		},
	}
	sr, err := st.Apply(ctx, step, recs, progress)
	if err != nil {
		return Result{}, err
	}
	pp.applied = true
	res.Step = sr.Key
	return res, nil
}

// WriteRejects writes the rows the import will not take (see Plan).
func (pp *ParticipantsPlan) WriteRejects(w io.Writer) (int, error) { return pp.Plan.WriteRejects(w) }

// ExportParticipants writes the participants of an activity (or, with
// activityID "", of every activity not in the trash, each row naming its
// activity) to w as an .xlsx or .csv: the person's name, gender, date of
// birth, e-mail, phone, country and city, an organisation's name with the
// person who represented it, the status, role and note, headed in
// opt.Lang. PrepareParticipants reads it back. It returns the rows written.
func ExportParticipants(ctx context.Context, w io.Writer, st *store.Store, activityID string, opt ExportOptions) (n int, err error) {
	defer guard(&err)
	if st == nil {
		return 0, ErrNoStore
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	var acts []*data.Activity
	if activityID != "" {
		a, err := activityOf(st, activityID, opt.Lang)
		if err != nil {
			return 0, err
		}
		acts = []*data.Activity{a}
	} else {
		res := st.Search(search.Query{Kind: data.KindActivity})
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		recs, err := st.Records(ids)
		if err != nil {
			return 0, err
		}
		for _, r := range recs {
			if a := r.(*data.Activity); !a.Trashed() {
				acts = append(acts, a)
			}
		}
		sort.SliceStable(acts, func(i, j int) bool { return acts[i].Start.String() < acts[j].Start.String() })
	}
	var fields []Field
	for _, f := range sheetFields[data.KindParticipation] {
		switch f.Name {
		case "participant_name", "participant_name_reversed":
			continue
		case "activity_id":
			if activityID != "" {
				continue
			}
		}
		fields = append(fields, f)
	}
	conv := &converter{lang: opt.Lang}
	var rows [][]any
	for _, a := range acts {
		ps, err := st.Participations(a.ID)
		if err != nil {
			return 0, err
		}
		ids := make([]string, 0, 2*len(ps))
		for _, p := range ps {
			ids = append(ids, p.ParticipantID)
			if p.RepresentedBy != "" {
				ids = append(ids, p.RepresentedBy)
			}
		}
		recs, err := st.Records(ids)
		if err != nil {
			return 0, err
		}
		byID := make(map[string]data.Record, len(recs))
		for _, r := range recs {
			byID[r.Base().ID] = r
		}
		for _, p := range ps {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			who := byID[p.ParticipantID]
			if who == nil {
				continue
			}
			var person *data.Person
			org := ""
			if pe, ok := who.(*data.Person); ok {
				person = pe
			} else {
				org = who.Title()
				if rep, ok := byID[p.RepresentedBy].(*data.Person); ok {
					person = rep
				}
			}
			row := make([]any, len(fields))
			for i, f := range fields {
				row[i] = participantCell(conv, f.Name, a, p, person, org, who.Base().ID)
			}
			rows = append(rows, row)
		}
	}
	return writeTable(ctx, w, data.KindParticipation, fields, rows, opt)
}

// participantCell is what an export writes in a participant's column.
func participantCell(conv *converter, field string, a *data.Activity, p *data.Participation, person *data.Person, org, id string) any {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	if person == nil {
		person = &data.Person{}
	}
	switch field {
	case "id":
		return id
	case "given_name":
		return str(person.GivenName)
	case "family_name":
		return str(person.FamilyName)
	case "gender":
		if person.Gender == "" {
			return nil
		}
		return data.ValueLabel(data.GroupGender, person.Gender, conv.lang)
	case "birth_date":
		if person.BirthDate.IsZero() {
			return nil
		}
		return person.BirthDate.Time()
	case "email":
		return str(person.Email)
	case "phone":
		return str(person.Phone)
	case "country":
		if person.Country == "" {
			return nil
		}
		return conv.countryName(person.Country)
	case "city":
		return str(person.City)
	case "participant_org":
		return str(org)
	case "status":
		return data.ValueLabel(data.GroupParticipation, p.Status, conv.lang)
	case "role":
		if p.Role == "" {
			return nil
		}
		return data.ValueLabel(data.GroupRole, p.Role, conv.lang)
	case "note":
		return str(p.Note)
	case "activity_id":
		return str(a.Title() + " (" + dateText(a.Start, conv.lang) + ")")
	}
	return nil
}

// dateText is a date as the language writes it: 12.03.1985. where the
// office is, 1985-03-12 in English.
func dateText(d data.Date, l i18n.Lang) string {
	if l == i18n.EN {
		return d.String()
	}
	return d.Local()
}

// erasedID says whether a row's ID cell is of a record erased for good.
func erasedID(st *store.Store, cell string) bool {
	u, err := uuid.Parse(strings.TrimSpace(cell))
	if err != nil {
		return false
	}
	_, err = st.Get(u.String())
	return errors.Is(err, store.ErrErased)
}
