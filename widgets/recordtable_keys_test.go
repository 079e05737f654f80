package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"registar/data/search"
)

// TestRecordTableEnterOpensTheKeyboardRow: arrows move the keyboard's row,
// Enter (either key) opens it, and new hits put the row back on the first.
func TestRecordTableEnterOpensTheKeyboardRow(t *testing.T) {
	test.NewTempApp(t)
	lc := &loadCounter{}
	tab := NewRecordTable([]Column{{Title: "Name", Sortable: true}, {Title: "City"}}, lc.load)
	var chosen []string
	tab.OnSelected = func(h search.Hit) { chosen = append(chosen, h.Title) }
	w := test.NewWindow(tab)
	defer w.Close()
	w.Resize(fyne.NewSize(500, 400))
	tab.SetHits(hits(10))
	if len(chosen) != 0 {
		t.Fatalf("new hits opened %v", chosen)
	}
	w.Canvas().Focus(tab.Table())
	if w.Canvas().Focused() != tab.Table() {
		t.Fatal("the table does not take the focus")
	}
	g := tab.Table()
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(chosen) != 1 || chosen[0] != "Person 000002" {
		t.Fatalf("down, down, Enter opened %v", chosen)
	}
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter}) // the keypad's Enter
	if len(chosen) != 2 || chosen[1] != "Person 000003" {
		t.Fatalf("down, keypad Enter opened %v", chosen)
	}
	// A new search with fewer rows: Enter opens its first row, not nothing.
	tab.SetHits(hits(2))
	tab.ChooseCurrent()
	if len(chosen) != 3 || chosen[2] != "Person 000000" {
		t.Fatalf("Enter after new hits opened %v", chosen)
	}
	tab.SetHits(nil)
	tab.ChooseCurrent()
	if len(chosen) != 3 {
		t.Fatalf("Enter in an empty table opened %v", chosen)
	}
}
