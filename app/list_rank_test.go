package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/i18n"
)

// Typing a name lists best match first and says why a row is there when
// it was not the name; a click on a column header gives its order back.
func TestListBestMatchFirstSaysWhatMatched(t *testing.T) {
	for _, c := range []struct {
		lang  i18n.Lang
		typed string
		label string
	}{
		{i18n.EN, "djordje", "Parent's name: Đorđe"},
		{i18n.SR, "ђорђе", "Име родитеља: Đorđe"},
	} {
		t.Run(c.lang.Name(), func(t *testing.T) {
			s, _ := newTestShell(t)
			s.setLangQuiet(c.lang)
			son := addPerson(t, s, "Aleksandar", "Milenković", "DE")
			son.ParentName = "Đorđe"
			if err := s.store.Save(son); err != nil {
				t.Fatal(err)
			}
			addPerson(t, s, "Đorđe", "Petrović", "AT")
			addPerson(t, s, "Ana", "Kovač", "DE")
			l := list(t, s, data.KindPerson)
			test.Type(l.search, c.typed)
			if n := len(l.table.Hits()); n != 2 {
				t.Fatalf("%d hits for %q", n, c.typed)
			}
			if first := l.table.CellText(0, 0); first != "Đorđe Petrović" {
				t.Errorf("first row %q, want Đorđe Petrović", first)
			}
			second := l.table.CellText(1, 0)
			if !strings.HasPrefix(second, "Aleksandar Milenković") || !strings.Contains(second, c.label) {
				t.Errorf("second row %q does not say %q matched", second, c.label)
			}
			l.onSort(0, false) // the name column: alphabetical again
			if first := l.table.CellText(0, 0); !strings.HasPrefix(first, "Aleksandar") {
				t.Errorf("sorted by name, first row %q", first)
			}
		})
	}
}
