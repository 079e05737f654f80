package widgets

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A name the picker does not find is offered as a last line to add; the
// line is not offered for nothing typed or for a name found, and choosing
// it hands the text typed to OnAdd instead of picking.
func TestPickerOffersToAddWhatItDoesNotFind(t *testing.T) {
	test.NewTempApp(t)
	opts := []Option{{"l1", "Ostrožac"}, {"l2", "Pećigrad"}}
	var picked, added []string
	p := NewPicker(func(text string) []Option {
		var out []Option
		for _, o := range opts {
			if strings.HasPrefix(strings.ToLower(o.Label), strings.ToLower(text)) {
				out = append(out, o)
			}
		}
		return out
	}, func(o Option) { picked = append(picked, o.Value) })
	p.AddLabel = func(text string, found []Option) (string, bool) {
		text = strings.TrimSpace(text)
		for _, o := range found {
			if strings.EqualFold(o.Label, text) {
				return "", false
			}
		}
		return "Add “" + text + "”", text != ""
	}
	p.OnAdd = func(text string) { added = append(added, text) }
	w := test.NewWindow(p)
	defer w.Close()
	w.Resize(fyne.NewSize(500, 500))

	test.Tap(p)
	if label, _ := p.Offered(); label != "" {
		t.Errorf("offered %q for nothing typed", label)
	}
	test.Type(p.SearchEntry(), "Ostrožac")
	if label, _ := p.Offered(); label != "" || len(p.Results()) != 1 {
		t.Errorf("found name: offered %q, results %v", label, p.Results())
	}
	p.SearchEntry().SetText("")
	test.Type(p.SearchEntry(), "Ostrožac Gornji")
	label, line := p.Offered()
	if label != "Add “Ostrožac Gornji”" || line != 0 || p.SearchList().Length() != 1 {
		t.Fatalf("offered %q at %d, %d lines", label, line, p.SearchList().Length())
	}
	shown := test.WidgetRenderer(p.SearchList()).Objects()
	if !hasLabel(shown, label) {
		t.Error("the add line is not drawn")
	}
	p.SearchList().Select(line)
	if len(added) != 1 || added[0] != "Ostrožac Gornji" || len(picked) != 0 {
		t.Fatalf("added %q, picked %q", added, picked)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("the search box stayed open")
	}
	// Return with no option found adds, too; with one, it picks.
	test.Tap(p)
	test.Type(p.SearchEntry(), "Vrnograč")
	p.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Tap(p)
	test.Type(p.SearchEntry(), "Pe")
	p.SearchEntry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if strings.Join(added, ",") != "Ostrožac Gornji,Vrnograč" || strings.Join(picked, ",") != "l2" {
		t.Errorf("added %q, picked %q", added, picked)
	}
}

// hasLabel looks for a label with the text among objects and their children.
func hasLabel(objs []fyne.CanvasObject, text string) bool {
	for _, o := range objs {
		switch v := o.(type) {
		case *widget.Label:
			if v.Text == text {
				return true
			}
		case fyne.Widget:
			if hasLabel(test.WidgetRenderer(v).Objects(), text) {
				return true
			}
		case *fyne.Container:
			if hasLabel(v.Objects, text) {
				return true
			}
		}
	}
	return false
}

// pressKey and typeRunes deliver keys as Fyne's desktop driver does: to
// the focused widget, or to the canvas when nothing has the focus.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

func typeRunes(c fyne.Canvas, text string) {
	for _, r := range text {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := c.OnTypedRune(); h != nil {
			h(r)
		}
	}
}

// The picker takes the focus in its place between the fields around it
// (Tab), opens on Enter and on a letter typed (the letter already in the
// search box), closes on Esc, and gives the focus back to itself after a
// choice so that Tab goes on to the next field.
func TestPickerKeyboard(t *testing.T) {
	test.NewTempApp(t)
	opts := []Option{{"DE", "Germany"}, {"AT", "Austria"}, {"GR", "Greece"}}
	var picked []string
	p := NewPicker(func(text string) []Option {
		var out []Option
		for _, o := range opts {
			if strings.HasPrefix(strings.ToLower(o.Label), strings.ToLower(text)) {
				out = append(out, o)
			}
		}
		return out
	}, func(o Option) { picked = append(picked, o.Value) })
	before, after := widget.NewEntry(), widget.NewEntry()
	w := test.NewWindow(container.NewVBox(before, p, after))
	defer w.Close()
	w.Resize(fyne.NewSize(500, 500))
	c := w.Canvas()

	c.Focus(before)
	test.FocusNext(c)
	if c.Focused() != p {
		t.Fatalf("Tab after the field before went to %T, not the picker", c.Focused())
	}
	pressKey(c, fyne.KeyReturn)
	if !p.IsOpen() || len(p.Results()) != 3 {
		t.Fatalf("Enter: open %v, %d results", p.IsOpen(), len(p.Results()))
	}
	pressKey(c, fyne.KeyEscape)
	if p.IsOpen() || c.Overlays().Top() != nil {
		t.Fatal("Esc left the search box open")
	}
	if c.Focused() != p {
		t.Fatalf("after Esc the focus is on %T, not the picker", c.Focused())
	}
	typeRunes(c, "gr")
	if !p.IsOpen() || p.SearchEntry().Text != "gr" {
		t.Fatalf("typing: open %v, search box %q", p.IsOpen(), p.SearchEntry().Text)
	}
	if len(p.Results()) != 1 || p.Results()[0].Value != "GR" {
		t.Fatalf("typing gr lists %v", p.Results())
	}
	pressKey(c, fyne.KeyReturn)
	if strings.Join(picked, ",") != "GR" || p.IsOpen() {
		t.Fatalf("Enter in the search box: picked %v, open %v", picked, p.IsOpen())
	}
	if c.Focused() != p {
		t.Fatalf("after a choice the focus is on %T, not the picker", c.Focused())
	}
	test.FocusNext(c)
	if c.Focused() != after {
		t.Fatalf("Tab after the picker went to %T, not the next field", c.Focused())
	}
	// A space or punctuation does not open it.
	c.Focus(p)
	typeRunes(c, " -")
	if p.IsOpen() {
		t.Fatal("a space opened the search box")
	}
}
