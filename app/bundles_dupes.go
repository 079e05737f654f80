package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/bundle"
	"registar/data/store"
)

// bundleDupes is the Duplicates tab: pairs of records that look like the
// same person (or business, organisation, locality) registered on two
// laptops under different IDs. Choosing a pair shows both side by side
// with the values a merge would keep marked; the user changes the marks
// and merges them into the left or the right record. The other goes to
// the trash (recoverable) and every link to it moves over. The merge is
// one step, and can be undone until one of its records changes.
type bundleDupes struct {
	screen *bundlesScreen
	shell  *Shell

	list     *widget.List
	items    []bundle.Duplicate
	chosen   *bundle.Duplicate
	pair     [2]data.Record // left (the older), right
	grid     *versionGrid
	detail   *fyne.Container
	status   *widget.Label
	intoLeft *widget.Button
	intoRite *widget.Button
	undo     *widget.Button
	empty    *widget.Label
	lastStep string // the merge just made, for Undo
	note     string // what reload shows once done
}

func (x *bundleDupes) buildUI() fyne.CanvasObject {
	s := x.shell
	intro := widget.NewLabel(s.T("bundleui.dupes.intro"))
	intro.Wrapping = fyne.TextWrapWord
	x.list = widget.NewList(
		func() int { return len(x.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("Organisation name ⇄ Organisation name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("Person · same name and date of birth")
			sub.Truncation = fyne.TextTruncateEllipsis
			sub.TextStyle.Italic = true // readable on the selection too
			return container.NewVBox(title, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			d := x.items[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(d.Keep.Title + "  ⇄  " + d.Drop.Title)
			box.Objects[1].(*widget.Label).SetText(s.T("kind."+string(d.Kind)) + " · " + x.why(d))
		})
	x.list.OnSelected = x.choose
	x.empty = widget.NewLabel(s.T("bundleui.dupes.none"))
	x.empty.Importance = widget.LowImportance
	x.empty.Hide()
	x.status = widget.NewLabel("")
	x.status.Wrapping = fyne.TextWrapWord
	x.intoLeft = widget.NewButtonWithIcon(s.T("bundleui.dupes.left"), theme.NavigateBackIcon(), func() { x.mergeInto(0) })
	x.intoRite = widget.NewButtonWithIcon(s.T("bundleui.dupes.right"), theme.NavigateNextIcon(), func() { x.mergeInto(1) })
	x.intoRite.IconPlacement = widget.ButtonIconTrailingText
	x.intoLeft.Importance = widget.HighImportance
	x.intoRite.Importance = widget.HighImportance
	x.undo = widget.NewButtonWithIcon(s.T("bundleui.dupes.undo"), theme.ContentUndoIcon(), x.onUndo)
	x.undo.Hide()
	x.detail = container.NewStack()
	bottom := container.NewVBox(x.status, container.NewBorder(nil, nil, nil, container.NewHBox(x.undo, x.intoLeft, x.intoRite)))
	right := container.NewBorder(nil, container.NewPadded(bottom), nil, nil, x.detail)
	left := container.NewStack(x.list, container.NewPadded(x.empty))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.27)
	x.showDetail()
	return container.NewPadded(container.NewBorder(intro, nil, nil, nil, split))
}

// why says in words what the two records share.
func (x *bundleDupes) why(d bundle.Duplicate) string {
	s := x.shell
	seen := map[string]bool{}
	var out []string
	for _, k := range d.Keys {
		key := "bundleui.dupes.why.email"
		if strings.Contains(k, ":name:") {
			key = "bundleui.dupes.why.name." + string(d.Kind)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, s.T(key))
		}
	}
	return strings.Join(out, ", ")
}

// reload looks for duplicates again, off the UI goroutine (it reads every
// record), then note, if any, is shown.
func (x *bundleDupes) reload() {
	s := x.shell
	st := s.store
	var items []bundle.Duplicate
	var err error
	x.status.SetText(s.T("bundleui.dupes.searching"))
	s.background(func() { items, err = bundle.FindDuplicates(st) }, func() {
		if err != nil {
			fyne.LogError("looking for duplicates", err)
		}
		x.items = items
		x.screen.setCount(bundleTabDuplicates, len(items))
		x.chosen = nil
		x.list.UnselectAll()
		x.list.Refresh()
		if len(items) == 0 {
			x.empty.Show()
			x.showDetail()
		} else {
			x.empty.Hide()
			x.list.Select(0) // calls choose
		}
		x.status.SetText(x.note)
		x.note = ""
	})
}

// choose shows a pair side by side.
func (x *bundleDupes) choose(i int) {
	if i < 0 || i >= len(x.items) {
		return
	}
	s := x.shell
	d := x.items[i]
	keep, err := s.store.Get(d.Keep.ID)
	if err == nil {
		x.pair[1], err = s.store.Get(d.Drop.ID)
	}
	if err != nil {
		x.screen.showError("reading a duplicate", err)
		return
	}
	x.pair[0] = keep
	x.chosen = &d
	x.status.SetText("")
	x.showDetail()
}

// showDetail builds the side-by-side view of the pair chosen.
func (x *bundleDupes) showDetail() {
	s := x.shell
	if x.chosen == nil {
		x.grid = nil
		x.intoLeft.Disable()
		x.intoRite.Disable()
		msg := s.T("bundleui.dupes.choose")
		if len(x.items) == 0 {
			msg = s.T("bundleui.dupes.none")
		}
		x.detail.Objects = []fyne.CanvasObject{container.NewCenter(widget.NewLabel(msg))}
		x.detail.Refresh()
		return
	}
	x.intoLeft.Enable()
	x.intoRite.Enable()
	x.grid = newVersionGrid(s, x.pair[:], true)
	var headers []fyne.CanvasObject
	for _, r := range x.pair {
		id := r.Base().ID
		name := widget.NewLabelWithStyle(r.Title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Wrapping = fyne.TextWrapWord
		m := r.Base()
		when := widget.NewLabel(s.T("bundleui.registered", "date", bundleTime(m.CreatedAt), "user", m.CreatedBy))
		when.Importance = widget.LowImportance
		when.Wrapping = fyne.TextWrapWord
		open := widget.NewButtonWithIcon(s.T("bundleui.open"), theme.DocumentIcon(), func() { s.openRecord(id) })
		headers = append(headers, container.NewVBox(name, when, container.NewHBox(open)))
	}
	hint := widget.NewLabel(s.T("bundleui.dupes.hint"))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	grid := x.grid.ui(headers)
	x.markDefaults()
	x.detail.Objects = []fyne.CanvasObject{container.NewBorder(hint, nil, nil, nil, grid)}
	x.detail.Refresh()
}

// markDefaults marks what bundle.Combine keeps: the left value, the right
// one where the left has none, and both lists joined.
func (x *bundleDupes) markDefaults() {
	g := x.grid
	for _, f := range g.differ {
		left, right := !isEmptyValue(g.values[0][f]), !isEmptyValue(g.values[1][f])
		switch {
		case g.multi(f) && left && right:
			g.mark(f, 0, 1)
		case left || !right:
			g.mark(f, 0)
		default:
			g.mark(f, 1)
		}
	}
}

// markedRecord is the record the marks describe: Combine of the pair (the
// left with the right filling its gaps, lists joined), then each field
// marked for one side alone taken from that side, and lists marked for
// neither emptied.
func (x *bundleDupes) markedRecord() (data.Record, error) {
	g := x.grid
	left, right := x.pair[0], x.pair[1]
	r, err := bundle.Combine(left, right)
	if err != nil {
		return nil, err
	}
	empty, err := data.New(data.KindOf(left))
	if err != nil {
		return nil, err
	}
	for _, f := range g.differ {
		from := empty
		switch m := g.marked(f); {
		case len(m) == 2:
			continue // both: Combine joined them
		case len(m) == 1 && m[0] == 0:
			from = left
		case len(m) == 1:
			from = right
		}
		if r, err = bundle.TakeFields(r, from, f); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// mergeInto makes one record of the pair, keeping the left (0) or the
// right (1) record; the other goes to the trash.
func (x *bundleDupes) mergeInto(side int) {
	if x.chosen == nil || x.grid == nil {
		return
	}
	s := x.shell
	st := s.store
	chosen, err := x.markedRecord()
	if err != nil {
		x.screen.showError("merging duplicates", err)
		return
	}
	keep, drop := x.pair[side].Base().ID, x.pair[1-side].Base().ID
	var res store.StepResult
	s.background(func() {
		res, err = bundle.MergeDuplicates(context.Background(), st, keep, drop, chosen)
	}, func() {
		if err != nil {
			x.screen.showError("merging duplicates", err)
			x.reload()
			return
		}
		s.invalidateLists()
		x.lastStep = res.Key
		x.undo.Show()
		x.note = s.T("bundleui.dupes.done", "name", chosen.Title())
		x.reload()
	})
}

// onUndo takes the merge just made back: both records as they were.
func (x *bundleDupes) onUndo() {
	s := x.shell
	st := s.store
	step := x.lastStep
	if step == "" {
		return
	}
	var err error
	s.background(func() { _, err = st.Undo(context.Background(), step) }, func() {
		if err != nil {
			x.screen.showError("undoing a merge of duplicates", err)
			return
		}
		s.invalidateLists()
		x.lastStep = ""
		x.undo.Hide()
		x.note = s.T("bundleui.dupes.undone")
		x.reload()
	})
}
