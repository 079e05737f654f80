package search

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"

	"registar/data"
)

// DumpFormat is the version of MarshalBinary's layout, its first byte.
// Format 1 had no checksum and rebuilt each doc's terms from the postings.
const DumpFormat = 2

// ErrBadDump is returned by UnmarshalBinary for bytes MarshalBinary did not
// write (or of another DumpFormat).
var ErrBadDump = errors.New("search: damaged index dump")

// The dump, every number a little-endian uint32:
//
//	format byte
//	nDocs nTerms nPost nOrder nFree nStrs blobLen
//	checksum         CRC-32C of everything after the header
//	string offsets   nStrs+1 (into the blob): the terms in term order, then
//	                 id, title, key and kind of every doc number
//	doc flags        nDocs bytes: 1 live, 2 trashed
//	postings sizes   nTerms, in term order
//	postings         nPost, list after list
//	doc term starts  nDocs+1 (into doc terms)
//	doc terms        nPost term numbers, each doc's after the other
//	order            nOrder doc numbers
//	free             nFree doc numbers
//	blob             blobLen bytes
//
// Terms are renumbered in term order, so the sorted dictionary is the
// identity. Loading is a few bulk copies and one map. The checksum catches
// damage; the bounds are checked anyway, so that no input can make the
// index panic later. What a checksum makes redundant is not re-checked: the
// order of the title list (a tenth of the load) and that each doc's terms
// mirror the postings.
const (
	dumpHeader   = 1 + 8*4
	docFlagLive  = 1
	docFlagTrash = 2
	strsPerDoc   = 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// MarshalBinary dumps the index's state for UnmarshalBinary.
func (ix *Index) MarshalBinary() ([]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	nDocs, nTerms := len(ix.docs), len(ix.terms)
	nStrs := nTerms + strsPerDoc*nDocs
	blobLen, nPost := 0, 0
	for _, t := range ix.terms {
		blobLen += len(t)
	}
	for i := range ix.docs {
		d := &ix.docs[i]
		if d.live {
			blobLen += len(d.id) + len(d.title) + len(d.key) + len(d.kind)
		}
	}
	for _, p := range ix.post {
		nPost += len(p)
	}
	size := uint64(dumpHeader) + 4*uint64(nStrs+1) + uint64(nDocs) + 4*uint64(nTerms+2*nPost+nDocs+1+len(ix.order)+len(ix.free)) + uint64(blobLen)
	if size > math.MaxUint32 || nStrs >= math.MaxUint32 {
		return nil, errors.New("search: index too big to dump")
	}
	b := make([]byte, 0, size)
	u32 := func(v int) { b = binary.LittleEndian.AppendUint32(b, uint32(v)) }
	b = append(b, DumpFormat)
	for _, v := range []int{nDocs, nTerms, nPost, len(ix.order), len(ix.free), nStrs, blobLen} {
		u32(v)
	}
	u32(0) // the checksum, filled in at the end
	off := 0
	u32(0)
	for _, id := range ix.sorted {
		off += len(ix.terms[id])
		u32(off)
	}
	for i := range ix.docs {
		d := &ix.docs[i]
		if !d.live { // a removed doc is all zero; write nothing of it
			for range strsPerDoc {
				u32(off)
			}
			continue
		}
		for _, s := range []string{d.id, d.title, d.key, string(d.kind)} {
			off += len(s)
			u32(off)
		}
	}
	for i := range ix.docs {
		var f byte
		if ix.docs[i].live {
			f = docFlagLive
			if ix.docs[i].trashed {
				f |= docFlagTrash
			}
		}
		b = append(b, f)
	}
	for _, id := range ix.sorted {
		u32(len(ix.post[id]))
	}
	for _, id := range ix.sorted {
		for _, n := range ix.post[id] {
			b = binary.LittleEndian.AppendUint32(b, n)
		}
	}
	// Each doc's terms, renumbered like the postings.
	rank := make([]uint32, nTerms)
	for i, id := range ix.sorted {
		rank[id] = uint32(i)
	}
	start := 0
	u32(0)
	for i := range ix.docs {
		if ix.docs[i].live {
			start += len(ix.docs[i].terms)
		}
		u32(start)
	}
	if start != nPost {
		return nil, errors.New("search: index terms and postings disagree")
	}
	for i := range ix.docs {
		if d := &ix.docs[i]; d.live {
			for _, t := range d.terms {
				b = binary.LittleEndian.AppendUint32(b, rank[t])
			}
		}
	}
	for _, n := range ix.order {
		b = binary.LittleEndian.AppendUint32(b, n)
	}
	for _, n := range ix.free {
		b = binary.LittleEndian.AppendUint32(b, n)
	}
	for _, id := range ix.sorted {
		b = append(b, ix.terms[id]...)
	}
	for i := range ix.docs {
		d := &ix.docs[i]
		if d.live {
			b = append(b, d.id...)
			b = append(b, d.title...)
			b = append(b, d.key...)
			b = append(b, d.kind...)
		}
	}
	if uint64(len(b)) != size {
		return nil, errors.New("search: index dump miscounted")
	}
	binary.LittleEndian.PutUint32(b[dumpHeader-4:], crc32.Checksum(b[dumpHeader:], castagnoli))
	return b, nil
}

// UnmarshalBinary replaces the index's contents with a dump MarshalBinary
// wrote. It does not keep b. On error the index is left as it was.
func (ix *Index) UnmarshalBinary(b []byte) error {
	if len(b) < dumpHeader || b[0] != DumpFormat {
		return ErrBadDump
	}
	var h [7]uint64
	for i := range h {
		h[i] = uint64(binary.LittleEndian.Uint32(b[1+4*i:]))
	}
	nDocs, nTerms, nPost, nOrder, nFree, nStrs, blobLen := h[0], h[1], h[2], h[3], h[4], h[5], h[6]
	if nStrs != nTerms+strsPerDoc*nDocs || nFree > nDocs ||
		uint64(len(b)) != dumpHeader+4*(nStrs+1)+nDocs+4*(nTerms+2*nPost+nDocs+1+nOrder+nFree)+blobLen {
		return ErrBadDump
	}
	if binary.LittleEndian.Uint32(b[dumpHeader-4:]) != crc32.Checksum(b[dumpHeader:], castagnoli) {
		return ErrBadDump
	}
	rest := b[dumpHeader:]
	take := func(n uint64) []byte {
		p := rest[:n]
		rest = rest[n:]
		return p
	}
	offB := take(4 * (nStrs + 1))
	flags := take(nDocs)
	sizeB := take(4 * nTerms)
	postB := take(4 * nPost)
	startB := take(4 * (nDocs + 1))
	docTermB := take(4 * nPost)
	orderB := take(4 * nOrder)
	freeB := take(4 * nFree)
	blob := string(rest) // one copy; every string below is a piece of it

	// str returns string i of the blob.
	str := func(i uint64) (string, bool) {
		lo, hi := binary.LittleEndian.Uint32(offB[4*i:]), binary.LittleEndian.Uint32(offB[4*i+4:])
		if lo > hi || uint64(hi) > blobLen {
			return "", false
		}
		return blob[lo:hi], true
	}
	if binary.LittleEndian.Uint32(offB) != 0 || uint64(binary.LittleEndian.Uint32(offB[4*nStrs:])) != blobLen {
		return ErrBadDump
	}

	// Terms, in order: the sorted dictionary is the identity.
	terms := make([]string, nTerms)
	sorted := make([]uint32, nTerms)
	for i := range terms {
		t, ok := str(uint64(i))
		if !ok || i > 0 && terms[i-1] >= t {
			return ErrBadDump
		}
		terms[i], sorted[i] = t, uint32(i)
	}

	// Docs, each with its terms.
	docTerms := make([]uint32, nPost)
	for i := range docTerms {
		t := binary.LittleEndian.Uint32(docTermB[4*i:])
		if uint64(t) >= nTerms {
			return ErrBadDump
		}
		docTerms[i] = t
	}
	docs := make([]docRec, nDocs)
	byID := make(map[string]uint32, nDocs-nFree)
	live, ntrash := 0, 0
	lo := binary.LittleEndian.Uint32(startB)
	if lo != 0 {
		return ErrBadDump
	}
	for n := range docs {
		hi := binary.LittleEndian.Uint32(startB[4*(n+1):])
		if hi < lo || uint64(hi) > nPost {
			return ErrBadDump
		}
		var s [strsPerDoc]string
		for k := range s {
			v, ok := str(nTerms + strsPerDoc*uint64(n) + uint64(k))
			if !ok {
				return ErrBadDump
			}
			s[k] = v
		}
		f := flags[n]
		if f&docFlagLive == 0 {
			if f != 0 || hi != lo || s != [strsPerDoc]string{} {
				return ErrBadDump
			}
			continue
		}
		if f&^(docFlagLive|docFlagTrash) != 0 {
			return ErrBadDump
		}
		if _, dup := byID[s[0]]; dup {
			return ErrBadDump
		}
		byID[s[0]] = uint32(n)
		docs[n] = docRec{id: s[0], title: s[1], key: s[2], key8: prefix8(s[2]), kind: data.Kind(s[3]),
			terms: docTerms[lo:hi:hi], live: true, trashed: f&docFlagTrash != 0}
		lo = hi
		live++
		if docs[n].trashed {
			ntrash++
		}
	}
	if uint64(lo) != nPost {
		return ErrBadDump
	}

	// Postings, each strictly increasing over live docs, in one backing
	// array, each list capped so that an append moves it out (as bulk does).
	backing := make([]uint32, nPost)
	for i := range backing {
		backing[i] = binary.LittleEndian.Uint32(postB[4*i:])
	}
	post := make([][]uint32, nTerms)
	start := uint64(0)
	for t := range post {
		end := start + uint64(binary.LittleEndian.Uint32(sizeB[4*t:]))
		if end > nPost {
			return ErrBadDump
		}
		p := backing[start:end:end]
		for i, n := range p {
			if uint64(n) >= nDocs || flags[n]&docFlagLive == 0 || i > 0 && p[i-1] >= n {
				return ErrBadDump
			}
		}
		post[t] = p
		start = end
	}
	if start != nPost {
		return ErrBadDump
	}

	// The title order: every live doc once (sorted when it was written:
	// the checksum vouches for that).
	if nOrder != uint64(live) {
		return ErrBadDump
	}
	seen := make([]bool, nDocs)
	order := make([]uint32, nOrder)
	for i := range order {
		n := binary.LittleEndian.Uint32(orderB[4*i:])
		if uint64(n) >= nDocs || !docs[n].live || seen[n] {
			return ErrBadDump
		}
		seen[n] = true
		order[i] = n
	}
	// The free list: every removed doc number once.
	if nFree != nDocs-uint64(live) {
		return ErrBadDump
	}
	free := make([]uint32, nFree)
	for i := range free {
		n := binary.LittleEndian.Uint32(freeB[4*i:])
		if uint64(n) >= nDocs || docs[n].live || seen[n] {
			return ErrBadDump
		}
		seen[n] = true
		free[i] = n
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.docs, ix.byID, ix.free, ix.live, ix.ntrash = docs, byID, free, live, ntrash
	ix.terms, ix.post, ix.sorted, ix.order = terms, post, sorted, order
	return nil
}
