package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/term"

	"registar/data/i18n"
	"registar/data/outreach"
	"registar/data/store"
)

// `registar-cli mail`: personalised e-mail from the office's own account to
// an audience (those who consented and have an address), and the account
// itself: --set-account, --show-account, --check.

func init() {
	register(command{
		name: "mail",
		usage: "[--query Q [--kind K] | --audience NAME | --activity ID [--status S]] --subject S --body-file F\n" +
			"            [--html-file F] [--attach F]... [--dry-run DIR] [--rate N]\n" +
			"       mail --set-account smtp://user@host:587?tls=starttls&from=office@example.org | --show-account | --check",
		summary: "send a personalised e-mail to those who consented to be contacted, from the office's account (REGISTAR_SMTP_URL overrides it)",
		run:     runMail,
	})
}

// attachFlag is --attach, given once per file.
type attachFlag []string

func (a *attachFlag) String() string     { return strings.Join(*a, ",") }
func (a *attachFlag) Set(s string) error { *a = append(*a, s); return nil }

func runMail(e *env, args []string) error {
	fs := e.flags("mail")
	var af audienceFlags
	af.add(fs)
	subject := fs.String("subject", "", "the subject, with fields ({given_name}, …)")
	bodyFile := fs.String("body-file", "", "the plain-text body, with fields")
	htmlFile := fs.String("html-file", "", "an HTML body too, with the same fields")
	var attach attachFlag
	fs.Var(&attach, "attach", "a file to attach to every message (once per file)")
	dryRun := fs.String("dry-run", "", "write the messages as .eml files into this folder instead of sending")
	rate := fs.Int("rate", 0, "most messages a minute (default: the account's, else 30)")
	setAccount := fs.String("set-account", "", "save the office's mail account in the registry (password from REGISTAR_SMTP_PASSWORD or a prompt)")
	showAccount := fs.Bool("show-account", false, "show the mail account in use (never its password)")
	check := fs.Bool("check", false, "connect and log in to the mail account, send nothing")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	switch {
	case *setAccount != "":
		return setMailAccount(e, *setAccount)
	case *showAccount:
		return showMailAccount(e)
	case *check:
		return checkMailAccount(e)
	}

	if strings.TrimSpace(*subject) == "" {
		return usagef("give the subject with --subject")
	}
	if *bodyFile == "" {
		return usagef("give the message's text with --body-file FILE")
	}
	if *rate < 0 {
		return usagef("--rate must be 1 or more")
	}
	if _, err := af.parse(); err != nil {
		return err
	}
	// Every template is read before anything else: an unknown field is one
	// line, and nothing is sent.
	subjT, err := outreach.ParseTemplate(*subject)
	if err != nil {
		return err
	}
	bodyT, err := readTemplate(*bodyFile)
	if err != nil {
		return err
	}
	var htmlT *outreach.Template
	if *htmlFile != "" {
		if htmlT, err = readTemplate(*htmlFile); err != nil {
			return err
		}
	}
	for _, f := range attach {
		if fi, err := os.Stat(f); err != nil {
			return wrapFile(opOpen, f, err)
		} else if fi.IsDir() {
			return wrapFile(opOpen, f, syscall.EISDIR)
		}
	}

	var st *store.Store
	if *dryRun != "" {
		st, err = e.openForReading()
	} else {
		st, err = e.open()
	}
	if err != nil {
		return err
	}
	defer st.Close()
	account, ok, err := mailAccount(e, st)
	switch {
	case err != nil:
		return err
	case !ok && *dryRun == "":
		return errors.New(e.T("outreachcli.mail.no_account"))
	}
	if office := officeOf(st); account.From == "" && *dryRun != "" {
		// A dry run without an account is from the office's address.
		account.From, account.FromName = office.Email, office.Name
	}
	a, err := af.resolve(st)
	if err != nil {
		return err
	}
	cs, counts, err := outreach.Resolve(st, a, outreach.NeedEmail)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return nobodyError(e.lang, counts)
	}

	tctx := outreach.Context{Office: officeOf(st), OfficeLang: e.lang}
	if l, ok := registryLang(st); ok {
		tctx.OfficeLang = l
	}
	msgs := make([]outreach.Message, len(cs))
	for i, c := range cs {
		msgs[i] = outreach.Message{ContactID: c.ID, Kind: c.Kind, To: c.Email, ToName: c.Name,
			Subject: oneLine(subjT.Render(c, tctx)), Text: bodyT.Render(c, tctx), Attachments: attach}
		if htmlT != nil {
			msgs[i].HTML = htmlT.Render(escapeContact(c), tctx)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := outreach.SendOptions{PerMinute: *rate, DryRunDir: *dryRun}
	failedN := 0
	onTerminal := false
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		onTerminal = true
	}
	opt.Progress = func(done, total int, last outreach.Outcome) {
		if !last.Sent && last.Reason != "" {
			failedN++
		}
		if onTerminal {
			fmt.Fprintf(e.stderr, "\r%s", e.T("outreachcli.mail.progress", "done", strconv.Itoa(done),
				"total", strconv.Itoa(total), "failed", strconv.Itoa(failedN)))
		}
	}
	outs, sendErr := outreach.Send(ctx, account, msgs, opt)
	if onTerminal {
		fmt.Fprintln(e.stderr)
	}
	cancelled := sendErr != nil && errors.Is(sendErr, context.Canceled)
	if sendErr != nil && !cancelled {
		return sendErr // nothing was sent
	}
	// Who was left out and why, once the run has started (a wrong password
	// is one line, nothing else).
	fmt.Fprintln(e.stderr, countsLine(e.lang, "outreachcli.mail.to_send", counts))
	if *dryRun != "" {
		e.say("outreachcli.mail.dry_run", "n", i18n.FormatInt(len(outs), e.lang), "dir", *dryRun)
		return nil
	}
	deliveries, undeliverable := outreach.DeliveriesOf(outs)
	if len(deliveries) > 0 {
		_, err := outreach.Record(st, outreach.Run{Channel: "email", Subject: strings.TrimSpace(*subject),
			Audience: a.Describe(st, e.lang), Deliveries: deliveries, Undeliverable: undeliverable})
		if err != nil {
			return err
		}
	}
	sent, failed := 0, 0
	for _, o := range outs {
		if o.Sent {
			sent++
		} else {
			failed++
		}
	}
	e.say("outreachcli.mail.report", "sent", i18n.FormatInt(sent, e.lang), "failed", i18n.FormatInt(failed, e.lang))
	for _, o := range outs {
		if !o.Sent {
			fmt.Fprintf(e.stdout, "  %s: %s\n", o.Message.ToName, oneLine(o.Describe(e.lang)))
		}
	}
	if cancelled {
		return errors.New(e.T("outreachcli.mail.cancelled", "n", i18n.FormatInt(len(msgs)-len(outs), e.lang)))
	}
	if failed > 0 {
		return errors.New(e.T("outreachcli.mail.failed", "n", i18n.FormatInt(failed, e.lang)))
	}
	return nil
}

// readTemplate reads and checks a template file.
func readTemplate(path string) (*outreach.Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, wrapFile(opOpen, path, err)
	}
	return outreach.ParseTemplate(string(b))
}

// escapeContact is the contact with its text escaped for an HTML body: a
// name with "<" or "&" stays a name.
func escapeContact(c outreach.Contact) outreach.Contact {
	for _, s := range []*string{&c.Name, &c.GivenName, &c.FamilyName, &c.Email, &c.Phone, &c.Address, &c.City, &c.ContactPerson} {
		*s = html.EscapeString(*s)
	}
	return c
}

// mailAccount is the account to send with: REGISTAR_SMTP_URL (with
// REGISTAR_SMTP_PASSWORD) when set, else the registry's; ok is false when
// there is neither.
func mailAccount(e *env, st *store.Store) (outreach.SMTPSettings, bool, error) {
	if u := e.getenv("REGISTAR_SMTP_URL"); u != "" {
		s, err := outreach.ParseSMTPURL(u, e.getenv("REGISTAR_SMTP_PASSWORD"))
		return s, err == nil, err
	}
	b, err := st.Setting(outreach.SMTPSetting)
	if errors.Is(err, store.ErrNotFound) || (err == nil && len(strings.TrimSpace(string(b))) == 0) {
		return outreach.SMTPSettings{}, false, nil
	}
	if err != nil {
		return outreach.SMTPSettings{}, false, err
	}
	var s outreach.SMTPSettings
	if err := json.Unmarshal(b, &s); err != nil {
		return s, false, errors.New(e.T("outreachcli.mail.bad_account"))
	}
	return s, s.Host != "", nil
}

func setMailAccount(e *env, raw string) error {
	pass := e.getenv("REGISTAR_SMTP_PASSWORD")
	if pass == "" {
		if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprint(e.stderr, e.T("outreachcli.mail.password_prompt"))
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
			if err != nil {
				return err
			}
			pass = string(b)
		}
	}
	s, err := outreach.ParseSMTPURL(raw, pass)
	if err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetSetting(outreach.SMTPSetting, b); err != nil {
		return err
	}
	e.say("outreachcli.mail.account_saved", "account", s.String())
	if s.User != "" && s.Password == "" {
		e.say("outreachcli.mail.no_password")
	}
	return nil
}

func showMailAccount(e *env) error {
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	s, ok, err := mailAccount(e, st)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New(e.T("outreachcli.mail.no_account"))
	}
	from := "outreachcli.mail.from_registry"
	if e.getenv("REGISTAR_SMTP_URL") != "" {
		from = "outreachcli.mail.from_env"
	}
	fmt.Fprintln(e.stdout, s.String())
	e.say(from)
	return nil
}

func checkMailAccount(e *env) error {
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	s, ok, err := mailAccount(e, st)
	st.Close()
	if err != nil {
		return err
	}
	if !ok {
		return errors.New(e.T("outreachcli.mail.no_account"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := outreach.CheckSMTP(ctx, s); err != nil {
		return err
	}
	e.say("outreachcli.mail.check_ok", "account", s.String())
	return nil
}
