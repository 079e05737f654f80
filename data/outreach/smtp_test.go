package outreach

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"registar/data/i18n"
	"registar/data/outreach/smtptest"
)

// login makes a test server require AUTH PLAIN with the account that
// settings then logs in with.
var login = smtptest.Config{User: "ured@cazin.ba", Password: "tajna"}

// settings is an account on the test server without TLS.
func settings(ts *smtptest.Server) SMTPSettings {
	s := SMTPSettings{Host: ts.Host, Port: ts.Port, Security: SecurityNone, From: "ured@cazin.ba",
		FromName: "Ured za dijasporu Cazin", PerMinute: -1}
	if ts.Password != "" {
		s.User, s.Password = ts.User, ts.Password
	}
	return s
}

// selfSigned is a certificate for 127.0.0.1 and localhost, and the pool
// that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "registar test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestParseSMTPURL(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want SMTPSettings
	}{
		{"smtp://ured@cazin.ba@mail.cazin.ba:587?tls=starttls",
			SMTPSettings{Host: "mail.cazin.ba", Port: 587, Security: SecurityStartTLS, User: "ured@cazin.ba", From: "ured@cazin.ba"}},
		{"smtp://ured%40cazin.ba@mail.cazin.ba",
			SMTPSettings{Host: "mail.cazin.ba", Port: 587, Security: SecurityStartTLS, User: "ured@cazin.ba", From: "ured@cazin.ba"}},
		{"smtps://dijaspora@smtp.gjilan.net:465?from=zyra@gjilan.net&from_name=Zyra+e+Diaspor%C3%ABs",
			SMTPSettings{Host: "smtp.gjilan.net", Port: 465, Security: SecurityTLS, User: "dijaspora", From: "zyra@gjilan.net", FromName: "Zyra e Diasporës"}},
		{"smtps://dijaspora@smtp.gjilan.net",
			SMTPSettings{Host: "smtp.gjilan.net", Port: 465, Security: SecurityTLS, User: "dijaspora"}},
		{"smtp://localhost:25?tls=none&from=ured@example.org",
			SMTPSettings{Host: "localhost", Port: 25, Security: SecurityNone, From: "ured@example.org"}},
		{"smtp://127.0.0.1?tls=none&from=Ured+<ured@example.org>&per_minute=10",
			SMTPSettings{Host: "127.0.0.1", Port: 25, Security: SecurityNone, From: "ured@example.org", FromName: "Ured", PerMinute: 10}},
		{"SMTP://mail.example.org:2525?tls=tls",
			SMTPSettings{Host: "mail.example.org", Port: 2525, Security: SecurityTLS}},
		{"smtp://[::1]:1025?tls=none",
			SMTPSettings{Host: "::1", Port: 1025, Security: SecurityNone}},
	} {
		got, err := ParseSMTPURL(c.raw, "tajna")
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", c.raw, err)
			continue
		}
		c.want.Password = "tajna"
		if got != c.want {
			t.Errorf("ParseSMTPURL(%q)\n got %+v\nwant %+v", c.raw, got, c.want)
		}
	}
}

func TestParseSMTPURLRefuses(t *testing.T) {
	for _, c := range []struct{ raw, key, names string }{
		{"", "outreachmail.url.empty", ""},
		{"smtp://ured:tajna123@mail.cazin.ba:587", "outreachmail.url.password", "REGISTAR_SMTP_PASSWORD"},
		{"smtp://ured:@mail.cazin.ba", "outreachmail.url.password", "REGISTAR_SMTP_PASSWORD"},
		{"smtp://ured@mail.cazin.ba?password=tajna123", "outreachmail.url.password", ""},
		{"http://mail.cazin.ba", "outreachmail.url.scheme", "http"},
		{"mail.cazin.ba:587", "outreachmail.url.scheme", "mail.cazin.ba"},
		{"smtp://ured@:587", "outreachmail.url.host", ""},
		{"smtp://mail.cazin.ba:99999", "outreachmail.url.port", "99999"},
		{"smtp://mail.cazin.ba:0", "outreachmail.url.port", "“0”"},
		{"smtp://mail.cazin.ba:abc", "outreachmail.url.invalid", ""},
		{"smtp://mail.cazin.ba?tls=yes", "outreachmail.url.tls", "tls=yes"},
		{"smtps://mail.cazin.ba?tls=none", "outreachmail.url.smtps_tls", "tls=none"},
		{"smtp://mail.cazin.ba?tsl=none", "outreachmail.url.param", "tsl"},
		{"smtp://mail.cazin.ba?from=ured", "outreachmail.url.from", "from=ured"},
		{"smtp://mail.cazin.ba?per_minute=fast", "outreachmail.url.per_minute", "fast"},
	} {
		_, err := ParseSMTPURL(c.raw, "")
		var e *Error
		if !errors.As(err, &e) || e.Key != c.key {
			t.Errorf("ParseSMTPURL(%q) = %v, want *Error %s", c.raw, err, c.key)
			continue
		}
		msg := e.Message(i18n.EN)
		if !strings.Contains(msg, c.names) || strings.Contains(msg, "tajna123") {
			t.Errorf("ParseSMTPURL(%q): %q should name %q and never the password", c.raw, msg, c.names)
		}
	}
}

func TestSMTPSettingsStringHidesPasswordAndReadsBack(t *testing.T) {
	for _, raw := range []string{
		"smtp://ured@cazin.ba@mail.cazin.ba:587",
		"smtps://dijaspora@smtp.gjilan.net:465?from=zyra@gjilan.net&from_name=Zyra+e+Diaspor%C3%ABs&per_minute=12",
		"smtp://localhost:25?tls=none&from=ured@example.org",
	} {
		s, err := ParseSMTPURL(raw, "tajna123")
		if err != nil {
			t.Fatal(err)
		}
		str := s.String()
		if s.Host == "" || !strings.HasPrefix(str, "smtp") || !strings.Contains(str, s.Host) {
			t.Errorf("%s: String() = %q for %+v", raw, str, s)
		}
		if strings.Contains(str, "tajna123") {
			t.Errorf("String() shows the password: %s", str)
		}
		back, err := ParseSMTPURL(str, "tajna123")
		if err != nil || back != s {
			t.Errorf("%s: String() = %s reads back as %+v, %v; want %+v", raw, str, back, err, s)
		}
	}
}

func FuzzParseSMTPURL(f *testing.F) {
	for _, s := range []string{"smtp://u@h:587?tls=starttls", "smtps://u@h", "smtp://h:25?tls=none&from=a@b",
		"smtp://u:p@h", "smtp://u%3Ap@h", "smtp://[::1", "smtp://u:%zz@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		const secret = "Sekret-9"
		s, err := ParseSMTPURL(raw, secret)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseSMTPURL(%q): %T is not *Error", raw, err)
			}
			return
		}
		if strings.Contains(s.String(), secret) {
			t.Fatalf("String() shows the password: %s", s.String())
		}
		if _, has := passwordInURL(raw); has {
			t.Fatalf("ParseSMTPURL(%q) accepted a password in the URL", raw)
		}
	})
}

// passwordInURL is the standard library's reading of a password in raw.
func passwordInURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u == nil || u.User == nil {
		return "", false
	}
	return u.User.Password()
}

func TestCheckSMTP(t *testing.T) {
	certConf, pool := selfSigned(t)
	plain := smtptest.Start(t, login)
	withTLS := login
	withTLS.TLS = certConf
	starttls := smtptest.Start(t, withTLS)
	withTLS.Implicit = true
	implicit := smtptest.Start(t, withTLS)

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	_ = closed.Close()

	with := func(s SMTPSettings, f func(*SMTPSettings)) SMTPSettings { f(&s); return s }
	for _, c := range []struct {
		name string
		s    SMTPSettings
		key  string // "" for no error
	}{
		{"plain relay with login", settings(plain), ""},
		{"STARTTLS trusted", with(settings(starttls), func(s *SMTPSettings) { s.Security, s.rootCAs = SecurityStartTLS, pool }), ""},
		{"implicit TLS trusted", with(settings(implicit), func(s *SMTPSettings) { s.Security, s.rootCAs = SecurityTLS, pool }), ""},
		{"wrong password", with(settings(plain), func(s *SMTPSettings) { s.Password = "kriva" }), "outreachmail.error.auth_failed"},
		{"wrong password over STARTTLS", with(settings(starttls), func(s *SMTPSettings) {
			s.Security, s.rootCAs, s.Password = SecurityStartTLS, pool, "kriva"
		}), "outreachmail.error.auth_failed"},
		{"STARTTLS self-signed untrusted", with(settings(starttls), func(s *SMTPSettings) { s.Security = SecurityStartTLS }), "outreachmail.error.tls"},
		{"implicit TLS untrusted", with(settings(implicit), func(s *SMTPSettings) { s.Security = SecurityTLS }), "outreachmail.error.tls"},
		{"TLS to a plain port", with(settings(plain), func(s *SMTPSettings) { s.Security = SecurityTLS }), "outreachmail.error.tls"},
		{"STARTTLS not offered", with(settings(plain), func(s *SMTPSettings) { s.Security = SecurityStartTLS }), "outreachmail.error.no_starttls"},
		{"refused connection", with(settings(plain), func(s *SMTPSettings) { s.Port = closedPort }), "outreachmail.error.unreachable"},
		{"unknown host", with(settings(plain), func(s *SMTPSettings) { s.Host = "no-such-host.invalid" }), "outreachmail.error.unknown_host"},
		{"no sender", with(settings(plain), func(s *SMTPSettings) { s.From = "" }), "outreachmail.error.no_from"},
		{"no host", with(settings(plain), func(s *SMTPSettings) { s.Host = "" }), "outreachmail.error.no_host"},
		{"unknown security", with(settings(plain), func(s *SMTPSettings) { s.Security = "ssl3" }), "outreachmail.error.security"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := CheckSMTP(ctx, c.s)
			if c.key == "" {
				if err != nil {
					t.Fatalf("CheckSMTP: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Key != c.key {
				t.Fatalf("CheckSMTP = %v, want *Error %s", err, c.key)
			}
			for _, l := range i18n.All {
				if msg := e.Message(l); strings.ContainsAny(msg, "\r\n") || strings.Contains(msg, c.s.Password) && c.s.Password != "" {
					t.Errorf("%s: %q is not one line without the password", l, msg)
				}
			}
		})
	}
	if got := len(plain.Received()) + len(starttls.Received()) + len(implicit.Received()); got != 0 {
		t.Errorf("CheckSMTP sent %d messages, want none", got)
	}
}

// Every key of the domain is said in every language, with the same
// placeholders.
func TestOutreachMailCatalogue(t *testing.T) {
	if err := i18n.Check(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range i18n.Keys() {
		if !strings.HasPrefix(k, "outreachmail.") {
			continue
		}
		n++
		en := placeholders(i18n.T(i18n.EN, k))
		for _, l := range []i18n.Lang{i18n.BS, i18n.HR, i18n.SR, i18n.SQ} {
			if !i18n.Has(l, k) {
				t.Errorf("%s has no %s", l, k)
			}
			if got := placeholders(i18n.T(l, k)); got != en {
				t.Errorf("%s %s: placeholders %s, English has %s", l, k, got, en)
			}
		}
	}
	if n == 0 {
		t.Fatal("no outreachmail keys")
	}
}

func placeholders(s string) string {
	var out []string
	for {
		i := strings.Index(s, "{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			break
		}
		out = append(out, s[i:i+j+1])
		s = s[i+j+1:]
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestSenderNamesTheAccountWithoutThePassword(t *testing.T) {
	s := SMTPSettings{Host: "mail.cazin.ba", Port: 587, Security: SecurityStartTLS, User: "dijaspora", Password: "tajna",
		From: "dijaspora@cazin.ba", FromName: "Ured za dijasporu"}
	if got, want := s.Sender(), "Ured za dijasporu <dijaspora@cazin.ba> · mail.cazin.ba:587"; got != want {
		t.Errorf("Sender() = %q, want %q", got, want)
	}
	s.FromName = ""
	if got := s.Sender(); got != "dijaspora@cazin.ba · mail.cazin.ba:587" || strings.Contains(got, "tajna") {
		t.Errorf("Sender() = %q", got)
	}
}
