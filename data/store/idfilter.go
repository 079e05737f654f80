package store

import (
	"math/bits"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"
)

// idFilter is a Bloom filter of record IDs: "no" is certain, "maybe" is
// wrong about one time in a thousand at two million IDs. A bulk job, whose
// index is let go of, keeps one of every record stored when it began and
// every record it writes, so that an ID it has never seen is known to be
// stored under no kind without asking Badger seven times, once a kind (a
// whole registry merged: 1,000,000 new records, 7 million lookups of keys
// that are not there, a fifth of the merge's CPU). Its bits are set and
// read atomically: a step's writer adds while a merge plans its next batch.
type idFilter struct {
	words []atomic.Uint64
	mask  uint64 // number of bits - 1 (a power of two)
}

// idFilterHashes is how many bits an ID sets.
const idFilterHashes = 6

// newIDFilter makes a filter for about n IDs and as many again: 32 bits an
// ID, at least 32 Mbit (4 MB), a power of two.
func newIDFilter(n int) *idFilter {
	nbits := uint64(32) << 20
	if want := uint64(max(n, 1)) * 32; want > nbits {
		nbits = 1 << bits.Len64(want-1)
	}
	return &idFilter{words: make([]atomic.Uint64, nbits/64), mask: nbits - 1}
}

// positions calls fn with the bits of id (double hashing of one xxHash).
func (f *idFilter) positions(id string, fn func(bit uint64) bool) bool {
	h := xxhash.Sum64String(id)
	a, b := h, (h>>33)|(h<<31)|1
	for i := uint64(0); i < idFilterHashes; i++ {
		if !fn((a + i*b) & f.mask) {
			return false
		}
	}
	return true
}

func (f *idFilter) add(id string) {
	f.positions(id, func(bit uint64) bool {
		f.words[bit/64].Or(1 << (bit % 64))
		return true
	})
}

// mayHave is false only for an ID never added.
func (f *idFilter) mayHave(id string) bool {
	return f.positions(id, func(bit uint64) bool {
		return f.words[bit/64].Load()&(1<<(bit%64)) != 0
	})
}
