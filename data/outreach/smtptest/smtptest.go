// Package smtptest is for tests: a real SMTP server (emersion/go-smtp) on
// loopback that records what it receives.
//
// It can require AUTH PLAIN with a user and password, offer STARTTLS or
// implicit TLS with a given tls.Config, script the answer to RCPT TO per
// address and try (ErrDrop closes the connection), and call a hook after
// each message. It counts connections and keeps the protocol transcript.
// Only tests import it; it does not import registar/data/outreach, so that
// package's own tests can use it.
package smtptest

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// ErrDrop, returned by Config.Rcpt, makes the server close the connection
// (after a 421 the client may not read).
var ErrDrop = errors.New("smtptest: drop the connection")

// Config is how the server behaves.
type Config struct {
	// User and Password, when Password is set, must log in with AUTH
	// PLAIN before MAIL FROM; a wrong pair is answered 535 5.7.8.
	User, Password string
	// TLS is offered with STARTTLS, or from the first byte when Implicit.
	TLS      *tls.Config
	Implicit bool
	// Rcpt, when set, answers RCPT TO for an address at its try-th time
	// over the server's life (0 first): nil accepts, ErrDrop closes the
	// connection, any other error (an *smtp.SMTPError) is the answer.
	Rcpt func(to string, try int) error
	// OnData, when set, is called with the number of the message just
	// received (1, 2, …), after it is recorded and before the server
	// answers it.
	OnData func(n int)
}

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	// Data is the message as sent after DATA (headers and body).
	Data []byte
}

// Server is a running test server; t's cleanup closes it.
type Server struct {
	// Host and Port are where it listens (Host is 127.0.0.1).
	Host string
	Port int
	// User and Password are the login it requires (none when Password is
	// empty).
	User, Password string

	conf     Config
	srv      *smtp.Server
	protocol lockedBuffer

	mu       sync.Mutex
	got      []Message
	tries    map[string]int
	sessions int
}

// Start starts a server on a free loopback port.
func Start(t testing.TB, conf Config) *Server {
	t.Helper()
	ts := &Server{Host: "127.0.0.1", User: conf.User, Password: conf.Password, conf: conf, tries: map[string]int{}}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		ts.mu.Lock()
		ts.sessions++
		ts.mu.Unlock()
		return &session{ts: ts, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.AllowInsecureAuth = true // plain connections on loopback, as a local relay
	s.EnableSMTPUTF8 = true
	s.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are what some tests want
	s.Debug = &ts.protocol
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.Port = l.Addr().(*net.TCPAddr).Port
	if conf.TLS != nil {
		if conf.Implicit {
			l = tls.NewListener(l, conf.TLS)
		} else {
			s.TLSConfig = conf.TLS
		}
	}
	ts.srv = s
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return ts
}

// Addr is host:port.
func (ts *Server) Addr() string { return net.JoinHostPort(ts.Host, strconv.Itoa(ts.Port)) }

// Close stops listening and closes the open connections.
func (ts *Server) Close() error { return ts.srv.Close() }

// Received is a copy of the messages accepted so far, in order.
func (ts *Server) Received() []Message {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]Message(nil), ts.got...)
}

// Connections is how many connections the server has taken.
func (ts *Server) Connections() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.sessions
}

// Protocol is what clients and server said so far.
func (ts *Server) Protocol() string { return ts.protocol.String() }

type session struct {
	ts     *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if s.ts.Password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.ts.User || pass != s.ts.Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.Password != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ts.mu.Lock()
	try := s.ts.tries[to]
	s.ts.tries[to]++
	s.ts.mu.Unlock()
	if s.ts.conf.Rcpt != nil {
		if err := s.ts.conf.Rcpt(to, try); errors.Is(err, ErrDrop) {
			_ = s.conn.Conn().Close()
			return &smtp.SMTPError{Code: 421, Message: "going away"}
		} else if err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ts.mu.Lock()
	s.ts.got = append(s.ts.got, Message{From: s.from, To: append([]string(nil), s.to...), Data: b})
	n := len(s.ts.got)
	s.ts.mu.Unlock()
	if s.ts.conf.OnData != nil {
		s.ts.conf.OnData(n)
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// lockedBuffer is the transcript, written by the server's connections.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
