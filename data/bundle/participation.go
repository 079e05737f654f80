package bundle

import (
	"slices"

	"registar/data"
	"registar/data/store"
)

// Activities and participations in bundles.
//
// An activity is a record like the others: edited on two laptops, it is a
// conflict to resolve (its comments live inside it, typed at one desk).
//
// A participation (one participant of one activity, data.ParticipationID of
// the two, so the same person checked in on two laptops is one record) is
// never a conflict. Two versions changed on both sides since their common
// one are joined into one version whose vector covers both, the same on
// every laptop:
//
//	status           the further one by data.ParticipationStatusRank:
//	                 attended > excused > absent > registered > invited
//	role, note,      those of the newer version: vectors cannot order two
//	represented by,  concurrent versions, so newer is the later update time,
//	trash            then the user, then the bytes (laterThan), an order
//	                 every laptop agrees on
//
// So a clerk who checked someone in at the door and another who marked
// them invited, or excused, on another laptop never lose the check-in, and
// nobody is asked to choose between two check-ins.
//
// A participation whose activity or participant is erased here (or by the
// bundle) is not written: the erasure wins, as it does for the record.

// joined is the one version of two concurrent versions a and b that a
// merge writes without a conflict, or nil when they are a conflict: two
// versions with the same content, and any two versions of a participation.
func joined(a, b data.Record) data.Record {
	if sameContent(a, b) {
		return join(a, b)
	}
	pa, ok := a.(*data.Participation)
	if !ok {
		return nil
	}
	pb, ok := b.(*data.Participation)
	if !ok {
		return nil
	}
	r := join(a, b).(*data.Participation) // the newer's fields, both vectors
	r.Status = furtherStatus(pa.Status, pb.Status)
	return r
}

// furtherStatus is the status of a and b with the higher rank (a on a
// tie, which only the same status or two unknown ones make).
func furtherStatus(a, b string) string {
	if data.ParticipationStatusRank(b) > data.ParticipationStatusRank(a) {
		return b
	}
	return a
}

// orphanParticipation reports whether x is a participation in an activity
// or of a participant erased here or by the bundle: the merge ignores it.
func (p *plan) orphanParticipation(x data.Record) bool {
	v, ok := x.(*data.Participation)
	if !ok {
		return false
	}
	for _, id := range []string{v.ActivityID, v.ParticipantID} {
		if p.tombIn[id] || p.local[id] != nil && p.local[id].Tombstone != nil {
			p.report.Ignored = append(p.report.Ignored, Item{ID: v.ID, Kind: data.KindParticipation})
			return true
		}
	}
	return false
}

func init() {
	// Activities link to organisations (organisers, comments), persons
	// (comments) and local communities; participations to whoever
	// represented an organisation or business. Their participants are moved
	// by moveParticipations, as that changes the participation's ID.
	holderKinds[data.KindPerson] = append(holderKinds[data.KindPerson], data.KindActivity, data.KindParticipation)
	holderKinds[data.KindOrganisation] = append(holderKinds[data.KindOrganisation], data.KindActivity)
	holderKinds[data.KindLocality] = append(holderKinds[data.KindLocality], data.KindActivity)
}

// relinkActivities is relink for activities and participations.
func relinkActivities(r data.Record, from, to string) bool {
	found := false
	switch v := r.(type) {
	case *data.Activity:
		if v.Place.LocalityID == from {
			v.Place.LocalityID, found = to, true
		}
		if i := slices.Index(v.OrganiserIDs, from); i >= 0 {
			found = true
			if to == "" || slices.Contains(v.OrganiserIDs, to) {
				v.OrganiserIDs = slices.Delete(v.OrganiserIDs, i, i+1)
			} else {
				v.OrganiserIDs[i] = to
			}
		}
		if c := v.Consultation; c != nil {
			for i := range c.Comments {
				if cm := &c.Comments[i]; cm.FromID == from {
					found = true
					cm.FromID = to
					if to == "" {
						cm.FromKind = ""
					}
				}
			}
		}
	case *data.Participation:
		if v.RepresentedBy == from && v.ParticipantID != from && v.ActivityID != from {
			v.RepresentedBy, found = to, true
		}
	}
	return found
}

// moveParticipations gives keepID, with MergeDuplicates, the participations
// of dropID: a participation's ID is that of its activity and participant,
// so each becomes a participation of keepID (joined, by the rule above,
// with the one keepID may already have in that activity), and dropID's goes
// to the trash with dropID. The records to write are appended to recs,
// their stored versions to base.
func moveParticipations(st *store.Store, recs []data.Record, base map[string]uint64, keepID, dropID string) ([]data.Record, error) {
	ps, err := st.ParticipationsOf(dropID)
	if err != nil || len(ps) == 0 {
		return recs, err
	}
	for _, old := range ps {
		nid := data.ParticipationID(old.ActivityID, keepID)
		if _, taken := base[nid]; taken {
			continue // already rewritten by this step (a link moved): leave it
		}
		local, err := st.Lookup([]string{nid})
		if err != nil {
			return nil, err
		}
		l := local[nid]
		switch {
		case l != nil && l.Tombstone != nil:
			// keepID's participation there was erased: leave it so.
		case l != nil && l.Meta != nil:
			r, err := l.Record()
			if err != nil {
				return nil, err
			}
			cur := r.(*data.Participation)
			next := data.Clone(cur).(*data.Participation)
			next.Status = furtherStatus(cur.Status, old.Status)
			if next.Role == "" {
				next.Role = old.Role
			}
			if next.Note == "" {
				next.Note = old.Note
			}
			if next.RepresentedBy == "" && old.RepresentedBy != dropID {
				next.RepresentedBy = old.RepresentedBy
			}
			next.TrashedAt = nil
			if sameContent(next, cur) {
				break
			}
			next.Source = data.SourceOffice
			if err := st.Stamp(next, cur.Base()); err != nil {
				return nil, err
			}
			base[nid] = cur.Version
			recs = append(recs, next)
		default:
			next := &data.Participation{ActivityID: old.ActivityID, ParticipantKind: old.ParticipantKind,
				ParticipantID: keepID, RepresentedBy: old.RepresentedBy, Status: old.Status, Role: old.Role, Note: old.Note}
			if next.RepresentedBy == dropID {
				next.RepresentedBy = ""
			}
			next.ID, next.Source = nid, data.SourceOffice
			if err := st.Stamp(next); err != nil {
				return nil, err
			}
			base[nid] = 0
			recs = append(recs, next)
		}
		gone := data.Clone(old)
		gm := gone.Base()
		gm.Source = data.SourceOffice
		if err := st.Stamp(gone, old.Base()); err != nil {
			return nil, err
		}
		t := gm.UpdatedAt
		gm.TrashedAt = &t
		base[old.ID] = old.Version
		recs = append(recs, gone)
	}
	return recs, nil
}
