package data

import (
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/google/uuid"

	"registar/data/fold"
)

// SubmissionKeyPrefix starts the match key of a record's phone or PDF form
// submission: the same submission is the same record, whatever its fields.
const SubmissionKeyPrefix = "sub:"

// MatchKeys are the keys under which two records count as the same person,
// business or organisation, whatever script, case or diacritics they were
// typed in: a person by folded given + family name and date of birth, or by
// e-mail; a business or organisation by folded name and country, or by
// e-mail; a locality by folded name and municipality. Import (duplicates in a
// sheet and against the registry) and bundle merging (the same person
// registered on two laptops) both use these keys, so they agree. A record
// made from a phone or PDF form submission also matches by its submission.
func MatchKeys(r Record) []string {
	var keys []string
	add := func(prefix string, parts ...string) {
		for _, p := range parts {
			if p == "" {
				return
			}
		}
		keys = append(keys, prefix+strings.Join(parts, "|"))
	}
	switch v := r.(type) {
	case *Person:
		add("p:name:", fold.Key(v.GivenName), fold.Key(v.FamilyName), v.BirthDate.String())
		add("p:email:", strings.ToLower(strings.TrimSpace(v.Email)))
	case *Business:
		add("b:name:", fold.Key(v.Name), strings.ToUpper(v.Country))
		add("b:email:", strings.ToLower(strings.TrimSpace(v.Email)))
	case *Organisation:
		add("o:name:", fold.Key(v.Name), strings.ToUpper(v.Country))
		add("o:email:", strings.ToLower(strings.TrimSpace(v.Email)))
	case *Locality:
		add("l:name:", fold.Key(v.Name), fold.Key(v.Municipality))
	}
	add(SubmissionKeyPrefix, r.Base().Submission)
	return keys
}

// MatchKeyHash is a 64-bit hash (xxHash) of a match key: the duplicate
// finders of an import and of a bundle merge keep these for the millions
// of keys of a big registry instead of the keys themselves.
func MatchKeyHash(key string) uint64 { return xxhash.Sum64String(key) }

// IDTable numbers record IDs compactly, for the duplicate finders of an
// import and of a bundle merge, which hold a registry's worth of them: a
// UUID (every ID Registar makes) takes 16 bytes and no pointer for the
// garbage collector to follow, any other ID is kept aside as a string.
type IDTable struct {
	uuids  [][16]byte
	others map[int32]string
}

// Add numbers id (from 0, in the order added).
func (t *IDTable) Add(id string) int32 {
	n := int32(len(t.uuids))
	if u, err := uuid.Parse(id); err == nil && u.String() == id {
		t.uuids = append(t.uuids, u)
		return n
	}
	t.uuids = append(t.uuids, [16]byte{})
	if t.others == nil {
		t.others = map[int32]string{}
	}
	t.others[n] = id
	return n
}

// ID is the ID numbered n.
func (t *IDTable) ID(n int32) string {
	if id, ok := t.others[n]; ok {
		return id
	}
	return uuid.UUID(t.uuids[n]).String()
}
