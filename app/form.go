package app

import (
	"errors"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/widgets"
)

// timeNow is the clock of the forms (tests may move it).
var timeNow = time.Now

// recordForm edits a draft record of any kind. Every input writes into the
// draft as the user types; the draft is then checked with the model's own
// rules (data.Validate, messages in the UI language) and each message is
// shown under its field. Fields show their message once touched, and all
// of them after a save was tried; nothing is saved while a rule fails, and
// nothing typed is lost.
//
// Under each field that can get a message there is room for one line all
// the time, so that nothing below moves when a message comes or goes; the
// labels of the fields the model requires end in " *" (requiredFields);
// a line above the fields explains the * and says what the last save did.
// The form scrolls in its own container, and the mouse wheel scrolls it
// wherever the pointer is (wheelPass).
type recordForm struct {
	shell  *Shell
	kind   data.Kind
	draft  data.Record
	stored data.Record           // the version in the registry, nil for a new record
	fields map[string]*formField // by the JSON name of the field
	rows   []fyne.CanvasObject   // for the form layout
	dirty  bool
	tried  bool
	// parseErrs are the fields whose text does not even parse (a date,
	// a number), by JSON name.
	parseErrs map[string]string
	onChanged func()
	// onSaved, when set, is told of a successful save instead of the page
	// being shown again with the saved record (tests, other pages).
	onSaved func(saved data.Record)

	required map[string]bool // by JSON name, from the model's rules
	reserve  float32         // the height of a message line
	status   *widget.Label   // the last save's outcome, above the fields
	scroll   *container.Scroll
	// consentHeads is set once the consent block's headings are placed.
	consentHeads bool
}

// formField is one field: its input and the message under it.
type formField struct {
	key     string
	input   fyne.CanvasObject
	message *widget.Label
	touched bool
	box     *fyne.Container // the input and the lines under it
	// note, when set, says how the field's value was read (a phone
	// number), shown under it whether or not a rule fails.
	note      func() (text string, importance widget.Importance)
	noteLabel *widget.Label
	label     *widget.Label // beside the input
}

func newRecordForm(s *Shell, r data.Record) *recordForm {
	f := &recordForm{shell: s, kind: data.KindOf(r), draft: r,
		fields: map[string]*formField{}, parseErrs: map[string]string{},
		required: requiredFields(data.KindOf(r))}
	f.status = widget.NewLabel("")
	f.status.Alignment = fyne.TextAlignTrailing
	f.status.Truncation = fyne.TextTruncateEllipsis
	if r.Base().Version > 0 {
		f.stored = data.Clone(r)
	}
	return f
}

// requiredFields are the fields of a kind that the model's rules require:
// those the validator refuses as missing in an empty record. So a rule
// added to a `validate` tag marks its field without a word here.
func requiredFields(k data.Kind) map[string]bool {
	out := map[string]bool{}
	r, err := data.New(k)
	if err != nil {
		return out
	}
	var ve *data.ValidationError
	if errors.As(data.Validate(r, i18n.EN, nil), &ve) {
		for _, fe := range ve.Errors {
			if fe.Tag == "required" && topField(fe.Field) == fe.Field {
				out[fe.Field] = true
			}
		}
	}
	return out
}

// labelText is a field's label, with " *" when it is required.
func (f *recordForm) labelText(key string) string {
	l := data.FieldLabel(key, f.shell.lang)
	if f.required[key] {
		l += " *"
	}
	return l
}

// add places a field's input with its label and the line under it, which
// keeps the height of one message whether or not one is shown.
func (f *recordForm) add(key string, input fyne.CanvasObject) *formField {
	return f.addField(key, input, true)
}

// addField is add; reserve false leaves no room for a message (a choice
// from a fixed list, which nothing typed can make wrong: a message then
// still shows, taking room as it comes).
func (f *recordForm) addField(key string, input fyne.CanvasObject, reserve bool) *formField {
	msg := newMessageLabel()
	msg.Importance = widget.DangerImportance
	h := float32(0)
	if reserve {
		h = f.lineHeight()
	}
	line := container.New(&lineLayout{reserve: h}, msg)
	ff := &formField{key: key, input: input, message: msg,
		box: container.New(fieldLayout{}, container.NewStack(input, newWheelPass(f.scrolled)), line)}
	f.fields[key] = ff
	ff.label = widget.NewLabel(f.labelText(key))
	f.rows = append(f.rows, ff.label, ff.box)
	return ff
}

// newMessageLabel is a hidden line of small text under a field.
func newMessageLabel() *widget.Label {
	l := widget.NewLabel("")
	l.SizeName = theme.SizeNameCaptionText
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// lineHeight is the height of one message line.
func (f *recordForm) lineHeight() float32 {
	if f.reserve == 0 {
		l := newMessageLabel()
		l.SetText("Ag")
		f.reserve = l.MinSize().Height
	}
	return f.reserve
}

// line is where a field's message and note go (tests).
func (ff *formField) line() *fyne.Container {
	return ff.box.Objects[1].(*fyne.Container)
}

// scrolled gives a wheel turned over an input to the form's scroll.
func (f *recordForm) scrolled(ev *fyne.ScrollEvent) {
	if f.scroll != nil {
		f.scroll.Scrolled(ev)
	}
}

// fieldLayout places an input and, under it, its message line. The
// label's own padding above its text overlaps the input, and the padding
// under it hangs over the gap before the next field, so the room kept for
// a message costs one line of small text and two small gaps.
type fieldLayout struct{}

// overlap is how far the line rises, and how far it hangs below the box:
// the message label's inner padding less a small gap.
func (fieldLayout) overlap() float32 { return theme.InnerPadding() - theme.Padding()/2 }

func (l fieldLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	in, line := objs[0], objs[1]
	ih := in.MinSize().Height
	in.Move(fyne.NewPos(0, 0))
	in.Resize(fyne.NewSize(size.Width, ih))
	lh := line.MinSize().Height
	if lh == 0 {
		line.Resize(fyne.NewSize(size.Width, 0))
		return
	}
	line.Move(fyne.NewPos(0, ih-l.overlap()))
	line.Resize(fyne.NewSize(size.Width, lh))
}

func (l fieldLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	in, line := objs[0].MinSize(), objs[1].MinSize()
	h := in.Height
	if line.Height > 0 {
		h = fyne.Max(h, in.Height+line.Height-2*l.overlap())
	}
	return fyne.NewSize(fyne.Max(in.Width, line.Width), h)
}

// lineLayout stacks a field's message and note (one shows at a time) and
// keeps at least the height of one line, shown or not.
type lineLayout struct{ reserve float32 }

func (l *lineLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *lineLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	min := fyne.NewSize(0, l.reserve)
	for _, o := range objs {
		if o.Visible() {
			min = min.Max(o.MinSize())
		}
	}
	return min
}

// wheelPass is a transparent layer over an input that takes the mouse
// wheel and gives it to the form's scroll. A Fyne entry scrolls its own
// text in a scroll container of its own, which the driver picks as the
// deepest scrollable object under the pointer and which swallows the wheel
// even when it has nothing to scroll (fyne-io/fyne#1939); this layer comes
// after the input in the tree, so the driver picks it instead. It is
// neither tappable nor hoverable: clicks, typing, the cursor and drags go
// to the input as before.
type wheelPass struct {
	widget.BaseWidget
	to func(*fyne.ScrollEvent)
}

var (
	_ fyne.Widget     = (*wheelPass)(nil)
	_ fyne.Scrollable = (*wheelPass)(nil)
)

func newWheelPass(to func(*fyne.ScrollEvent)) *wheelPass {
	w := &wheelPass{to: to}
	w.ExtendBaseWidget(w)
	return w
}

// Scrolled passes the wheel on.
func (w *wheelPass) Scrolled(ev *fyne.ScrollEvent) { w.to(ev) }

// MinSize is nothing: the layer takes the input's size.
func (w *wheelPass) MinSize() fyne.Size { return fyne.Size{} }

func (w *wheelPass) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// section starts a group of fields with a heading.
func (f *recordForm) section(key string) {
	h := widget.NewLabelWithStyle(f.shell.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.rows = append(f.rows, h, layout.NewSpacer())
}

// changed marks a field as touched and checks the draft again.
func (f *recordForm) changed(key string) {
	if ff := f.fields[key]; ff != nil {
		ff.touched = true
	}
	if !f.dirty {
		f.shell.prepareForWrites()
	}
	f.dirty = true
	if f.status.Text != "" {
		f.setStatus("", widget.MediumImportance)
	}
	f.check()
	if f.onChanged != nil {
		f.onChanged()
	}
}

// errors checks a copy of the draft, normalised as the store will save it,
// and returns the messages by field; parse errors come first.
func (f *recordForm) errors() map[string][]string {
	out := map[string][]string{}
	for k, m := range f.parseErrs {
		out[k] = append(out[k], m)
	}
	c := data.Clone(f.draft)
	data.Normalize(c, f.shell.region())
	err := data.Validate(c, f.shell.lang, f.linkExists, data.WithOffice(f.shell.region()), data.WithStored(f.stored))
	var ve *data.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Errors {
			k := topField(fe.Field)
			if _, bad := f.parseErrs[k]; bad {
				continue
			}
			out[k] = append(out[k], fe.Message)
		}
	}
	return out
}

// linkExists is the link check for validation: the record exists.
func (f *recordForm) linkExists(k data.Kind, id string) bool {
	got, ok := f.shell.store.Index().Kind(id)
	return ok && got == k
}

// topField is the form field of an error path: "owners[0].person_id" →
// "owners", "consent_publish.how" → "consent_publish".
func topField(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// check shows the messages of the touched fields (all after a save was
// tried) and reports whether the draft is valid.
func (f *recordForm) check() bool {
	errs := f.errors()
	for k, ff := range f.fields {
		msgs := errs[k]
		if len(msgs) > 0 && (ff.touched || f.tried) {
			ff.showMessage(msgs)
		} else {
			ff.message.SetText("")
			ff.message.Hide()
		}
		if ff.note != nil {
			ff.showNote()
		}
	}
	return len(errs) == 0
}

// showMessage puts messages under the field, one line each.
func (ff *formField) showMessage(msgs []string) {
	ff.message.SetText(strings.Join(msgs, "\n"))
	ff.message.Show()
	if ff.noteLabel != nil {
		ff.noteLabel.Hide() // the message says it; one line of room
	}
}

// showNote brings the note under a field up to date.
func (ff *formField) showNote() {
	text, imp := ff.note()
	if text == "" || ff.message.Visible() {
		ff.noteLabel.Hide()
		return
	}
	ff.noteLabel.Importance = imp
	ff.noteLabel.SetText(text)
	ff.noteLabel.Show()
}

// note is the text under a field ("" when none is shown; tests).
func (f *recordForm) note(key string) string {
	if ff := f.fields[key]; ff != nil && ff.noteLabel != nil && ff.noteLabel.Visible() {
		return ff.noteLabel.Text
	}
	return ""
}

// showErrors puts errors from a refused save at their fields.
func (f *recordForm) showErrors(ve *data.ValidationError) {
	f.tried = true
	msgs := map[string][]string{}
	for _, fe := range ve.Errors {
		k := topField(fe.Field)
		msgs[k] = append(msgs[k], fe.Message)
	}
	for k, ff := range f.fields {
		if m := msgs[k]; len(m) > 0 {
			ff.showMessage(m)
		}
	}
}

// message is the text shown under a field ("" when none).
func (f *recordForm) message(key string) string {
	if ff := f.fields[key]; ff != nil && ff.message.Visible() {
		return ff.message.Text
	}
	return ""
}

// settle forgets the changes the inputs reported while being filled.
func (f *recordForm) settle() {
	f.dirty = false
	for _, ff := range f.fields {
		ff.touched = false
	}
	f.check()
}

// ui lays the fields out in their own scroll, under a line with the
// legend of * and the outcome of the last save.
func (f *recordForm) ui() fyne.CanvasObject {
	f.scroll = container.NewVScroll(container.NewPadded(container.New(layout.NewFormLayout(), f.rows...)))
	var legend fyne.CanvasObject
	if len(f.required) > 0 {
		l := widget.NewLabel(f.shell.T("form17.legend"))
		l.Importance = widget.LowImportance
		legend = l
	}
	top := container.NewBorder(nil, nil, legend, nil, f.status)
	return container.NewBorder(top, nil, nil, nil, f.scroll)
}

// save saves the draft if it is valid, as the page's Save button and its
// keyboard shortcut do: it checks the rules first and shows each message
// at its field, saves through the store (which checks again), and then
// shows the record as saved, with "Saved at 10:30." above the fields. A
// refused save keeps everything typed, says so above the fields and
// scrolls to the first field with a message. An unchanged stored record
// is not saved again (no new version).
func (f *recordForm) save() {
	s := f.shell
	if !f.dirty && f.stored != nil {
		f.setStatus(s.T("form17.unchanged"), widget.LowImportance)
		return
	}
	f.tried = true
	if !f.check() {
		f.refused()
		return
	}
	err := s.store.Save(f.draft)
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		f.showErrors(ve)
		f.refused()
		return
	case err != nil:
		f.setStatus(s.T("form17.notsaved.store"), widget.DangerImportance)
		s.showError("saving a record", err)
		return
	}
	if err := s.store.Sync(); err != nil {
		fyne.LogError("syncing after a save", err)
	}
	f.dirty = false
	s.invalidateLists()
	saved := data.Clone(f.draft)
	if f.onSaved != nil {
		f.onSaved(saved)
		f.markSaved()
		return
	}
	s.showRecord(saved, false)
	if s.page != nil && s.page.form != nil {
		s.page.form.markSaved()
	}
}

// markSaved says above the fields that the record was just saved; the
// next change takes it away.
func (f *recordForm) markSaved() {
	f.setStatus(f.shell.T("form17.saved", "time", timeNow().Format("15:04")), widget.SuccessImportance)
}

// refused says the save was refused and brings the first field with a
// message into view.
func (f *recordForm) refused() {
	f.setStatus(f.shell.T("form17.notsaved"), widget.DangerImportance)
	if f.scroll == nil {
		return
	}
	for i := 1; i < len(f.rows); i += 2 {
		for _, ff := range f.fields {
			if ff.box == f.rows[i] && ff.message.Visible() {
				y := ff.label.Position().Y
				if y < f.scroll.Offset.Y || y > f.scroll.Offset.Y+f.scroll.Size().Height-ff.box.Size().Height {
					f.scroll.ScrollToOffset(fyne.NewPos(0, y))
				}
				return
			}
		}
	}
}

// setStatus shows the outcome of a save above the fields ("" clears it).
func (f *recordForm) setStatus(text string, imp widget.Importance) {
	f.status.Importance = imp
	f.status.SetText(text)
}

// statusText is the line above the fields (tests).
func (f *recordForm) statusText() string { return f.status.Text }

// The inputs. Each writes into the draft through a pointer and calls
// changed; each is added under its JSON field name.

func (f *recordForm) text(key string, ptr *string) *keyEntry {
	e := newKeyEntry()
	e.SetText(*ptr)
	e.OnChanged = func(v string) { *ptr = v; f.changed(key) }
	f.add(key, e)
	return e
}

// phone is a phone number as people write it; a stored number shows in
// the international format (+49 176 12345678), and under the field a note
// says how a number without a country code was read: as a number of which
// country, and whether it is valid in the office's country too (see
// data.ReadPhone). residence is the record's country field.
func (f *recordForm) phone(key string, ptr, residence *string) *keyEntry {
	e := newKeyEntry()
	e.SetText(data.FormatPhone(*ptr))
	e.SetPlaceHolder(f.shell.T("ui.form.phonehint"))
	e.OnChanged = func(v string) { *ptr = v; f.changed(key) }
	ff := f.add(key, e)
	ff.noteLabel = newMessageLabel()
	ff.line().Add(ff.noteLabel)
	ff.note = func() (string, widget.Importance) { return f.phoneNote(*ptr, *residence) }
	return e
}

// phoneNote is the note under a phone field: how a local number was read,
// that it is valid in the office's country too, or, for the number the
// registry already holds, that it is not valid (it was stored before
// numbers were checked; saving the record does not require correcting it).
func (f *recordForm) phoneNote(number, residence string) (string, widget.Importance) {
	s := f.shell
	number = strings.TrimSpace(number)
	if number == "" {
		return "", widget.LowImportance
	}
	read, err := data.ReadPhone(number, residence, s.region())
	var pe *data.PhoneError
	switch {
	case errors.As(err, &pe):
		if p := phoneField(f.stored); p != nil && *p == number {
			return pe.Message(s.lang), widget.WarningImportance
		}
		return "", widget.LowImportance // the rule's message says it
	case read.AlsoValidIn != "":
		return data.PhoneNote(number, residence, s.region(), s.lang), widget.WarningImportance
	case read.Local:
		return s.T("phone.read", "e164", data.FormatPhone(read.E164), "country", data.CountryName(read.Region, s.lang)), widget.LowImportance
	}
	return "", widget.LowImportance
}

// multiline is a text of several lines. It grows with its text rather
// than scrolling it, so the wheel over it scrolls the form and the whole
// text is in view.
func (f *recordForm) multiline(key string, ptr *string) *keyEntry {
	e := newKeyMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(textRows(*ptr, 0, e.TextStyle))
	e.SetText(*ptr)
	rows := 0
	e.OnChanged = func(v string) {
		*ptr = v
		if n := textRows(v, e.Size().Width, e.TextStyle); n != rows {
			rows = n
			e.SetMinRowsVisible(n)
			if f.scroll != nil {
				f.scroll.Content.Refresh()
			}
		}
		f.changed(key)
	}
	f.add(key, e)
	return e
}

// minTextRows is the height of an empty multi-line entry, in rows.
const minTextRows = 3

// textRows is how many rows a multi-line entry of the width needs to show
// the text wrapped at words, plus one for the line being typed; 0 width is
// a guess at the form's usual width.
func textRows(text string, width float32, style fyne.TextStyle) int {
	if width <= 0 {
		width = 520
	}
	width -= 4 * theme.InnerPadding() // the entry's own insets and a margin
	size := theme.TextSize()
	space := fyne.MeasureText(" ", size, style).Width
	rows := 0
	for _, para := range strings.Split(text, "\n") {
		n, x := 1, float32(0)
		for _, w := range strings.Fields(para) {
			ww := fyne.MeasureText(w, size, style).Width
			switch {
			case x == 0:
				x = ww
			case x+space+ww <= width:
				x += space + ww
			default:
				n++
				x = ww
			}
			if x > width { // a word longer than the line breaks inside
				n += int(math.Ceil(float64(x/width))) - 1
				x = float32(math.Mod(float64(x), float64(width)))
			}
		}
		rows += n
	}
	return max(minTextRows, rows+1)
}

func (f *recordForm) number(key string, ptr *int) *keyEntry {
	e := newKeyEntry()
	if *ptr != 0 {
		e.SetText(strconv.Itoa(*ptr))
	}
	e.OnChanged = func(v string) {
		v = strings.TrimSpace(v)
		delete(f.parseErrs, key)
		if v == "" {
			*ptr = 0
		} else if n, err := strconv.Atoi(v); err == nil {
			*ptr = n
		} else {
			f.parseErrs[key] = f.shell.T("ui.form.number", "field", data.FieldLabel(key, f.shell.lang))
		}
		f.changed(key)
	}
	f.add(key, e)
	return e
}

func (f *recordForm) date(key string, ptr *data.Date) *widgets.DateEntry {
	d := widgets.NewDateEntry(f.shell.T("ui.form.dateformat"))
	d.SetDate(*ptr)
	d.OnChanged = func(string) {
		delete(f.parseErrs, key)
		v, err := d.Date()
		if err != nil {
			f.parseErrs[key] = f.shell.T("ui.form.baddate", "field", data.FieldLabel(key, f.shell.lang))
			*ptr = data.Date{}
		} else {
			*ptr = v
		}
		f.changed(key)
	}
	f.add(key, d)
	return d
}

// choice is a select of a value group's codes; an empty choice comes first
// unless the model's rules require the field.
func (f *recordForm) choice(key, group string, codes []string, ptr *string) *widget.Select {
	required := f.required[key]
	var opts []string
	var vals []string
	if !required {
		opts, vals = append(opts, "—"), append(vals, "")
	}
	for _, c := range codes {
		opts = append(opts, data.ValueLabel(group, c, f.shell.lang))
		vals = append(vals, c)
	}
	sel := widget.NewSelect(opts, nil)
	for i, v := range vals {
		if v == *ptr && (v != "" || !required) {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		if i := sel.SelectedIndex(); i >= 0 {
			*ptr = vals[i]
		}
		f.changed(key)
	}
	f.addField(key, sel, required)
	return sel
}

// generation is a choice stored as a number.
func (f *recordForm) generation(key string, ptr *int) *widget.Select {
	s := ""
	if *ptr > 0 {
		s = strconv.Itoa(*ptr)
	}
	code := &s
	sel := f.choice(key, data.GroupGeneration, data.ValueCodes(data.GroupGeneration), code)
	sel.OnChanged = func(string) {
		if i := sel.SelectedIndex(); i > 0 {
			*ptr = i
		} else {
			*ptr = 0
		}
		f.changed(key)
	}
	return sel
}

func (f *recordForm) checks(key, group string, codes []string, ptr *[]string) *widget.CheckGroup {
	labels := make([]string, len(codes))
	byLabel := map[string]string{}
	for i, c := range codes {
		labels[i] = data.ValueLabel(group, c, f.shell.lang)
		byLabel[labels[i]] = c
	}
	g := widget.NewCheckGroup(labels, nil)
	var sel []string
	for _, c := range *ptr {
		sel = append(sel, data.ValueLabel(group, c, f.shell.lang))
	}
	g.SetSelected(sel)
	g.OnChanged = func(ls []string) {
		out := make([]string, 0, len(ls))
		for _, c := range codes { // keep the model's order
			for _, l := range ls {
				if byLabel[l] == c {
					out = append(out, c)
				}
			}
		}
		*ptr = out
		f.changed(key)
	}
	f.addField(key, g, false)
	return g
}

// list is a comma-separated list of words (tags, languages, areas).
func (f *recordForm) list(key string, ptr *[]string) *keyEntry {
	e := newKeyEntry()
	e.SetText(strings.Join(*ptr, ", "))
	e.SetPlaceHolder(f.shell.T("ui.form.commas"))
	e.OnChanged = func(v string) {
		var out []string
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		*ptr = out
		f.changed(key)
	}
	f.add(key, e)
	return e
}

func (f *recordForm) boolean(key string, ptr *bool) *widget.Check {
	c := widget.NewCheck(f.shell.T("value.yes"), nil)
	c.SetChecked(*ptr)
	c.OnChanged = func(v bool) { *ptr = v; f.changed(key) }
	f.addField(key, c, false)
	return c
}

// country picks a country by its CLDR name in the UI language.
func (f *recordForm) country(key string, ptr *string) *widgets.Picker {
	s := f.shell
	p := widgets.NewPicker(countrySearch(s), func(o widgets.Option) { *ptr = o.Value; f.changed(key) })
	p.PlaceHolder = s.T("ui.picker.choose")
	p.SearchPlaceHolder = s.T("ui.picker.search")
	if *ptr != "" {
		p.SetSelected(widgets.Option{Value: *ptr, Label: data.CountryName(*ptr, s.lang)})
	}
	f.add(key, p)
	return p
}

// countrySearch finds countries whose name (or code) starts with any word
// typed, blind to case, diacritics and script.
func countrySearch(s *Shell) func(string) []widgets.Option {
	all := data.Countries(s.lang)
	return func(text string) []widgets.Option {
		q := fold.Key(text)
		var out []widgets.Option
		for _, c := range all {
			if q == "" || strings.HasPrefix(fold.Key(c.Name), q) || strings.Contains(" "+fold.Key(c.Name), " "+q) ||
				strings.EqualFold(c.Code, strings.TrimSpace(text)) {
				out = append(out, widgets.Option{Value: c.Code, Label: c.Name})
			}
		}
		return out
	}
}

// link picks a record of a kind.
func (f *recordForm) linkPicker(k data.Kind, id string, changed func(widgets.Option)) *widgets.Picker {
	s := f.shell
	p := widgets.NewPicker(s.recordOptions(k), changed)
	p.PlaceHolder = s.T("ui.picker.choose")
	p.ClearText = s.T("ui.picker.clear")
	p.SearchPlaceHolder = s.T("ui.picker.search")
	p.SetSelected(s.recordOption(id))
	return p
}

func (f *recordForm) link(key string, k data.Kind, ptr *string) *widgets.Picker {
	p := f.linkPicker(k, *ptr, func(o widgets.Option) { *ptr = o.Value; f.changed(key) })
	f.add(key, p)
	return p
}

// consent is the check box with the date and the way it was given, in
// three columns under the headings of the consent block (placed before the
// first consent of the form).
func (f *recordForm) consent(key string, ptr *data.Consent) {
	s := f.shell
	dateKey := key + ".date"
	d := widgets.NewDateEntry(s.T("ui.form.dateformat"))
	d.SetDate(ptr.Date)
	d.OnChanged = func(string) {
		delete(f.parseErrs, key)
		v, err := d.Date()
		if err != nil {
			f.parseErrs[key] = s.T("ui.form.baddate", "field", data.FieldLabel(dateKey, s.lang))
			v = data.Date{}
		}
		ptr.Date = v
		f.changed(key)
	}
	how := &ptr.How
	opts := []string{"—"}
	for _, c := range data.ConsentWays {
		opts = append(opts, data.ValueLabel(data.GroupConsentHow, c, s.lang))
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelectedIndex(0)
	for i, c := range data.ConsentWays {
		if c == *how {
			sel.SetSelectedIndex(i + 1)
		}
	}
	sel.OnChanged = func(string) {
		if i := sel.SelectedIndex(); i > 0 {
			*how = data.ConsentWays[i-1]
		} else {
			*how = ""
		}
		f.changed(key)
	}
	check := widget.NewCheck(s.T("value.yes"), nil)
	check.SetChecked(ptr.Given)
	check.OnChanged = func(v bool) {
		ptr.Given = v
		if v && d.Entry.Text == "" {
			d.SetDate(data.DateOf(timeNow()))
		}
		f.changed(key)
	}
	if !f.consentHeads {
		f.consentHeads = true
		head := func(k string) fyne.CanvasObject {
			return widget.NewLabelWithStyle(s.T(k), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		}
		f.rows = append(f.rows, layout.NewSpacer(), container.NewGridWithColumns(3,
			head("form17.consent.given"), head("form17.consent.date"), head("form17.consent.how")))
	}
	row := container.NewGridWithColumns(3, check, d, sel)
	f.add(key, row)
}
