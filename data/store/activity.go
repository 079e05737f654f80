package store

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
)

// Activities are records like the others (Save, Trash, Restore, Erase).
// Who took part in one is kept in participations, one record per activity
// and participant, whose ID is data.ParticipationID of the two: adding
// the same person twice, on one laptop or on two, is one record. They are
// found through the index (facets activity, participant and status), never
// listed by themselves. Removing a participant is Trash of the
// participation; SetParticipation or Invite of them again restores it.

// ParticipationCounts are the figures of one activity's participants (not
// trashed): how many have each status, and how many of those who attended
// are women ("f"), men ("m") or of no recorded gender (""). An organisation
// or business that attended counts with the gender of the person who
// represented it ("" when none is recorded).
type ParticipationCounts struct {
	ByStatus         map[string]int
	AttendedByGender map[string]int
	Total            int
}

// InviteError says which of the IDs given to Invite was refused: Row is
// its 1-based position, Err names the field and what to do.
type InviteError struct {
	Row int
	ID  string
	Err *data.ValidationError
}

func (e *InviteError) Error() string { return e.Err.Error() }
func (e *InviteError) Unwrap() error { return e.Err }

// participationsOf lists the IDs of the participations (not trashed) the
// index has with the facet.
func (s *Store) participationIDs(facet, value string, extra ...search.Facet) []string {
	q := search.Query{Kind: data.KindParticipation, Filters: append([]search.Facet{{Name: facet, Value: value}}, extra...)}
	res := s.index.Search(q)
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// txParticipations reads participation records, skipping any gone or
// trashed meanwhile.
func (s *Store) txParticipations(txn *badger.Txn, ids []string) ([]*data.Participation, error) {
	out := make([]*data.Participation, 0, len(ids))
	for _, id := range ids {
		r, err := s.txGetKind(txn, data.KindParticipation, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if p := r.(*data.Participation); !p.Trashed() {
			out = append(out, p)
		}
	}
	return out, nil
}

// Participations returns the participations of an activity that are not in
// the trash, ordered by the participant's title (then ID).
func (s *Store) Participations(activityID string) ([]*data.Participation, error) {
	ids := s.participationIDs(search.FacetActivity, activityID)
	var out []*data.Participation
	keys := map[string]string{}
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		if out, err = s.txParticipations(txn, ids); err != nil {
			return err
		}
		for _, p := range out {
			if _, ok := keys[p.ParticipantID]; ok {
				continue
			}
			who, err := s.txParticipant(txn, p.ParticipantKind, p.ParticipantID)
			if err != nil {
				return err
			}
			keys[p.ParticipantID] = fold.Key(who.title())
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, s.dir)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := keys[out[i].ParticipantID], keys[out[j].ParticipantID]
		if a != b {
			return a < b
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// ParticipationsOf returns the participations (not trashed) of a person,
// organisation or business in activities not in the trash: the activities
// they took part in, the latest first.
func (s *Store) ParticipationsOf(participantID string) ([]*data.Participation, error) {
	ids := s.participationIDs(search.FacetParticipant, participantID)
	var out []*data.Participation
	starts := map[string]string{}
	err := s.db.View(func(txn *badger.Txn) error {
		ps, err := s.txParticipations(txn, ids)
		if err != nil {
			return err
		}
		for _, p := range ps {
			r, err := s.txGetKind(txn, data.KindActivity, p.ActivityID)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			a := r.(*data.Activity)
			if a.Trashed() {
				continue
			}
			starts[p.ActivityID] = a.Start.String() + " " + a.StartTime
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, s.dir)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := starts[out[i].ActivityID], starts[out[j].ActivityID]
		if a != b {
			return a > b
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// fieldError is a ValidationError of a participation naming one field.
func (s *Store) fieldError(field, tag, key string, args ...string) *data.ValidationError {
	l := s.opt.Lang
	msg := i18n.T(l, key, append([]string{"field", data.FieldLabel(field, l)}, args...)...)
	return &data.ValidationError{Kind: data.KindParticipation, Errors: []data.FieldError{{Field: field, Tag: tag, Message: msg}}}
}

// txCheckActivity refuses participants for an activity that is not in the
// registry or is in the trash.
func (s *Store) txCheckActivity(txn *badger.Txn, id string) error {
	r, err := s.txGetKind(txn, data.KindActivity, id)
	if errors.Is(err, ErrNotFound) {
		return s.fieldError("activity_id", "link", "activity.activity.missing")
	}
	if err != nil {
		return err
	}
	if r.Base().Trashed() {
		return s.fieldError("activity_id", "trashed", "activity.activity.trashed", "name", "„"+r.Title()+"“")
	}
	return nil
}

// txCheckParticipant refuses a participant who was erased, is not in the
// registry (as a record of kind k) or is in the trash.
func (s *Store) txCheckParticipant(txn *badger.Txn, k data.Kind, id string) error {
	if s.txErased(txn, id) {
		return s.fieldError("participant_id", "erased", "activity.participant.erased")
	}
	switch k {
	case data.KindPerson, data.KindOrganisation, data.KindBusiness:
	default:
		k = data.KindPerson
	}
	r, err := s.txGetKind(txn, k, id)
	if errors.Is(err, ErrNotFound) {
		return s.fieldError("participant_id", "link", "activity.participant.missing", "kind", i18n.T(s.opt.Lang, "kind."+string(k)))
	}
	if err != nil {
		return err
	}
	if r.Base().Trashed() {
		return s.fieldError("participant_id", "trashed", "activity.participant.trashed", "name", r.Title())
	}
	return nil
}

// SetParticipation creates or updates the participation of p's participant
// in p's activity: its ID is data.ParticipationID of the two, whatever p's
// Meta says, and a participation in the trash is restored. An empty Status
// keeps the stored one (a new participation is "invited"); an empty
// ParticipantKind is taken from the registry. A participant or activity
// that is trashed, erased or not in the registry is refused with a
// *data.ValidationError naming the field. Setting what is stored already
// writes nothing. It returns the participation as stored; p is not changed.
func (s *Store) SetParticipation(p *data.Participation) (*data.Participation, error) {
	s.writes.Lock()
	defer s.writes.Unlock()
	q := *p
	q.Meta = data.Meta{}
	if q.ParticipantKind == "" {
		if k, ok := s.index.Kind(q.ParticipantID); ok {
			q.ParticipantKind = k
		} else {
			q.ParticipantKind = data.KindPerson
		}
	}
	q.ID = data.ParticipationID(q.ActivityID, q.ParticipantID)
	var result *data.Participation
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := s.txCheckActivity(txn, q.ActivityID); err != nil {
			return err
		}
		if err := s.txCheckParticipant(txn, q.ParticipantKind, q.ParticipantID); err != nil {
			return err
		}
		if s.txErased(txn, q.ID) {
			return ErrErased
		}
		old, err := s.txGetKind(txn, data.KindParticipation, q.ID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		var oldBytes []byte
		var base data.Record // the stored version prepare builds on
		action := ActionCreate
		if old != nil {
			o := old.(*data.Participation)
			if q.Status == "" {
				q.Status = o.Status
			}
			if !o.Trashed() && o.Status == q.Status && o.Role == q.Role && o.Note == q.Note &&
				o.RepresentedBy == q.RepresentedBy && o.ParticipantKind == q.ParticipantKind {
				result = o
				return nil
			}
			if oldBytes, err = data.Encode(old); err != nil {
				return err
			}
			action = ActionUpdate
			if o.Trashed() {
				action = ActionRestore
			}
			q.Meta = o.Meta
			q.TrashedAt = nil
			b := *o
			b.TrashedAt = nil // prepare keeps the stored TrashedAt: restore here
			base = &b
		} else {
			if q.Status == "" {
				q.Status = "invited"
			}
		}
		b, err := s.prepare(&q, base, "", false, false, nil)
		if err != nil {
			return err
		}
		if err := s.checkSpace([]prepared{{value: b, old: oldBytes}}); err != nil {
			return err
		}
		if err := txn.Set(recordKey(data.KindParticipation, q.ID), b); err != nil {
			return err
		}
		result = &q
		return s.txAudit(txn, AuditEntry{Action: action, Kind: data.KindParticipation, ID: q.ID, Version: q.Version,
			Source: q.Source, Changed: changedFields(oldBytes, b), Before: oldBytes})
	})
	if err != nil {
		return nil, translate(err, s.dir)
	}
	if result == &q {
		s.index.Put(search.DocOf(result))
	}
	out := *result
	return &out, nil
}

// Invite adds the records of the kind with the IDs to the activity with the
// status ("invited" when empty), as one journaled step (StepInvite) that
// Undo takes back as one. An ID given twice is one participant; one already
// in the activity keeps their participation as it is, one whose
// participation is in the trash gets it back with the status. If any ID is
// of a record trashed, erased or not in the registry, nothing is written
// and the error is an *InviteError naming its row. added is how many
// participations were created or restored.
func (s *Store) Invite(activityID string, kind data.Kind, ids []string, status string) (added int, err error) {
	if status == "" {
		status = "invited"
	}
	now := s.opt.Now().UTC()
	var recs []data.Record
	err = s.db.View(func(txn *badger.Txn) error {
		if err := s.txCheckActivity(txn, activityID); err != nil {
			return err
		}
		seen := make(map[string]bool, len(ids))
		for i, id := range ids {
			id = strings.TrimSpace(id)
			if seen[id] {
				continue
			}
			seen[id] = true
			if err := s.txCheckParticipant(txn, kind, id); err != nil {
				var ve *data.ValidationError
				if errors.As(err, &ve) {
					row := strconv.Itoa(i + 1)
					for j := range ve.Errors {
						ve.Errors[j].Message = i18n.T(s.opt.Lang, "activity.row", "row", row, "message", ve.Errors[j].Message)
					}
					return &InviteError{Row: i + 1, ID: id, Err: ve}
				}
				return err
			}
			pid := data.ParticipationID(activityID, id)
			if s.txErased(txn, pid) {
				continue
			}
			old, err := s.txGetKind(txn, data.KindParticipation, pid)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			p := &data.Participation{ActivityID: activityID, ParticipantKind: kind, ParticipantID: id, Status: status}
			var om *data.Meta
			if old != nil {
				o := old.(*data.Participation)
				if !o.Trashed() {
					continue
				}
				p.Meta, p.Role, p.Note, p.RepresentedBy = o.Meta, o.Role, o.Note, o.RepresentedBy
				om = &o.Meta
				p.Version = o.Version + 1
			} else {
				p.Meta = data.Meta{ID: pid, Version: 1, CreatedAt: now, CreatedBy: s.opt.User}
			}
			// The step keeps Meta as given (KeepMeta), so that a
			// participation in the trash can be restored by it.
			p.Kind, p.Schema, p.TrashedAt = data.KindParticipation, data.SchemaVersion, nil
			p.UpdatedAt, p.UpdatedBy, p.Source = now, s.opt.User, data.SourceOffice
			if p.VV, err = s.nextVV(om); err != nil {
				return err
			}
			recs = append(recs, p)
		}
		return nil
	})
	if err != nil {
		var ie *InviteError
		var ve *data.ValidationError
		if errors.As(err, &ie) || errors.As(err, &ve) {
			return 0, err
		}
		return 0, translate(err, s.dir)
	}
	if len(recs) == 0 {
		return 0, nil
	}
	_, err = s.Apply(context.Background(), Step{Action: StepInvite, Note: activityID, Source: data.SourceOffice,
		KeepMeta: true, Counts: map[string]int{"invited": len(recs)}}, recs, nil)
	if err != nil {
		return 0, err
	}
	return len(recs), nil
}

// ParticipationCounts returns the figures of an activity's participants
// (see ParticipationCounts). Statuses come from the index; the genders of
// those who attended from their records.
func (s *Store) ParticipationCounts(activityID string) (ParticipationCounts, error) {
	c := ParticipationCounts{ByStatus: map[string]int{}, AttendedByGender: map[string]int{}}
	q := search.Query{Kind: data.KindParticipation, Filters: []search.Facet{{Name: search.FacetActivity, Value: activityID}}}
	for st, n := range s.index.FacetCounts(q, search.FacetStatus) {
		c.ByStatus[st] = n
		c.Total += n
	}
	if c.ByStatus["attended"] == 0 {
		return c, nil
	}
	ids := s.participationIDs(search.FacetActivity, activityID, search.Facet{Name: search.FacetStatus, Value: "attended"})
	err := s.db.View(func(txn *badger.Txn) error {
		ps, err := s.txParticipations(txn, ids)
		if err != nil {
			return err
		}
		for _, p := range ps {
			who := p.ParticipantID
			if p.ParticipantKind != data.KindPerson {
				who = p.RepresentedBy
			}
			g := ""
			if who != "" {
				per, err := s.txParticipant(txn, data.KindPerson, who)
				if err != nil {
					return err
				}
				g = per.Gender
			}
			c.AttendedByGender[g]++
		}
		return nil
	})
	if err != nil {
		return ParticipationCounts{}, translate(err, s.dir)
	}
	return c, nil
}

// participantFields are the few fields of a participant that a list of
// participants and its counts need: decoding only these, not the whole
// record, halves the time to open an activity of 2,000 participants.
type participantFields struct {
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Name       string `json:"name"`
	Gender     string `json:"gender"`
}

// title is the participant's title as Record.Title has it.
func (f participantFields) title() string {
	if f.Name != "" {
		return f.Name
	}
	return strings.TrimSpace(f.GivenName + " " + f.FamilyName)
}

// txParticipant reads a participant's participantFields; the zero value
// when the record is not there.
func (s *Store) txParticipant(txn *badger.Txn, k data.Kind, id string) (participantFields, error) {
	var f participantFields
	item, err := txn.Get(recordKey(k, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return f, nil
	}
	if err != nil {
		return f, err
	}
	err = item.Value(func(v []byte) error { return json.Unmarshal(v, &f) })
	return f, err
}
