package store

import (
	"encoding/json"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// StepKind names what a journaled step did (an import, a merge, …). It is
// written into the step's audit entry; callers that look for a step of a
// kind (undo the last import) compare with these constants, never with a
// literal of their own.
type StepKind string

// The kinds of step the programs write.
const (
	StepImport          StepKind = "import"           // rows of a spreadsheet or phone export (data/exchange)
	StepMerge           StepKind = "merge"            // another laptop's bundle (data/bundle)
	StepResolve         StepKind = "resolve"          // a conflict decided field by field (data/bundle)
	StepMergeDuplicates StepKind = "merge-duplicates" // two records found to be one person (data/bundle)
	StepDemo            StepKind = "demo"             // demonstration data (registar-cli demo)
	StepInvite          StepKind = "invite"           // many participants added to an activity at once (Invite)
	StepOutreach        StepKind = "outreach"         // a run of e-mail, letters or labels recorded, refused addresses flagged (data/outreach)
	StepUndo            StepKind = ActionUndo         // a step taken back (Undo)
)

// LastStep returns the audit entry of the newest step of the kind that can
// still be undone, or ErrNothingToUndo when there is none. It reads only
// the undo markers (one per undoable step), not the whole audit log, so a
// screen can ask it to decide whether "Undo last import" is enabled.
func (s *Store) LastStep(kind StepKind) (AuditEntry, error) {
	var e AuditEntry
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Reverse: true, Prefix: []byte("u/")})
		defer it.Close()
		for it.Seek([]byte("u/~")); it.Valid(); it.Next() {
			var h stepHeader
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &h) }); err != nil {
				return err
			}
			if h.Action != kind {
				continue
			}
			key := strings.TrimPrefix(string(it.Item().Key()), "u/")
			item, err := txn.Get([]byte(key))
			if err != nil {
				return err
			}
			if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
				return err
			}
			if e.Undone {
				continue
			}
			return nil
		}
		return ErrNothingToUndo
	})
	if err != nil {
		return AuditEntry{}, translate(err, s.dir)
	}
	return e, nil
}
