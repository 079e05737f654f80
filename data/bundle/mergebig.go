package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"registar/data"
	"registar/data/store"
)

// mergeBatch is how many records of a bundle are planned and written at a
// time when a bundle bigger than mergeWhole is merged from its file
// (MergeFile): a whole registry of 1,000,000 persons, a new laptop catching
// up, must never sit in memory. Smaller batches hold less at a time, which
// at a million records left the garbage collector more room under the
// heap's limit than the extra steps cost: 20,000 a batch took 121 s, 10,000
// 115 s, 5,000 110 s (issue 18).
var mergeBatch = 5000 // a variable for the tests

// mergeWhole is the biggest bundle merged as one step, read whole: all or
// nothing, one undo.
var mergeWhole = 20000 // a variable for the tests

// SetMergeBatch sets the size of bundle above which MergeFile merges in
// batches, and of its batches, until the returned function puts back the
// sizes before: for the tests of screens and commands that merge whole
// registries, whose test registries are smaller.
func SetMergeBatch(n int) (restore func()) {
	batch, whole := mergeBatch, mergeWhole
	mergeBatch, mergeWhole = n, n
	return func() { mergeBatch, mergeWhole = batch, whole }
}

// InBatches reports whether MergeFile merges a bundle that says info of
// itself in batches, from the file, rather than as one step read whole.
func InBatches(info Info) bool { return info.RecordCount > mergeWhole }

// MergeFile reads the bundle file at path and merges it (see Merge). A
// bundle of up to mergeWhole records is read whole and merged as one step.
// A bigger one is first read through once and checked whole (format,
// passphrase, checksum), as Read does, so that a damaged file changes
// nothing; then it is read again and merged mergeBatch records at a time,
// each batch a step of its own: Report.Steps lists them, and undoing the
// merge means undoing each, last first. The check reads each record's JSON,
// ID and schema without decoding it all: a file whose checksum holds yet
// whose record cannot be decoded (written by no Registar) stops the merge
// at its batch, after the batches before. Errors reading the file name it.
func MergeFile(ctx context.Context, st *store.Store, path, passphrase string, opt MergeOptions) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	named := func(err error) error { return fmt.Errorf("%s: %w", path, err) }
	info, err := ReadInfo(f)
	if err != nil {
		return nil, named(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, named(err)
	}
	if !InBatches(info) {
		b, err := Read(f, passphrase)
		if err != nil {
			return nil, named(err)
		}
		return Merge(ctx, st, b, opt)
	}
	var tombs []store.Tombstone
	inBundle := newIDSet()
	info, err = scanIDs(f, passphrase, nil, func(t store.Tombstone) error {
		tombs = append(tombs, t)
		return nil
	}, inBundle)
	if err != nil {
		return nil, named(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, named(err)
	}
	if info.RecordCount < bulkMergeAbove || opt.DryRun {
		return mergeBatches(ctx, st, f, passphrase, info, tombs, inBundle, opt)
	}
	// A registry's worth of records: the store writes the steps without
	// keeping the search index current and rebuilds it from the records at
	// the end (store.Bulk), in bounded memory.
	limit := int64(mergeMemoryLimit)
	if opt.MemoryLimit > 0 {
		limit = opt.MemoryLimit
	}
	defer heapLimit(limit)()
	var rep *Report
	err = st.Bulk(func() error {
		var err error
		rep, err = mergeBatches(ctx, st, f, passphrase, info, tombs, inBundle, opt)
		return err
	})
	return rep, err
}

// mergeMemoryLimit is the soft limit of the Go heap while a registry's
// worth of records is merged. Such a merge holds some 550 MB at its peak at
// 1,000,000 records (Badger's buffers and caches, the report, the IDs of
// the bundle, two batches of records), so under the 640 MiB that the CLI's
// batch commands set the collector ran almost without a pause: 126 s and
// 800 MB resident there, 110 s and 910 MB at this limit (docs/benchmarks.md,
// issue 18).
const mergeMemoryLimit = 768 << 20

// heapLimit sets the Go heap's soft limit until the returned function puts
// back the one before, unless the user chose one with GOMEMLIMIT.
func heapLimit(limit int64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	before := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(before) }
}

// bulkMergeAbove is the size of bundle (records) merged in the store's bulk
// mode: at a million records the search index kept current step by step
// held some 450 MB (docs/benchmarks.md, issue 18).
var bulkMergeAbove = 100000 // a variable for the tests

// mergeBatches merges a checked bundle read from r, batch by batch.
func mergeBatches(ctx context.Context, st *store.Store, r io.Reader, passphrase string, info Info, tombs []store.Tombstone, inBundle *idSet, opt MergeOptions) (*Report, error) {
	me, err := st.LaptopID()
	if err != nil {
		return nil, err
	}
	if info.Laptop == me {
		return nil, ErrOwnBundle
	}
	now := time.Now
	if opt.now != nil {
		now = opt.now
	}
	at := now().UTC()
	// The list of records added is as long as the bundle when it is merged
	// into an empty registry: grown by append, it was 117 MB of items and
	// their copies at a million (the peak of the app's merge, beside the
	// index rebuilt at the end); made at once, 51 MB.
	rep := &Report{From: info, DryRun: opt.DryRun, Added: make([]Item, 0, info.RecordCount)}
	tombIn := make(map[string]bool, len(tombs))
	for _, t := range tombs {
		tombIn[t.ID] = true
	}
	dups, err := newDupIndex(st, nil)
	if err != nil {
		return nil, err
	}
	dups.added = func(i int) Item { return rep.Added[i] }
	done := 0
	// Records that link to a record of the bundle not written yet (a
	// bundle of an older Registar lists businesses before their owners)
	// wait for a later batch: the store checks every link.
	var later []data.Record
	merge := func(batch []data.Record, last bool) error {
		b := &Bundle{Info: info, Records: batch}
		for attempt := 0; ; attempt++ {
			p, err := planBatch(st, b, at, tombIn)
			if err != nil {
				return err
			}
			if !last && !opt.DryRun { // a dry run writes nothing: no link is checked
				if wait := p.waiting(inBundle); len(wait) > 0 {
					later = append(later, wait...)
					keep := batch[:0:0]
					for _, x := range batch {
						if !slices.Contains(wait, x) {
							keep = append(keep, x)
						}
					}
					batch = keep
					b = &Bundle{Info: info, Records: batch}
					if p, err = planBatch(st, b, at, tombIn); err != nil {
						return err
					}
				}
			}
			base := len(rep.Added)
			rep.Added = append(rep.Added, packItems(p.report.Added)...)
			err = p.findDuplicatesIn(dups, base)
			if err == nil && !opt.DryRun {
				err = p.applyStep(ctx, st, func(d, total int) {
					if opt.Progress != nil {
						opt.Progress(done+min(d, len(batch)), info.RecordCount)
					}
				})
			}
			if err != nil {
				rep.Added = rep.Added[:base]
				dups.forget(base)
				if attempt < 3 && (errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrErased)) {
					continue // someone saved a record the plan read: plan it again
				}
				return err
			}
			rep.add(p.report)
			break
		}
		done += len(batch)
		if opt.Progress != nil {
			opt.Progress(done, info.RecordCount)
		}
		return nil
	}
	// The next batch is read and decoded on the other core while this one
	// is planned and written.
	batches := make(chan []data.Record, 1)
	quit := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		batch := make([]data.Record, 0, mergeBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]data.Record, 0, mergeBatch)
				return nil
			case <-quit:
				return context.Canceled
			}
		}
		_, readErr = scan(r, passphrase, func(x data.Record) error {
			batch = append(batch, x)
			if len(batch) == mergeBatch {
				return send()
			}
			return nil
		}, func(store.Tombstone) error { return nil })
		if readErr == nil && len(batch) > 0 {
			readErr = send()
		}
	}()
	for batch := range batches {
		if err = ctx.Err(); err == nil {
			err = merge(batch, false)
		}
		if err != nil {
			close(quit)
			for range batches { // let the reader end
			}
			return rep, err
		}
	}
	if readErr != nil {
		return rep, readErr
	}
	asIs := false // a round in which nothing landed: the next writes what is left as it is, and the store says which link is missing
	for len(later) > 0 {
		wait := later
		later = nil
		for i := 0; i < len(wait); i += mergeBatch {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			if err := merge(wait[i:min(i+mergeBatch, len(wait))], asIs); err != nil {
				return rep, err
			}
		}
		asIs = len(later) == len(wait)
	}
	// The erasures come last, as in Merge.
	p := &plan{b: &Bundle{Info: info, Tombstones: tombs}, st: st, now: at, tombIn: tombIn, report: rep}
	ids := make([]string, len(tombs))
	for i, t := range tombs {
		ids[i] = t.ID
	}
	if p.local, err = st.Lookup(ids); err != nil {
		return rep, err
	}
	if err := p.planTombstones(); err != nil {
		return rep, err
	}
	if opt.DryRun {
		return rep, nil
	}
	return rep, p.applyRest(st)
}

// packItems makes the items' IDs and titles substrings of one string and
// returns them: a merge of a whole registry keeps a million items in its
// report, and their two million small strings were what the garbage
// collector marked over and over (issue 18).
func packItems(items []Item) []Item {
	n := 0
	for _, it := range items {
		n += len(it.ID) + len(it.Title)
	}
	var b strings.Builder
	b.Grow(n)
	for _, it := range items {
		b.WriteString(it.ID)
		b.WriteString(it.Title)
	}
	all, at := b.String(), 0
	for i := range items {
		it := &items[i]
		it.ID, at = all[at:at+len(it.ID)], at+len(it.ID)
		it.Title, at = all[at:at+len(it.Title)], at+len(it.Title)
	}
	return items
}

// waiting lists the plan's records that link to a record of the bundle
// that is neither here yet nor in the plan (nor erased), and the records
// that link to those.
func (p *plan) waiting(inBundle *idSet) []data.Record {
	inPlan := map[string]bool{}
	for _, x := range p.b.Records {
		inPlan[x.Base().ID] = true
	}
	var wait []data.Record
	for changed := true; changed; {
		changed = false
		for _, x := range p.b.Records {
			id := x.Base().ID
			if !inPlan[id] {
				continue
			}
			for _, l := range x.Links() {
				lo := p.local[l.ID]
				if !inPlan[l.ID] && lo != nil && lo.Meta == nil && lo.Tombstone == nil && !p.tombIn[l.ID] && inBundle.has(l.ID) {
					inPlan[id] = false
					wait = append(wait, x)
					changed = true
					break
				}
			}
		}
	}
	return wait
}

// planBatch plans the merge of a batch of a bundle's records; the
// bundle's tombstones are tombIn.
func planBatch(st *store.Store, b *Bundle, now time.Time, tombIn map[string]bool) (*plan, error) {
	return planRecords(st, b, now, tombIn, nil)
}

// add adds what a batch did to the report of the whole merge (whose Added
// already holds the batch's).
func (r *Report) add(b *Report) {
	r.Updated = append(r.Updated, b.Updated...)
	r.Unchanged += b.Unchanged
	r.Conflicts = append(r.Conflicts, b.Conflicts...)
	r.Ignored = append(r.Ignored, b.Ignored...)
	r.Duplicates = append(r.Duplicates, b.Duplicates...)
	if b.Step != "" {
		r.Steps = append(r.Steps, b.Step)
		r.Step = b.Step
	}
}

// dupIndex finds the records a merge adds that match, by data.MatchKeys,
// records already here or added before by the same merge (the first with a
// key keeps it). It keeps 64-bit hashes of the keys, not the keys, and for
// each holder a number, not its ID or title: a registry of 1,000,000
// persons has three million keys, and a map of strings that size is what
// the garbage collector scanned over and over in a merge of a whole
// registry (issue 18). Two different keys of one hash (odds about 1 in 10¹²
// at that size) would report a duplicate that is none; a person then
// declines to merge the two.
type dupIndex struct {
	st *store.Store
	// keys: a key's hash → who holds it: n > 0 the merge's added record at
	// position n-1, n < 0 the record here numbered -n-1 in here.
	keys  map[uint64]int32
	here  data.IDTable
	added func(i int) Item // the merge's added records, by position
}

// newDupIndex indexes the keys of the records here (not trashed) of the
// given kinds (nil: every kind).
func newDupIndex(st *store.Store, kinds map[data.Kind]bool) (*dupIndex, error) {
	x := &dupIndex{st: st, keys: map[uint64]int32{}}
	for _, k := range data.Kinds {
		if kinds != nil && !kinds[k] {
			continue
		}
		err := st.Each(k, func(r data.Record) error {
			if r.Base().Trashed() {
				return nil
			}
			keys := data.MatchKeys(r)
			if len(keys) == 0 {
				return nil
			}
			ref := x.holderHere(r.Base().ID)
			for _, key := range keys {
				x.put(key, ref)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

// holderHere numbers a record here as a holder of keys.
func (x *dupIndex) holderHere(id string) int32 { return -x.here.Add(id) - 1 }

// holderAdded numbers the merge's added record at position i.
func holderAdded(i int) int32 { return int32(i + 1) }

func (x *dupIndex) put(key string, holder int32) {
	h := data.MatchKeyHash(key)
	if _, ok := x.keys[h]; !ok {
		x.keys[h] = holder
	}
}

// forget drops the keys of the added records from position from on (a
// batch planned again).
func (x *dupIndex) forget(from int) {
	for h, holder := range x.keys {
		if int(holder) > from {
			delete(x.keys, h)
		}
	}
}

// item is the record that holds the key, and whether there is one.
func (x *dupIndex) item(key string) (Item, bool, error) {
	holder, ok := x.keys[data.MatchKeyHash(key)]
	if !ok {
		return Item{}, false, nil
	}
	if holder > 0 {
		return x.added(int(holder) - 1), true, nil
	}
	r, err := x.st.Get(x.here.ID(-holder - 1))
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrErased) {
		return Item{}, false, nil
	}
	if err != nil {
		return Item{}, false, err
	}
	return itemOf(r), true, nil
}
