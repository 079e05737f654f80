package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/search"
)

var (
	_ fyne.Widget    = (*RecordTable)(nil)
	_ fyne.Focusable = (*RecordGrid)(nil)
)

// Column is one column of a RecordTable.
type Column struct {
	Title string
	Width float32
	// Sortable columns get a header button that calls OnSort.
	Sortable bool
	// Text is what the cell shows for a record. The title column may leave
	// it nil: it shows the hit's title without loading the record.
	Text func(r data.Record) string
}

// blockSize is how many rows are loaded from the store at once.
const blockSize = 64

// maxBlocks is how many loaded blocks stay cached (4,096 records).
const maxBlocks = 64

// RecordTable shows search hits in a virtualised table: the hits (IDs and
// titles from the index) are all in memory, full records are loaded a block
// at a time only for the rows on screen, and a bounded cache keeps the
// blocks recently seen. It stays smooth with hundreds of thousands of rows.
type RecordTable struct {
	widget.BaseWidget

	Columns []Column
	// OnSelected is called when a row is tapped or chosen with the keyboard
	// (arrows, then Enter or space).
	OnSelected func(hit search.Hit)
	// OnSort is called when the header of a sortable column is tapped.
	OnSort func(col int, desc bool)

	load    func(ids []string) map[string]data.Record
	hits    []search.Hit
	blocks  map[int]map[string]data.Record
	recent  []int // block numbers, most recent last
	sortCol int
	desc    bool
	table   *RecordGrid
	quiet   bool // moving the keyboard's row, not choosing one
}

// RecordGrid is the inner table of a RecordTable: a widget.Table that also
// takes Enter (and the keypad's Enter) as "open this row", which
// widget.Table leaves to space alone.
type RecordGrid struct {
	widget.Table
	// cursor follows widget.Table's own keyboard row (which it does not
	// show), so that new hits move it only when it is not on the first row.
	cursor int
}

// TypedKey chooses the row the keyboard is on with Enter, like space.
func (g *RecordGrid) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		g.Table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
		return
	case fyne.KeyUp:
		if g.cursor > 0 {
			g.cursor--
		}
	case fyne.KeyDown:
		if rows, _ := g.Length(); g.cursor < rows-1 {
			g.cursor++
		}
	}
	g.Table.TypedKey(ev)
}

// NewRecordTable makes a table with these columns; load reads the records
// of the IDs it is given (missing ones are left out of the map).
func NewRecordTable(cols []Column, load func(ids []string) map[string]data.Record) *RecordTable {
	t := &RecordTable{Columns: cols, load: load, blocks: map[int]map[string]data.Record{}}
	t.ExtendBaseWidget(t)
	return t
}

// SetHits replaces the rows; the cache is dropped, the view goes back to
// the top and the keyboard's row to the first.
func (t *RecordTable) SetHits(hits []search.Hit) {
	t.hits = hits
	t.Invalidate()
	if t.table != nil {
		t.table.UnselectAll()
		t.resetCursor()
		t.table.ScrollToTop()
		t.table.Refresh()
	}
}

// SetHitsSorted replaces the rows and marks the column they are sorted by,
// as SetHits and SetSort together.
func (t *RecordTable) SetHitsSorted(hits []search.Hit, col int, desc bool) {
	t.sortCol, t.desc = col, desc
	t.SetHits(hits)
}

// resetCursor puts the keyboard's row on the first row. widget.Table keeps
// it across new rows (a row 500 of the last search under 3 new hits would
// make Enter do nothing) and moves it only through Select, so the row is
// selected quietly and unselected.
func (t *RecordTable) resetCursor() {
	if len(t.hits) == 0 || t.table.cursor == 0 {
		return
	}
	t.quiet = true
	t.table.Select(widget.TableCellID{Row: 0, Col: 0})
	t.table.UnselectAll()
	t.quiet = false
}

// ChooseCurrent opens the row the keyboard is on, as Enter in the table
// does (the first row after new hits).
func (t *RecordTable) ChooseCurrent() {
	if t.table != nil {
		t.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

// Invalidate forgets the loaded records, so that the rows on screen are
// read again (after a save elsewhere).
func (t *RecordTable) Invalidate() {
	t.blocks = map[int]map[string]data.Record{}
	t.recent = t.recent[:0]
}

// Hits returns the rows shown.
func (t *RecordTable) Hits() []search.Hit { return t.hits }

// SetSort marks the column the rows are sorted by, for the header arrow.
func (t *RecordTable) SetSort(col int, desc bool) {
	t.sortCol, t.desc = col, desc
	if t.table != nil {
		t.table.Refresh()
	}
}

// CellText is the text of a cell, loading its block if needed; tests and
// screens use it to read what the table shows.
func (t *RecordTable) CellText(row, col int) string {
	if row < 0 || row >= len(t.hits) || col < 0 || col >= len(t.Columns) {
		return ""
	}
	c := t.Columns[col]
	if c.Text == nil {
		return t.hits[row].Title
	}
	r := t.record(row)
	if r == nil {
		return ""
	}
	return c.Text(r)
}

// record returns the record of a row from the cache, loading its block.
func (t *RecordTable) record(row int) data.Record {
	b := row / blockSize
	blk, ok := t.blocks[b]
	if !ok {
		end := min((b+1)*blockSize, len(t.hits))
		ids := make([]string, 0, end-b*blockSize)
		for _, h := range t.hits[b*blockSize : end] {
			ids = append(ids, h.ID)
		}
		blk = t.load(ids)
		t.blocks[b] = blk
		if len(t.recent) >= maxBlocks {
			delete(t.blocks, t.recent[0])
			t.recent = t.recent[1:]
		}
	} else {
		for i, x := range t.recent {
			if x == b {
				t.recent = append(t.recent[:i], t.recent[i+1:]...)
				break
			}
		}
	}
	t.recent = append(t.recent, b)
	return blk[t.hits[row].ID]
}

// CreateRenderer builds the inner widget.Table.
func (t *RecordTable) CreateRenderer() fyne.WidgetRenderer {
	t.table = &RecordGrid{}
	t.table.Length = func() (int, int) { return len(t.hits), len(t.Columns) }
	t.table.CreateCell = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.table.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		// Shaping a truncated label is most of a refresh's cost: a label
		// whose text stays (the table refreshes on a scroll, a sort arrow,
		// new hits) is left alone.
		if l, text := o.(*widget.Label), t.CellText(id.Row, id.Col); l.Text != text {
			l.SetText(text)
		}
	}
	t.table.ShowHeaderRow = true
	t.table.ExtendBaseWidget(t.table)
	t.table.CreateHeader = func() fyne.CanvasObject {
		// A button for the tap under a truncating label and the sort arrow:
		// a button's own text would not truncate in a narrow column.
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		icon := widget.NewIcon(nil)
		return container.NewStack(b, container.NewBorder(nil, nil, icon, nil, l))
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		stack := o.(*fyne.Container)
		b := stack.Objects[0].(*widget.Button)
		row := stack.Objects[1].(*fyne.Container)
		l, icon := row.Objects[0].(*widget.Label), row.Objects[1].(*widget.Icon)
		if id.Col < 0 || id.Col >= len(t.Columns) {
			l.SetText("")
			icon.Hide()
			b.OnTapped = nil
			return
		}
		c := t.Columns[id.Col]
		l.SetText(c.Title)
		icon.Hide()
		if c.Sortable && id.Col == t.sortCol {
			if t.desc {
				icon.SetResource(theme.MenuDropDownIcon())
			} else {
				icon.SetResource(theme.MenuDropUpIcon())
			}
			icon.Show()
		}
		col := id.Col
		b.OnTapped = func() { t.onHeaderTapped(col) }
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		t.table.cursor = id.Row
		if t.quiet {
			return
		}
		t.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(t.hits) && t.OnSelected != nil {
			t.OnSelected(t.hits[id.Row])
		}
	}
	for i, c := range t.Columns {
		if c.Width > 0 {
			t.table.SetColumnWidth(i, c.Width)
		}
	}
	return widget.NewSimpleRenderer(t.table)
}

// Table is the inner table, for focus and keyboard navigation: arrows move
// the keyboard's row, Enter or space open it.
func (t *RecordTable) Table() *RecordGrid { return t.table }

func (t *RecordTable) onHeaderTapped(col int) {
	if !t.Columns[col].Sortable || t.OnSort == nil {
		return
	}
	desc := false
	if col == t.sortCol {
		desc = !t.desc
	}
	t.OnSort(col, desc)
}
