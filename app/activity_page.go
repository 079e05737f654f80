package app

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/search"
	"registar/reports"
	"registar/widgets"
)

// activityPage is one activity: the figures of its participants at the
// top, always current; then tabs for its participants (check-in at the
// door: search the registry blind to script, add a walk-in as a new person,
// mark attendance with a click or Space/Enter), its details (the record's
// form, saved with Save like any record) and, for a consultation, the
// draft and the comments received with the office's responses.
//
// Participants are records of their own (data.Participation): adding,
// marking and removing one is saved at once through the store, whatever
// the form's state, so two laptops checking people in never conflict. The
// form and the consultation's comments are the activity record and are
// saved by Save.
type activityPage struct {
	shell *Shell
	form  *recordForm
	act   *data.Activity // the form's draft
	isNew bool
	title *widget.Label
	save  *widget.Button
	trash *widget.Button
	tabs  *container.AppTabs

	counts  *widget.Label                          // the participants' figures at the top
	pubBtns map[reports.Publication]*widget.Button // make its publications (activity_pubs.go)
	parts   *participantsPart
	cons    *consultationPart
	consT   *container.TabItem
}

// Tabs of an activity's page, in order.
const (
	tabParticipants = iota
	tabDetails
	tabConsultation
)

// openNewActivity shows an empty activity, starting today, by the office.
func (s *Shell) openNewActivity() {
	s.confirmLeave(func() {
		a := &data.Activity{ActivityKind: "meeting", Start: data.DateOf(timeNow()), ByOffice: true}
		s.showActivity(a, true, tabDetails)
	}, nil)
}

// openActivity shows a stored activity, on its participants.
func (s *Shell) openActivity(id string) {
	s.confirmLeave(func() {
		r, err := s.store.Get(id)
		if err != nil {
			s.showError("opening an activity", err)
			return
		}
		a, ok := r.(*data.Activity)
		if !ok {
			s.showRecord(r, false)
			return
		}
		s.showActivity(a, false, tabParticipants)
	}, nil)
}

// activityShown is the activity page shown (tests); set by showActivity.
var activityShown *activityPage

// showActivity shows an activity's page on a tab.
func (s *Shell) showActivity(a *data.Activity, isNew bool, tab int) *activityPage {
	p := &activityPage{shell: s, act: a, isNew: isNew}
	ui := p.buildUI(tab)
	s.showPage(ui, func() bool { return p.form.dirty })
	s.setKeyTarget(p)
	activityShown = p
	return p
}

// The page's keys: Ctrl+S saves the activity, Esc goes back to the list,
// Ctrl+N starts another activity.
func (p *activityPage) saveRecord() { p.form.save() }
func (p *activityPage) leave()      { p.shell.show("activities") }
func (p *activityPage) newRecord()  { p.shell.openNewActivity() }

func (p *activityPage) buildUI(tab int) fyne.CanvasObject {
	s := p.shell
	if p.act.ActivityKind == "consultation" && p.act.Consultation == nil {
		p.act.Consultation = &data.Consultation{}
	}
	p.form = newRecordForm(s, p.act)
	activityFields(p.form, p.act)
	p.form.onSaved = p.onSaved
	p.form.onChanged = p.onFormChanged

	p.title = widget.NewLabelWithStyle(p.heading(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Truncation = fyne.TextTruncateEllipsis
	back := widget.NewButtonWithIcon(s.T("ui.back"), theme.NavigateBackIcon(), p.leave)
	p.save = widget.NewButtonWithIcon(s.T("fyne.Save"), theme.DocumentSaveIcon(), p.form.save)
	p.save.Importance = widget.HighImportance
	p.trash = widget.NewButtonWithIcon(s.T("ui.record.trash"), theme.DeleteIcon(), p.onTrash)
	if p.isNew {
		p.trash.Hide()
	}
	bar := container.NewBorder(nil, nil, back, container.NewHBox(p.trash, p.save), p.title)
	p.counts = widget.NewLabel("")
	p.counts.Wrapping = fyne.TextWrapWord

	details := container.NewTabItemWithIcon(s.T("activityui.tab.details"), theme.DocumentIcon(), container.NewPadded(p.form.ui()))
	p.tabs = container.NewAppTabs()
	if !p.isNew {
		p.parts = newParticipantsPart(p)
		p.tabs.Append(container.NewTabItemWithIcon(s.T("activityui.tab.participants"), theme.AccountIcon(), p.parts.buildUI()))
	} else {
		p.counts.SetText(s.T("activityui.counts.new"))
	}
	p.tabs.Append(details)
	if p.act.Consultation != nil {
		p.addConsultationTab()
	}
	p.form.settle()
	if !p.isNew {
		p.parts.showCounts()
	}
	switch {
	case tab == tabConsultation && p.consT != nil:
		p.tabs.Select(p.consT)
	case tab == tabParticipants && !p.isNew:
		p.tabs.SelectIndex(0)
	default:
		p.tabs.Select(details)
	}
	top := container.NewVBox(bar, container.NewBorder(nil, nil, nil, p.pubButtons(), p.counts))
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, p.tabs)
}

// currentTab is the tab shown, as a tab constant.
func (p *activityPage) currentTab() int {
	switch sel := p.tabs.Selected(); {
	case sel == nil:
		return tabDetails
	case p.consT != nil && sel == p.consT:
		return tabConsultation
	case p.parts != nil && sel == p.tabs.Items[0]:
		return tabParticipants
	}
	return tabDetails
}

func (p *activityPage) heading() string {
	s := p.shell
	if t := p.act.Title(); t != "" && !p.isNew {
		return s.T("kind.activity") + ": " + t
	}
	return s.T("activityui.new")
}

// onFormChanged follows the activity's kind: a consultation gets its tab
// (and an empty draft to fill), another kind loses an empty one.
func (p *activityPage) onFormChanged() {
	a := p.act
	switch {
	case a.ActivityKind == "consultation" && a.Consultation == nil:
		a.Consultation = &data.Consultation{}
		p.addConsultationTab()
		p.form.check()
	case a.ActivityKind != "consultation" && a.Consultation != nil && consultationEmpty(a.Consultation):
		a.Consultation = nil
		if p.consT != nil {
			p.tabs.Remove(p.consT)
			p.consT, p.cons = nil, nil
		}
		delete(p.form.fields, "consultation")
		p.form.check()
	}
}

// consultationEmpty: nothing of a consultation was typed.
func consultationEmpty(c *data.Consultation) bool {
	return strings.TrimSpace(c.DraftTitle) == "" && c.Reference == "" && c.IssuingBody == "" && c.Link == "" &&
		c.From.IsZero() && c.To.IsZero() && len(c.Comments) == 0
}

func (p *activityPage) addConsultationTab() {
	p.cons = newConsultationPart(p)
	p.consT = container.NewTabItemWithIcon(p.shell.T("activityui.tab.consultation"), theme.DocumentCreateIcon(), p.cons.buildUI())
	p.tabs.Append(p.consT)
}

// onSaved shows the activity as saved, on the tab that was shown.
func (p *activityPage) onSaved(saved data.Record) {
	s := p.shell
	tab := p.currentTab()
	if p.isNew {
		tab = tabParticipants
	}
	np := s.showActivity(saved.(*data.Activity), false, tab)
	np.form.markSaved()
}

// onTrash moves the activity to the trash, after asking.
func (p *activityPage) onTrash() {
	s := p.shell
	dialog.ShowConfirm(s.T("ui.record.trash"), s.T("ui.record.trash.confirm", "name", p.act.Title()), func(ok bool) {
		if !ok {
			return
		}
		if err := s.store.Trash(p.act.ID); err != nil {
			s.showError("moving an activity to the trash", err)
			return
		}
		s.dirty = nil
		s.showNow("activities")
	}, s.window)
}

// activityFields adds an activity's inputs to its form. The place's and
// the organisers' inputs report their rules' messages under the last of
// them: the model checks them as one field each ("place", "organiser_ids").
func activityFields(f *recordForm, a *data.Activity) {
	s := f.shell
	f.section("activityui.section.what")
	f.text("title", &a.Name)
	f.choice("activity_kind", data.GroupActivityKind, data.ActivityKinds, &a.ActivityKind)
	f.date("start", &a.Start)
	timeField(f, "start_time", &a.StartTime)
	f.date("end", &a.End)
	timeField(f, "end_time", &a.EndTime)
	f.section("activityui.section.where")
	place := &a.Place
	f.country("place.country", &place.Country)
	f.text("place.city", &place.City)
	f.link("place.locality_id", data.KindLocality, &place.LocalityID)
	f.text("place.address", &place.Address)
	f.boolean("place.online", &place.Online)
	f.text("place", &place.URL)
	for key, label := range map[string]string{"place.country": "country", "place.city": "city",
		"place.locality_id": "locality_id", "place.address": "address", "place.online": "online", "place": "url"} {
		f.fields[key].label.SetText(data.FieldLabel(label, s.lang))
	}
	f.section("activityui.section.who")
	f.boolean("by_office", &a.ByOffice)
	organisers(f, a)
	f.section("activityui.section.about")
	f.multiline("description", &a.Description)
	f.list("tags", &a.Tags)
}

// timeField is a time of day (18:30); "18.30" and "1830" are read too.
func timeField(f *recordForm, key string, ptr *string) *keyEntry {
	e := newKeyEntry()
	e.SetText(*ptr)
	e.SetPlaceHolder("18:30")
	e.OnChanged = func(v string) { *ptr = normalTime(v); f.changed(key) }
	f.add(key, e)
	return e
}

// normalTime reads a time as people type it: "9:5" stays wrong, "9.30",
// "930" and "09:30" are 09:30.
func normalTime(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	v = strings.NewReplacer(".", ":", "h", ":", ",", ":").Replace(v)
	v = strings.TrimSuffix(v, ":")
	if !strings.Contains(v, ":") && len(v) >= 3 && len(v) <= 4 {
		v = v[:len(v)-2] + ":" + v[len(v)-2:]
	}
	if h, m, ok := strings.Cut(v, ":"); ok && len(h) == 1 && len(m) == 2 {
		v = "0" + v
	}
	return v
}

// organisers lists the organisations that organised the activity.
func organisers(f *recordForm, a *data.Activity) {
	s := f.shell
	box := container.NewVBox()
	var rebuild func()
	rebuild = func() {
		box.Objects = nil
		for i := range a.OrganiserIDs {
			i := i
			p := f.linkPicker(data.KindOrganisation, a.OrganiserIDs[i], func(o widgets.Option) {
				a.OrganiserIDs[i] = o.Value
				f.changed("organiser_ids")
			})
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				a.OrganiserIDs = append(a.OrganiserIDs[:i], a.OrganiserIDs[i+1:]...)
				rebuild()
				f.changed("organiser_ids")
			})
			box.Add(container.NewBorder(nil, nil, nil, del, p))
		}
		box.Add(widget.NewButtonWithIcon(s.T("activityui.addorganiser"), theme.ContentAddIcon(), func() {
			a.OrganiserIDs = append(a.OrganiserIDs, "")
			rebuild()
			f.changed("organiser_ids")
		}))
		box.Refresh()
	}
	rebuild()
	f.add("organiser_ids", box)
}

// participantsPart is the participants tab: the adder, a filter, the table.
type participantsPart struct {
	page  *activityPage
	rows  []*partRow // every participant, by title
	shown []*partRow // those the filter lets through
	byID  map[string]*partRow

	find  *keyEntry
	adder *widgets.Picker
	addAs *widget.Select
	note  *widget.Label
	table *partTable
}

// partRow is one participant as the table shows it.
type partRow struct {
	p      *data.Participation
	title  string
	key    string // title folded, for the filter
	gender string // "f", "m" or "": the person's, or the representative's
	rep    string // the representative's name, if any (column pcRepresented)
}

// repOption is the representative as the picker shows them.
func (r *partRow) repOption() widgets.Option {
	if r.p.RepresentedBy == "" {
		return widgets.Option{}
	}
	return widgets.Option{Value: r.p.RepresentedBy, Label: r.rep}
}

// addStatuses are the statuses a participant can be added with.
var addStatuses = []string{"attended", "registered", "invited"}

func newParticipantsPart(p *activityPage) *participantsPart {
	pp := &participantsPart{page: p, byID: map[string]*partRow{}}
	if err := pp.load(); err != nil {
		p.shell.showError("reading an activity's participants", err)
	}
	return pp
}

// load reads the participations and, in one read, their participants (and
// representatives) for the names and genders.
func (pp *participantsPart) load() error {
	st := pp.page.shell.store
	ps, err := st.Participations(pp.page.act.ID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(ps))
	for _, x := range ps {
		ids = append(ids, x.ParticipantID)
		if x.RepresentedBy != "" {
			ids = append(ids, x.RepresentedBy)
		}
	}
	recs, err := st.Records(ids)
	if err != nil {
		return err
	}
	byID := make(map[string]data.Record, len(recs))
	for _, r := range recs {
		byID[r.Base().ID] = r
	}
	pp.rows = make([]*partRow, 0, len(ps))
	for _, x := range ps {
		pp.rows = append(pp.rows, pp.newRow(x, byID))
	}
	pp.sortRows()
	return nil
}

// newRow makes the row of a participation; recs holds its participant.
func (pp *participantsPart) newRow(x *data.Participation, recs map[string]data.Record) *partRow {
	s := pp.page.shell
	r := &partRow{p: x}
	if rec, ok := recs[x.ParticipantID]; ok {
		r.title = rec.Title()
		if rec.Base().Trashed() {
			r.title += " (" + s.T("activityui.intrash") + ")"
		}
		if v, ok := rec.(*data.Person); ok {
			r.gender = v.Gender
		}
	} else {
		r.title = s.T("activityui.missing")
	}
	if x.RepresentedBy != "" {
		if rep, ok := recs[x.RepresentedBy].(*data.Person); ok {
			r.gender = rep.Gender
			r.rep = rep.Title()
		}
	}
	r.key = fold.Key(r.title)
	if r.rep != "" { // found by who came for it too; shown in its own column
		r.key += " " + fold.Key(r.rep)
	}
	pp.byID[x.ParticipantID] = r
	return r
}

func (pp *participantsPart) sortRows() {
	sort.SliceStable(pp.rows, func(i, j int) bool { return pp.rows[i].key < pp.rows[j].key })
	pp.filter()
}

// filter narrows the table to the participants whose name has a word
// starting with each word typed, blind to script and diacritics.
func (pp *participantsPart) filter() {
	words := []string{}
	if pp.find != nil {
		words = strings.Fields(fold.Key(pp.find.Text))
	}
	if len(words) == 0 {
		pp.shown = pp.rows
	} else {
		pp.shown = nil
		for _, r := range pp.rows {
			if matchesWords(r.key, words) {
				pp.shown = append(pp.shown, r)
			}
		}
	}
	if pp.table != nil {
		pp.table.cursor = min(pp.table.cursor, max(len(pp.shown)-1, 0))
		pp.table.Refresh()
	}
}

// matchesWords: every word is the start of a word of key.
func matchesWords(key string, words []string) bool {
	for _, w := range words {
		if !strings.HasPrefix(key, w) && !strings.Contains(key, " "+w) {
			return false
		}
	}
	return true
}

// Columns of the participants table.
const (
	pcAttended = iota
	pcName
	pcStatus
	pcRole
	pcRepresented
	pcRemove
	pcCount
)

func (pp *participantsPart) buildUI() fyne.CanvasObject {
	s := pp.page.shell
	pp.adder = widgets.NewPicker(pp.searchRegistry, pp.onPicked)
	pp.adder.PlaceHolder = s.T("activityui.add")
	pp.adder.SearchPlaceHolder = s.T("activityui.add.search")
	pp.adder.AddLabel = func(text string, _ []widgets.Option) (string, bool) {
		name := strings.Join(strings.Fields(text), " ")
		if name == "" {
			return "", false
		}
		return s.T("activityui.walkin.offer", "name", name), true
	}
	pp.adder.OnAdd = func(text string) { pp.showWalkIn(text) }
	pp.addAs = statusSelect(s, addStatuses, pp.defaultStatus())
	walkIn := widget.NewButtonWithIcon(s.T("activityui.walkin"), theme.ContentAddIcon(), func() { pp.showWalkIn("") })
	pp.note = widget.NewLabel("") // always there, so the table does not move when it speaks
	pp.note.Truncation = fyne.TextTruncateEllipsis
	pp.find = newKeyEntry()
	pp.find.SetPlaceHolder(s.T("activityui.find"))
	pp.find.ActionItem = widget.NewIcon(theme.SearchIcon())
	pp.find.OnChanged = func(string) { pp.filter() }

	pp.table = newPartTable(pp)
	asLabel := widget.NewLabel(s.T("activityui.addas"))
	adderRow := container.NewBorder(nil, nil, nil, container.NewHBox(asLabel, pp.addAs, walkIn), pp.adder)
	hint := widget.NewLabel(s.T("activityui.keys"))
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(adderRow, pp.note, pp.find)
	return container.NewBorder(top, hint, nil, nil, pp.table)
}

// defaultStatus: on or after the day it starts, people added attended;
// before, registered.
func (pp *participantsPart) defaultStatus() string {
	if data.DateOf(timeNow()).Before(pp.page.act.Start) {
		return "registered"
	}
	return "attended"
}

// searchRegistry finds persons, organisations and businesses for the
// adder, best match first, blind to script and diacritics.
func (pp *participantsPart) searchRegistry(text string) []widgets.Option {
	s := pp.page.shell
	q := search.ParseQuery(text)
	q.Filters = append(q.Filters,
		search.Facet{Name: search.FacetKind, Value: string(data.KindPerson)},
		search.Facet{Name: search.FacetKind, Value: string(data.KindOrganisation)},
		search.Facet{Name: search.FacetKind, Value: string(data.KindBusiness)})
	q.Limit = 100
	if q.Text != "" {
		q.Order = search.ByRelevance
	}
	hits := s.store.Search(q).Hits
	out := make([]widgets.Option, 0, len(hits))
	for _, h := range hits {
		label := h.Title
		if h.Kind != data.KindPerson {
			label += " · " + s.T("kind."+string(h.Kind))
		}
		if r := pp.byID[h.ID]; r != nil {
			label += " · " + data.ValueLabel(data.GroupParticipation, r.p.Status, s.lang)
		}
		out = append(out, widgets.Option{Value: h.ID, Label: label})
	}
	return out
}

// onPicked adds the record picked in the adder.
func (pp *participantsPart) onPicked(o widgets.Option) {
	pp.adder.SetSelected(widgets.Option{})
	if o.Value == "" {
		return
	}
	k, ok := pp.page.shell.store.Index().Kind(o.Value)
	if !ok {
		return
	}
	pp.add(k, o.Value, pp.addStatus())
}

func (pp *participantsPart) addStatus() string {
	return addStatuses[max(pp.addAs.SelectedIndex(), 0)]
}

// add makes a record a participant with a status. Someone already on the
// list is not added twice: the note says so and the row is selected, so
// that Space marks them.
func (pp *participantsPart) add(k data.Kind, id, status string) {
	s := pp.page.shell
	if r := pp.byID[id]; r != nil {
		pp.say(s.T("activityui.already", "name", r.title, "status", data.ValueLabel(data.GroupParticipation, r.p.Status, s.lang)), widget.WarningImportance)
		pp.focusRow(r)
		return
	}
	x := &data.Participation{ActivityID: pp.page.act.ID, ParticipantKind: k, ParticipantID: id, Status: status, Role: "participant"}
	saved, err := s.store.SetParticipation(x)
	if err != nil {
		pp.sayError(err)
		return
	}
	recs := map[string]data.Record{}
	if rec, err := s.store.Get(id); err == nil {
		recs[id] = rec
	}
	r := pp.newRow(saved, recs)
	i := sort.Search(len(pp.rows), func(i int) bool { return pp.rows[i].key > r.key })
	pp.rows = append(pp.rows, nil)
	copy(pp.rows[i+1:], pp.rows[i:])
	pp.rows[i] = r
	pp.filter()
	pp.showCounts()
	pp.say(s.T("activityui.added", "name", r.title, "status", data.ValueLabel(data.GroupParticipation, status, s.lang)), widget.SuccessImportance)
	pp.focusRow(r)
}

// say puts a line above the list ("" empties it).
func (pp *participantsPart) say(text string, imp widget.Importance) {
	pp.note.Importance = imp
	pp.note.SetText(text)
}

// sayError puts the store's sentence for an error above the list.
func (pp *participantsPart) sayError(err error) {
	fyne.LogError("changing a participant", err)
	pp.say(pp.page.shell.errorText(err), widget.DangerImportance)
}

// focusRow brings a participant's row into view and puts the keyboard on it.
func (pp *participantsPart) focusRow(r *partRow) {
	for i, x := range pp.shown {
		if x == r {
			pp.table.cursor = i
			pp.table.Select(widget.TableCellID{Row: i, Col: pcName})
			pp.table.Unselect(widget.TableCellID{Row: i, Col: pcName})
			if c := fyne.CurrentApp().Driver().CanvasForObject(pp.table); c != nil {
				c.Focus(pp.table)
			}
			return
		}
	}
}

// toggle marks a participant attended, or, if they were, registered again
// (a click on the wrong row is undone by a second click).
func (pp *participantsPart) toggle(r *partRow) {
	st := "attended"
	if r.p.Status == "attended" {
		st = "registered"
	}
	pp.setStatus(r, st)
}

// setStatus saves a participant's new status and shows the new figures.
func (pp *participantsPart) setStatus(r *partRow, status string) {
	if r.p.Status == status {
		return
	}
	c := *r.p
	c.Status = status
	pp.saveRow(r, &c)
}

// setRole saves a participant's new role.
func (pp *participantsPart) setRole(r *partRow, role string) {
	if r.p.Role == role {
		return
	}
	c := *r.p
	c.Role = role
	pp.saveRow(r, &c)
}

func (pp *participantsPart) saveRow(r *partRow, c *data.Participation) {
	saved, err := pp.page.shell.store.SetParticipation(c)
	if err != nil {
		pp.sayError(err)
		pp.refreshRow(r)
		return
	}
	r.p = saved
	pp.say("", widget.MediumImportance)
	pp.refreshRow(r)
	pp.showCounts()
}

// setRepresentative saves who came for an organisation or business (none:
// o is empty); the row's name and the figures by gender follow.
func (pp *participantsPart) setRepresentative(r *partRow, o widgets.Option) {
	if r.p.RepresentedBy == o.Value {
		return
	}
	c := *r.p
	c.RepresentedBy = o.Value
	saved, err := pp.page.shell.store.SetParticipation(&c)
	if err != nil {
		pp.sayError(err)
		pp.refreshRow(r)
		return
	}
	recs := map[string]data.Record{}
	for _, id := range []string{saved.ParticipantID, saved.RepresentedBy} {
		if id == "" {
			continue
		}
		if rec, err := pp.page.shell.store.Get(id); err == nil {
			recs[id] = rec
		}
	}
	nr := pp.newRow(saved, recs)
	*r = *nr
	pp.byID[saved.ParticipantID] = r
	pp.say("", widget.MediumImportance)
	pp.refreshRow(r)
	pp.showCounts()
}

// refreshRow redraws one participant's cells.
func (pp *participantsPart) refreshRow(r *partRow) {
	for i, x := range pp.shown {
		if x == r {
			for c := 0; c < pcCount; c++ {
				pp.table.RefreshItem(widget.TableCellID{Row: i, Col: c})
			}
			return
		}
	}
}

// remove takes a participant off the list (their participation goes to
// the trash; adding them again restores it), after asking.
func (pp *participantsPart) remove(r *partRow) {
	s := pp.page.shell
	dialog.ShowConfirm(s.T("activityui.remove"), s.T("activityui.remove.confirm", "name", r.title), func(ok bool) {
		if ok {
			pp.removeNow(r)
		}
	}, s.window)
}

func (pp *participantsPart) removeNow(r *partRow) {
	if err := pp.page.shell.store.Trash(r.p.ID); err != nil {
		pp.sayError(err)
		return
	}
	for i, x := range pp.rows {
		if x == r {
			pp.rows = append(pp.rows[:i], pp.rows[i+1:]...)
			break
		}
	}
	delete(pp.byID, r.p.ParticipantID)
	pp.filter()
	pp.showCounts()
}

// figures counts the participants shown by status and those who attended
// by gender, from the rows (what the table shows).
func (pp *participantsPart) figures() (byStatus, byGender map[string]int, total int) {
	byStatus, byGender = map[string]int{}, map[string]int{}
	for _, r := range pp.rows {
		byStatus[r.p.Status]++
		if r.p.Status == "attended" {
			byGender[r.gender]++
		}
	}
	return byStatus, byGender, len(pp.rows)
}

// showCounts writes the figures at the top of the page.
func (pp *participantsPart) showCounts() {
	s := pp.page.shell
	byStatus, byGender, total := pp.figures()
	parts := []string{s.T("activityui.counts.total", "n", strconv.Itoa(total))}
	for _, st := range data.ParticipationStatuses {
		t := data.ValueLabel(data.GroupParticipation, st, s.lang) + ": " + strconv.Itoa(byStatus[st])
		if st == "attended" {
			g := s.T("activityui.counts.gender", "f", strconv.Itoa(byGender["f"]), "m", strconv.Itoa(byGender["m"]))
			if n := byGender[""]; n > 0 {
				g += ", " + s.T("activityui.counts.nogender", "n", strconv.Itoa(n))
			}
			t += " (" + g + ")"
		}
		parts = append(parts, t)
	}
	pp.page.counts.SetText(strings.Join(parts, "  ·  "))
}

// cellText is a cell's text (tests; the table draws widgets).
func (pp *participantsPart) cellText(row, col int) string {
	if row < 0 || row >= len(pp.shown) {
		return ""
	}
	r := pp.shown[row]
	s := pp.page.shell
	switch col {
	case pcAttended:
		if r.p.Status == "attended" {
			return "✓"
		}
		return ""
	case pcName:
		return r.title
	case pcStatus:
		return data.ValueLabel(data.GroupParticipation, r.p.Status, s.lang)
	case pcRole:
		return data.ValueLabel(data.GroupRole, r.p.Role, s.lang)
	case pcRepresented:
		return r.rep
	}
	return ""
}

// partTable is the participants' table: widget.Table with Space and Enter
// marking the row the keyboard is on (its own cursor follows the table's).
type partTable struct {
	widget.Table
	pp     *participantsPart
	cursor int
}

var _ fyne.Focusable = (*partTable)(nil)

func newPartTable(pp *participantsPart) *partTable {
	s := pp.page.shell
	t := &partTable{pp: pp}
	t.Length = func() (int, int) { return len(pp.shown), pcCount }
	t.CreateCell = func() fyne.CanvasObject { return newPartCell(s) }
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) { t.updateCell(id, o.(*partCell)) }
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	heads := []string{"activityui.col.attended", "ui.col.name", "field.status", "field.role", "field.represented_by", ""}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < pcCount && heads[id.Col] != "" {
			o.(*widget.Label).SetText(headText(s, heads[id.Col]))
		} else {
			o.(*widget.Label).SetText("")
		}
	}
	t.OnSelected = func(id widget.TableCellID) {
		t.cursor = id.Row
		t.Unselect(id)
	}
	t.ExtendBaseWidget(t)
	for c, w := range []float32{115, 320, 160, 160, 240, 50} {
		t.SetColumnWidth(c, w)
	}
	return t
}

// TypedKey marks the row the keyboard is on with Space or Enter.
func (t *partTable) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		if t.cursor >= 0 && t.cursor < len(t.pp.shown) {
			t.pp.toggle(t.pp.shown[t.cursor])
		}
		return
	case fyne.KeyUp:
		if t.cursor > 0 {
			t.cursor--
		}
	case fyne.KeyDown:
		if t.cursor < len(t.pp.shown)-1 {
			t.cursor++
		}
	}
	t.Table.TypedKey(ev)
}

// TypedRune ignores the space the driver sends after the Space key.
func (t *partTable) TypedRune(r rune) {}

// partCell is one cell of the participants' table. The table reuses
// cells for any column, so a cell makes the widget of a column the first
// time it shows that column, and shows only it: a screen of rows then
// costs one widget a cell, not five (two of them selects).
type partCell struct {
	widget.BaseWidget
	shell  *Shell
	mark   *widget.Button
	label  *widget.Label
	status *widget.Select
	role   *widget.Select
	rep    *widgets.Picker // who came for an organisation or business
	remove *widget.Button
	box    *fyne.Container
}

func newPartCell(s *Shell) *partCell {
	c := &partCell{shell: s, box: container.NewStack()}
	c.ExtendBaseWidget(c)
	return c
}

func (c *partCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.box) }

// show shows one widget of the cell (nil: none), adding it if it is new.
func (c *partCell) show(o fyne.CanvasObject) {
	found := false
	for _, x := range c.box.Objects {
		if x == o {
			found = true
			x.Show()
		} else {
			x.Hide()
		}
	}
	if !found && o != nil {
		c.box.Add(o)
	}
}

// valueSelect is a select of a value group's labels.
func valueSelect(s *Shell, group string, codes []string) *widget.Select {
	opts := make([]string, len(codes))
	for i, c := range codes {
		opts[i] = data.ValueLabel(group, c, s.lang)
	}
	return widget.NewSelect(opts, nil)
}

func (t *partTable) updateCell(id widget.TableCellID, c *partCell) {
	pp := t.pp
	if id.Row < 0 || id.Row >= len(pp.shown) {
		c.show(nil)
		return
	}
	r := pp.shown[id.Row]
	switch id.Col {
	case pcAttended:
		if c.mark == nil {
			c.mark = widget.NewButtonWithIcon("", theme.CheckButtonIcon(), nil)
		}
		if r.p.Status == "attended" {
			c.mark.Icon = theme.CheckButtonCheckedIcon()
			c.mark.Importance = widget.HighImportance // the theme's primary: calmer than success green on a whole column
		} else {
			c.mark.Icon = theme.CheckButtonIcon()
			c.mark.Importance = widget.MediumImportance
		}
		c.mark.OnTapped = func() { t.cursor = id.Row; pp.toggle(r) }
		c.mark.Refresh()
		c.show(c.mark)
	case pcName:
		if c.label == nil {
			c.label = widget.NewLabel("")
			c.label.Truncation = fyne.TextTruncateEllipsis
		}
		c.label.SetText(r.title)
		c.show(c.label)
	case pcStatus:
		c.status = c.valueChoice(c.status, data.GroupParticipation, data.ParticipationStatuses, r.p.Status,
			func(code string) { pp.setStatus(r, code) })
	case pcRole:
		c.role = c.valueChoice(c.role, data.GroupRole, data.ParticipationRoles, r.p.Role,
			func(code string) { pp.setRole(r, code) })
	case pcRepresented:
		if r.p.ParticipantKind == data.KindPerson {
			c.show(nil)
			return
		}
		if c.rep == nil {
			c.rep = widgets.NewPicker(c.shell.recordOptions(data.KindPerson), nil)
			c.rep.PlaceHolder = c.shell.T("activitypubs.rep.choose")
			c.rep.ClearText = c.shell.T("ui.picker.clear")
			c.rep.SearchPlaceHolder = c.shell.T("ui.picker.search")
		}
		c.rep.OnChanged = nil
		c.rep.SetSelected(r.repOption())
		c.rep.OnChanged = func(o widgets.Option) { pp.setRepresentative(r, o) }
		c.show(c.rep)
	case pcRemove:
		if c.remove == nil {
			c.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
			c.remove.Importance = widget.LowImportance
		}
		c.remove.OnTapped = func() { pp.remove(r) }
		c.show(c.remove)
	}
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// showWalkIn asks for a new person who came without being in the registry
// (name as typed in the adder, if any), saves them and adds them as
// attended. The model requires the date of birth and the country of
// residence, so the dialog asks for them too.
func (pp *participantsPart) showWalkIn(name string) *walkInDialog {
	w := newWalkInDialog(pp, name)
	w.d.Show()
	w.closeOnEsc()
	pp.page.shell.window.Canvas().Focus(w.given)
	walkInShown = w
	return w
}

// closeOnEsc makes Esc close the dialog while it is open: its entries pass
// Esc to the window (keyEntry), whose keys a dialog otherwise blocks, so
// the window's key handler is the dialog's until it closes.
func (w *walkInDialog) closeOnEsc() {
	c := w.pp.page.shell.window.Canvas()
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			w.d.Hide()
			return
		}
		if prev != nil {
			prev(ev)
		}
	})
	w.d.SetOnClosed(func() { c.SetOnTypedKey(prev) })
}

// walkInShown is the last walk-in dialog shown (tests).
var walkInShown *walkInDialog

// walkInDialog is the small form for a walk-in.
type walkInDialog struct {
	pp      *participantsPart
	given   *keyEntry
	family  *keyEntry
	gender  *widget.Select
	birth   *widgets.DateEntry
	country *widgets.Picker
	msg     *widget.Label
	add     *widget.Button
	content *fyne.Container
	d       dialog.Dialog
}

func newWalkInDialog(pp *participantsPart, name string) *walkInDialog {
	s := pp.page.shell
	w := &walkInDialog{pp: pp}
	w.given, w.family = newKeyEntry(), newKeyEntry()
	if f := strings.Fields(name); len(f) > 0 {
		w.given.SetText(f[0])
		w.family.SetText(strings.Join(f[1:], " "))
	}
	gopts := []string{"—"}
	for _, g := range data.Genders {
		gopts = append(gopts, data.ValueLabel(data.GroupGender, g, s.lang))
	}
	w.gender = widget.NewSelect(gopts, nil)
	w.gender.SetSelectedIndex(0)
	w.birth = widgets.NewDateEntry(s.T("ui.form.dateformat"))
	w.country = widgets.NewPicker(countrySearch(s), nil)
	w.country.PlaceHolder = s.T("ui.picker.choose")
	w.country.SearchPlaceHolder = s.T("ui.picker.search")
	w.msg = widget.NewLabel("")
	w.msg.Importance = widget.DangerImportance
	w.msg.Wrapping = fyne.TextWrapWord
	w.msg.Hide()
	intro := widget.NewLabel(s.T("activityui.walkin.intro"))
	intro.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(data.FieldLabel("given_name", s.lang)+" *"), w.given,
		widget.NewLabel(data.FieldLabel("family_name", s.lang)+" *"), w.family,
		widget.NewLabel(data.FieldLabel("gender", s.lang)), w.gender,
		widget.NewLabel(data.FieldLabel("birth_date", s.lang)+" *"), w.birth,
		widget.NewLabel(data.FieldLabel("country", s.lang)+" *"), w.country,
	)
	cancel := widget.NewButton(s.T("fyne.Cancel"), func() { w.d.Hide() })
	w.add = widget.NewButtonWithIcon(s.T("activityui.walkin.add"), theme.ConfirmIcon(), w.onAdd)
	w.add.Importance = widget.HighImportance
	w.content = container.NewVBox(intro, form, w.msg, container.NewHBox(layout.NewSpacer(), cancel, w.add))
	w.d = dialog.NewCustomWithoutButtons(s.T("activityui.walkin.title"), w.content, s.window)
	w.fit()
	return w
}

// fit makes the dialog as tall as its content (a message makes it taller).
func (w *walkInDialog) fit() {
	w.d.Resize(fyne.NewSize(520, w.content.MinSize().Height+80))
}

// onAdd saves the person (the store checks them with the model's rules;
// what is wrong is said in the dialog, which stays open) and adds them
// as attended.
func (w *walkInDialog) onAdd() {
	pp := w.pp
	s := pp.page.shell
	p := &data.Person{GivenName: strings.TrimSpace(w.given.Text), FamilyName: strings.TrimSpace(w.family.Text),
		Country: w.country.Selected().Value}
	if i := w.gender.SelectedIndex(); i > 0 {
		p.Gender = data.Genders[i-1]
	}
	if d, err := w.birth.Date(); err == nil {
		p.BirthDate = d
	} else {
		w.showMsg(s.T("ui.form.baddate", "field", data.FieldLabel("birth_date", s.lang)))
		return
	}
	err := s.store.Save(p)
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		msgs := make([]string, len(ve.Errors))
		for i, fe := range ve.Errors {
			msgs[i] = fe.Message
		}
		w.showMsg(strings.Join(msgs, "\n"))
		return
	case err != nil:
		w.showMsg(s.errorText(err))
		return
	}
	w.d.Hide()
	s.invalidateLists()
	pp.add(data.KindPerson, p.ID, "attended")
}

func (w *walkInDialog) showMsg(text string) {
	w.msg.SetText(text)
	w.msg.Show()
	w.fit()
}

// Persons' and organisations' pages: the activities they took part in.

// activitiesCard lists the activities a person, organisation or business
// took part in, the latest first, each with the status; nil for a kind
// that takes no part.
func (p *recordPage) activitiesCard(r data.Record) fyne.CanvasObject {
	s := p.shell
	switch data.KindOf(r) {
	case data.KindPerson, data.KindOrganisation, data.KindBusiness:
	default:
		return container.NewVBox()
	}
	box := container.NewVBox()
	for _, t := range takenPart(s, r.Base().ID) {
		id := t.act.ID
		text := t.act.Start.Local() + "  " + t.act.Title() + " · " + data.ValueLabel(data.GroupParticipation, t.status, s.lang)
		b := widget.NewButton(text, func() { s.openActivity(id) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		box.Add(b)
	}
	if len(box.Objects) == 0 {
		box.Add(widget.NewLabel(s.T("activityui.takenpart.none")))
	}
	return widget.NewCard(s.T("activityui.takenpart"), "", box)
}

// takenPartRow is an activity someone took part in, with their status.
type takenPartRow struct {
	act    *data.Activity
	status string
}

// takenPart lists the activities of a participant, latest first.
func takenPart(s *Shell, id string) []takenPartRow {
	ps, err := s.store.ParticipationsOf(id)
	if err != nil {
		fyne.LogError("reading a record's activities", err)
		return nil
	}
	ids := make([]string, len(ps))
	status := map[string]string{}
	for i, x := range ps {
		ids[i] = x.ActivityID
		status[x.ActivityID] = x.Status
	}
	recs, err := s.store.Records(ids)
	if err != nil {
		fyne.LogError("reading a record's activities", err)
	}
	var acts []*data.Activity
	for _, r := range recs {
		if v, ok := r.(*data.Activity); ok && !v.Trashed() {
			acts = append(acts, v)
		}
	}
	sortActivities(acts, true)
	out := make([]takenPartRow, len(acts))
	for i, v := range acts {
		out[i] = takenPartRow{v, status[v.ID]}
	}
	return out
}

// valueChoice shows sel (made on first use) with current chosen among codes
// of a value group; a choice the clerk makes calls set with its code.
func (c *partCell) valueChoice(sel *widget.Select, group string, codes []string, current string, set func(code string)) *widget.Select {
	if sel == nil {
		sel = valueSelect(c.shell, group, codes)
		sel.PlaceHolder = "—"
	}
	sel.OnChanged = nil
	sel.SetSelectedIndex(indexOf(codes, current))
	sel.OnChanged = func(string) {
		if i := sel.SelectedIndex(); i >= 0 {
			set(codes[i])
		}
	}
	c.show(sel)
	return sel
}
