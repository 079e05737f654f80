package search

import (
	"encoding/binary"
	"errors"
	"math"

	"registar/data"
)

// DumpFormat is the version of MarshalBinary's layout, its first byte.
const DumpFormat = 1

// ErrBadDump is returned by UnmarshalBinary for bytes MarshalBinary did not
// write (or of another DumpFormat).
var ErrBadDump = errors.New("search: damaged index dump")

// The dump, every number a little-endian uint32:
//
//	format byte
//	nDocs nTerms nPost nOrder nFree nStrs blobLen
//	string offsets   nStrs+1 (into the blob): the terms in term order, then
//	                 id, title, key and kind of every doc number
//	doc flags        nDocs bytes: 1 live, 2 trashed
//	postings sizes   nTerms, in term order
//	postings         nPost, list after list
//	order            nOrder doc numbers
//	free             nFree doc numbers
//	blob             blobLen bytes
//
// Terms are renumbered in term order, so the sorted dictionary is the
// identity; each doc's terms are rebuilt from the postings. Loading is a few
// bulk copies, one map and checks that make any damage an error, not a
// panic or a wrong index.
const (
	dumpHeader   = 1 + 7*4
	docFlagLive  = 1
	docFlagTrash = 2
	strsPerDoc   = 4
)

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
	size := uint64(dumpHeader) + 4*uint64(nStrs+1) + uint64(nDocs) + 4*uint64(nTerms+nPost+len(ix.order)+len(ix.free)) + uint64(blobLen)
	if size > math.MaxUint32 || nStrs >= math.MaxUint32 {
		return nil, errors.New("search: index too big to dump")
	}
	b := make([]byte, 0, size)
	u32 := func(v int) { b = binary.LittleEndian.AppendUint32(b, uint32(v)) }
	b = append(b, DumpFormat)
	for _, v := range []int{nDocs, nTerms, nPost, len(ix.order), len(ix.free), nStrs, blobLen} {
		u32(v)
	}
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
		uint64(len(b)) != dumpHeader+4*(nStrs+1)+nDocs+4*(nTerms+nPost+nOrder+nFree)+blobLen {
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
	orderB := take(4 * nOrder)
	freeB := take(4 * nFree)
	blob := string(rest) // one copy; every string below is a piece of it

	// Strings.
	strs := make([]string, nStrs)
	prev := uint32(0)
	if binary.LittleEndian.Uint32(offB) != 0 {
		return ErrBadDump
	}
	for i := range strs {
		end := binary.LittleEndian.Uint32(offB[4*(i+1):])
		if end < prev || uint64(end) > blobLen {
			return ErrBadDump
		}
		strs[i] = blob[prev:end]
		prev = end
	}
	if uint64(prev) != blobLen {
		return ErrBadDump
	}
	terms := strs[:nTerms:nTerms]
	for i := 1; i < len(terms); i++ {
		if terms[i-1] >= terms[i] {
			return ErrBadDump
		}
	}
	sorted := make([]uint32, nTerms)
	for i := range sorted {
		sorted[i] = uint32(i)
	}

	// Docs, without their terms for now.
	docs := make([]docRec, nDocs)
	byID := make(map[string]uint32, nDocs-nFree)
	live, ntrash := 0, 0
	for n := range docs {
		s := strs[int(nTerms)+strsPerDoc*n:][:strsPerDoc]
		f := flags[n]
		if f&docFlagLive == 0 {
			if f != 0 || s[0] != "" || s[1] != "" || s[2] != "" || s[3] != "" {
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
			live: true, trashed: f&docFlagTrash != 0}
		live++
		if docs[n].trashed {
			ntrash++
		}
	}

	// Postings, each strictly increasing over live docs, in one backing
	// array, each list capped so that an append moves it out (as bulk does).
	backing := make([]uint32, nPost)
	for i := range backing {
		backing[i] = binary.LittleEndian.Uint32(postB[4*i:])
	}
	post := make([][]uint32, nTerms)
	perDoc := make([]uint32, nDocs+1) // counts, then where each doc's terms start
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
			perDoc[n+1]++
		}
		post[t] = p
		start = end
	}
	if start != nPost {
		return ErrBadDump
	}
	// Each doc's terms, from the postings.
	for n := 1; n < len(perDoc); n++ {
		perDoc[n] += perDoc[n-1]
	}
	flat := make([]uint32, nPost)
	fill := make([]uint32, nDocs)
	copy(fill, perDoc[:nDocs])
	for t, p := range post {
		for _, n := range p {
			flat[fill[n]] = uint32(t)
			fill[n]++
		}
	}
	for n := range docs {
		if docs[n].live {
			lo, hi := perDoc[n], perDoc[n+1]
			docs[n].terms = flat[lo:hi:hi]
		}
	}

	tmp := &Index{docs: docs}
	// The title order: every live doc once, sorted.
	if nOrder != uint64(live) {
		return ErrBadDump
	}
	order := make([]uint32, nOrder)
	for i := range order {
		n := binary.LittleEndian.Uint32(orderB[4*i:])
		if uint64(n) >= nDocs || !docs[n].live || i > 0 && tmp.cmpDoc(order[i-1], n) >= 0 {
			return ErrBadDump
		}
		order[i] = n
	}
	// The free list: every removed doc number once.
	if nFree != nDocs-uint64(live) {
		return ErrBadDump
	}
	free := make([]uint32, nFree)
	seen := make([]bool, nDocs)
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
