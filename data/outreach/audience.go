package outreach

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// AudiencesSetting is the store setting holding the saved audiences (a
// JSON list of Audience), so that they travel with backups.
const AudiencesSetting = "audiences"

// Audience says who to reach: the hits of a search of one kind (Query in
// the list's search syntax, "country:AT interest:invest"; empty is every
// record of the kind), or an activity's participants with the given
// statuses (every status when none). Name is set for a saved audience.
type Audience struct {
	Name       string    `json:"name,omitempty"`
	Kind       data.Kind `json:"kind,omitempty"` // person (the default), business or organisation
	Query      string    `json:"query,omitempty"`
	ActivityID string    `json:"activity_id,omitempty"`
	Statuses   []string  `json:"statuses,omitempty"`
}

// Need is what an output needs of a contact.
type Need int

// The needs of the outputs.
const (
	NeedAny    Need = iota // vCards, spreadsheets: consent is enough
	NeedEmail              // e-mail, the BCC list: an address not refused by the server
	NeedPostal             // letters, labels: an address or a city
)

// Counts say how many an audience selects, how many are left out and why,
// and how many are reached.
type Counts struct {
	Matched       int // records the search or activity selects (trash left out)
	NoConsent     int // persons and businesses without consent to contact
	NoEmail       int // consenting, without an e-mail address (NeedEmail)
	Undeliverable int // consenting, address refused by the server (NeedEmail)
	NoAddress     int // consenting, without an address or city (NeedPostal)
	Reached       int
}

// kind is the audience's kind of record, person when not given.
func (a Audience) kind() data.Kind {
	if a.Kind == "" {
		return data.KindPerson
	}
	return a.Kind
}

// check refuses an audience the outputs cannot use, naming what is wrong.
func (a Audience) check(st *store.Store) error {
	if a.ActivityID != "" {
		r, err := st.Get(a.ActivityID)
		if err != nil || data.KindOf(r) != data.KindActivity {
			return errorf("outreach.error.noactivity", "id", a.ActivityID)
		}
		for _, s := range a.Statuses {
			if !slices.Contains(data.ParticipationStatuses, s) {
				return errorf("outreach.error.status", "status", s, "statuses", strings.Join(data.ParticipationStatuses, ", "))
			}
		}
		return nil
	}
	switch a.kind() {
	case data.KindPerson, data.KindBusiness, data.KindOrganisation:
		return nil
	}
	return errorf("outreach.error.kind", "kind", string(a.Kind))
}

// Describe is the audience as the log and the screen name it: the saved
// name, the activity's title and statuses, or the kind and the search.
func (a Audience) Describe(st *store.Store, l i18n.Lang) string {
	if a.Name != "" {
		return a.Name
	}
	if a.ActivityID != "" {
		title := a.ActivityID
		if r, err := st.Get(a.ActivityID); err == nil {
			title = r.Title()
		}
		if len(a.Statuses) == 0 {
			return title
		}
		var ss []string
		for _, s := range a.Statuses {
			ss = append(ss, data.ValueLabel(data.GroupParticipation, s, l))
		}
		return title + " (" + strings.Join(ss, ", ") + ")"
	}
	kind := i18n.T(l, "kind."+string(a.kind())+".plural")
	if q := strings.TrimSpace(a.Query); q != "" {
		return kind + ": " + q
	}
	return kind
}

// query is the audience's search (not for an activity).
func (a Audience) query() search.Query {
	q := search.ParseQuery(a.Query)
	q.Kind = a.kind()
	q.Limit, q.Offset = 0, 0
	return q
}

// needsConsent: organisations are public bodies and are reached without
// a consent of their own; persons and businesses only with one.
func needsConsent(k data.Kind) bool { return k == data.KindPerson || k == data.KindBusiness }

// Count counts the audience for the need. A search audience is counted
// from the index's facets (consent:, has:) without reading records, fast
// enough to follow every keystroke; an activity's participants are read.
func Count(st *store.Store, a Audience, need Need) (Counts, error) {
	if err := a.check(st); err != nil {
		return Counts{}, err
	}
	if a.ActivityID != "" {
		_, c, err := Resolve(st, a, need)
		return c, err
	}
	return countIndex(st.Index(), a, need), nil
}

// countIndex counts a search audience on the index alone.
func countIndex(ix *search.Index, a Audience, need Need) Counts {
	q := a.query()
	var c Counts
	c.Matched = countWith(ix, q)
	consenting := c.Matched
	if needsConsent(q.Kind) {
		consenting = countWith(ix, q, search.Facet{Name: search.FacetConsent, Value: search.ConsentContact})
	}
	c.NoConsent = c.Matched - consenting
	withConsent := func(f search.Facet) int {
		if needsConsent(q.Kind) {
			return countWith(ix, q, search.Facet{Name: search.FacetConsent, Value: search.ConsentContact}, f)
		}
		return countWith(ix, q, f)
	}
	switch need {
	case NeedEmail:
		withEmail := withConsent(search.Facet{Name: search.FacetHas, Value: search.HasEmail})
		c.Undeliverable = withConsent(search.Facet{Name: search.FacetHas, Value: search.HasUndeliverable})
		c.NoEmail = consenting - withEmail
		c.Reached = withEmail - c.Undeliverable
	case NeedPostal:
		withPostal := withConsent(search.Facet{Name: search.FacetHas, Value: search.HasPostal})
		c.NoAddress = consenting - withPostal
		c.Reached = withPostal
	default:
		c.Reached = consenting
	}
	return c
}

// countWith counts q's hits that also have every extra facet. The index
// ORs the values of one facet name, so an extra facet whose name the
// query already filters on (a clerk's "consent:publish") is intersected
// by IDs instead of added as a filter.
func countWith(ix *search.Index, q search.Query, extra ...search.Facet) int {
	var clash []search.Facet
	q.Filters = slices.Clone(q.Filters)
	for _, f := range extra {
		if slices.ContainsFunc(q.Filters, func(g search.Facet) bool { return g.Name == f.Name }) ||
			slices.ContainsFunc(clash, func(g search.Facet) bool { return g.Name == f.Name }) {
			clash = append(clash, f)
			continue
		}
		q.Filters = append(q.Filters, f)
	}
	if len(clash) == 0 {
		return ix.Count(q)
	}
	sets := make([]map[string]bool, len(clash))
	for i, f := range clash {
		sets[i] = map[string]bool{}
		for _, h := range ix.Search(search.Query{Kind: q.Kind, Filters: []search.Facet{f}}).Hits {
			sets[i][h.ID] = true
		}
	}
	n := 0
	for _, h := range ix.Search(q).Hits {
		if !slices.ContainsFunc(sets, func(set map[string]bool) bool { return !set[h.ID] }) {
			n++
		}
	}
	return n
}

// Resolve reads the audience's contacts (consenting and with what need
// asks), in the order of their names, and its counts. Consent and need are
// checked again on each record read, so a record the index has not yet
// caught up with is never contacted against its will.
func Resolve(st *store.Store, a Audience, need Need) ([]Contact, Counts, error) {
	if err := a.check(st); err != nil {
		return nil, Counts{}, err
	}
	var recs []data.Record
	if a.ActivityID != "" {
		ps, err := st.Participations(a.ActivityID)
		if err != nil {
			return nil, Counts{}, err
		}
		var ids []string
		for _, p := range ps {
			if len(a.Statuses) == 0 || slices.Contains(a.Statuses, p.Status) {
				ids = append(ids, p.ParticipantID)
			}
		}
		if recs, err = st.Records(ids); err != nil {
			return nil, Counts{}, err
		}
		slices.SortStableFunc(recs, func(x, y data.Record) int { return strings.Compare(fold.Key(x.Title()), fold.Key(y.Title())) })
	} else {
		var ids []string
		for _, h := range st.Search(a.query()).Hits {
			ids = append(ids, h.ID)
		}
		var err error
		if recs, err = st.Records(ids); err != nil {
			return nil, Counts{}, err
		}
	}
	var c Counts
	var out []Contact
	for _, r := range recs {
		if r == nil || r.Base().Trashed() {
			continue
		}
		ct, ok := ContactOf(r)
		if !ok {
			continue
		}
		c.Matched++
		if needsConsent(ct.Kind) && !consentsToContact(r) {
			c.NoConsent++
			continue
		}
		switch {
		case need == NeedEmail && strings.TrimSpace(ct.Email) == "":
			c.NoEmail++
			continue
		case need == NeedEmail && ct.Undeliverable != "":
			c.Undeliverable++
			continue
		case need == NeedPostal && !ct.HasPostal():
			c.NoAddress++
			continue
		}
		out = append(out, ct)
	}
	c.Reached = len(out)
	return out, c, nil
}

// consentsToContact reads the record's consent to be contacted.
func consentsToContact(r data.Record) bool {
	switch v := r.(type) {
	case *data.Person:
		return v.ConsentContact.Given
	case *data.Business:
		return v.ConsentContact.Given
	}
	return true
}

// SavedAudiences reads the saved audiences, by name.
func SavedAudiences(st *store.Store) ([]Audience, error) {
	b, err := st.Setting(AudiencesSetting)
	if errors.Is(err, store.ErrNotFound) || (err == nil && len(b) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var as []Audience
	if err := json.Unmarshal(b, &as); err != nil {
		return nil, err
	}
	slices.SortFunc(as, func(x, y Audience) int { return strings.Compare(fold.Key(x.Name), fold.Key(y.Name)) })
	return as, nil
}

// SaveAudience saves (or replaces, by name) a named audience.
func SaveAudience(st *store.Store, a Audience) error {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		return errorf("outreach.error.noname")
	}
	if err := a.check(st); err != nil {
		return err
	}
	as, err := SavedAudiences(st)
	if err != nil {
		return err
	}
	as = slices.DeleteFunc(as, func(x Audience) bool { return fold.Key(x.Name) == fold.Key(a.Name) })
	as = append(as, a)
	b, err := json.Marshal(as)
	if err != nil {
		return err
	}
	return st.SetSetting(AudiencesSetting, b)
}

// DeleteAudience removes a saved audience; an *Error when there is none of
// that name.
func DeleteAudience(st *store.Store, name string) error {
	as, err := SavedAudiences(st)
	if err != nil {
		return err
	}
	n := len(as)
	as = slices.DeleteFunc(as, func(x Audience) bool { return fold.Key(x.Name) == fold.Key(name) })
	if len(as) == n {
		return errorf("outreach.error.noaudience", "name", name)
	}
	b, err := json.Marshal(as)
	if err != nil {
		return err
	}
	return st.SetSetting(AudiencesSetting, b)
}

// FindAudience is the saved audience of that name (folded: case and
// script blind); an *Error naming it when there is none.
func FindAudience(st *store.Store, name string) (Audience, error) {
	as, err := SavedAudiences(st)
	if err != nil {
		return Audience{}, err
	}
	for _, a := range as {
		if fold.Key(a.Name) == fold.Key(name) {
			return a, nil
		}
	}
	return Audience{}, errorf("outreach.error.noaudience", "name", name)
}
