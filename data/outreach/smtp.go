package outreach

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTPSetting is the store setting holding the office's SMTP account
// (SMTPSettings as JSON). The registry's encryption covers it.
const SMTPSetting = "smtp"

// The values of SMTPSettings.Security.
const (
	SecurityStartTLS = "starttls" // plain connection made secure with STARTTLS (port 587)
	SecurityTLS      = "tls"      // TLS from the first byte (port 465)
	SecurityNone     = "none"     // no encryption: a relay on the same machine (port 25)
)

// DefaultPerMinute is the rate limit when neither the run nor the settings
// give one: municipal mail servers throttle.
const DefaultPerMinute = 30

// dialTimeout bounds connecting, the TLS handshake, the login and each
// command of a run.
const dialTimeout = 30 * time.Second

// SMTPSettings is the office's mail account.
type SMTPSettings struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// Security is "starttls", "tls" (implicit, port 465) or "none" (a
	// relay on the same machine).
	Security string `json:"security"`
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
	From     string `json:"from"`
	FromName string `json:"from_name,omitempty"`
	// PerMinute is the most messages sent a minute (0: 30; below 0: no
	// limit, for a relay on the same machine).
	PerMinute int `json:"per_minute,omitempty"`

	// rootCAs, when set, replaces the system's certificate authorities:
	// tests trust their own self-signed server with it.
	rootCAs *x509.CertPool
}

// ParseSMTPURL reads REGISTAR_SMTP_URL: smtp://user@host:587?tls=starttls,
// smtps://user@host:465, smtp://host:25?tls=none; from=… sets the sender
// (else the user name when it is an address), from_name=… its name and
// per_minute=… the rate limit. smtp:// is STARTTLS unless tls=none (or
// tls=tls); the port defaults to 587 (465 for TLS, 25 for none).
// The password comes apart (REGISTAR_SMTP_PASSWORD), never in the URL: a
// URL holding one is refused, and no error repeats it.
func ParseSMTPURL(raw, password string) (SMTPSettings, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return SMTPSettings{}, errorf("outreachmail.url.empty")
	}
	if urlHasPassword(raw) {
		return SMTPSettings{}, errorf("outreachmail.url.password")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// The inner error names the faulty part only, not the whole URL.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return SMTPSettings{}, &Error{Key: "outreachmail.url.invalid", Err: err}
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "smtp" && scheme != "smtps") || u.Opaque != "" {
		return SMTPSettings{}, errorf("outreachmail.url.scheme", "scheme", u.Scheme)
	}
	var s SMTPSettings
	if u.User != nil {
		if _, has := u.User.Password(); has {
			return SMTPSettings{}, errorf("outreachmail.url.password")
		}
		s.User = u.User.Username()
	}
	if s.Host = u.Hostname(); s.Host == "" {
		return SMTPSettings{}, errorf("outreachmail.url.host")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return SMTPSettings{}, &Error{Key: "outreachmail.url.invalid", Err: err}
	}
	for k := range q {
		switch k {
		case "tls", "from", "from_name", "per_minute":
		case "password", "pass", "pw":
			return SMTPSettings{}, errorf("outreachmail.url.password")
		default:
			return SMTPSettings{}, errorf("outreachmail.url.param", "param", k)
		}
	}
	tlsv := strings.ToLower(q.Get("tls"))
	switch {
	case scheme == "smtps" && (tlsv == "" || tlsv == "tls" || tlsv == "ssl"):
		s.Security = SecurityTLS
	case scheme == "smtps":
		return SMTPSettings{}, errorf("outreachmail.url.smtps_tls", "value", q.Get("tls"))
	case tlsv == "" || tlsv == "starttls":
		s.Security = SecurityStartTLS
	case tlsv == "none":
		s.Security = SecurityNone
	case tlsv == "tls" || tlsv == "ssl":
		s.Security = SecurityTLS
	default:
		return SMTPSettings{}, errorf("outreachmail.url.tls", "value", q.Get("tls"))
	}
	s.Port = defaultPort(s.Security)
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPSettings{}, errorf("outreachmail.url.port", "port", p)
		}
		s.Port = n
	}
	from := q.Get("from")
	if from == "" && strings.Contains(s.User, "@") {
		from = s.User
	}
	s.FromName = q.Get("from_name")
	if from != "" {
		a, err := mail.ParseAddress(from)
		if err != nil {
			return SMTPSettings{}, errorf("outreachmail.url.from", "from", from)
		}
		s.From = a.Address
		if s.FromName == "" {
			s.FromName = a.Name
		}
	}
	if v := q.Get("per_minute"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return SMTPSettings{}, errorf("outreachmail.url.per_minute", "value", v)
		}
		s.PerMinute = n
	}
	s.Password = password
	return s, nil
}

// urlHasPassword reports whether the authority of raw holds "user:password@",
// read by hand so that no parse error can echo the password back.
func urlHasPassword(raw string) bool {
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	return at >= 0 && strings.Contains(rest[:at], ":")
}

func defaultPort(security string) int {
	switch security {
	case SecurityTLS:
		return 465
	case SecurityNone:
		return 25
	}
	return 587
}

// security is Security normalised; "" is STARTTLS.
func (s SMTPSettings) security() string {
	switch v := strings.ToLower(strings.TrimSpace(s.Security)); v {
	case "", SecurityStartTLS:
		return SecurityStartTLS
	case SecurityTLS, "ssl", "smtps":
		return SecurityTLS
	default:
		return v
	}
}

func (s SMTPSettings) port() int {
	if s.Port != 0 {
		return s.Port
	}
	return defaultPort(s.security())
}

// String describes the account without its password, as a
// REGISTAR_SMTP_URL that ParseSMTPURL reads back.
func (s SMTPSettings) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.port()))}
	q := url.Values{}
	switch sec := s.security(); sec {
	case SecurityTLS:
		u.Scheme = "smtps"
	case SecurityStartTLS:
	default:
		q.Set("tls", sec)
	}
	if s.User != "" {
		u.User = url.User(s.User)
	}
	if s.From != "" && s.From != s.User {
		q.Set("from", s.From)
	}
	if s.FromName != "" {
		q.Set("from_name", s.FromName)
	}
	if s.PerMinute > 0 {
		q.Set("per_minute", strconv.Itoa(s.PerMinute))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// check refuses settings that cannot work before any connection is tried.
func (s SMTPSettings) check() error {
	if strings.TrimSpace(s.Host) == "" {
		return errorf("outreachmail.error.no_host")
	}
	switch s.security() {
	case SecurityStartTLS, SecurityTLS, SecurityNone:
	default:
		return errorf("outreachmail.error.security", "value", s.Security)
	}
	if p := s.port(); p < 1 || p > 65535 {
		return errorf("outreachmail.error.port", "port", strconv.Itoa(p))
	}
	return nil
}

// sender is the From of every message: the settings' address and name.
func (s SMTPSettings) sender() (*mail.Address, error) {
	if strings.TrimSpace(s.From) == "" {
		return nil, errorf("outreachmail.error.no_from")
	}
	a, err := mail.ParseAddress(strings.TrimSpace(s.From))
	if err != nil {
		return nil, errorf("outreachmail.error.from", "from", s.From)
	}
	if s.FromName != "" {
		a.Name = s.FromName
	}
	return a, nil
}

// CheckSMTP connects and logs in, and sends nothing: a wrong password or
// host is one *Error. The sender address (From) is checked too, since
// nothing can be sent without it.
func CheckSMTP(ctx context.Context, s SMTPSettings) error {
	if err := s.check(); err != nil {
		return err
	}
	if _, err := s.sender(); err != nil {
		return err
	}
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	_ = c.Quit() // the check is done; a failed goodbye changes nothing
	return nil
}

// tlsStageError marks a failure of the implicit-TLS handshake.
type tlsStageError struct{ err error }

func (e *tlsStageError) Error() string { return e.err.Error() }
func (e *tlsStageError) Unwrap() error { return e.err }

// dial connects, secures and logs in with go-mail's client; the error is an
// *Error saying what went wrong (or ctx's error).
func (s SMTPSettings) dial(ctx context.Context) (*smtp.Client, error) {
	sec := s.security()
	tlsConf := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12, RootCAs: s.rootCAs}
	// Our own dialler keeps the connection, so that it is closed when the
	// greeting, STARTTLS or the login fails (go-mail leaves it open), and
	// does the implicit-TLS handshake itself, so that its failure is known
	// for what it is.
	var conn net.Conn
	dialFn := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if sec == SecurityTLS {
			tc := tls.Client(c, tlsConf)
			if err := tc.HandshakeContext(ctx); err != nil {
				_ = c.Close()
				return nil, &tlsStageError{err}
			}
			c = tc
		}
		conn = c
		return c, nil
	}
	opts := []gomail.Option{
		gomail.WithPort(s.port()),
		gomail.WithTimeout(dialTimeout),
		gomail.WithDialContextFunc(dialFn),
		gomail.WithTLSConfig(tlsConf),
	}
	if sec == SecurityStartTLS {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else {
		// none, or TLS already in place from the first byte
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.User != "" {
		// PLAIN and LOGIN first: what office accounts offer; go-mail refuses
		// both on an unencrypted connection to anything but localhost.
		opts = append(opts, gomail.WithUsername(s.User), gomail.WithPassword(s.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin,
				gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5))
	}
	client, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, s.connectError(ctx, err)
	}
	c, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		if conn != nil {
			_ = conn.Close()
		}
		return nil, s.connectError(ctx, err)
	}
	return c, nil
}

// connectError turns a failure to connect, secure or log in into one
// sentence for the clerk.
func (s SMTPSettings) connectError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	host, port := s.Host, strconv.Itoa(s.port())
	e := func(key string, args ...string) error {
		return &Error{Key: key, Args: args, Err: oneLine(err)}
	}
	var (
		dnsErr *net.DNSError
		tpErr  *textproto.Error
		netErr net.Error
		opErr  *net.OpError
	)
	switch {
	case errors.As(err, &dnsErr):
		return e("outreachmail.error.unknown_host", "host", host)
	case isTLSError(err):
		return e("outreachmail.error.tls", "host", host, "port", port)
	case strings.Contains(err.Error(), "does not support STARTTLS"): // go-mail's words, no sentinel
		return e("outreachmail.error.no_starttls", "host", host, "port", port)
	case errors.Is(err, smtp.ErrUnencrypted):
		return e("outreachmail.error.auth_unencrypted", "host", host)
	case errors.As(err, &tpErr) && (tpErr.Code == 535 || tpErr.Code == 534):
		return e("outreachmail.error.auth_failed", "user", s.User)
	case errors.Is(err, gomail.ErrNoSupportedAuthDiscovered),
		strings.Contains(err.Error(), "does not support SMTP AUTH"):
		return e("outreachmail.error.auth_unsupported", "host", host)
	case errors.As(err, &tpErr):
		return e("outreachmail.error.refused", "host", host)
	case errors.As(err, &netErr) && netErr.Timeout():
		return e("outreachmail.error.timeout", "host", host, "port", port)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return e("outreachmail.error.unreachable", "host", host, "port", port)
	}
	return e("outreachmail.error.connect", "host", host, "port", port)
}

func isTLSError(err error) bool {
	var (
		stage  *tlsStageError
		verify *tls.CertificateVerificationError
		record tls.RecordHeaderError
		alert  tls.AlertError
	)
	return errors.As(err, &stage) || errors.As(err, &verify) || errors.As(err, &record) ||
		errors.As(err, &alert) || strings.Contains(err.Error(), "tls: ")
}

// lineError is an error whose text fits on one line.
type lineError struct{ err error }

func (e lineError) Error() string {
	return strings.Join(strings.Fields(e.err.Error()), " ")
}
func (e lineError) Unwrap() error { return e.err }

func oneLine(err error) error { return lineError{err} }

// Sender names the account as a clerk reads it: who the mail comes from
// and through which server ("Ured za dijasporu <dijaspora@cazin.ba> ·
// mail.cazin.ba:587"); never the password.
func (s SMTPSettings) Sender() string {
	from := s.From
	if s.FromName != "" {
		from = s.FromName + " <" + s.From + ">"
	}
	return from + " · " + net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}
