package main

import (
	"errors"
	"fmt"

	"registar/data/i18n"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "erase",
		usage:   "ID --yes",
		summary: "erase a record for good, with its earlier versions and the links to it (permanent: no undo)",
		run:     runErase,
	})
}

// runErase erases one record for good. --yes is required because nothing
// brings the record back: not undo, not the trash, not a bundle.
func runErase(e *env, args []string) error {
	fs := e.flags("erase")
	yes := fs.Bool("yes", false, "confirm that the record is erased for good")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{i18n.T(e.lang, "erase.cli.need_id")}
	}
	if !*yes {
		return usageError{i18n.T(e.lang, "erase.cli.need_yes")}
	}
	id := pos[0]
	st, err := e.open()
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.Get(id)
	if err == nil {
		err = st.Erase(id)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errors.New(i18n.T(e.lang, "erase.error.not_found", "id", id))
	case errors.Is(err, store.ErrErased):
		return errors.New(i18n.T(e.lang, "erase.error.already", "id", id))
	case err != nil:
		return err
	}
	// The old versions leave Badger's files when the registry closes: say
	// "erased" only once that is done.
	if err := st.Close(); err != nil {
		return err
	}
	kind := i18n.T(e.lang, "kind."+string(r.Base().Kind))
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "erase.cli.erased", "kind", kind, "name", r.Title(), "id", id))
	return nil
}
