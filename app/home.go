package app

import (
	"fmt"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/widgets"
)

// homeScreen shows at a glance what the head of office asks for: totals,
// persons by country and by gender, registrations per month and consent
// rates. Every bar leads to the list it counts.
type homeScreen struct {
	shell     *Shell
	totals    map[data.Kind]*widget.Button
	byCountry *widgets.BarChart
	byGender  *widgets.BarChart
	perMonth  *widgets.BarChart
	consent   *widgets.BarChart

	countries []string // codes behind the country bars ("" = all others)
	genders   []string
	months    []string
	consents  []string
}

// homeNow is the clock of the registrations chart (tests fix it).
var homeNow = time.Now

// homeMonths is how many months the registrations chart shows.
const homeMonths = 12

// homeCountries is how many countries get their own bar.
const homeCountries = 10

func homeView(s *Shell) fyne.CanvasObject {
	h := &homeScreen{shell: s}
	return h.buildUI()
}

func (h *homeScreen) buildUI() fyne.CanvasObject {
	s := h.shell
	h.totals = map[data.Kind]*widget.Button{}
	totals := container.NewGridWithColumns(len(data.Kinds))
	for _, k := range data.Kinds {
		k := k
		b := widget.NewButton("", func() { s.showList(k, nil) })
		h.totals[k] = b
		totals.Add(b)
	}
	h.byCountry = widgets.NewBarChart(nil, h.onCountryTapped)
	h.byGender = widgets.NewBarChart(nil, h.onGenderTapped)
	h.perMonth = widgets.NewColumnChart(nil, h.onMonthTapped)
	h.consent = widgets.NewBarChart(nil, h.onConsentTapped)
	h.consent.Max = 100
	h.refresh()

	title := s.T("ui.home.title")
	if s.office.Name != "" {
		title = s.office.Name
	}
	var countryCard fyne.CanvasObject = h.byCountry
	if s.store.Counts()[data.KindPerson] == 0 {
		hint := widget.NewLabel(s.T("ui.home.empty"))
		hint.Wrapping = fyne.TextWrapWord
		countryCard = container.NewVBox(hint, widget.NewButton(s.T("ui.new.person"), func() { s.openNew(data.KindPerson) }))
	}
	grid := container.NewGridWithColumns(2,
		widget.NewCard(s.T("ui.home.bycountry"), "", countryCard),
		widget.NewCard(s.T("ui.home.permonth"), "", h.perMonth),
		widget.NewCard(s.T("ui.home.bygender"), "", h.byGender),
		widget.NewCard(s.T("ui.home.consent"), "", h.consent),
		upcomingCard(s),
	)
	top := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), totals)
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(grid))
}

// refresh reads the figures from the search index (no record is loaded).
func (h *homeScreen) refresh() {
	s := h.shell
	st := s.store
	counts := st.Counts()
	for _, k := range data.Kinds {
		h.totals[k].SetText(s.T("kind."+string(k)+".plural") + ": " + i18n.FormatInt(counts[k], s.lang))
	}
	persons := search.Query{Kind: data.KindPerson}
	total := counts[data.KindPerson]

	byCountry := st.Index().FacetCounts(persons, search.FacetCountry)
	codes := make([]string, 0, len(byCountry))
	for c := range byCountry {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if byCountry[codes[i]] != byCountry[codes[j]] {
			return byCountry[codes[i]] > byCountry[codes[j]]
		}
		return codes[i] < codes[j]
	})
	var bars []widgets.Bar
	h.countries = nil
	other := 0
	for i, c := range codes {
		if i >= homeCountries {
			other += byCountry[c]
			continue
		}
		bars = append(bars, widgets.Bar{Label: data.CountryName(c, s.lang), Value: float64(byCountry[c]), Text: i18n.FormatInt(byCountry[c], s.lang)})
		h.countries = append(h.countries, c)
	}
	if other > 0 {
		bars = append(bars, widgets.Bar{Label: s.T("ui.home.othercountries"), Value: float64(other), Text: i18n.FormatInt(other, s.lang)})
		h.countries = append(h.countries, "")
	}
	h.byCountry.SetBars(bars)

	byGender := st.Index().FacetCounts(persons, search.FacetGender)
	bars, h.genders = nil, nil
	known := 0
	for _, g := range data.Genders {
		n := byGender[g]
		known += n
		bars = append(bars, widgets.Bar{Label: data.ValueLabel(data.GroupGender, g, s.lang), Value: float64(n), Text: percentText(s.lang, n, total)})
		h.genders = append(h.genders, g)
	}
	if total-known > 0 {
		bars = append(bars, widgets.Bar{Label: s.T("ui.home.notgiven"), Value: float64(total - known), Text: percentText(s.lang, total-known, total)})
		h.genders = append(h.genders, "")
	}
	h.byGender.SetBars(bars)

	byMonth := st.Index().FacetCounts(persons, search.FacetCreated)
	now := homeNow()
	bars, h.months = nil, nil
	for i := homeMonths - 1; i >= 0; i-- {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		key := m.Format("2006-01")
		n := byMonth[key]
		bars = append(bars, widgets.Bar{Label: m.Format("01/06"), Value: float64(n), Text: i18n.FormatInt(n, s.lang)})
		h.months = append(h.months, key)
	}
	h.perMonth.SetBars(bars)

	byConsent := st.Index().FacetCounts(persons, search.FacetConsent)
	h.consents = []string{search.ConsentContact, search.ConsentPublish}
	bars = nil
	for _, c := range h.consents {
		n := byConsent[c]
		pct := 0.0
		if total > 0 {
			pct = 100 * float64(n) / float64(total)
		}
		bars = append(bars, widgets.Bar{Label: s.T("ui.consent." + c), Value: pct, Text: percentText(s.lang, n, total)})
	}
	h.consent.SetBars(bars)
}

// percentText is "1.234 (45 %)", n with the language's thousands separator.
func percentText(l i18n.Lang, n, total int) string {
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%s (%d %%)", i18n.FormatInt(n, l), (100*n+total/2)/total)
}

func (h *homeScreen) onCountryTapped(i int) {
	if c := h.countries[i]; c != "" {
		h.shell.showList(data.KindPerson, []search.Facet{{Name: search.FacetCountry, Value: c}})
	} else {
		h.shell.showList(data.KindPerson, nil)
	}
}

func (h *homeScreen) onGenderTapped(i int) {
	if g := h.genders[i]; g != "" {
		h.shell.showList(data.KindPerson, []search.Facet{{Name: search.FacetGender, Value: g}})
	}
}

func (h *homeScreen) onMonthTapped(i int) {
	h.shell.showList(data.KindPerson, []search.Facet{{Name: search.FacetCreated, Value: h.months[i]}})
}

func (h *homeScreen) onConsentTapped(i int) {
	h.shell.showList(data.KindPerson, []search.Facet{{Name: search.FacetConsent, Value: h.consents[i]}})
}
