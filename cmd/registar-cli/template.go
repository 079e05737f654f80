package main

import (
	"io"

	"registar/data"
	"registar/data/exchange"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "template",
		usage:   "--kind K OUT.xlsx [--lang L]",
		summary: "write a blank .xlsx for field volunteers: headers, instructions, drop-down lists",
		run:     runTemplate,
	})
}

func runTemplate(e *env, args []string) error {
	fs := e.flags("template")
	kind := fs.String("kind", "person", "person, business, organisation or locality")
	lang := fs.String("lang", "", "language of headers, instructions and lists")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one output file")
	}
	k, err := data.ParseKind(*kind)
	if err != nil {
		return usagef("%v", err)
	}
	if *lang != "" {
		e.setLang(*lang)
	}
	// The registry gives the list of local communities; without one the
	// template simply has no such list (and none is created for it).
	var st *store.Store
	dir, err := e.dir()
	if err != nil {
		return err
	}
	if store.IsStore(dir) {
		if st, err = e.openForReading(); err != nil {
			return err
		}
		defer st.Close()
	}
	err = store.WriteFileAtomically(pos[0], 0o644, func(w io.Writer) error {
		return exchange.Template(w, st, k, exchange.TemplateOptions{Lang: e.lang})
	})
	if err != nil {
		return wrapFile(opWrite, pos[0], err)
	}
	e.say("cli.template.written", "file", pos[0])
	return nil
}
