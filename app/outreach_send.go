package app

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data/i18n"
	"registar/data/outreach"
)

// E-mail from the office's own account: the Outreach screen's E-mail tab
// and the account's section of Settings. Sending is data/outreach's (rate
// limit, retries, the server's answers); the tab makes the messages, runs
// the sending as a job with the bar and Cancel, reports what happened and
// records it, also when the run was cancelled (what was sent so far).

// outreachSend sends the messages; tests replace it.
var outreachSend = outreach.Send

func (o *outreachScreen) mailTab() fyne.CanvasObject {
	s := o.shell
	o.subjectEntry = newKeyEntry()
	o.subjectEntry.SetPlaceHolder(s.T("outreachui.mail.subject.placeholder"))
	o.subjectEntry.SetText(o.subject)
	o.mailErr = errorLine()
	o.subjectEntry.OnChanged = func(v string) { o.subject = v; o.mailErr.Hide() }
	o.bodyEntry = newKeyMultiLineEntry()
	if o.body == "" {
		o.body = s.T("outreachui.mail.default")
	}
	o.bodyEntry.SetText(o.body)
	o.bodyEntry.SetMinRowsVisible(8)
	o.bodyEntry.OnChanged = func(v string) { o.body = v; o.mailErr.Hide() }
	o.htmlCheck = widget.NewCheck(s.T("outreachui.mail.html"), func(on bool) { o.html = on })
	o.htmlCheck.SetChecked(o.html)
	o.attachLabel = widget.NewLabel("")
	o.attachLabel.Truncation = fyne.TextTruncateEllipsis
	o.showAttachment()
	attach := widget.NewButtonWithIcon(s.T("outreachui.mail.attach"), theme.FileIcon(), o.onAttach)
	noAttach := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { o.attachment = ""; o.showAttachment() })
	noAttach.Importance = widget.LowImportance
	o.accountBox = container.NewVBox()
	o.showAccount()
	o.sendBtn = widget.NewButtonWithIcon(s.T("outreachui.mail.send"), theme.MailSendIcon(), o.onSend)
	o.sendBtn.Importance = widget.HighImportance
	o.actions = append(o.actions, o.sendBtn)

	subject := container.NewBorder(nil, nil, widget.NewLabel(s.T("outreachui.mail.subject")), nil, o.subjectEntry)
	editor := container.NewBorder(subject, o.mailErr, nil, fieldButtons(s, func() *keyEntry {
		if s.window.Canvas().Focused() == o.subjectEntry {
			return o.subjectEntry
		}
		return o.bodyEntry
	}), o.bodyEntry)
	side := container.NewVBox(
		o.htmlCheck,
		container.NewBorder(nil, nil, attach, noAttach, o.attachLabel),
		widget.NewSeparator(),
		o.accountBox,
		container.NewHBox(o.sendBtn),
	)
	split := container.NewHSplit(editor, container.NewVScroll(side))
	split.SetOffset(0.62)
	return split
}

// showAttachment names the file attached, or says there is none.
func (o *outreachScreen) showAttachment() {
	s := o.shell
	if o.attachment == "" {
		o.attachLabel.SetText(s.T("outreachui.mail.noattachment"))
		return
	}
	o.attachLabel.SetText(o.attachment)
}

// outreachOpenFile asks for the attachment; tests replace it.
var outreachOpenFile = func(s *Shell, cb func(fyne.URIReadCloser, error)) {
	openFileDialog(s, nil, prefOutreachFolder, cb)
}

func (o *outreachScreen) onAttach() {
	s := o.shell
	outreachOpenFile(s, func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.showError("choosing an attachment", err)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		rememberFolder(s, prefOutreachFolder, r.URI())
		o.attachment = r.URI().Path()
		o.showAttachment()
	})
}

// showAccount names the office's account, or says there is none with a
// button to Settings.
func (o *outreachScreen) showAccount() {
	s := o.shell
	o.accountBox.RemoveAll()
	set, ok := loadSMTP(s)
	if !ok {
		l := widget.NewLabel(s.T("outreachui.mail.noaccount"))
		l.Wrapping = fyne.TextWrapWord
		o.accountBox.Add(l)
		o.accountBox.Add(container.NewHBox(widget.NewButtonWithIcon(s.T("screen.settings"), theme.SettingsIcon(),
			func() { s.show("settings") })))
		return
	}
	l := widget.NewLabel(s.T("outreachui.mail.account", "account", set.Sender()))
	l.Wrapping = fyne.TextWrapWord
	o.accountBox.Add(l)
}

// onSend checks the templates, reads who will get the message, asks, and
// sends.
func (o *outreachScreen) onSend() {
	s := o.shell
	set, ok := loadSMTP(s)
	if !ok {
		return
	}
	subj, err := outreach.ParseTemplate(o.subject)
	if err == nil && strings.TrimSpace(o.subject) == "" {
		err = &outreach.Error{Key: "outreachui.mail.nosubject"}
	}
	var body *outreach.Template
	if err == nil {
		body, err = outreach.ParseTemplate(o.body)
	}
	if err != nil {
		o.showErrorLine(o.mailErr, err)
		return
	}
	resolve, a, ok := o.resolve(outreach.NeedEmail)
	if !ok {
		return
	}
	var cs []outreach.Contact
	o.jobs.start(s.T("outreachui.reading"), func(ctx context.Context, _ func(int, int)) error {
		var err error
		cs, _, err = resolve()
		if err == nil && len(cs) == 0 {
			err = errNobody
		}
		return err
	}, func(err error) {
		if o.jobs.outcome("reading the audience", err, o.jobError) != jobDone {
			return
		}
		dialog.ShowConfirm(s.T("outreachui.mail.confirm.title"),
			s.T("outreachui.mail.confirm."+pluralForm(s.lang, len(cs)), "n", i18n.FormatInt(len(cs), s.lang),
				"account", set.Sender()),
			func(ok bool) {
				if ok {
					o.send(set, subj, body, a, cs)
				}
			}, s.window)
	})
}

// send sends one message to each contact as a job, then reports and
// records what happened.
func (o *outreachScreen) send(set outreach.SMTPSettings, subj, body *outreach.Template, a outreach.Audience, cs []outreach.Contact) {
	s := o.shell
	st, lang := s.store, s.lang
	tctx := outreach.Context{Office: s.office, OfficeLang: lang}
	msgs := make([]outreach.Message, len(cs))
	for i, c := range cs {
		m := outreach.Message{ContactID: c.ID, Kind: c.Kind, To: c.Email, ToName: c.Name,
			Subject: subj.Render(c, tctx), Text: body.Render(c, tctx)}
		if o.html {
			m.HTML = m.Text
		}
		if o.attachment != "" {
			m.Attachments = []string{o.attachment}
		}
		msgs[i] = m
	}
	run := outreach.Run{Channel: "email", Subject: o.subject, Audience: a.Describe(st, lang)}
	var (
		outs    []outreach.Outcome
		sendErr error
		recErr  error
	)
	o.jobs.start(s.T("outreachui.mail.sending"), func(ctx context.Context, progress func(int, int)) error {
		progress(0, len(msgs))
		outs, sendErr = outreachSend(ctx, set, msgs, outreach.SendOptions{PerMinute: set.PerMinute,
			Progress: func(done, total int, _ outreach.Outcome) { progress(done, total) }})
		if len(outs) > 0 {
			run.Deliveries, run.Undeliverable = outreach.DeliveriesOf(outs)
			_, recErr = outreach.Record(st, run)
		}
		return sendErr
	}, func(err error) {
		if recErr != nil {
			s.showError("recording the e-mail sent", recErr)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			if len(outs) == 0 {
				s.showError("sending e-mail", err) // nothing went out: one line why
				return
			}
			fyne.LogError("sending e-mail", err)
		}
		o.showSendReport(outs, errors.Is(err, context.Canceled), len(msgs))
	})
}

// showSendReport says how many were sent and, for each that failed, who
// and the server's reason.
func (o *outreachScreen) showSendReport(outs []outreach.Outcome, cancelled bool, total int) {
	s := o.shell
	sent := 0
	var failed []outreach.Outcome
	for _, out := range outs {
		if out.Sent {
			sent++
		} else {
			failed = append(failed, out)
		}
	}
	head := s.T("outreachui.report.sent", "sent", i18n.FormatInt(sent, s.lang), "failed", i18n.FormatInt(len(failed), s.lang))
	if cancelled {
		head = s.T("outreachui.report.cancelled", "n", i18n.FormatInt(total-len(outs), s.lang)) + "\n" + head
	}
	l := widget.NewLabel(head)
	l.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(l)
	if len(failed) > 0 {
		rows := widget.NewList(func() int { return len(failed) },
			func() fyne.CanvasObject {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			},
			func(i widget.ListItemID, obj fyne.CanvasObject) {
				f := failed[i]
				obj.(*widget.Label).SetText(f.Message.ToName + " <" + f.Message.To + ">: " + f.Reason)
			})
		box = container.NewBorder(box, nil, nil, nil, rows)
	}
	d := dialog.NewCustom(s.T("outreachui.report.title"), s.T("keys.dismiss"), box, s.window)
	if len(failed) > 0 {
		d.Resize(fyne.NewSize(640, 420))
	}
	d.Show()
	if o.tab == outLog {
		o.loadLog()
	}
	o.recount() // undeliverable addresses drop out
}

// The e-mail account in Settings.

// securities are the account's connection security, as SMTPSettings says
// them, in the order the select lists them.
var securities = []string{"starttls", "tls", "none"}

// smtpForm is the account's section of Settings.
type smtpForm struct {
	shell                     *Shell
	host, port, user, pass    *keyEntry
	from, fromName, perMinute *keyEntry
	security                  *widget.Select
	status                    *widget.Label
	saveBtn, testBtn          *widget.Button
	stored                    outreach.SMTPSettings // the password kept, never shown
}

// smtpShown is the account section last built (tests).
var smtpShown *smtpForm

// mailSection is Settings' "E-mail account" card's content.
func (t *settingsScreen) mailSection() fyne.CanvasObject {
	s := t.shell
	f := &smtpForm{shell: s}
	smtpShown = f
	set, _ := loadSMTP(s)
	f.stored = set
	entry := func(v string) *keyEntry { e := newKeyEntry(); e.SetText(v); return e }
	f.host, f.user, f.from, f.fromName = entry(set.Host), entry(set.User), entry(set.From), entry(set.FromName)
	f.port = entry("")
	if set.Port > 0 {
		f.port.SetText(strconv.Itoa(set.Port))
	}
	f.port.SetPlaceHolder("587")
	f.perMinute = entry("")
	if set.PerMinute > 0 {
		f.perMinute.SetText(strconv.Itoa(set.PerMinute))
	}
	f.perMinute.SetPlaceHolder("30")
	f.pass = newKeyEntry()
	f.pass.Password = true
	if set.Password != "" {
		f.pass.SetPlaceHolder(s.T("outreachui.smtp.password.kept"))
	}
	labels := []string{s.T("outreachui.smtp.security.starttls"), s.T("outreachui.smtp.security.tls"), s.T("outreachui.smtp.security.none")}
	f.security = widget.NewSelect(labels, nil)
	f.security.SetSelectedIndex(0)
	for i, v := range securities {
		if v == set.Security {
			f.security.SetSelectedIndex(i)
		}
	}
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.saveBtn = widget.NewButton(s.T("fyne.Save"), f.onSave)
	f.saveBtn.Importance = widget.HighImportance
	f.testBtn = widget.NewButtonWithIcon(s.T("outreachui.smtp.test"), theme.MailSendIcon(), f.onTest)

	note := s.T("outreachui.smtp.plain")
	if s.store.Encrypted() {
		note = s.T("outreachui.smtp.encrypted")
	}
	noteL := widget.NewLabel(note)
	noteL.Wrapping = fyne.TextWrapWord
	noteL.Importance = widget.LowImportance
	grid := container.New(layout.NewFormLayout(),
		widget.NewLabel(s.T("outreachui.smtp.host")), f.host,
		widget.NewLabel(s.T("outreachui.smtp.port")), f.port,
		widget.NewLabel(s.T("outreachui.smtp.security")), f.security,
		widget.NewLabel(s.T("outreachui.smtp.user")), f.user,
		widget.NewLabel(s.T("outreachui.smtp.password")), f.pass,
		layout.NewSpacer(), noteL,
		widget.NewLabel(s.T("outreachui.smtp.from")), f.from,
		widget.NewLabel(s.T("outreachui.smtp.fromname")), f.fromName,
		widget.NewLabel(s.T("outreachui.smtp.perminute")), f.perMinute,
		layout.NewSpacer(), container.NewHBox(f.saveBtn, f.testBtn),
		layout.NewSpacer(), f.status,
	)
	return grid
}

// settings is the account as typed: the password kept unless a new one
// is typed. A number that does not read is an *outreach.Error.
func (f *smtpForm) settings() (outreach.SMTPSettings, error) {
	set := outreach.SMTPSettings{
		Host: strings.TrimSpace(f.host.Text), User: strings.TrimSpace(f.user.Text),
		From: strings.TrimSpace(f.from.Text), FromName: strings.TrimSpace(f.fromName.Text),
		Security: securities[max(f.security.SelectedIndex(), 0)], Password: f.stored.Password,
	}
	if f.pass.Text != "" {
		set.Password = f.pass.Text
	}
	num := func(e *keyEntry, key string, def int) (int, error) {
		t := strings.TrimSpace(e.Text)
		if t == "" {
			return def, nil
		}
		n, err := strconv.Atoi(t)
		if err != nil || n <= 0 {
			return 0, &outreach.Error{Key: key}
		}
		return n, nil
	}
	def := 587
	switch set.Security {
	case "tls":
		def = 465
	case "none":
		def = 25
	}
	var err error
	if set.Port, err = num(f.port, "outreachui.smtp.port.invalid", def); err != nil {
		return set, err
	}
	if set.PerMinute, err = num(f.perMinute, "outreachui.smtp.perminute.invalid", 0); err != nil {
		return set, err
	}
	if set.Host == "" || set.From == "" {
		return set, &outreach.Error{Key: "outreachui.smtp.required"}
	}
	return set, nil
}

func (f *smtpForm) onSave() {
	s := f.shell
	set, err := f.settings()
	if err != nil {
		f.status.SetText(s.errorText(err))
		return
	}
	b, err := json.Marshal(set)
	if err == nil {
		err = s.store.SetSetting(outreach.SMTPSetting, b)
	}
	if err != nil {
		s.showError("saving the e-mail account", err)
		return
	}
	f.stored = set
	f.pass.SetText("")
	if set.Password != "" {
		f.pass.SetPlaceHolder(s.T("outreachui.smtp.password.kept"))
	}
	f.status.SetText(s.T("ui.saved"))
}

// onTest connects and logs in with the account as typed, off the UI
// goroutine, and says how it went.
func (f *smtpForm) onTest() {
	s := f.shell
	set, err := f.settings()
	if err != nil {
		f.status.SetText(s.errorText(err))
		return
	}
	f.status.SetText(s.T("outreachui.smtp.testing"))
	f.testBtn.Disable()
	s.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), smtpTestTimeout)
		defer cancel()
		err = outreachCheck(ctx, set)
	}, func() {
		f.testBtn.Enable()
		if err != nil {
			fyne.LogError("testing the e-mail account", err)
			f.status.SetText(s.errorText(err))
			return
		}
		f.status.SetText(s.T("outreachui.smtp.ok"))
	})
}

// smtpTestTimeout bounds "Test connection": a host that does not answer.
const smtpTestTimeout = 30 * time.Second

// outreachCheck tries the account; tests replace it.
var outreachCheck = outreach.CheckSMTP
