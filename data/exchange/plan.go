package exchange

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/store"
)

// Duplicates says what an import does with a row that is already in the
// registry.
type Duplicates int

const (
	// Skip leaves the registry's record as it is (the default).
	Skip Duplicates = iota
	// Update writes the row's non-empty cells over the registry's record.
	Update
)

// ParseDuplicates reads "skip" or "update".
func ParseDuplicates(s string) (Duplicates, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "skip":
		return Skip, true
	case "update":
		return Update, true
	}
	return Skip, false
}

// NewLocalities says what an import does with a local community the
// registry does not have.
type NewLocalities int

const (
	// CreateLocalities adds it to the registry, in the same step as the
	// rows that name it (the default: a fresh registry has none yet).
	CreateLocalities NewLocalities = iota
	// RejectLocalities rejects the rows that name it.
	RejectLocalities
)

// ParseNewLocalities reads "create" or "reject".
func ParseNewLocalities(s string) (NewLocalities, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "create":
		return CreateLocalities, true
	case "reject":
		return RejectLocalities, true
	}
	return CreateLocalities, false
}

// Action is what an import does with a row.
type Action int

// The actions, as the preview counts them.
const (
	Add       Action = iota // a new record
	Change                  // updates a record of the registry (Duplicates: Update)
	Unchanged               // the registry already has exactly this (Update)
	Duplicate               // skipped: in the registry already, or an earlier row of the file
	Reject                  // not imported: Reasons say why
)

func (a Action) String() string {
	return [...]string{"add", "update", "unchanged", "duplicate", "reject"}[a]
}

// Options of an import.
type Options struct {
	// Lang is the language of the reasons and of the rejects file.
	Lang i18n.Lang
	// Region is the phone region local numbers are read in ("BA", "XK",
	// "RS"); empty is data.DefaultRegion.
	Region string
	// Duplicates says whether rows already in the registry are skipped or
	// update the registry's record.
	Duplicates Duplicates
	// NewLocalities says whether a local community the registry does not
	// have is created with the rows that name it, or rejects them.
	NewLocalities NewLocalities
	// Municipality is the office's municipality: the municipality of a new
	// local community, unless the row names its own (home_municipality).
	Municipality string
	// Progress, if set, is called while rows are checked: done of total.
	Progress func(done, total int)
	// BulkAbove, if above 0, makes Apply write a plan of at least that
	// many records in the store's bulk mode (store.Bulk): the search index
	// is rebuilt from the records at the end instead of kept current, in
	// bounded memory. Meanwhile the index answers nothing, so it is for a
	// batch command (registar-cli import), not for a screen.
	BulkAbove int
}

// RowResult is what the import does with one row.
type RowResult struct {
	Row     int    // row number in the sheet, 1-based as a spreadsheet shows it
	Where   string // the row's own file, when the source is a folder of files
	Action  Action // add, update, unchanged, duplicate, reject
	Title   string // the record's name as read ("Amir Hodžić")
	Reasons []string
	// Notes say how a value was read when it could be read two ways (a
	// local phone number valid in two countries); they do not stop the row.
	Notes []string
	// MatchID is the registry's record a duplicate or an update matched.
	MatchID string
	// SameAsRow is the earlier row of the file a duplicate repeats (0: none).
	SameAsRow int
}

// Counts are the preview's numbers.
type Counts struct {
	Rows       int // data rows read (empty rows are not counted)
	Added      int
	Updated    int
	Unchanged  int
	Duplicates int // skipped: already in the registry or earlier in the file
	Rejected   int
	// AlreadyImported counts the duplicates that are phone or PDF form
	// submissions imported before (part of Duplicates).
	AlreadyImported int
	// NewLocalities counts the local communities the import creates.
	NewLocalities int
}

// NewLocality is a local community an import creates because rows name it
// and the registry does not have it.
type NewLocality struct {
	Name         string
	Municipality string
	Rows         []int // the rows that name it, as a spreadsheet numbers them
	id           string
}

// Plan is the preview of an import: what each row will do. Nothing has been
// written; Apply writes it.
type Plan struct {
	Sheet   *Sheet
	Mapping Mapping
	Options Options
	Counts  Counts
	Rows    []RowResult // one per data row, in sheet order
	// NewLocalities are the local communities the import creates, in the
	// order the rows first name them.
	NewLocalities []NewLocality

	recs    []data.Record // to write, in sheet order
	applied bool
}

// Result says what an applied import did.
type Result struct {
	// Step is the key of the import's audit entry: store.Undo(ctx, Step)
	// takes the whole import back. Empty when there was nothing to write.
	Step   string
	Counts Counts
}

// Prepare checks every row of the sheet against the registry without
// writing anything: each row is read into a record with the mapping,
// normalised, validated in opt.Lang, and checked for duplicates (in the
// file and in st) with data.MatchKeys. st may be nil: then no row is a
// duplicate of the registry and localities cannot be named. A cancelled ctx
// stops it with ctx.Err().
func Prepare(ctx context.Context, st *store.Store, sh *Sheet, m Mapping, opt Options) (p *Plan, err error) {
	defer guard(&err)
	if sh == nil {
		return nil, ErrNoHeader
	}
	if _, ok := kindFields[m.Kind]; !ok {
		return nil, &FieldNameError{Kind: m.Kind}
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Region == "" {
		opt.Region = data.DefaultRegion
	}
	p = &Plan{Sheet: sh, Mapping: m, Options: opt}
	pr := &preparer{plan: p, st: st, kind: m.Kind}
	pr.conv = &converter{lang: opt.Lang, region: opt.Region, xlsx: sh.Format == FormatXLSX, date1904: sh.date1904,
		rejectNewLocalities: opt.NewLocalities == RejectLocalities}
	if err := pr.load(); err != nil {
		return nil, err
	}
	for _, c := range m.Columns {
		if f, ok := fieldOf(m.Kind, c.Field); ok {
			pr.cols = append(pr.cols, mappedColumn{c.Index, f})
		}
	}
	work, err := pr.readAll(ctx, opt.Progress)
	if err != nil {
		return nil, err
	}
	for i, row := range sh.Rows {
		pr.row(row, work[i])
	}
	total := len(sh.Rows)
	if err := pr.updates(ctx); err != nil {
		return nil, err
	}
	if opt.Progress != nil {
		opt.Progress(total, total)
	}
	for _, r := range p.Rows {
		switch r.Action {
		case Add:
			p.Counts.Added++
		case Change:
			p.Counts.Updated++
		case Unchanged:
			p.Counts.Unchanged++
		case Duplicate:
			p.Counts.Duplicates++
		case Reject:
			p.Counts.Rejected++
		}
	}
	p.Counts.Rows = len(p.Rows)
	p.Counts.NewLocalities = len(p.NewLocalities)
	for _, nl := range p.NewLocalities {
		// First, so that the rows' links point at records of the same step.
		p.recs = append(p.recs, &data.Locality{Meta: data.Meta{ID: nl.id}, Name: nl.Name,
			Municipality: nl.Municipality, LocalityKind: "local_community"})
	}
	for i, r := range p.Rows {
		if (r.Action == Add || r.Action == Change) && pr.recs[i] != nil {
			p.recs = append(p.recs, pr.recs[i])
		}
	}
	return p, nil
}

// release lets go of what a plan no longer needs once its records are
// written — the records and the cells of the rows that went in — so that
// the rebuild of the search index that ends a bulk import has their memory
// (some 130 MB for 100,000 rows at 1,000,000 persons).
func (p *Plan) release() {
	p.recs = nil
	p.ForgetSheet()
}

// ForgetSheet lets go of the cells of every row but the rejected ones,
// which WriteRejects still writes. A caller that shows no preview of the
// rows (registar-cli import) calls it before Apply, so that a big import
// writes its records without the sheet's cells in memory as well (70 MB
// for 100,000 rows).
func (p *Plan) ForgetSheet() {
	rejected := map[int]bool{}
	for _, r := range p.Rows {
		if r.Action == Reject {
			rejected[r.Row] = true
		}
	}
	kept := p.Sheet.Rows[:0]
	for _, r := range p.Sheet.Rows {
		if rejected[r.N] {
			kept = append(kept, r)
		}
	}
	clear(p.Sheet.Rows[len(kept):])
	p.Sheet.Rows = kept
}

type mappedColumn struct {
	index int
	field Field
}

// preparer holds what Prepare needs while it walks the rows.
type preparer struct {
	plan *Plan
	st   *store.Store
	kind data.Kind
	conv *converter
	cols []mappedColumn

	existing *registryKeys       // the registry's MatchKeys and "id:" keys
	keysOf   map[string][]string // the keys of registry records a row's key was checked against
	seen     map[string]int      // MatchKeys of earlier rows → their row number
	recs     []data.Record       // per row: what will be written (nil: nothing)
	pending  []int               // rows that update a registry record (Update)
	newLocs  map[string]int      // folded name|municipality → index in plan.NewLocalities
}

// load builds the registry's duplicate keys for the kind and the index of
// localities.
func (pr *preparer) load() error {
	pr.existing, pr.keysOf = newRegistryKeys(), map[string][]string{}
	pr.seen = map[string]int{}
	var locs []*data.Locality
	if pr.st == nil {
		pr.conv.localities = newLocalityIndex(nil)
		return nil
	}
	err := pr.st.Each(data.KindLocality, func(r data.Record) error {
		if l, ok := r.(*data.Locality); ok && !l.Trashed() {
			locs = append(locs, l)
		}
		return nil
	})
	if err != nil {
		return err
	}
	pr.conv.localities = newLocalityIndex(locs)
	return pr.st.Each(pr.kind, func(r data.Record) error {
		pr.existing.add(r.Base().ID, recordKeys(r))
		return nil
	})
}

// holders are the IDs of the registry's records that hold the key (two
// records may share one: a row with it matches both), each confirmed
// against the record itself.
func (pr *preparer) holders(key string) []string {
	var ids []string
	for _, id := range pr.existing.candidates(key) {
		keys, ok := pr.keysOf[id]
		if !ok {
			if r, err := pr.st.Get(id); err == nil {
				keys = recordKeys(r)
			}
			pr.keysOf[id] = keys
		}
		if slices.Contains(keys, key) {
			ids = append(ids, id)
		}
	}
	return ids
}

// read fills a record from the row's mapped cells; it returns the reasons
// for cells that cannot be read and the fields they concern, and the name
// of a local community the registry does not have (to be created).
func (pr *preparer) read(r data.Record, row Row) (reasons []string, bad map[string]bool, newLocality string) {
	for _, c := range pr.cols {
		if ce := pr.conv.setCell(r, c.field, row.cell(c.index)); ce != nil {
			if ce.newLocality != "" {
				newLocality = ce.newLocality
				continue
			}
			reasons = append(reasons, ce.message)
			if bad == nil {
				bad = map[string]bool{}
			}
			bad[ce.field] = true
		}
	}
	if s := row.Submission; s != "" {
		r.Base().Submission = s
	}
	return reasons, bad, newLocality
}

// rowWork is what can be found out about a row on its own, before it is
// compared with the rows above it and with the registry.
type rowWork struct {
	rec         data.Record
	reasons     []string // cells that cannot be read, then the rules the row breaks
	notes       []string // how values that read two ways were read
	broken      bool     // some cell could not be read
	newLocality string   // a local community to create for the row
}

// readAll reads, normalises and validates every row, on all cores: that is
// most of the work, and rows do not depend on each other until duplicates
// are sought (row does that, in order).
func (pr *preparer) readAll(ctx context.Context, progress func(done, total int)) ([]rowWork, error) {
	rows := pr.plan.Sheet.Rows
	work := make([]rowWork, len(rows))
	var (
		mu   sync.Mutex
		done int
	)
	report := func(n int) {
		mu.Lock()
		defer mu.Unlock()
		done += n
		if progress != nil {
			progress(done, len(rows))
		}
	}
	const chunk = 256
	var next atomic.Int64
	workers := min(runtime.GOMAXPROCS(0), (len(rows)+chunk-1)/chunk)
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			var err error
			defer func() { errs <- err }()
			defer guard(&err)
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(rows) {
					return
				}
				if err = ctx.Err(); err != nil {
					return
				}
				end := min(start+chunk, len(rows))
				for i := start; i < end; i++ {
					work[i] = pr.readRow(rows[i])
				}
				report(end - start)
			}
		}()
	}
	var first error
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return work, first
}

func (pr *preparer) readRow(row Row) rowWork {
	rec, _ := data.New(pr.kind)
	reasons, bad, newLoc := pr.read(rec, row)
	notes := data.NormalizeNoted(rec, pr.conv.region, pr.conv.lang)
	return rowWork{rec: rec, reasons: append(reasons, pr.validate(rec, bad, nil)...), notes: notes,
		broken: len(reasons) > 0, newLocality: newLoc}
}

func (pr *preparer) row(row Row, w rowWork) {
	res := RowResult{Row: row.N, Where: row.Where, Notes: w.notes}
	rec := w.rec
	res.Title = rec.Title()
	idx := len(pr.plan.Rows)
	pr.plan.Rows = append(pr.plan.Rows, res)
	pr.recs = append(pr.recs, nil)
	result := &pr.plan.Rows[idx]
	if w.broken {
		// Cells that cannot be read are reported with the rest of the
		// row's faults, so the user fixes the row once.
		result.Action, result.Reasons = Reject, w.reasons
		return
	}

	keys := recordKeys(rec)
	id := rec.Base().ID
	if sub := rec.Base().Submission; sub != "" {
		if ids := pr.holders(data.SubmissionKeyPrefix + sub); len(ids) > 0 {
			// Imported before (from this export, an earlier one, or the same
			// folder): passed over whatever Duplicates says, as a phone's
			// resent submission is no newer than what the office has.
			result.Action, result.MatchID = Duplicate, ids[0]
			result.Reasons = []string{i18n.T(pr.conv.lang, "exchange.dup.submission")}
			pr.plan.Counts.AlreadyImported++
			return
		}
	}
	for _, k := range keys {
		if n, ok := pr.seen[k]; ok {
			result.Action, result.SameAsRow = Duplicate, n
			result.Reasons = []string{i18n.T(pr.conv.lang, "exchange.dup.row", "n", strconv.Itoa(n))}
			return
		}
	}
	var matches []string
	for _, k := range keys {
		for _, m := range pr.holders(k) {
			if !slices.Contains(matches, m) {
				matches = append(matches, m)
			}
		}
	}
	if len(matches) > 1 {
		result.Action = Reject
		result.Reasons = []string{i18n.T(pr.conv.lang, "exchange.reason.two_records", "param", pr.titles(matches))}
		return
	}
	for _, k := range keys {
		pr.seen[k] = row.N
	}
	if len(matches) == 1 {
		result.MatchID = matches[0]
		if pr.plan.Options.Duplicates == Skip {
			result.Action = Duplicate
			result.Reasons = []string{i18n.T(pr.conv.lang, "exchange.dup.registry", "param", pr.titles(matches))}
			return
		}
		result.Action = Change // settled in updates, against the record itself
		pr.pending = append(pr.pending, idx)
		return
	}
	if id != "" && pr.st != nil {
		// An ID Registar wrote, of a record this registry does not have
		// (or erased, or of another kind): the row is new, under that ID
		// if it is free, so a round trip into an empty registry keeps IDs.
		if _, err := pr.st.Get(id); !errors.Is(err, store.ErrNotFound) {
			rec.Base().ID = ""
		}
	}
	if len(w.reasons) > 0 {
		result.Action, result.Reasons = Reject, w.reasons
		return
	}
	if w.newLocality != "" {
		if msg := pr.linkNewLocality(rec, w.newLocality, row.N); msg != "" {
			result.Action, result.Reasons = Reject, []string{msg}
			return
		}
	}
	result.Action = Add
	pr.recs[idx] = rec
}

// linkNewLocality points the record at the local community the row names
// and the registry does not have, planning it once for all the rows that
// name it. The municipality is the row's own (home_municipality), else the
// office's; with neither, or with RejectLocalities, the row is rejected
// with the returned reason.
func (pr *preparer) linkNewLocality(rec data.Record, name string, rowN int) string {
	f, _ := fieldOf(pr.kind, "locality_id")
	label := f.Label(pr.conv.lang)
	p, ok := rec.(*data.Person)
	if !ok {
		return i18n.T(pr.conv.lang, "exchange.reason.locality", "field", label, "value", name)
	}
	municipality := p.HomeMunicipality
	if municipality == "" {
		municipality = strings.Join(strings.Fields(pr.plan.Options.Municipality), " ")
	}
	if municipality == "" {
		return i18n.T(pr.conv.lang, "exchange.reason.locality_no_municipality", "field", label, "value", name)
	}
	name = strings.Join(strings.Fields(name), " ")
	key := fold.Key(name) + "|" + fold.Key(municipality)
	if pr.newLocs == nil {
		pr.newLocs = map[string]int{}
	}
	i, ok := pr.newLocs[key]
	if !ok {
		id, err := uuid.NewV7()
		if err != nil {
			id = uuid.New()
		}
		i = len(pr.plan.NewLocalities)
		pr.newLocs[key] = i
		pr.plan.NewLocalities = append(pr.plan.NewLocalities, NewLocality{Name: name, Municipality: municipality, id: id.String()})
	}
	nl := &pr.plan.NewLocalities[i]
	nl.Rows = append(nl.Rows, rowN)
	p.LocalityID = nl.id
	return ""
}

// updates settles the rows that update a registry record: the record is
// read, the row's non-empty cells are written over it, and the result is
// validated; a row that changes nothing is Unchanged.
func (pr *preparer) updates(ctx context.Context) error {
	if len(pr.pending) == 0 {
		return nil
	}
	ids := make([]string, len(pr.pending))
	for i, idx := range pr.pending {
		ids[i] = pr.plan.Rows[idx].MatchID
	}
	recs, err := pr.st.Records(ids)
	if err != nil {
		return err
	}
	byID := map[string]data.Record{}
	for _, r := range recs {
		byID[r.Base().ID] = r
	}
	for i, idx := range pr.pending {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		result := &pr.plan.Rows[idx]
		old, ok := byID[result.MatchID]
		if !ok || data.KindOf(old) != pr.kind {
			result.Action, result.MatchID = Reject, ""
			result.Reasons = []string{i18n.T(pr.conv.lang, "exchange.reason.gone")}
			continue
		}
		rec := data.Clone(old)
		row := pr.plan.Sheet.Rows[idx]
		_, _, newLoc := pr.read(rec, row)
		rec.Base().ID = old.Base().ID // an ID cell must not move the row to another record
		result.Notes = data.NormalizeNoted(rec, pr.conv.region, pr.conv.lang)
		result.Title = rec.Title()
		if msgs := pr.validate(rec, nil, old); len(msgs) > 0 {
			result.Action, result.Reasons = Reject, msgs
			continue
		}
		if newLoc != "" {
			if msg := pr.linkNewLocality(rec, newLoc, row.N); msg != "" {
				result.Action, result.Reasons = Reject, []string{msg}
				continue
			}
		}
		if sameContent(old, rec) {
			result.Action = Unchanged
			continue
		}
		pr.recs[idx] = rec
	}
	return nil
}

// validate runs the model's rules; messages about fields whose cells could
// not be read are left out (the cell's own reason says more). stored is
// the registry's version of a row that updates it (nil for a new one): a
// phone number it already holds is not refused again.
func (pr *preparer) validate(r data.Record, bad map[string]bool, stored data.Record) []string {
	err := data.Validate(r, pr.conv.lang, pr.linkChecker(), data.WithOffice(pr.conv.region), data.WithStored(stored))
	if err == nil {
		return nil
	}
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	var out []string
	for _, fe := range ve.Errors {
		if bad[fe.Field] || bad[strings.SplitN(fe.Field, "[", 2)[0]] {
			continue
		}
		out = append(out, fe.Message)
	}
	return out
}

func (pr *preparer) linkChecker() data.LinkChecker {
	if pr.st == nil {
		return nil
	}
	ix := pr.st.Index()
	return func(k data.Kind, id string) bool {
		got, ok := ix.Kind(id)
		return ok && got == k
	}
}

// titles names registry records for a reason: "Amir Hodžić, Amir Hodzic".
func (pr *preparer) titles(ids []string) string {
	if pr.st == nil {
		return strings.Join(ids, ", ")
	}
	recs, err := pr.st.Records(ids)
	if err != nil || len(recs) == 0 {
		return strings.Join(ids, ", ")
	}
	names := make([]string, len(recs))
	for i, r := range recs {
		names[i] = r.Title()
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// sameContent compares two versions of a record without their Meta.
func sameContent(a, b data.Record) bool {
	ca, cb := data.Clone(a), data.Clone(b)
	*ca.Base(), *cb.Base() = data.Meta{}, data.Meta{}
	ea, err1 := data.Encode(ca)
	eb, err2 := data.Encode(cb)
	return err1 == nil && err2 == nil && bytes.Equal(ea, eb)
}

// NewLocalityNames lists the new local communities for a preview line:
// "Cazin, Pećigrad"; one in another municipality than the office's says
// which (a row's own Municipality column): "Pećigrad, Izačić (Bihać)".
func (p *Plan) NewLocalityNames() string {
	names := make([]string, len(p.NewLocalities))
	for i, nl := range p.NewLocalities {
		names[i] = nl.Name
		if !strings.EqualFold(nl.Municipality, strings.TrimSpace(p.Options.Municipality)) {
			names[i] += " (" + nl.Municipality + ")"
		}
	}
	return strings.Join(names, ", ")
}

// Rejected lists the rows that will not be imported, with their reasons.
func (p *Plan) Rejected() []RowResult {
	var out []RowResult
	for _, r := range p.Rows {
		if r.Action == Reject {
			out = append(out, r)
		}
	}
	return out
}

// Apply writes the plan's new and updated records as one journaled step of
// the store: all of them or, if anything fails, the program is killed or
// ctx is cancelled, none. The step is one audit entry ("import", the file
// name, the counts) and Result.Step undoes it (store.Undo). progress, if
// set, is called as the records are written. A plan is applied once.
func (p *Plan) Apply(ctx context.Context, st *store.Store, progress func(done, total int)) (res Result, err error) {
	defer guard(&err)
	if st == nil {
		return Result{}, ErrNoStore
	}
	if p.applied {
		return Result{}, ErrApplied
	}
	res.Counts = p.Counts
	if len(p.recs) == 0 {
		p.applied = true
		return res, nil
	}
	source := data.SourceImport
	if p.Sheet.Origin != nil {
		source = data.SourceField
	}
	step := store.Step{
		Action: store.StepImport,
		Note:   p.Sheet.File,
		Source: source,
		// Prepare validated every record just now; links are not imported.
		Validated: true,
		Counts: map[string]int{
			"rows":       p.Counts.Rows,
			"rejected":   p.Counts.Rejected,
			"duplicates": p.Counts.Duplicates,
			"unchanged":  p.Counts.Unchanged,
			// The new local communities are records of the step too, so
			// the undo that takes the rows back takes them back as well.
			"new_localities": p.Counts.NewLocalities,
		},
	}
	var sr store.StepResult
	if n := p.Options.BulkAbove; n > 0 && len(p.recs) >= n {
		err = st.Bulk(func() error {
			var err error
			if sr, err = st.Apply(ctx, step, p.recs, progress); err == nil {
				p.release()
			}
			return err
		})
	} else {
		sr, err = st.Apply(ctx, step, p.recs, progress)
	}
	if err != nil {
		return Result{}, err
	}
	p.applied = true
	res.Step = sr.Key
	return res, nil
}
