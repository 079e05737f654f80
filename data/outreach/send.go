package outreach

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"registar/data"
	"registar/data/i18n"
)

// Message is one personalised e-mail.
type Message struct {
	ContactID string
	Kind      data.Kind
	To        string // address
	ToName    string
	Subject   string
	Text      string // plain text body
	HTML      string // optional HTML body
	// Attachments are files attached to every message (the pocket book).
	Attachments []string
}

// SendOptions shape a run.
type SendOptions struct {
	// PerMinute is the rate limit (0: the settings', else 30; below 0: no
	// limit, for a relay on the same machine).
	PerMinute int
	// Retries on a temporary failure (4xx, a dropped connection), with
	// back-off from Backoff doubling at each try (0: 3 retries from 5 s;
	// below 0: no retry).
	Retries int
	Backoff time.Duration
	// DryRunDir, when set, writes each message as an .eml file there and
	// sends nothing.
	DryRunDir string
	// Progress is called after each message.
	Progress func(done, total int, last Outcome)

	// now and sleep are the clock of the rate limit and the back-off
	// (nil: the real ones); tests count the pauses without taking them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// Outcome is what became of one message.
type Outcome struct {
	Message  *Message
	Sent     bool
	Attempts int
	// Reason is the server's answer when it failed ("550 5.1.1 user
	// unknown"), or why the address was refused before sending.
	Reason string
	// Undeliverable: the server refused the address itself for good (5.1.x).
	Undeliverable bool

	// badAddress: the address was refused before anything was sent.
	badAddress bool
}

// Describe says in language l what became of the message, for a run's
// final report: sent, not a valid address, or the server's answer.
func (o Outcome) Describe(l i18n.Lang) string {
	to := ""
	if o.Message != nil {
		to = o.Message.To
	}
	switch {
	case o.Sent:
		return i18n.T(l, "outreachmail.outcome.sent", "to", to)
	case o.badAddress:
		return i18n.T(l, "outreachmail.outcome.bad_address", "to", to)
	case o.Reason == "":
		return i18n.T(l, "outreachmail.outcome.written", "to", to)
	case o.Undeliverable:
		return i18n.T(l, "outreachmail.outcome.undeliverable", "to", to, "reason", o.Reason)
	}
	return i18n.T(l, "outreachmail.outcome.failed", "to", to, "reason", o.Reason)
}

// Send sends the messages one by one through the office's account, over
// one connection made again when it drops, at most PerMinute a minute.
// From is the settings' From and FromName, To the contact. A temporary
// failure (a 4xx answer, a dropped connection) is tried again after a
// pause that doubles each time.
//
// An error with no outcomes means the run could not start (settings,
// attachment, connection, TLS, login): nothing was sent. A message that
// fails for good (a 5xx answer, an address the mail parser refuses) is
// reported in its Outcome and the run goes on. Cancelling ctx stops after
// the message in flight and returns the outcomes so far with ctx.Err();
// when the server cannot be reached again after the connection dropped,
// Send returns the outcomes so far with that error. Messages without an
// outcome were not tried.
//
// With DryRunDir set nothing is sent and no server is needed: each message
// is written there as NNNN-<address>.eml (NNNN its place in msgs, from
// 0001), and its Outcome has Sent false and an empty Reason (an address
// the parser refuses is reported as in a real run, and no file written).
func Send(ctx context.Context, s SMTPSettings, msgs []Message, opt SendOptions) ([]Outcome, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	from, err := s.sender()
	if err != nil {
		return nil, err
	}
	files, err := readAttachments(msgs)
	if err != nil {
		return nil, err
	}
	r := &run{from: from, files: files, opt: opt, total: len(msgs)}
	if opt.DryRunDir != "" {
		return r.dryRun(ctx, msgs)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	r.s = s
	r.retries, r.backoff = opt.Retries, opt.Backoff
	switch {
	case r.retries == 0:
		r.retries = 3
	case r.retries < 0:
		r.retries = 0
	}
	if r.backoff <= 0 {
		r.backoff = 5 * time.Second
	}
	r.pace = pacer{every: interval(opt.PerMinute, s.PerMinute), now: opt.now, sleep: opt.sleep}
	if r.pace.now == nil {
		r.pace.now = time.Now
	}
	if r.pace.sleep == nil {
		r.pace.sleep = sleepCtx
	}
	if r.c, err = s.dial(ctx); err != nil {
		return nil, err
	}
	defer r.close()
	outs := make([]Outcome, 0, len(msgs))
	for i := range msgs {
		if err := ctx.Err(); err != nil {
			return outs, err
		}
		out, err := r.deliver(ctx, &msgs[i])
		if out.Message != nil {
			outs = append(outs, out)
			r.progress(len(outs), out)
		}
		if err != nil {
			return outs, err
		}
	}
	return outs, nil
}

// interval is the pause between two messages: the run's rate, else the
// settings', else DefaultPerMinute; 0 for no limit.
func interval(run, settings int) time.Duration {
	perMinute := run
	if perMinute == 0 {
		perMinute = settings
	}
	if perMinute == 0 {
		perMinute = DefaultPerMinute
	}
	if perMinute < 0 {
		return 0
	}
	return time.Minute / time.Duration(perMinute)
}

// run is one Send.
type run struct {
	s       SMTPSettings
	from    *mail.Address
	files   map[string][]byte
	opt     SendOptions
	total   int
	retries int
	backoff time.Duration
	pace    pacer
	c       *smtp.Client // nil: to be made again
}

func (r *run) progress(done int, out Outcome) {
	if r.opt.Progress != nil {
		r.opt.Progress(done, r.total, out)
	}
}

func (r *run) close() {
	if r.c != nil {
		_ = r.c.Quit()
		r.c = nil
	}
}

// drop forgets a connection that broke; the next attempt makes a new one.
func (r *run) drop() {
	if r.c != nil {
		_ = r.c.Close()
		r.c = nil
	}
}

// deliver sends one message, trying again on temporary failures. The
// error stops the run: ctx was cancelled, or the server cannot be reached
// or logged in to any more. The Outcome has no Message when the message
// was not tried at all.
func (r *run) deliver(ctx context.Context, m *Message) (Outcome, error) {
	out := Outcome{Message: m}
	to, err := parseAddress(m.To)
	if err != nil {
		out.Reason, out.badAddress = err.Error(), true
		return out, nil
	}
	msg, readers := r.compose(m, to)
	for attempt := 0; ; attempt++ {
		if attempt == 0 {
			if err := r.pace.wait(ctx); err != nil {
				return Outcome{}, err
			}
		} else if err := r.pace.sleep(ctx, backoff(r.backoff, attempt)); err != nil {
			return out, err
		}
		out.Attempts++
		f := r.attempt(ctx, msg, readers, to.Address)
		if f == nil {
			out.Sent, out.Reason, out.Undeliverable = true, "", false
			return out, nil
		}
		out.Reason, out.Undeliverable = f.reason, f.undeliverable
		if f.dial != nil && (!f.temporary || attempt >= r.retries) {
			return out, f.dial
		}
		if !f.temporary || attempt >= r.retries {
			return out, nil
		}
	}
}

// backoff is the pause before the attempt-th retry: base, 2×base, 4×base…
// at most 5 minutes.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}

// failure is why one attempt did not deliver.
type failure struct {
	reason        string
	temporary     bool
	undeliverable bool
	// dial is set when no connection could be made again: the run stops
	// once the retries are spent (at once when the login is refused).
	dial error
}

// attempt is one SMTP transaction on the run's connection (made again if
// it dropped).
func (r *run) attempt(ctx context.Context, msg *gomail.Msg, readers []*bytes.Reader, to string) *failure {
	if r.c == nil {
		c, err := r.s.dial(ctx)
		if err != nil {
			return &failure{reason: err.Error(), temporary: retryableDial(err), dial: err}
		}
		r.c = c
	}
	for _, rd := range readers {
		_, _ = rd.Seek(0, io.SeekStart) // an earlier attempt may have read part of it
	}
	_ = r.c.UpdateDeadline(dialTimeout + time.Duration(attachedSize(readers)/16384)*time.Second)
	stage := "mail"
	err := r.c.Mail(envelope(r.from.Address))
	if err == nil {
		stage = "rcpt"
		err = r.c.Rcpt(envelope(to))
	}
	if err == nil {
		stage = "data"
		var w io.WriteCloser
		if w, err = r.c.Data(); err == nil {
			_, err = msg.WriteTo(w)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
	}
	if err == nil {
		return nil
	}
	var tp *textproto.Error
	if !errors.As(err, &tp) {
		// Not an answer from the server: the connection broke.
		r.drop()
		return &failure{reason: oneLine(err).Error(), temporary: true}
	}
	f := &failure{reason: serverAnswer(tp), temporary: tp.Code/100 == 4, undeliverable: undeliverable(stage, tp)}
	if tp.Code == 421 || r.c.Reset() != nil {
		r.drop() // 421: the server is closing the connection
	}
	return f
}

// envelope is an address as MAIL FROM and RCPT TO want it: in angle
// brackets, the local part quoted where it must be (go-mail's smtp client
// sends what it is given).
func envelope(addr string) string {
	return (&mail.Address{Address: addr}).String()
}

// retryableDial: a connection that could not be made may work a moment
// later; a refused login or a failed TLS handshake will not.
func retryableDial(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Key {
	case "outreachmail.error.unknown_host", "outreachmail.error.timeout", "outreachmail.error.unreachable",
		"outreachmail.error.connect", "outreachmail.error.refused":
		return true
	}
	return false
}

// attachedSize is the encoded size of the attachments: a big one gets more
// time before the connection is given up.
func attachedSize(readers []*bytes.Reader) int64 {
	var n int64
	for _, rd := range readers {
		n += rd.Size() * 4 / 3 // base64
	}
	return n
}

// serverAnswer is the server's reply on one line: "550 5.1.1 User unknown".
func serverAnswer(tp *textproto.Error) string {
	return fmt.Sprintf("%03d %s", tp.Code, strings.Join(strings.Fields(tp.Msg), " "))
}

var enhancedCode = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})\b`)

// undeliverable: the server refused the recipient's address for good. With
// an enhanced status code (RFC 3463) that is 5.1.x but for 5.1.7 and 5.1.8
// (the sender's address); without one, a 550, 551 or 553 to RCPT TO. A 5xx
// to MAIL FROM is about the sender, never the recipient, and "550 5.7.1"
// (policy, spam) is not about the address.
func undeliverable(stage string, tp *textproto.Error) bool {
	if tp.Code/100 != 5 || stage == "mail" {
		return false
	}
	if m := enhancedCode.FindStringSubmatch(strings.TrimSpace(tp.Msg)); m != nil {
		return m[1] == "5" && m[2] == "1" && m[3] != "7" && m[3] != "8"
	}
	return stage == "rcpt" && (tp.Code == 550 || tp.Code == 551 || tp.Code == 553)
}

// parseAddress is the recipient's address as the mail parser reads it; an
// error says why it was refused (for Outcome.Reason, in English like a
// server's answer).
func parseAddress(s string) (*mail.Address, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("no e-mail address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("not a valid e-mail address: %q (%v)", s, err)
	}
	return a, nil
}

// compose builds the go-mail message; the readers of its attachments are
// rewound before each attempt.
func (r *run) compose(m *Message, to *mail.Address) (*gomail.Msg, []*bytes.Reader) {
	g := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	g.FromMailAddress(r.from)
	rcpt := *to
	if m.ToName != "" {
		rcpt.Name = m.ToName
	}
	g.ToMailAddress(&rcpt)
	g.Subject(m.Subject)
	g.SetDate()
	g.SetMessageIDWithValue(messageID(r.from.Address))
	// Precedence: bulk and no auto-replies: holiday notices from a whole
	// audience would flood the office's inbox.
	g.SetBulk()
	g.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		g.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	var readers []*bytes.Reader
	for _, p := range m.Attachments {
		rd := bytes.NewReader(r.files[p])
		g.AttachReadSeeker(filepath.Base(p), rd)
		readers = append(readers, rd)
	}
	return g, readers
}

// messageID is a random Message-ID in the sender's domain (spam filters
// distrust one in a laptop's host name).
func messageID(from string) string {
	domain := "registar.invalid"
	if at := strings.LastIndex(from, "@"); at >= 0 && at < len(from)-1 {
		domain = from[at+1:]
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "@" + domain
}

// readAttachments reads every attached file once, before anything is sent.
func readAttachments(msgs []Message) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, m := range msgs {
		for _, p := range m.Attachments {
			if _, done := files[p]; done {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, &Error{Key: "outreachmail.error.attachment", Args: []string{"file", p}, Err: oneLine(err)}
			}
			files[p] = b
		}
	}
	return files, nil
}

// dryRun writes the messages as .eml files.
func (r *run) dryRun(ctx context.Context, msgs []Message) ([]Outcome, error) {
	dir := r.opt.DryRunDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &Error{Key: "outreachmail.error.dry_run_dir", Args: []string{"dir", dir}, Err: oneLine(err)}
	}
	outs := make([]Outcome, 0, len(msgs))
	for i := range msgs {
		if err := ctx.Err(); err != nil {
			return outs, err
		}
		m := &msgs[i]
		out := Outcome{Message: m}
		if to, err := parseAddress(m.To); err != nil {
			out.Reason, out.badAddress = err.Error(), true
		} else {
			msg, _ := r.compose(m, to)
			name := filepath.Join(dir, fmt.Sprintf("%04d-%s.eml", i+1, fileSafe(to.Address)))
			if err := writeEML(name, msg); err != nil {
				return outs, &Error{Key: "outreachmail.error.dry_run_write", Args: []string{"file", name}, Err: oneLine(err)}
			}
		}
		outs = append(outs, out)
		r.progress(len(outs), out)
	}
	return outs, nil
}

func writeEML(name string, msg *gomail.Msg) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if _, err := msg.WriteTo(w); err != nil {
		_ = f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// fileSafe keeps letters, digits and . _ @ + - of an address (ASCII only,
// at most 100 bytes), so that the name is valid on every system.
func fileSafe(addr string) string {
	var b strings.Builder
	for _, r := range addr {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._@+-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	return b.String()
}

// pacer spaces the messages out to the rate limit.
type pacer struct {
	every time.Duration
	next  time.Time
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// wait pauses until the next message may go (ctx's error if it is
// cancelled meanwhile).
func (p *pacer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.every <= 0 {
		return nil
	}
	if !p.next.IsZero() {
		if d := p.next.Sub(p.now()); d > 0 {
			if err := p.sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	p.next = p.now().Add(p.every)
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
