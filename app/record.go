package app

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// recordPage shows one record: its form (new or existing), and for an
// existing record its links (owner of…, member of…) and its history from
// the audit log.
type recordPage struct {
	shell   *Shell
	form    *recordForm
	isNew   bool
	title   *widget.Label
	save    *widget.Button
	trash   *widget.Button
	links   *fyne.Container
	history *fyne.Container
	// withdraw withdraws consent to contact (outreach_log.go); nil when
	// there is none to withdraw.
	withdraw *widget.Button
}

// openNew shows an empty form for a kind.
func (s *Shell) openNew(k data.Kind) {
	s.confirmLeave(func() {
		r, err := data.New(k)
		if err != nil {
			s.showError("new record", err)
			return
		}
		s.showRecord(r, true)
	}, nil)
}

// openRecord shows a stored record.
func (s *Shell) openRecord(id string) {
	s.confirmLeave(func() {
		r, err := s.store.Get(id)
		if err != nil {
			s.showError("opening a record", err)
			return
		}
		s.showRecord(r, false)
	}, nil)
}

func (s *Shell) showRecord(r data.Record, isNew bool) {
	if a, ok := r.(*data.Activity); ok { // activity_page.go
		s.showActivity(a, isNew, tabParticipants)
		return
	}
	p := &recordPage{shell: s, isNew: isNew}
	s.showPage(p.buildUI(r), func() bool { return p.form.dirty })
	s.setKeyTarget(p)
	s.page = p
}

// The record page's shortcuts: Ctrl+S saves, Esc goes back to the list
// (asking about unsaved changes), Ctrl+N starts another record of the kind.
func (p *recordPage) saveRecord() { p.onSave() }
func (p *recordPage) leave()      { p.onBack() }
func (p *recordPage) newRecord()  { p.shell.openNew(p.form.kind) }

func (p *recordPage) buildUI(r data.Record) fyne.CanvasObject {
	s := p.shell
	k := data.KindOf(r)
	p.form = newRecordForm(s, r)
	p.form.buildFields()
	p.form.settle()
	p.form.onChanged = p.onFormChanged
	p.title = widget.NewLabelWithStyle(p.heading(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Truncation = fyne.TextTruncateEllipsis
	back := widget.NewButtonWithIcon(s.T("ui.back"), theme.NavigateBackIcon(), p.onBack)
	p.save = widget.NewButtonWithIcon(s.T("fyne.Save"), theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.trash = widget.NewButtonWithIcon(s.T("ui.record.trash"), theme.DeleteIcon(), p.onTrash)
	if p.isNew {
		p.trash.Hide()
	}
	bar := container.NewBorder(nil, nil, back, container.NewHBox(p.trash, p.save), p.title)
	form := container.NewPadded(p.form.ui()) // the form scrolls itself (the wheel over its inputs too)
	if p.isNew {
		return container.NewBorder(container.NewPadded(bar), nil, nil, nil, form)
	}
	p.links = container.NewVBox()
	p.history = container.NewVBox()
	side := container.NewVScroll(container.NewVBox(
		widget.NewCard(s.T("ui.record.links"), "", p.links),
		p.activitiesCard(r),
		p.communicationsCard(r),
		widget.NewCard(s.T("ui.record.history"), "", p.history)))
	p.fillLinks(r, k)
	p.fillHistory(r.Base().ID)
	split := container.NewHSplit(form, side)
	split.SetOffset(0.66)
	return container.NewBorder(container.NewPadded(bar), nil, nil, nil, split)
}

func (p *recordPage) heading() string {
	s := p.shell
	k := p.form.kind
	if t := strings.TrimSpace(p.form.draft.Title()); t != "" && !p.isNew {
		return s.T("kind."+string(k)) + ": " + t
	}
	return s.T("ui.new." + string(k))
}

func (p *recordPage) onFormChanged() {}

// onBack returns to the list of the record's kind.
func (p *recordPage) onBack() {
	p.shell.show(kindScreen[p.form.kind])
}

// onSave saves the draft if it is valid; the form keeps what was typed
// whatever happens.
func (p *recordPage) onSave() { p.form.save() }

// onTrash moves the record to the trash, after asking.
func (p *recordPage) onTrash() {
	s := p.shell
	r := p.form.draft
	dialog.ShowConfirm(s.T("ui.record.trash"), s.T("ui.record.trash.confirm", "name", r.Title()), func(ok bool) {
		if !ok {
			return
		}
		if err := s.store.Trash(r.Base().ID); err != nil {
			s.showError("moving a record to the trash", err)
			return
		}
		s.invalidateLists()
		s.dirty = nil
		s.showNow(kindScreen[p.form.kind])
	}, s.window)
}

// invalidateLists makes the lists read their records again.
func (s *Shell) invalidateLists() {
	for _, l := range s.lists {
		l.table.Invalidate()
	}
}

// linkButton opens a linked record.
func (p *recordPage) linkButton(text, id string) fyne.CanvasObject {
	b := widget.NewButton(text, func() { p.shell.openRecord(id) })
	b.Alignment = widget.ButtonAlignLeading
	b.Importance = widget.LowImportance
	return b
}

// maxLinks is how many linked records a page lists of one kind.
const maxLinks = 50

// fillLinks lists what the record points to and what points to it. The
// records pointing to it are found by reading the businesses and
// organisations off the UI goroutine.
func (p *recordPage) fillLinks(r data.Record, k data.Kind) {
	s := p.shell
	add := func(label string, ids []string) {
		if len(ids) == 0 {
			return
		}
		p.links.Add(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
		for i, id := range ids {
			if i == maxLinks {
				p.links.Add(widget.NewLabel(s.T("ui.record.more", "n", fmt.Sprint(len(ids)-maxLinks))))
				break
			}
			p.links.Add(p.linkButton(s.recordOption(id).Label, id))
		}
	}
	switch v := r.(type) {
	case *data.Person:
		if v.LocalityID != "" {
			add(data.FieldLabel("locality_id", s.lang), []string{v.LocalityID})
		}
	case *data.Business:
		var ids []string
		for _, o := range v.Owners {
			ids = append(ids, o.PersonID)
		}
		add(data.FieldLabel("owners", s.lang), ids)
	case *data.Organisation:
		if v.UmbrellaID != "" {
			add(data.FieldLabel("umbrella_id", s.lang), []string{v.UmbrellaID})
		}
		add(data.FieldLabel("member_ids", s.lang), v.MemberIDs)
	case *data.Locality:
		n := s.store.Index().Count(search.Query{Kind: data.KindPerson, Filters: []search.Facet{{Name: search.FacetLocality, Value: v.ID}}})
		b := widget.NewButton(s.T("ui.record.residents", "n", fmt.Sprint(n)), func() {
			s.showList(data.KindPerson, []search.Facet{{Name: search.FacetLocality, Value: v.ID}})
		})
		p.links.Add(b)
	}
	id := r.Base().ID
	st := s.store
	var owns, members, children []string
	s.background(func() { owns, members, children = backLinks(st, k, id) }, func() {
		add(s.T("ui.record.ownerof"), owns)
		add(s.T("ui.record.memberof"), members)
		add(s.T("ui.record.umbrellaof"), children)
		if len(p.links.Objects) == 0 {
			p.links.Add(widget.NewLabel(s.T("ui.record.nolinks")))
		}
	})
}

// backLinks finds the businesses a person owns, the organisations they are
// a member of, and the organisations under an umbrella.
func backLinks(st *store.Store, k data.Kind, id string) (owns, members, children []string) {
	switch k {
	case data.KindPerson:
		st.Each(data.KindBusiness, func(r data.Record) error {
			b := r.(*data.Business)
			for _, o := range b.Owners {
				if o.PersonID == id && !b.Trashed() {
					owns = append(owns, b.ID)
				}
			}
			return nil
		})
		fallthrough
	case data.KindOrganisation:
		st.Each(data.KindOrganisation, func(r data.Record) error {
			o := r.(*data.Organisation)
			if o.Trashed() {
				return nil
			}
			if o.UmbrellaID == id {
				children = append(children, o.ID)
			}
			for _, m := range o.MemberIDs {
				if m == id {
					members = append(members, o.ID)
				}
			}
			return nil
		})
	}
	return owns, members, children
}

// fillHistory lists the record's audit entries, newest first, each with
// what it changed: the field's name and its value before and after, as the
// form shows them. An erasure says so and shows no values.
func (p *recordPage) fillHistory(id string) {
	s := p.shell
	entries, err := s.store.History(id)
	if err != nil {
		fyne.LogError("reading a record's history", err)
		return
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Time.Before(entries[j].Time) })
	steps := make([]data.HistoryStep, len(entries))
	for i, e := range entries {
		steps[i] = data.HistoryStep{Before: e.Before,
			NoValues: e.Action == store.ActionTrash || e.Action == store.ActionRestore || e.Action == store.ActionErase}
	}
	var current []byte
	kind := p.form.kind
	if r, err := s.store.Get(id); err == nil {
		kind = data.KindOf(r)
		current, _ = data.Encode(r)
	}
	title := func(id string) string { return s.recordOption(id).Label }
	changes := data.HistoryChanges(kind, steps, current, s.lang, title)
	for i := len(entries) - 1; i >= 0; i-- {
		if i < len(entries)-1 {
			p.history.Add(widget.NewSeparator())
		}
		p.history.Add(p.historyEntry(entries[i], changes[i]))
	}
}

// historyCreatedShown is how many first values a creation shows.
const historyCreatedShown = 4

// historyEntry is one entry of the history: when, who, what, and below it
// one line per changed field ("Grad: Stuttgart → München") in the normal
// text colour, the field's name in bold.
func (p *recordPage) historyEntry(e store.AuditEntry, c data.StepChanges) fyne.CanvasObject {
	s := p.shell
	action := string(e.Action)
	if key := "ui.action." + action; i18n.Has(i18n.EN, key) {
		action = s.T(key)
	}
	if e.Action == store.ActionErase {
		action += ": " + s.T("history.erased")
	}
	// One rich text per entry, a paragraph per line: the lines sit as close
	// as a paragraph's, not a widget's height apart.
	var segs []widget.RichTextSegment
	line := func(parts ...*widget.TextSegment) {
		last := parts[len(parts)-1]
		last.Style.Inline = false // ends the line
		for _, t := range parts {
			segs = append(segs, t)
		}
	}
	strong := func(t string) *widget.TextSegment {
		return &widget.TextSegment{Style: widget.RichTextStyleStrong, Text: t}
	}
	plain := func(t string) *widget.TextSegment {
		return &widget.TextSegment{Style: widget.RichTextStyleInline, Text: t}
	}
	line(plain(fmt.Sprintf("%s  %s  %s", e.Time.Local().Format("02.01.2006. 15:04"), e.User, action)))
	switch {
	case e.Action == store.ActionErase:
	case !c.Known:
		// The values were not kept: name the fields, as the log lists them.
		var names []string
		for _, f := range e.Changed {
			if i18n.Has(i18n.EN, "field."+f) {
				names = append(names, data.FieldLabel(f, s.lang))
			}
		}
		if len(names) > 0 {
			line(plain(strings.Join(names, ", ")))
		}
	case c.Created:
		var parts []*widget.TextSegment
		for i, f := range c.Fields {
			if i == historyCreatedShown {
				parts = append(parts, plain(", "+s.T("history.more", "n", fmt.Sprint(len(c.Fields)-i))))
				break
			}
			if i > 0 {
				parts = append(parts, plain(", "))
			}
			parts = append(parts, strong(f.Label+":"), plain(" "+f.New))
		}
		if len(parts) > 0 {
			line(parts...)
		}
	default:
		for _, f := range c.Fields {
			old, nw := f.Old, f.New
			if old == "" {
				old = "—"
			}
			if nw == "" {
				nw = "—"
			}
			line(strong(f.Label+":"), plain(" "+old+" → "+nw))
		}
	}
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}
