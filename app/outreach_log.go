package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/outreach"
	"registar/widgets"
)

// What was sent: the Outreach screen's log of every letter, label and
// e-mail run, and on a person's or business's page the communications that
// reached them and the button that withdraws their consent to contact.

// logColumns are the log's columns.
var logColumns = []textColumn{
	{"outreachui.log.date", 140},
	{"field.channel", 90},
	{"field.subject", 220},
	{"field.audience", 220},
	{"outreachui.log.by", 90},
	{"outreachui.log.result", 190},
}

func (o *outreachScreen) logTab() fyne.CanvasObject {
	s := o.shell
	o.logTable = textTable(s, logColumns, func() int { return len(o.logRows) }, o.logCell)
	o.logTable.OnSelected = func(id widget.TableCellID) {
		o.logTable.UnselectAll()
		if id.Row >= 0 && id.Row < len(o.logRows) {
			o.showRecipients(o.logRows[id.Row])
		}
	}
	if o.tab == outLog {
		o.loadLog()
	}
	return o.logTable
}

// loadLog reads the log.
func (o *outreachScreen) loadLog() {
	rows, err := outreach.Log(o.shell.store)
	if err != nil {
		fyne.LogError("reading the outreach log", err)
	}
	o.logRows = rows
	if o.logTable != nil {
		o.logTable.Refresh()
	}
}

func (o *outreachScreen) logCell(row, col int) string {
	if row < 0 || row >= len(o.logRows) {
		return ""
	}
	s := o.shell
	c := o.logRows[row]
	switch col {
	case 0:
		return c.Sent.Local().Format("02.01.2006. 15:04")
	case 1:
		return data.ValueLabel(data.GroupChannel, c.Channel, s.lang)
	case 2:
		return c.Subject
	case 3:
		return c.Audience
	case 4:
		return c.CreatedBy
	case 5:
		return resultText(s, c)
	}
	return ""
}

// resultText counts a run's deliveries: "12 sent, 1 failed", "40 printed".
func resultText(s *Shell, c *data.Communication) string {
	sent, failed, printed := c.Counts()
	var parts []string
	add := func(status string, n int) {
		if n > 0 {
			parts = append(parts, i18n.FormatInt(n, s.lang)+" "+data.ValueLabel(data.GroupDeliveryStatus, status, s.lang))
		}
	}
	add("sent", sent)
	add("failed", failed)
	add("printed", printed)
	return strings.Join(parts, ", ")
}

// showRecipients lists a run's recipients: name, status, the server's reason.
func (o *outreachScreen) showRecipients(c *data.Communication) {
	s := o.shell
	rs := c.Recipients
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = s.recordOption(r.ID).Label
		if names[i] == "" {
			names[i] = "—" // erased since
		}
	}
	cols := []textColumn{{"ui.col.name", 240}, {"field.result", 90}, {"outreachui.log.address", 200}, {"outreachui.log.reason", 260}}
	t := textTable(s, cols, func() int { return len(rs) }, func(row, col int) string {
		if row < 0 || row >= len(rs) {
			return ""
		}
		r := rs[row]
		switch col {
		case 0:
			return names[row]
		case 1:
			return data.ValueLabel(data.GroupDeliveryStatus, r.Status, s.lang)
		case 2:
			return r.Address
		case 3:
			return r.Reason
		}
		return ""
	})
	t.OnSelected = func(id widget.TableCellID) {
		t.UnselectAll()
		if id.Row >= 0 && id.Row < len(rs) && rs[id.Row].ID != "" {
			s.openRecord(rs[id.Row].ID)
		}
	}
	head := widget.NewLabel(c.Sent.Local().Format("02.01.2006. 15:04") + " · " +
		data.ValueLabel(data.GroupChannel, c.Channel, s.lang) + " · " + resultText(s, c))
	head.Wrapping = fyne.TextWrapWord
	title := c.Subject
	if title == "" {
		title = data.ValueLabel(data.GroupChannel, c.Channel, s.lang)
	}
	var d *dialog.CustomDialog
	// A run recorded by mistake (labels printed and thrown away) goes to
	// the trash like any record, and comes back from there.
	trash := widget.NewButtonWithIcon(s.T("ui.record.trash"), theme.DeleteIcon(), func() {
		dialog.ShowConfirm(s.T("ui.record.trash"), s.T("ui.record.trash.confirm", "name", title), func(ok bool) {
			if !ok {
				return
			}
			if err := s.store.Trash(c.ID); err != nil {
				s.showError("moving a communication to the trash", err)
				return
			}
			d.Hide()
			o.loadLog()
		}, s.window)
	})
	d = dialog.NewCustom(title, s.T("keys.dismiss"), container.NewBorder(container.NewBorder(nil, nil, nil, trash, head), nil, nil, nil, t), s.window)
	size := s.window.Canvas().Size()
	d.Resize(fyne.NewSize(min(size.Width*0.9, 860), size.Height*0.8))
	d.Show()
}

// The record page.

// consentOf is the consent to contact of a person or business.
func consentOf(r data.Record) (*data.Consent, string, bool) {
	switch v := r.(type) {
	case *data.Person:
		return &v.ConsentContact, v.EmailUndeliverable, true
	case *data.Business:
		return &v.ConsentContact, v.EmailUndeliverable, true
	}
	return nil, "", false
}

// communicationsCard is the page's list of what reached the record, with
// the undeliverable flag and the button that withdraws consent to contact.
func (p *recordPage) communicationsCard(r data.Record) fyne.CanvasObject {
	s := p.shell
	box := container.NewVBox()
	consent, undeliverable, hasConsent := consentOf(r)
	switch r.(type) {
	case *data.Person, *data.Business, *data.Organisation:
	default:
		return box
	}
	if undeliverable != "" {
		l := widget.NewLabel(s.T("outreachui.record.undeliverable", "reason", undeliverable))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	id := r.Base().ID
	comms, err := outreach.CommunicationsOf(s.store, id)
	if err != nil {
		fyne.LogError("reading a record's communications", err)
	}
	for _, c := range comms {
		box.Add(communicationLine(s, c, id))
	}
	if len(comms) == 0 {
		box.Add(widget.NewLabel(s.T("outreachui.record.none")))
	}
	if hasConsent {
		if consent.Given {
			p.withdraw = widget.NewButtonWithIcon(s.T("outreachui.withdraw"), theme.CancelIcon(), func() { p.onWithdraw(id) })
			box.Add(container.NewHBox(p.withdraw))
		} else if !consent.Withdrawn.IsZero() {
			box.Add(widget.NewLabel(s.T("outreachui.record.withdrawn", "date", consent.Withdrawn.Local())))
		}
	}
	return widget.NewCard(s.T("outreachui.record.title"), "", box)
}

// communicationLine is one communication as the page lists it: date,
// channel, subject, and what became of it for this record.
func communicationLine(s *Shell, c *data.Communication, id string) fyne.CanvasObject {
	text := c.Sent.Local().Format("02.01.2006.") + " · " + data.ValueLabel(data.GroupChannel, c.Channel, s.lang)
	if c.Subject != "" {
		text += " · " + c.Subject
	}
	for _, d := range c.Recipients {
		if d.ID == id {
			text += " · " + data.ValueLabel(data.GroupDeliveryStatus, d.Status, s.lang)
			if d.Reason != "" {
				text += ": " + d.Reason
			}
			break
		}
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// withdrawAsked, when set (tests), is told of the withdrawal dialog shown.
var withdrawAsked func(date *widgets.DateEntry, how *widget.Select, d *dialog.FormDialog)

// onWithdraw asks the date (today by default) and how, and withdraws the
// record's consent to contact at once; the page is shown anew.
func (p *recordPage) onWithdraw(id string) {
	s := p.shell
	if p.form.dirty {
		dialog.ShowInformation(s.T("outreachui.withdraw"), s.T("outreachui.withdraw.unsaved"), s.window)
		return
	}
	date := widgets.NewDateEntry(s.T("ui.form.dateformat"))
	date.SetDate(data.DateOf(timeNow()))
	hows := make([]string, len(data.ConsentWays))
	for i, w := range data.ConsentWays {
		hows[i] = data.ValueLabel(data.GroupConsentHow, w, s.lang)
	}
	how := widget.NewSelect(hows, nil)
	how.PlaceHolder = s.T("ui.picker.choose")
	msg := errorLine()
	items := []*widget.FormItem{
		widget.NewFormItem(s.T("outreachui.withdraw.date"), date),
		widget.NewFormItem(s.T("outreachui.withdraw.how"), how),
		widget.NewFormItem("", msg),
	}
	d := dialog.NewForm(s.T("outreachui.withdraw"), s.T("outreachui.withdraw.do"), s.T("fyne.Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		on, err := date.Date()
		if err != nil || on.IsZero() {
			dialog.ShowInformation(s.T("outreachui.withdraw"), s.T("outreachui.withdraw.nodate"), s.window)
			return
		}
		way := ""
		if i := how.SelectedIndex(); i >= 0 {
			way = data.ConsentWays[i]
		}
		if err := outreach.WithdrawConsent(s.store, id, on, way); err != nil {
			s.showError("withdrawing consent to contact", err)
			return
		}
		s.invalidateLists()
		r, err := s.store.Get(id)
		if err != nil {
			s.showError("opening a record", err)
			return
		}
		s.dirty = nil
		s.showRecord(r, false)
	}, s.window)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	if withdrawAsked != nil {
		withdrawAsked(date, how, d)
	}
}
