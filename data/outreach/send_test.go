package outreach

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"registar/data"
	"registar/data/i18n"
	"registar/data/outreach/smtptest"
)

// parsed is a received message read back with net/mail and mime.
type parsed struct {
	From, To, Subject string
	Text, HTML        string
	Files             map[string][]byte
}

func parseMessage(t *testing.T, raw []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	dec := new(mime.WordDecoder)
	p := parsed{Files: map[string][]byte{}}
	for _, h := range []struct {
		name string
		to   *string
	}{{"From", &p.From}, {"To", &p.To}, {"Subject", &p.Subject}} {
		if *h.to, err = dec.DecodeHeader(m.Header.Get(h.name)); err != nil {
			t.Fatalf("%s: %v", h.name, err)
		}
	}
	walkPart(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body, &p)
	return p
}

func walkPart(t *testing.T, contentType, encoding, disposition string, body io.Reader, p *parsed) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextPart() // undoes quoted-printable by itself
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			walkPart(t, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"),
				part.Header.Get("Content-Disposition"), part, p)
		}
	}
	if strings.EqualFold(encoding, "base64") {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(disposition, "attachment") {
		_, dp, _ := mime.ParseMediaType(disposition)
		// go-mail writes a non-ASCII name as an encoded word inside the
		// quotes, which mail programs read.
		name, err := new(mime.WordDecoder).DecodeHeader(dp["filename"])
		if err != nil {
			t.Fatal(err)
		}
		p.Files[name] = b
		return
	}
	switch mt {
	case "text/plain":
		p.Text = string(b)
	case "text/html":
		p.HTML = string(b)
	}
}

// letters are personalised messages to n people at example.ba.
func letters(n int) []Message {
	names := []string{"Amra Hodžić", "Đorđe Petrović", "Besa Krasniqi", "Emina Šarić", "Ivan Kovačević", "Nermin Ćosić"}
	var msgs []Message
	for i := 0; i < n; i++ {
		name := names[i%len(names)]
		given := strings.Fields(name)[0]
		local := string(rune('a' + i%26))
		if i >= 26 {
			local = fmt.Sprintf("p%03d", i)
		}
		msgs = append(msgs, Message{
			ContactID: "p" + local, Kind: data.KindPerson,
			To: local + "@example.ba", ToName: name,
			Subject: "Poziv na ljetni susret, " + given,
			Text:    "Poštovani " + given + ",\n\npozivamo Vas na ljetni susret dijaspore u Cazinu.\n",
			HTML:    "<p>Poštovani <b>" + given + "</b>,</p><p>pozivamo Vas na ljetni susret.</p>",
		})
	}
	return msgs
}

// fast is a run without pauses: no rate limit, back-off of a millisecond.
func fast() SendOptions { return SendOptions{PerMinute: -1, Backoff: time.Millisecond} }

func byRecipient(t *testing.T, got []smtptest.Message) map[string]parsed {
	t.Helper()
	out := map[string]parsed{}
	for _, r := range got {
		if len(r.To) != 1 {
			t.Fatalf("a message went to %v, want one recipient each", r.To)
		}
		if _, twice := out[r.To[0]]; twice {
			t.Fatalf("%s received twice", r.To[0])
		}
		out[r.To[0]] = parseMessage(t, r.Data)
	}
	return out
}

func keys[M ~map[string]V, V any](m M) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestSendDeliversEachRecipientOncePersonalised(t *testing.T) {
	ts := smtptest.Start(t, login)
	pdf := filepath.Join(t.TempDir(), "džepna knjiga.pdf")
	content := bytes.Repeat([]byte("%PDF-1.4 džepna knjiga\n"), 500)
	if err := os.WriteFile(pdf, content, 0o644); err != nil {
		t.Fatal(err)
	}
	msgs := letters(3)
	msgs[1].HTML = "" // plain text only
	for i := range msgs {
		msgs[i].Attachments = []string{pdf}
	}
	opt := fast()
	var progress []int
	opt.Progress = func(done, total int, last Outcome) {
		if total != 3 || last.Message != &msgs[done-1] {
			t.Errorf("Progress(%d, %d, %v)", done, total, last.Message)
		}
		progress = append(progress, done)
	}
	outs, err := Send(context.Background(), settings(ts), msgs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(progress, []int{1, 2, 3}) {
		t.Errorf("Progress called with %v, want 1 2 3", progress)
	}
	for i, o := range outs {
		if !o.Sent || o.Attempts != 1 || o.Reason != "" || o.Message != &msgs[i] {
			t.Errorf("outcome %d = %+v, want sent at the first try", i, o)
		}
	}
	got := byRecipient(t, ts.Received())
	if ks := keys(got); !reflect.DeepEqual(ks, []string{"a@example.ba", "b@example.ba", "c@example.ba"}) {
		t.Fatalf("received by %v", ks)
	}
	for _, r := range ts.Received() {
		if r.From != "ured@cazin.ba" {
			t.Errorf("envelope sender %q", r.From)
		}
	}
	for _, m := range msgs {
		p := got[m.To]
		given := strings.Fields(m.ToName)[0]
		if p.Subject != m.Subject {
			t.Errorf("%s: subject %q, want %q", m.To, p.Subject, m.Subject)
		}
		if p.From != `"Ured za dijasporu Cazin" <ured@cazin.ba>` && p.From != "Ured za dijasporu Cazin <ured@cazin.ba>" {
			t.Errorf("%s: From %q", m.To, p.From)
		}
		if !strings.Contains(p.To, m.ToName) || !strings.Contains(p.To, "<"+m.To+">") {
			t.Errorf("%s: To %q", m.To, p.To)
		}
		if !strings.Contains(p.Text, "Poštovani "+given+",") {
			t.Errorf("%s: text %q", m.To, p.Text)
		}
		if m.HTML != "" && !strings.Contains(p.HTML, "<b>"+given+"</b>") {
			t.Errorf("%s: HTML %q", m.To, p.HTML)
		}
		if m.HTML == "" && p.HTML != "" {
			t.Errorf("%s: HTML %q where none was given", m.To, p.HTML)
		}
		if f := p.Files["džepna knjiga.pdf"]; !bytes.Equal(f, content) {
			t.Errorf("%s: attachment %v (%d bytes), want the pocket book (%d bytes)", m.To, keys(p.Files), len(f), len(content))
		}
	}
}

func TestSendRetriesTemporaryFailure(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{Rcpt: func(to string, try int) error {
		if to == "b@example.ba" && try == 0 {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Greylisted, try again later"}
		}
		return nil
	}})
	msgs := letters(3)
	outs, err := Send(context.Background(), settings(ts), msgs, fast())
	if err != nil {
		t.Fatal(err)
	}
	if o := outs[1]; !o.Sent || o.Attempts != 2 {
		t.Errorf("after 451 then 250: %+v, want sent at the second try", o)
	}
	if got := byRecipient(t, ts.Received()); len(got) != 3 || got["b@example.ba"].Subject != msgs[1].Subject {
		t.Errorf("received by %v", keys(got))
	}
}

func TestSendBacksOffAndGivesUp(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{Rcpt: func(to string, try int) error {
		if to == "a@example.ba" {
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"}
		}
		return nil
	}})
	var pauses []time.Duration
	opt := SendOptions{PerMinute: -1, sleep: func(_ context.Context, d time.Duration) error {
		pauses = append(pauses, d)
		return nil
	}}
	outs, err := Send(context.Background(), settings(ts), letters(2), opt)
	if err != nil {
		t.Fatal(err)
	}
	// Default: 3 retries, 5 s doubling.
	if want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second}; !reflect.DeepEqual(pauses, want) {
		t.Errorf("pauses %v, want %v", pauses, want)
	}
	o := outs[0]
	if o.Sent || o.Attempts != 4 || o.Undeliverable || o.Reason != "452 4.2.2 Mailbox full" {
		t.Errorf("always 452: %+v, want 4 attempts, not sent, the server's answer", o)
	}
	if !outs[1].Sent || len(ts.Received()) != 1 {
		t.Errorf("the run did not go on: %+v, %d received", outs[1], len(ts.Received()))
	}
}

func TestSendPermanentFailureIsReportedAndRunGoesOn(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{Rcpt: func(to string, try int) error {
		switch to {
		case "b@example.ba":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "User unknown"}
		case "d@example.ba":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relaying denied"}
		}
		return nil
	}})
	outs, err := Send(context.Background(), settings(ts), letters(4), fast())
	if err != nil {
		t.Fatal(err)
	}
	if o := outs[1]; o.Sent || !o.Undeliverable || o.Attempts != 1 || o.Reason != "550 5.1.1 User unknown" {
		t.Errorf("550 5.1.1: %+v", o)
	}
	if o := outs[3]; o.Sent || o.Undeliverable || o.Reason != "550 5.7.1 Relaying denied" {
		t.Errorf("550 5.7.1 (not about the address): %+v", o)
	}
	if got := byRecipient(t, ts.Received()); !reflect.DeepEqual(keys(got), []string{"a@example.ba", "c@example.ba"}) {
		t.Errorf("received by %v", keys(got))
	}
	if d := outs[1].Describe(i18n.BS); !strings.Contains(d, "b@example.ba") || !strings.Contains(d, "550 5.1.1 User unknown") {
		t.Errorf("Describe = %q", d)
	}
}

func TestUndeliverable(t *testing.T) {
	for _, c := range []struct {
		stage string
		code  int
		msg   string
		want  bool
	}{
		{"rcpt", 550, "5.1.1 User unknown", true},
		{"rcpt", 553, "5.1.3 Bad address syntax", true},
		{"data", 550, "5.1.1 Recipient rejected", true},
		{"rcpt", 550, "No such user", true},
		{"rcpt", 551, "User not local", true},
		{"rcpt", 554, "Transaction failed", false},
		{"rcpt", 550, "5.7.1 Relaying denied", false},
		{"data", 550, "5.7.1 Message rejected as spam", false},
		{"data", 550, "No such user", false},
		{"mail", 553, "5.1.8 Sender domain does not exist", false},
		{"rcpt", 550, "5.1.7 Bad sender", false},
		{"rcpt", 450, "4.1.1 Try later", false},
	} {
		if got := undeliverable(c.stage, &textproto.Error{Code: c.code, Msg: c.msg}); got != c.want {
			t.Errorf("undeliverable(%s, %d %s) = %v, want %v", c.stage, c.code, c.msg, got, c.want)
		}
	}
}

func TestSendWrongPasswordSendsNothing(t *testing.T) {
	ts := smtptest.Start(t, login)
	s := settings(ts)
	s.Password = "kriva"
	called := false
	opt := fast()
	opt.Progress = func(int, int, Outcome) { called = true }
	outs, err := Send(context.Background(), s, letters(3), opt)
	var e *Error
	if !errors.As(err, &e) || e.Key != "outreachmail.error.auth_failed" {
		t.Fatalf("Send = %v, want the login refused", err)
	}
	if len(outs) != 0 || called || len(ts.Received()) != 0 {
		t.Errorf("outcomes %v, progress %v, %d received: want nothing", outs, called, len(ts.Received()))
	}
	for _, l := range i18n.All {
		if msg := e.Message(l); strings.Contains(msg, "\n") || strings.Contains(msg, "kriva") {
			t.Errorf("%s: %q", l, msg)
		}
	}
	if msg := e.Message(i18n.EN); !strings.Contains(msg, "refused the user name") || !strings.Contains(msg, "Settings") {
		t.Errorf("EN: %q", msg)
	}
}

func TestSendCancelStopsAfterMessageInFlight(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := fast()
	opt.Progress = func(done, _ int, _ Outcome) {
		if done == 2 {
			cancel()
		}
	}
	outs, err := Send(ctx, settings(ts), letters(5), opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if len(outs) != 2 || !outs[0].Sent || !outs[1].Sent {
		t.Errorf("outcomes %+v, want the two sent", outs)
	}
	if got := byRecipient(t, ts.Received()); !reflect.DeepEqual(keys(got), []string{"a@example.ba", "b@example.ba"}) {
		t.Errorf("received by %v", keys(got))
	}
}

func TestSendCancelDuringRatePause(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := SendOptions{PerMinute: 1} // a minute between messages: the cancel comes during the pause
	opt.Progress = func(done, _ int, _ Outcome) {
		if done == 1 {
			cancel()
		}
	}
	outs, err := Send(ctx, settings(ts), letters(3), opt)
	if !errors.Is(err, context.Canceled) || len(outs) != 1 || len(ts.Received()) != 1 {
		t.Errorf("Send = %d outcomes, %v; %d received; want 1, context.Canceled, 1", len(outs), err, len(ts.Received()))
	}
}

func TestSendBadAddressIsReportedRestSent(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{})
	msgs := letters(4)
	msgs[1].To = "amra.hodzic at example.ba"
	msgs[2].To = ""
	var seen []Outcome
	opt := fast()
	opt.Progress = func(_, _ int, o Outcome) { seen = append(seen, o) }
	outs, err := Send(context.Background(), settings(ts), msgs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 4 || len(seen) != 4 {
		t.Fatalf("%d outcomes, %d progress calls, want 4", len(outs), len(seen))
	}
	for _, i := range []int{1, 2} {
		o := outs[i]
		if o.Sent || o.Attempts != 0 || o.Reason == "" || o.Undeliverable {
			t.Errorf("bad address %q: %+v", msgs[i].To, o)
		}
	}
	if d := outs[1].Describe(i18n.SQ); !strings.Contains(d, "amra.hodzic at example.ba") || !strings.Contains(d, "nuk u dërgua") {
		t.Errorf("Describe = %q", d)
	}
	if got := byRecipient(t, ts.Received()); !reflect.DeepEqual(keys(got), []string{"a@example.ba", "d@example.ba"}) {
		t.Errorf("received by %v", keys(got))
	}
}

func TestSendReconnectsWhenDropped(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{User: login.User, Password: login.Password, Rcpt: func(to string, try int) error {
		if to == "b@example.ba" && try == 0 {
			return smtptest.ErrDrop
		}
		return nil
	}})
	outs, err := Send(context.Background(), settings(ts), letters(3), fast())
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outs {
		if !o.Sent {
			t.Errorf("outcome %d: %+v", i, o)
		}
	}
	if len(byRecipient(t, ts.Received())) != 3 || ts.Connections() != 2 {
		t.Errorf("%d received over %d connections, want 3 over 2", len(ts.Received()), ts.Connections())
	}
}

func TestSendOneConnectionForTheRun(t *testing.T) {
	ts := smtptest.Start(t, login)
	if _, err := Send(context.Background(), settings(ts), letters(6), fast()); err != nil {
		t.Fatal(err)
	}
	if len(ts.Received()) != 6 || ts.Connections() != 1 {
		t.Errorf("%d received over %d connections, want 6 over 1", len(ts.Received()), ts.Connections())
	}
	// The envelope in angle brackets, as strict servers (Postfix with
	// strict_rfc821_envelopes) demand.
	for _, cmd := range []string{"MAIL FROM:<ured@cazin.ba>", "RCPT TO:<a@example.ba>", "RCPT TO:<f@example.ba>"} {
		if !strings.Contains(ts.Protocol(), cmd) {
			t.Errorf("the client never said %s", cmd)
		}
	}
}

func TestSendStopsWhenServerIsGone(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{})
	opt := fast()
	opt.Retries = 2
	opt.Progress = func(done, _ int, _ Outcome) {
		if done == 1 {
			_ = ts.Close() // the listener and the open connection
		}
	}
	outs, err := Send(context.Background(), settings(ts), letters(4), opt)
	var e *Error
	if !errors.As(err, &e) || e.Key != "outreachmail.error.unreachable" {
		t.Fatalf("Send = %v, want the server unreachable", err)
	}
	if len(outs) != 2 || !outs[0].Sent || outs[1].Sent || outs[1].Attempts != 3 || outs[1].Reason == "" {
		t.Errorf("outcomes %+v, want the first sent and the second failed after 3 attempts", outs)
	}
}

func TestSendOverSTARTTLS(t *testing.T) {
	certConf, pool := selfSigned(t)
	ts := smtptest.Start(t, smtptest.Config{User: login.User, Password: login.Password, TLS: certConf})
	s := settings(ts)
	s.Security, s.rootCAs = SecurityStartTLS, pool
	outs, err := Send(context.Background(), s, letters(2), fast())
	if err != nil || len(outs) != 2 || !outs[0].Sent || !outs[1].Sent {
		t.Fatalf("Send = %+v, %v", outs, err)
	}
	if len(ts.Received()) != 2 {
		t.Errorf("%d received, want 2", len(ts.Received()))
	}
	s.rootCAs = nil // the system does not trust the test's certificate
	_, err = Send(context.Background(), s, letters(1), fast())
	var e *Error
	if !errors.As(err, &e) || e.Key != "outreachmail.error.tls" || len(ts.Received()) != 2 {
		t.Errorf("untrusted certificate: %v, %d received", err, len(ts.Received()))
	}
}

func TestSendRateLimit(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{})
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var pauses []time.Duration
	opt := SendOptions{
		now: func() time.Time { return clock },
		sleep: func(_ context.Context, d time.Duration) error {
			pauses = append(pauses, d)
			clock = clock.Add(d)
			return nil
		},
	}
	s := settings(ts)
	s.PerMinute = 0 // the default: 30 a minute
	if _, err := Send(context.Background(), s, letters(3), opt); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{2 * time.Second, 2 * time.Second}; !reflect.DeepEqual(pauses, want) {
		t.Errorf("pauses at 30 a minute: %v, want %v", pauses, want)
	}
	pauses = nil
	s.PerMinute = 12
	if _, err := Send(context.Background(), s, letters(2), opt); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{5 * time.Second}; !reflect.DeepEqual(pauses, want) {
		t.Errorf("pauses at the settings' 12 a minute: %v, want %v", pauses, want)
	}
}

func TestInterval(t *testing.T) {
	for _, c := range []struct {
		run, settings int
		want          time.Duration
	}{
		{0, 0, 2 * time.Second}, {0, 60, time.Second}, {120, 60, 500 * time.Millisecond}, {-1, 60, 0}, {0, -1, 0},
	} {
		if got := interval(c.run, c.settings); got != c.want {
			t.Errorf("interval(%d, %d) = %v, want %v", c.run, c.settings, got, c.want)
		}
	}
}

func TestSendDryRunWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "probne")
	msgs := letters(3)
	msgs[1].To = "nije adresa"
	msgs[2].To = "Emina.Šarić+ljeto@example.ba"
	// No server at all: a dry run needs none.
	s := SMTPSettings{Host: "127.0.0.1", Port: 1, From: "ured@cazin.ba", FromName: "Ured za dijasporu Cazin"}
	outs, err := Send(context.Background(), s, msgs, SendOptions{DryRunDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outs {
		if o.Sent || (i != 1 && o.Reason != "") || (i == 1 && o.Reason == "") {
			t.Errorf("dry-run outcome %d: %+v", i, o)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"0001-a@example.ba.eml", "0003-Emina._ari_+ljeto@example.ba.eml"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for i, name := range names {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		p := parseMessage(t, raw)
		m := msgs[2*i]
		if p.Subject != m.Subject || !strings.Contains(p.Text, "Poštovani") || !strings.Contains(p.To, m.ToName) {
			t.Errorf("%s: subject %q, to %q, text %q", name, p.Subject, p.To, p.Text)
		}
	}
	if d := outs[0].Describe(i18n.EN); !strings.Contains(d, "not sent") {
		t.Errorf("Describe = %q", d)
	}
}

func TestSendRefusesBeforeConnecting(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Config{})
	msgs := letters(2)
	msgs[1].Attachments = []string{filepath.Join(t.TempDir(), "nema.pdf")}
	_, err := Send(context.Background(), settings(ts), msgs, fast())
	var e *Error
	if !errors.As(err, &e) || e.Key != "outreachmail.error.attachment" || !strings.Contains(e.Message(i18n.HR), "nema.pdf") {
		t.Errorf("missing attachment: %v", err)
	}
	s := settings(ts)
	s.From = "ured"
	if _, err := Send(context.Background(), s, letters(1), fast()); !errors.As(err, &e) || e.Key != "outreachmail.error.from" {
		t.Errorf("bad sender: %v", err)
	}
	if ts.Connections() != 0 {
		t.Errorf("%d connections, want none", ts.Connections())
	}
	if outs, err := Send(context.Background(), settings(ts), nil, fast()); outs != nil || err != nil {
		t.Errorf("no messages: %v, %v", outs, err)
	}
}

func TestFileSafe(t *testing.T) {
	for in, want := range map[string]string{
		"amra@example.ba":        "amra@example.ba",
		"a/b\\c:d*e?@x.ba":       "a_b_c_d_e_@x.ba",
		"đorđe@example.ba":       "_or_e@example.ba",
		strings.Repeat("x", 300): strings.Repeat("x", 100),
	} {
		if got := fileSafe(in); got != want {
			t.Errorf("fileSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkSend is the throughput to a server on the same machine with the
// rate limit off (one login for 100 messages): what the program itself
// costs per message, plain and with a 1 MiB attachment.
func BenchmarkSend(b *testing.B) {
	pdf := filepath.Join(b.TempDir(), "knjiga.pdf")
	if err := os.WriteFile(pdf, bytes.Repeat([]byte("%PDF-1.4 0123456789abcdef\n"), 1<<20/26), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files []string
	}{{"text+html", nil}, {"attachment-1MiB", []string{pdf}}} {
		b.Run(c.name, func(b *testing.B) {
			ts := smtptest.Start(b, login)
			msgs := letters(100)
			for i := range msgs {
				msgs[i].Attachments = c.files
			}
			for b.Loop() {
				outs, err := Send(context.Background(), settings(ts), msgs, fast())
				if err != nil || len(outs) != len(msgs) || !outs[len(outs)-1].Sent {
					b.Fatal(len(outs), err)
				}
			}
			b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
