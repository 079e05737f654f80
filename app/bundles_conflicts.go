package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/bundle"
	"registar/data/store"
)

// bundleConflicts is the Conflicts tab: the records changed here and on
// another laptop since their common version. Choosing one shows the
// versions side by side; the user keeps one, or marks for each differing
// field the version to take and takes the marked fields.
type bundleConflicts struct {
	screen *bundlesScreen
	shell  *Shell

	list     *widget.List
	items    []store.Conflict
	chosen   *store.Conflict
	grid     *versionGrid
	detail   *fyne.Container
	status   *widget.Label
	takeMark *widget.Button
	openRec  *widget.Button
	empty    *widget.Label
	note     string // what reload shows once done
}

func (x *bundleConflicts) buildUI() fyne.CanvasObject {
	s := x.shell
	intro := widget.NewLabel(s.T("bundleui.conflicts.intro"))
	intro.Wrapping = fyne.TextWrapWord
	x.list = widget.NewList(
		func() int { return len(x.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("Organisation name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("Person · from Laptop")
			sub.Truncation = fyne.TextTruncateEllipsis
			sub.TextStyle.Italic = true // readable on the selection too
			return container.NewVBox(title, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := x.items[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(c.Ours.Title())
			box.Objects[1].(*widget.Label).SetText(s.T("bundleui.conflict.row", "kind", s.T("kind."+string(c.Kind)),
				"laptop", conflictFrom(c)))
		})
	x.list.OnSelected = x.choose
	x.empty = widget.NewLabel(s.T("bundle.conflicts.none"))
	x.empty.Importance = widget.LowImportance
	x.status = widget.NewLabel("")
	x.status.Wrapping = fyne.TextWrapWord
	x.takeMark = widget.NewButtonWithIcon(s.T("bundle.conflict.take_fields"), theme.ConfirmIcon(), x.onTakeMarked)
	x.takeMark.Importance = widget.HighImportance
	x.openRec = widget.NewButtonWithIcon(s.T("bundleui.open"), theme.DocumentIcon(), x.onOpenRecord)
	x.detail = container.NewStack()
	bottom := container.NewVBox(x.status, container.NewBorder(nil, nil, nil, container.NewHBox(x.openRec, x.takeMark)))
	right := container.NewBorder(nil, container.NewPadded(bottom), nil, nil, x.detail)
	left := container.NewStack(x.list, container.NewPadded(x.empty))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.27)
	x.showDetail()
	return container.NewPadded(container.NewBorder(intro, nil, nil, nil, split))
}

// conflictFrom names the laptops a conflict's versions came from.
func conflictFrom(c store.Conflict) string {
	name := ""
	for i, t := range c.Theirs {
		if i > 0 {
			name += ", "
		}
		if t.FromName != "" {
			name += t.FromName
		} else {
			name += t.From
		}
	}
	return name
}

// reload reads the conflicts again and chooses the one of record id (or
// the one chosen before, or the first); then note, if any, is shown.
func (x *bundleConflicts) reload(id string) {
	s := x.shell
	st := s.store
	if id == "" && x.chosen != nil {
		id = x.chosen.ID
	}
	var items []store.Conflict
	var err error
	s.background(func() { items, err = bundle.ListConflicts(st) }, func() {
		if err != nil {
			fyne.LogError("listing the conflicts", err)
		}
		x.items = items
		x.screen.setCount(bundleTabConflicts, len(items))
		x.list.UnselectAll()
		x.list.Refresh()
		if len(items) == 0 {
			x.empty.Show()
		} else {
			x.empty.Hide()
		}
		x.chosen = nil
		i := 0
		for j, c := range items {
			if c.ID == id {
				i = j
			}
		}
		if len(items) > 0 {
			x.list.Select(i) // calls choose
		} else {
			x.showDetail()
		}
		x.status.SetText(x.note)
		x.note = ""
	})
}

// choose shows the versions of a conflict side by side.
func (x *bundleConflicts) choose(i int) {
	if i < 0 || i >= len(x.items) {
		return
	}
	c := x.items[i]
	x.chosen = &c
	x.status.SetText("")
	x.showDetail()
}

// showDetail builds the side-by-side view of the conflict chosen.
func (x *bundleConflicts) showDetail() {
	s := x.shell
	c := x.chosen
	if c == nil {
		x.grid = nil
		x.takeMark.Disable()
		x.openRec.Disable()
		msg := s.T("bundleui.conflicts.choose")
		if len(x.items) == 0 {
			msg = s.T("bundle.conflicts.none")
		}
		l := widget.NewLabelWithStyle(msg, fyne.TextAlignCenter, fyne.TextStyle{})
		x.detail.Objects = []fyne.CanvasObject{container.NewCenter(l)}
		x.detail.Refresh()
		return
	}
	x.takeMark.Enable()
	x.openRec.Enable()
	x.grid = newVersionGrid(s, c.Versions(), false)
	headers := []fyne.CanvasObject{x.header(s.T("bundle.conflict.ours")+" ("+s.store.LaptopName()+")", c.Ours,
		s.T("bundle.conflict.take_ours"), func() { x.takeVersion(0) })}
	for i, t := range c.Theirs {
		from := t.FromName
		if from == "" {
			from = t.From
		}
		i := i + 1
		headers = append(headers, x.header(s.T("bundle.conflict.theirs", "laptop", from), t.Record,
			s.T("bundle.conflict.take_theirs"), func() { x.takeVersion(i) }))
	}
	title := widget.NewLabelWithStyle(s.T("kind."+string(c.Kind))+": "+c.Ours.Title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	hint := widget.NewLabel(s.T("bundleui.conflict.hint"))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	grid := x.grid.ui(headers)
	x.grid.markAll(0)
	x.detail.Objects = []fyne.CanvasObject{container.NewBorder(container.NewVBox(title, hint), nil, nil, nil, grid)}
	x.detail.Refresh()
}

// header is a version's column head: whose, when changed, and a button
// that takes it whole.
func (x *bundleConflicts) header(who string, r data.Record, take string, onTake func()) fyne.CanvasObject {
	s := x.shell
	name := widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Wrapping = fyne.TextWrapWord
	m := r.Base()
	when := widget.NewLabel(s.T("bundleui.changed", "date", bundleTime(m.UpdatedAt), "user", m.UpdatedBy))
	when.Importance = widget.LowImportance
	when.Wrapping = fyne.TextWrapWord
	b := widget.NewButton(take, onTake)
	return container.NewVBox(name, when, container.NewHBox(b))
}

// takeVersion settles the conflict with one version whole.
func (x *bundleConflicts) takeVersion(i int) {
	if x.chosen == nil {
		return
	}
	r, err := bundle.Take(*x.chosen, i)
	if err != nil {
		x.screen.showError("taking a version", err)
		return
	}
	x.resolve(r)
}

// onTakeMarked settles the conflict with each differing field taken from
// the version marked for it.
func (x *bundleConflicts) onTakeMarked() {
	if x.chosen == nil || x.grid == nil {
		return
	}
	r, err := x.markedRecord()
	if err != nil {
		x.screen.showError("taking the marked fields", err)
		return
	}
	x.resolve(r)
}

// markedRecord is this laptop's version with the fields marked for the
// other versions taken from them.
func (x *bundleConflicts) markedRecord() (data.Record, error) {
	c := *x.chosen
	r, err := bundle.Take(c, 0)
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(x.grid.versions); i++ {
		if fs := x.grid.fieldsFrom(i); len(fs) > 0 {
			if r, err = bundle.TakeFields(r, x.grid.versions[i], fs...); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// resolve writes the version chosen as the record's new version. If the
// record changed meanwhile, the conflict is shown again as it is now.
func (x *bundleConflicts) resolve(r data.Record) {
	s := x.shell
	st := s.store
	c := *x.chosen
	var err error
	s.background(func() { err = bundle.ResolveConflict(context.Background(), st, c.ID, r) }, func() {
		switch {
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
			x.note = s.T("bundleui.conflict.moved")
			x.reload(c.ID)
			return
		case err != nil:
			x.screen.showError("resolving a conflict", err)
			return
		}
		s.invalidateLists()
		x.chosen = nil
		x.note = s.T("bundleui.conflict.resolved", "name", r.Title())
		x.reload("")
	})
}

// onOpenRecord shows the record in conflict.
func (x *bundleConflicts) onOpenRecord() {
	if x.chosen != nil {
		x.shell.openRecord(x.chosen.ID)
	}
}
