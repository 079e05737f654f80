package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"registar/data"
	"registar/data/i18n"
	"registar/data/outreach"
	"registar/data/store"
)

// `registar-cli contacts`: the contact list of an audience (a search, a
// saved audience, an activity's participants) as BCC addresses, vCards, a
// spreadsheet, address labels or letters. Persons and businesses without
// consent to contact are never in it; stderr says how many were left out
// and why.

func init() {
	register(command{
		name: "contacts",
		usage: "[--query Q [--kind person|business|organisation] | --audience NAME | --activity ID [--status invited,registered,…]]\n" +
			"            --format emails|vcf|xlsx|csv|labels|letters --out FILE\n" +
			"            [--chunk N] [--label-format 3x7|2x7] [--skip N] [--template F] [--signature \"Name|Title\"] [--place P] [--date D] [--size a4|a5] [--no-record]\n" +
			"       contacts --save-audience NAME [--query Q] [--kind K] | --list-audiences | --delete-audience NAME",
		summary: "write the contact list of an audience (only those who consented to be contacted): e-mail addresses, vCards, CSV, Excel, labels, letters",
		run:     runContacts,
	})
}

// Formats of `contacts --format`.
var contactFormats = []string{"emails", "vcf", "xlsx", "csv", "labels", "letters"}

// audienceFlags are the ways contacts and mail name their audience.
type audienceFlags struct {
	query, kind, audience, activity, status string
	queryGiven                              bool
}

func (af *audienceFlags) add(fs *flag.FlagSet) {
	fs.Func("query", "a search, as in the lists (country:AT interest:invest); empty: every record", func(s string) error {
		af.query, af.queryGiven = s, true
		return nil
	})
	fs.StringVar(&af.kind, "kind", "", "what --query searches: person (default), business or organisation")
	fs.StringVar(&af.audience, "audience", "", "a saved audience (contacts --list-audiences)")
	fs.StringVar(&af.activity, "activity", "", "an activity's participants (search --kind activity lists them)")
	fs.StringVar(&af.status, "status", "", "with --activity: only these statuses (invited,registered,attended,excused,absent)")
}

// resolve turns the flags into an audience; none of them is every person.
func (af *audienceFlags) resolve(st *store.Store) (outreach.Audience, error) {
	a, err := af.parse()
	if err != nil || af.audience == "" {
		return a, err
	}
	return outreach.FindAudience(st, af.audience)
}

// parse checks the flags without the store (a saved audience is only named).
func (af *audienceFlags) parse() (outreach.Audience, error) {
	ways := 0
	if af.queryGiven || af.kind != "" {
		ways++
	}
	if af.audience != "" {
		ways++
	}
	if af.activity != "" {
		ways++
	}
	if ways > 1 {
		return outreach.Audience{}, usagef("name the audience one way: --query (with --kind), --audience or --activity")
	}
	if af.status != "" && af.activity == "" {
		return outreach.Audience{}, usagef("--status goes with --activity")
	}
	if af.activity != "" {
		a := outreach.Audience{ActivityID: strings.TrimSpace(af.activity)}
		for _, s := range splitList(af.status) {
			if !contains(data.ParticipationStatuses, s) {
				return a, usagef("--status: %q is not one of %s", s, strings.Join(data.ParticipationStatuses, ", "))
			}
			a.Statuses = append(a.Statuses, s)
		}
		return a, nil
	}
	kind, err := parseAudienceKind(af.kind)
	if err != nil {
		return outreach.Audience{}, err
	}
	return outreach.Audience{Kind: kind, Query: strings.TrimSpace(af.query)}, nil
}

func parseAudienceKind(s string) (data.Kind, error) {
	if strings.TrimSpace(s) == "" {
		return data.KindPerson, nil
	}
	k, err := data.ParseKind(s)
	if err != nil || (k != data.KindPerson && k != data.KindBusiness && k != data.KindOrganisation) {
		return "", usagef("--kind: %q is not person, business or organisation", s)
	}
	return k, nil
}

// countsLine is "1,234 contacts written · 41 without consent to contact ·
// 12 without an e-mail address", the parts that are not zero.
func countsLine(l i18n.Lang, key string, c outreach.Counts) string {
	parts := []string{i18n.T(l, key, "n", i18n.FormatInt(c.Reached, l))}
	for _, p := range []struct {
		key string
		n   int
	}{
		{"outreachcli.left.no_consent", c.NoConsent},
		{"outreachcli.left.no_email", c.NoEmail},
		{"outreachcli.left.undeliverable", c.Undeliverable},
		{"outreachcli.left.no_address", c.NoAddress},
	} {
		if p.n > 0 {
			parts = append(parts, i18n.T(l, p.key, "n", i18n.FormatInt(p.n, l)))
		}
	}
	return strings.Join(parts, " · ")
}

// nobodyError is an audience that reaches no one: said with its counts,
// exit status 1, nothing written or sent.
func nobodyError(l i18n.Lang, c outreach.Counts) error {
	if c.Matched == 0 {
		return errors.New(i18n.T(l, "outreachcli.nobody_matched"))
	}
	return errors.New(countsLine(l, "outreachcli.nobody", c))
}

func runContacts(e *env, args []string) error {
	fs := e.flags("contacts")
	var af audienceFlags
	af.add(fs)
	format := fs.String("format", "", "emails, vcf, xlsx, csv, labels or letters")
	out := fs.String("out", "", "the file to write")
	chunk := fs.Int("chunk", 50, "emails: addresses per group (mail providers cap the recipients of one message)")
	labelFormat := fs.String("label-format", "3x7", "labels: 3x7 (70×42.3 mm) or 2x7 (99.1×38.1 mm)")
	skip := fs.Int("skip", 0, "labels: labels already used on the first sheet")
	templateFile := fs.String("template", "", "letters: the letter's text with fields ({salutation}, {given_name}, …)")
	signature := fs.String("signature", "", "letters: the signature block, lines separated by | (\"Name|Title\")")
	place := fs.String("place", "", "letters: the place before the date (default: the office's municipality)")
	date := fs.String("date", "", "letters: the date printed (default: today)")
	size := fs.String("size", "a4", "letters: a4 or a5")
	noRecord := fs.Bool("no-record", false, "labels, letters: do not record the run in the recipients' history")
	saveAudience := fs.String("save-audience", "", "save --query (and --kind) as an audience of this name")
	listAudiences := fs.Bool("list-audiences", false, "list the saved audiences")
	deleteAudience := fs.String("delete-audience", "", "delete the saved audience of this name")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	switch {
	case *listAudiences:
		return listSavedAudiences(e)
	case *deleteAudience != "":
		return deleteSavedAudience(e, *deleteAudience)
	case *saveAudience != "":
		return saveNamedAudience(e, &af, *saveAudience)
	}

	if !contains(contactFormats, *format) {
		return usagef("give --format: %s", strings.Join(contactFormats, ", "))
	}
	if *out == "" {
		return usagef("give the file to write with --out")
	}
	if _, err := af.parse(); err != nil {
		return err
	}
	job := printJob{labelFormat: *labelFormat, skip: *skip, signature: *signature, place: *place, a5: *size == "a5"}
	switch *format {
	case "labels":
		if *skip < 0 {
			return usagef("--skip must be 0 or more")
		}
	case "letters":
		if *templateFile == "" {
			return usagef("letters need their text: give it with --template FILE")
		}
		if *size != "a4" && *size != "a5" {
			return usagef("--size: a4 or a5")
		}
		b, err := os.ReadFile(*templateFile)
		if err != nil {
			return wrapFile(opOpen, *templateFile, err)
		}
		// An unknown field is refused before the registry is even opened.
		if job.template, err = outreach.ParseTemplate(string(b)); err != nil {
			return err
		}
		job.subject = letterSubject(string(b), *templateFile)
		if *date != "" {
			if job.date, err = data.ParseDate(*date); err != nil {
				return usagef("--date: %v", err)
			}
		}
	}
	if err := job.check(*format); err != nil {
		return err
	}

	record := (*format == "labels" || *format == "letters") && !*noRecord
	var st *store.Store
	var err error
	if record {
		st, err = e.open()
	} else {
		st, err = e.openForReading()
	}
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := af.resolve(st)
	if err != nil {
		return err
	}
	need := outreach.NeedAny
	switch *format {
	case "emails":
		need = outreach.NeedEmail
	case "labels", "letters":
		need = outreach.NeedPostal
	}
	cs, counts, err := outreach.Resolve(st, a, need)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return nobodyError(e.lang, counts)
	}
	job.office = officeOf(st)
	job.officeLang = e.lang
	if l, ok := registryLang(st); ok {
		job.officeLang = l
	}
	write := func(w io.Writer) error {
		switch *format {
		case "emails":
			return writeEmailChunks(w, outreach.EmailChunks(cs, *chunk))
		case "vcf":
			return outreach.WriteVCards(w, cs)
		case "csv":
			return outreach.WriteCSV(w, cs, e.lang)
		case "xlsx":
			return outreach.WriteXLSX(w, cs, e.lang)
		case "labels":
			return job.labels(w, cs, e.lang)
		}
		return job.letters(w, cs)
	}
	if err := store.WriteFileAtomically(*out, 0o644, write); err != nil {
		return wrapFile(opWrite, *out, err)
	}
	fmt.Fprintln(e.stderr, countsLine(e.lang, "outreachcli.written", counts))
	if *format == "labels" || *format == "letters" {
		if !record {
			fmt.Fprintln(e.stderr, e.T("outreachcli.not_recorded"))
			return nil
		}
		channel := "labels"
		if *format == "letters" {
			channel = "letter"
		}
		_, err := outreach.Record(st, outreach.Run{Channel: channel, Subject: job.subject,
			Audience: a.Describe(st, e.lang), Deliveries: outreach.Printed(cs)})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stderr, e.T("outreachcli.recorded", "n", i18n.FormatInt(len(cs), e.lang)))
	}
	return nil
}

// writeEmailChunks writes one line per chunk, addresses joined with ", "
// (ready for a BCC field), chunks separated by a blank line.
func writeEmailChunks(w io.Writer, chunks [][]string) error {
	for i, c := range chunks {
		sep := ""
		if i > 0 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "%s%s\n", sep, strings.Join(c, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// letterSubject is what the outreach log calls a letter run: the first
// line of the template without fields (a heading such as "Poziv na Dane
// dijaspore"), else the template file's name.
func letterSubject(text, file string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.Contains(line, "{") || strings.HasPrefix(line, "[[") {
			continue
		}
		if r := []rune(line); len(r) > 120 {
			line = string(r[:120]) + "…"
		}
		return line
	}
	return strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
}

// printJob is what labels and letters need besides the contacts.
type printJob struct {
	labelFormat string
	skip        int
	template    *outreach.Template
	subject     string
	signature   string
	place       string
	date        data.Date
	a5          bool
	office      data.Office
	officeLang  i18n.Lang
}

func listSavedAudiences(e *env) error {
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	as, err := outreach.SavedAudiences(st)
	if err != nil {
		return err
	}
	if len(as) == 0 {
		e.say("outreachcli.audiences.none")
		return nil
	}
	for _, a := range as {
		c, err := outreach.Count(st, a, outreach.NeedAny)
		if err != nil {
			return err
		}
		what := a.Query
		if a.ActivityID != "" {
			what = "activity " + a.ActivityID + " " + strings.Join(a.Statuses, ",")
		} else if a.Kind != "" && a.Kind != data.KindPerson {
			what = string(a.Kind) + ": " + what
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", a.Name, strings.TrimSpace(what), e.T("outreachcli.audiences.reached", "n", i18n.FormatInt(c.Reached, e.lang)))
	}
	return nil
}

func deleteSavedAudience(e *env, name string) error {
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := outreach.FindAudience(st, name)
	if err != nil {
		return err
	}
	if err := outreach.DeleteAudience(st, a.Name); err != nil {
		return err
	}
	e.say("outreachcli.audiences.deleted", "name", a.Name)
	return nil
}

func saveNamedAudience(e *env, af *audienceFlags, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return usagef("give the audience a name")
	}
	if af.audience != "" {
		return usagef("--save-audience saves a --query (with --kind) or an --activity, not another saved audience")
	}
	a, err := af.parse()
	if err != nil {
		return err
	}
	a.Name = name
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := outreach.SaveAudience(st, a); err != nil {
		return err
	}
	c, err := outreach.Count(st, a, outreach.NeedAny)
	if err != nil {
		return err
	}
	e.say("outreachcli.audiences.saved", "name", name, "n", i18n.FormatInt(c.Reached, e.lang))
	return nil
}
