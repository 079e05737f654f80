package exchange

import (
	"slices"

	"registar/data"
)

// registryKeys are the duplicate keys of the registry's records of one kind
// (data.MatchKeys, and "id:" with the ID), for finding the record a row
// matches. It keeps 64-bit hashes of the keys and each record's ID once,
// as 16 bytes where it is a UUID: a registry of 1,000,000 persons has some
// four million keys, which as strings held 340 MB at the peak of an import
// (issue 18). A hash says only where to look: the caller confirms each
// match against the record itself (recordKeys), so two keys of one hash
// never join a row to the wrong person.
type registryKeys struct {
	byHash map[uint64]int32 // n ≥ 0: the record numbered n in ids; n < 0: several, shared[-n-1]
	shared [][]int32
	ids    data.IDTable
}

func newRegistryKeys() *registryKeys {
	return &registryKeys{byHash: map[uint64]int32{}}
}

// add records that the record id holds these keys.
func (x *registryKeys) add(id string, keys []string) {
	n := x.ids.Add(id)
	for _, k := range keys {
		h := data.MatchKeyHash(k)
		held, ok := x.byHash[h]
		switch {
		case !ok:
			x.byHash[h] = n
		case held >= 0 && held != n:
			x.shared = append(x.shared, []int32{held, n})
			x.byHash[h] = -int32(len(x.shared))
		case held < 0 && !slices.Contains(x.shared[-held-1], n):
			x.shared[-held-1] = append(x.shared[-held-1], n)
		}
	}
}

// candidates are the IDs of the records holding a key of this hash.
func (x *registryKeys) candidates(key string) []string {
	held, ok := x.byHash[data.MatchKeyHash(key)]
	switch {
	case !ok:
		return nil
	case held >= 0:
		return []string{x.ids.ID(held)}
	}
	var ids []string
	for _, n := range x.shared[-held-1] {
		ids = append(ids, x.ids.ID(n))
	}
	return ids
}

// recordKeys are the keys a record or a row holds: data.MatchKeys, and
// "id:" with its ID if it has one.
func recordKeys(r data.Record) []string {
	keys := data.MatchKeys(r)
	if id := r.Base().ID; id != "" {
		keys = append(keys, "id:"+id)
	}
	return keys
}
