package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/search"
	"registar/data/store"
)

// homeScreen shows the totals and a script-blind search over the registry.
type homeScreen struct {
	store   *store.Store
	totals  *widget.Label
	query   *widget.Entry
	count   *widget.Label
	results *widget.List
	hits    []search.Hit
}

func newHomeScreen(st *store.Store) *homeScreen { return &homeScreen{store: st} }

func (h *homeScreen) buildUI() fyne.CanvasObject {
	h.totals = widget.NewLabel("")
	h.count = widget.NewLabel("")
	h.query = widget.NewEntry()
	h.query.SetPlaceHolder("Search: djordje, Петровић, celik …")
	h.query.OnChanged = h.onQueryChanged
	h.results = widget.NewList(
		func() int { return len(h.hits) },
		func() fyne.CanvasObject { return widget.NewLabel("template") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			hit := h.hits[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  ·  %s", hit.Title, hit.Kind))
		})
	h.refreshTotals()
	h.onQueryChanged("")
	top := container.NewVBox(
		widget.NewLabelWithStyle("Registar", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		h.totals, h.query, h.count)
	return container.NewBorder(top, nil, nil, nil, h.results)
}

func (h *homeScreen) refreshTotals() {
	c := h.store.Counts()
	h.totals.SetText(fmt.Sprintf("Persons: %d   Businesses: %d   Organisations: %d   Localities: %d",
		c[data.KindPerson], c[data.KindBusiness], c[data.KindOrganisation], c[data.KindLocality]))
}

func (h *homeScreen) onQueryChanged(text string) {
	q := search.ParseQuery(text)
	q.Limit = 200
	res := h.store.Search(q)
	h.hits = res.Hits
	h.count.SetText(fmt.Sprintf("%d found", res.Total))
	h.results.Refresh()
}
