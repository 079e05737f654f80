package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
)

// DumpFormat is the version of MarshalBinary's layout, its first byte.
// Format 1 had no checksum and rebuilt each doc's terms from the postings;
// format 2 had its arrays at odd offsets, which LoadInPlace cannot read;
// format 3 had one checksum, so that a count paid for reading every title.
const DumpFormat = 4

// errDisagree is MarshalBinary refusing an index whose docs' terms and
// postings do not mirror each other: a bug, or a dump whose damage came
// with a matching checksum (which the load does not check in full, as that
// would read every posting).
var errDisagree = errors.New("search: index terms and postings disagree")

// ErrBadDump is returned by UnmarshalBinary and LoadInPlace for bytes
// MarshalBinary did not write (or of another DumpFormat).
var ErrBadDump = errors.New("search: damaged index dump")

// The dump, every number a little-endian uint32 at an offset divisible by
// four, so that LoadInPlace can read the arrays where they lie:
//
//	format byte, 3 zero bytes
//	nDocs nTerms nPost nOrder nFree blobLen
//	core checksum    of the core part (see below)
//	doc checksum     of the doc part
//	string offsets   nTerms+4*nDocs+1 (into the blob): the terms in term
//	                 order, then id, title, key and kind of every doc number
//	postings starts  nTerms+1 (into postings), in term order
//	postings         nPost, list after list
//	doc term starts  nDocs+1 (into doc terms)
//	doc terms        nPost term numbers, each doc's after the other
//	order            nOrder doc numbers
//	free             nFree doc numbers
//	doc flags        nDocs bytes: 1 live, 2 trashed
//	blob             blobLen bytes: the terms, then the docs' strings
//
// The doc part is the docs' strings and their offsets: what only hits and
// lookups by ID read. The core part is everything else after the header,
// which every query may read. LoadInPlace checks the core and leaves the doc
// part to the first read that needs it (a third of a dump at 100,000
// persons, which a count never reads); UnmarshalBinary checks both.
//
// Terms are renumbered in term order, so the sorted dictionary is the
// identity. The checksums catch damage; the bounds are checked anyway, so
// that no input can make the index panic later. What can only make answers
// wrong, not panic, is left to the checksums: that the terms and the title
// order are sorted, that postings are sorted and name live docs, and that
// each doc's terms mirror the postings.
const (
	dumpHeader   = 4 + 8*4
	coreSumAt    = dumpHeader - 8
	docSumAt     = dumpHeader - 4
	docFlagLive  = 1
	docFlagTrash = 2
	strsPerDoc   = 4
)

// span is a range of a dump's bytes.
type span struct{ from, to uint64 }

// dumpParts returns the core and doc parts of a dump of these counts and
// length, whose terms end at termEnd in the blob (the string offset after
// the last term).
func dumpParts(size, nTerms, nDocs, blobLen, termEnd uint64) (core, docs []span) {
	termOffsEnd := dumpHeader + 4*(nTerms+1)
	strOffsEnd := dumpHeader + 4*(nTerms+strsPerDoc*nDocs+1)
	termsEnd := size - blobLen + termEnd
	return []span{{dumpHeader, termOffsEnd}, {strOffsEnd, termsEnd}},
		[]span{{termOffsEnd, strOffsEnd}, {termsEnd, size}}
}

// DumpChecksum is a dump's core checksum: the store's marker names the
// saved dump by it, so that a stale file is never read.
func DumpChecksum(dump []byte) uint32 {
	if len(dump) < dumpHeader {
		return 0
	}
	return binary.LittleEndian.Uint32(dump[coreSumAt:])
}

// partSum is the low 32 bits of the xxHash64 of the spans of b, hashed a
// megabyte at a time. xxHash reads 30 MB in about 3 ms where CRC-32C took
// 10, and the pieces give the scheduler a point to stop between them: one
// long assembly loop held up a garbage collection's stop-the-world for 11 ms
// while Badger opened beside it.
func partSum(b []byte, part []span) uint32 {
	sum, _ := checksumAndBounds(b, part, nil, nil)
	return sum
}

// MarshalBinary dumps the index's state for UnmarshalBinary.
func (ix *Index) MarshalBinary() ([]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.fz != nil { // loaded in place and unchanged since: the same bytes
		return bytes.Clone(ix.fz.raw), nil
	}
	p, err := ix.planDump()
	if err != nil {
		return nil, err
	}
	buf := &memWriterAt{b: make([]byte, 0, p.size)}
	if _, _, err := ix.writeDump(p, buf); err != nil {
		return nil, err
	}
	return buf.b, nil
}

// WriteDump writes the dump MarshalBinary returns to w, a section at a
// time, without holding it: at close, a registry of a million persons
// held its 345 MB dump beside the index it was made from. It returns the
// dump's length and its core checksum (DumpChecksum). Pages of a mapped
// snapshot the index still reads from are let go as they are written
// (shedEvery).
func (ix *Index) WriteDump(w WriterAt) (size int64, sum uint32, err error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if v := ix.fz; v != nil { // unchanged since the load: the same bytes
		for b := v.raw; len(b) > 0; {
			k := min(len(b), shedEvery)
			if _, err := w.Write(b[:k]); err != nil {
				return 0, 0, err
			}
			if b = b[k:]; v.shed != nil {
				v.shed()
			}
		}
		return int64(len(v.raw)), DumpChecksum(v.raw), nil
	}
	p, err := ix.planDump()
	if err != nil {
		return 0, 0, err
	}
	return ix.writeDump(p, w)
}

// dumpPlan is what a dump's layout depends on.
type dumpPlan struct {
	sorted                        []uint32 // the ids of the terms some doc has, in term order
	nDocs, nTerms, nPost, blobLen int
	size                          uint64
}

// planDump counts what the dump will hold; the caller holds a lock.
func (ix *Index) planDump() (dumpPlan, error) {
	// The dictionary keeps every term it was ever given (term ids are
	// never reused); a term no doc has any more is not written, so that
	// the words of an erased or renamed record do not outlive it in the
	// file.
	p := dumpPlan{sorted: make([]uint32, 0, len(ix.sorted)), nDocs: len(ix.docs)}
	for _, id := range ix.sorted {
		if len(ix.post[id]) > 0 {
			p.sorted = append(p.sorted, id)
		}
	}
	p.nTerms = len(p.sorted)
	for _, id := range p.sorted {
		p.blobLen += len(ix.terms[id])
	}
	for i := range ix.docs {
		d := &ix.docs[i]
		if d.live {
			p.blobLen += len(d.id) + len(d.title) + len(d.key) + len(d.kind)
		}
	}
	for _, l := range ix.post {
		p.nPost += len(l)
	}
	p.size = dumpSize(uint64(p.nDocs), uint64(p.nTerms), uint64(p.nPost), uint64(len(ix.order)), uint64(len(ix.free)), uint64(p.blobLen))
	if p.size > math.MaxUint32 || p.nTerms+strsPerDoc*p.nDocs >= math.MaxUint32 {
		return p, errDumpTooBig
	}
	return p, nil
}

// writeDump writes the dump of plan p in order, hashing each section into
// its part's checksum, then the header again with the checksums (the
// layout and the parts are described above). The caller holds a lock.
func (ix *Index) writeDump(p dumpPlan, w WriterAt) (int64, uint32, error) {
	dw := startDump(w, uint64(p.nDocs), uint64(p.nTerms), uint64(p.nPost), uint64(len(ix.order)), uint64(len(ix.free)), uint64(p.blobLen))
	if v := ix.lent; v != nil && v.shed != nil {
		dw.shed = v.shed // the lists read from a mapping come in as they are written
	}
	core, docPart := dw.core, dw.docs

	dw.part(core)
	off := uint32(0)
	dw.u32(0)
	for _, id := range p.sorted {
		off += uint32(len(ix.terms[id]))
		dw.u32(off)
	}
	dw.part(docPart)
	for i := range ix.docs {
		d := &ix.docs[i]
		if !d.live { // a removed doc is all zero; write nothing of it
			for range strsPerDoc {
				dw.u32(off)
			}
			continue
		}
		for _, s := range []string{d.id, d.title, d.key, string(d.kind)} {
			off += uint32(len(s))
			dw.u32(off)
		}
	}
	dw.part(core)
	start := uint32(0)
	dw.u32(0)
	for _, id := range p.sorted {
		start += uint32(len(ix.post[id]))
		dw.u32(start)
	}
	for _, id := range p.sorted {
		for _, n := range ix.post[id] {
			dw.u32(n)
		}
	}
	// Each doc's terms, renumbered like the postings.
	rank := make([]uint32, len(ix.terms))
	for i, id := range p.sorted {
		rank[id] = uint32(i)
	}
	start = 0
	dw.u32(0)
	for i := range ix.docs {
		if ix.docs[i].live {
			start += uint32(len(ix.docs[i].terms))
		}
		dw.u32(start)
	}
	if int(start) != p.nPost {
		return 0, 0, errDisagree
	}
	for i := range ix.docs {
		if d := &ix.docs[i]; d.live {
			for _, t := range d.terms {
				dw.u32(rank[t])
			}
		}
	}
	for _, n := range ix.order {
		dw.u32(n)
	}
	for _, n := range ix.free {
		dw.u32(n)
	}
	for i := range ix.docs {
		var f byte
		if ix.docs[i].live {
			f = docFlagLive
			if ix.docs[i].trashed {
				f |= docFlagTrash
			}
		}
		dw.byte(f)
	}
	for _, id := range p.sorted {
		dw.str(ix.terms[id])
	}
	dw.part(docPart)
	for i := range ix.docs {
		if d := &ix.docs[i]; d.live {
			dw.str(d.id)
			dw.str(d.title)
			dw.str(d.key)
			dw.str(string(d.kind))
		}
	}
	return dw.finish(p.size)
}

// dumpSize is the length of a dump of these counts.
func dumpSize(nDocs, nTerms, nPost, nOrder, nFree, blobLen uint64) uint64 {
	nStrs := nTerms + strsPerDoc*nDocs
	return dumpHeader + 4*(nStrs+1) + 4*(nTerms+1) + 4*nPost + 4*(nDocs+1) + 4*nPost + 4*nOrder + 4*nFree + nDocs + blobLen
}
