package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"registar/data"
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
	// Progress, if not nil, is called as records are written: done of
	// about total (the registry's count, known before the records are read).
	Progress func(done, total int)

	kdfMemKiB uint32 // tests
	now       func() time.Time
}

// Export writes a bundle of the registry's changes to w. It does not yet
// remember it as sent to opt.To: call MarkSent once the file is safely
// written (ExportFile does both). A bundle of a whole big registry (a new
// laptop catching up) is streamed from the store record by record; one of
// the changes since a moment, or of a registry of up to streamAbove
// records, is gathered first.
func Export(st *store.Store, w io.Writer, opt ExportOptions) (Info, error) {
	if opt.Passphrase == "" && st.Encrypted() {
		return Info{}, ErrPlainFromEncrypted
	}
	info, mark, sent, err := exportInfo(st, opt)
	if err != nil {
		return Info{}, err
	}
	if mark == "" && registrySize(st) > streamAbove {
		err = writeStreamed(w, &info, opt.Passphrase, opt.kdfMemKiB, func(cw *contentWriter) error {
			end, err := streamAll(st, cw, opt.Progress)
			info.end = end
			return err
		})
		if err != nil {
			return Info{}, err
		}
		return info, nil
	}
	recs, tombs, end, err := st.Changes(mark, true)
	if err != nil {
		return Info{}, err
	}
	// The next bundle for To may start at the end of this one only if this
	// one leaves no gap after the last: a --since later than that would.
	if mark == "" || (sent != "" && mark <= sent) {
		info.end = end
	}
	b := &Bundle{Info: info, Records: recs, Tombstones: tombs}
	if err := write(w, b, opt.Passphrase, opt.kdfMemKiB); err != nil {
		return Info{}, err
	}
	return b.Info, nil
}

// streamAbove is the size of registry (records, as its index counts them)
// above which a bundle of all of it is streamed (writeStreamed) rather than
// gathered in memory first: up to it, gathering costs less than the spool.
var streamAbove = 50000 // a variable for the tests

func registrySize(st *store.Store) int {
	n := 0
	for _, c := range st.Counts() {
		n += c
	}
	return n
}

// exportInfo says who makes the bundle for whom, and from which mark ("":
// the whole registry; sent: where the last bundle for To ended).
func exportInfo(st *store.Store, opt ExportOptions) (info Info, mark, sent string, err error) {
	me, err := st.LaptopID()
	if err != nil {
		return Info{}, "", "", err
	}
	now := time.Now
	if opt.now != nil {
		now = opt.now
	}
	info = Info{Laptop: me, LaptopName: st.LaptopName(), Created: now().UTC()}
	if opt.To != "" {
		p, err := findPeer(st, opt.To)
		if err != nil {
			return Info{}, "", "", err
		}
		if p.ID == me {
			return Info{}, "", "", fmt.Errorf("%q: %w", opt.To, ErrOwnBundle)
		}
		info.To, mark, sent = p.ID, p.SentMark, p.SentMark
		info.Since = store.MarkTime(mark)
	}
	if !opt.Since.IsZero() {
		info.Since, mark = opt.Since.UTC(), store.MarkAt(opt.Since)
	}
	return info, mark, sent, nil
}

// collect gathers the records and tombstones of a bundle in memory (tests
// compare the streamed bundle with it).
func collect(st *store.Store, opt ExportOptions) (*Bundle, error) {
	info, mark, sent, err := exportInfo(st, opt)
	if err != nil {
		return nil, err
	}
	recs, tombs, end, err := st.Changes(mark, true)
	if err != nil {
		return nil, err
	}
	if mark == "" || (sent != "" && mark <= sent) {
		info.end = end
	}
	return &Bundle{Info: info, Records: recs, Tombstones: tombs}, nil
}

// exportOrder is the order a whole registry is streamed in: the records
// others link to come first (home localities, then persons, whom
// organisations and businesses link to, then activities, which link to
// organisations, then their participations), so that a merge in batches
// finds every link already written.
var exportOrder = []data.Kind{data.KindLocality, data.KindPerson, data.KindOrganisation, data.KindBusiness, data.KindActivity, data.KindParticipation, data.KindCommunication}

// afterEverything is a mark after every audit entry: the changes after it
// are none, and Changes then only says where the log ends.
var afterEverything = store.MarkAt(time.Unix(0, math.MaxInt64))

// streamAll writes every record of the registry (trashed ones too, each
// with its effective version vector) and every tombstone, as Changes("")
// gives them, without holding them in memory: what a record links to is
// written too, also when it was saved while the kinds were read one after
// another. end is where the log ended before the first read, so anything
// written meanwhile comes again in the next bundle.
func streamAll(st *store.Store, cw *contentWriter, progress func(done, total int)) (end string, err error) {
	if _, _, end, err = st.Changes(afterEverything, false); err != nil {
		return "", err
	}
	total := 0
	if progress != nil {
		for _, n := range st.Counts() {
			total += n
		}
	}
	seen := newIDSet()
	links := map[string]bool{} // linked to, and not yet written when seen
	add := func(r data.Record) error {
		m := r.Base()
		if !seen.add(m.ID) {
			return nil
		}
		delete(links, m.ID)
		var err error
		if m.VV, err = st.EffectiveVV(m); err != nil {
			return err
		}
		for _, l := range r.Links() {
			if !seen.has(l.ID) {
				links[l.ID] = true
			}
		}
		if progress != nil && cw.records%1000 == 999 {
			progress(cw.records+1, max(total, cw.records+1))
		}
		return cw.record(r)
	}
	kinds := append([]data.Kind(nil), exportOrder...)
	for _, k := range data.AllKinds {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		if err := st.Each(k, add); err != nil {
			return "", err
		}
	}
	for len(links) > 0 { // the closure of links, as Changes makes it
		ids := make([]string, 0, len(links))
		for id := range links {
			if !seen.has(id) {
				ids = append(ids, id)
			}
		}
		clear(links)
		sort.Strings(ids)
		recs, err := st.Records(ids) // a link to a record erased or never here is left out
		if err != nil {
			return "", err
		}
		for _, r := range recs {
			if err := add(r); err != nil {
				return "", err
			}
		}
	}
	// The tombstones: every erasure has an audit entry.
	log, err := st.AuditLog(0)
	if err != nil {
		return "", err
	}
	var erased []string
	once := map[string]bool{}
	for _, e := range log {
		if e.Action == store.ActionErase && e.ID != "" && !once[e.ID] {
			once[e.ID] = true
			erased = append(erased, e.ID)
		}
	}
	log = nil
	if len(erased) == 0 {
		return end, nil
	}
	sort.Strings(erased)
	local, err := st.Lookup(erased)
	if err != nil {
		return "", err
	}
	for _, id := range erased {
		if t := local[id].Tombstone; t != nil {
			if err := cw.tombstone(*t); err != nil {
				return "", err
			}
		}
	}
	return end, nil
}

// idSet is a set of record IDs; a UUID takes 16 bytes in it, not a string.
type idSet struct {
	uuids  map[[16]byte]struct{}
	others map[string]struct{}
}

func newIDSet() *idSet {
	return &idSet{uuids: map[[16]byte]struct{}{}, others: map[string]struct{}{}}
}

// add adds id and reports whether it was new.
func (s *idSet) add(id string) bool {
	if u, err := uuid.Parse(id); err == nil && u.String() == id {
		if _, ok := s.uuids[u]; ok {
			return false
		}
		s.uuids[u] = struct{}{}
		return true
	}
	if _, ok := s.others[id]; ok {
		return false
	}
	s.others[id] = struct{}{}
	return true
}

func (s *idSet) has(id string) bool {
	if u, err := uuid.Parse(id); err == nil && u.String() == id {
		_, ok := s.uuids[u]
		return ok
	}
	_, ok := s.others[id]
	return ok
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
