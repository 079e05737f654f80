package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"text/tabwriter"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "import",
		usage:   "FILE.xlsx|FILE.csv|FILE.zip|FILE.xml|FILE.pdf|DIR [--kind K] [--activity ID] [--dry-run] [--rejects OUT.xlsx] [--duplicates skip|update] [--sheet NAME] [--map 'HEADER=field'] [--region BA] [--new-localities create|reject] [--municipality M]",
		summary: "import a spreadsheet, a KoboToolbox or ODK Central export, ODK Collect's instances (a folder) or filled PDF forms as one undoable step; --dry-run only shows what would happen",
		run:     runImport,
	})
	register(command{
		name:    "undo",
		usage:   "STEPKEY",
		summary: "take back a whole import (or merge) by the key it printed",
		run:     runUndo,
	})
}

// mapFlag collects repeated --map HEADER=field.
type mapFlag map[string]string

func (m mapFlag) String() string { return "" }

func (m mapFlag) Set(s string) error {
	h, f, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(h) == "" {
		return fmt.Errorf("want HEADER=field, got %q", s)
	}
	m[strings.TrimSpace(h)] = strings.TrimSpace(f)
	return nil
}

func runImport(e *env, args []string) error {
	fs := e.flags("import")
	kind := fs.String("kind", "", "person, business, organisation or locality (default: guessed from the headers); activities; participants or comments with --activity")
	activity := fs.String("activity", "", "the activity a participants or comments sheet belongs to (its ID)")
	dry := fs.Bool("dry-run", false, "show what would happen; write nothing")
	rejects := fs.String("rejects", "", "write the rejected rows with their reasons to this .xlsx")
	dups := fs.String("duplicates", "skip", "rows already in the registry: skip or update")
	sheet := fs.String("sheet", "", "worksheet of an .xlsx (default: the first with known headers)")
	region := fs.String("region", "", "phone region of local numbers: BA, XK, RS… (default REGISTAR_REGION or BA)")
	lang := fs.String("lang", "", "language of reasons and messages")
	municipality := fs.String("municipality", "", "municipality of new local communities (default: the office's, from Settings; a Municipality column wins)")
	newLocs := fs.String("new-localities", "create", "local communities the registry does not have: create (in the office's municipality) or reject the rows")
	maps := mapFlag{}
	fs.Var(maps, "map", "map a column by its header to a field, e.g. 'Mobitel 2=phone' (repeatable; field - ignores it)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one file to import")
	}
	var k data.Kind
	if *kind != "" {
		if k, err = parseImportKind(*kind); err != nil {
			return usagef("%v", err)
		}
	}
	mode, ok := exchange.ParseDuplicates(*dups)
	if !ok {
		return usagef("--duplicates must be skip or update")
	}
	newLocalities, ok := exchange.ParseNewLocalities(*newLocs)
	if !ok {
		return usagef("--new-localities must be create or reject")
	}
	if *lang != "" {
		e.setLang(*lang)
	}
	if err := checkActivityFlag(k, *activity, e.lang); err != nil {
		return err
	}
	// The file's errors are said in the registry's language, so a registry
	// that exists is opened first when no language was named; otherwise the
	// file is read first: a wrong file should not cost an open, nor create
	// an empty registry.
	defer limitMemory(e.getenv)()
	var st *store.Store
	dir, err := e.dir()
	if err != nil {
		return err
	}
	if !e.langChosen && store.IsStore(dir) {
		if st, err = e.open(); err != nil {
			return err
		}
		defer st.Close()
	}
	l := e.lang

	sh, err := exchange.OpenSource(pos[0], exchange.ReadOptions{Sheet: *sheet, Lang: l})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if k == "" {
		k = sh.Origin.RecordKind() // a phone or PDF form says what it collects
	}
	if sh.Origin != nil {
		fmt.Fprintln(e.stdout, sh.File+": "+sh.Origin.Describe(l))
		for _, u := range sh.Origin.Unreadable {
			fmt.Fprintln(e.stdout, "  "+u)
		}
	}
	m, err := exchange.Recognise(sh, k)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if len(maps) > 0 {
		if err := m.SetHeaders(maps); err != nil {
			return usagef("--map: %v", err)
		}
	}
	if st == nil {
		if st, err = e.open(); err != nil {
			return err
		}
		defer st.Close()
		l = e.lang
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	if *municipality == "" {
		*municipality = officeOf(st).Municipality
	}
	if *region == "" {
		*region = st.Region() // REGISTAR_REGION, else the office's
	}
	if activitySheet(m.Kind) {
		return importActivitySheet(e, ctx, st, sh, m, *activity, exchange.Options{Lang: l, Region: *region, Duplicates: mode}, *dry, *rejects, pos[0])
	}
	plan, err := exchange.Prepare(ctx, st, sh, m, exchange.Options{Lang: l, Region: *region, Duplicates: mode,
		NewLocalities: newLocalities, Municipality: *municipality, BulkAbove: importBulkAbove})
	if err != nil {
		return err
	}
	printPlan(e.stdout, plan, l)
	if *rejects != "" && plan.Counts.Rejected > 0 {
		// The rejected rows are people's data, as a backup is: the
		// owner's alone.
		if err := store.WriteFileAtomically(*rejects, 0o600, func(w io.Writer) error { _, err := plan.WriteRejects(w); return err }); err != nil {
			return wrapFile(opWrite, *rejects, err)
		}
		fmt.Fprintln(e.stdout, i18n.T(l, "exchange.cli.rejects", "n", strconv.Itoa(plan.Counts.Rejected), "param", *rejects))
	}
	if *dry {
		fmt.Fprintln(e.stdout, i18n.T(l, "exchange.cli.dry_run"))
		return nil
	}
	// A file whose every row was refused is a failed import (exit 1), so
	// that a script notices; a file whose rows are all in the registry
	// already is a finished one (exit 0), as running an import twice must
	// be harmless.
	if c := plan.Counts; c.Rows > 0 && c.Rejected == c.Rows {
		if *rejects != "" {
			return errors.New(i18n.T(l, "cli.import.all_rejected_file", "n", strconv.Itoa(c.Rows), "file", *rejects))
		}
		return errors.New(i18n.T(l, "cli.import.all_rejected", "n", strconv.Itoa(c.Rows), "file", pos[0]))
	}
	plan.ForgetSheet() // the rejects are written: the rows' cells are not needed any more
	res, err := plan.Apply(ctx, st, func(done, total int) {
		fmt.Fprintln(e.stderr, i18n.T(l, "exchange.cli.progress", "n", fmt.Sprintf("%d / %d", done, total)))
	})
	if err != nil {
		return err
	}
	if res.Step == "" {
		fmt.Fprintln(e.stdout, i18n.T(l, "exchange.cli.nothing"))
		return nil
	}
	fmt.Fprintln(e.stdout, i18n.T(l, "exchange.cli.done", "param", res.Step))
	return nil
}

// printPlan prints the preview: the kind, unknown and missing columns, the
// counts, and the first rejected rows with their reasons.
func printPlan(w io.Writer, p *exchange.Plan, l i18n.Lang) {
	m := p.Mapping
	if u := m.Unknown(); len(u) > 0 {
		names := make([]string, len(u))
		for i, c := range u {
			names[i] = strconv.Quote(c.Header)
		}
		fmt.Fprintln(w, i18n.T(l, "exchange.cli.unknown_columns", "param", strings.Join(names, ", ")))
	}
	if miss := m.Missing(); len(miss) > 0 {
		names := make([]string, len(miss))
		for i, f := range miss {
			names[i] = data.FieldLabel(f, l)
		}
		fmt.Fprintln(w, i18n.T(l, "exchange.cli.missing_columns", "param", strings.Join(names, ", ")))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s:\t%s\n", i18n.T(l, "exchange.count.kind"), i18n.T(l, "kind."+string(m.Kind)+".plural"))
	c := p.Counts
	for _, row := range []struct {
		key string
		n   int
	}{
		{"rows", c.Rows}, {"added", c.Added}, {"updated", c.Updated}, {"unchanged", c.Unchanged},
		{"duplicates", c.Duplicates}, {"rejected", c.Rejected},
	} {
		if row.n == 0 && (row.key == "updated" || row.key == "unchanged") {
			continue
		}
		fmt.Fprintf(tw, "%s:\t%d\n", i18n.T(l, "exchange.count."+row.key), row.n)
	}
	if c.AlreadyImported > 0 {
		fmt.Fprintf(tw, "%s:\t%d\n", i18n.T(l, "exchange.count.already_imported"), c.AlreadyImported)
	}
	if len(p.NewLocalities) > 0 {
		fmt.Fprintf(tw, "%s:\t%d — %s\n", i18n.T(l, "exchange.count.new_localities"), len(p.NewLocalities), p.NewLocalityNames())
	}
	tw.Flush()
	shown := 0
	for _, r := range p.Rejected() {
		if shown == 20 {
			fmt.Fprintf(w, "  …\n")
			break
		}
		where := strconv.Itoa(r.Row)
		if r.Where != "" {
			where += " (" + r.Where + ")"
		}
		fmt.Fprintf(w, "  %s: %s\n", where, strings.Join(r.Reasons, " "))
		shown++
	}
	// How numbers that read two ways were read, for the rows that go in.
	shown = 0
	for _, r := range p.Rows {
		if len(r.Notes) == 0 || r.Action == exchange.Reject || r.Action == exchange.Duplicate {
			continue
		}
		if shown == 20 {
			fmt.Fprintf(w, "  …\n")
			break
		}
		fmt.Fprintf(w, "  %d: %s\n", r.Row, strings.Join(r.Notes, " "))
		shown++
	}
}

func runUndo(e *env, args []string) error {
	pos, err := parse(e.flags("undo"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give the step key an import printed (a/…)")
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Undo(context.Background(), pos[0])
	if err != nil {
		return fmt.Errorf("%s %w", e.T("cli.undo.failed", "step", pos[0]), err)
	}
	e.say("cli.undo.done", "step", pos[0], "key", res.Key)
	return nil
}

// importBulkAbove is the number of records from which an import is written
// in the store's bulk mode (issue 18: 100,000 rows into 500,000 persons
// held the whole search index in memory besides the step).
var importBulkAbove = 50000 // a variable for the tests
