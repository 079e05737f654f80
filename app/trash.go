package app

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/search"
	"registar/widgets"
)

// trashScreen lists the records in the trash; one can be restored, or
// erased for good after a confirmation that says what that means.
type trashScreen struct {
	shell    *Shell
	search   *widget.Entry
	count    *widget.Label
	table    *widgets.RecordTable
	selected *search.Hit
	chosen   *widget.Label
	restore  *widget.Button
	erase    *widget.Button
}

func trashView(s *Shell) fyne.CanvasObject {
	t := &trashScreen{shell: s}
	s.trash = t
	return t.buildUI()
}

func (t *trashScreen) buildUI() fyne.CanvasObject {
	s := t.shell
	cols := []widgets.Column{
		{Title: s.T("ui.col.name"), Width: 280},
		{Title: s.T("field.kind"), Width: 150, Text: func(r data.Record) string { return s.T("kind." + string(data.KindOf(r))) }},
		{Title: s.T("ui.col.trashed"), Width: 170, Text: func(r data.Record) string {
			if at := r.Base().TrashedAt; at != nil {
				return at.Local().Format("02.01.2006. 15:04")
			}
			return ""
		}},
		{Title: s.T("field.updated_by"), Width: 140, Text: func(r data.Record) string { return r.Base().UpdatedBy }},
	}
	t.table = widgets.NewRecordTable(cols, func(ids []string) map[string]data.Record {
		recs, err := s.store.Records(ids)
		if err != nil {
			fyne.LogError("loading the trash", err)
		}
		out := map[string]data.Record{}
		for _, r := range recs {
			out[r.Base().ID] = r
		}
		return out
	})
	t.table.OnSelected = t.onSelected
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder(s.T("ui.list.search"))
	t.search.OnChanged = func(string) { t.run() }
	t.count = widget.NewLabel("")
	t.chosen = widget.NewLabel("")
	t.chosen.Truncation = fyne.TextTruncateEllipsis
	t.restore = widget.NewButtonWithIcon(s.T("ui.trash.restore"), theme.ContentUndoIcon(), t.onRestore)
	t.erase = widget.NewButtonWithIcon(s.T("ui.trash.erase"), theme.DeleteIcon(), t.onErase)
	t.erase.Importance = widget.DangerImportance
	intro := widget.NewLabel(s.T("ui.trash.intro"))
	intro.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle(s.T("screen.trash"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(container.NewBorder(nil, nil, title, t.count), intro, t.search)
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(t.restore, t.erase), t.chosen)
	t.run()
	return container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, nil, t.table)
}

func (t *trashScreen) run() {
	q := search.ParseQuery(t.search.Text)
	q.Trash = search.TrashOnly
	res := t.shell.store.Search(q)
	t.table.SetHits(res.Hits)
	t.count.SetText(t.shell.T("ui.list.count", "n", strconv.Itoa(res.Total)))
	t.select_(nil)
}

func (t *trashScreen) select_(h *search.Hit) {
	t.selected = h
	if h == nil {
		t.chosen.SetText(t.shell.T("ui.trash.choose"))
		t.restore.Disable()
		t.erase.Disable()
		return
	}
	t.chosen.SetText(fmt.Sprintf("%s: %s", t.shell.T("kind."+string(h.Kind)), h.Title))
	t.restore.Enable()
	t.erase.Enable()
}

func (t *trashScreen) onSelected(h search.Hit) { t.select_(&h) }

func (t *trashScreen) onRestore() {
	if t.selected == nil {
		return
	}
	if err := t.shell.store.Restore(t.selected.ID); err != nil {
		t.shell.showError("restoring a record", err)
		return
	}
	t.shell.invalidateLists()
	t.run()
}

// onErase asks, saying what erasing means, then erases.
func (t *trashScreen) onErase() {
	if t.selected == nil {
		return
	}
	s := t.shell
	h := *t.selected
	msg := widget.NewLabel(s.T("ui.trash.erase.confirm", "name", h.Title))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(s.T("ui.trash.erase.title"), s.T("ui.trash.erase"), s.T("fyne.Cancel"),
		container.NewGridWrap(fyne.NewSize(440, msg.MinSize().Height*4), msg), func(ok bool) {
			if !ok {
				return
			}
			if err := s.store.Erase(h.ID); err != nil {
				s.showError("erasing a record", err)
				return
			}
			s.invalidateLists()
			t.run()
		}, s.window)
	d.Show()
}
