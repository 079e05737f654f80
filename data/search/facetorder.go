package search

import (
	"math"
	"slices"
	"strings"
)

// SearchByFacet returns every doc matching q (its Limit, Offset and Order
// are ignored) ordered by the value of the named facet: the values in the
// order of keyOf(value) (the value itself when keyOf is nil), then of the
// values; each value's docs by title; docs without a value last, by title.
// A doc with two values comes under the first. It gives up, returning
// false, when stop (if not nil) reports true between two steps.
//
// It is the list's sort by a column (country, city, profession...). The
// app did it with a search per value and a map of the IDs seen: at
// 1,000,000 persons sorted by city that held 170 MB besides the hits. Here
// each doc gets its value's rank (4 bytes a doc), and one walk of the title
// order deals the matches out to their values: no string is compared.
func (ix *Index) SearchByFacet(q Query, name string, keyOf func(string) string, stop func() bool) ([]Hit, bool) {
	stopped := func() bool { return stop != nil && stop() }
	ix.rlockDocs()
	defer ix.mu.RUnlock()
	sc := ix.scratch()
	defer ix.pool.Put(sc)
	ms := ix.eval(q, sc)
	total := ix.count(ms)
	if total == 0 {
		return nil, !stopped()
	}

	// The values among all docs, in the order asked.
	type value struct {
		term       uint32
		value, key string
	}
	prefix := facetTerm(FacetName(name), "")
	lo, hi := ix.termRange(prefix)
	values := make([]value, 0, hi-lo)
	for i := lo; i < hi; i++ {
		t := ix.termID(i)
		v, ok := strings.CutPrefix(ix.term(t), prefix)
		if !ok { // a damaged dump's terms out of order
			continue
		}
		k := v
		if keyOf != nil {
			k = keyOf(v)
		}
		values = append(values, value{term: t, value: v, key: k})
	}
	slices.SortFunc(values, func(a, b value) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	if stopped() {
		return nil, false
	}

	// Each doc's value rank; none: len(values).
	none := uint32(len(values))
	rankOf := make([]uint32, ix.ndocs())
	for n := range rankOf {
		rankOf[n] = math.MaxUint32
	}
	for r := len(values) - 1; r >= 0; r-- { // the first value wins: set last
		for _, n := range ix.postings(values[r].term) {
			if int(n) < len(rankOf) {
				rankOf[n] = uint32(r)
			}
		}
	}
	if stopped() {
		return nil, false
	}

	// The matches in title order, dealt out to their values (a counting
	// sort: it keeps the title order within each value).
	member := ix.memberTest(sc, ms)
	rank := func(n uint32) uint32 {
		if r := rankOf[n]; r != math.MaxUint32 {
			return r
		}
		return none
	}
	start := make([]int, len(values)+2)
	for _, n := range ix.order {
		if member(n) {
			start[rank(n)+1]++
		}
	}
	for r := 1; r < len(start); r++ {
		start[r] += start[r-1]
	}
	dealt := make([]uint32, start[len(start)-1])
	for _, n := range ix.order {
		if member(n) {
			r := rank(n)
			dealt[start[r]] = n
			start[r]++
		}
	}
	rankOf = nil
	if stopped() {
		return nil, false
	}
	hits := make([]Hit, len(dealt))
	for i, n := range dealt {
		hits[i] = ix.hitOf(n)
	}
	return hits, true
}

// memberTest reports whether doc n is among the matches ms; the caller
// holds a lock, and sc is not used for anything else meanwhile.
func (ix *Index) memberTest(sc *scratch, ms matchSet) func(n uint32) bool {
	switch {
	case ms.empty:
		return func(uint32) bool { return false }
	case ms.all && ms.noTrash:
		return func(n uint32) bool { return !ix.docTrashed(n) }
	case ms.all:
		return func(uint32) bool { return true }
	case ms.bits != nil:
		set := ms.bits
		return func(n uint32) bool { return hasBit(set, n) }
	}
	set := sc.bitsA
	for _, n := range ms.list {
		setBit(set, n)
	}
	return func(n uint32) bool { return hasBit(set, n) }
}
