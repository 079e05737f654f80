package search

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/cespare/xxhash/v2"

	"registar/data"
)

// An index can answer queries straight from a dump (LoadInPlace), most
// often a memory-mapped file: opening a registry then costs a checksum of
// the dump's core and a few small tables instead of copying and decoding
// the whole index (which took three quarters of a `search --queries` run
// over 100,000 persons). The docs' strings are checked at their first read
// (docsIntact); if they are damaged the index is rebuilt (SetRebuild).
// The first change copies the dump into the mutable form (thaw), all but
// its two largest arrays: the postings and each doc's terms, numbers that
// never leave the index, stay where they lie in a file mapping (the dump is
// "lent") until a change replaces a list (writable); a dump in the heap is
// copied whole and let go. At a million persons that leaves
// 208 MB in the file rather than on the heap. The dump is handed back
// through release when the index lets go of it: a new load, Reset, or
// ReleaseDump, which copies what is still lent. Every string that leaves a
// dump-backed index is copied, so nothing outside the index ever points
// into the mapping.

// dumpView is a dump's arrays, read where they lie.
type dumpView struct {
	raw         []byte
	nDocs       int
	nTerms      int
	strOff      []uint32 // nTerms + 4*nDocs + 1
	postStart   []uint32 // nTerms + 1
	post        []uint32
	docStart    []uint32 // nDocs + 1
	docTerms    []uint32
	order, free []uint32
	flags       []byte
	blob        string
	live        int
	ntrash      int
	release     func()
	shed        func() // drops the dump's pages from memory (a file mapping only); may be nil

	// The doc part is checked at the first read of a doc's strings.
	docPart  []span
	docSum   uint32
	docsOnce sync.Once
	docsOK   bool

	// byID is built at the first Kind (the store reading a record by ID):
	// a search-only session never pays for it.
	byIDOnce sync.Once
	byID     map[string]uint32
}

// docNum finds the doc number of an ID.
func (v *dumpView) docNum(id string) (uint32, bool) {
	v.byIDOnce.Do(func() {
		v.byID = make(map[string]uint32, len(v.order))
		for _, n := range v.order {
			v.byID[v.docStr(n, 0)] = n
		}
	})
	n, ok := v.byID[id]
	return n, ok
}

// littleEndian is true on the machines where a dump's numbers can be read
// in place (amd64, arm64, ...).
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// u32s returns the n numbers at b[off:] in place when it can, else a copy.
func u32s(b []byte, off, n uint64) []uint32 {
	p := b[off : off+4*n]
	if n == 0 {
		return nil
	}
	if littleEndian && uintptr(unsafe.Pointer(&p[0]))%4 == 0 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&p[0])), n)
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(p[4*i:])
	}
	return out
}

// parseDump checks a dump and returns its arrays over b. It checks what
// could make a query or a later change panic: counts, sizes, offsets and
// every number used as an index.
func parseDump(b []byte, shed func()) (*dumpView, error) {
	if len(b) < dumpHeader || b[0] != DumpFormat || b[1]|b[2]|b[3] != 0 {
		return nil, ErrBadDump
	}
	var h [6]uint64
	for i := range h {
		h[i] = uint64(binary.LittleEndian.Uint32(b[4+4*i:]))
	}
	nDocs, nTerms, nPost, nOrder, nFree, blobLen := h[0], h[1], h[2], h[3], h[4], h[5]
	if nFree > nDocs || nOrder > nDocs || uint64(len(b)) != dumpSize(nDocs, nTerms, nPost, nOrder, nFree, blobLen) {
		return nil, ErrBadDump
	}
	v := &dumpView{raw: b, nDocs: int(nDocs), nTerms: int(nTerms)}
	off := uint64(dumpHeader)
	take := func(n uint64) []uint32 {
		s := u32s(b, off, n)
		off += 4 * n
		return s
	}
	nStrs := nTerms + strsPerDoc*nDocs
	v.strOff = take(nStrs + 1)
	v.postStart = take(nTerms + 1)
	postOff := off
	v.post = take(nPost)
	v.docStart = take(nDocs + 1)
	docTermsOff := off
	v.docTerms = take(nPost)
	v.order = take(nOrder)
	v.free = take(nFree)
	v.flags = b[off : off+nDocs]
	if blobLen > 0 {
		v.blob = unsafe.String(&b[off+nDocs], blobLen)
	}
	termEnd := uint64(v.strOff[nTerms])
	if termEnd > blobLen {
		return nil, ErrBadDump
	}
	core, docPart := dumpParts(uint64(len(b)), nTerms, nDocs, blobLen, termEnd)
	sum, bounded := checksumAndBounds(b, core, []boundedArray{{postOff, v.post, nDocs}, {docTermsOff, v.docTerms, nTerms}}, shed)
	if sum != binary.LittleEndian.Uint32(b[coreSumAt:]) || !bounded {
		return nil, ErrBadDump
	}
	if !ascending(v.strOff[:nTerms+1], 0, termEnd) || !ascending(v.postStart, 0, nPost) || !ascending(v.docStart, 0, nPost) ||
		!below(v.order, nDocs) || !below(v.free, nDocs) {
		return nil, ErrBadDump
	}
	v.docPart, v.docSum = docPart, binary.LittleEndian.Uint32(b[docSumAt:])
	for n, f := range v.flags {
		switch f {
		case 0:
			// A removed doc has no terms: MarshalBinary and thaw count
			// only the live docs' terms against the postings.
			if v.docStart[n] != v.docStart[n+1] {
				return nil, ErrBadDump
			}
		case docFlagLive:
			v.live++
		case docFlagLive | docFlagTrash:
			v.live++
			v.ntrash++
		default:
			return nil, ErrBadDump
		}
	}
	if uint64(v.live) != nOrder || nFree != nDocs-nOrder {
		return nil, ErrBadDump
	}
	return v, nil
}

// shedEvery is how much of a mapped dump is read (checked at its load,
// written out at close) between two sheds of its pages: a registry of
// 100,000 persons (a 35 MB dump) keeps its pages, as before.
var shedEvery = 64 << 20 // a variable for the tests

// boundedArray is an array of a dump whose numbers must stay below limit;
// off is where it starts in the dump, in bytes.
type boundedArray struct {
	off   uint64
	s     []uint32
	limit uint64
}

// checksumAndBounds computes partSum of the part of b a megabyte at a time
// and checks the bounded arrays' numbers piece by piece while each piece
// is still in the cache: the postings and the doc terms are two thirds of a
// dump, and a second pass read them again from memory (half the time of the
// load). shed, if not nil, runs after every shedEvery bytes read: the
// check of a million persons' mapped snapshot brought 240 MB of it into
// the process at once (the peak of a bulk job's end, issue 18).
func checksumAndBounds(b []byte, part []span, arrays []boundedArray, shed func()) (sum uint32, ok bool) {
	d := xxhash.New()
	ok = true
	read := 0
	for _, sp := range part {
		for lo := sp.from; lo < sp.to; lo += 1 << 20 {
			hi := min(lo+1<<20, sp.to)
			d.Write(b[lo:hi])
			if read += int(hi - lo); shed != nil && read >= shedEvery {
				shed()
				read = 0
			}
			for _, a := range arrays {
				end := a.off + 4*uint64(len(a.s))
				from, to := max(lo, a.off), min(hi, end)
				if from < to && !below(a.s[(from-a.off)/4:(to-a.off)/4], a.limit) {
					ok = false
				}
			}
		}
	}
	return uint32(d.Sum64()), ok
}

// ascending reports whether s starts at first, never decreases and ends at
// last.
func ascending(s []uint32, first, last uint64) bool {
	if len(s) == 0 || uint64(s[0]) != first || uint64(s[len(s)-1]) != last {
		return false
	}
	prev := uint32(0)
	for _, x := range s {
		if x < prev {
			return false
		}
		prev = x
	}
	return true
}

// below reports whether every number of s is less than n. Four running
// maxima instead of one let the processor work on four numbers at a time:
// this check reads 19 MB at 100,000 persons, and with one it took longer
// than the checksum.
func below(s []uint32, n uint64) bool {
	if len(s) == 0 {
		return true
	}
	var m0, m1, m2, m3 uint32
	for len(s) >= 4 {
		q := s[:4]
		m0, m1, m2, m3 = max(m0, q[0]), max(m1, q[1]), max(m2, q[2]), max(m3, q[3])
		s = s[4:]
	}
	for _, x := range s {
		m0 = max(m0, x)
	}
	return uint64(max(m0, m1, m2, m3)) < n
}

func (v *dumpView) str(i int) string { return v.blob[v.strOff[i]:v.strOff[i+1]] }

// docsIntact checks the doc part once: its checksum, and that its string
// offsets ascend to the blob's end (else slicing a title could panic).
// Until it has said yes, nothing may read a doc's strings.
func (v *dumpView) docsIntact() bool {
	v.docsOnce.Do(func() {
		v.docsOK = partSum(v.raw, v.docPart) == v.docSum &&
			ascending(v.strOff[v.nTerms:], uint64(v.strOff[v.nTerms]), uint64(len(v.blob)))
	})
	return v.docsOK
}

func (v *dumpView) docStr(n uint32, k int) string {
	return v.str(v.nTerms + strsPerDoc*int(n) + k)
}

// LoadInPlace replaces the index's contents with a dump MarshalBinary
// wrote, answering queries from dump itself: dump must stay unchanged until
// release is called (nil when nothing has to be done). The first change,
// UnmarshalBinary, Docs or ReleaseDump copies what the index needs and
// calls release. On error (damage in the dump's core) the index is left as
// it was and release is not called. Damage in the docs' strings is found at
// their first read (Search, Kind, a change): the dump is then released and
// the index filled from SetRebuild's function.
func (ix *Index) LoadInPlace(dump []byte, release func()) error {
	return ix.LoadMappedInPlace(dump, release, nil)
}

// LoadMappedInPlace is LoadInPlace for a dump mapped from a file: shed
// drops the mapping's pages from the process's memory (they stay in the
// file, and a later read brings back what it touches). The copy-out sheds
// after each large part it copied, so that a million persons' index is not
// held twice, mapped and copied (1,025 MB at the app's start before).
func (ix *Index) LoadMappedInPlace(dump []byte, release, shed func()) error {
	v, err := parseDump(dump, shed)
	if err != nil {
		return err
	}
	v.release, v.shed = release, shed
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.dropView()
	ix.fz = v
	ix.docs, ix.byID, ix.free, ix.live, ix.ntrash = nil, nil, v.free, v.live, v.ntrash
	ix.terms, ix.post, ix.sorted, ix.order = nil, nil, nil, v.order
	return nil
}

// UnmarshalBinary replaces the index's contents with a dump MarshalBinary
// wrote. It does not keep b. On error the index is left as it was.
func (ix *Index) UnmarshalBinary(b []byte) error {
	v, err := parseDump(b, nil)
	if err != nil {
		return err
	}
	if !v.docsIntact() {
		return ErrBadDump
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.dropView()
	ix.fz = v
	ix.thaw()
	ix.ownLent()
	return nil
}

// InPlace reports whether the index answers from a dump (LoadInPlace) and
// has not been copied out of it yet (the mutable form may still read its
// lists of numbers from it: see thaw).
func (ix *Index) InPlace() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.fz != nil
}

// ReadsMapping reports whether the index reads from a file mapping: it
// answers from it in place, or still reads lists from it after a change.
// Such an index's pages can be shed (ShedPages).
func (ix *Index) ReadsMapping() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.fz != nil && ix.fz.shed != nil || ix.lent != nil && ix.lent.shed != nil
}

// PrepareForWrites turns an index that answers from its dump into the
// mutable form now rather than at the first change (see thaw); the dump's
// postings and docs' terms stay lent. On other indexes it does nothing.
func (ix *Index) PrepareForWrites() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.thaw()
}

// ReleaseDump copies a dump-backed index into its own memory, what is
// still lent included, and lets the dump go; on other indexes it does
// nothing.
func (ix *Index) ReleaseDump() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.thaw()
	ix.ownLent()
}

// dropView lets go of the dump a dump-backed index answered from or
// borrowed from, without copying; the caller holds the write lock and
// fills the index anew.
func (ix *Index) dropView() {
	for _, v := range []*dumpView{ix.fz, ix.lent} {
		if v != nil && v.release != nil {
			v.release()
		}
	}
	ix.fz, ix.lent = nil, nil
}

// lends reports whether list s lies in the dump (read-only memory when it
// is a file mapping).
func (v *dumpView) lends(s []uint32) bool {
	if v == nil || cap(s) == 0 || len(v.raw) == 0 {
		return false
	}
	at := uintptr(unsafe.Pointer(unsafe.SliceData(s))) - uintptr(unsafe.Pointer(unsafe.SliceData(v.raw)))
	return at < uintptr(len(v.raw))
}

// writable is list s, copied out of a lent dump if it lies there: a
// list is changed in place (deleteSorted), and a mapping is read-only.
// The caller holds the write lock.
func (ix *Index) writable(s []uint32) []uint32 {
	if ix.lent.lends(s) {
		return slices.Clone(s)
	}
	return s
}

// ownLent copies the lists the mutable form still reads from a lent dump
// into one array of its own, then lets the dump go. The caller holds the
// write lock.
func (ix *Index) ownLent() {
	v := ix.lent
	if v == nil {
		return
	}
	n := 0
	for i := range ix.docs {
		if l := ix.docs[i].terms; v.lends(l) {
			n += len(l)
		}
	}
	for _, l := range ix.post {
		if v.lends(l) {
			n += len(l)
		}
	}
	own := make([]uint32, 0, n)
	take := func(l []uint32) []uint32 {
		lo := len(own)
		own = append(own, l...)
		return own[lo:len(own):len(own)] // capped, as thaw's
	}
	for i := range ix.docs {
		if l := ix.docs[i].terms; v.lends(l) {
			ix.docs[i].terms = take(l)
		}
	}
	ix.shedLent()
	for t, l := range ix.post {
		if v.lends(l) {
			ix.post[t] = take(l)
		}
	}
	ix.dropView()
}

// shedLent drops the resident pages of a lent file mapping; the caller
// holds a lock.
func (ix *Index) shedLent() {
	if v := ix.lent; v != nil && v.shed != nil {
		v.shed()
	}
}

// thaw turns a dump-backed index into the mutable form: the strings, the
// docs' records, the ID map and the order are copied out of the dump; the
// postings and the docs' terms are read where they lie until a change
// replaces them (the dump is kept as ix.lent, and released with the index's
// contents). The caller holds the write lock.
func (ix *Index) thaw() {
	v := ix.fz
	if v == nil {
		return
	}
	if !v.docsIntact() {
		ix.replaceDamaged()
		return
	}
	shed := func() {
		if v.shed != nil {
			v.shed()
		}
	}
	// Drop what queries brought in; each part comes back as it is copied.
	shed()
	blob := strings.Clone(v.blob) // one copy; every string below is a piece of it
	shed()
	str := func(i int) string { return blob[v.strOff[i]:v.strOff[i+1]] }
	terms := make([]string, v.nTerms)
	for i := range terms {
		terms[i] = str(i)
	}
	docs := make([]docRec, v.nDocs)
	byID := make(map[string]uint32, v.live)
	for n := range docs {
		if v.flags[n]&docFlagLive == 0 {
			continue
		}
		at := v.nTerms + strsPerDoc*n
		id, key := str(at), str(at+2)
		lo, hi := v.docStart[n], v.docStart[n+1]
		docs[n] = docRec{id: id, title: str(at + 1), key: key, key8: prefix8(key), kind: data.Kind(str(at + 3)),
			terms: v.docTerms[lo:hi:hi], live: true, trashed: v.flags[n]&docFlagTrash != 0}
		byID[id] = uint32(n)
	}
	// The postings where they lie, each list capped so that an insert
	// moves it out; a removal copies it first (writable).
	post := make([][]uint32, v.nTerms)
	for t := range post {
		lo, hi := v.postStart[t], v.postStart[t+1]
		post[t] = v.post[lo:hi:hi]
	}
	// A free number that is a live doc would hand one doc's number to
	// another: keep only the true free ones.
	free := make([]uint32, 0, len(v.free))
	for _, n := range v.free {
		if v.flags[n]&docFlagLive == 0 {
			free = append(free, n)
		}
	}
	sorted := make([]uint32, v.nTerms)
	for i := range sorted {
		sorted[i] = uint32(i)
	}
	// (The same ID twice is damage the checksum let through: live counts
	// what the map holds.)
	ix.docs, ix.byID, ix.free, ix.live, ix.ntrash = docs, byID, free, len(byID), v.ntrash
	ix.terms, ix.post, ix.sorted, ix.order = terms, post, sorted, append([]uint32(nil), v.order...)
	ix.fz, ix.lent = nil, v
	v.byID = nil // the view's own ID map (docNum) is no longer read: 41 MB at a million
	shed()
	if v.shed == nil {
		// Not a file mapping (an encrypted registry's snapshot, decrypted
		// into the heap): lending would keep the whole dump alive beside
		// the copy of its strings; copy the lists too and let it go.
		ix.ownLent()
	}
}

// The accessors below read the dictionary, the postings and the docs from
// the dump or from the mutable form; the caller holds a lock. (Tables of
// string and slice headers over the dump would cost more to build at load
// than the branch costs the queries: 110,000 terms at 100,000 persons.)

func (ix *Index) nterms() int {
	if v := ix.fz; v != nil {
		return v.nTerms
	}
	return len(ix.sorted)
}

// termID is the id of the term at position i in term order.
func (ix *Index) termID(i int) uint32 {
	if ix.fz != nil { // a dump numbers its terms in term order
		return uint32(i)
	}
	return ix.sorted[i]
}

// termAt is the term at position i in term order.
func (ix *Index) termAt(i int) string {
	if v := ix.fz; v != nil {
		return v.str(i)
	}
	return ix.terms[ix.sorted[i]]
}

func (ix *Index) term(id uint32) string {
	if v := ix.fz; v != nil {
		return v.str(int(id))
	}
	return ix.terms[id]
}

func (ix *Index) postings(id uint32) []uint32 {
	if v := ix.fz; v != nil {
		lo, hi := v.postStart[id], v.postStart[id+1]
		return v.post[lo:hi:hi]
	}
	return ix.post[id]
}

func (ix *Index) ndocs() int {
	if v := ix.fz; v != nil {
		return v.nDocs
	}
	return len(ix.docs)
}

func (ix *Index) docTerms(n uint32) []uint32 {
	if v := ix.fz; v != nil {
		return v.docTerms[v.docStart[n]:v.docStart[n+1]]
	}
	return ix.docs[n].terms
}

func (ix *Index) docTrashed(n uint32) bool {
	if v := ix.fz; v != nil {
		return v.flags[n]&docFlagTrash != 0
	}
	return ix.docs[n].trashed
}

// hitOf is doc n as a Hit, its strings owned by the caller.
func (ix *Index) hitOf(n uint32) Hit {
	if v := ix.fz; v != nil {
		return Hit{ID: strings.Clone(v.docStr(n, 0)), Title: strings.Clone(v.docStr(n, 1)),
			Kind: ownKind(v.docStr(n, 3))}
	}
	d := &ix.docs[n]
	return Hit{ID: d.id, Kind: d.kind, Title: d.title}
}

// ownKind is a kind read from a dump, as one of the package data constants
// when it is one (no copy), else copied.
func ownKind(s string) data.Kind {
	for _, k := range data.AllKinds {
		if string(k) == s {
			return k
		}
	}
	return data.Kind(strings.Clone(s))
}

// own copies a string that may point into a dump.
func (ix *Index) own(s string) string {
	if ix.fz != nil {
		return strings.Clone(s)
	}
	return s
}

// Reset empties the index; a dump it answered from is let go without
// being copied. The store calls it at close.
func (ix *Index) Reset() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.empty()
}

// empty lets go of any dump and empties the index; the caller holds the
// write lock.
func (ix *Index) empty() {
	ix.dropView()
	ix.docs, ix.byID, ix.free, ix.live, ix.ntrash = nil, map[string]uint32{}, nil, 0, 0
	ix.terms, ix.post, ix.sorted, ix.order = nil, nil, nil, nil
}

// SetRebuild gives the index a way to get every doc again (the store reads
// its records), for when the docs' strings of the dump it answers from
// turn out damaged. fn runs with the index locked: it must not use the
// index. Without one, such an index is emptied: it answers nothing rather
// than from damage.
func (ix *Index) SetRebuild(fn func() ([]Doc, error)) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.rebuild = fn
}

// replaceDamaged drops a dump whose doc part failed its check and fills
// the index from the rebuild function; the caller holds the write lock.
func (ix *Index) replaceDamaged() {
	ix.empty()
	if ix.rebuild == nil {
		return
	}
	docs, err := ix.rebuild()
	if err != nil || len(docs) == 0 {
		return
	}
	recs := make([]docRec, len(docs))
	ix.bulk(recs, prepareAll(docs, recs))
}

// rlockDocs takes the read lock for a reader of docs' strings, once the
// doc part of a dump the index answers from has passed its check (a
// damaged one is replaced first).
func (ix *Index) rlockDocs() {
	for {
		ix.mu.RLock()
		v := ix.fz
		if v == nil || v.docsIntact() {
			return
		}
		ix.mu.RUnlock()
		ix.mu.Lock()
		if ix.fz == v {
			ix.replaceDamaged()
		}
		ix.mu.Unlock()
	}
}
