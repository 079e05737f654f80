package search

import (
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"sync"

	"registar/data"
	"registar/data/fold"
)

// Facet is one exact-match filter value of a doc, such as country DE.
type Facet struct{ Name, Value string }

// Doc is what the index knows of a record (see DocOf).
type Doc struct {
	ID    string
	Kind  data.Kind
	Title string // display name, also the sort key (folded)
	// Text holds the raw texts whose folded words find the doc. The words of
	// Title are searchable too.
	Text    []string
	Facets  []Facet // exact-match filter values, canonicalised by FacetValue
	Trashed bool
}

// Terms. A term is a string in one sorted dictionary with a postings list
// (the sorted doc numbers that have it). Words are folded letters and
// digits; facets, the kind and the trash flag are terms too, behind a
// control byte no folded word can start with, so prefix ranges of words
// never reach them and filters are answered by the same postings.
const (
	facetMark = "\x01" // "\x01name\x00value"
	trashTerm = "\x02" // every trashed doc
)

func facetTerm(name, value string) string {
	return facetMark + name + "\x00" + value
}

// docRec is one doc number's record. Doc numbers are dense and reused after
// Remove, so bitsets over them stay small.
type docRec struct {
	id      string
	title   string
	key     string   // folded title: the sort key
	terms   []uint32 // every term of the doc, once each
	key8    uint64   // the first 8 bytes of key, for fast comparisons
	kind    data.Kind
	live    bool
	trashed bool
}

// Index is an in-memory search index over docs, kept current by the store on
// every write. It is safe for concurrent use.
type Index struct {
	mu sync.RWMutex

	docs   []docRec
	byID   map[string]uint32
	free   []uint32 // doc numbers of removed docs, for reuse
	live   int      // docs indexed
	ntrash int      // of which trashed

	terms  []string   // term id → term; ids are never reused
	post   [][]uint32 // term id → sorted doc numbers
	sorted []uint32   // term ids in term order: binary search finds a term

	order []uint32 // live doc numbers by (key, id)

	// fz is the dump the index answers from after LoadInPlace, until the
	// first change (see inplace.go); docs and byID are nil meanwhile.
	fz *dumpView
	// lent is that dump after the first change: postings and docs' terms
	// are still read from it until they change.
	lent *dumpView
	// rebuild gets every doc again when fz's doc part is damaged.
	rebuild func() ([]Doc, error)

	pool sync.Pool // *scratch
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: map[string]uint32{}}
}

// Len is the number of docs indexed, trashed ones included.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Kind returns the kind of an indexed ID.
func (ix *Index) Kind(id string) (data.Kind, bool) {
	ix.rlockDocs()
	defer ix.mu.RUnlock()
	if v := ix.fz; v != nil {
		n, ok := v.docNum(id)
		if !ok {
			return "", false
		}
		return ownKind(v.docStr(n, 3)), true
	}
	n, ok := ix.byID[id]
	if !ok {
		return "", false
	}
	return ix.docs[n].kind, true
}

// EachID calls fn with the ID of every doc indexed, trashed ones included
// (a bulk job's filter of the IDs stored, store/bulk.go). fn must not use
// the index.
func (ix *Index) EachID(fn func(id string)) {
	ix.rlockDocs()
	defer ix.mu.RUnlock()
	if v := ix.fz; v != nil {
		for n := range v.nDocs {
			if id := v.docStr(uint32(n), 0); id != "" { // "": a removed doc's number
				fn(id)
			}
		}
		return
	}
	for id := range ix.byID {
		fn(id)
	}
}

// Put adds a doc, or replaces the doc with the same ID: the old words and
// facets no longer match.
func (ix *Index) Put(d Doc) {
	p := prepareOne(d)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.thaw()
	ix.put(&p)
}

// Remove takes the doc with the ID out of the index; an unknown ID is ignored.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.thaw()
	n, ok := ix.byID[id]
	if !ok {
		return
	}
	ix.unlink(n)
	delete(ix.byID, id)
	ix.docs[n] = docRec{}
	ix.free = append(ix.free, n)
	ix.live--
}

// prepared is a doc folded into its terms, ready for Put.
type prepared struct {
	id, title, key string
	key8           uint64
	kind           data.Kind
	trashed        bool
	terms          []string // each once
}

// prepareOne folds a doc for Put. PutAll's workers (worker.prepare) must
// emit the same terms; TestBulkEqualsPut compares the two.
func prepareOne(d Doc) prepared {
	p := prepared{id: d.ID, title: d.Title, kind: d.Kind, trashed: d.Trashed}
	tw := fold.Words(d.Title)
	p.key = strings.Join(tw, " ")
	p.key8 = prefix8(p.key)
	terms := tw
	for _, t := range d.Text {
		terms = append(terms, fold.Words(t)...)
	}
	for _, f := range d.Facets {
		if v := FacetValue(f.Name, f.Value); v != "" {
			terms = append(terms, facetTerm(FacetName(f.Name), v))
		}
	}
	if k := FacetValue(FacetKind, string(d.Kind)); k != "" {
		terms = append(terms, facetTerm(FacetKind, k))
	}
	if d.Trashed {
		terms = append(terms, trashTerm)
	}
	slices.Sort(terms)
	p.terms = slices.Compact(terms)
	return p
}

// prefix8 packs the first 8 bytes of s big-endian, zero padded: comparing
// two of them orders strings as strings.Compare does, up to ties.
func prefix8(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}

// cmpDoc orders doc numbers by folded title, then ID.
func (ix *Index) cmpDoc(a, b uint32) int {
	if v := ix.fz; v != nil {
		// In a dump the keys lie side by side in the blob: compare them
		// directly, and read the IDs only on a tie.
		if c := strings.Compare(v.docStr(a, 2), v.docStr(b, 2)); c != 0 {
			return c
		}
		return strings.Compare(v.docStr(a, 0), v.docStr(b, 0))
	}
	da, db := &ix.docs[a], &ix.docs[b]
	if da.key8 != db.key8 {
		if da.key8 < db.key8 {
			return -1
		}
		return 1
	}
	if c := strings.Compare(da.key, db.key); c != 0 {
		return c
	}
	return strings.Compare(da.id, db.id)
}

// less orders doc numbers by folded title, then ID.
func (ix *Index) less(a, b uint32) bool { return ix.cmpDoc(a, b) < 0 }

// orderPos is where doc n sits (or would sit) in ix.order.
func (ix *Index) orderPos(n uint32) int {
	return sort.Search(len(ix.order), func(i int) bool { return !ix.less(ix.order[i], n) })
}

// put adds or replaces one prepared doc; the caller holds the write lock.
// A replaced doc keeps its number, and only the postings of the terms that
// changed are touched: saving a record usually changes a field or two.
func (ix *Index) put(p *prepared) {
	ids := make([]uint32, len(p.terms))
	for i, t := range p.terms {
		ids[i] = ix.intern(t)
	}
	slices.Sort(ids)
	if ix.byID == nil { // a zero Index works too
		ix.byID = map[string]uint32{}
	}
	n, ok := ix.byID[p.id]
	if !ok {
		n = ix.newDocNum()
		ix.byID[p.id] = n
		ix.live++
		for _, t := range ids {
			ix.post[t] = insertSorted(ix.post[t], n)
		}
	} else {
		d := &ix.docs[n]
		old := slices.Sorted(slices.Values(d.terms))
		i, j := 0, 0
		for i < len(old) || j < len(ids) {
			switch {
			case j == len(ids) || i < len(old) && old[i] < ids[j]:
				ix.post[old[i]] = deleteSorted(ix.writable(ix.post[old[i]]), n)
				i++
			case i == len(old) || ids[j] < old[i]:
				ix.post[ids[j]] = insertSorted(ix.post[ids[j]], n)
				j++
			default:
				i++
				j++
			}
		}
		if d.trashed {
			ix.ntrash--
		}
		if d.key != p.key {
			ix.dropOrder(n)
		}
	}
	moved := !ok || ix.docs[n].key != p.key
	ix.docs[n] = docRec{id: p.id, title: p.title, key: p.key, key8: p.key8, terms: ids,
		kind: p.kind, live: true, trashed: p.trashed}
	if moved {
		ix.order = slices.Insert(ix.order, ix.orderPos(n), n)
	}
	if p.trashed {
		ix.ntrash++
	}
}

// dropOrder takes doc n out of ix.order.
func (ix *Index) dropOrder(n uint32) {
	if i := ix.orderPos(n); i < len(ix.order) && ix.order[i] == n {
		ix.order = slices.Delete(ix.order, i, i+1)
	}
}

func (ix *Index) newDocNum() uint32 {
	if k := len(ix.free); k > 0 {
		n := ix.free[k-1]
		ix.free = ix.free[:k-1]
		return n
	}
	ix.docs = append(ix.docs, docRec{})
	return uint32(len(ix.docs) - 1)
}

// unlink takes doc n out of the postings and the order, keeping its number.
func (ix *Index) unlink(n uint32) {
	d := &ix.docs[n]
	for _, t := range d.terms {
		ix.post[t] = deleteSorted(ix.writable(ix.post[t]), n)
	}
	ix.dropOrder(n)
	if d.trashed {
		ix.ntrash--
	}
	d.terms = nil
	d.live = false
}

// lookup finds a term: its position in ix.sorted (or where it would go)
// and its id.
func (ix *Index) lookup(t string) (pos int, id uint32, ok bool) {
	pos = sort.Search(ix.nterms(), func(i int) bool { return ix.termAt(i) >= t })
	if pos < ix.nterms() && ix.termAt(pos) == t {
		return pos, ix.termID(pos), true
	}
	return pos, 0, false
}

// intern returns the id of a term, adding it to the dictionary in order.
func (ix *Index) intern(t string) uint32 {
	pos, id, ok := ix.lookup(t)
	if ok {
		return id
	}
	id = uint32(len(ix.terms))
	ix.terms = append(ix.terms, t)
	ix.post = append(ix.post, nil)
	ix.sorted = slices.Insert(ix.sorted, pos, id)
	return id
}

func insertSorted(s []uint32, n uint32) []uint32 {
	if k := len(s); k == 0 || s[k-1] < n {
		return append(s, n)
	}
	i, found := slices.BinarySearch(s, n)
	if found {
		return s
	}
	return slices.Insert(s, i, n)
}

func deleteSorted(s []uint32, n uint32) []uint32 {
	i, found := slices.BinarySearch(s, n)
	if !found {
		return s
	}
	return slices.Delete(s, i, i+1)
}

// termRange returns the positions [lo, hi) in term order of the terms that
// start with prefix.
func (ix *Index) termRange(prefix string) (lo, hi int) {
	n := ix.nterms()
	lo = sort.Search(n, func(i int) bool { return ix.termAt(i) >= prefix })
	hi = lo + sort.Search(n-lo, func(i int) bool { return !strings.HasPrefix(ix.termAt(lo+i), prefix) })
	return lo, hi
}
