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
	small := len(docs) < 16+ix.live/128
	ix.mu.RUnlock()
	if small {
		// Rebuilding everything would cost more than inserting a few: at
		// 100,000 docs a rebuild costs as much as some 800 Puts.
		ps := make([]prepared, len(docs))
		for i, d := range docs {
			ps[i] = prepareOne(d)
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		ix.thaw()
		for i := range ps {
			ix.put(&ps[i])
		}
		return
	}
	recs := make([]docRec, len(docs))
	workers := prepareAll(docs, recs)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.thaw()
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
	fresh1 []uint32                      // the fresh ids of the doc being prepared
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
	w.fold()
	w.sortDict()
}

// fold folds the worker's docs into its records, flat terms and local
// dictionary.
func (w *worker) fold() {
	n := len(w.docs)
	w.off = make([]int32, n+1)
	w.dict = make(map[string]uint32, n)
	w.strs = make([]string, 0, 3*n) // a person has some three words of its own
	w.seen = make([]int32, 0, 3*n)
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
}

// sortDict sorts the local dictionary for mergeDict.
func (w *worker) sortDict() {
	items := make([]kv, len(w.strs))
	for id, t := range w.strs {
		items[id] = kv{prefix8(t), uint32(id)}
	}
	items = sortByPrefix(items, func(a, b uint32) int { return strings.Compare(w.strs[a], w.strs[b]) })
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

// fresh gives a word that is probably unique (it has a digit: a phone
// number, an address in an e-mail) a new local id without asking the
// dictionary, only making sure the doc does not get it twice. A word that
// does repeat gets several local ids; mergeDict folds them into one.
func (w *worker) fresh(t string) uint32 {
	for _, id := range w.fresh1 {
		if w.strs[id] == t {
			return id
		}
	}
	id := uint32(len(w.strs))
	w.strs = append(w.strs, t)
	w.seen = append(w.seen, -1)
	w.fresh1 = append(w.fresh1, id)
	return id
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
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
		if !repeats(piece) {
			if plainWord(piece) { // folds to itself, one word
				buf = append(buf, w.fresh(piece))
				continue
			}
			for _, wd := range fold.Words(piece) {
				if hasDigit(wd) {
					buf = append(buf, w.fresh(wd))
				} else {
					buf = append(buf, w.local(wd))
				}
			}
			continue
		}
		if ids, ok := w.texts[piece]; ok {
			buf = append(buf, ids...)
			continue
		}
		start := len(buf)
		for _, wd := range fold.Words(piece) {
			buf = append(buf, w.local(wd))
		}
		w.texts[piece] = slices.Clone(buf[start:])
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
	w.fresh1 = w.fresh1[:0]
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
		more := 0
		for _, w := range ws {
			more += len(w.strs)
		}
		ix.terms = slices.Grow(ix.terms, more)
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
	sorted := false
	if ix.live == 0 && len(ix.docs) == 0 {
		// Empty: the records are the docs, numbered as they come, and the
		// title order sorts at once, beside the merge (it reads the titles
		// and IDs, the merge writes the terms).
		ix.docs = recs
		order := make([]uint32, len(recs))
		wg.Go(func() {
			for i := range order {
				order[i] = uint32(i)
			}
			ix.sortDocs(order)
		})
		ix.byID = make(map[string]uint32, len(recs))
		for i := range recs {
			if old, dup := ix.byID[recs[i].id]; dup {
				ix.free = append(ix.free, old) // the later one wins
			}
			ix.byID[recs[i].id] = uint32(i)
		}
		ix.live = len(ix.byID)
		wg.Wait()
		if len(ix.free) > 0 {
			for _, n := range ix.free {
				recs[n] = docRec{}
			}
			order = slices.DeleteFunc(order, func(n uint32) bool { return !recs[n].live })
		}
		ix.order, sorted = order, true
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

	if !sorted {
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
	}

	// Postings, from scratch, in doc order: each list comes out sorted, all
	// in one backing array, each list capped so that a later append moves
	// it out rather than over its neighbour.
	pos := make([]uint32, len(ix.terms)+1) // counts, then where each list starts
	for n := range ix.docs {
		for _, t := range ix.docs[n].terms {
			pos[t+1]++
		}
	}
	for t := 1; t < len(pos); t++ {
		pos[t] += pos[t-1]
	}
	backing := make([]uint32, pos[len(ix.terms)])
	for n := range ix.docs {
		for _, t := range ix.docs[n].terms {
			backing[pos[t]] = uint32(n)
			pos[t]++
		}
	}
	// pos[t] is now where list t ends, and list t-1's end is where t starts.
	ix.post = slices.Grow(ix.post[:0], len(ix.terms))[:len(ix.terms)]
	start := uint32(0)
	for t := range ix.post {
		ix.post[t] = backing[start:pos[t]:pos[t]]
		start = pos[t]
	}
	wg.Wait()
}

// mergeDict merges a worker's sorted dictionary into the index's, giving
// the worker the global id of each of its terms. The worker's may hold a
// term more than once (see worker.fresh).
func (ix *Index) mergeDict(w *worker) {
	w.remap = make([]uint32, len(w.strs))
	merged := make([]uint32, 0, len(ix.sorted)+len(w.sorted))
	g, l := ix.sorted, w.sorted
	for len(l) > 0 {
		t := w.strs[l[0]]
		if k := len(merged); k > 0 && ix.terms[merged[k-1]] == t {
			w.remap[l[0]] = merged[k-1] // a repeat
			l = l[1:]
			continue
		}
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

// kv is an item to sort by the first 8 bytes of its key (see prefix8).
type kv struct {
	k uint64
	n uint32
}

// radixSort sorts items by k: LSD, a byte a pass, skipping the bytes every
// key has alike. tmp is scratch as long as items.
func radixSort(items, tmp []kv) {
	var counts [8][256]int
	for _, it := range items {
		for b := range 8 {
			counts[b][byte(it.k>>(8*b))]++
		}
	}
	src, dst := items, tmp
	for b := range 8 {
		c := &counts[b]
		if c[byte(src[0].k>>(8*b))] == len(src) {
			continue
		}
		sum := 0
		for i := range c {
			c[i], sum = sum, sum+c[i]
		}
		for _, it := range src {
			x := byte(it.k >> (8 * b))
			dst[c[x]] = it
			c[x]++
		}
		src, dst = dst, src
	}
	if &src[0] != &items[0] {
		copy(items, src)
	}
}

// sortByPrefix sorts items by k with a radix sort, then the runs of equal
// k by cmp: a comparison sort over 100,000 terms spends its time comparing
// strings far apart in memory; this reads them only for the few that share
// their first 8 bytes.
func sortByPrefix(items []kv, cmp func(a, b uint32) int) []kv {
	if len(items) < 2 {
		return items
	}
	radixSort(items, make([]kv, len(items)))
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && items[j].k == items[i].k {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(items[i:j], func(a, b kv) int { return cmp(a.n, b.n) })
		}
		i = j
	}
	return items
}

// sortDocs sorts doc numbers by folded title, then ID: a radix sort on
// the first 8 bytes of the titles, then, within each run that shares them
// (many people share a given name and the start of a family name), a
// comparison sort on the next 8 bytes and the ID's first 8, read once per
// doc rather than once per comparison.
func (ix *Index) sortDocs(ns []uint32) {
	sortTitles(ns, func(n uint32) uint64 { return ix.docs[n].key8 },
		func(n uint32) (key, id string) { d := &ix.docs[n]; return d.key, d.id })
}

// sortTitles is sortDocs over docs whose first 8 bytes of key and whose
// key and ID the functions give: the index's records or a DumpBuilder's.
func sortTitles(ns []uint32, key8 func(uint32) uint64, keyID func(uint32) (key, id string)) {
	if len(ns) < 2 {
		return
	}
	items := make([]kv, len(ns))
	for i, n := range ns {
		items[i] = kv{key8(n), n}
	}
	radixSort(items, make([]kv, len(items)))
	type tie struct {
		k1, id uint64
		n      uint32
		short  bool // the title is shorter than 16 bytes: k1 ends it
	}
	var run []tie
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && items[j].k == items[i].k {
			j++
		}
		if j-i > 1 {
			run = run[:0]
			for _, it := range items[i:j] {
				key, id := keyID(it.n)
				run = append(run, tie{prefix8(key[min(8, len(key)):]), prefix8(id), it.n, len(key) < 16})
			}
			slices.SortFunc(run, func(a, b tie) int {
				if a.k1 != b.k1 {
					return cmpU64(a.k1, b.k1)
				}
				if a.short && b.short && a.id != b.id {
					return cmpU64(a.id, b.id)
				}
				ka, ia := keyID(a.n)
				kb, ib := keyID(b.n)
				if c := strings.Compare(ka, kb); c != 0 {
					return c
				}
				return strings.Compare(ia, ib)
			})
			for r, t := range run {
				items[i+r].n = t.n
			}
		}
		i = j
	}
	for i, it := range items {
		ns[i] = it.n
	}
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
