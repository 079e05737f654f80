package app

import (
	"errors"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
)

// phonesShown is the most records the card lists at once: each row holds
// an entry, and a registry imported before numbers were checked may have
// thousands; corrected ones drop out at the next check.
const phonesShown = 100

// phonesCard lists the records holding a phone number that is not valid in
// its country (stored before numbers were checked, or merged from a laptop
// that did not check them; see data.InvalidPhones) and corrects each one in
// place: the number typed is saved through the store's one write path,
// which reads it as the form does, or the record opens in its form.
type phonesCard struct {
	shell  *Shell
	check  *widget.Button
	status *widget.Label
	rows   *fyne.Container
	found  []data.InvalidPhone
	// entries and notes are by record ID, for the rows listed (tests).
	entries map[string]*widget.Entry
	notes   map[string]*widget.Label
}

// newInvalidPhonesCard is the card for the Import and export screen.
func newInvalidPhonesCard(s *Shell) fyne.CanvasObject { return newPhonesCard(s).buildUI() }

func newPhonesCard(s *Shell) *phonesCard { return &phonesCard{shell: s} }

func (c *phonesCard) buildUI() fyne.CanvasObject {
	s := c.shell
	intro := widget.NewLabel(s.T("ui.phones.intro"))
	intro.Wrapping = fyne.TextWrapWord
	c.check = widget.NewButtonWithIcon(s.T("ui.phones.check"), theme.SearchIcon(), c.onCheck)
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.rows = container.NewVBox()
	top := container.NewBorder(nil, nil, c.check, nil, c.status)
	return widget.NewCard(s.T("ui.phones.title"), "", container.NewVBox(intro, top, c.rows))
}

// onCheck reads every record off the UI goroutine and lists those to correct.
func (c *phonesCard) onCheck() {
	s := c.shell
	st := s.store
	region := s.region()
	c.check.Disable()
	c.status.SetText(s.T("ui.phones.checking"))
	var found []data.InvalidPhone
	var err error
	s.background(func() {
		found, err = data.InvalidPhones(st, region)
	}, func() {
		c.check.Enable()
		if err != nil {
			c.status.SetText("")
			s.showError("checking phone numbers", err)
			return
		}
		c.found = found
		c.showRows()
	})
}

// showRows lists what the last check found.
func (c *phonesCard) showRows() {
	s := c.shell
	c.rows.RemoveAll()
	c.entries, c.notes = map[string]*widget.Entry{}, map[string]*widget.Label{}
	switch n := len(c.found); {
	case n == 0:
		c.status.SetText(s.T("ui.phones.none"))
	case n > phonesShown:
		c.status.SetText(s.T("ui.phones.count", "n", strconv.Itoa(n)) + " " + s.T("ui.phones.more", "shown", strconv.Itoa(phonesShown)))
	default:
		c.status.SetText(s.T("ui.phones.count", "n", strconv.Itoa(n)))
	}
	for i, bad := range c.found {
		if i == phonesShown {
			break
		}
		c.rows.Add(c.row(bad))
	}
	c.rows.Refresh()
}

// row is one record: its name (opens it), its kind and country, the number
// in an entry to correct, and under it what is wrong or what was saved.
func (c *phonesCard) row(bad data.InvalidPhone) fyne.CanvasObject {
	s := c.shell
	id := bad.ID
	open := widget.NewButtonWithIcon(bad.Title, theme.DocumentIcon(), func() { s.openRecord(id) })
	open.Importance = widget.LowImportance
	open.Alignment = widget.ButtonAlignLeading
	where := s.T("kind." + string(bad.Kind))
	if bad.Country != "" {
		where += ", " + data.CountryName(bad.Country, s.lang)
	}
	e := widget.NewEntry()
	e.SetText(data.FormatPhone(bad.Phone))
	note := widget.NewLabel(bad.Err.Message(s.lang))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.WarningImportance
	var save *widget.Button
	save = widget.NewButtonWithIcon(s.T("ui.phones.save"), theme.DocumentSaveIcon(), func() { c.onSave(id, e, note, save) })
	e.OnSubmitted = func(string) { c.onSave(id, e, note, save) }
	c.entries[id], c.notes[id] = e, note
	head := container.NewBorder(nil, nil, open, widget.NewLabel(where))
	return container.NewVBox(head, container.NewBorder(nil, nil, nil, save, e), note, widget.NewSeparator())
}

// onSave writes the number typed into the record, as the form would; a
// number still refused keeps the row open with the store's message.
func (c *phonesCard) onSave(id string, e *widget.Entry, note *widget.Label, save *widget.Button) {
	s := c.shell
	r, err := s.store.Get(id)
	if err != nil {
		s.showError("correcting a phone number", err)
		return
	}
	p := phoneField(r)
	if p == nil {
		return
	}
	*p = e.Text
	err = s.store.Save(r)
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		note.Importance = widget.DangerImportance
		note.SetText(ve.Error())
		return
	case err != nil:
		s.showError("correcting a phone number", err)
		return
	}
	if err := s.store.Sync(); err != nil {
		fyne.LogError("syncing after a save", err)
	}
	s.invalidateLists()
	note.Importance = widget.SuccessImportance
	if *p == "" {
		note.SetText(s.T("ui.phones.cleared"))
	} else {
		note.SetText(s.T("ui.phones.saved", "number", data.FormatPhone(*p)))
		e.SetText(data.FormatPhone(*p))
	}
	e.Disable()
	save.Disable()
}

// phoneField is the phone field of a record to write into.
func phoneField(r data.Record) *string {
	switch v := r.(type) {
	case *data.Person:
		return &v.Phone
	case *data.Business:
		return &v.Phone
	case *data.Organisation:
		return &v.Phone
	case *data.Locality:
		return &v.Phone
	}
	return nil
}
