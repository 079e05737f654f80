package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"registar/data/outreach/smtptest"
)

// received is a message the test server accepted, read back: its
// envelope, its headers and the decoded text of its body.
type received struct {
	from string
	to   []string
	msg  *mail.Message
	body string
}

const smtpUser, smtpSecret = "ured", "tajna-lozinka"

// startSMTP is a test server that takes the login smtpUser/smtpSecret and
// refuses the recipients in refuse for good (550 5.1.1).
func startSMTP(t *testing.T, refuse ...string) *smtptest.Server {
	t.Helper()
	return startSMTPWith(t, smtptest.Config{}, refuse...)
}

// startSMTPWith is startSMTP with conf's OnData.
func startSMTPWith(t *testing.T, conf smtptest.Config, refuse ...string) *smtptest.Server {
	t.Helper()
	conf.User, conf.Password = smtpUser, smtpSecret
	conf.Rcpt = func(to string, _ int) error {
		if slices.Contains(refuse, to) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "User unknown"}
		}
		return nil
	}
	return smtptest.Start(t, conf)
}

// smtpEnv is the environment that points registar-cli at the server.
func smtpEnv(ts *smtptest.Server, password string) []string {
	return []string{"REGISTAR_SMTP_URL=smtp://" + smtpUser + "@" + ts.Addr() + "?tls=none&from=dijaspora@cazin.ba",
		"REGISTAR_SMTP_PASSWORD=" + password}
}

// receivedMail is what the server received, each message parsed.
func receivedMail(t *testing.T, ts *smtptest.Server) []received {
	t.Helper()
	var out []received
	for _, m := range ts.Received() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("a message to %v does not parse: %v", m.To, err)
		}
		body, err := textOf(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		if err != nil {
			t.Fatalf("the body of a message to %v: %v", m.To, err)
		}
		out = append(out, received{m.From, m.To, msg, body})
	}
	return out
}

// textOf is the decoded text of a body: every text part of a multipart
// one, joined.
func textOf(ctype, cte string, r io.Reader) (string, error) {
	mt, params, _ := mime.ParseMediaType(ctype)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		var out []string
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return strings.Join(out, "\n"), nil
			}
			if err != nil {
				return "", err
			}
			s, err := textOf(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			if err != nil {
				return "", err
			}
			out = append(out, s)
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const mailBody = "{salutation} {given_name},\n\npozivamo Vas na Dane dijaspore u Cazinu.\n"

func TestMailReachesExactlyTheConsenting(t *testing.T) {
	db, _ := outreachDB(t)
	ts := startSMTP(t)
	body := writeFile(t, "poziv.txt", mailBody)
	r := cli(t, smtpEnv(ts, smtpSecret), "--db", db, "mail", "--subject", "Poziv za {given_name}", "--body-file", body, "--rate", "60000")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	got := receivedMail(t, ts)
	want := map[string]string{"amra@example.org": "Amra", "milos@example.rs": "Милош", "vjosa@example.com": "Vjosa"}
	if len(got) != len(want) {
		t.Fatalf("the server received %d messages, want %d", len(got), len(want))
	}
	dec := new(mime.WordDecoder)
	seen := map[string]bool{}
	for _, m := range got {
		if len(m.to) != 1 {
			t.Fatalf("a message to %v: one recipient each", m.to)
		}
		to := m.to[0]
		name, ok := want[to]
		if !ok || seen[to] {
			t.Fatalf("a message to %s (again: %v)", to, seen[to])
		}
		seen[to] = true
		subject, err := dec.DecodeHeader(m.msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		if subject != "Poziv za "+name {
			t.Errorf("to %s: subject %q, want %q", to, subject, "Poziv za "+name)
		}
		if !strings.Contains(m.body, name+",") || !strings.Contains(m.body, "Dane dijaspore") {
			t.Errorf("to %s: the body is not personalised:\n%s", to, m.body)
		}
		if m.from != "dijaspora@cazin.ba" {
			t.Errorf("from %q", m.from)
		}
	}
	if !strings.Contains(r.stdout, "Sent 3, failed 0") {
		t.Errorf("report: %q", r.stdout)
	}
	if want := "3 to send · 2 without consent to contact · 1 without an e-mail address"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	if n, by := communications(t, db); n != 1 || by["email"] != 1 {
		t.Errorf("after the run: %d communications %v, want 1 e-mail", n, by)
	}
}

func TestMailWrongPassword(t *testing.T) {
	db, _ := outreachDB(t)
	ts := startSMTP(t)
	body := writeFile(t, "poziv.txt", mailBody)
	r := cli(t, smtpEnv(ts, "falsch"), "--db", db, "mail", "--subject", "Poziv", "--body-file", body, "--rate", "60000")
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || r.stderr == "" {
		t.Errorf("a wrong password: exit %d, stderr %q (want one line)", r.code, r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, "falsch") {
		t.Errorf("the password was printed: %q", r.stderr)
	}
	if n := len(receivedMail(t, ts)); n != 0 {
		t.Errorf("%d messages received with a wrong password", n)
	}
	if n, _ := communications(t, db); n != 0 {
		t.Errorf("%d communications recorded with a wrong password", n)
	}
}

func TestMailUnknownFieldSendsNothing(t *testing.T) {
	db, _ := outreachDB(t)
	ts := startSMTP(t)
	body := writeFile(t, "poziv.txt", mailBody)
	r := cli(t, smtpEnv(ts, smtpSecret), "--db", db, "mail", "--subject", "Zdravo {nadimak}", "--body-file", body)
	if r.code == 0 || !strings.Contains(r.stderr, "nadimak") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("an unknown field in the subject: exit %d %q", r.code, r.stderr)
	}
	bad := writeFile(t, "bad.txt", "Dragi {ime},\n")
	r = cli(t, smtpEnv(ts, smtpSecret), "--db", db, "mail", "--subject", "Zdravo", "--body-file", bad)
	if r.code == 0 || !strings.Contains(r.stderr, "{ime}") && !strings.Contains(r.stderr, "ime") {
		t.Errorf("an unknown field in the body: exit %d %q", r.code, r.stderr)
	}
	if n := len(receivedMail(t, ts)); n != 0 {
		t.Errorf("%d messages sent from a template with an unknown field", n)
	}
}

func TestMailRefusedAddressIsReported(t *testing.T) {
	db, _ := outreachDB(t)
	ts := startSMTP(t, "vjosa@example.com")
	body := writeFile(t, "poziv.txt", mailBody)
	r := cli(t, smtpEnv(ts, smtpSecret), "--db", db, "mail", "--subject", "Poziv", "--body-file", body, "--rate", "60000")
	if r.code != 1 {
		t.Errorf("a refused recipient: exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stdout, "Sent 2, failed 1") || !strings.Contains(r.stdout, "vjosa@example.com") || !strings.Contains(r.stdout, "5.1.1") {
		t.Errorf("report:\n%s", r.stdout)
	}
	if n := len(receivedMail(t, ts)); n != 2 {
		t.Errorf("%d received, want the other 2", n)
	}
	if n, _ := communications(t, db); n != 1 {
		t.Errorf("%d communications, want the run recorded", n)
	}
	// The address is flagged on the person: a second run leaves her out.
	r = cli(t, smtpEnv(ts, smtpSecret), "--db", db, "mail", "--subject", "Poziv", "--body-file", body, "--rate", "60000")
	if r.code != 0 || !strings.Contains(r.stderr, "1 whose e-mail address the server refused") {
		t.Errorf("second run: exit %d %q", r.code, r.stderr)
	}
}

func TestMailDryRun(t *testing.T) {
	db, act := outreachDB(t)
	dir := filepath.Join(t.TempDir(), "eml")
	body := writeFile(t, "poziv.txt", mailBody)
	r := cli(t, nil, "--db", db, "mail", "--activity", act, "--status", "invited", "--subject", "Poziv za {given_name}",
		"--body-file", body, "--dry-run", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 2 {
		t.Fatalf("%d .eml files, want 2 (the invited who consented)", len(files))
	}
	all := ""
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all += string(b)
	}
	if !strings.Contains(all, "amra@example.org") || !strings.Contains(all, "milos@example.rs") || strings.Contains(all, "edin@") {
		t.Errorf("the .eml files:\n%s", all)
	}
	if !strings.Contains(r.stdout, "2 messages written") {
		t.Errorf("stdout %q", r.stdout)
	}
	if n, _ := communications(t, db); n != 0 {
		t.Errorf("a dry run recorded %d communications", n)
	}
}

func TestMailAccount(t *testing.T) {
	db, _ := outreachDB(t)
	ts := startSMTP(t)
	host, port, _ := net.SplitHostPort(ts.Addr())
	url := "smtp://" + smtpUser + "@" + host + ":" + port + "?tls=none&from=dijaspora@cazin.ba"
	out := mustCLI(t, []string{"REGISTAR_SMTP_PASSWORD=" + smtpSecret}, "--db", db, "mail", "--set-account", url)
	if strings.Contains(out, smtpSecret) || !strings.Contains(out, host) {
		t.Errorf("set-account: %q", out)
	}
	out = mustCLI(t, nil, "--db", db, "mail", "--show-account")
	if strings.Contains(out, smtpSecret) || !strings.Contains(out, host) {
		t.Errorf("show-account: %q", out)
	}
	mustCLI(t, nil, "--db", db, "mail", "--check")
	// The saved account sends.
	body := writeFile(t, "poziv.txt", mailBody)
	mustCLI(t, nil, "--db", db, "mail", "--query", "Amra", "--subject", "Poziv", "--body-file", body, "--rate", "60000")
	if got := receivedMail(t, ts); len(got) != 1 || got[0].to[0] != "amra@example.org" {
		t.Errorf("with the saved account: %d received", len(got))
	}
	// A wrong password from the environment overrides it: --check fails.
	r := cli(t, smtpEnv(ts, "falsch"), "--db", db, "mail", "--check")
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("check with a wrong password: exit %d %q", r.code, r.stderr)
	}
}

// Ctrl+C stops the run after the message in flight; what was sent is
// recorded.
func TestMailCancel(t *testing.T) {
	db, _ := outreachDB(t)
	body := writeFile(t, "poziv.txt", mailBody)
	// The second message is in flight when Ctrl+C comes: the server holds
	// its answer until the signal is sent (and a moment more, for the
	// signal to reach the command before the answer does).
	// The server's goroutine learns of the process through an atomic: the
	// race detector cannot see that the command started before it spoke.
	var proc atomic.Pointer[os.Process]
	ts := startSMTPWith(t, smtptest.Config{OnData: func(n int) {
		if n == 2 {
			for proc.Load() == nil { // stored right after Start
				time.Sleep(time.Millisecond)
			}
			proc.Load().Signal(os.Interrupt)
			time.Sleep(300 * time.Millisecond)
		}
	}})
	cmd := exec.Command(cliPath, "--db", db, "mail", "--subject", "Poziv", "--body-file", body, "--rate", "60000")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=C.UTF-8"}, smtpEnv(ts, smtpSecret)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	proc.Store(cmd.Process)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("cancelled: %v, want exit 1\n%s%s", err, stdout.String(), stderr.String())
	}
	if n := len(receivedMail(t, ts)); n != 2 {
		t.Errorf("%d received; want the message in flight finished and no more", n)
	}
	if !strings.Contains(stdout.String(), "Sent 2, failed 0") || !strings.Contains(stderr.String(), "Cancelled") {
		t.Errorf("report:\n%s%s", stdout.String(), stderr.String())
	}
	if n, _ := communications(t, db); n != 1 {
		t.Errorf("%d communications: the two sent should be recorded", n)
	}
}
