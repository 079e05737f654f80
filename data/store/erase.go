package store

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/dgraph-io/badger/v4"

	"registar/data"
	"registar/data/search"
)

// Erasing for good has two halves. Erase (and ApplyTombstones, which calls
// it) removes the record, its earlier versions kept in the audit log and
// undo data, and the links to it, in one transaction. But a deletion in
// Badger only writes a newer version: the old ones stay readable in the
// memtable's log and the SST files until a compaction drops them, and the
// search index keeps the record's words in its dictionary. So an erase also
// sets erasePendingKey, and the end of the session (db.Close, and the
// snapshot that Close saves) finishes the job: the snapshot is dumped from
// an index rebuilt from the live docs, and Badger's files are compacted
// until no old version is left. The key is cleared only once that is done,
// so the work of a session killed before its close is done at the close of
// the next session that opens Badger's files for writing (after such a
// kill, a reading command is one: it must rebuild the index).
const erasePendingKey = "s/erase-pending"

// Erase removes a record's personal data for good: the record, the earlier
// versions kept in its audit entries and undo data, and the links other
// records hold to it. What stays is an audit entry with the ID, the kind and
// who erased it when, and a tombstone so a bundle cannot bring it back. The
// old versions Badger still keeps on disk are compacted away when the
// session closes.
func (s *Store) Erase(id string) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	var unlinked []data.Record
	var gone []string // participations erased with the record
	var kind data.Kind
	err := s.db.Update(func(txn *badger.Txn) error {
		r, err := s.txGet(txn, id)
		if err != nil {
			return err
		}
		kind = r.Base().Kind
		if err := txn.Delete(recordKey(kind, id)); err != nil {
			return err
		}
		if err := txn.Delete([]byte(conflictKey(id))); err != nil { // versions set aside by a merge
			return err
		}
		if err := s.txScrubHistory(txn, id); err != nil {
			return err
		}
		if unlinked, err = s.txUnlink(txn, kind, id); err != nil {
			return err
		}
		if gone, err = s.txEraseParticipations(txn, kind, id); err != nil {
			return err
		}
		tomb, _ := json.Marshal(map[string]any{"kind": kind, "time": s.opt.Now().UTC()})
		if err := s.txSetTombstone(txn, id, tomb); err != nil {
			return err
		}
		if err := txn.Set([]byte(erasePendingKey), nil); err != nil {
			return err
		}
		return s.txAudit(txn, AuditEntry{Action: ActionErase, Kind: kind, ID: id})
	})
	if err != nil {
		return translate(err, s.dir)
	}
	s.index.Remove(id)
	for _, pid := range gone {
		s.index.Remove(pid)
	}
	for _, r := range unlinked {
		s.index.Put(search.DocOf(r))
	}
	return nil
}

// txScrubHistory drops the personal data kept in a record's audit entries
// and undo journals.
func (s *Store) txScrubHistory(txn *badger.Txn, id string) error {
	prefix := []byte("h/" + id + "/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	var auditKeys []string
	for it.Rewind(); it.Valid(); it.Next() {
		auditKeys = append(auditKeys, string(bytes.TrimPrefix(it.Item().Key(), prefix)))
	}
	it.Close()
	for _, ak := range auditKeys {
		if err := txn.Delete(journalKey(ak, id)); err != nil {
			return err
		}
		if err := txn.Delete(journalKey(ak, conflictKey(id))); err != nil {
			return err
		}
		item, err := txn.Get([]byte(ak))
		if err != nil {
			continue
		}
		var e AuditEntry
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
			return err
		}
		if e.ID != id || (e.Before == nil && e.Changed == nil) {
			continue
		}
		e.Before, e.Changed = nil, nil
		b, _ := json.Marshal(e)
		if err := txn.Set([]byte(ak), b); err != nil {
			return err
		}
	}
	return nil
}

// txUnlink removes links to an erased record from the records that hold
// them (business owners, organisation members and umbrella, home locality),
// each as a new version with its own audit entry.
func (s *Store) txUnlink(txn *badger.Txn, kind data.Kind, id string) ([]data.Record, error) {
	holders := map[data.Kind][]data.Kind{
		data.KindPerson:       {data.KindBusiness, data.KindOrganisation, data.KindActivity, data.KindParticipation, data.KindCommunication},
		data.KindOrganisation: {data.KindOrganisation, data.KindActivity, data.KindCommunication},
		data.KindBusiness:     {data.KindCommunication},
		data.KindLocality:     {data.KindPerson, data.KindActivity},
	}[kind]
	var changed []data.Record
	for _, hk := range holders {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("r/" + string(hk) + "/")})
		for it.Rewind(); it.Valid(); it.Next() {
			var r data.Record
			if err := it.Item().Value(func(v []byte) error {
				if !bytes.Contains(v, []byte(id)) {
					return nil
				}
				var err error
				r, err = data.Decode(hk, v)
				return err
			}); err != nil {
				it.Close()
				return nil, err
			}
			if r != nil && dropLink(r, id) {
				changed = append(changed, r)
			}
		}
		it.Close()
	}
	for _, r := range changed {
		m := r.Base()
		vv, err := s.nextVV(m)
		if err != nil {
			return nil, err
		}
		m.VV = vv
		m.Version++
		m.UpdatedAt, m.UpdatedBy = s.opt.Now().UTC(), s.opt.User
		b, err := data.Encode(r)
		if err != nil {
			return nil, err
		}
		if err := txn.Set(recordKey(m.Kind, m.ID), b); err != nil {
			return nil, err
		}
		if err := s.txAudit(txn, AuditEntry{Action: ActionUpdate, Kind: m.Kind, ID: m.ID, Version: m.Version,
			Note: "link to an erased record removed"}); err != nil {
			return nil, err
		}
	}
	return changed, nil
}

// txEraseParticipations erases, with a person, organisation or business,
// the participations they had in activities, and with an activity its
// participations: each is removed for good as Erase removes a record
// (its history scrubbed, a tombstone, an audit entry of the erasure). It
// returns their IDs. Nothing else is rewritten: an activity keeps its
// version, and reports made before keep their counts.
func (s *Store) txEraseParticipations(txn *badger.Txn, kind data.Kind, id string) ([]string, error) {
	switch kind {
	case data.KindPerson, data.KindOrganisation, data.KindBusiness, data.KindActivity:
	default:
		return nil, nil
	}
	var ids []string
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("r/" + string(data.KindParticipation) + "/")})
	for it.Rewind(); it.Valid(); it.Next() {
		var p *data.Participation
		if err := it.Item().Value(func(v []byte) error {
			if !bytes.Contains(v, []byte(id)) {
				return nil
			}
			r, err := data.Decode(data.KindParticipation, v)
			if err == nil {
				p = r.(*data.Participation)
			}
			return err
		}); err != nil {
			it.Close()
			return nil, err
		}
		if p != nil && (p.ParticipantID == id || p.ActivityID == id) {
			ids = append(ids, p.ID)
		}
	}
	it.Close()
	now := s.opt.Now().UTC()
	for _, pid := range ids {
		if err := txn.Delete(recordKey(data.KindParticipation, pid)); err != nil {
			return nil, err
		}
		if err := txn.Delete([]byte(conflictKey(pid))); err != nil {
			return nil, err
		}
		if err := s.txScrubHistory(txn, pid); err != nil {
			return nil, err
		}
		tomb, _ := json.Marshal(map[string]any{"kind": data.KindParticipation, "time": now})
		if err := s.txSetTombstone(txn, pid, tomb); err != nil {
			return nil, err
		}
		if err := s.txAudit(txn, AuditEntry{Action: ActionErase, Kind: data.KindParticipation, ID: pid,
			Note: "erased with " + string(kind) + " " + id}); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// dropLink removes every link to id from r and reports whether it had one.
// A participation's own participant and activity are not links it can
// lose: such a participation is erased (txEraseParticipations).
func dropLink(r data.Record, id string) bool {
	found := false
	switch v := r.(type) {
	case *data.Communication:
		// The run stays in the log with its counts less one; nothing of
		// the erased recipient (nor the address it went to) is kept.
		kept := v.Recipients[:0]
		for _, d := range v.Recipients {
			if d.ID == id {
				found = true
				continue
			}
			kept = append(kept, d)
		}
		v.Recipients = kept
	case *data.Participation:
		if v.RepresentedBy == id && v.ParticipantID != id && v.ActivityID != id {
			v.RepresentedBy, found = "", true
		}
	case *data.Activity:
		kept := v.OrganiserIDs[:0]
		for _, o := range v.OrganiserIDs {
			if o == id {
				found = true
				continue
			}
			kept = append(kept, o)
		}
		v.OrganiserIDs = kept
		if v.Place.LocalityID == id {
			v.Place.LocalityID, found = "", true
		}
		if c := v.Consultation; c != nil {
			for i := range c.Comments {
				if c.Comments[i].FromID == id {
					// The comment stays (it was received); who sent it
					// is no longer known.
					c.Comments[i].FromID, c.Comments[i].FromKind, found = "", "", true
				}
			}
		}
	case *data.Person:
		if v.LocalityID == id {
			v.LocalityID, found = "", true
		}
	case *data.Business:
		kept := v.Owners[:0]
		for _, o := range v.Owners {
			if o.PersonID == id {
				found = true
				continue
			}
			kept = append(kept, o)
		}
		v.Owners = kept
	case *data.Organisation:
		if v.UmbrellaID == id {
			v.UmbrellaID, found = "", true
		}
		kept := v.MemberIDs[:0]
		for _, m := range v.MemberIDs {
			if m == id {
				found = true
				continue
			}
			kept = append(kept, m)
		}
		v.MemberIDs = kept
	}
	return found
}

// erasePending reports whether an erase still has old versions to compact
// away (always false where nothing can be written).
func (d *db) erasePending() bool {
	if d.Opts().ReadOnly || d.Opts().InMemory {
		return false
	}
	pending := false
	d.DB.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(erasePendingKey))
		pending = err == nil
		return nil
	})
	return pending
}

// Close closes Badger, after compacting away the old versions an erase left
// in its files (see erasePendingKey).
func (d *db) Close() error {
	err := d.purgeErased()
	if cerr := d.DB.Close(); cerr != nil {
		return cerr
	}
	return err
}

// purgeSentinel is a key written only to be dropped: DropPrefix flushes
// the memtables only when its prefix has a live key.
const purgeSentinel = "s/erase-flush"

// purgeErased drops from Badger's files every old version of every key, if
// an erase is pending: the erased records, the audit entries and undo data
// that held them, written before the erase. Badger v4 has no call that
// flushes the memtables and compacts everything, so it takes three steps:
//   - DropPrefix of a sentinel key flushes the memtables into level 0
//     (their logs, which hold every write of the session, are deleted) and
//     compacts level 0 into the base level: there the deletions meet the
//     versions they delete, and both are dropped;
//   - Flatten merges every level into one, so that versions kept in deeper
//     levels meet their deletions too;
//   - value-log GC rewrites any value-log file that held an old value (with
//     the laptop options records stay in the tables; this is for a value of
//     more than 1 MB).
//
// The pending key is deleted last: if the process dies before, the next
// session's close does it all again.
func (d *db) purgeErased() error {
	if !d.erasePending() {
		return nil
	}
	err := d.DB.Update(func(txn *badger.Txn) error { return txn.Set([]byte(purgeSentinel), nil) })
	if err == nil {
		err = d.DB.DropPrefix([]byte(purgeSentinel))
	}
	if err == nil {
		err = d.DB.Flatten(max(2, d.Opts().NumCompactors))
	}
	if err != nil {
		return err
	}
	for i := 0; i < 100; i++ {
		if err := d.DB.RunValueLogGC(0.01); err != nil {
			if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
				break
			}
			return err
		}
	}
	return d.DB.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(erasePendingKey)) })
}
