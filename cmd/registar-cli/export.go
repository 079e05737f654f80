package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strconv"

	"registar/data"
	"registar/data/exchange"
	"registar/data/search"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "export",
		usage:   "--kind K OUT.xlsx|OUT.csv [--query Q] [--lang L] [--format xlsx|csv]",
		summary: "write a list (every record of a kind, or what a search finds) to .xlsx or .csv",
		run:     runExport,
	})
}

func runExport(e *env, args []string) error {
	fs := e.flags("export")
	kind := fs.String("kind", "", "person, business, organisation or locality")
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
	st, err := e.openForReading()
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var n int
	err = store.WriteFileAtomically(pos[0], 0o600, func(w io.Writer) error {
		var err error
		n, err = exchange.Export(ctx, w, st, q, exchange.ExportOptions{Lang: e.lang, Format: f})
		return err
	})
	if err != nil {
		return wrapFile(opWrite, pos[0], err)
	}
	e.say("cli.export.done", "n", strconv.Itoa(n), "file", pos[0])
	return nil
}
