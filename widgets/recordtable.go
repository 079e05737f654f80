package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/search"
)

var _ fyne.Widget = (*RecordTable)(nil)

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
	// (arrows, then space).
	OnSelected func(hit search.Hit)
	// OnSort is called when the header of a sortable column is tapped.
	OnSort func(col int, desc bool)

	load    func(ids []string) map[string]data.Record
	hits    []search.Hit
	blocks  map[int]map[string]data.Record
	recent  []int // block numbers, most recent last
	sortCol int
	desc    bool
	table   *widget.Table
}

// NewRecordTable makes a table with these columns; load reads the records
// of the IDs it is given (missing ones are left out of the map).
func NewRecordTable(cols []Column, load func(ids []string) map[string]data.Record) *RecordTable {
	t := &RecordTable{Columns: cols, load: load, blocks: map[int]map[string]data.Record{}}
	t.ExtendBaseWidget(t)
	return t
}

// SetHits replaces the rows; the cache is dropped and the view goes back to
// the top.
func (t *RecordTable) SetHits(hits []search.Hit) {
	t.hits = hits
	t.Invalidate()
	if t.table != nil {
		t.table.UnselectAll()
		t.table.ScrollToTop()
		t.table.Refresh()
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
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.hits), len(t.Columns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(t.CellText(id.Row, id.Col))
		})
	t.table.ShowHeaderColumn = false
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

// Table is the inner table, for focus and keyboard navigation.
func (t *RecordTable) Table() *widget.Table { return t.table }

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
