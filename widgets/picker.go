package widgets

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Widget        = (*Picker)(nil)
	_ fyne.Tappable      = (*Picker)(nil)
	_ fyne.Focusable     = (*Picker)(nil)
	_ desktop.Cursorable = (*Picker)(nil)
	_ fyne.Focusable     = (*pickerEntry)(nil)
)

// Option is one choice of a Picker: the value stored and the label shown.
type Option struct{ Value, Label string }

// pickerLimit is the most options a picker's list shows at once; typing
// narrows the list further.
const pickerLimit = 300

// Picker chooses one option out of many by typing a few letters: a field
// shows the choice, and tapping it opens a search box over the options
// (countries by their CLDR names, localities, linked records). It takes
// the keyboard's focus in its place in the form (Tab); Enter or a letter
// typed opens the search box, the letter already in it, and Esc closes the
// box again.
type Picker struct {
	widget.BaseWidget

	// Search returns the options matching what was typed ("" for all).
	Search func(text string) []Option
	// OnChanged is called when the user picks or clears.
	OnChanged func(Option)
	// PlaceHolder shows while nothing is chosen; ClearText labels the
	// button that empties the choice ("" hides it).
	PlaceHolder, ClearText, SearchPlaceHolder string
	// AddLabel, when set, offers one more line after the options found
	// for what was typed, to add it as a new choice: it returns the line's
	// label (`Add “Pećigrad”`), or ok false to offer none (nothing typed,
	// or an option found is the very thing typed). Choosing the line
	// closes the search box and calls OnAdd with the text typed; OnAdd
	// picks the new option when it has made it.
	AddLabel func(text string, found []Option) (label string, ok bool)
	OnAdd    func(text string)

	selected Option
	label    *widget.Label
	popup    *widget.PopUp
	results  []Option
	// addLabel is the add line's label while it is offered ("" when not),
	// typed the text it adds.
	addLabel, typed string
	list            *widget.List
	entry           *pickerEntry
	focused         bool
}

// NewPicker returns a picker searching with search.
func NewPicker(search func(text string) []Option, changed func(Option)) *Picker {
	p := &Picker{Search: search, OnChanged: changed}
	p.ExtendBaseWidget(p)
	return p
}

// Selected is the current choice (zero when none).
func (p *Picker) Selected() Option { return p.selected }

// SetSelected changes the choice without calling OnChanged.
func (p *Picker) SetSelected(o Option) {
	p.selected = o
	p.Refresh()
}

// Pick chooses an option as if the user had, calling OnChanged.
func (p *Picker) Pick(o Option) {
	p.selected = o
	p.Refresh()
	if p.OnChanged != nil {
		p.OnChanged(o)
	}
}

// Refresh shows the choice.
func (p *Picker) Refresh() {
	p.showChoice()
	p.BaseWidget.Refresh()
}

func (p *Picker) showChoice() {
	if p.label == nil {
		return
	}
	p.label.SetText(p.text())
}

func (p *Picker) text() string {
	if p.selected.Value == "" && p.selected.Label == "" {
		return p.PlaceHolder
	}
	if p.selected.Label == "" {
		return p.selected.Value
	}
	return p.selected.Label
}

// Tapped opens the search box.
func (p *Picker) Tapped(*fyne.PointEvent) { p.open() }

// FocusGained shows that the picker has the keyboard.
func (p *Picker) FocusGained() {
	p.focused = true
	p.Refresh()
}

// FocusLost shows that it no longer has.
func (p *Picker) FocusLost() {
	p.focused = false
	p.Refresh()
}

// TypedRune opens the search box with a letter or digit typed in it.
func (p *Picker) TypedRune(r rune) {
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return
	}
	p.open()
	if p.entry != nil {
		p.entry.TypedRune(r)
	}
}

// TypedKey opens the search box on Enter; the keys a picker does not use
// (Esc, F1) go on to the window.
func (p *Picker) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		p.open()
	case fyne.KeyEscape, fyne.KeyF1:
		if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
			if h := c.OnTypedKey(); h != nil {
				h(ev)
			}
		}
	}
}

// Cursor is a pointer: the whole field can be tapped.
func (p *Picker) Cursor() desktop.Cursor { return desktop.PointerCursor }

// CreateRenderer draws the choice like an input, with a search icon.
func (p *Picker) CreateRenderer() fyne.WidgetRenderer {
	th := p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bg := canvas.NewRectangle(th.Color(theme.ColorNameInputBackground, v))
	bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	p.label = widget.NewLabel("")
	p.label.Truncation = fyne.TextTruncateEllipsis
	p.showChoice()
	icon := widget.NewIcon(theme.SearchIcon())
	return &pickerRenderer{p: p, bg: bg, content: container.NewBorder(nil, nil, nil, icon, p.label)}
}

type pickerRenderer struct {
	p       *Picker
	bg      *canvas.Rectangle
	content *fyne.Container
}

func (r *pickerRenderer) Destroy() {}

func (r *pickerRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.content.Resize(s)
}

func (r *pickerRenderer) MinSize() fyne.Size {
	m := r.content.MinSize()
	return fyne.NewSize(max(m.Width, 80), m.Height)
}

func (r *pickerRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.content}
}

func (r *pickerRenderer) Refresh() {
	th := r.p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.bg.StrokeColor, r.bg.StrokeWidth = nil, 0
	if r.p.focused {
		r.bg.StrokeColor = th.Color(theme.ColorNameFocus, v)
		r.bg.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	}
	r.bg.Refresh()
	r.content.Refresh()
}

// open shows the search box over the window.
func (p *Picker) open() {
	c := fyne.CurrentApp().Driver().CanvasForObject(p)
	if c == nil {
		return
	}
	if p.popup != nil {
		return
	}
	p.entry = newPickerEntry(p)
	p.entry.SetPlaceHolder(p.SearchPlaceHolder)
	p.list = widget.NewList(
		func() int { return p.lines() },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if i == len(p.results) {
				l.SetText(p.addLabel)
				l.TextStyle = fyne.TextStyle{Italic: true}
			} else {
				l.SetText(p.results[i].Label)
				l.TextStyle = fyne.TextStyle{}
			}
			l.Refresh()
		})
	p.list.OnSelected = p.onLineSelected
	p.entry.OnChanged = p.filter
	p.entry.OnSubmitted = func(string) {
		if p.lines() > 0 {
			p.onLineSelected(0)
		}
	}
	buttons := container.NewHBox(widget.NewButton(lang.L("Cancel"), p.close))
	if p.ClearText != "" {
		buttons.Add(widget.NewButton(p.ClearText, func() { p.choose(Option{}) }))
	}
	content := container.NewBorder(p.entry, container.NewHBox(layout.NewSpacer(), buttons), nil, nil, p.list)
	p.popup = widget.NewModalPopUp(content, c)
	p.filter("")
	size := c.Size()
	p.popup.Resize(fyne.NewSize(min(460, size.Width-40), min(480, size.Height-40)))
	p.popup.Show()
	c.Focus(p.entry)
}

// filter narrows the list to what was typed.
func (p *Picker) filter(text string) {
	p.results = nil
	if p.Search != nil {
		p.results = p.Search(text)
	}
	if len(p.results) > pickerLimit {
		p.results = p.results[:pickerLimit]
	}
	p.addLabel, p.typed = "", text
	if p.AddLabel != nil && p.OnAdd != nil {
		if label, ok := p.AddLabel(text, p.results); ok {
			p.addLabel = label
		}
	}
	if p.list != nil {
		p.list.UnselectAll()
		p.list.Refresh()
	}
}

// lines is how many lines the list shows: the options, and the add line.
func (p *Picker) lines() int {
	if p.addLabel != "" {
		return len(p.results) + 1
	}
	return len(p.results)
}

// onLineSelected picks the option of a line, or adds what was typed.
func (p *Picker) onLineSelected(i widget.ListItemID) {
	if i < len(p.results) {
		p.choose(p.results[i])
		return
	}
	if p.addLabel != "" {
		text := p.typed
		p.close()
		p.OnAdd(text)
	}
}

// Results are the options the open search box lists (tests).
func (p *Picker) Results() []Option { return p.results }

// Offered is the label of the add line the open search box shows ("" for
// none), and its index in the list (tests).
func (p *Picker) Offered() (label string, line int) { return p.addLabel, len(p.results) }

// SearchEntry is the open search box's entry (tests), or nil.
func (p *Picker) SearchEntry() *widget.Entry {
	if p.entry == nil {
		return nil
	}
	return &p.entry.Entry
}

// IsOpen tells whether the search box is shown.
func (p *Picker) IsOpen() bool { return p.popup != nil }

// SearchList is the open search box's list (tests), or nil.
func (p *Picker) SearchList() *widget.List { return p.list }

// Open opens the search box, as a tap on the button does.
func (p *Picker) Open() { p.open() }

func (p *Picker) choose(o Option) {
	p.close()
	p.Pick(o)
}

// close hides the search box and gives the keyboard back to the picker,
// so that Tab goes on to the next field.
func (p *Picker) close() {
	if p.popup == nil {
		return
	}
	p.popup.Hide()
	p.popup = nil
	if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
		c.Focus(p)
	}
}

// pickerEntry is the search box's entry: Esc closes the box.
type pickerEntry struct {
	widget.Entry
	p *Picker
}

func newPickerEntry(p *Picker) *pickerEntry {
	e := &pickerEntry{p: p}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the search box on Esc.
func (e *pickerEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		e.p.close()
		return
	}
	e.Entry.TypedKey(ev)
}
