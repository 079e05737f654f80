package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"runtime"
	"strings"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// A DumpBuilder writes the dump of an index straight from docs handed to it
// in batches, without building the index: what the store does when it
// rebuilds the index from the records (after a restore, a damaged or an
// older snapshot). PutAll of a million persons, then MarshalBinary, held
// every Doc, the index's records, its postings and the dump at once: 2.9 GB
// at its peak. A builder keeps a batch's docs only while it folds them, and
// of each doc only what the dump holds, in compact arrays that grow in
// chunks (a 100 MB slice grown by append is copied, both copies live): its
// doc numbers, folded-term numbers and strings. The dump is then written
// section by section, its checksums computed on the way.
//
// The dump is byte for byte the one MarshalBinary writes for an index that
// PutAll filled with the same docs in the same order (at least 16 of them;
// fewer are put one by one, which orders a doc's terms otherwise), so that
// LoadInPlace answers from it exactly as from a saved snapshot.
type DumpBuilder struct {
	dict  map[string]uint32 // term → id, in order of first sight
	terms []string          // id → term

	termEnd []uint32  // doc n's terms are dterms[termEnd[n-1]:termEnd[n]]
	dterms  u32Chunks // every doc's term ids, one doc after the other
	strEnd  []uint32  // 4 a doc: where its ID, title, key and kind end in blob
	blob    byteChunks
	key8    []uint64
	flags   []byte // docFlagLive, docFlagTrash; 0 once a later doc took its ID

	byID map[uint64]uint32 // the ID's hash → doc number, to find a repeated ID
	free []uint32          // doc numbers a later doc with the same ID replaced
	live int
	lay  *dumpLayout // once sized; Add drops it
}

// dumpLayout is what the dump's sizes depend on (see layout).
type dumpLayout struct {
	order          []uint32 // live doc numbers in title order
	rank           []uint32 // term id → its number in term order (MaxUint32: left out)
	nTerms         int
	nPost, blobLen uint64
}

// NewDumpBuilder returns an empty builder.
func NewDumpBuilder() *DumpBuilder {
	return &DumpBuilder{dict: map[string]uint32{}, byID: map[uint64]uint32{}}
}

// Len is the number of docs added, a later doc with an earlier one's ID
// counted once.
func (b *DumpBuilder) Len() int { return b.live }

// Add folds a batch of docs on every core and adds them after the docs
// added before. A doc with the ID of an earlier one replaces it, as with
// PutAll. Add keeps nothing of docs.
func (b *DumpBuilder) Add(docs []Doc) {
	if len(docs) == 0 {
		return
	}
	b.lay = nil
	if b.dict == nil { // sized already (layout): more docs after all
		b.dict = make(map[string]uint32, len(b.terms))
		for id, t := range b.terms {
			b.dict[t] = uint32(id)
		}
		b.byID = make(map[uint64]uint32, b.live)
		for n, f := range b.flags {
			if f != 0 {
				b.byID[xxhash.Sum64String(b.docStr(uint32(n), 0))] = uint32(n)
			}
		}
	}
	recs := make([]docRec, len(docs))
	ws := make([]*worker, min(runtime.GOMAXPROCS(0), 8, len(docs)/1024+1))
	// prepareAll, without sorting each worker's dictionary: the batch is
	// merged through the builder's map.
	done := make(chan struct{}, len(ws))
	for i := range ws {
		lo, hi := i*len(docs)/len(ws), (i+1)*len(docs)/len(ws)
		w := &worker{docs: docs[lo:hi], recs: recs[lo:hi]}
		ws[i] = w
		go func() { w.fold(); done <- struct{}{} }()
	}
	for range ws {
		<-done
	}
	for _, w := range ws {
		b.merge(w)
	}
}

// merge takes a folded worker's docs, in order.
func (b *DumpBuilder) merge(w *worker) {
	remap := make([]uint32, len(w.strs))
	for i, t := range w.strs {
		id, ok := b.dict[t]
		if !ok {
			id = uint32(len(b.terms))
			t = strings.Clone(t) // not a piece of a doc's text, which would stay with it
			b.terms = append(b.terms, t)
			b.dict[t] = id
		}
		remap[i] = id
	}
	for i := range w.recs {
		r := &w.recs[i]
		n := uint32(len(b.flags))
		h := xxhash.Sum64String(r.id)
		// (Two IDs with one 64-bit hash: the map keeps the later, and a
		// repeat of the earlier would go unnoticed. The store's IDs are
		// unique anyway, by their keys.)
		if old, dup := b.byID[h]; dup && b.docStr(old, 0) == r.id {
			b.flags[old] = 0 // the later one wins
			b.free = append(b.free, old)
			b.live--
		}
		b.byID[h] = n
		b.live++
		for _, t := range w.flat[w.off[i]:w.off[i+1]] {
			b.dterms.append(remap[t])
		}
		b.termEnd = append(b.termEnd, uint32(b.dterms.n))
		for _, s := range [strsPerDoc]string{r.id, r.title, r.key, string(r.kind)} {
			b.blob.appendString(s)
			b.strEnd = append(b.strEnd, uint32(b.blob.n))
		}
		b.key8 = append(b.key8, r.key8)
		f := byte(docFlagLive)
		if r.trashed {
			f |= docFlagTrash
		}
		b.flags = append(b.flags, f)
	}
}

// docStr is string k (0 ID, 1 title, 2 key, 3 kind) of doc n.
func (b *DumpBuilder) docStr(n uint32, k int) string {
	i := strsPerDoc*int(n) + k
	lo := uint32(0)
	if i > 0 {
		lo = b.strEnd[i-1]
	}
	return b.blob.str(int(lo), int(b.strEnd[i]))
}

// layout is what the dump's sizes depend on, computed once the last doc is
// in: the terms some live doc has, in term order, and the title order.
func (b *DumpBuilder) layout() (order []uint32, rank []uint32, nTerms int, nPost, blobLen uint64) {
	if l := b.lay; l != nil {
		return l.order, l.rank, l.nTerms, l.nPost, l.blobLen
	}
	// No more docs come once the sizes are asked for (Add makes the maps
	// again if they do): the maps go, before the writing needs room.
	b.dict, b.byID = nil, nil
	order = make([]uint32, 0, b.live)
	for n, f := range b.flags {
		if f != 0 {
			order = append(order, uint32(n))
		}
	}
	sortTitles(order, func(n uint32) uint64 { return b.key8[n] },
		func(n uint32) (string, string) { return b.docStr(n, 2), b.docStr(n, 0) })
	// Terms in term order; a term only replaced docs had is left out, as
	// MarshalBinary leaves out a term without postings.
	used := make([]bool, len(b.terms))
	scratch := make([]uint32, 0, 64)
	for n, f := range b.flags {
		if f == 0 {
			continue
		}
		ts := b.docTerms(uint32(n), &scratch)
		nPost += uint64(len(ts))
		for _, t := range ts {
			used[t] = true
		}
	}
	items := make([]kv, 0, len(b.terms))
	for id, t := range b.terms {
		if used[id] {
			items = append(items, kv{prefix8(t), uint32(id)})
		}
	}
	used = nil
	items = sortByPrefix(items, func(x, y uint32) int { return strings.Compare(b.terms[x], b.terms[y]) })
	rank = make([]uint32, len(b.terms))
	for i := range rank {
		rank[i] = math.MaxUint32
	}
	for i, it := range items {
		rank[it.n] = uint32(i)
		blobLen += uint64(len(b.terms[it.n]))
	}
	for n, f := range b.flags {
		if f != 0 {
			blobLen += uint64(b.strEnd[strsPerDoc*n+strsPerDoc-1] - b.docStart(uint32(n)))
		}
	}
	b.lay = &dumpLayout{order: order, rank: rank, nTerms: len(items), nPost: nPost, blobLen: blobLen}
	return order, rank, len(items), nPost, blobLen
}

// docStart is where doc n's strings start in blob.
func (b *DumpBuilder) docStart(n uint32) uint32 {
	if n == 0 {
		return 0
	}
	return b.strEnd[strsPerDoc*int(n)-1]
}

// docTerms returns doc n's term ids, in place or copied into scratch.
func (b *DumpBuilder) docTerms(n uint32, scratch *[]uint32) []uint32 {
	lo := uint32(0)
	if n > 0 {
		lo = b.termEnd[n-1]
	}
	return b.dterms.slice(int(lo), int(b.termEnd[n]), scratch)
}

// Size is the length of the dump WriteDump will write.
func (b *DumpBuilder) Size() int64 {
	order, _, nTerms, nPost, blobLen := b.layout()
	return int64(dumpSize(uint64(len(b.flags)), uint64(nTerms), nPost, uint64(len(order)), uint64(len(b.free)), blobLen))
}

// errDumpTooBig: the dump's numbers are 32 bits.
var errDumpTooBig = errors.New("search: index too big to dump")

// Dump returns the dump in memory.
func (b *DumpBuilder) Dump() ([]byte, error) {
	buf := &memWriterAt{b: make([]byte, 0, b.Size())}
	if _, _, err := b.WriteDump(buf); err != nil {
		return nil, err
	}
	return buf.b, nil
}

// WriterAt is where WriteDump writes: the dump goes out in order, then its
// header is written again with the checksums.
type WriterAt interface {
	io.Writer
	io.WriterAt
}

// WriteDump writes the dump to w, which it does not close. It returns the
// dump's length and its core checksum (DumpChecksum).
func (b *DumpBuilder) WriteDump(w WriterAt) (size int64, sum uint32, err error) {
	order, rank, nTerms, nPost, blobLen := b.layout()
	nDocs := len(b.flags)
	total := dumpSize(uint64(nDocs), uint64(nTerms), nPost, uint64(len(order)), uint64(len(b.free)), blobLen)
	if total > math.MaxUint32 || uint64(nTerms)+strsPerDoc*uint64(nDocs) >= math.MaxUint32 {
		return 0, 0, errDumpTooBig
	}
	byRank := make([]uint32, nTerms)
	for id, r := range rank {
		if r != math.MaxUint32 {
			byRank[r] = uint32(id)
		}
	}
	dw := startDump(w, uint64(nDocs), uint64(nTerms), nPost, uint64(len(order)), uint64(len(b.free)), blobLen)
	core, docs := dw.core, dw.docs

	// The string offsets: the terms', then 4 a doc (a replaced doc's all
	// the same: it has no strings).
	dw.part(core)
	off := uint32(0)
	dw.u32(0)
	for _, id := range byRank {
		off += uint32(len(b.terms[id]))
		dw.u32(off)
	}
	dw.part(docs)
	for n := range nDocs {
		for k := range strsPerDoc {
			if b.flags[n] != 0 {
				i := strsPerDoc*n + k
				lo := uint32(0)
				if i > 0 {
					lo = b.strEnd[i-1]
				}
				off += b.strEnd[i] - lo
			}
			dw.u32(off)
		}
	}
	dw.part(core)

	// Postings: counted, then filled in doc order, each list sorted.
	start := make([]uint32, nTerms+1)
	scratch := make([]uint32, 0, 64)
	for n, f := range b.flags {
		if f != 0 {
			for _, t := range b.docTerms(uint32(n), &scratch) {
				start[rank[t]+1]++
			}
		}
	}
	for t := 1; t <= nTerms; t++ {
		start[t] += start[t-1]
	}
	for _, v := range start {
		dw.u32(v)
	}
	b.writePostings(dw, start, rank, &scratch)
	start = nil

	// Each doc's terms, renumbered in term order.
	at := uint32(0)
	dw.u32(0)
	for n, f := range b.flags {
		if f != 0 {
			at += uint32(len(b.docTerms(uint32(n), &scratch)))
		}
		dw.u32(at)
	}
	for n, f := range b.flags {
		if f != 0 {
			for _, t := range b.docTerms(uint32(n), &scratch) {
				dw.u32(rank[t])
			}
		}
	}
	for _, n := range order {
		dw.u32(n)
	}
	for _, n := range b.free {
		dw.u32(n)
	}
	for _, f := range b.flags {
		dw.byte(f)
	}
	for _, id := range byRank {
		dw.str(b.terms[id])
	}
	dw.part(docs)
	if len(b.free) == 0 {
		b.blob.each(0, b.blob.n, dw.bytes)
	} else {
		for n, f := range b.flags {
			if f != 0 {
				b.blob.each(int(b.docStart(uint32(n))), int(b.strEnd[strsPerDoc*n+strsPerDoc-1]), dw.bytes)
			}
		}
	}
	return dw.finish(total)
}

// postingsBatch bounds the postings held at once while they are written: a
// pass over every doc's terms fills the lists of the terms that fit, a
// range of terms at a time (1M persons have 25M postings: 100 MB).
const postingsBatch = 8 << 20

// writePostings writes every term's list of docs, in term order. start[t]
// is where term t's list starts.
func (b *DumpBuilder) writePostings(dw *dumpWriter, start, rank []uint32, scratch *[]uint32) {
	nTerms := len(start) - 1
	var fill []uint32
	for lo := 0; lo < nTerms; {
		// The terms [lo, hi) whose lists fit in one batch (at least one).
		hi := lo + 1
		for hi < nTerms && start[hi+1]-start[lo] <= postingsBatch {
			hi++
		}
		base, size := start[lo], start[hi]-start[lo]
		if cap(fill) < int(size) {
			fill = make([]uint32, size)
		}
		buf := fill[:size]
		pos := make([]uint32, hi-lo)
		copy(pos, start[lo:hi])
		for n, f := range b.flags {
			if f == 0 {
				continue
			}
			for _, t := range b.docTerms(uint32(n), scratch) {
				if r := int(rank[t]); r >= lo && r < hi {
					buf[pos[r-lo]-base] = uint32(n)
					pos[r-lo]++
				}
			}
		}
		for _, n := range buf {
			dw.u32(n)
		}
		lo = hi
	}
}

// dumpWriter writes a dump in order, hashing each section into the
// checksum of its part.
type dumpWriter struct {
	to  WriterAt
	w   *bufio.Writer
	h   *xxhash.Digest // the part being written, nil for the header
	buf []byte
	n   int64
	err error
	// header, with the counts, written first and again with the checksums
	// of the core and doc parts at the end (finish).
	header     [dumpHeader]byte
	core, docs *xxhash.Digest
	// every shedEvery bytes written, shed runs (when set): the index lets
	// go of the pages of a mapped snapshot it reads its lists from.
	shed     func()
	lastShed int64
}

// startDump writes the header of a dump of these counts (nDocs, nTerms,
// nPost, nOrder, nFree, blobLen) to w; the sections follow, each in its
// part (dw.part(dw.core) or dw.part(dw.docs)), and finish ends it.
func startDump(w WriterAt, counts ...uint64) *dumpWriter {
	dw := &dumpWriter{to: w, w: bufio.NewWriterSize(w, 1<<20), buf: make([]byte, 0, 64<<10),
		core: xxhash.New(), docs: xxhash.New()}
	dw.header[0] = DumpFormat
	for i, v := range counts {
		binary.LittleEndian.PutUint32(dw.header[4+4*i:], uint32(v))
	}
	dw.part(nil)
	dw.bytes(dw.header[:])
	return dw
}

// finish flushes the dump, checks that it is size bytes long and writes
// the header again with the checksums. It returns the dump's length and
// its core checksum (DumpChecksum).
func (d *dumpWriter) finish(size uint64) (int64, uint32, error) {
	d.part(nil)
	if err := d.flush(); err != nil {
		return 0, 0, err
	}
	if d.n != int64(size) {
		return 0, 0, errors.New("search: index dump miscounted")
	}
	sum := uint32(d.core.Sum64())
	binary.LittleEndian.PutUint32(d.header[coreSumAt:], sum)
	binary.LittleEndian.PutUint32(d.header[docSumAt:], uint32(d.docs.Sum64()))
	if _, err := d.to.WriteAt(d.header[:], 0); err != nil {
		return 0, 0, err
	}
	return d.n, sum, nil
}

func (d *dumpWriter) part(h *xxhash.Digest) {
	d.drain()
	d.h = h
}

func (d *dumpWriter) drain() {
	if len(d.buf) == 0 {
		return
	}
	d.out(d.buf)
	d.buf = d.buf[:0]
}

func (d *dumpWriter) out(p []byte) {
	if d.h != nil {
		d.h.Write(p)
	}
	if d.err == nil {
		_, d.err = d.w.Write(p)
	}
	d.n += int64(len(p))
	if d.shed != nil && d.n-d.lastShed >= int64(shedEvery) {
		d.shed()
		d.lastShed = d.n
	}
}

func (d *dumpWriter) u32(v uint32) {
	if len(d.buf)+4 > cap(d.buf) {
		d.drain()
	}
	d.buf = binary.LittleEndian.AppendUint32(d.buf, v)
}

func (d *dumpWriter) byte(v byte) {
	if len(d.buf)+1 > cap(d.buf) {
		d.drain()
	}
	d.buf = append(d.buf, v)
}

func (d *dumpWriter) bytes(p []byte) {
	if len(d.buf)+len(p) > cap(d.buf) {
		d.drain()
		if len(p) > cap(d.buf) {
			d.out(p)
			return
		}
	}
	d.buf = append(d.buf, p...)
}

// str writes s without copying it to a byte slice first.
func (d *dumpWriter) str(s string) {
	d.bytes(unsafe.Slice(unsafe.StringData(s), len(s)))
}

func (d *dumpWriter) flush() error {
	d.drain()
	if d.err != nil {
		return d.err
	}
	return d.w.Flush()
}

// memWriterAt is a WriterAt over memory.
type memWriterAt struct{ b []byte }

func (m *memWriterAt) Write(p []byte) (int, error) {
	m.b = append(m.b, p...)
	return len(p), nil
}

func (m *memWriterAt) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m.b)) {
		return 0, errors.New("search: write past the dump's end")
	}
	return copy(m.b[off:], p), nil
}

// chunkBits sizes the chunks of the builder's arrays: 1M numbers, 4 MB
// (tests make them tiny, so that docs straddle chunks).
var chunkBits = 20

// u32Chunks is an array of numbers that grows a chunk at a time.
type u32Chunks struct {
	c [][]uint32
	n int
}

func (a *u32Chunks) append(v uint32) {
	bits := chunkBits
	if a.n>>bits == len(a.c) {
		a.c = append(a.c, make([]uint32, 1<<bits))
	}
	a.c[a.n>>bits][a.n&(1<<bits-1)] = v
	a.n++
}

// slice is the numbers [lo, hi): in place, or copied into scratch when
// they straddle two chunks.
func (a *u32Chunks) slice(lo, hi int, scratch *[]uint32) []uint32 {
	if lo == hi {
		return nil
	}
	if c := lo >> chunkBits; c == (hi-1)>>chunkBits {
		o := lo & (1<<chunkBits - 1)
		return a.c[c][o : o+hi-lo]
	}
	s := (*scratch)[:0]
	for i := lo; i < hi; i++ {
		s = append(s, a.c[i>>chunkBits][i&(1<<chunkBits-1)])
	}
	*scratch = s
	return s
}

// byteChunks is an array of bytes that grows a chunk at a time.
type byteChunks struct {
	c [][]byte
	n int
}

func byteChunk() int { return 4 << chunkBits }

func (a *byteChunks) appendString(s string) {
	byteChunk := byteChunk()
	for len(s) > 0 {
		if a.n/byteChunk == len(a.c) {
			a.c = append(a.c, make([]byte, byteChunk))
		}
		k := copy(a.c[a.n/byteChunk][a.n%byteChunk:], s)
		s = s[k:]
		a.n += k
	}
}

// str is the bytes [lo, hi) as a string: in place, or copied when they
// straddle two chunks.
func (a *byteChunks) str(lo, hi int) string {
	byteChunk := byteChunk()
	if lo == hi {
		return ""
	}
	if c := lo / byteChunk; c == (hi-1)/byteChunk {
		p := a.c[c][lo%byteChunk : lo%byteChunk+hi-lo]
		return unsafe.String(&p[0], len(p))
	}
	out := make([]byte, 0, hi-lo)
	a.each(lo, hi, func(p []byte) { out = append(out, p...) })
	return string(out)
}

// each calls fn with the bytes [lo, hi), a chunk's share at a time.
func (a *byteChunks) each(lo, hi int, fn func([]byte)) {
	byteChunk := byteChunk()
	for lo < hi {
		c, o := lo/byteChunk, lo%byteChunk
		k := min(hi-lo, byteChunk-o)
		fn(a.c[c][o : o+k])
		lo += k
	}
}

// ShedPages lets the system take back the resident pages of the mapped
// snapshot file the index answers from (nothing for an index in memory):
// a long export or report that has its hits already reads records for
// minutes, and every page of the file a query touched would stay counted
// in its resident set. The next query maps back what it reads.
func (ix *Index) ShedPages() {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if v := ix.fz; v != nil && v.shed != nil {
		v.shed()
	}
	ix.shedLent()
}
