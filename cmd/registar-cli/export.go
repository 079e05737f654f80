package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"time"

	"registar/data"
	"registar/data/exchange"
	"registar/data/search"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "export",
		usage:   "--kind K OUT.xlsx|OUT.csv [--activity ID] [--query Q] [--lang L] [--format xlsx|csv]",
		summary: "write a list (every record of a kind, or what a search finds) to .xlsx or .csv",
		run:     runExport,
	})
}

func runExport(e *env, args []string) error {
	fs := e.flags("export")
	kind := fs.String("kind", "", "person, business, organisation, locality, activities, participants or communications (the outreach log)")
	activity := fs.String("activity", "", "with --kind participants: the activity's ID (default: every activity)")
	query := fs.String("query", "", "a search, as typed in the search bar (e.g. 'country:DE interest:invest')")
	lang := fs.String("lang", "", "language of headers and values")
	format := fs.String("format", "", "xlsx or csv (default: from the file name; .csv holds one kind)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one output file")
	}
	q := search.ParseQuery(*query)
	if *kind != "" {
		k, err := data.ParseKind(*kind)
		if err != nil {
			return usagef("%v", err)
		}
		q.Kind = k
	}
	if *activity != "" && q.Kind != data.KindParticipation {
		return usagef("--activity goes with --kind participants")
	}
	if q.Kind == "" && *query == "" {
		return usagef("give --kind or --query")
	}
	f := exchange.FormatOf(pos[0])
	if *format != "" {
		var ok bool
		if f, ok = exchange.ParseFormat(*format); !ok {
			return usagef("--format must be xlsx or csv")
		}
	}
	if *lang != "" {
		e.setLang(*lang)
	}
	defer limitMemory(e.getenv)()
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var n int
	var last time.Time
	progress := func(done, total int) { // a line that rewrites itself, for long lists only
		if total >= 5000 && time.Since(last) > 200*time.Millisecond {
			fmt.Fprintf(e.stderr, "\r%d / %d", done, total)
			last = time.Now()
		}
	}
	err = store.WriteFileAtomically(pos[0], 0o600, func(w io.Writer) error {
		var err error
		n, err = exportList(ctx, w, st, q, *activity, exchange.ExportOptions{Lang: e.lang, Format: f, Progress: progress})
		return err
	})
	if !last.IsZero() {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return wrapFile(opWrite, pos[0], err)
	}
	e.say("cli.export.done", "n", strconv.Itoa(n), "file", pos[0])
	return nil
}
