package widgets

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/search"
)

// loadCounter is a loader that makes persons and counts what it was asked.
type loadCounter struct{ ids int }

func (l *loadCounter) load(ids []string) map[string]data.Record {
	l.ids += len(ids)
	out := map[string]data.Record{}
	for _, id := range ids {
		p := &data.Person{GivenName: "G" + id, City: "City " + id}
		p.ID = id
		out[id] = p
	}
	return out
}

func hits(n int) []search.Hit {
	h := make([]search.Hit, n)
	for i := range h {
		h[i] = search.Hit{ID: fmt.Sprint(i), Kind: data.KindPerson, Title: fmt.Sprintf("Person %06d", i)}
	}
	return h
}

func TestRecordTableLoadsOnlyWhatIsShown(t *testing.T) {
	test.NewTempApp(t)
	lc := &loadCounter{}
	tab := NewRecordTable([]Column{
		{Title: "Name", Width: 200, Sortable: true},
		{Title: "City", Width: 150, Text: func(r data.Record) string { return r.(*data.Person).City }},
	}, lc.load)
	w := test.NewWindow(tab)
	defer w.Close()
	w.Resize(fyne.NewSize(500, 400))
	tab.SetHits(hits(100_000))
	if lc.ids > 2*blockSize {
		t.Fatalf("showing the top of 100,000 rows loaded %d records", lc.ids)
	}
	if got := tab.CellText(0, 0); got != "Person 000000" {
		t.Fatalf("title cell: %q", got)
	}
	before := lc.ids
	if got := tab.CellText(99_999, 1); got != "City 99999" {
		t.Fatalf("last row: %q", got)
	}
	if lc.ids-before > blockSize {
		t.Fatalf("reading the last row loaded %d records", lc.ids-before)
	}
	for i := 0; i < 100_000; i += blockSize {
		tab.CellText(i, 1)
	}
	if len(tab.blocks) > maxBlocks {
		t.Fatalf("cache holds %d blocks", len(tab.blocks))
	}
}

func TestRecordTableSortHeaderAndSelect(t *testing.T) {
	test.NewTempApp(t)
	lc := &loadCounter{}
	tab := NewRecordTable([]Column{{Title: "Name", Sortable: true}, {Title: "City"}}, lc.load)
	var sorted []string
	tab.OnSort = func(col int, desc bool) { sorted = append(sorted, fmt.Sprint(col, desc)); tab.SetSort(col, desc) }
	var chosen string
	tab.OnSelected = func(h search.Hit) { chosen = h.Title }
	w := test.NewWindow(tab)
	defer w.Close()
	w.Resize(fyne.NewSize(500, 400))
	tab.SetHits(hits(10))
	tab.onHeaderTapped(0)
	tab.onHeaderTapped(0)
	tab.onHeaderTapped(1) // not sortable
	if fmt.Sprint(sorted) != "[0 true 0 false]" {
		t.Fatalf("sort calls: %v", sorted)
	}
	tab.Table().Select(widget.TableCellID{Row: 3, Col: 0})
	if chosen != "Person 000003" {
		t.Fatalf("selected %q", chosen)
	}
}

func TestBarChartTapFindsBar(t *testing.T) {
	test.NewTempApp(t)
	var tapped []int
	c := NewBarChart([]Bar{{Label: "DE", Value: 10}, {Label: "AT", Value: 5}, {Label: "CH", Value: 1}}, func(i int) { tapped = append(tapped, i) })
	w := test.NewWindow(c)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 300))
	h := c.rowHeight()
	test.TapAt(c, fyne.NewPos(100, h*1.5))
	test.TapAt(c, fyne.NewPos(100, h*2.5))
	col := NewColumnChart([]Bar{{Label: "1"}, {Label: "2"}, {Label: "3"}, {Label: "4"}}, func(i int) { tapped = append(tapped, i+10) })
	w2 := test.NewWindow(col)
	defer w2.Close()
	w2.Resize(fyne.NewSize(400, 300))
	test.TapAt(col, fyne.NewPos(col.Size().Width*0.9, 50))
	if fmt.Sprint(tapped) != "[1 2 13]" {
		t.Fatalf("tapped %v", tapped)
	}
}

func TestPickerSearchesAndPicks(t *testing.T) {
	test.NewTempApp(t)
	opts := []Option{{"DE", "Njemačka"}, {"AT", "Austrija"}, {"CH", "Švicarska"}}
	var picked Option
	p := NewPicker(func(text string) []Option {
		var out []Option
		for _, o := range opts {
			if text == "" || o.Label[:1] == text[:1] {
				out = append(out, o)
			}
		}
		return out
	}, func(o Option) { picked = o })
	p.PlaceHolder = "Choose…"
	p.ClearText = "Clear"
	w := test.NewWindow(p)
	defer w.Close()
	w.Resize(fyne.NewSize(500, 500))
	if p.label.Text != "Choose…" {
		t.Fatalf("placeholder: %q", p.label.Text)
	}
	test.Tap(p)
	if len(p.Results()) != 3 {
		t.Fatalf("all options: %v", p.Results())
	}
	test.Type(p.SearchEntry(), "A")
	if len(p.Results()) != 1 {
		t.Fatalf("filtered: %v", p.Results())
	}
	p.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if picked.Value != "AT" || p.Selected().Label != "Austrija" || p.label.Text != "Austrija" {
		t.Fatalf("picked %v, shows %q", picked, p.label.Text)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("the search box stayed open")
	}
}

func TestDateEntryReadsLocalDates(t *testing.T) {
	test.NewTempApp(t)
	d := NewDateEntry("dd.mm.yyyy.")
	var changed []string
	d.OnChanged = func(s string) { changed = append(changed, s) }
	test.Type(d.Entry, "12.03.1985.")
	got, err := d.Date()
	if err != nil || got != data.NewDate(1985, 3, 12) {
		t.Fatalf("date %v %v", got, err)
	}
	d.Entry.SetText("31.02.1985.")
	if _, err := d.Date(); err == nil {
		t.Fatal("31 February accepted")
	}
	d.SetDate(data.NewDate(2001, 1, 2))
	if d.Entry.Text != "02.01.2001." || len(changed) == 0 {
		t.Fatalf("shown %q", d.Entry.Text)
	}
}

func TestCalendarMonthAndYearAreChosenNotClickedThrough(t *testing.T) {
	test.NewTempApp(t)
	var got time.Time
	c := NewCalendar(time.Date(1985, 3, 12, 0, 0, 0, 0, time.Local), func(d time.Time) { got = d })
	w := test.NewWindow(c)
	defer w.Close()
	if c.MonthTitle() != "March 1985" {
		t.Fatalf("starts at %q", c.MonthTitle())
	}
	c.year.SetText("")
	test.Type(c.year, "1962")
	c.month.SetSelectedIndex(0)
	if s := c.Shown(); s.Year() != 1962 || s.Month() != time.January {
		t.Fatalf("after typing 1962 and choosing January: %v", s)
	}
	// January 1962 began on a Monday: the first day sits under "Mon".
	if l, ok := c.days.Objects[7].(*widget.Button); !ok || l.Text != "1" {
		t.Fatalf("the 1st is not the first cell of the week: %#v", c.days.Objects[7])
	}
	test.Tap(c.days.Objects[7+30].(*widget.Button))
	if got.Year() != 1962 || got.Month() != time.January || got.Day() != 31 {
		t.Fatalf("picked %v", got)
	}
	c.year.SetText("1850")
	if c.Shown().Year() != 1962 || c.year.Validate() == nil {
		t.Fatal("a year out of range moved the calendar")
	}
}
