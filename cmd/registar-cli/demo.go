package main

import (
	"context"
	"fmt"
	"strconv"

	"registar/data"
	"registar/data/demo"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "demo",
		usage:   "--persons N [--businesses N] [--organisations N] [--seed S]",
		summary: "fill the registry with realistic demo records (deterministic for a seed)",
		run:     runDemo,
	})
}

// demoStep is how many records land in one journaled step: big enough to be
// fast, small enough that 500,000 persons never sit in memory at once.
var demoStep = 20000 // a variable for the tests

// demoBulkAbove is the number of records from which demo writes in the
// store's bulk mode (issue 18).
var demoBulkAbove = 100000 // a variable for the tests

func runDemo(e *env, args []string) error {
	fs := e.flags("demo")
	var opt demo.Options
	fs.IntVar(&opt.Persons, "persons", 0, "persons to create")
	fs.IntVar(&opt.Businesses, "businesses", -1, "businesses to create (default persons/20)")
	fs.IntVar(&opt.Organisations, "organisations", -1, "organisations to create (default persons/100)")
	fs.Int64Var(&opt.Seed, "seed", 1, "random seed")
	fs.BoolVar(&opt.Activities, "activities", true, "add a year of activities with their participants")
	fs.BoolVar(&opt.Communications, "communications", true, "add a newsletter and invitation letters (what the office sent)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if opt.Persons < 0 || opt.Persons > 2_000_000 {
		return usagef("--persons must be between 0 and 2000000")
	}
	if opt.Businesses < 0 {
		opt.Businesses = opt.Persons / 20
	}
	if opt.Organisations < 0 {
		opt.Organisations = opt.Persons / 100
	}
	defer limitMemory(e.getenv)()
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	// A second run links to the localities the first one made.
	known := map[[2]string]string{}
	err = st.Each(data.KindLocality, func(r data.Record) error {
		if l, ok := r.(*data.Locality); ok && !l.Trashed() {
			known[[2]string{l.Name, l.Municipality}] = l.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	opt.KnownLocality = func(name, municipality string) (string, bool) {
		id, ok := known[[2]string{name, municipality}]
		return id, ok
	}

	total := demo.Count(opt)
	var batch []data.Record
	done := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := st.Apply(context.Background(), store.Step{Action: store.StepDemo, Source: data.SourceDemo,
			Note: fmt.Sprintf("seed %d", opt.Seed)}, batch, nil)
		done += len(batch)
		batch = batch[:0]
		if err == nil && total >= 2*demoStep {
			fmt.Fprintf(e.stderr, "\r%d / %d", done, total)
		}
		return err
	}
	generate := func() error {
		err := demo.Generate(opt, func(r data.Record) error {
			batch = append(batch, r)
			if len(batch) >= demoStep {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		return err
	}
	if total >= demoBulkAbove {
		// The steps leave the search index alone and it is rebuilt from
		// the records at the end, in bounded memory (store.Bulk): kept
		// current step by step it held some 450 MB at a million persons.
		err = st.Bulk(generate)
	} else {
		err = generate()
	}
	if total >= 2*demoStep {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	c := st.Counts()
	e.say("cli.demo.done", "n", strconv.Itoa(done), "persons", strconv.Itoa(c[data.KindPerson]),
		"businesses", strconv.Itoa(c[data.KindBusiness]), "organisations", strconv.Itoa(c[data.KindOrganisation]),
		"localities", strconv.Itoa(c[data.KindLocality]))
	return nil
}
