package sync

import (
	"errors"
	"strconv"
	"time"

	"registar/data/bundle"
	"registar/data/i18n"
)

// Summary is what a Round did.
type Summary struct {
	// Written is the file this laptop wrote, nil when it had nothing new.
	Written *Written
	// Merged lists the files merged, in the order they were merged.
	Merged []Merged
	// Skipped lists the files that could not be merged this round; those
	// with Retry set are tried again next round.
	Skipped []Skipped
	// Conflicts counts the records the merges set aside, to be settled on
	// the Bundles screen (store.Conflicts).
	Conflicts int
	// Laptops is every other laptop heard from in this folder, by name.
	Laptops []Laptop
	// Purged lists the folder's files removed because they held records
	// erased here (their rest is in Rewritten), and the engines' copies of
	// our files removed because they held nothing new.
	Purged []string
	// Rewritten lists the files this laptop wrote with the rest of files
	// it purged.
	Rewritten []Written
}

// Written is one file this laptop wrote.
type Written struct {
	File       string // its path
	Seq        uint64
	Records    int
	Tombstones int
	Encrypted  bool
}

// Merged is one file merged.
type Merged struct {
	File       string
	Laptop     string // the writing laptop's ID
	LaptopName string
	Seq        uint64
	Report     *bundle.Report
}

// Skipped is a file left unmerged, and why.
type Skipped struct {
	File string
	// Err says why (a bundle.Error for a file that did not read).
	Err error
	// Retry: it may read next time (still arriving, passphrase given later).
	Retry bool
}

// Laptop is what this laptop knows of another one.
type Laptop struct {
	ID, Name string
	// Heard is the time of its newest file merged here (its own clock,
	// never later than when it was merged); zero when none was.
	Heard time.Time
	// MergedNow counts its files merged in this round.
	MergedNow int
}

// Silent reports whether the laptop has not been heard from for longer
// than d at now: worth a warning, as its changes are not arriving.
func (l Laptop) Silent(now time.Time, d time.Duration) bool {
	return !l.Heard.IsZero() && now.Sub(l.Heard) > d
}

// Week is how long a laptop may stay silent before the UI warns.
const Week = 7 * 24 * time.Hour

// MergedFrom counts the files merged from each laptop, by ID.
func (s *Summary) MergedFrom() map[string]int {
	out := map[string]int{}
	for _, m := range s.Merged {
		out[m.Laptop]++
	}
	return out
}

// Changed reports whether the round wrote or merged anything.
func (s *Summary) Changed() bool {
	return s.Written != nil || len(s.Merged) > 0 || len(s.Rewritten) > 0 || len(s.Purged) > 0
}

// Lines says the summary for a person, in language l: what was written,
// what came from whom, what was skipped and why, the conflicts waiting and
// the laptops silent for a week at now.
func (s *Summary) Lines(l i18n.Lang, now time.Time) []string {
	var out []string
	n := strconv.Itoa
	if w := s.Written; w != nil {
		out = append(out, i18n.T(l, "sync.written", "file", w.File, "records", n(w.Records), "erasures", n(w.Tombstones)))
	} else {
		out = append(out, i18n.T(l, "sync.written.nothing"))
	}
	for _, lp := range s.Laptops {
		if lp.MergedNow == 0 {
			continue
		}
		var added, updated, conflicts, erased int
		for _, m := range s.Merged {
			if m.Laptop == lp.ID {
				c := m.Report.Counts()
				added, updated, conflicts, erased = added+c["added"], updated+c["updated"], conflicts+c["conflicts"], erased+c["erased"]
			}
		}
		out = append(out, i18n.T(l, "sync.merged", "laptop", nameOf(lp), "files", n(lp.MergedNow),
			"added", n(added), "updated", n(updated), "conflicts", n(conflicts), "erased", n(erased)))
	}
	if len(s.Merged) == 0 {
		out = append(out, i18n.T(l, "sync.merged.nothing"))
	}
	for _, sk := range s.Skipped {
		out = append(out, i18n.T(l, "sync.skipped", "file", sk.File, "reason", ReasonText(sk, l)))
	}
	if len(s.Purged) > 0 {
		out = append(out, i18n.T(l, "sync.purged", "files", n(len(s.Purged)), "written", n(len(s.Rewritten))))
	}
	if s.Conflicts > 0 {
		out = append(out, i18n.T(l, "sync.conflicts", "n", n(s.Conflicts)))
	}
	for _, lp := range s.Laptops {
		if lp.Silent(now, Week) {
			out = append(out, i18n.T(l, "sync.silent", "laptop", nameOf(lp), "days", n(int(now.Sub(lp.Heard)/(24*time.Hour)))))
		}
	}
	return out
}

func nameOf(l Laptop) string {
	if l.Name == "" {
		return l.ID
	}
	return l.Name + " (" + l.ID + ")"
}

// ReasonText says why a file was skipped, in language l.
func ReasonText(s Skipped, l i18n.Lang) string {
	var se *Error
	switch {
	case errors.As(s.Err, &se):
		return i18n.T(l, se.key)
	case errors.Is(s.Err, bundle.ErrDamaged):
		return i18n.T(l, "sync.skip.incomplete")
	default:
		return bundle.Message(s.Err, l)
	}
}
