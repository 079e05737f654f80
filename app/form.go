package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
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
}

func newRecordForm(s *Shell, r data.Record) *recordForm {
	f := &recordForm{shell: s, kind: data.KindOf(r), draft: r,
		fields: map[string]*formField{}, parseErrs: map[string]string{}}
	if r.Base().Version > 0 {
		f.stored = data.Clone(r)
	}
	return f
}

// add places a field's input with its label and a message line.
func (f *recordForm) add(key string, input fyne.CanvasObject) *formField {
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	msg.Hide()
	ff := &formField{key: key, input: input, message: msg, box: container.NewVBox(input, msg)}
	f.fields[key] = ff
	label := widget.NewLabel(data.FieldLabel(key, f.shell.lang))
	f.rows = append(f.rows, label, ff.box)
	return ff
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
	f.dirty = true
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
			ff.message.SetText(strings.Join(msgs, "\n"))
			ff.message.Show()
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

// showNote brings the note under a field up to date.
func (ff *formField) showNote() {
	text, imp := ff.note()
	if text == "" {
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
			ff.message.SetText(strings.Join(m, "\n"))
			ff.message.Show()
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

// ui lays the fields out.
func (f *recordForm) ui() fyne.CanvasObject {
	return container.New(layout.NewFormLayout(), f.rows...)
}

// The inputs. Each writes into the draft through a pointer and calls
// changed; each is added under its JSON field name.

func (f *recordForm) text(key string, ptr *string) *widget.Entry {
	e := widget.NewEntry()
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
func (f *recordForm) phone(key string, ptr, residence *string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(data.FormatPhone(*ptr))
	e.SetPlaceHolder(f.shell.T("ui.form.phonehint"))
	e.OnChanged = func(v string) { *ptr = v; f.changed(key) }
	ff := f.add(key, e)
	ff.noteLabel = widget.NewLabel("")
	ff.noteLabel.Wrapping = fyne.TextWrapWord
	ff.noteLabel.Hide()
	ff.box.Add(ff.noteLabel)
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

func (f *recordForm) multiline(key string, ptr *string) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(3)
	e.SetText(*ptr)
	e.OnChanged = func(v string) { *ptr = v; f.changed(key) }
	f.add(key, e)
	return e
}

func (f *recordForm) number(key string, ptr *int) *widget.Entry {
	e := widget.NewEntry()
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
// unless the field is required.
func (f *recordForm) choice(key, group string, codes []string, ptr *string, required bool) *widget.Select {
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
	f.add(key, sel)
	return sel
}

// generation is a choice stored as a number.
func (f *recordForm) generation(key string, ptr *int) *widget.Select {
	s := ""
	if *ptr > 0 {
		s = strconv.Itoa(*ptr)
	}
	code := &s
	sel := f.choice(key, data.GroupGeneration, []string{"1", "2", "3"}, code, false)
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
	f.add(key, g)
	return g
}

// list is a comma-separated list of words (tags, languages, areas).
func (f *recordForm) list(key string, ptr *[]string) *widget.Entry {
	e := widget.NewEntry()
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
	f.add(key, c)
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

// consent is the check box with the date and the way it was given.
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
	check := widget.NewCheck(s.T("ui.consent.given"), nil)
	check.SetChecked(ptr.Given)
	check.OnChanged = func(v bool) {
		ptr.Given = v
		if v && d.Entry.Text == "" {
			d.SetDate(data.DateOf(timeNow()))
		}
		f.changed(key)
	}
	row := container.NewGridWithColumns(3, check, d, sel)
	f.add(key, row)
}
