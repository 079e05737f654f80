package app

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"registar/data"
	"registar/data/i18n"
)

// The main screens render as recorded in testdata/, in English and in
// Bosnian (a failed comparison writes the new rendering to testdata/failed/).
// After an intended change, delete the golden file and run the test to
// write it anew, then look at it.
func TestGoldenScreens(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.EN, i18n.BS} {
		t.Run(string(l), func(t *testing.T) {
			s, w := newTestShell(t)
			s.setLang(l)
			addPerson(t, s, "Ђорђе", "Петровић", "RS")
			addPerson(t, s, "Amra", "Hodžić", "DE")
			addPerson(t, s, "Berat", "Çelik", "CH")
			o := &data.Organisation{Name: "Udruženje Bosanaca Beč", OrgKind: "diaspora_association", Country: "AT", City: "Wien"}
			if err := s.store.Save(o); err != nil {
				t.Fatal(err)
			}
			for _, sc := range []string{"home", "persons", "organisations", "trash", "settings", "publications"} {
				s.showNow(sc)
				test.AssertRendersToMarkup(t, "screen-"+sc+"-"+string(l)+".xml", w.Canvas())
			}
			s.openNew(data.KindPerson)
			test.Type(entry(t, s, "email"), "amra@")
			test.Tap(s.page.save)
			test.AssertRendersToMarkup(t, "person-new-errors-"+string(l)+".xml", w.Canvas())
		})
	}
}
