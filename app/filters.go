package app

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/search"
	"registar/widgets"
)

// listFilter is one filter of a list: a facet and the control that sets it.
type listFilter struct {
	facet string
	obj   fyne.CanvasObject
	value func() string
	// set shows a value in the control; false if the control cannot.
	set   func(v string) bool
	clear func()
}

// filterWidth is the width of a filter control.
const filterWidth = 90

// filtersOf are the filters of a kind's list.
func filtersOf(l *listScreen) []*listFilter {
	s := l.shell
	var out []*listFilter
	add := func(f *listFilter) { out = append(out, f) }
	switch l.kind {
	case data.KindPerson:
		add(countryFilter(l))
		add(textFilter(l, search.FacetCity))
		add(localityFilter(l))
		add(textFilter(l, search.FacetProfession))
		add(choiceFilter(l, search.FacetInterest, data.Interests, func(v string) string {
			return data.ValueLabel(data.GroupInterest, v, s.lang)
		}))
		add(choiceFilter(l, search.FacetConsent, []string{search.ConsentContact, search.ConsentPublish}, func(v string) string {
			return s.T("ui.consent." + v)
		}))
	case data.KindBusiness:
		add(countryFilter(l))
		add(textFilter(l, search.FacetCity))
		add(textFilter(l, search.FacetSector))
		add(choiceFilter(l, search.FacetInterest, []string{"invest"}, func(v string) string {
			return data.ValueLabel(data.GroupInterest, v, s.lang)
		}))
		add(choiceFilter(l, search.FacetConsent, []string{search.ConsentContact, search.ConsentPublish}, func(v string) string {
			return s.T("ui.consent." + v)
		}))
	case data.KindOrganisation:
		add(countryFilter(l))
		add(textFilter(l, search.FacetCity))
		add(choiceFilter(l, search.FacetOrgKind, data.OrganisationKinds, func(v string) string {
			return data.ValueLabel(data.GroupOrgKind, v, s.lang)
		}))
	case data.KindLocality:
		add(textFilter(l, search.FacetMunicipality))
	}
	return out
}

// sized lets a filter control shrink to its share of the filter bar.
func sized(o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&shrink{}, o)
}

// shrink is a layout whose minimum width is small, so that the filters
// share the width of the bar whatever their texts.
type shrink struct{}

func (*shrink) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (*shrink) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(filterWidth, h)
}

// choiceFilter picks one of fixed values; the first option is "all".
func choiceFilter(l *listScreen, facet string, values []string, label func(string) string) *listFilter {
	s := l.shell
	all := s.T("ui.filter."+facet) + ": " + s.T("ui.filter.all")
	opts := []string{all}
	for _, v := range values {
		opts = append(opts, label(v))
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelectedIndex(0)
	sel.OnChanged = func(string) { l.runNow() }
	f := &listFilter{facet: facet, obj: sized(sel)}
	f.value = func() string {
		if i := sel.SelectedIndex(); i > 0 {
			return values[i-1]
		}
		return ""
	}
	f.set = func(v string) bool {
		for i, x := range values {
			if x == v {
				sel.OnChanged = nil
				sel.SetSelectedIndex(i + 1)
				sel.OnChanged = func(string) { l.runNow() }
				return true
			}
		}
		return false
	}
	f.clear = func() {
		sel.OnChanged = nil
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { l.runNow() }
	}
	return f
}

// countryFilter lists the countries the kind's records are in, by name.
func countryFilter(l *listScreen) *listFilter {
	s := l.shell
	counts := s.store.Index().FacetCounts(search.Query{Kind: l.kind}, search.FacetCountry)
	codes := make([]string, 0, len(counts))
	for c := range counts {
		codes = append(codes, c)
	}
	names := map[string]string{}
	for _, c := range codes {
		names[c] = data.CountryName(c, s.lang)
	}
	sort.Slice(codes, func(i, j int) bool { return fold.Key(names[codes[i]]) < fold.Key(names[codes[j]]) })
	return choiceFilter(l, search.FacetCountry, codes, func(c string) string { return names[c] })
}

// textFilter is a facet with many values (city, profession, sector,
// municipality): type it, or pick one of the most frequent.
func textFilter(l *listScreen, facet string) *listFilter {
	s := l.shell
	counts := s.store.Index().FacetCounts(search.Query{Kind: l.kind}, facet)
	values := make([]string, 0, len(counts))
	for v := range counts {
		values = append(values, v)
	}
	sort.Slice(values, func(i, j int) bool {
		if counts[values[i]] != counts[values[j]] {
			return counts[values[i]] > counts[values[j]]
		}
		return values[i] < values[j]
	})
	if len(values) > 40 {
		values = values[:40]
	}
	sort.Strings(values)
	opts := make([]string, len(values))
	for i, v := range values {
		opts[i] = displayFolded(v)
	}
	e := widget.NewSelectEntry(opts)
	e.SetPlaceHolder(s.T("ui.filter." + facet))
	e.OnChanged = func(string) { l.run() }
	f := &listFilter{facet: facet, obj: sized(e)}
	f.value = func() string { return strings.TrimSpace(e.Text) }
	f.set = func(v string) bool {
		e.OnChanged = nil
		e.SetText(displayFolded(v))
		e.OnChanged = func(string) { l.run() }
		return true
	}
	f.clear = func() { f.set("") }
	return f
}

// displayFolded shows a folded facet value ("banja luka") capitalised.
func displayFolded(v string) string {
	words := strings.Fields(v)
	for i, w := range words {
		r := []rune(w)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// localityFilter picks a locality by name.
func localityFilter(l *listScreen) *listFilter {
	s := l.shell
	p := widgets.NewPicker(s.recordOptions(data.KindLocality), func(widgets.Option) { l.runNow() })
	p.PlaceHolder = s.T("ui.filter.locality")
	p.ClearText = s.T("ui.picker.clear")
	p.SearchPlaceHolder = s.T("ui.picker.search")
	f := &listFilter{facet: search.FacetLocality, obj: sized(p)}
	f.value = func() string { return p.Selected().Value }
	f.set = func(v string) bool {
		p.SetSelected(s.recordOption(v))
		return true
	}
	f.clear = func() { p.SetSelected(widgets.Option{}) }
	return f
}

// facetLabel is a filter value as a person reads it.
func facetLabel(s *Shell, name, value string) string {
	switch name {
	case search.FacetCountry:
		return data.CountryName(value, s.lang)
	case search.FacetGender:
		return data.ValueLabel(data.GroupGender, value, s.lang)
	case search.FacetConsent:
		return s.T("ui.consent." + value)
	case search.FacetInterest:
		return data.ValueLabel(data.GroupInterest, value, s.lang)
	case search.FacetLocality:
		return s.recordOption(value).Label
	}
	return value
}

// recordOptions searches the records of a kind for a picker.
func (s *Shell) recordOptions(k data.Kind) func(string) []widgets.Option {
	return func(text string) []widgets.Option {
		q := search.ParseQuery(text)
		q.Kind = k
		q.Limit = 300
		res := s.store.Search(q)
		out := make([]widgets.Option, len(res.Hits))
		for i, h := range res.Hits {
			out[i] = widgets.Option{Value: h.ID, Label: h.Title}
		}
		return out
	}
}

// recordOption is the option of a record ID (its title), for pickers.
func (s *Shell) recordOption(id string) widgets.Option {
	if id == "" {
		return widgets.Option{}
	}
	r, err := s.store.Get(id)
	if err != nil {
		return widgets.Option{Value: id, Label: id}
	}
	return widgets.Option{Value: id, Label: r.Title()}
}
