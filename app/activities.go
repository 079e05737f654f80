package app

import (
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/search"
	"registar/widgets"
)

// activitiesScreen lists the office's activities, newest first: a search
// bar (script-blind, like the registry's lists), filters by kind, year,
// organiser and place, and a button for a new activity. An office has
// hundreds of activities, not hundreds of thousands, so the list reads the
// records of its hits and sorts them by date on the UI goroutine.
type activitiesScreen struct {
	shell   *Shell
	search  *keyEntry
	kind    *widget.Select
	year    *widget.Select
	org     *widget.Select
	country *widget.Select
	count   *widget.Label
	table   *widget.Table
	rows    []*data.Activity

	kinds, years, orgs, countries []string // the values behind the selects' options (after "all")
}

func activitiesView(s *Shell) fyne.CanvasObject {
	a := &activitiesScreen{shell: s}
	ui := a.buildUI()
	s.setKeyTarget(a) // showNow resets it after the view (see the report of issue 14)
	activitiesShown = a
	return ui
}

// activitiesShown is the activities screen last built (tests).
var activitiesShown *activitiesScreen

// The screen's keys: Ctrl+N makes a new activity, Ctrl+F goes to the search.
func (a *activitiesScreen) newRecord() { a.shell.openNewActivity() }
func (a *activitiesScreen) focusSearch() {
	a.shell.window.Canvas().Focus(a.search)
}

func (a *activitiesScreen) buildUI() fyne.CanvasObject {
	s := a.shell
	ix := s.store.Index()
	all := search.Query{Kind: data.KindActivity}
	a.search = newKeyEntry()
	a.search.SetPlaceHolder(s.T("activityui.search"))
	a.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	a.search.OnChanged = func(string) { a.refresh() }

	a.kinds = data.ActivityKinds
	a.kind = a.filterSelect(search.FacetActivityKind, a.kinds, func(v string) string {
		return data.ValueLabel(data.GroupActivityKind, v, s.lang)
	})
	a.years = sortedKeys(ix.FacetCounts(all, search.FacetYear))
	sort.Sort(sort.Reverse(sort.StringSlice(a.years)))
	a.year = a.filterSelect(search.FacetYear, a.years, func(v string) string { return v })
	a.orgs = sortedKeys(ix.FacetCounts(all, search.FacetOrganiser))
	orgName := func(v string) string {
		if v == search.OrganiserOffice {
			return s.T("activityui.office")
		}
		return s.recordOption(v).Label
	}
	sort.SliceStable(a.orgs, func(i, j int) bool {
		if (a.orgs[i] == search.OrganiserOffice) != (a.orgs[j] == search.OrganiserOffice) {
			return a.orgs[i] == search.OrganiserOffice
		}
		return fold.Key(orgName(a.orgs[i])) < fold.Key(orgName(a.orgs[j]))
	})
	a.org = a.filterSelect(search.FacetOrganiser, a.orgs, orgName)
	a.countries = sortedKeys(ix.FacetCounts(all, search.FacetCountry))
	sort.SliceStable(a.countries, func(i, j int) bool {
		return fold.Key(data.CountryName(a.countries[i], s.lang)) < fold.Key(data.CountryName(a.countries[j], s.lang))
	})
	a.country = a.filterSelect("place", a.countries, func(v string) string { return data.CountryName(v, s.lang) })

	a.count = widget.NewLabel("")
	newBtn := widget.NewButtonWithIcon(s.T("activityui.new"), theme.ContentAddIcon(), s.openNewActivity)
	newBtn.Importance = widget.HighImportance
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), a.onClearFilters)
	clear.Importance = widget.LowImportance
	filters := container.NewBorder(nil, nil, nil, clear,
		container.NewGridWithColumns(4, sized(a.kind), sized(a.year), sized(a.org), sized(a.country)))

	a.table = textTable(s, activityColumns, func() int { return len(a.rows) }, a.cellText)
	a.table.OnSelected = func(id widget.TableCellID) {
		a.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(a.rows) {
			s.openActivity(a.rows[id.Row].ID)
		}
	}
	a.refresh()

	title := widget.NewLabelWithStyle(s.T("screen.activities"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(
		container.NewBorder(nil, nil, title, container.NewHBox(a.count, newBtn)),
		a.search,
		filters,
	)
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, a.table)
}

// activityColumns are the list's columns.
var activityColumns = []textColumn{
	{"field.start", 125},
	{"field.title", 265},
	{"field.activity_kind", 150},
	{"activityui.col.place", 165},
	{"activityui.col.organisers", 170},
	{"activityui.col.participants", 110},
}

// cellText is what a cell of the list shows.
func (a *activitiesScreen) cellText(row, col int) string {
	if row < 0 || row >= len(a.rows) {
		return ""
	}
	s := a.shell
	v := a.rows[row]
	switch col {
	case 0:
		return v.Start.Local()
	case 1:
		return v.Title()
	case 2:
		return data.ValueLabel(data.GroupActivityKind, v.ActivityKind, s.lang)
	case 3:
		return placeText(s, v.Place)
	case 4:
		return organisersText(s, v)
	case 5:
		ix := s.store.Index()
		q := search.Query{Kind: data.KindParticipation, Filters: []search.Facet{{Name: search.FacetActivity, Value: v.ID}}}
		total := ix.Count(q)
		q.Filters = append(q.Filters, search.Facet{Name: search.FacetStatus, Value: "attended"})
		return s.T("activityui.col.participants.value", "attended", strconv.Itoa(ix.Count(q)), "total", strconv.Itoa(total))
	}
	return ""
}

// placeText is an activity's place in one line: online, or the city (or
// local community) and country.
func placeText(s *Shell, p data.Place) string {
	var parts []string
	if p.LocalityID != "" {
		parts = append(parts, s.recordOption(p.LocalityID).Label)
	}
	if p.City != "" {
		parts = append(parts, p.City)
	}
	if p.Country != "" {
		parts = append(parts, data.CountryName(p.Country, s.lang))
	}
	if p.Online {
		parts = append(parts, s.T("activityui.online"))
	}
	return strings.Join(parts, ", ")
}

// organisersText names an activity's organisers: the office first.
func organisersText(s *Shell, v *data.Activity) string {
	var parts []string
	if v.ByOffice {
		parts = append(parts, s.T("activityui.office"))
	}
	for _, id := range v.OrganiserIDs {
		parts = append(parts, s.recordOption(id).Label)
	}
	return strings.Join(parts, ", ")
}

// filterSelect is a select of a facet's values; the first option is all.
func (a *activitiesScreen) filterSelect(facet string, values []string, label func(string) string) *widget.Select {
	s := a.shell
	opts := []string{s.T("activityui.filter."+facet) + ": " + s.T("ui.filter.all")}
	for _, v := range values {
		opts = append(opts, label(v))
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelectedIndex(0)
	sel.OnChanged = func(string) { a.refresh() }
	return sel
}

// chosen is the value a filter select stands on, "" for all.
func chosen(sel *widget.Select, values []string) string {
	if i := sel.SelectedIndex(); i > 0 && i <= len(values) {
		return values[i-1]
	}
	return ""
}

// query is what the search bar and the filters ask for.
func (a *activitiesScreen) query() search.Query {
	q := search.ParseQuery(a.search.Text)
	q.Kind = data.KindActivity
	add := func(name, v string) {
		if v != "" {
			q.Filters = append(q.Filters, search.Facet{Name: name, Value: v})
		}
	}
	add(search.FacetActivityKind, chosen(a.kind, a.kinds))
	add(search.FacetYear, chosen(a.year, a.years))
	add(search.FacetOrganiser, chosen(a.org, a.orgs))
	add(search.FacetCountry, chosen(a.country, a.countries))
	return q
}

// refresh searches and shows the activities found, the latest start first.
func (a *activitiesScreen) refresh() {
	s := a.shell
	hits := s.store.Search(a.query()).Hits
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	recs, err := s.store.Records(ids)
	if err != nil {
		fyne.LogError("loading activities", err)
	}
	a.rows = a.rows[:0]
	for _, r := range recs {
		if v, ok := r.(*data.Activity); ok {
			a.rows = append(a.rows, v)
		}
	}
	sortActivities(a.rows, true)
	a.count.SetText(s.T("ui.list.count", "n", strconv.Itoa(len(a.rows))))
	a.table.Refresh()
}

// sortActivities orders by start date (and time), then title.
func sortActivities(rows []*data.Activity, latestFirst bool) {
	sort.SliceStable(rows, func(i, j int) bool {
		x, y := rows[i], rows[j]
		if x.Start != y.Start {
			if latestFirst {
				return y.Start.Before(x.Start)
			}
			return x.Start.Before(y.Start)
		}
		if x.StartTime != y.StartTime {
			return (x.StartTime < y.StartTime) != latestFirst
		}
		return fold.Key(x.Title()) < fold.Key(y.Title())
	})
}

func (a *activitiesScreen) onClearFilters() {
	for _, sel := range []*widget.Select{a.kind, a.year, a.org, a.country} {
		sel.OnChanged = nil
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { a.refresh() }
	}
	a.search.SetText("")
	a.refresh()
}

// sortedKeys are a map's keys in order.
func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Home: the next activities.

// upcomingShown is how many activities the home card lists.
const upcomingShown = 6

// upcomingActivities are the activities that start today or later (or are
// still going on), soonest first, at most n. Only this year's and next
// year's activities are read.
func upcomingActivities(s *Shell, n int) []*data.Activity {
	today := data.DateOf(homeNow())
	q := search.Query{Kind: data.KindActivity, Filters: []search.Facet{
		{Name: search.FacetYear, Value: strconv.Itoa(today.Year - 1)},
		{Name: search.FacetYear, Value: strconv.Itoa(today.Year)},
		{Name: search.FacetYear, Value: strconv.Itoa(today.Year + 1)}}}
	hits := s.store.Search(q).Hits
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	recs, err := s.store.Records(ids)
	if err != nil {
		fyne.LogError("loading the upcoming activities", err)
	}
	var out []*data.Activity
	for _, r := range recs {
		v, ok := r.(*data.Activity)
		if !ok || v.Trashed() {
			continue
		}
		end := v.End
		if end.IsZero() {
			end = v.Start
		}
		if !end.Before(today) {
			out = append(out, v)
		}
	}
	sortActivities(out, false)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// upcomingCard is Home's card of the next activities, each a button that
// opens its page; without any, a button for a new activity.
// upcomingWidth is the most characters of an upcoming activity's line.
const upcomingWidth = 56

// ellipsis cuts s to at most n characters, ending it with "…" when cut.
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func upcomingCard(s *Shell) fyne.CanvasObject {
	box := container.NewVBox()
	for _, v := range upcomingActivities(s, upcomingShown) {
		id := v.ID
		text := v.Start.Local()
		if v.StartTime != "" {
			text += " " + v.StartTime
		}
		text += "  " + v.Title()
		if p := placeText(s, v.Place); p != "" {
			text += " · " + p
		}
		// A button is as wide as its text: a long title would make Home,
		// and so the window, wider than a 1366-pixel laptop screen.
		b := widget.NewButtonWithIcon(ellipsis(text, upcomingWidth), theme.CalendarIcon(), func() { s.openActivity(id) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		box.Add(b)
	}
	if len(box.Objects) == 0 {
		box.Add(widget.NewLabel(s.T("activityui.upcoming.none")))
	}
	more := widget.NewButton(s.T("activityui.upcoming.all"), func() { s.show("activities") })
	box.Add(container.NewHBox(more, widget.NewButtonWithIcon(s.T("activityui.new"), theme.ContentAddIcon(), s.openNewActivity)))
	return widget.NewCard(s.T("activityui.upcoming"), "", box)
}

// Bulk invitation from a list of persons or organisations.

// inviteButton is the list's "Invite these to an activity…" button.
func (l *listScreen) inviteButton() fyne.CanvasObject {
	return l.forPeople(widget.NewButtonWithIcon(l.shell.T("activityui.invite.button"), theme.MailComposeIcon(), l.onInvite))
}

// forPeople hides a list's button on the lists of kinds that are not
// people or bodies one invites or writes to (localities).
func (l *listScreen) forPeople(b *widget.Button) fyne.CanvasObject {
	switch l.kind {
	case data.KindPerson, data.KindOrganisation, data.KindBusiness:
	default:
		b.Hide()
	}
	return b
}

// onInvite asks which activity and with which status, then invites every
// hit of the list's current search and filters.
func (l *listScreen) onInvite() {
	s := l.shell
	ids := make([]string, 0, len(l.table.Hits()))
	for _, h := range l.table.Hits() {
		ids = append(ids, h.ID)
	}
	if len(ids) == 0 {
		dialog.ShowInformation(s.T("activityui.invite.title"), s.T("activityui.invite.nohits"), s.window)
		return
	}
	s.showInviteDialog(l.kind, ids)
}

// showInviteDialog asks for the activity and the status, and invites ids.
func (s *Shell) showInviteDialog(k data.Kind, ids []string) {
	var picked widgets.Option
	picker := widgets.NewPicker(s.activityOptions(), func(o widgets.Option) { picked = o })
	picker.PlaceHolder = s.T("ui.picker.choose")
	picker.SearchPlaceHolder = s.T("ui.picker.search")
	statuses := []string{"invited", "registered", "attended"}
	status := statusSelect(s, statuses, "invited")
	intro := widget.NewLabel(s.T("activityui.invite.intro", "n", strconv.Itoa(len(ids))))
	intro.Wrapping = fyne.TextWrapWord
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	msg.Hide()
	items := []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem(s.T("activityui.invite.activity"), picker),
		widget.NewFormItem(s.T("activityui.invite.status"), status),
		widget.NewFormItem("", msg),
	}
	d := dialog.NewForm(s.T("activityui.invite.title"), s.T("activityui.invite.do"), s.T("fyne.Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		if picked.Value == "" {
			dialog.ShowInformation(s.T("activityui.invite.title"), s.T("activityui.invite.noactivity"), s.window)
			return
		}
		st := statuses[max(status.SelectedIndex(), 0)]
		added, err := s.store.Invite(picked.Value, k, ids, st)
		if err != nil {
			s.showError("inviting to an activity", err)
			return
		}
		dialog.ShowInformation(s.T("activityui.invite.title"),
			s.T("activityui.invite.done", "added", strconv.Itoa(added), "already", strconv.Itoa(len(ids)-added), "activity", picked.Label), s.window)
	}, s.window)
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	d.Show()
	if inviteShown != nil {
		inviteShown(picker, status, d)
	}
}

// inviteShown, when set (tests), is told of the invitation dialog shown.
var inviteShown func(activity *widgets.Picker, status *widget.Select, d *dialog.FormDialog)

// activityOptions searches the activities for a picker, the latest first.
func (s *Shell) activityOptions() func(string) []widgets.Option {
	return func(text string) []widgets.Option { return activityChoices(s, text, false) }
}

// statusSelect is a select of participation statuses.
func statusSelect(s *Shell, statuses []string, current string) *widget.Select {
	opts := make([]string, len(statuses))
	for i, c := range statuses {
		opts[i] = data.ValueLabel(data.GroupParticipation, c, s.lang)
	}
	sel := widget.NewSelect(opts, nil)
	for i, c := range statuses {
		if c == current {
			sel.SetSelectedIndex(i)
		}
	}
	return sel
}

// headText is a column's heading: a field's label for "field.<name>"
// (data.FieldLabel falls back to the name), else a catalogue text.
// textColumn is a column of a textTable: its heading's catalogue key
// ("field.<name>" for a field's label) and its width.
type textColumn struct {
	title string
	width float32
}

// textTable is a table of one-line texts under bold headings, each cut
// with an ellipsis where its column ends; rows counts the rows and cell
// gives a cell's text.
func textTable(s *Shell, cols []textColumn, rows func() int, cell func(row, col int) string) *widget.Table {
	label := func(style fyne.TextStyle) fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, style)
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject { return label(fyne.TextStyle{}) },
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(cell(id.Row, id.Col)) })
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject { return label(fyne.TextStyle{Bold: true}) }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(headText(s, cols[id.Col].title))
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

func headText(s *Shell, key string) string {
	if f, ok := strings.CutPrefix(key, "field."); ok {
		return data.FieldLabel(f, s.lang)
	}
	return s.T(key)
}
