package search

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"registar/data"
	"registar/data/fold"
)

// PutAll adds or replaces many docs at once, as at store open. Folding runs
// on every core, each worker caching the words of texts it has seen (names,
// cities and professions repeat a lot) in its own dictionary, which it
// sorts; the sorted dictionaries are then merged, the postings rebuilt in
// one pass and the title order sorted once. A later doc with the same ID as
// an earlier one wins, as with Put.
func (ix *Index) PutAll(docs []Doc) {
	if len(docs) == 0 {
		return
	}
	ix.mu.RLock()
	small := len(docs) < 256 && len(docs) < ix.live/4+16
	ix.mu.RUnlock()
	if small {
		// Rebuilding everything would cost more than inserting a few.
		ps := make([]prepared, len(docs))
		for i, d := range docs {
			ps[i] = prepareOne(d)
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		for i := range ps {
			ix.put(&ps[i])
		}
		return
	}
	recs := make([]docRec, len(docs))
	workers := prepareAll(docs, recs)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.bulk(recs, workers)
}

// worker folds a share of the docs into records whose terms are, for now,
// ids in its own dictionary.
type worker struct {
	docs   []Doc
	recs   []docRec
	off    []int32             // doc i's terms are flat[off[i]:off[i+1]]
	flat   []uint32            // the terms of every doc, one after the other
	dict   map[string]uint32   // term → local id
	strs   []string            // local id → term
	sorted []uint32            // local ids in term order
	texts  map[string][]uint32 // piece of raw text → its words
	buf    []uint32
	facts  [nSlots + 1]map[string]uint32 // by facet slot, then value
	kinds  map[data.Kind]uint32
	seen   []int32 // local id → last doc that took it
	remap  []uint32
}

func prepareAll(docs []Doc, recs []docRec) []*worker {
	nw := min(runtime.GOMAXPROCS(0), 8, len(docs)/1024+1)
	ws := make([]*worker, nw)
	var wg sync.WaitGroup
	for i := range ws {
		lo, hi := i*len(docs)/nw, (i+1)*len(docs)/nw
		w := &worker{docs: docs[lo:hi], recs: recs[lo:hi]}
		ws[i] = w
		wg.Go(w.run)
	}
	wg.Wait()
	return ws
}

func (w *worker) run() {
	n := len(w.docs)
	w.off = make([]int32, n+1)
	w.dict = make(map[string]uint32, n)
	w.texts = make(map[string][]uint32, 1024)
	for i := range w.facts {
		w.facts[i] = map[string]uint32{}
	}
	w.kinds = map[data.Kind]uint32{}
	w.flat = make([]uint32, 0, n*26)
	for i := range w.docs {
		w.prepare(i)
	}
	w.off[n] = int32(len(w.flat))
	w.texts, w.facts, w.kinds, w.seen, w.dict = nil, [len(w.facts)]map[string]uint32{}, nil, nil, nil
	// Sort the local dictionary for the merge.
	items := make([]keyed, len(w.strs))
	for id, t := range w.strs {
		k0, k1 := keyOf(t)
		items[id] = keyed{k0: k0, k1: k1, n: uint32(id)}
	}
	sortKeyed(items, func(a, b uint32) int { return strings.Compare(w.strs[a], w.strs[b]) })
	w.sorted = make([]uint32, len(items))
	for i, it := range items {
		w.sorted[i] = it.n
	}
}

func (w *worker) local(t string) uint32 {
	if id, ok := w.dict[t]; ok {
		return id
	}
	id := uint32(len(w.strs))
	w.strs = append(w.strs, t)
	w.dict[t] = id
	w.seen = append(w.seen, -1)
	return id
}

// add gives term id to doc i unless it has it already.
func (w *worker) add(i int, id uint32) {
	if w.seen[id] != int32(i) {
		w.seen[id] = int32(i)
		w.flat = append(w.flat, id)
	}
}

// words appends the local ids of the words of a raw text to buf. It folds
// the text piece by piece between spaces, which gives the same words as
// folding it whole (no folding rule reaches across a space; the tests check
// it), so that pieces that repeat (given and family names, cities,
// professions) are folded once, even inside full names that do not repeat.
// Pieces with digits or "@" (phones, e-mail addresses, numbers) are mostly
// unique and not worth remembering.
func (w *worker) words(s string, buf []uint32) []uint32 {
	for len(s) > 0 {
		piece := s
		if i := strings.IndexByte(s, ' '); i >= 0 {
			piece, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if piece == "" {
			continue
		}
		if ids, ok := w.texts[piece]; ok {
			buf = append(buf, ids...)
			continue
		}
		if plainWord(piece) { // folds to itself, one word
			buf = append(buf, w.local(piece))
			continue
		}
		start := len(buf)
		for _, wd := range fold.Words(piece) {
			buf = append(buf, w.local(wd))
		}
		if repeats(piece) {
			w.texts[piece] = slices.Clone(buf[start:])
		}
	}
	return buf
}

// plainWord reports whether s is lower-case ASCII letters and digits
// without "dj": text that fold.Words returns as the one word s.
func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') || c == 'j' && i > 0 && s[i-1] == 'd' {
			return false
		}
	}
	return true
}

// repeats guesses whether a text is likely to recur in other docs.
func repeats(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' || c == '@' {
			return false
		}
	}
	return true
}

// prepare folds doc i; it must emit the terms prepareOne emits.
func (w *worker) prepare(i int) {
	d := &w.docs[i]
	w.off[i] = int32(len(w.flat))
	w.buf = w.words(d.Title, w.buf[:0])
	n := len(w.buf) - 1
	for _, id := range w.buf {
		w.add(i, id)
		n += len(w.strs[id])
	}
	var key strings.Builder
	key.Grow(max(n, 0))
	for j, id := range w.buf {
		if j > 0 {
			key.WriteByte(' ')
		}
		key.WriteString(w.strs[id])
	}
	w.recs[i] = docRec{id: d.ID, title: d.Title, key: key.String(), key8: prefix8(key.String()), kind: d.Kind,
		live: true, trashed: d.Trashed}
	for _, t := range d.Text {
		w.buf = w.words(t, w.buf[:0])
		for _, id := range w.buf {
			w.add(i, id)
		}
	}
	for _, f := range d.Facets {
		// A facet of a known name is remembered by its value alone: cheaper
		// to hash than the pair.
		cache, key := w.facts[nSlots], f.Value
		if slot := facetSlot(f.Name); slot >= 0 {
			cache = w.facts[slot]
		} else {
			key = f.Name + "\x00" + f.Value
		}
		id, ok := cache[key]
		if !ok {
			if v := FacetValue(f.Name, f.Value); v != "" {
				id = w.local(facetTerm(FacetName(f.Name), v))
			} else {
				id = ^uint32(0)
			}
			cache[key] = id
		}
		if id != ^uint32(0) {
			w.add(i, id)
		}
	}
	id, ok := w.kinds[d.Kind]
	if !ok {
		id = ^uint32(0)
		if k := FacetValue(FacetKind, string(d.Kind)); k != "" {
			id = w.local(facetTerm(FacetKind, k))
		}
		w.kinds[d.Kind] = id
	}
	if id != ^uint32(0) {
		w.add(i, id)
	}
	if d.Trashed {
		w.add(i, w.local(trashTerm))
	}
}

// nSlots is the number of facet names facetSlot knows.
const nSlots = 16

// facetSlot numbers the facet names DocOf emits, or is -1.
func facetSlot(name string) int {
	switch name {
	case FacetKind:
		return 0
	case FacetCountry:
		return 1
	case FacetCity:
		return 2
	case FacetLocality:
		return 3
	case FacetProfession:
		return 4
	case FacetSector:
		return 5
	case FacetInterest:
		return 6
	case FacetConsent:
		return 7
	case FacetTag:
		return 8
	case FacetGender:
		return 9
	case FacetGeneration:
		return 10
	case FacetEducation:
		return 11
	case FacetOrgKind:
		return 12
	case FacetCreated:
		return 13
	case FacetEmigrationDecade:
		return 14
	case FacetMunicipality:
		return 15
	}
	return -1
}

// bulk merges the workers' records into the index and rebuilds postings
// and the title order. The caller holds the write lock.
func (ix *Index) bulk(recs []docRec, ws []*worker) {
	var wg sync.WaitGroup
	// The dictionaries merge while the records find their numbers.
	wg.Go(func() {
		for _, w := range ws {
			ix.mergeDict(w)
		}
		for _, w := range ws {
			for i := range w.flat {
				w.flat[i] = w.remap[w.flat[i]]
			}
			for i := range w.recs {
				w.recs[i].terms = w.flat[w.off[i]:w.off[i+1]:w.off[i+1]]
			}
		}
	})
	if ix.live == 0 && len(ix.docs) == 0 {
		// Empty: the records are the docs, numbered as they come.
		ix.docs = recs
		ix.byID = make(map[string]uint32, len(recs))
		for i := range recs {
			if old, dup := ix.byID[recs[i].id]; dup {
				ix.free = append(ix.free, old) // the later one wins
			}
			ix.byID[recs[i].id] = uint32(i)
		}
		ix.live = len(ix.byID)
		wg.Wait()
		for _, n := range ix.free {
			recs[n] = docRec{}
		}
	} else {
		wg.Wait()
		ix.docs = slices.Grow(ix.docs, len(recs))
		for i := range recs {
			r := &recs[i]
			n, ok := ix.byID[r.id]
			if !ok {
				n = ix.newDocNum()
				ix.byID[r.id] = n
				ix.live++
			}
			ix.docs[n] = *r
		}
	}
	ix.ntrash = 0
	for n := range ix.docs {
		if ix.docs[n].trashed {
			ix.ntrash++
		}
	}

	// The title order sorts beside the postings.
	wg.Go(func() {
		ix.order = ix.order[:0]
		for n := range ix.docs {
			if ix.docs[n].live {
				ix.order = append(ix.order, uint32(n))
			}
		}
		ix.sortDocs(ix.order)
	})

	// Postings, from scratch, in doc order: each list comes out sorted, all
	// in one backing array.
	counts := make([]uint32, len(ix.terms))
	sum := 0
	for n := range ix.docs {
		for _, t := range ix.docs[n].terms {
			counts[t]++
		}
		sum += len(ix.docs[n].terms)
	}
	backing := make([]uint32, sum)
	ix.post = slices.Grow(ix.post[:0], len(ix.terms))[:len(ix.terms)]
	off := 0
	for t, c := range counts {
		ix.post[t] = backing[off : off : off+int(c)]
		off += int(c)
	}
	for n := range ix.docs {
		for _, t := range ix.docs[n].terms {
			ix.post[t] = append(ix.post[t], uint32(n))
		}
	}
	wg.Wait()
}

// mergeDict merges a worker's sorted dictionary into the index's, giving
// the worker the global id of each of its terms.
func (ix *Index) mergeDict(w *worker) {
	w.remap = make([]uint32, len(w.strs))
	merged := make([]uint32, 0, len(ix.sorted)+len(w.sorted))
	g, l := ix.sorted, w.sorted
	for len(l) > 0 {
		t := w.strs[l[0]]
		c := 1
		if len(g) > 0 {
			c = strings.Compare(ix.terms[g[0]], t)
		}
		switch {
		case c < 0:
			merged = append(merged, g[0])
			g = g[1:]
			continue
		case c == 0:
			w.remap[l[0]] = g[0]
			merged = append(merged, g[0])
			g = g[1:]
		default:
			id := uint32(len(ix.terms))
			ix.terms = append(ix.terms, t)
			w.remap[l[0]] = id
			merged = append(merged, id)
		}
		l = l[1:]
	}
	ix.sorted = append(merged, g...)
}

// keyed is an item to sort with the first 16 bytes of its key and of its
// ID beside it, so that nearly every comparison stays in the array.
type keyed struct {
	k0, k1, id uint64
	n          uint32
}

func cmpU64(a, b uint64) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

// sortKeyed sorts items by their packed prefixes, then by cmp for ties.
func sortKeyed(items []keyed, cmp func(a, b uint32) int) {
	slices.SortFunc(items, func(a, b keyed) int {
		if a.k0 != b.k0 {
			return cmpU64(a.k0, b.k0)
		}
		if a.k1 != b.k1 {
			return cmpU64(a.k1, b.k1)
		}
		if a.id != b.id {
			return cmpU64(a.id, b.id)
		}
		return cmp(a.n, b.n)
	})
}

// keyOf packs the first 16 bytes of s: k0 and k1 order as s does, up to
// ties when s is longer than 16 bytes.
func keyOf(s string) (k0, k1 uint64) {
	k0 = prefix8(s)
	if len(s) > 8 {
		k1 = prefix8(s[8:])
	}
	return k0, k1
}

// sortDocs sorts doc numbers by folded title, then ID. Only when two
// titles agree on their first 16 bytes does the comparison read the docs,
// and only when their IDs agree on 8 too does it compare whole IDs.
func (ix *Index) sortDocs(ns []uint32) {
	items := make([]keyed, len(ns))
	for i, n := range ns {
		d := &ix.docs[n]
		k0, k1 := keyOf(d.key)
		if len(d.key) < 16 { // shorter: k0, k1 hold all of it, zero padded
			items[i] = keyed{k0: k0, k1: k1, id: prefix8(d.id), n: n}
		} else {
			items[i] = keyed{k0: k0, k1: k1, n: n} // ties go to cmpDoc
		}
	}
	sortKeyed(items, ix.cmpDoc)
	for i, it := range items {
		ns[i] = it.n
	}
}
