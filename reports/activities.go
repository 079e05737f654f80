package reports

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
)

// The publications of the office's activities (issue 14). The first three
// are of one activity (Options.Activity), the annual report of a year
// (Options.Year).
const (
	Attendance         Publication = "attendance"
	ActivityReport     Publication = "activity"
	ConsultationReport Publication = "consultation"
	AnnualActivities   Publication = "activities"
)

// ActivityPublications lists them in the order a picker shows them. They
// are apart from Publications because each needs an activity or a year.
var ActivityPublications = []Publication{Attendance, ActivityReport, ConsultationReport, AnnualActivities}

// ForActivity reports whether the publication is of one activity (needs
// Options.Activity).
func (p Publication) ForActivity() bool {
	return p == Attendance || p == ActivityReport || p == ConsultationReport
}

// ErrNoActivity is returned when the activity a publication is of is not in
// the registry (or is in the trash); its text comes in the publication's
// language through ActivityError.
var ErrNoActivity = errors.New("reports: no such activity")

// ActivityError says, in a language, what is wrong with the activity asked
// for and what to do.
type ActivityError struct {
	Msg string
	Err error
}

func (e *ActivityError) Error() string { return e.Msg }
func (e *ActivityError) Unwrap() error { return e.Err }

// participationLister is what a Source may offer to list one activity's
// participations without reading all of them (*store.Store has it).
type participationLister interface {
	Participations(activityID string) ([]*data.Participation, error)
}

// actReader looks records up for the activity publications: through the
// store's index when the source has one, else by walking the source.
type actReader struct {
	ctx context.Context
	src Source
}

// records returns the records with the IDs that are in the source and not
// in the trash (erased and unknown IDs are left out), by ID.
func (a *actReader) records(ids []string, kinds ...data.Kind) (map[string]data.Record, error) {
	out := make(map[string]data.Record, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	keep := func(r data.Record) {
		if r != nil && !r.Base().Trashed() {
			out[r.Base().ID] = r
		}
	}
	if ix, ok := a.src.(Indexed); ok {
		uniq := dedupe(ids)
		for lo := 0; lo < len(uniq); lo += 2048 {
			if err := a.ctx.Err(); err != nil {
				return nil, err
			}
			rs, err := ix.Records(uniq[lo:min(lo+2048, len(uniq))])
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				keep(r)
			}
		}
		return out, nil
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for _, k := range kinds {
		err := a.src.Each(k, func(r data.Record) error {
			if r != nil && want[r.Base().ID] {
				keep(r)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// activity reads the activity with the ID; an ActivityError when it is not
// there or is in the trash.
func (a *actReader) activity(id string, lang i18n.Lang) (*data.Activity, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, &ActivityError{Msg: i18n.T(lang, "actrep.err.noid"), Err: ErrNoActivity}
	}
	rs, err := a.records([]string{id}, data.KindActivity)
	if err != nil {
		return nil, err
	}
	act, ok := rs[id].(*data.Activity)
	if !ok {
		return nil, &ActivityError{Msg: i18n.T(lang, "actrep.err.missing", "id", id), Err: ErrNoActivity}
	}
	return act, nil
}

// participations lists the activity's participations that are not in the
// trash.
func (a *actReader) participations(activityID string) ([]*data.Participation, error) {
	if pl, ok := a.src.(participationLister); ok {
		return pl.Participations(activityID)
	}
	var out []*data.Participation
	err := a.src.Each(data.KindParticipation, func(r data.Record) error {
		if p, ok := r.(*data.Participation); ok && p.ActivityID == activityID && !p.Trashed() {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// participant is one participant of an activity as the publications show
// them: the person (who came for an organisation or business, if recorded)
// and the organisation.
type participant struct {
	p          *data.Participation
	name       string // the person's name; "" for an organisation nobody is recorded for
	org        string // the organisation or business, or the organisation a person is a member of
	orgID      string
	residence  string // city, country
	gender     string
	country    string
	generation int
	birth      data.Date
	sortKey    []byte
}

// activityData is one activity with its participants and the names its
// publications print.
type activityData struct {
	act   *data.Activity
	parts []*participant
	// names of organisers, comment authors and the local community, by ID
	names map[string]string
	// responders are the IDs of those a comment is from
	responders map[string]bool
}

// loadActivity reads an activity and everyone who took part in it.
// Participants erased or not in the registry, and those in the trash, are
// left out: a report made after an erase does not name or count them.
func loadActivity(ctx context.Context, src Source, id string, lang i18n.Lang) (*activityData, error) {
	a := &actReader{ctx: ctx, src: src}
	act, err := a.activity(id, lang)
	if err != nil {
		return nil, err
	}
	ps, err := a.participations(act.ID)
	if err != nil {
		return nil, err
	}
	ad := &activityData{act: act, names: map[string]string{}, responders: map[string]bool{}}
	ids := make([]string, 0, 2*len(ps)+len(act.OrganiserIDs)+1)
	for _, p := range ps {
		ids = append(ids, p.ParticipantID, p.RepresentedBy)
	}
	ids = append(ids, act.OrganiserIDs...)
	if act.Place.LocalityID != "" {
		ids = append(ids, act.Place.LocalityID)
	}
	if c := act.Consultation; c != nil {
		for _, cm := range c.Comments {
			ids = append(ids, cm.FromID)
		}
	}
	recs, err := a.records(ids, data.KindPerson, data.KindOrganisation, data.KindBusiness, data.KindLocality)
	if err != nil {
		return nil, err
	}
	for id, r := range recs {
		ad.names[id] = clean(r.Title())
	}
	// the organisation a person belongs to: organisations list their members
	memberOf := map[string]*data.Organisation{}
	err = src.Each(data.KindOrganisation, func(r data.Record) error {
		o, ok := r.(*data.Organisation)
		if !ok || o.Trashed() {
			return nil
		}
		for _, m := range o.MemberIDs {
			if _, in := recs[m]; in {
				if prev := memberOf[m]; prev == nil || o.Name < prev.Name {
					memberOf[m] = o
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	col := collatorFor(lang)
	var keys []string
	for _, p := range ps {
		who, ok := recs[p.ParticipantID]
		if !ok {
			continue
		}
		pt := &participant{p: p}
		var person *data.Person
		switch r := who.(type) {
		case *data.Person:
			person = r
			if o := memberOf[r.ID]; o != nil {
				pt.org, pt.orgID = clean(o.Name), o.ID
			}
		case *data.Organisation:
			pt.org, pt.orgID = clean(r.Name), r.ID
			pt.residence = residence(r.City, r.Country, lang)
			pt.country = strings.ToUpper(r.Country)
		case *data.Business:
			pt.org, pt.orgID = clean(r.Name), r.ID
			pt.residence = residence(r.City, r.Country, lang)
			pt.country = strings.ToUpper(r.Country)
		default:
			continue
		}
		if person == nil && p.RepresentedBy != "" {
			person, _ = recs[p.RepresentedBy].(*data.Person)
		}
		if person != nil {
			pt.name = clean(person.Title())
			pt.gender = person.Gender
			pt.country = strings.ToUpper(person.Country)
			pt.residence = residence(person.City, person.Country, lang)
			pt.generation = person.Generation
			pt.birth = person.BirthDate
		}
		ad.parts = append(ad.parts, pt)
		keys = append(keys, pt.name+" "+pt.org)
	}
	sk := sortKeys(col, keys)
	for i, pt := range ad.parts {
		pt.sortKey = sk[i]
	}
	sort.SliceStable(ad.parts, func(i, j int) bool { return string(ad.parts[i].sortKey) < string(ad.parts[j].sortKey) })
	if c := act.Consultation; c != nil {
		for _, cm := range c.Comments {
			if _, ok := recs[cm.FromID]; ok {
				ad.responders[cm.FromID] = true
			}
		}
	}
	return ad, nil
}

// residence is "city, country" in the language.
func residence(city, country string, lang i18n.Lang) string {
	var parts []string
	if c := clean(city); c != "" {
		parts = append(parts, c)
	}
	if country != "" {
		parts = append(parts, clean(data.CountryName(strings.ToUpper(country), lang)))
	}
	return strings.Join(parts, ", ")
}

// ---- how an activity is described ----

// when is the activity's date (and time), or its span of days.
func when(a *data.Activity, lang i18n.Lang) string {
	s := formatDate(a.Start.Time(), lang)
	if a.StartTime != "" {
		s += " " + a.StartTime
	}
	switch {
	case !a.End.IsZero() && a.End != a.Start:
		s += " – " + formatDate(a.End.Time(), lang)
		if a.EndTime != "" {
			s += " " + a.EndTime
		}
	case a.EndTime != "":
		s += "–" + a.EndTime
	}
	return s
}

// where is the activity's place in words: the address, the local
// community or city, the country; online with its address.
func where(a *data.Activity, names map[string]string, lang i18n.Lang) string {
	p := a.Place
	var parts []string
	if s := clean(p.Address); s != "" {
		parts = append(parts, s)
	}
	if n := names[p.LocalityID]; n != "" {
		parts = append(parts, n)
	}
	if s := clean(p.City); s != "" {
		parts = append(parts, s)
	}
	if p.Country != "" {
		parts = append(parts, clean(data.CountryName(strings.ToUpper(p.Country), lang)))
	}
	if p.Online {
		on := i18n.T(lang, "actrep.online")
		if u := clean(p.URL); u != "" {
			on += " (" + u + ")"
		}
		parts = append(parts, on)
	}
	return strings.Join(parts, ", ")
}

// organisers names who organised it: the office and the organisations.
func organisers(a *data.Activity, names map[string]string, office string, lang i18n.Lang) string {
	var parts []string
	if a.ByOffice {
		if o := clean(office); o != "" {
			parts = append(parts, o)
		} else {
			parts = append(parts, i18n.T(lang, "actrep.office"))
		}
	}
	for _, id := range a.OrganiserIDs {
		if n := names[id]; n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "; ")
}

// kindLabel is the activity kind in the language.
func kindLabel(kind string, lang i18n.Lang) string {
	return data.ValueLabel(data.GroupActivityKind, kind, lang)
}

// ---- the figures of activities ----

// ActivityFigures are the figures of one activity: its participants by
// status and those who attended by gender (an organisation counts with the
// gender of who came for it).
type ActivityFigures struct {
	Activity *data.Activity
	ByStatus map[string]int
	Attended GenderCount
}

// ActivityStats are the figures of the activities of a year (or of every
// year): each activity's, and the totals by kind and by gender.
type ActivityStats struct {
	// Year is the year counted, 0 for every year.
	Year int
	// Activities, by start.
	Activities []ActivityFigures
	// KindCount is the number of activities of each kind; ByKind those who
	// attended them by gender.
	KindCount map[string]int
	ByKind    map[string]*GenderCount
	// ByMonth are those who attended by the month the activity started (1–12).
	ByMonth map[int]*GenderCount
	// ByStatus is the sum of every activity's participants by status.
	ByStatus map[string]int
	// Attended is everyone who attended, by gender.
	Attended GenderCount
	// Participants is the number of participations counted.
	Participants int
}

// CollectActivityStats counts the activities of the year (0: every year)
// that are not in the trash, and their participations. Participants erased
// or in the trash are not counted.
func CollectActivityStats(ctx context.Context, src Source, year int) (*ActivityStats, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	a := &actReader{ctx: ctx, src: src}
	st := &ActivityStats{Year: year, KindCount: map[string]int{}, ByKind: map[string]*GenderCount{},
		ByMonth: map[int]*GenderCount{}, ByStatus: map[string]int{}}
	acts := map[string]int{} // activity ID → index in st.Activities
	add := func(r data.Record) {
		act, ok := r.(*data.Activity)
		if !ok || act.Trashed() || (year != 0 && act.Start.Year != year) {
			return
		}
		acts[act.ID] = len(st.Activities)
		st.Activities = append(st.Activities, ActivityFigures{Activity: act, ByStatus: map[string]int{}})
	}
	if ix, ok := src.(Indexed); ok {
		q := search.Query{Kind: data.KindActivity}
		if year != 0 {
			q.Filters = []search.Facet{{Name: search.FacetYear, Value: strconv.Itoa(year)}}
		}
		res := ix.Index().Search(q)
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		recs, err := a.records(ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if r, ok := recs[id]; ok {
				add(r)
			}
		}
	} else if err := src.Each(data.KindActivity, func(r data.Record) error { add(r); return nil }); err != nil {
		return nil, err
	}
	if len(st.Activities) == 0 {
		return st, nil
	}
	var ps []*data.Participation
	if pl, ok := src.(participationLister); ok && len(st.Activities) <= 3 {
		for _, f := range st.Activities {
			more, err := pl.Participations(f.Activity.ID)
			if err != nil {
				return nil, err
			}
			ps = append(ps, more...)
		}
	} else {
		err := src.Each(data.KindParticipation, func(r data.Record) error {
			if p, ok := r.(*data.Participation); ok && !p.Trashed() {
				if _, in := acts[p.ActivityID]; in {
					ps = append(ps, p)
				}
			}
			if len(ps)&4095 == 0 {
				return ctx.Err()
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	ids := make([]string, 0, 2*len(ps))
	for _, p := range ps {
		ids = append(ids, p.ParticipantID, p.RepresentedBy)
	}
	recs, err := a.records(ids, data.KindPerson, data.KindOrganisation, data.KindBusiness)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if _, ok := recs[p.ParticipantID]; !ok {
			continue // erased, or in the trash
		}
		f := &st.Activities[acts[p.ActivityID]]
		f.ByStatus[p.Status]++
		st.ByStatus[p.Status]++
		st.Participants++
		if p.Status != "attended" {
			continue
		}
		who := p.ParticipantID
		if p.ParticipantKind != data.KindPerson {
			who = p.RepresentedBy
		}
		g := ""
		if per, ok := recs[who].(*data.Person); ok {
			g = per.Gender
		}
		f.Attended.add(g)
	}
	sort.SliceStable(st.Activities, func(i, j int) bool {
		x, y := st.Activities[i].Activity, st.Activities[j].Activity
		if x.Start != y.Start {
			return x.Start.Before(y.Start)
		}
		if x.StartTime != y.StartTime {
			return x.StartTime < y.StartTime
		}
		return x.ID < y.ID
	})
	for _, f := range st.Activities {
		k := f.Activity.ActivityKind
		st.KindCount[k]++
		if st.ByKind[k] == nil {
			st.ByKind[k] = &GenderCount{}
		}
		st.ByKind[k].plus(f.Attended)
		m := int(f.Activity.Start.Month)
		if st.ByMonth[m] == nil {
			st.ByMonth[m] = &GenderCount{}
		}
		st.ByMonth[m].plus(f.Attended)
		st.Attended.plus(f.Attended)
	}
	return st, nil
}

// kindRows are the activities by kind, in the order of data.ActivityKinds:
// how many, and who attended them by gender.
func (st *ActivityStats) kindRows(lang i18n.Lang) (rows []row, counts []row) {
	for _, k := range data.ActivityKinds {
		if st.KindCount[k] == 0 {
			continue
		}
		var g GenderCount
		if c := st.ByKind[k]; c != nil {
			g = *c
		}
		rows = append(rows, row{label: kindLabel(k, lang), g: g})
		counts = append(counts, row{label: kindLabel(k, lang), g: GenderCount{U: st.KindCount[k]}})
	}
	for k, n := range st.KindCount { // kinds outside the list (old or imported data)
		if !hasString(data.ActivityKinds, k) && n > 0 {
			var g GenderCount
			if c := st.ByKind[k]; c != nil {
				g = *c
			}
			rows = append(rows, row{label: clean(k), g: g, muted: true})
			counts = append(counts, row{label: clean(k), g: GenderCount{U: n}, muted: true})
		}
	}
	return rows, counts
}

func hasString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// statusRows are participants by status, in the order of a participation's life.
func statusRows(by map[string]int, lang i18n.Lang) []row {
	var rows []row
	for _, s := range data.ParticipationStatuses {
		rows = append(rows, row{label: data.ValueLabel(data.GroupParticipation, s, lang), g: GenderCount{U: by[s]}})
	}
	return rows
}
