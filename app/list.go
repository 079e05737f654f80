package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
	"registar/widgets"
)

// searchDelay is the longest the list waits after a keystroke in the search
// bar or a text filter before it searches, so that a clerk typing a name
// makes one search, not one per letter. It waits as long as its last search
// took, if that is shorter: where a search costs 20 ms (100,000 persons), a
// 150 ms wait would be most of the time to the result, and keys typed
// faster than the searches run still come together.
const searchDelay = 150 * time.Millisecond

// listScreen is the list of one kind: a search bar that filters as you
// type (script- and diacritic-blind), the hit count, filters, and a
// virtualised table sortable by column. It is kept while the window lives,
// so that going to a record and back finds the list as it was left.
//
// Searching, filtering and sorting run off the UI goroutine (run, runNow):
// each request is numbered, a newer one stops the older one's timer and
// cancels its search, and the UI goroutine swaps in only the newest
// request's hits (show), so a slow old search never overwrites a newer one.
type listScreen struct {
	shell    *Shell
	kind     data.Kind
	cols     []listColumn
	search   *keyEntry // passes the window's shortcuts on (Ctrl+N from the search bar)
	count    *widget.Label
	table    *widgets.RecordTable
	filters  []*listFilter
	extra    []search.Facet // filters from a chart, shown in extraBox
	extraL   *widget.Label
	extraB   *fyne.Container
	sortCol  int
	desc     bool
	byColumn bool   // a header was clicked: its order wins over best match first
	matchOf  string // the search text of the hits shown, for "what matched"
	ui       fyne.CanvasObject

	// The searches in the background; UI goroutine only.
	gen     uint64             // number of the newest request
	shown   uint64             // number of the request whose hits are shown
	waiting func() bool        // stops the request waiting out searchDelay; false once it started
	startW  func()             // starts the waiting request at once
	cancel  context.CancelFunc // cancels the newest request's search
	then    func()             // runs once the newest hits are shown (Enter typed before they came)
	cost    time.Duration      // how long the last search shown took, 0 before the first

	// Plumbing that tests replace: the timer of searchDelay, the way back
	// to the UI goroutine (fyne.Do) and a note that hits were swapped in.
	after  func(d time.Duration, f func()) (stop func() bool)
	post   func(func())
	onShow func()
}

// listJob is one request of the list: everything the search needs, read
// from the widgets on the UI goroutine, so that the search itself touches
// no widget.
type listJob struct {
	ix      *search.Index
	q       search.Query // q.Order is ByRelevance when there is text and no column was chosen
	text    string       // the search bar's text, for "what matched"
	facet   string
	label   func(string) string
	desc    bool
	sortCol int
}

// hits runs the job; ctx is checked between the steps of a column sort.
func (j listJob) hits(ctx context.Context) ([]search.Hit, error) {
	if j.q.Order == search.ByRelevance {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return j.ix.Search(j.q).Hits, nil
	}
	return sortedHits(ctx, j.ix, j.q, j.facet, j.label, j.desc)
}

// listColumn is a column with what it sorts by: "" for the title (the
// index's own order), a facet name for the others; label turns a facet
// value into the text it sorts by.
type listColumn struct {
	widgets.Column
	facet string
	label func(value string) string
}

// listView returns the view function of a kind's list.
func listView(k data.Kind) func(*Shell) fyne.CanvasObject {
	return func(s *Shell) fyne.CanvasObject {
		l := s.lists[k]
		if l == nil {
			l = newListScreen(s, k)
			s.lists[k] = l
			l.ui = l.buildUI()
		}
		if p := s.pending; p != nil && p.kind == k {
			s.pending = nil
			l.setFilters(p.filters)
		} else {
			l.runNow()
		}
		// The search bar can take the focus only once it is on the canvas:
		// put the list there now (showNow sets the same content again).
		s.setContent(l.ui)
		l.focusSearch()
		return l.ui
	}
}

func newListScreen(s *Shell, k data.Kind) *listScreen {
	return &listScreen{shell: s, kind: k}
}

func (l *listScreen) buildUI() fyne.CanvasObject {
	s := l.shell
	l.cols = columnsOf(s, l.kind)
	l.cols[0].Text = l.titleWithMatch
	cols := make([]widgets.Column, len(l.cols))
	for i, c := range l.cols {
		cols[i] = c.Column
	}
	l.table = widgets.NewRecordTable(cols, l.loadRecords)
	l.table.OnSelected = func(h search.Hit) { s.openRecord(h.ID) }
	l.table.OnSort = l.onSort
	l.search = newKeyEntry()
	l.search.SetPlaceHolder(s.T("listkeys.search." + string(l.kind)))
	l.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	l.search.OnChanged = func(string) { l.run() }
	l.search.OnSubmitted = func(string) { l.openSelected() }
	l.count = widget.NewLabel("")
	newBtn := widget.NewButtonWithIcon(s.T("ui.new."+string(l.kind)), theme.ContentAddIcon(), l.newRecord)
	newBtn.Importance = widget.HighImportance
	exportBtn := widget.NewButtonWithIcon(s.T("exchangeui.export"), theme.DocumentSaveIcon(), l.onExport)

	l.filters = filtersOf(l)
	grid := container.NewGridWithColumns(max(len(l.filters), 3))
	for _, f := range l.filters {
		grid.Add(f.obj)
	}
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), l.onClearFilters)
	clear.Importance = widget.LowImportance
	bar := container.NewBorder(nil, nil, nil, clear, grid)
	l.extraL = widget.NewLabel("")
	l.extraB = container.NewHBox(l.extraL, widget.NewButtonWithIcon("", theme.CancelIcon(), func() { l.setFilters(nil) }))
	l.extraB.Hide()

	title := widget.NewLabelWithStyle(s.T("kind."+string(l.kind)+".plural"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(
		container.NewBorder(nil, nil, title, container.NewHBox(l.count, l.inviteButton(), l.reachButton(), exportBtn, newBtn)),
		l.search,
		bar,
		l.extraB,
	)
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, l.table)
}

// loadRecords reads the records of the rows on screen.
func (l *listScreen) loadRecords(ids []string) map[string]data.Record {
	recs, err := l.shell.store.Records(ids)
	if err != nil {
		fyne.LogError("loading records for the list", err)
	}
	out := make(map[string]data.Record, len(recs))
	for _, r := range recs {
		out[r.Base().ID] = r
	}
	return out
}

// query is what the search bar and the filters ask for.
func (l *listScreen) query() search.Query {
	q := search.ParseQuery(l.search.Text)
	q.Kind = l.kind
	for _, f := range l.filters {
		if v := f.value(); v != "" {
			q.Filters = append(q.Filters, search.Facet{Name: f.facet, Value: v})
		}
	}
	q.Filters = append(q.Filters, l.extra...)
	return q
}

// run searches once the typing delay (searchDelay, or the last search's
// time if shorter) has passed without another request, and shows the hits
// in the chosen order: for typing.
func (l *listScreen) run() { l.request(true) }

// runNow searches at once: for a sort, a filter picked, a list opened.
func (l *listScreen) runNow() { l.request(false) }

// typingDelay is how long a keystroke waits for the next one.
func (l *listScreen) typingDelay() time.Duration {
	if l.cost > 0 && l.cost < searchDelay {
		return l.cost
	}
	return searchDelay
}

// request asks for the hits of what the widgets say now, off the UI
// goroutine, after the typing delay if wait; it supersedes every earlier
// request. With the shell's inline flag (tests) and no plumbing of their
// own, it searches and shows at once on the calling goroutine.
func (l *listScreen) request(wait bool) {
	c := l.cols[l.sortCol]
	job := listJob{ix: l.shell.store.Index(), q: l.query(), text: l.search.Text, facet: c.facet, label: c.label, desc: l.desc, sortCol: l.sortCol}
	if !l.byColumn && job.q.Text != "" {
		job.q.Order = search.ByRelevance
	}
	l.gen++
	gen := l.gen
	l.abandon()
	l.then = nil // an Enter typed for the hits of an older request
	if l.shell.inline && l.post == nil && l.after == nil {
		hits, _ := job.hits(context.Background())
		l.show(gen, job, hits, 0)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	post := l.post
	if post == nil {
		post = fyne.Do
	}
	work := func() {
		t0 := time.Now()
		hits, err := job.hits(ctx)
		l.shedPagesOf(job.ix)
		if err != nil {
			return // a newer request cancelled this one
		}
		cost := time.Since(t0)
		post(func() { l.show(gen, job, hits, cost) })
	}
	if !wait {
		go work()
		return
	}
	after := l.after
	if after == nil {
		after = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	l.waiting = after(l.typingDelay(), work)
	l.startW = func() { go work() }
}

// abandon stops the request waiting for its delay and cancels the search
// under way, if any.
func (l *listScreen) abandon() {
	if l.waiting != nil {
		l.waiting()
		l.waiting, l.startW = nil, nil
	}
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
}

// hurry starts the request waiting for its delay at once.
func (l *listScreen) hurry() {
	if l.waiting != nil && l.waiting() {
		start := l.startW
		l.waiting, l.startW = nil, nil
		start()
	}
}

// show swaps in the hits of request gen, found in cost, on the UI
// goroutine, unless a newer request was made since.
func (l *listScreen) show(gen uint64, job listJob, hits []search.Hit, cost time.Duration) {
	if gen != l.gen {
		return
	}
	l.shown = gen
	if cost > 0 {
		l.cost = cost
	}
	l.waiting, l.startW, l.cancel = nil, nil, nil
	l.matchOf = job.text
	l.table.SetHitsSorted(hits, job.sortCol, job.desc)
	l.count.SetText(l.shell.T("ui.list.count", "n", i18n.FormatInt(len(hits), l.shell.lang)))
	if then := l.then; then != nil {
		l.then = nil
		then()
	}
	if l.onShow != nil {
		l.onShow()
	}
}

// shedPagesOf lets go of the pages of the index snapshot (and of Badger's
// tables) a search read while the index reads from its snapshot file (a
// big registry's answers from it until a form is changed, eagerCopyMax,
// and reads its postings from it after that): at
// 1,000,000 persons a search reads much of its 340 MB, which stayed
// resident beside the heap (1.08 GB at the peak of a sort of all persons;
// 0.9 GB shed). The next search maps back what it touches, from the file
// cache.
func (l *listScreen) shedPagesOf(ix *search.Index) {
	if st := l.shell.store; st != nil && ix.ReadsMapping() {
		st.ShedPages()
	}
}

// current reports whether the hits shown answer the newest request.
func (l *listScreen) current() bool { return l.shown == l.gen }

func (l *listScreen) onSort(col int, desc bool) {
	l.sortCol, l.desc, l.byColumn = col, desc, true
	l.runNow()
}

// titleWithMatch is the name column's text: the record's title, and what
// matched the search when it was not the name ("Parent's name: Đorđe"),
// so that a clerk sees why a row is in the list.
func (l *listScreen) titleWithMatch(r data.Record) string {
	m := search.MatchOf(r, l.matchOf)
	if m.Field == "" {
		return r.Title()
	}
	s := l.shell
	return r.Title() + "  ·  " + s.T("searchrank.matched", "field", s.T("field."+m.Field), "value", m.Value)
}

// The list's keyboard: the shell's shortcuts call these on the list shown.

// focusSearch puts the cursor in the search bar, its text selected so
// that typing replaces it (Ctrl+F, and when the list opens).
func (l *listScreen) focusSearch() {
	c := l.shell.window.Canvas()
	c.Focus(l.search)
	l.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// openSelected opens a record (Enter): the row the keyboard is on when the
// table has the focus; else the only hit, or with several the table takes
// the focus on its first row. Typed before the newest hits came, it waits
// for them.
func (l *listScreen) openSelected() {
	if !l.current() {
		l.then = l.openSelected
		l.hurry()
		return
	}
	c := l.shell.window.Canvas()
	if c.Focused() == l.table.Table() {
		l.table.ChooseCurrent()
		return
	}
	switch hits := l.table.Hits(); len(hits) {
	case 0:
	case 1:
		l.shell.openRecord(hits[0].ID)
	default:
		c.Focus(l.table.Table())
	}
}

// newRecord opens an empty form of the list's kind (Ctrl+N).
func (l *listScreen) newRecord() { l.shell.openNew(l.kind) }

// setFilters shows the list with only these filters (from a chart).
func (l *listScreen) setFilters(fs []search.Facet) {
	l.search.SetText("")
	for _, f := range l.filters {
		f.clear()
	}
	l.extra = nil
	var shown []string
	for _, f := range fs {
		if lf := l.filterFor(f.Name); lf != nil && lf.set(f.Value) {
			continue
		}
		l.extra = append(l.extra, f)
		shown = append(shown, l.shell.T("ui.filter."+f.Name)+": "+facetLabel(l.shell, f.Name, f.Value))
	}
	l.extraL.SetText(l.shell.T("ui.list.filteredby") + " " + strings.Join(shown, ", "))
	if len(l.extra) > 0 {
		l.extraB.Show()
	} else {
		l.extraB.Hide()
	}
	l.runNow()
}

func (l *listScreen) filterFor(facet string) *listFilter {
	for _, f := range l.filters {
		if f.facet == facet {
			return f
		}
	}
	return nil
}

func (l *listScreen) onClearFilters() { l.setFilters(nil) }

// sortedHits runs q and orders the hits: by title through the index (the
// fast path), or by a facet's values in the order of their labels, each
// value's hits by title, records without a value last
// (search.Index.SearchByFacet). No record is read. It gives up with ctx's
// error between steps once ctx is done.
func sortedHits(ctx context.Context, ix *search.Index, q search.Query, facet string, label func(string) string, desc bool) ([]search.Hit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var hits []search.Hit
	if facet == "" {
		hits = ix.Search(q).Hits
	} else {
		var keyOf func(string) string
		if label != nil {
			keyOf = func(v string) string { return fold.Key(label(v)) }
		}
		var done bool
		if hits, done = ix.SearchByFacet(q, facet, keyOf, func() bool { return ctx.Err() != nil }); !done {
			return nil, ctx.Err()
		}
	}
	if desc {
		for i, j := 0, len(hits)-1; i < j; i, j = i+1, j-1 {
			hits[i], hits[j] = hits[j], hits[i]
		}
	}
	return hits, ctx.Err()
}

// columnsOf are the columns of a kind's list. The labels a sort uses run
// in the background: they read the language the list was built in, not the
// shell's field.
func columnsOf(s *Shell, k data.Kind) []listColumn {
	lang := s.lang
	country := func(v string) string { return data.CountryName(v, lang) }
	// The name column is the widest: it says what matched when that was not the name.
	title := listColumn{Column: widgets.Column{Title: s.T("ui.col.name"), Width: 330, Sortable: true}}
	countryCol := listColumn{Column: widgets.Column{Title: s.T("field.country"), Width: 140, Sortable: true,
		Text: func(r data.Record) string { return data.CountryName(countryOf(r), s.lang) }}, facet: search.FacetCountry, label: country}
	cityCol := listColumn{Column: widgets.Column{Title: s.T("field.city"), Width: 120, Sortable: true,
		Text: func(r data.Record) string { return cityOf(r) }}, facet: search.FacetCity}
	phone := listColumn{Column: widgets.Column{Title: s.T("field.phone"), Width: 140,
		Text: func(r data.Record) string { return data.FormatPhone(phoneOf(r)) }}}
	created := listColumn{Column: widgets.Column{Title: s.T("ui.col.registered"), Width: 100, Sortable: true,
		Text: func(r data.Record) string { return data.DateOf(r.Base().CreatedAt.Local()).Local() }}, facet: search.FacetCreated}
	switch k {
	case data.KindPerson:
		return []listColumn{title, countryCol, cityCol,
			{Column: widgets.Column{Title: s.T("field.profession"), Width: 130, Sortable: true,
				Text: func(r data.Record) string { return r.(*data.Person).Profession }}, facet: search.FacetProfession},
			phone, created}
	case data.KindBusiness:
		return []listColumn{title, countryCol, cityCol,
			{Column: widgets.Column{Title: s.T("field.sector"), Width: 150, Sortable: true,
				Text: func(r data.Record) string { return r.(*data.Business).Sector }}, facet: search.FacetSector},
			{Column: widgets.Column{Title: s.T("field.employees"), Width: 90,
				Text: func(r data.Record) string { return intText(r.(*data.Business).Employees) }}},
			phone}
	case data.KindOrganisation:
		return []listColumn{title,
			{Column: widgets.Column{Title: s.T("field.org_kind"), Width: 180, Sortable: true,
				Text: func(r data.Record) string {
					return data.ValueLabel(data.GroupOrgKind, r.(*data.Organisation).OrgKind, s.lang)
				}}, facet: search.FacetOrgKind, label: func(v string) string { return data.ValueLabel(data.GroupOrgKind, v, lang) }},
			countryCol, cityCol,
			{Column: widgets.Column{Title: s.T("field.member_count"), Width: 90,
				Text: func(r data.Record) string { return intText(r.(*data.Organisation).MemberCount) }}},
			phone}
	}
	return []listColumn{title,
		{Column: widgets.Column{Title: s.T("field.municipality"), Width: 160, Sortable: true,
			Text: func(r data.Record) string { return r.(*data.Locality).Municipality }}, facet: search.FacetMunicipality},
		{Column: widgets.Column{Title: s.T("field.locality_kind"), Width: 160,
			Text: func(r data.Record) string {
				return data.ValueLabel(data.GroupLocalityKind, r.(*data.Locality).LocalityKind, s.lang)
			}}},
		{Column: widgets.Column{Title: s.T("field.council_contact"), Width: 200,
			Text: func(r data.Record) string { return r.(*data.Locality).CouncilContact }}},
		phone}
}

func intText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func countryOf(r data.Record) string {
	switch v := r.(type) {
	case *data.Person:
		return v.Country
	case *data.Business:
		return v.Country
	case *data.Organisation:
		return v.Country
	}
	return ""
}

func cityOf(r data.Record) string {
	switch v := r.(type) {
	case *data.Person:
		return v.City
	case *data.Business:
		return v.City
	case *data.Organisation:
		return v.City
	}
	return ""
}

func phoneOf(r data.Record) string {
	switch v := r.(type) {
	case *data.Person:
		return v.Phone
	case *data.Business:
		return v.Phone
	case *data.Organisation:
		return v.Phone
	case *data.Locality:
		return v.Phone
	}
	return ""
}
