package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"registar/data"
	"registar/data/store"
)

// MergeOptions say how to merge.
type MergeOptions struct {
	// DryRun plans the merge and reports it without writing anything.
	DryRun bool
	// Progress, if not nil, is called as the step is written.
	Progress func(done, total int)
	// MemoryLimit is the Go heap's soft limit while a whole registry is
	// merged from its file (0: mergeMemoryLimit). The desktop app sets a
	// lower one: its window, fonts and renderer take some 120 MB of the
	// same gigabyte.
	MemoryLimit int64

	now func() time.Time // tests
}

// Item names one record in a report.
type Item struct {
	ID    string
	Kind  data.Kind
	Title string // empty for records erased here: nothing personal is kept of them
}

// Duplicate is a record a bundle adds that matches, by the import's rule
// (data.MatchKeys), a different record already here: offered for merging
// with MergeDuplicates.
type Duplicate struct {
	Kind data.Kind
	Keep Item     // the record already here (or added earlier by the same bundle)
	Drop Item     // the record the bundle adds
	Keys []string // the match keys they share
}

// Report says what a merge did, or in a dry run would do.
type Report struct {
	From   Info // whose bundle, made when
	DryRun bool
	// Added, Updated: records new here, and records the bundle had a
	// strictly newer version of.
	Added   []Item
	Updated []Item
	// AddedMore and UpdatedMore count the records added and updated
	// beyond the items Trim kept.
	AddedMore, UpdatedMore int
	// Unchanged counts the records the registry already had (or had newer).
	Unchanged int
	// Conflicts are records changed on both sides: the version here stays,
	// the bundle's is set aside until resolved (ListConflicts).
	Conflicts []Item
	// Erased are records erased here because they were erased there;
	// Tombstones counts erasures of records this registry never had.
	Erased     []Item
	Tombstones int
	// Ignored are versions of records erased here: the erase wins.
	Ignored []Item
	// Duplicates are records added that look like records already here.
	Duplicates []Duplicate
	// Step is the audit key of the merge step, for Store.Undo; "" when
	// nothing but erasures was written.
	Step string
	// Steps are, for a bundle merged in batches (MergeFile), every step
	// written, in order; Step is the last. Nil for a merge in one step.
	Steps []string
}

// Counts are the report's numbers by name, as the step's audit entry and
// the CLI give them.
func (r *Report) Counts() map[string]int {
	return map[string]int{"added": len(r.Added) + r.AddedMore, "updated": len(r.Updated) + r.UpdatedMore, "unchanged": r.Unchanged,
		"conflicts": len(r.Conflicts), "duplicates": len(r.Duplicates), "erased": len(r.Erased),
		"ignored": len(r.Ignored), "tombstones": r.Tombstones}
}

// Changed reports whether the merge changes (changed) anything.
func (r *Report) Changed() bool {
	return len(r.Added)+r.AddedMore+len(r.Updated)+r.UpdatedMore+len(r.Conflicts)+len(r.Erased)+r.Tombstones > 0
}

// Trim keeps the first n items of Added and Updated and counts the rest
// (AddedMore, UpdatedMore), for a report that is only shown: a new laptop
// catching up adds a whole registry, and the items of a million records
// (100 MB) stayed in the app's memory through the merge after the preview.
func (r *Report) Trim(n int) {
	if r == nil {
		return
	}
	trim := func(items []Item, more *int) []Item {
		if len(items) <= n {
			return items
		}
		*more += len(items) - n
		return slices.Clone(items[:n]) // the long array goes
	}
	r.Added = trim(r.Added, &r.AddedMore)
	r.Updated = trim(r.Updated, &r.UpdatedMore)
}

// Preview plans the merge of b and reports it, writing nothing.
func Preview(st *store.Store, b *Bundle) (*Report, error) {
	return Merge(context.Background(), st, b, MergeOptions{DryRun: true})
}

// Merge merges bundle b into the registry (see the package comment for the
// rules) and reports what it did. Everything but the erasures lands as one
// step of the store: all or nothing, undoable with st.Undo(ctx,
// report.Step). A bundle exported by this very laptop is refused
// (ErrOwnBundle).
func Merge(ctx context.Context, st *store.Store, b *Bundle, opt MergeOptions) (*Report, error) {
	me, err := st.LaptopID()
	if err != nil {
		return nil, err
	}
	if b.Laptop == me {
		return nil, ErrOwnBundle
	}
	now := time.Now
	if opt.now != nil {
		now = opt.now
	}
	for attempt := 0; ; attempt++ {
		p, err := makePlan(st, b, now().UTC())
		if err != nil {
			return nil, err
		}
		if opt.DryRun {
			p.report.DryRun = true
			return p.report, nil
		}
		err = p.apply(ctx, st, opt)
		// Someone saved a record the plan read: plan again on what is there now.
		if attempt < 3 && (errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrErased)) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return p.report, nil
	}
}

// plan is a merge decided and not yet written.
type plan struct {
	b         *Bundle
	st        *store.Store
	now       time.Time
	local     map[string]*store.Local
	tombIn    map[string]bool
	report    *Report
	writes    []data.Record
	base      map[string]uint64
	conflicts map[string]*store.Conflict
	tombs     []store.Tombstone
	added     []data.Record
}

func makePlan(st *store.Store, b *Bundle, now time.Time) (*plan, error) {
	tombIn := map[string]bool{}
	var tombIDs []string
	for _, t := range b.Tombstones {
		tombIn[t.ID] = true
		tombIDs = append(tombIDs, t.ID)
	}
	p, err := planRecords(st, b, now, tombIn, tombIDs)
	if err != nil {
		return nil, err
	}
	if err := p.planTombstones(); err != nil {
		return nil, err
	}
	if err := p.findDuplicates(); err != nil {
		return nil, err
	}
	return p, nil
}

// planRecords plans the merge of b's records, the bundle's tombstones
// being tombIn: it reads at once the local versions of the records, of
// what they link to and of extra (the tombstones' IDs), then decides
// each record.
func planRecords(st *store.Store, b *Bundle, now time.Time, tombIn map[string]bool, extra []string) (*plan, error) {
	p := &plan{b: b, st: st, now: now, tombIn: tombIn, report: &Report{From: b.Info},
		base: map[string]uint64{}, conflicts: map[string]*store.Conflict{}}
	likely := map[string]data.Kind{} // and wanted
	var ids []string
	want := func(id string, k data.Kind) {
		if _, ok := likely[id]; !ok {
			likely[id] = k
			ids = append(ids, id)
		}
	}
	for _, id := range extra {
		want(id, "")
	}
	for _, r := range b.Records {
		want(r.Base().ID, data.KindOf(r))
		for _, l := range r.Links() {
			want(l.ID, l.Kind)
		}
	}
	var err error
	if p.local, err = st.LookupLikely(ids, likely); err != nil {
		return nil, err
	}
	for _, x := range b.Records {
		if err := p.mergeOne(x); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// planTombstones decides about the bundle's tombstones: the records here
// they erase, and those this registry never had.
func (p *plan) planTombstones() error {
	for _, t := range p.b.Tombstones {
		l := p.local[t.ID]
		switch {
		case l.Tombstone != nil:
			continue
		case l.Meta != nil:
			r, err := l.Record()
			if err != nil {
				return err
			}
			p.report.Erased = append(p.report.Erased, itemOf(r))
		default:
			p.report.Tombstones++
		}
		p.tombs = append(p.tombs, t)
	}
	return nil
}

func itemOf(r data.Record) Item {
	return Item{ID: r.Base().ID, Kind: data.KindOf(r), Title: r.Title()}
}

// version is one version of a record while a merge settles them.
type version struct {
	r     data.Record
	aside store.SetAside // where it came from, when set aside
	isX   bool           // it is (or contains) the bundle's version
}

// mergeOne decides what to do with the bundle's version x of a record.
func (p *plan) mergeOne(x data.Record) error {
	m := x.Base()
	id := m.ID
	if p.tombIn[id] {
		return nil // the bundle erased it too: its tombstone decides
	}
	if p.orphanParticipation(x) {
		return nil
	}
	if len(m.VV) == 0 { // not written by this program's bundles; be lenient
		m.VV = map[string]uint64{p.b.Laptop: max(m.Version, 1)}
	}
	m.Version = store.SumVV(m.VV)
	l := p.local[id]
	switch {
	case l.Tombstone != nil:
		p.report.Ignored = append(p.report.Ignored, Item{ID: id, Kind: data.KindOf(x)})
		return nil
	case l.Meta == nil:
		w, err := p.forWrite(x)
		if err != nil {
			return err
		}
		p.write(w, 0)
		p.added = append(p.added, w)
		p.report.Added = append(p.report.Added, itemOf(x))
		return nil
	case l.Kind != data.KindOf(x):
		p.report.Ignored = append(p.report.Ignored, Item{ID: id, Kind: data.KindOf(x), Title: x.Title()})
		return nil
	}

	var sibs []store.SetAside
	if l.Conflict != nil {
		sibs = l.Conflict.Theirs
	}
	// Already here, or older than what is here: nothing to do.
	for _, vv := range append([]map[string]uint64{l.Meta.VV}, vvsOf(sibs)...) {
		if o := store.CompareVV(m.VV, vv); o == store.Same || o == store.Older {
			p.report.Unchanged++
			return nil
		}
	}
	if len(sibs) == 0 && store.CompareVV(m.VV, l.Meta.VV) == store.Newer {
		// The common case, strictly newer: no need to read ours.
		w, err := p.forWrite(x)
		if err != nil {
			return err
		}
		p.write(w, l.Meta.Version)
		p.report.Updated = append(p.report.Updated, itemOf(x))
		return nil
	}
	ours, err := l.Record()
	if err != nil {
		return err
	}
	xv := version{r: x, isX: true, aside: store.SetAside{Record: x, From: p.b.Laptop, FromName: p.b.LaptopName, At: p.now}}
	var list []version
	if store.CompareVV(m.VV, ours.Base().VV) == store.Newer {
		list = append(list, xv)
	} else {
		list = append(list, version{r: ours})
	}
	for _, s := range sibs {
		if store.CompareVV(m.VV, s.Record.Base().VV) != store.Newer {
			list = append(list, version{r: s.Record, aside: s})
		}
	}
	if !list[0].isX {
		list = append(list, xv)
	}
	list = settle(list)

	oursChanged := list[0].r != ours
	xAside := false
	for _, v := range list[1:] {
		xAside = xAside || v.isX
	}
	if oursChanged {
		w, err := p.forWrite(list[0].r)
		if err != nil {
			return err
		}
		p.write(w, ours.Base().Version)
	}
	if asideChanged(sibs, list[1:]) {
		c := &store.Conflict{ID: id, Kind: data.KindOf(ours)}
		for _, v := range list[1:] {
			a := v.aside
			a.Record = v.r
			c.Theirs = append(c.Theirs, a)
		}
		p.conflicts[id] = c
		p.base[id] = ours.Base().Version
	}
	switch {
	case xAside:
		p.report.Conflicts = append(p.report.Conflicts, itemOf(ours))
	case oursChanged:
		p.report.Updated = append(p.report.Updated, itemOf(list[0].r))
	default:
		p.report.Unchanged++
	}
	return nil
}

func vvsOf(sibs []store.SetAside) []map[string]uint64 {
	out := make([]map[string]uint64, len(sibs))
	for i, s := range sibs {
		out[i] = s.Record.Base().VV
	}
	return out
}

// asideChanged reports whether the versions set aside differ from before.
func asideChanged(before []store.SetAside, after []version) bool {
	if len(before) != len(after) {
		return true
	}
	for i := range before {
		if before[i].Record != after[i].r {
			return true
		}
	}
	return false
}

// settle reduces versions of one record to those that matter: a version
// another one descends from goes, and versions changed on both sides to the
// same content are joined. The first is the registry's and stays first.
func settle(list []version) []version {
	for changed := true; changed; {
		changed = false
	scan:
		for i := 0; i < len(list); i++ {
			for j := i + 1; j < len(list); j++ {
				a, b := list[i], list[j]
				switch store.CompareVV(a.r.Base().VV, b.r.Base().VV) {
				case store.Same:
					list[i].isX = a.isX || b.isX
				case store.Newer: // b is behind a: it goes
				case store.Older: // a is behind b: b takes its place
					list[i] = b
				case store.Concurrent:
					j := joined(a.r, b.r) // same content, or a participation (participation.go)
					if j == nil {
						continue
					}
					list[i] = version{r: j, aside: a.aside, isX: a.isX || b.isX}
				}
				list = append(list[:j], list[j+1:]...)
				changed = true
				break scan
			}
		}
	}
	return list
}

// metaKeys are the fields that are not a record's content: two versions
// that differ only there are the same change.
var metaKeys = []string{"version", "vv", "updated_at", "updated_by", "source", "created_at", "created_by", "schema"}

// contentOf is a record's content as comparable JSON: its fields without
// Meta's bookkeeping, the trash as yes or no.
func contentOf(r data.Record) []byte {
	b, _ := data.Encode(r)
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	for _, k := range metaKeys {
		delete(m, k)
	}
	if _, ok := m["trashed_at"]; ok {
		m["trashed_at"] = json.RawMessage("true")
	}
	out, _ := json.Marshal(m) // keys sorted
	return out
}

func sameContent(a, b data.Record) bool { return bytes.Equal(contentOf(a), contentOf(b)) }

// join makes one version of two with the same content changed on both
// sides: its vector covers both, and its bookkeeping is chosen so that every
// laptop makes the very same version.
func join(a, b data.Record) data.Record {
	pa, pb := a.Base(), b.Base()
	primary := a
	if laterThan(b, a) {
		primary = b
	}
	r := data.Clone(primary)
	m := r.Base()
	m.VV = store.MaxVV(pa.VV, pb.VV)
	m.Version = store.SumVV(m.VV)
	m.CreatedAt, m.CreatedBy = pa.CreatedAt, pa.CreatedBy
	if pb.CreatedAt.Before(pa.CreatedAt) || pb.CreatedAt.Equal(pa.CreatedAt) && pb.CreatedBy < pa.CreatedBy {
		m.CreatedAt, m.CreatedBy = pb.CreatedAt, pb.CreatedBy
	}
	if pa.TrashedAt != nil && pb.TrashedAt != nil {
		t := *pa.TrashedAt
		if pb.TrashedAt.Before(t) {
			t = *pb.TrashedAt
		}
		m.TrashedAt = &t
	}
	m.Source = data.SourceBundle
	return r
}

// laterThan orders versions by update time, then user, then bytes: any
// total order every laptop agrees on.
func laterThan(a, b data.Record) bool {
	ma, mb := a.Base(), b.Base()
	if !ma.UpdatedAt.Equal(mb.UpdatedAt) {
		return ma.UpdatedAt.After(mb.UpdatedAt)
	}
	if ma.UpdatedBy != mb.UpdatedBy {
		return ma.UpdatedBy > mb.UpdatedBy
	}
	ea, _ := data.Encode(data.Clone(a))
	eb, _ := data.Encode(data.Clone(b))
	return bytes.Compare(ea, eb) > 0
}

// forWrite is the version to write for r: as it is, or, when it links to
// records erased here, without those links, as a new version of this laptop
// on top of it (the same thing Erase does to the records that link to what
// it erases).
func (p *plan) forWrite(r data.Record) (data.Record, error) {
	var gone []string
	for _, l := range r.Links() {
		lo := p.local[l.ID]
		if lo.Tombstone != nil || (p.tombIn[l.ID] && lo.Meta == nil) {
			gone = append(gone, l.ID)
		}
	}
	if len(gone) == 0 {
		r.Base().Source = data.SourceBundle
		return r, nil
	}
	w := data.Clone(r)
	for _, id := range gone {
		relink(w, id, "")
	}
	w.Base().Source = data.SourceBundle
	if err := p.st.Stamp(w, r.Base()); err != nil {
		return nil, err
	}
	return w, nil
}

func (p *plan) write(r data.Record, base uint64) {
	p.writes = append(p.writes, r)
	p.base[r.Base().ID] = base
}

// findDuplicates looks for records the bundle adds that match other
// records here, or each other, by data.MatchKeys.
func (p *plan) findDuplicates() error {
	if len(p.added) == 0 {
		return nil
	}
	kinds := map[data.Kind]bool{}
	for _, r := range p.added {
		kinds[data.KindOf(r)] = true
	}
	x, err := newDupIndex(p.st, kinds)
	if err != nil {
		return err
	}
	x.added = func(i int) Item { return p.report.Added[i] }
	return p.findDuplicatesIn(x, 0)
}

// findDuplicatesIn checks the plan's added records against x and adds
// their keys to it; the first of them is the merge's added record at
// position base (p.added and p.report.Added go together).
func (p *plan) findDuplicatesIn(x *dupIndex, base int) error {
	for i, r := range p.added {
		if r.Base().Trashed() {
			continue
		}
		keys := data.MatchKeys(r)
		var d *Duplicate
		for _, key := range keys {
			it, ok, err := x.item(key)
			if err != nil {
				return err
			}
			if ok && it.ID != r.Base().ID {
				if d == nil {
					d = &Duplicate{Kind: data.KindOf(r), Keep: it, Drop: itemOf(r)}
				}
				if it.ID == d.Keep.ID {
					d.Keys = append(d.Keys, key)
				}
			}
		}
		if d != nil {
			p.report.Duplicates = append(p.report.Duplicates, *d)
		}
		holder := holderAdded(base + i)
		for _, key := range keys {
			x.put(key, holder)
		}
	}
	return nil
}

// apply writes the plan: the step, then the erasures.
func (p *plan) apply(ctx context.Context, st *store.Store, opt MergeOptions) error {
	if err := p.applyStep(ctx, st, opt.Progress); err != nil {
		return err
	}
	return p.applyRest(st)
}

// applyStep writes the plan's records and conflicts as one step.
func (p *plan) applyStep(ctx context.Context, st *store.Store, progress func(done, total int)) error {
	rep := p.report
	if len(p.writes) > 0 || len(p.conflicts) > 0 {
		res, err := st.ApplyMerge(ctx, store.MergeStep{
			Action:    store.StepMerge,
			Note:      fmt.Sprintf("bundle from %s (%s) of %s", p.b.LaptopName, p.b.Laptop, p.b.Created.Format(time.RFC3339)),
			Counts:    rep.Counts(),
			Records:   p.writes,
			Base:      p.base,
			Conflicts: p.conflicts,
		}, progress)
		if err != nil {
			return err
		}
		rep.Step = res.Key
	}
	return nil
}

// applyRest writes the plan's erasures and remembers the merge of the
// bundle's laptop.
func (p *plan) applyRest(st *store.Store) error {
	if len(p.tombs) > 0 {
		if _, err := st.ApplyTombstones(p.tombs); err != nil {
			return err
		}
	}
	return updatePeers(st, func(peers map[string]*Peer) {
		peer := peers[p.b.Laptop]
		if peer == nil {
			peer = &Peer{ID: p.b.Laptop}
			peers[p.b.Laptop] = peer
		}
		peer.Name, peer.Merged = p.b.LaptopName, p.now
		if p.b.Created.After(peer.MergedBundle) {
			peer.MergedBundle = p.b.Created
		}
	})
}
