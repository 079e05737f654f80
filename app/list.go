package app

import (
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/search"
	"registar/widgets"
)

// listScreen is the list of one kind: a search bar that filters as you
// type (script- and diacritic-blind), the hit count, filters, and a
// virtualised table sortable by column. It is kept while the window lives,
// so that going to a record and back finds the list as it was left.
type listScreen struct {
	shell   *Shell
	kind    data.Kind
	cols    []listColumn
	search  *widget.Entry
	count   *widget.Label
	table   *widgets.RecordTable
	filters []*listFilter
	extra   []search.Facet // filters from a chart, shown in extraBox
	extraL  *widget.Label
	extraB  *fyne.Container
	sortCol int
	desc    bool
	ui      fyne.CanvasObject
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
			l.run()
		}
		return l.ui
	}
}

func newListScreen(s *Shell, k data.Kind) *listScreen {
	return &listScreen{shell: s, kind: k}
}

func (l *listScreen) buildUI() fyne.CanvasObject {
	s := l.shell
	l.cols = columnsOf(s, l.kind)
	cols := make([]widgets.Column, len(l.cols))
	for i, c := range l.cols {
		cols[i] = c.Column
	}
	l.table = widgets.NewRecordTable(cols, l.loadRecords)
	l.table.OnSelected = func(h search.Hit) { s.openRecord(h.ID) }
	l.table.OnSort = l.onSort
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(s.T("ui.list.search"))
	l.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	l.search.OnChanged = func(string) { l.run() }
	l.search.OnSubmitted = func(string) { s.window.Canvas().Focus(l.table.Table()) }
	l.count = widget.NewLabel("")
	newBtn := widget.NewButtonWithIcon(s.T("ui.new."+string(l.kind)), theme.ContentAddIcon(), func() { s.openNew(l.kind) })
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
		container.NewBorder(nil, nil, title, container.NewHBox(l.count, exportBtn, newBtn)),
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

// run searches and shows the hits in the chosen order.
func (l *listScreen) run() {
	q := l.query()
	c := l.cols[l.sortCol]
	hits := sortedHits(l.shell.store.Index(), q, c.facet, c.label, l.desc)
	l.table.SetHits(hits)
	l.table.SetSort(l.sortCol, l.desc)
	l.count.SetText(l.shell.T("ui.list.count", "n", strconv.Itoa(len(hits))))
}

func (l *listScreen) onSort(col int, desc bool) {
	l.sortCol, l.desc = col, desc
	l.run()
}

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
	l.run()
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
// value's hits by title, records without a value last. No record is read.
func sortedHits(ix *search.Index, q search.Query, facet string, label func(string) string, desc bool) []search.Hit {
	res := ix.Search(q)
	hits := res.Hits
	if facet != "" {
		counts := ix.FacetCounts(q, facet)
		values := make([]string, 0, len(counts))
		keys := map[string]string{}
		for v := range counts {
			values = append(values, v)
			k := v
			if label != nil {
				k = fold.Key(label(v))
			}
			keys[v] = k
		}
		sort.Slice(values, func(i, j int) bool {
			if keys[values[i]] != keys[values[j]] {
				return keys[values[i]] < keys[values[j]]
			}
			return values[i] < values[j]
		})
		seen := make(map[string]bool, len(hits))
		out := make([]search.Hit, 0, len(hits))
		for _, v := range values {
			q2 := q
			q2.Filters = append(append([]search.Facet(nil), q.Filters...), search.Facet{Name: facet, Value: v})
			for _, h := range ix.Search(q2).Hits {
				if !seen[h.ID] {
					seen[h.ID] = true
					out = append(out, h)
				}
			}
		}
		for _, h := range hits {
			if !seen[h.ID] {
				out = append(out, h)
			}
		}
		hits = out
	}
	if desc {
		for i, j := 0, len(hits)-1; i < j; i, j = i+1, j-1 {
			hits[i], hits[j] = hits[j], hits[i]
		}
	}
	return hits
}

// columnsOf are the columns of a kind's list.
func columnsOf(s *Shell, k data.Kind) []listColumn {
	country := func(v string) string { return data.CountryName(v, s.lang) }
	title := listColumn{Column: widgets.Column{Title: s.T("ui.col.name"), Width: 240, Sortable: true}}
	countryCol := listColumn{Column: widgets.Column{Title: s.T("field.country"), Width: 160, Sortable: true,
		Text: func(r data.Record) string { return data.CountryName(countryOf(r), s.lang) }}, facet: search.FacetCountry, label: country}
	cityCol := listColumn{Column: widgets.Column{Title: s.T("field.city"), Width: 140, Sortable: true,
		Text: func(r data.Record) string { return cityOf(r) }}, facet: search.FacetCity}
	phone := listColumn{Column: widgets.Column{Title: s.T("field.phone"), Width: 150,
		Text: func(r data.Record) string { return phoneOf(r) }}}
	created := listColumn{Column: widgets.Column{Title: s.T("ui.col.registered"), Width: 110, Sortable: true,
		Text: func(r data.Record) string { return data.DateOf(r.Base().CreatedAt.Local()).Local() }}, facet: search.FacetCreated}
	switch k {
	case data.KindPerson:
		return []listColumn{title, countryCol, cityCol,
			{Column: widgets.Column{Title: s.T("field.profession"), Width: 150, Sortable: true,
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
				}}, facet: search.FacetOrgKind, label: func(v string) string { return data.ValueLabel(data.GroupOrgKind, v, s.lang) }},
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
