package main

import (
	"fmt"

	"registar/data/i18n"
	"registar/data/odk"
	"registar/data/store"
)

func init() {
	register(command{
		name:    "odk",
		usage:   "form --kind persons|businesses|organisations --out DIR [--lang L]",
		summary: "write the form for phones: an XLSForm for KoboToolbox / ODK Central and an XForm for ODK Collect",
		run:     runODK,
	})
}

func runODK(e *env, args []string) error {
	if len(args) == 0 || args[0] != "form" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			return parseFlagsOnly(e.flags("odk"), args)
		}
		return usagef("say what to write: odk form")
	}
	fs := e.flags("odk form")
	kind := fs.String("kind", "", "persons, businesses or organisations")
	out := fs.String("out", "", "folder for registar-<kind>.xlsx and registar-<kind>.xml")
	lang := fs.String("lang", "", "the form's default language: en bs hr sr sr-Latn sq")
	if err := parseFlagsOnly(fs, args[1:]); err != nil {
		return err
	}
	if *kind == "" {
		return usagef("give --kind persons, businesses or organisations")
	}
	if *out == "" {
		return usagef("give --out DIR, the folder for the two files")
	}
	if *lang != "" {
		l, ok := i18n.Parse(*lang)
		if !ok {
			return usagef("unknown language %q (en bs hr sr sr-Latn sq)", *lang)
		}
		e.lang, e.langChosen = l, true
	}
	k, err := odk.ParseKind(*kind, e.lang)
	if err != nil {
		return err // a user error, in the user's language: exit 1
	}
	// The registry gives the list of local communities; without one the
	// form asks for the local community as text.
	opt := odk.Options{Lang: e.lang}
	dir, err := e.dir()
	if err != nil {
		return err
	}
	var form *odk.Form
	if store.IsStore(dir) {
		st, err := e.openForReading()
		if err != nil {
			return err
		}
		defer st.Close()
		opt.Lang = e.lang // the registry's, unless --lang named one
		if form, err = odk.FromStore(st, k, opt); err != nil {
			return err
		}
	} else if form, err = odk.New(k, nil, opt); err != nil {
		return err
	}
	xlsform, xform, err := odk.WriteFiles(*out, form)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "odk.cli.written", "xlsform", xlsform, "xform", xform, "version", form.Version))
	return nil
}
