package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
)

// answerFolder makes the folder dialog answer with dir (nil: cancelled).
func answerFolder(t *testing.T, dir string) {
	t.Helper()
	old := exchangeOpenFolder
	exchangeOpenFolder = func(_ *Shell, _ string, cb func(fyne.ListableURI, error)) {
		if dir == "" {
			cb(nil, nil)
			return
		}
		l, err := storage.ListerForURI(storage.NewFileURI(dir))
		cb(l, err)
	}
	t.Cleanup(func() { exchangeOpenFolder = old })
}

func TestODKButtonWritesBothForms(t *testing.T) {
	s, w := newTestShell(t)
	b := newODKButton(s)
	w.SetContent(b)
	for _, name := range []string{"Pećigrad", "Cazin"} {
		if err := s.store.Save(&data.Locality{Name: name, Municipality: "Cazin"}); err != nil {
			t.Fatal(err)
		}
	}
	if b.Text != "Forms for phones" {
		t.Errorf("button says %q", b.Text)
	}
	test.Tap(b)
	menu := w.Canvas().Overlays().Top()
	if menu == nil {
		t.Fatal("tapping the button shows no menu of kinds")
	}
	var items []string
	walk(menu, func(o fyne.CanvasObject) {
		if txt, ok := o.(*canvas.Text); ok && txt.Text != "" {
			items = append(items, txt.Text)
		}
	})
	if strings.Join(items, ", ") != "Persons, Businesses, Organisations" {
		t.Errorf("the menu offers %v", items)
	}
	menu.Hide()

	dir := t.TempDir()
	answerFolder(t, dir)
	o := &odkForms{shell: s, button: b}
	o.onKind(data.KindPerson)
	for _, f := range []string{"registar-persons.xlsx", "registar-persons.xml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
	xml, _ := os.ReadFile(filepath.Join(dir, "registar-persons.xml"))
	if !strings.Contains(string(xml), "<name>pecigrad</name>") || !strings.Contains(string(xml), `lang="English (en)" default="true()"`) {
		t.Error("the XForm lacks the registry's local community or the screen's language as its default")
	}
	top := w.Canvas().Overlays().Top()
	if !hasText(top, "Forms for phones written") || !hasTextPrefix(top, "Written into "+dir) {
		t.Error("no dialog says where the forms went")
	}
	if got := s.app.Preferences().String(prefExchangeFolder); got != storage.NewFileURI(dir).String() {
		t.Errorf("the folder is not remembered: %q", got)
	}
	top.Hide()

	// Cancelled: nothing written, nothing shown.
	other := t.TempDir()
	answerFolder(t, "")
	o.onKind(data.KindBusiness)
	if entries, _ := os.ReadDir(other); len(entries) != 0 || w.Canvas().Overlays().Top() != nil {
		t.Error("a cancelled folder dialog wrote or showed something")
	}

	// A folder that is a file: the package's sentence, in a dialog.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	o.write(data.KindPerson, storage.NewFileURI(file))
	if top := w.Canvas().Overlays().Top(); top == nil || !hasTextPrefix(top, "The forms for phones cannot be written into the folder “"+file+"”") {
		t.Error("no clear error for a folder that is a file")
	}
}

// hasTextPrefix finds a label (or an error dialog's text) starting with text.
func hasTextPrefix(o fyne.CanvasObject, text string) bool {
	found := false
	walk(o, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			found = found || strings.HasPrefix(v.Text, text)
		case *widget.RichText:
			found = found || strings.HasPrefix(v.String(), text)
		}
	})
	return found
}
