package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/outreach"
	"registar/widgets"
)

// addContact stores a person with an e-mail address and a postal address,
// consenting to be contacted or not.
func addContact(t *testing.T, s *Shell, given, family, email string, consent bool) *data.Person {
	t.Helper()
	p := &data.Person{GivenName: given, FamilyName: family, Country: "AT", City: "Wien", Address: "Favoritenstraße 12",
		Gender: "f", BirthDate: data.NewDate(1980, 5, 1), Email: email}
	if consent {
		p.ConsentContact = data.Consent{Given: true, Date: data.NewDate(2026, 1, 10), How: "written"}
	}
	if err := s.store.Save(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// showOutreach shows the Outreach screen on a tab.
func showOutreach(t *testing.T, s *Shell, tab int) *outreachScreen {
	t.Helper()
	s.showNow("outreach")
	o := outreachShown
	if o == nil {
		t.Fatal("no Outreach screen")
	}
	o.tabs.SelectIndex(tab)
	return o
}

// saveTo makes the screen's save dialog answer with a file in dir.
func saveTo(t *testing.T, dir string) *string {
	t.Helper()
	var got string
	old := outreachSaveFile
	outreachSaveFile = func(s *Shell, name string, exts []string, cb func(fyne.URIWriteCloser, error)) {
		got = filepath.Join(dir, name)
		w, err := storage.Writer(storage.NewFileURI(got))
		cb(w, err)
	}
	t.Cleanup(func() { outreachSaveFile = old })
	return &got
}

// A person without consent to contact is left out of every output, and the
// counts line says how many and why.
func TestOutreachCountsLeaveOutNoConsent(t *testing.T) {
	s, _ := newTestShell(t)
	addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
	addContact(t, s, "Berat", "Çelik", "berat@example.org", true)
	addContact(t, s, "Đorđe", "Petrović", "djordje@example.org", false)
	addContact(t, s, "Emina", "Kovač", "", true)

	o := showOutreach(t, s, outEmails)
	want := "2 will be reached · 1 without consent to contact · 1 without an e-mail address"
	if got := o.countsLabel.Text; got != want {
		t.Errorf("counts on the e-mail tab: %q, want %q", got, want)
	}
	o.tabs.SelectIndex(outFiles)
	if got, want := o.countsLabel.Text, "3 will be reached · 1 without consent to contact"; got != want {
		t.Errorf("counts on the files tab: %q, want %q", got, want)
	}

	// The search narrows it; a search of nobody says so.
	test.Type(o.search, "petrovic")
	if got, want := o.countsLabel.Text, "0 will be reached · 1 without consent to contact"; got != want {
		t.Errorf("counts of petrovic: %q, want %q", got, want)
	}
	if !o.zeroLabel.Visible() || o.zeroLabel.Text != s.T("outreachui.counts.zero") {
		t.Errorf("no line says nobody will be reached: %q", o.zeroLabel.Text)
	}

	// The CSV has the consenting only.
	o.search.SetText("")
	dir := t.TempDir()
	file := saveTo(t, dir)
	test.Tap(findButton(o.tabs.Items[outFiles].Content, s.T("outreachui.files.csv")))
	b, err := os.ReadFile(*file)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Amra", "Berat", "Emina"} {
		if !strings.Contains(string(b), name) {
			t.Errorf("the CSV lacks %s:\n%s", name, b)
		}
	}
	if strings.Contains(string(b), "Petrovi") || strings.Contains(string(b), "djordje@") {
		t.Errorf("the CSV has the person without consent:\n%s", b)
	}
	if log, _ := outreach.Log(s.store); len(log) != 0 {
		t.Errorf("a CSV was recorded as a communication: %d", len(log))
	}
}

// Chunks of two addresses give numbered boxes; Copy puts one chunk on the
// clipboard.
func TestOutreachEmailChunks(t *testing.T) {
	s, _ := newTestShell(t)
	for _, n := range []string{"ana", "bora", "cana", "dino", "edin"} {
		addContact(t, s, strings.ToUpper(n[:1])+n[1:], "Test", n+"@example.org", true)
	}
	addContact(t, s, "Fikret", "Nije", "fikret@example.org", false)
	o := showOutreach(t, s, outEmails)
	o.chunkEntry.SetText("2")
	test.Tap(findButton(o.tabs.Items[outEmails].Content, s.T("outreachui.emails.make")))
	if len(o.chunks) != 3 || len(o.chunksBox.Objects) != 3 {
		t.Fatalf("chunks %v, boxes %d; want 3 of at most 2", o.chunks, len(o.chunksBox.Objects))
	}
	all := ""
	for i, c := range o.chunks {
		if len(c) > 2 || len(c) == 0 {
			t.Errorf("chunk %d has %d addresses", i+1, len(c))
		}
		all += strings.Join(c, " ") + " "
		if !hasText(o.chunksBox.Objects[i], s.T("outreachui.emails.chunk", "n", string(rune('1'+i)), "count", string(rune('0'+len(c))))) {
			t.Errorf("box %d is not numbered", i+1)
		}
	}
	if strings.Contains(all, "fikret@") {
		t.Errorf("an address without consent is in a chunk: %s", all)
	}
	test.Tap(findButton(o.chunksBox.Objects[1], s.T("outreachui.emails.copy")))
	if got, want := s.app.Clipboard().Content(), strings.Join(o.chunks[1], chunkSeparator); got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}
}

// Labels saved make a PDF and a communication for each person on them.
func TestOutreachLabelsSavedAreRecorded(t *testing.T) {
	s, _ := newTestShell(t)
	amra := addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
	addContact(t, s, "Đorđe", "Petrović", "", false)
	o := showOutreach(t, s, outLabels)
	o.skipEntry.SetText("4")
	dir := t.TempDir()
	file := saveTo(t, dir)
	test.Tap(findButton(o.tabs.Items[outLabels].Content, s.T("outreachui.save")))
	b, err := os.ReadFile(*file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("not a PDF: %.20q", b)
	}
	log, err := outreach.Log(s.store)
	if err != nil || len(log) != 1 {
		t.Fatalf("log %v, %v; want one run", log, err)
	}
	c := log[0]
	if c.Channel != "labels" || len(c.Recipients) != 1 || c.Recipients[0].ID != amra.ID || c.Recipients[0].Status != "printed" {
		t.Errorf("recorded %+v", c)
	}
	if got, _ := outreach.CommunicationsOf(s.store, amra.ID); len(got) != 1 {
		t.Errorf("Amra's communications: %d, want 1", len(got))
	}
	// Her page lists it.
	s.openRecord(amra.ID)
	line := false
	walk(s.content, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Labels · printed") {
			line = true
		}
	})
	if !line {
		t.Error("the person's page does not list the labels printed")
	}
}

// A template naming an unknown field says so under the editor and makes
// nothing.
func TestOutreachLetterUnknownField(t *testing.T) {
	s, _ := newTestShell(t)
	addContact(t, s, "Amra", "Hodžić", "", true)
	o := showOutreach(t, s, outLetters)
	o.letterEntry.SetText("{salutation} {nickname},\n\nHello.")
	file := saveTo(t, t.TempDir())
	test.Tap(findButton(o.tabs.Items[outLetters].Content, s.T("outreachui.save")))
	if !o.letterErr.Visible() || !strings.Contains(o.letterErr.Text, "nickname") {
		t.Errorf("error line %q (shown %v), want it to name the field", o.letterErr.Text, o.letterErr.Visible())
	}
	if *file != "" {
		t.Error("a file was asked for")
	}
}

// Withdrawing consent on a person's page takes them out of the audience
// at once.
func TestOutreachWithdrawConsentOnPage(t *testing.T) {
	s, _ := newTestShell(t)
	amra := addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
	o := showOutreach(t, s, outFiles)
	if o.counts.Reached != 1 {
		t.Fatalf("reached %d before, want 1", o.counts.Reached)
	}
	s.openRecord(amra.ID)
	if s.page.withdraw == nil {
		t.Fatal("no withdraw button on a consenting person's page")
	}
	asked := false
	withdrawAsked = func(date *widgets.DateEntry, how *widget.Select, d *dialog.FormDialog) {
		asked = true
		if got := date.Entry.Text; got != data.DateOf(fixedNow).Local() {
			t.Errorf("date %q, want today", got)
		}
		how.SetSelectedIndex(1) // verbal
		d.Submit()
	}
	t.Cleanup(func() { withdrawAsked = nil })
	test.Tap(s.page.withdraw)
	if !asked {
		t.Fatal("no dialog asked the date and how")
	}
	r, err := s.store.Get(amra.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := r.(*data.Person).ConsentContact
	if c.Given || c.Withdrawn != data.DateOf(fixedNow) || c.WithdrawnHow != "verbal" {
		t.Errorf("consent after withdrawing: %+v", c)
	}
	if s.page.withdraw != nil {
		t.Error("the page still offers to withdraw")
	}
	o = showOutreach(t, s, outFiles)
	if o.counts.Reached != 0 || o.counts.NoConsent != 1 {
		t.Errorf("counts after withdrawing: %+v", o.counts)
	}
}

// The e-mail account is saved with the registry and shown again, its
// password never.
func TestOutreachSettingsSMTPSavesAndReloads(t *testing.T) {
	s, _ := newTestShell(t)
	s.showNow("settings")
	f := smtpShown
	if !hasText(s.content, s.T("outreachui.smtp.plain")) {
		t.Error("no word that the password is kept unencrypted")
	}
	f.host.SetText("mail.cazin.ba")
	f.port.SetText("465")
	f.security.SetSelectedIndex(1)
	f.user.SetText("dijaspora@cazin.ba")
	test.Type(f.pass, "tajna-lozinka")
	f.from.SetText("dijaspora@cazin.ba")
	f.fromName.SetText("Ured za dijasporu")
	f.perMinute.SetText("20")
	test.Tap(f.saveBtn)
	if f.status.Text != s.T("ui.saved") {
		t.Fatalf("status %q", f.status.Text)
	}
	b, err := s.store.Setting(outreach.SMTPSetting)
	if err != nil {
		t.Fatal(err)
	}
	var got outreach.SMTPSettings
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := outreach.SMTPSettings{Host: "mail.cazin.ba", Port: 465, Security: "tls", User: "dijaspora@cazin.ba",
		Password: "tajna-lozinka", From: "dijaspora@cazin.ba", FromName: "Ured za dijasporu", PerMinute: 20}
	if got != want {
		t.Errorf("stored %+v, want %+v", got, want)
	}

	s.showNow("home")
	s.showNow("settings")
	f = smtpShown
	if f.host.Text != "mail.cazin.ba" || f.port.Text != "465" || f.security.SelectedIndex() != 1 || f.perMinute.Text != "20" {
		t.Errorf("reloaded host %q port %q security %d", f.host.Text, f.port.Text, f.security.SelectedIndex())
	}
	if f.pass.Text != "" {
		t.Errorf("the password is shown: %q", f.pass.Text)
	}
	// Saving again without typing it keeps it.
	test.Tap(f.saveBtn)
	b, _ = s.store.Setting(outreach.SMTPSetting)
	if !strings.Contains(string(b), "tajna-lozinka") {
		t.Error("saving again lost the password")
	}
	// The Outreach screen's E-mail tab names the account.
	o := showOutreach(t, s, outMail)
	if o.sendBtn.Disabled() {
		t.Error("Send is disabled with an account set")
	}
}

// The screen in Bosnian and Albanian has every text of its own translated.
func TestOutreachScreenTranslated(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.BS, i18n.SQ, i18n.SR} {
		for _, key := range i18n.Keys() {
			if strings.HasPrefix(key, "outreachui.") && !i18n.Has(l, key) {
				t.Errorf("%s lacks %s", l, key)
			}
		}
		s, _ := newTestShell(t)
		s.setLang(l)
		addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
		for tab := outEmails; tab <= outLog; tab++ {
			o := showOutreach(t, s, tab)
			walk(s.content, func(obj fyne.CanvasObject) {
				var text string
				switch v := obj.(type) {
				case *widget.Label:
					text = v.Text
				case *widget.Button:
					text = v.Text
				case *widget.Check:
					text = v.Text
				}
				if strings.Contains(text, "outreachui.") || strings.Contains(text, "screen.") {
					t.Errorf("%s, tab %d: untranslated %q", l, tab, text)
				}
			})
			for _, it := range o.tabs.Items {
				if strings.Contains(it.Text, "outreachui.") {
					t.Errorf("%s: untranslated tab %q", l, it.Text)
				}
			}
		}
	}
}

// The list's "Reach these…" opens Outreach with its search.
func TestOutreachFromTheList(t *testing.T) {
	s, _ := newTestShell(t)
	addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
	l := list(t, s, data.KindPerson)
	test.Type(l.search, "hodzic")
	test.Tap(findButton(l.ui, s.T("outreachui.reach")))
	o := outreachShown
	if s.current != "outreach" || o.search.Text != "hodzic" || o.kind != data.KindPerson || o.source != sourceSearch {
		t.Fatalf("screen %s, search %q, kind %s", s.current, o.search.Text, o.kind)
	}
	if o.counts.Reached != 1 {
		t.Errorf("reached %d, want 1", o.counts.Reached)
	}
}

// Send asks first, sends each consenting person one message, reports the
// failures with the server's reason and records what happened.
func TestOutreachSendRecordsDeliveries(t *testing.T) {
	s, w := newTestShell(t)
	amra := addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
	berat := addContact(t, s, "Berat", "Çelik", "berat@example.org", true)
	addContact(t, s, "Đorđe", "Petrović", "djordje@example.org", false)
	b, _ := json.Marshal(outreach.SMTPSettings{Host: "mail.example.org", Port: 587, Security: "starttls", From: "ured@example.org"})
	if err := s.store.SetSetting(outreach.SMTPSetting, b); err != nil {
		t.Fatal(err)
	}
	var got []outreach.Message
	old := outreachSend
	outreachSend = func(ctx context.Context, set outreach.SMTPSettings, msgs []outreach.Message, opt outreach.SendOptions) ([]outreach.Outcome, error) {
		got = msgs
		var outs []outreach.Outcome
		for i := range msgs {
			out := outreach.Outcome{Message: &msgs[i], Sent: true, Attempts: 1}
			if msgs[i].ContactID == berat.ID {
				out = outreach.Outcome{Message: &msgs[i], Attempts: 1, Reason: "550 5.1.1 user unknown", Undeliverable: true}
			}
			outs = append(outs, out)
		}
		return outs, nil
	}
	t.Cleanup(func() { outreachSend = old })
	o := showOutreach(t, s, outMail)
	o.subjectEntry.SetText("Poziv za {given_name}")
	test.Tap(o.sendBtn)
	tapDialog(t, w, "Yes")
	if len(got) != 2 {
		t.Fatalf("%d messages, want 2", len(got))
	}
	for _, m := range got {
		if m.To == "djordje@example.org" {
			t.Error("a message went to the person without consent")
		}
		if m.ContactID == amra.ID && m.Subject != "Poziv za Amra" {
			t.Errorf("subject %q", m.Subject)
		}
	}
	log, _ := outreach.Log(s.store)
	if len(log) != 1 || log[0].Channel != "email" {
		t.Fatalf("log %+v", log)
	}
	sent, failed, _ := log[0].Counts()
	if sent != 1 || failed != 1 {
		t.Errorf("recorded %d sent, %d failed", sent, failed)
	}
	r, _ := s.store.Get(berat.ID)
	if r.(*data.Person).EmailUndeliverable == "" {
		t.Error("Berat's address is not flagged undeliverable")
	}
	if o.counts.Undeliverable != 1 {
		t.Errorf("counts after the run: %+v", o.counts)
	}
}

// A run recorded by mistake goes to the trash from its recipients'
// dialog: out of the log and the person's page, back from the Trash.
func TestOutreachRunToTheTrash(t *testing.T) {
	s, w := newTestShell(t)
	amra := addContact(t, s, "Amra", "Hodžić", "amra@example.org", true)
	c, err := outreach.Record(s.store, outreach.Run{Channel: "labels", Audience: "Osobe",
		Deliveries: []data.Delivery{{ID: amra.ID, Kind: data.KindPerson, Status: "printed"}}})
	if err != nil {
		t.Fatal(err)
	}
	o := showOutreach(t, s, outLog)
	o.showRecipients(c)
	tapDialog(t, w, s.T("ui.record.trash"))
	tapDialog(t, w, "Yes")
	if log, _ := outreach.Log(s.store); len(log) != 0 {
		t.Errorf("the log still lists %d runs", len(log))
	}
	if got, _ := outreach.CommunicationsOf(s.store, amra.ID); len(got) != 0 {
		t.Errorf("Amra's page still lists %d", len(got))
	}
	if err := s.store.Restore(c.ID); err != nil {
		t.Fatal(err)
	}
	if log, _ := outreach.Log(s.store); len(log) != 1 {
		t.Errorf("restored: the log lists %d runs", len(log))
	}
}
