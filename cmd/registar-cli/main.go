// Command registar-cli is Registar's headless companion: every data and
// report operation from a shell, on the same store as the desktop app.
//
// Exit status: 0 on success, 1 on a user error (one line on stderr), 2 on
// misuse (unknown command or flag).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/term"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
)

// command is one sub-command. Each lives in its own file and registers
// itself in init, so adding one never edits a shared table.
type command struct {
	name    string
	usage   string // arguments after the name
	summary string
	run     func(env *env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// env is what a command gets: the streams, the global flags, a way to open
// the store.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	db             string
	lang           i18n.Lang
	// langChosen: the user named the language (--lang, REGISTAR_LANG), so
	// the registry's own language does not replace it at open.
	langChosen bool
	getenv     func(string) string
}

// usageError is misuse: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func main() {
	// REGISTAR_CPUPROFILE=FILE writes a CPU profile of the whole command,
	// for `go tool pprof` when a benchmark in docs/benchmarks.md moves.
	if path := os.Getenv("REGISTAR_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is main without the process: tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, stdin: stdin, getenv: getenv}
	global := flag.NewFlagSet("registar-cli", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&e.db, "db", "", "registry folder")
	langFlag := global.String("lang", "", "language of messages: en bs hr sr sr-Latn sq")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "registar-cli: %v\n", err)
		printUsage(stderr)
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" {
		printUsage(stdout)
		if len(rest) == 0 {
			return 2
		}
		return 0
	}
	e.lang, e.langChosen = chosenLang(*langFlag, getenv)
	if !e.langChosen {
		e.lang = langOf("", getenv) // until a registry says its own
	}
	c, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "registar-cli: unknown command %q\n", rest[0])
		printUsage(stderr)
		return 2
	}
	err := c.run(e, rest[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, "usage: registar-cli [--db DIR] %s %s\n", c.name, c.usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "registar-cli %s: %v\nusage: registar-cli [--db DIR] %s %s\n", c.name, err, c.name, c.usage)
		return 2
	default:
		fmt.Fprintf(stderr, "registar-cli: %s\n", oneLine(messageOf(err, e.lang)))
		return 1
	}
}

// messageOf is the error's sentence in the language, from the one table
// the app reads too (store.ErrorMessage).
func messageOf(err error, l i18n.Lang) string {
	msg, _ := store.ErrorMessage(err, l)
	return msg
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: registar-cli [--db DIR] [--lang L] COMMAND [ARGS]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-9s %s\n            %s\n", c.name, c.usage, c.summary)
	}
	fmt.Fprintln(w, "\nThe passphrase of an encrypted registry comes from REGISTAR_PASSPHRASE or a prompt.")
	fmt.Fprintln(w, "E-mail (mail) goes through the account saved with mail --set-account, or REGISTAR_SMTP_URL\n"+
		"(smtp://user@host:587?tls=starttls&from=office@example.org) with REGISTAR_SMTP_PASSWORD.")
}

// chosenLang is the language the user named: --lang, else REGISTAR_LANG.
func chosenLang(flagValue string, getenv func(string) string) (i18n.Lang, bool) {
	for _, v := range []string{flagValue, getenv("REGISTAR_LANG")} {
		if l, ok := i18n.Parse(v); ok {
			return l, true
		}
	}
	return i18n.EN, false
}

// setLang is a command's own --lang: it wins over the registry's language.
func (e *env) setLang(flagValue string) {
	if flagValue != "" {
		e.lang, _ = i18n.Parse(flagValue)
		e.langChosen = true
	}
}

// langOf is the language of a flag, else of REGISTAR_LANG, else of the OS
// locale, else English.
func langOf(flagValue string, getenv func(string) string) i18n.Lang {
	for _, v := range []string{flagValue, getenv("REGISTAR_LANG"), getenv("LC_ALL"), getenv("LANG")} {
		if l, ok := i18n.Parse(v); ok {
			return l
		}
	}
	return i18n.EN
}

// flags makes a command's flag set; --db is accepted after the command too.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&e.db, "db", e.db, "registry folder")
	return fs
}

// parse parses a command's flags and positional arguments in any order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseFlagsOnly parses the flags of a command that takes no positional
// arguments.
func parseFlagsOnly(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

func (e *env) dir() (string, error) {
	if e.db != "" {
		return e.db, nil
	}
	return store.DefaultDir()
}

// passphrase comes from REGISTAR_PASSPHRASE, else a prompt on a terminal.
func (e *env) passphrase(dir string) (string, error) {
	if p := e.getenv("REGISTAR_PASSPHRASE"); p != "" {
		return p, nil
	}
	if !store.IsEncrypted(dir) {
		return "", nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", fmt.Errorf("%v: %s (set REGISTAR_PASSPHRASE)", store.ErrNeedPassphrase, dir)
	}
	fmt.Fprint(e.stderr, "Passphrase: ")
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	return string(b), err
}

// open opens the registry named by --db (or the default one).
func (e *env) open() (*store.Store, error) { return e.openStore(false) }

// openForReading opens it for a command that only reads: see
// store.Options.ReadOnly.
func (e *env) openForReading() (*store.Store, error) { return e.openStore(true) }

func (e *env) openStore(readOnly bool) (*store.Store, error) {
	dir, err := e.dir()
	if err != nil {
		return nil, err
	}
	pass, err := e.passphrase(dir)
	if err != nil {
		return nil, err
	}
	opt := store.Options{Passphrase: pass, Lang: e.lang, ReadOnly: readOnly}
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// The first open after a restore rebuilds the search index: a
		// minute at a million persons, which must not look like a hang.
		shown := false
		opt.IndexProgress = func(n int) {
			fmt.Fprintf(e.stderr, "\r%s", i18n.T(e.lang, "cli.index.progress", "n", strconv.Itoa(n)))
			shown = true
		}
		defer func() {
			if shown {
				fmt.Fprintln(e.stderr)
			}
		}()
	}
	st, err := store.Open(dir, opt)
	if err != nil {
		return nil, err
	}
	e.adoptRegistryLang(st)
	// Local phone numbers are read in the office's country, as the app
	// reads them; REGISTAR_REGION (or a command's --region) overrides it.
	if r := e.getenv("REGISTAR_REGION"); r != "" {
		st.SetRegion(r)
	} else if o := officeOf(st); o.Region != "" {
		st.SetRegion(o.Region)
	}
	return st, nil
}

// LangSetting is the setting that holds the office's language (see
// data.LangSetting): the app writes it whenever it opens a registry and
// whenever the language is changed.
const LangSetting = data.LangSetting

// registryLang is the office's language as the registry keeps it.
func registryLang(st *store.Store) (i18n.Lang, bool) {
	b, err := st.Setting(LangSetting)
	if err != nil {
		return "", false
	}
	return i18n.Parse(string(b))
}

// adoptRegistryLang makes the registry's language the language of the
// command's messages, unless the user named one: a clerk running a command
// on the office's registry reads it in the office's language, whatever the
// shell's locale.
func (e *env) adoptRegistryLang(st *store.Store) {
	if e.langChosen {
		return
	}
	if l, ok := registryLang(st); ok {
		e.lang = l
		st.SetLang(l)
	}
}

// officeOf reads the office's details (kept with the registry by the app's
// Settings and first run, and by the office command); a registry without
// them gives the zero value (the defaults).
func officeOf(st *store.Store) data.Office {
	b, err := st.Setting(data.OfficeSetting)
	if err != nil {
		return data.Office{}
	}
	o, _ := data.ParseOffice(b) // damaged details: the defaults, as the app does
	return o
}
