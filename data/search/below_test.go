package search

import "testing"

func TestBelow(t *testing.T) {
	for _, c := range []struct {
		s    []uint32
		n    uint64
		want bool
	}{
		{nil, 0, true},
		{[]uint32{}, 5, true},
		{[]uint32{0}, 0, false},
		{[]uint32{4}, 5, true},
		{[]uint32{5}, 5, false},
		{[]uint32{1, 2, 3, 4, 9}, 9, false}, // the tail after the blocks of four
		{[]uint32{1, 2, 3, 4, 8}, 9, true},
		{[]uint32{1, 2, 9, 4, 8, 1, 1, 1}, 9, false}, // inside a block
		{[]uint32{1, 2, 3, 4, 5, 6, 7, 8}, 9, true},
	} {
		if got := below(c.s, c.n); got != c.want {
			t.Errorf("below(%v, %d) = %v", c.s, c.n, got)
		}
	}
}
