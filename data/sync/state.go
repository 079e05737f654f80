package sync

import (
	"encoding/json"
	"errors"
	"sort"
	"time"

	"registar/data/store"
)

// Settings where a registry keeps its place in the folder.
const (
	settingWritten = "sync_written"
	settingMerged  = "sync_merged"
)

// written is where this laptop's files end: the sequence of its last file
// and the store's mark at that moment (see store.Changes).
type written struct {
	Laptop string    `json:"laptop"` // the ID the files were written under
	Seq    uint64    `json:"seq"`
	Mark   string    `json:"mark"`
	At     time.Time `json:"at"` // when the last file was written
}

// peerState is what this laptop has merged of another laptop's files.
type peerState struct {
	Name string `json:"name,omitempty"`
	// Merged are the sequences merged, as sorted, disjoint ranges.
	Merged ranges `json:"merged"`
	// Heard is the creation time of the newest file merged, by the other
	// laptop's clock, never later than MergedAt.
	Heard time.Time `json:"heard,omitzero"`
	// MergedAt is when a file of it was last merged, by this laptop's clock.
	MergedAt time.Time `json:"merged_at,omitzero"`
}

func loadWritten(st *store.Store) (written, error) {
	var w written
	b, err := st.Setting(settingWritten)
	if errors.Is(err, store.ErrNotFound) {
		return w, nil
	}
	if err != nil {
		return w, err
	}
	if json.Unmarshal(b, &w) != nil {
		return written{}, nil // damaged: the next file carries everything, which is safe
	}
	return w, nil
}

func saveWritten(st *store.Store, w written) error {
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return st.SetSetting(settingWritten, b)
}

func loadMerged(st *store.Store) (map[string]*peerState, error) {
	m := map[string]*peerState{}
	b, err := st.Setting(settingMerged)
	if errors.Is(err, store.ErrNotFound) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if json.Unmarshal(b, &m) != nil {
		return map[string]*peerState{}, nil // damaged: files are merged again, which is idempotent
	}
	for id, p := range m {
		if p == nil {
			delete(m, id)
		}
	}
	return m, nil
}

func saveMerged(st *store.Store, m map[string]*peerState) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return st.SetSetting(settingMerged, b)
}

// ranges is a set of sequence numbers as sorted, disjoint, non-adjacent
// [first, last] pairs: a laptop's files merged here stay a few pairs however
// many there are, gaps included.
type ranges [][2]uint64

func (r ranges) has(n uint64) bool {
	i := sort.Search(len(r), func(i int) bool { return r[i][1] >= n })
	return i < len(r) && r[i][0] <= n
}

func (r ranges) add(n uint64) ranges {
	if r.has(n) {
		return r
	}
	out := append(r[:len(r):len(r)], [2]uint64{n, n})
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	merged := out[:1]
	for _, p := range out[1:] {
		last := &merged[len(merged)-1]
		if p[0] <= last[1]+1 {
			last[1] = max(last[1], p[1])
			continue
		}
		merged = append(merged, p)
	}
	return merged
}
