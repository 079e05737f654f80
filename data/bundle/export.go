package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"registar/data/store"
)

// ExportOptions say which changes a bundle carries.
type ExportOptions struct {
	// Since: the changes made after this moment. Zero: since the last bundle
	// made for To, or the whole registry.
	Since time.Time
	// To is the laptop the bundle is for, by ID or by name (a laptop is
	// known by name once one of its bundles was merged here). After
	// ExportFile (or MarkSent) the next bundle for it starts where this one
	// ends. A bundle that never arrived is no harm: export with a Since
	// before it, or everything; merging is idempotent.
	To string
	// Passphrase seals the bundle when not empty. It must not be empty for
	// an encrypted registry (ErrPlainFromEncrypted).
	Passphrase string

	kdfMemKiB uint32 // tests
	now       func() time.Time
}

// Export writes a bundle of the registry's changes to w. It does not yet
// remember it as sent to opt.To: call MarkSent once the file is safely
// written (ExportFile does both).
func Export(st *store.Store, w io.Writer, opt ExportOptions) (Info, error) {
	if opt.Passphrase == "" && st.Encrypted() {
		return Info{}, ErrPlainFromEncrypted
	}
	b, err := collect(st, opt)
	if err != nil {
		return Info{}, err
	}
	if err := write(w, b, opt.Passphrase, opt.kdfMemKiB); err != nil {
		return Info{}, err
	}
	return b.Info, nil
}

// collect gathers the records and tombstones of a bundle.
func collect(st *store.Store, opt ExportOptions) (*Bundle, error) {
	me, err := st.LaptopID()
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opt.now != nil {
		now = opt.now
	}
	info := Info{Laptop: me, LaptopName: st.LaptopName(), Created: now().UTC()}
	mark, sent := "", ""
	if opt.To != "" {
		p, err := findPeer(st, opt.To)
		if err != nil {
			return nil, err
		}
		if p.ID == me {
			return nil, fmt.Errorf("%q: %w", opt.To, ErrOwnBundle)
		}
		info.To, mark, sent = p.ID, p.SentMark, p.SentMark
		info.Since = store.MarkTime(mark)
	}
	if !opt.Since.IsZero() {
		info.Since, mark = opt.Since.UTC(), store.MarkAt(opt.Since)
	}
	recs, tombs, end, err := st.Changes(mark, true)
	if err != nil {
		return nil, err
	}
	// The next bundle for To may start at the end of this one only if this
	// one leaves no gap after the last: a --since later than that would.
	if mark == "" || (sent != "" && mark <= sent) {
		info.end = end
	}
	return &Bundle{Info: info, Records: recs, Tombstones: tombs}, nil
}

// ExportFile writes a bundle to path, through a temporary file so that a
// failed export never leaves a file that looks whole, then remembers it as
// sent to opt.To.
func ExportFile(st *store.Store, path string, opt ExportOptions) (Info, error) {
	var info Info
	// A bundle carries people's data as a backup does: the owner's alone.
	err := store.WriteFileAtomically(path, 0o600, func(w io.Writer) (err error) {
		info, err = Export(st, w, opt)
		return err
	})
	if err != nil {
		return Info{}, err
	}
	return info, MarkSent(st, info)
}

// MarkSent remembers that the bundle described by info was made for
// info.To, so the next bundle for that laptop starts where it ends.
func MarkSent(st *store.Store, info Info) error {
	if info.To == "" || info.end == "" {
		return nil
	}
	return updatePeers(st, func(peers map[string]*Peer) {
		p := peers[info.To]
		if p == nil {
			p = &Peer{ID: info.To}
			peers[info.To] = p
		}
		p.SentMark, p.Sent = info.end, info.Created
	})
}

// Peer is another laptop this one exchanges bundles with.
type Peer struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Sent is when the last bundle for it was made; SentMark where it ended.
	Sent     time.Time `json:"sent,omitzero"`
	SentMark string    `json:"sent_mark,omitempty"`
	// Merged is when a bundle of it was last merged here, and that bundle's time.
	Merged       time.Time `json:"merged,omitzero"`
	MergedBundle time.Time `json:"merged_bundle,omitzero"`
}

const settingPeers = "bundle_peers"

// Peers lists the laptops this one has exchanged bundles with, by name.
func Peers(st *store.Store) ([]Peer, error) {
	m, err := loadPeers(st)
	if err != nil {
		return nil, err
	}
	out := make([]Peer, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func loadPeers(st *store.Store) (map[string]*Peer, error) {
	m := map[string]*Peer{}
	b, err := st.Setting(settingPeers)
	if errors.Is(err, store.ErrNotFound) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return map[string]*Peer{}, nil // a damaged list only costs a full export
	}
	return m, nil
}

func updatePeers(st *store.Store, fn func(map[string]*Peer)) error {
	m, err := loadPeers(st)
	if err != nil {
		return err
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return st.SetSetting(settingPeers, b)
}

var laptopIDPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// findPeer finds a laptop by ID or name; a well-formed ID not met yet is a
// new peer (its first bundle carries everything).
func findPeer(st *store.Store, to string) (Peer, error) {
	peers, err := loadPeers(st)
	if err != nil {
		return Peer{}, err
	}
	to = strings.TrimSpace(to)
	if p, ok := peers[strings.ToLower(to)]; ok {
		return *p, nil
	}
	var found []Peer
	for _, p := range peers {
		if strings.EqualFold(p.Name, to) {
			found = append(found, *p)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	if laptopIDPattern.MatchString(strings.ToLower(to)) {
		return Peer{ID: strings.ToLower(to)}, nil
	}
	return Peer{}, fmt.Errorf("%q: %w", to, ErrUnknownLaptop)
}
