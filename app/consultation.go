package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"registar/data"
	"registar/data/fold"
	"registar/data/search"
	"registar/widgets"
)

// consultationPart is a consultation's tab on its activity's page: the
// draft put to consultation and the comment period, then the comments
// received in a table, and under it the editor of the comment selected:
// who sent it, when, on which article, the text, and the office's
// response (accepted, partly accepted, not accepted, noted) with its
// reason. Everything here is part of the activity record: Save saves it,
// and the form's rules check it (messages under the draft's title).
type consultationPart struct {
	page *activityPage
	c    *data.Consultation
	f    *recordForm

	table  *widget.Table
	sel    int // the comment in the editor, -1 for none
	count  *widget.Label
	editor *fyne.Container
	empty  *widget.Label

	from     *widgets.Picker
	date     *widgets.DateEntry
	article  *widget.Entry
	text     *widget.Entry
	response *widget.Select
	reason   *widget.Entry
	filling  bool // the editor is being filled: its inputs change nothing
}

func newConsultationPart(p *activityPage) *consultationPart {
	return &consultationPart{page: p, c: p.act.Consultation, f: p.form, sel: -1}
}

// Columns of the comments table (the date and the reason are in the
// editor beside it).
var commentColumns = []textColumn{
	{"activityui.comment.no", 48},
	{"activityui.comment.from", 160},
	{"field.article", 115},
	{"field.text", 163},
	{"field.response", 140},
}

func (cp *consultationPart) buildUI() fyne.CanvasObject {
	s := cp.page.shell
	f := cp.f
	c := cp.c

	// The draft's title is a field of the form, so that the rules'
	// messages about the consultation show under it; it is placed here.
	f.text("consultation", &c.DraftTitle)
	title := f.fields["consultation"]
	f.rows = f.rows[:len(f.rows)-2]
	title.label.SetText(data.FieldLabel("draft_title", s.lang) + " *")
	entry := func(ptr *string) *keyEntry {
		e := newKeyEntry()
		e.SetText(*ptr)
		e.OnChanged = func(v string) { *ptr = v; f.changed("consultation") }
		return e
	}
	date := func(ptr *data.Date) *widgets.DateEntry {
		d := widgets.NewDateEntry(s.T("ui.form.dateformat"))
		d.SetDate(*ptr)
		d.OnChanged = func(string) {
			delete(f.parseErrs, "consultation")
			v, err := d.Date()
			if err != nil {
				f.parseErrs["consultation"] = s.T("ui.form.baddate", "field", s.T("activityui.period"))
				v = data.Date{}
			}
			*ptr = v
			f.changed("consultation")
		}
		return d
	}
	link := entry(&c.Link)
	link.SetPlaceHolder(s.T("activityui.link.hint"))
	period := container.NewGridWithColumns(2, date(&c.From), date(&c.To))
	draft := container.New(layout.NewFormLayout(),
		title.label, title.box,
		widget.NewLabel(data.FieldLabel("reference", s.lang)), entry(&c.Reference),
		widget.NewLabel(data.FieldLabel("issuing_body", s.lang)), entry(&c.IssuingBody),
		widget.NewLabel(data.FieldLabel("link", s.lang)), link,
		widget.NewLabel(s.T("activityui.period")), period,
	)

	cp.table = textTable(s, commentColumns, func() int { return len(c.Comments) }, cp.cellText)
	cp.table.OnSelected = func(id widget.TableCellID) { cp.selectComment(id.Row) }

	cp.count = widget.NewLabel("")
	add := widget.NewButtonWithIcon(s.T("activityui.comment.add"), theme.ContentAddIcon(), cp.onAddComment)
	head := container.NewBorder(nil, nil,
		widget.NewLabelWithStyle(s.T("activityui.comments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(cp.count, add))

	cp.buildEditor()
	cp.empty = widget.NewLabel(s.T("activityui.comment.choose"))
	cp.empty.Importance = widget.LowImportance
	cp.empty.Wrapping = fyne.TextWrapWord
	cp.showCount()
	cp.selectComment(-1)

	split := container.NewHSplit(cp.table, container.NewVScroll(container.NewStack(cp.empty, cp.editor)))
	split.SetOffset(0.6)
	return container.NewBorder(container.NewVBox(container.NewPadded(draft), widget.NewSeparator(), head), nil, nil, nil, split)
}

// buildEditor makes the inputs of one comment.
func (cp *consultationPart) buildEditor() {
	s := cp.page.shell
	cp.from = widgets.NewPicker(cp.searchSenders, func(o widgets.Option) {
		cp.edit(func(cm *data.Comment) {
			cm.FromID = o.Value
			cm.FromKind = ""
			if k, ok := s.store.Index().Kind(o.Value); ok {
				cm.FromKind = k
			}
		})
	})
	cp.from.PlaceHolder = s.T("ui.picker.choose")
	cp.from.ClearText = s.T("ui.picker.clear")
	cp.from.SearchPlaceHolder = s.T("ui.picker.search")
	cp.from.AddLabel = func(text string, found []widgets.Option) (string, bool) {
		name := strings.Join(strings.Fields(text), " ")
		if name == "" {
			return "", false
		}
		for _, o := range found {
			if fold.Key(o.Label) == fold.Key(name) {
				return "", false
			}
		}
		return s.T("activityui.comment.addorg", "name", name), true
	}
	cp.from.OnAdd = func(text string) { cp.showAddOrganisation(strings.Join(strings.Fields(text), " ")) }
	cp.date = widgets.NewDateEntry(s.T("ui.form.dateformat"))
	cp.date.OnChanged = func(string) {
		d, err := cp.date.Date()
		if err != nil {
			d = data.Date{}
		}
		cp.edit(func(cm *data.Comment) { cm.Date = d })
	}
	cp.article = widget.NewEntry()
	cp.article.OnChanged = func(v string) { cp.edit(func(cm *data.Comment) { cm.Article = v }) }
	cp.text = widget.NewMultiLineEntry()
	cp.text.Wrapping = fyne.TextWrapWord
	cp.text.SetMinRowsVisible(5)
	cp.text.OnChanged = func(v string) { cp.edit(func(cm *data.Comment) { cm.Text = v }) }
	opts := []string{"—"}
	for _, r := range data.CommentResponses {
		opts = append(opts, data.ValueLabel(data.GroupCommentResponse, r, s.lang))
	}
	cp.response = widget.NewSelect(opts, func(string) {
		i := cp.response.SelectedIndex()
		cp.edit(func(cm *data.Comment) {
			cm.Response = ""
			if i > 0 {
				cm.Response = data.CommentResponses[i-1]
			}
		})
	})
	cp.reason = widget.NewMultiLineEntry()
	cp.reason.Wrapping = fyne.TextWrapWord
	cp.reason.SetMinRowsVisible(3)
	cp.reason.OnChanged = func(v string) { cp.edit(func(cm *data.Comment) { cm.Reason = v }) }
	remove := widget.NewButtonWithIcon(s.T("activityui.comment.remove"), theme.DeleteIcon(), cp.onRemoveComment)
	remove.Importance = widget.LowImportance
	cp.editor = container.New(layout.NewFormLayout(),
		widget.NewLabel(s.T("activityui.comment.from")), cp.from,
		widget.NewLabel(data.FieldLabel("date", s.lang)), cp.date,
		widget.NewLabel(data.FieldLabel("article", s.lang)), cp.article,
		widget.NewLabel(data.FieldLabel("text", s.lang)+" *"), cp.text,
		widget.NewLabelWithStyle(data.FieldLabel("response", s.lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), cp.response,
		widget.NewLabelWithStyle(data.FieldLabel("reason", s.lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), cp.reason,
		layout.NewSpacer(), container.NewHBox(layout.NewSpacer(), remove),
	)
}

// cellText is what a cell of the comments table shows.
func (cp *consultationPart) cellText(row, col int) string {
	if row < 0 || row >= len(cp.c.Comments) {
		return ""
	}
	s := cp.page.shell
	cm := cp.c.Comments[row]
	switch col {
	case 0:
		return strconv.Itoa(row + 1)
	case 1:
		if cm.FromID == "" {
			return "—"
		}
		return s.recordOption(cm.FromID).Label
	case 2:
		return cm.Article
	case 3:
		return oneLine(cm.Text)
	case 4:
		if cm.Response == "" {
			return s.T("activityui.comment.noresponse")
		}
		return data.ValueLabel(data.GroupCommentResponse, cm.Response, s.lang)
	}
	return ""
}

// oneLine is a text's lines joined, for a table cell.
func oneLine(t string) string { return strings.Join(strings.Fields(t), " ") }

// selectComment puts a comment in the editor (-1: none).
func (cp *consultationPart) selectComment(i int) {
	if i < 0 || i >= len(cp.c.Comments) {
		cp.sel = -1
		cp.editor.Hide()
		cp.empty.Show()
		return
	}
	s := cp.page.shell
	cp.sel = i
	cm := cp.c.Comments[i]
	cp.filling = true
	cp.from.SetSelected(s.recordOption(cm.FromID))
	cp.date.SetDate(cm.Date)
	cp.article.SetText(cm.Article)
	cp.text.SetText(cm.Text)
	cp.response.SetSelectedIndex(indexOf(data.CommentResponses, cm.Response) + 1)
	cp.reason.SetText(cm.Reason)
	cp.filling = false
	cp.empty.Hide()
	cp.editor.Show()
}

// edit changes the comment in the editor and marks the page changed.
func (cp *consultationPart) edit(change func(*data.Comment)) {
	if cp.filling || cp.sel < 0 || cp.sel >= len(cp.c.Comments) {
		return
	}
	change(&cp.c.Comments[cp.sel])
	for col := range commentColumns {
		cp.table.RefreshItem(widget.TableCellID{Row: cp.sel, Col: col})
	}
	cp.showCount()
	cp.f.changed("consultation")
}

// showCount says how many comments there are and how many have a response.
func (cp *consultationPart) showCount() {
	answered := 0
	for _, cm := range cp.c.Comments {
		if cm.Response != "" {
			answered++
		}
	}
	cp.count.SetText(cp.page.shell.T("activityui.comment.count", "n", strconv.Itoa(len(cp.c.Comments)), "answered", strconv.Itoa(answered)))
}

// onAddComment adds an empty comment dated today and opens it.
func (cp *consultationPart) onAddComment() {
	cp.c.Comments = append(cp.c.Comments, data.Comment{ID: uuid.NewString(), Date: data.DateOf(timeNow())})
	cp.table.Refresh()
	cp.showCount()
	cp.f.changed("consultation")
	i := len(cp.c.Comments) - 1
	cp.table.Select(widget.TableCellID{Row: i, Col: 1})
	cp.selectComment(i)
	if c := fyne.CurrentApp().Driver().CanvasForObject(cp.text); c != nil {
		c.Focus(cp.text)
	}
}

// onRemoveComment removes the comment in the editor, after asking.
func (cp *consultationPart) onRemoveComment() {
	s := cp.page.shell
	if cp.sel < 0 {
		return
	}
	dialog.ShowConfirm(s.T("activityui.comment.remove"), s.T("activityui.comment.remove.confirm", "n", strconv.Itoa(cp.sel+1)), func(ok bool) {
		if ok {
			cp.removeComment(cp.sel)
		}
	}, s.window)
}

func (cp *consultationPart) removeComment(i int) {
	if i < 0 || i >= len(cp.c.Comments) {
		return
	}
	cp.c.Comments = append(cp.c.Comments[:i], cp.c.Comments[i+1:]...)
	cp.table.UnselectAll()
	cp.table.Refresh()
	cp.selectComment(-1)
	cp.showCount()
	cp.f.changed("consultation")
}

// searchSenders finds organisations and persons who may send a comment.
func (cp *consultationPart) searchSenders(text string) []widgets.Option {
	s := cp.page.shell
	q := search.ParseQuery(text)
	q.Filters = append(q.Filters,
		search.Facet{Name: search.FacetKind, Value: string(data.KindOrganisation)},
		search.Facet{Name: search.FacetKind, Value: string(data.KindPerson)})
	q.Limit = 100
	if q.Text != "" {
		q.Order = search.ByRelevance
	}
	hits := s.store.Search(q).Hits
	out := make([]widgets.Option, len(hits))
	for i, h := range hits {
		out[i] = widgets.Option{Value: h.ID, Label: h.Title}
	}
	return out
}

// showAddOrganisation adds an organisation that sent a comment and is not
// in the registry: its name, kind and country (what the model requires),
// then it is the comment's sender.
func (cp *consultationPart) showAddOrganisation(name string) {
	s := cp.page.shell
	nameEntry := widget.NewEntry()
	nameEntry.SetText(name)
	nameEntry.Validator = requiredText(s, "name")
	kinds := make([]string, len(data.OrganisationKinds))
	for i, k := range data.OrganisationKinds {
		kinds[i] = data.ValueLabel(data.GroupOrgKind, k, s.lang)
	}
	kind := widget.NewSelect(kinds, nil)
	kind.SetSelectedIndex(indexOf(data.OrganisationKinds, "cso"))
	country := widgets.NewPicker(countrySearch(s), nil)
	country.PlaceHolder = s.T("ui.picker.choose")
	country.SearchPlaceHolder = s.T("ui.picker.search")
	if s.office.Region != "" {
		country.SetSelected(widgets.Option{Value: s.office.Region, Label: data.CountryName(s.office.Region, s.lang)})
	}
	items := []*widget.FormItem{
		widget.NewFormItem(data.FieldLabel("name", s.lang), nameEntry),
		widget.NewFormItem(data.FieldLabel("org_kind", s.lang), kind),
		widget.NewFormItem(data.FieldLabel("country", s.lang), country),
	}
	d := dialog.NewForm(s.T("activityui.comment.addorg.title"), s.T("activityui.comment.addorg.do"), s.T("fyne.Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		o := &data.Organisation{Name: strings.TrimSpace(nameEntry.Text), Country: country.Selected().Value}
		if i := kind.SelectedIndex(); i >= 0 {
			o.OrgKind = data.OrganisationKinds[i]
		}
		if err := s.store.Save(o); err != nil {
			s.showError("adding an organisation", err)
			return
		}
		s.invalidateLists()
		cp.from.Pick(widgets.Option{Value: o.ID, Label: o.Name})
	}, s.window)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
}
