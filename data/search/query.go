package search

import (
	"math/bits"
	"slices"
	"strings"

	"registar/data"
	"registar/data/fold"
)

// TrashMode says whether a query sees trashed docs.
type TrashMode int

// Trash modes. The zero value hides the trash.
const (
	TrashExclude TrashMode = iota // only docs not in the trash (default)
	TrashOnly                     // only docs in the trash
	TrashInclude                  // both
)

// Query selects docs. Every part must hold.
type Query struct {
	// Text holds words; every word must match some word of the doc by
	// prefix, after folding ("petr" finds Petrović and Петровић).
	Text string
	// Kind limits the docs to one kind; "" is every kind.
	Kind data.Kind
	// Filters: every facet name must match; several values for the same
	// name match any of them. Values are compared in FacetValue form.
	Filters []Facet
	Trash   TrashMode
	// Limit is the most hits returned (0: all), after skipping Offset.
	Limit, Offset int
	// Order of the hits: by title (the zero value), or best match first
	// when there is text (see ByRelevance).
	Order Order
}

// Hit is one doc found.
type Hit struct {
	ID    string
	Kind  data.Kind
	Title string
	// Rank is how well the doc matched a ByRelevance query's text, lower
	// better: the sum over its words (the first 16) of RankName …
	// RankOther. 0 by title.
	Rank int
	// Matched is the other name that matched, when a ByRelevance query's
	// word was not in the title but in a parent's name or a contact
	// ({"parent_name", "Đorđe"}); see Explain for the other fields.
	Matched Match
}

// Result is the hits of a page and the number of docs matching in all.
type Result struct {
	Total int
	Hits  []Hit // by folded title, then ID (or best match first: Query.Order)
}

// Search returns the docs matching q, sorted by folded title then ID, or
// best match first (Query.Order); Total counts every match, whatever Limit
// and Offset.
func (ix *Index) Search(q Query) Result {
	if q.Kind == data.KindActivity && len(queryWords(q.Text)) > 0 {
		return ix.searchActivities(q)
	}
	return ix.search(q)
}

// searchActivities is Search for activities: the text also finds the
// activities organised by an organisation whose name it matches (an
// activity's doc holds its organisers' IDs, not their names, which may
// change). Those come after the direct matches, each saying which
// organiser matched.
func (ix *Index) searchActivities(q Query) Result {
	all := q
	all.Offset, all.Limit = 0, 0
	hits := ix.search(all).Hits
	seen := make(map[string]bool, len(hits))
	for _, h := range hits {
		seen[h.ID] = true
	}
	orgs := ix.search(Query{Kind: data.KindOrganisation, Text: q.Text}).Hits
	for _, o := range orgs {
		byOrg := q
		byOrg.Text, byOrg.Offset, byOrg.Limit, byOrg.Order = "", 0, 0, ByTitle
		byOrg.Filters = append(append([]Facet(nil), q.Filters...), Facet{FacetOrganiser, o.ID})
		for _, h := range ix.search(byOrg).Hits {
			if !seen[h.ID] {
				seen[h.ID] = true
				h.Matched = Match{Field: "organiser_ids", Value: o.Title}
				hits = append(hits, h)
			}
		}
	}
	res := Result{Total: len(hits)}
	if q.Offset < len(hits) {
		hits = hits[q.Offset:]
	} else {
		hits = nil
	}
	if q.Limit > 0 && len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	res.Hits = hits
	return res
}

// search is Search for one kind of doc or all, by the index alone.
func (ix *Index) search(q Query) Result {
	ix.rlockDocs()
	defer ix.mu.RUnlock()
	sc := ix.scratch()
	defer ix.pool.Put(sc)
	ms := ix.eval(q, sc)
	res := Result{Total: ix.count(ms)}
	if q.Order == ByRelevance && res.Total > 0 {
		if words := queryWords(q.Text); len(words) > 0 {
			res.Hits = ix.ranked(sc, ms, words, res.Total, q.Offset, q.Limit)
			return res
		}
	}
	res.Hits = ix.hits(sc, ms, res.Total, q.Offset, q.Limit)
	return res
}

// Count is Search(q).Total without building hits.
func (ix *Index) Count(q Query) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.scratch()
	defer ix.pool.Put(sc)
	return ix.count(ix.eval(q, sc))
}

// FacetCounts returns, among the docs matching q, how many have each value
// of the named facet (values in FacetValue form; values no doc has are left
// out). A doc with two values counts once for each. Limit and Offset of q
// are ignored.
func (ix *Index) FacetCounts(q Query, name string) map[string]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.scratch()
	defer ix.pool.Put(sc)
	ms := ix.eval(q, sc)
	out := map[string]int{}
	if ms.empty {
		return out
	}
	prefix := facetTerm(FacetName(name), "")
	lo, hi := ix.termRange(prefix)
	size := 0
	for i := lo; i < hi; i++ {
		size += len(ix.postings(ix.termID(i)))
	}
	if size == 0 {
		return out
	}
	if ms.list != nil && len(ms.list)*verifyCost < size {
		// Few matches: look at their terms.
		for _, n := range ms.list {
			for _, t := range ix.docTerms(n) {
				if value, ok := strings.CutPrefix(ix.term(t), prefix); ok {
					out[ix.own(value)]++
				}
			}
		}
		return out
	}
	// Many matches: test each posting of each value against a bitset.
	var set []uint64
	sub := false // count the docs in set, or those not in it
	switch {
	case ms.all:
		if ms.noTrash {
			set, sub = sc.bitsA, true
			for _, n := range ix.trashed() {
				setBit(set, n)
			}
		}
	case ms.bits != nil:
		set = ms.bits
	default:
		set = sc.bitsA
		for _, n := range ms.list {
			setBit(set, n)
		}
	}
	for i := lo; i < hi; i++ {
		t := ix.termID(i)
		p := ix.postings(t)
		c := len(p)
		if set != nil {
			in := 0
			for _, n := range p {
				in += int(set[n>>6] >> (n & 63) & 1)
			}
			if sub {
				c -= in
			} else {
				c = in
			}
		}
		// (A dump whose damage the checksum let through may have its
		// terms out of order: take only those with the prefix.)
		if value, ok := strings.CutPrefix(ix.term(t), prefix); ok && c > 0 {
			out[ix.own(value)] = c
		}
	}
	return out
}

// verifyCost is roughly how many postings cost as much as checking one
// candidate doc's own terms.
const verifyCost = 32

// scratch holds a query's reusable buffers.
type scratch struct {
	lists [][]uint32
	conds []cond
	ids   []uint32
	list  []uint32 // candidates owned by the query
	bitsA []uint64 // dense candidates
	bitsB []uint64 // one condition, dense
	hits  []uint32
	rank  []uint16 // ByRelevance: each match's rank
	other []uint16 // ByRelevance: the words each match's title lacks
	named []uint16 // ByRelevance: the words each match's other names have
	page  []uint32 // ByRelevance: the matches by rank
}

// scratch gets buffers from the pool, the bitsets cleared and sized to the
// doc numbers. The caller holds a lock.
func (ix *Index) scratch() *scratch {
	sc, _ := ix.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	w := (ix.ndocs() + 63) / 64
	sc.bitsA = resize(sc.bitsA, w)
	sc.bitsB = resize(sc.bitsB, w)
	sc.lists, sc.conds, sc.ids, sc.list, sc.hits = sc.lists[:0], sc.conds[:0], sc.ids[:0], sc.list[:0], sc.hits[:0]
	return sc
}

func resize(b []uint64, w int) []uint64 {
	if cap(b) < w {
		return make([]uint64, w)
	}
	b = b[:w]
	clear(b)
	return b
}

func setBit(b []uint64, n uint32) { b[n>>6] |= 1 << (n & 63) }

func hasBit(b []uint64, n uint32) bool { return b[n>>6]&(1<<(n&63)) != 0 }

// cond is one condition of a query: a doc must be in one of its postings.
type cond struct {
	from, to     int // postings in scratch.lists
	size         int // postings in all
	prefix       string
	idFrom, idTo int // facet: term ids in scratch.ids
}

// matchSet is the docs matching a query, in one of three forms.
type matchSet struct {
	empty   bool
	all     bool     // every doc (but the trash, if noTrash)
	noTrash bool     // with all: leave out the trashed docs
	list    []uint32 // sorted doc numbers
	owned   bool     // list is scratch.list, which may be overwritten
	bits    []uint64 // scratch.bitsA
	count   int      // with bits
}

func (ix *Index) count(ms matchSet) int {
	switch {
	case ms.empty:
		return 0
	case ms.all:
		if ms.noTrash {
			return ix.live - ix.ntrash
		}
		return ix.live
	case ms.bits != nil:
		return ms.count
	}
	return len(ms.list)
}

// trashed is the postings of the trash.
func (ix *Index) trashed() []uint32 {
	if _, id, ok := ix.lookup(trashTerm); ok {
		return ix.postings(id)
	}
	return nil
}

// eval finds the docs matching q. The caller holds the read lock.
func (ix *Index) eval(q Query, sc *scratch) matchSet {
	none := matchSet{empty: true}
	// Text: one condition per word, the postings of the prefix's terms.
	for _, w := range queryWords(q.Text) {
		lo, hi := ix.termRange(w)
		c := cond{from: len(sc.lists), prefix: w}
		for i := lo; i < hi; i++ {
			if p := ix.postings(ix.termID(i)); len(p) > 0 {
				sc.lists = append(sc.lists, p)
				c.size += len(p)
			}
		}
		c.to = len(sc.lists)
		if c.size == 0 {
			return none
		}
		sc.conds = append(sc.conds, c)
	}
	// Facets: one condition per name, the postings of its values.
	if q.Kind != "" && !ix.facetCond(sc, FacetKind, []Facet{{FacetKind, string(q.Kind)}}) {
		return none
	}
	for i, f := range q.Filters {
		name := FacetName(f.Name)
		dup := false
		for _, g := range q.Filters[:i] {
			if FacetName(g.Name) == name {
				dup = true
				break
			}
		}
		if !dup && !ix.facetCond(sc, name, q.Filters[i:]) {
			return none
		}
	}
	if q.Trash == TrashOnly {
		t := ix.trashed()
		if len(t) == 0 {
			return none
		}
		sc.lists = append(sc.lists, t)
		sc.conds = append(sc.conds, cond{from: len(sc.lists) - 1, to: len(sc.lists), size: len(t), idFrom: -1})
	}

	// A condition every doc meets (kind:person in a registry of persons)
	// narrows nothing.
	sc.conds = slices.DeleteFunc(sc.conds, func(c cond) bool { return c.to-c.from == 1 && c.size == ix.live })
	var ms matchSet
	if len(sc.conds) == 0 {
		ms.all = true
	} else {
		slices.SortFunc(sc.conds, func(a, b cond) int { return a.size - b.size })
		ms = ix.first(sc, &sc.conds[0])
		for i := 1; i < len(sc.conds) && !ms.empty; i++ {
			ms = ix.and(sc, ms, &sc.conds[i])
		}
	}
	if q.Trash == TrashExclude && ix.ntrash > 0 && !ms.empty {
		ms = ix.dropTrash(sc, ms)
	}
	return ms
}

// queryWords folds the text into words, leaving out repeats and words that
// are the prefix of another (whatever matches "petrovic" matches "petr").
func queryWords(text string) []string {
	ws := fold.Words(text)
	if len(ws) < 2 {
		return ws
	}
	out := make([]string, 0, len(ws))
	for i, w := range ws {
		implied := false
		for j, v := range ws {
			if j != i && strings.HasPrefix(v, w) && (len(v) > len(w) || j < i) {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, w)
		}
	}
	return out
}

// facetCond adds the condition for every filter in fs named name; it
// reports false when no doc can match it.
func (ix *Index) facetCond(sc *scratch, name string, fs []Facet) bool {
	c := cond{from: len(sc.lists), idFrom: len(sc.ids)}
	for _, f := range fs {
		if FacetName(f.Name) != name {
			continue
		}
		v := FacetValue(name, f.Value)
		if v == "" {
			continue
		}
		_, id, ok := ix.lookup(facetTerm(name, v))
		if !ok {
			continue
		}
		p := ix.postings(id)
		if len(p) == 0 || slices.Contains(sc.ids[c.idFrom:], id) {
			continue
		}
		sc.ids = append(sc.ids, id)
		sc.lists = append(sc.lists, p)
		c.size += len(p)
	}
	c.to, c.idTo = len(sc.lists), len(sc.ids)
	if c.size == 0 {
		return false
	}
	sc.conds = append(sc.conds, c)
	return true
}

// first turns the smallest condition into the candidates.
func (ix *Index) first(sc *scratch, c *cond) matchSet {
	lists := sc.lists[c.from:c.to]
	if len(lists) == 1 {
		return matchSet{list: lists[0]}
	}
	if c.size <= ix.ndocs()/256+16 {
		l := sc.list[:0]
		for _, p := range lists {
			l = append(l, p...)
		}
		slices.Sort(l)
		l = slices.Compact(l)
		sc.list = l
		return matchSet{list: l, owned: true}
	}
	for _, p := range lists {
		for _, n := range p {
			setBit(sc.bitsA, n)
		}
	}
	return ix.settle(sc, matchSet{bits: sc.bitsA})
}

// settle counts a dense set and makes it a list when it is sparse.
func (ix *Index) settle(sc *scratch, ms matchSet) matchSet {
	c := 0
	for _, w := range ms.bits {
		c += bits.OnesCount64(w)
	}
	ms.count = c
	if c == 0 {
		return matchSet{empty: true}
	}
	if c > ix.ndocs()/64 {
		return ms
	}
	l := sc.list[:0]
	for i, w := range ms.bits {
		for w != 0 {
			l = append(l, uint32(i<<6+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	sc.list = l
	clear(ms.bits) // bitsA is free again
	return matchSet{list: l, owned: true}
}

// and narrows the candidates to those meeting c too.
func (ix *Index) and(sc *scratch, ms matchSet, c *cond) matchSet {
	lists := sc.lists[c.from:c.to]
	if ms.bits != nil {
		if len(lists) == 1 {
			l := sc.list[:0]
			for _, n := range lists[0] {
				if hasBit(ms.bits, n) {
					l = append(l, n)
				}
			}
			sc.list = l
			clear(ms.bits)
			if len(l) == 0 {
				return matchSet{empty: true}
			}
			return matchSet{list: l, owned: true}
		}
		b := sc.bitsB
		clear(b)
		for _, p := range lists {
			for _, n := range p {
				setBit(b, n)
			}
		}
		for i := range ms.bits {
			ms.bits[i] &= b[i]
		}
		return ix.settle(sc, ms)
	}

	in := ms.list
	out := sc.list[:0]
	if !ms.owned {
		out = slices.Grow(out, len(in))
	}
	switch {
	case len(in)*verifyCost < c.size:
		for _, n := range in {
			if ix.docMeets(sc, n, c) {
				out = append(out, n)
			}
		}
	case len(lists) == 1 && (len(lists[0]) > 16*len(in) || len(in)+len(lists[0]) < ix.ndocs()/32):
		// Gallop when one side is much shorter, merge when both are short.
		out = intersect(out, in, lists[0])
	default:
		// Both long: testing bits beats the unpredictable branches of a merge.
		b := sc.bitsB
		clear(b)
		for _, p := range lists {
			for _, n := range p {
				setBit(b, n)
			}
		}
		for _, n := range in {
			if hasBit(b, n) {
				out = append(out, n)
			}
		}
	}
	sc.list = out
	if len(out) == 0 {
		return matchSet{empty: true}
	}
	return matchSet{list: out, owned: true}
}

// docMeets checks condition c on doc n's own terms.
func (ix *Index) docMeets(sc *scratch, n uint32, c *cond) bool {
	terms := ix.docTerms(n)
	if c.prefix != "" {
		for _, t := range terms {
			if strings.HasPrefix(ix.term(t), c.prefix) {
				return true
			}
		}
		return false
	}
	if c.idFrom < 0 { // the trash
		return ix.docTrashed(n)
	}
	for _, t := range terms {
		if slices.Contains(sc.ids[c.idFrom:c.idTo], t) {
			return true
		}
	}
	return false
}

// intersect appends to out the numbers in both sorted a and b. out may be
// a[:0]: it never overtakes the reading of a.
func intersect(out, a, b []uint32) []uint32 {
	if len(b) > 16*len(a) {
		// Gallop: binary search b for each of the few in a.
		for _, n := range a {
			i, found := slices.BinarySearch(b, n)
			if found {
				out = append(out, n)
			}
			b = b[i:]
		}
		return out
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// dropTrash leaves out the trashed docs.
func (ix *Index) dropTrash(sc *scratch, ms matchSet) matchSet {
	switch {
	case ms.all:
		ms.noTrash = true
	case ms.bits != nil:
		for _, n := range ix.trashed() {
			if hasBit(ms.bits, n) {
				ms.bits[n>>6] &^= 1 << (n & 63)
				ms.count--
			}
		}
		if ms.count == 0 {
			return matchSet{empty: true}
		}
	default:
		in := ms.list
		out := sc.list[:0]
		if !ms.owned {
			out = slices.Grow(out, len(in))
		}
		for _, n := range in {
			if !ix.docTrashed(n) {
				out = append(out, n)
			}
		}
		sc.list = out
		if len(out) == 0 {
			return matchSet{empty: true}
		}
		ms = matchSet{list: out, owned: true}
	}
	return ms
}

// hits returns the page [offset, offset+limit) of the matches in title order.
func (ix *Index) hits(sc *scratch, ms matchSet, total, offset, limit int) []Hit {
	offset = max(offset, 0)
	need := total
	if limit > 0 && offset+limit < total {
		need = offset + limit
	}
	if offset >= need {
		return nil
	}
	page := ix.inOrder(sc, ms, need)
	out := make([]Hit, 0, need-offset)
	for _, n := range page[offset:] {
		out = append(out, ix.hitOf(n))
	}
	return out
}

// inOrder returns the first need matches in title order, in sc.hits.
func (ix *Index) inOrder(sc *scratch, ms matchSet, need int) []uint32 {
	page := sc.hits[:0]
	switch {
	case ms.list != nil && len(ms.list) <= ix.ndocs()/16+64:
		page = ix.smallest(page, ms.list, need)
	default:
		// Walk the title order, testing membership, until the page is full.
		set := ms.bits
		if ms.list != nil {
			set = sc.bitsA // free: the matches are a list
			for _, n := range ms.list {
				setBit(set, n)
			}
		}
		for _, n := range ix.order {
			if set != nil && !hasBit(set, n) || set == nil && ms.noTrash && ix.docTrashed(n) {
				continue
			}
			page = append(page, n)
			if len(page) == need {
				break
			}
		}
	}
	sc.hits = page
	return page
}

// smallest appends to page the first need of list in title order.
func (ix *Index) smallest(page, list []uint32, need int) []uint32 {
	if need*4 >= len(list) {
		page = append(page, list...)
		slices.SortFunc(page, ix.cmpDoc)
		return page[:need]
	}
	// A max-heap of the need smallest so far.
	h := append(page, list[:need]...)
	for i := need/2 - 1; i >= 0; i-- {
		ix.down(h, i)
	}
	for _, n := range list[need:] {
		if ix.less(n, h[0]) {
			h[0] = n
			ix.down(h, 0)
		}
	}
	slices.SortFunc(h, ix.cmpDoc)
	return h
}

func (ix *Index) down(h []uint32, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		if r := l + 1; r < len(h) && ix.less(h[l], h[r]) {
			l = r
		}
		if !ix.less(h[i], h[l]) {
			return
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
}
