package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"registar/data"
	"registar/data/bundle"
)

func init() {
	register(command{
		name: "bundle",
		usage: "export OUT [--since T] [--to LAPTOP] | merge IN [--dry-run] | conflicts [--json] |\n" +
			"            resolve ID --take ours|theirs[:N] | duplicates | dedupe KEEP DROP | laptop [--name NAME]",
		summary: "carry changes between laptops in bundle files, merge them, settle conflicts\n" +
			"            (a bundle's passphrase: REGISTAR_BUNDLE_PASSPHRASE, or --passphrase-env NAME)",
		run: runBundle,
	})
}

func runBundle(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("give a sub-command: export, merge, conflicts, resolve, duplicates, dedupe or laptop")
	}
	sub := map[string]func(*env, []string) error{
		"export": bundleExport, "merge": bundleMerge, "conflicts": bundleConflicts, "resolve": bundleResolve,
		"duplicates": bundleDuplicates, "dedupe": bundleDedupe, "laptop": bundleLaptop,
	}[args[0]]
	if sub == nil {
		return usagef("unknown sub-command %q", args[0])
	}
	err := sub(e, args[1:])
	var be *bundle.Error
	if errors.As(err, &be) { // in the user's language
		return errors.New(bundle.Message(err, e.lang))
	}
	return err
}

// bundlePassphrase reads the passphrase of a bundle from the environment:
// REGISTAR_BUNDLE_PASSPHRASE or the variable named by --passphrase-env.
func bundlePassphrase(e *env, name string) (string, error) {
	if name == "" {
		return e.getenv("REGISTAR_BUNDLE_PASSPHRASE"), nil
	}
	p := e.getenv(name)
	if p == "" {
		return "", fmt.Errorf("--passphrase-env %s: the variable %s is empty or not set", name, name)
	}
	return p, nil
}

// parseSince reads a moment as people write it, in local time.
func parseSince(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02",
		"02.01.2006 15:04", "02.01.2006.", "02.01.2006"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--since %q: give a date (2026-07-15 or 15.07.2026) or a date and time (2026-07-15 18:30)", s)
}

func bundleExport(e *env, args []string) error {
	fs := e.flags("bundle export")
	since := fs.String("since", "", "the changes made after this date or time")
	to := fs.String("to", "", "the laptop the bundle is for (ID or name): the changes since the last bundle for it")
	passEnv := fs.String("passphrase-env", "", "name of the environment variable holding the bundle's passphrase")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one output file")
	}
	opt := bundle.ExportOptions{To: *to}
	if *since != "" {
		if opt.Since, err = parseSince(*since); err != nil {
			return err
		}
	}
	if opt.Passphrase, err = bundlePassphrase(e, *passEnv); err != nil {
		return err
	}
	defer limitMemory(e.getenv)()
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	registryPass := false
	if opt.Passphrase == "" && st.Encrypted() {
		// An encrypted registry's records never leave it in clear text: with
		// no passphrase of its own, the bundle takes the registry's.
		if opt.Passphrase, err = e.passphrase(st.Dir()); err != nil {
			return err
		}
		registryPass = true
	}
	var last time.Time
	opt.Progress = func(done, total int) {
		if total >= 5000 && time.Since(last) > 200*time.Millisecond {
			fmt.Fprintf(e.stderr, "\r%d / %d", done, total)
			last = time.Now()
		}
	}
	info, err := bundle.ExportFile(st, pos[0], opt)
	if !last.IsZero() {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		var be *bundle.Error
		if errors.As(err, &be) {
			return err
		}
		return wrapFile(opWrite, pos[0], err)
	}
	counts := []string{"file", pos[0], "records", strconv.Itoa(info.RecordCount), "erasures", strconv.Itoa(info.TombstoneCount)}
	if info.Since.IsZero() {
		e.say("cli.bundle.written_whole", counts...)
	} else {
		e.say("cli.bundle.written_since", append(counts, "time", info.Since.Local().Format("2006-01-02 15:04:05"))...)
	}
	switch {
	case info.Encrypted && registryPass:
		e.say("cli.bundle.sealed_registry")
	case info.Encrypted:
		e.say("cli.bundle.sealed")
	}
	e.say("cli.bundle.from_laptop", "name", info.LaptopName, "id", info.Laptop)
	return nil
}

func bundleMerge(e *env, args []string) error {
	fs := e.flags("bundle merge")
	dry := fs.Bool("dry-run", false, "show what the merge would do, write nothing")
	passEnv := fs.String("passphrase-env", "", "name of the environment variable holding the bundle's passphrase")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one bundle file")
	}
	pass, err := bundlePassphrase(e, *passEnv)
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return wrapFile(opOpen, pos[0], err)
	}
	f.Close()
	defer limitMemory(e.getenv)()
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	var last time.Time
	// A bundle bigger than one step (a whole registry) is checked whole,
	// then merged in batches, never held in memory.
	rep, err := bundle.MergeFile(context.Background(), st, pos[0], pass, bundle.MergeOptions{DryRun: *dry, Progress: func(done, total int) {
		if total >= 5000 && time.Since(last) > 200*time.Millisecond {
			fmt.Fprintf(e.stderr, "\r%d / %d", done, total)
			last = time.Now()
		}
	}})
	if !last.IsZero() {
		fmt.Fprintln(e.stderr)
	}
	switch {
	case errors.Is(err, bundle.ErrNeedPassphrase):
		return fmt.Errorf("%s (set REGISTAR_BUNDLE_PASSPHRASE or use --passphrase-env)", bundle.Message(err, e.lang))
	case err != nil:
		return err // runBundle says a bundle.Error in the user's language
	}
	printReport(e, rep)
	return nil
}

// printReport prints what a merge did (or would do): the bundle, the
// counts, then each conflict, duplicate and erasure.
func printReport(e *env, rep *bundle.Report) {
	w := e.stdout
	f := rep.From
	e.say("cli.merge.from", "name", f.LaptopName, "id", f.Laptop, "time", f.Created.Local().Format("2006-01-02 15:04"),
		"records", strconv.Itoa(f.RecordCount), "erasures", strconv.Itoa(f.TombstoneCount))
	c := rep.Counts()
	// The first column, labels and tags, is padded to one width in any
	// language; the columns after a tag stay tab-separated for scripts.
	counts := []string{"added", "updated", "unchanged", "conflicts", "duplicates", "erased", "ignored"}
	label := map[string]string{}
	width := 0
	for _, k := range append(counts, "conflict", "duplicate", "erased_one", "ignored_one") {
		label[k] = e.T("cli.merge." + k)
		width = max(width, utf8.RuneCountInString(label[k])+1)
	}
	pad := func(k string) string { return label[k] + strings.Repeat(" ", width-utf8.RuneCountInString(label[k])) }
	for _, k := range counts {
		fmt.Fprintf(w, "%s %d\n", pad(k), c[k])
	}
	for _, it := range rep.Conflicts {
		fmt.Fprintf(w, "%s %s\t%s\t%s\n", pad("conflict"), it.ID, it.Kind, it.Title)
	}
	for _, d := range rep.Duplicates {
		fmt.Fprintf(w, "%s %s\t%s\t%s = %s\n", pad("duplicate"), d.Keep.ID, d.Drop.ID, d.Keep.Title, d.Drop.Title)
	}
	for _, it := range rep.Erased {
		fmt.Fprintf(w, "%s %s\t%s\n", pad("erased_one"), it.ID, it.Kind)
	}
	for _, it := range rep.Ignored {
		fmt.Fprintf(w, "%s %s\t%s\t%s\n", pad("ignored_one"), it.ID, it.Kind, e.T("cli.merge.erased_here"))
	}
	switch {
	case rep.DryRun:
		e.say("cli.merge.dry_run")
	case !rep.Changed():
		e.say("cli.merge.nothing")
	case len(rep.Conflicts) > 0:
		e.say("cli.merge.see_conflicts")
	}
}

func bundleConflicts(e *env, args []string) error {
	fs := e.flags("bundle conflicts")
	asJSON := fs.Bool("json", false, "print JSON: each record with its version here and the versions set aside")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := bundle.ListConflicts(st)
	if err != nil {
		return err
	}
	if *asJSON {
		type aside struct {
			From     string      `json:"from"`
			FromName string      `json:"from_name"`
			At       time.Time   `json:"at"`
			Record   data.Record `json:"record"`
		}
		type conflict struct {
			ID     string      `json:"id"`
			Kind   data.Kind   `json:"kind"`
			Ours   data.Record `json:"ours"`
			Theirs []aside     `json:"theirs"`
		}
		out := []conflict{}
		for _, c := range cs {
			cj := conflict{ID: c.ID, Kind: c.Kind, Ours: c.Ours}
			for _, t := range c.Theirs {
				cj.Theirs = append(cj.Theirs, aside{t.From, t.FromName, t.At, t.Record})
			}
			out = append(out, cj)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(cs) == 0 {
		e.say("cli.conflicts.none")
		return nil
	}
	// "ours" and "theirs" are the words --take takes: they stay as typed.
	for _, c := range cs {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", c.ID, c.Kind, c.Ours.Title())
		for i, t := range c.Theirs {
			fmt.Fprintf(e.stdout, "  theirs:%d %s\n", i+1, e.T("cli.conflicts.aside", "name", t.FromName, "id", t.From,
				"time", t.At.Local().Format("2006-01-02 15:04")))
			for _, f := range bundle.Differences(c.Ours, t.Record) {
				fmt.Fprintf(e.stdout, "    %-18s ours: %s\n    %-18s theirs: %s\n", f, fieldText(c.Ours, f), "", fieldText(t.Record, f))
			}
		}
	}
	e.say("cli.conflicts.resolve_with")
	return nil
}

// fieldText is one field of a record as JSON, "—" when empty.
func fieldText(r data.Record, field string) string {
	b, _ := data.Encode(data.Clone(r))
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	v, ok := m[field]
	if !ok || string(v) == `""` || string(v) == "null" {
		return "—"
	}
	return string(v)
}

func bundleResolve(e *env, args []string) error {
	fs := e.flags("bundle resolve")
	take := fs.String("take", "", "ours, theirs (the last version set aside) or theirs:N")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give the ID of one record in conflict")
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.Conflict(pos[0])
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	i := -1
	switch t := strings.TrimSpace(*take); {
	case t == "ours":
		i = 0
	case t == "theirs":
		i = len(c.Theirs)
	case strings.HasPrefix(t, "theirs:"):
		if n, err := strconv.Atoi(strings.TrimPrefix(t, "theirs:")); err == nil && n >= 1 && n <= len(c.Theirs) {
			i = n
		}
	}
	if i < 0 {
		return usagef("--take ours, theirs or theirs:N (N from 1 to %d)", len(c.Theirs))
	}
	chosen, err := bundle.Take(c, i)
	if err != nil {
		return err
	}
	if err := bundle.ResolveConflict(context.Background(), st, c.ID, chosen); err != nil {
		return err
	}
	e.say("cli.resolve.done", "id", c.ID, "title", chosen.Title(), "take", *take)
	return nil
}

func bundleDuplicates(e *env, args []string) error {
	if err := parseFlagsOnly(e.flags("bundle duplicates"), args); err != nil {
		return err
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	ds, err := bundle.FindDuplicates(st)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		e.say("cli.duplicates.none")
		return nil
	}
	for _, d := range ds {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s = %s\n", d.Kind, d.Keep.ID, d.Drop.ID, d.Keep.Title, d.Drop.Title)
	}
	e.say("cli.duplicates.merge_with")
	return nil
}

func bundleDedupe(e *env, args []string) error {
	pos, err := parse(e.flags("bundle dedupe"), args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give the ID of the record to keep and of its duplicate")
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := bundle.MergeDuplicates(context.Background(), st, pos[0], pos[1], nil)
	if err != nil {
		return err
	}
	e.say("cli.dedupe.done", "drop", pos[1], "keep", pos[0], "n", strconv.Itoa(res.Updated-2), "key", res.Key)
	return nil
}

func bundleLaptop(e *env, args []string) error {
	fs := e.flags("bundle laptop")
	name := fs.String("name", "", "name this laptop")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	if *name != "" {
		if err := st.SetLaptopName(strings.TrimSpace(*name)); err != nil {
			return err
		}
	}
	id, err := st.LaptopID()
	if err != nil {
		return err
	}
	peers, err := bundle.Peers(st)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\n", e.T("cli.laptop.id"), id)
	fmt.Fprintf(tw, "%s\t%s\n", e.T("cli.laptop.name"), st.LaptopName())
	tw.Flush()
	for _, p := range peers {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", e.T("cli.laptop.peer"), p.ID, e.T("cli.laptop.peer_line", "name", p.Name,
			"sent", e.when(p.Sent), "merged", e.when(p.Merged)))
	}
	return nil
}

func (e *env) when(t time.Time) string {
	if t.IsZero() {
		return e.T("cli.laptop.never")
	}
	return t.Local().Format("2006-01-02 15:04")
}
