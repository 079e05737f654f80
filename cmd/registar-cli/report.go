package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"registar/data"
	"registar/data/i18n"
	"registar/data/store"
	"registar/reports"
)

func init() {
	register(command{
		name: "report",
		usage: "pocketbook|brochure|statistics|form --out OUT.pdf [--lang L] [--size a4|a5|a6] [--booklet long|short] [--fillable]\n" +
			"            [--title T] [--foreword-file F] [--kinds K,…] [--countries C,…] [--fields F,…] [--office FILE.json] [--logo FILE]\n" +
			"       report attendance|activity|consultation --activity ID --out OUT.pdf [--lang L] [--size a4|a5] [--booklet long|short]\n" +
			"       report activities --year YYYY --out OUT.pdf [--lang L] [--booklet long|short]",
		summary: "write a publication as PDF; --booklet imposes it for A4 duplex, flipped on the long or short edge",
		run:     runReport,
	})
}

func runReport(e *env, args []string) error {
	fs := e.flags("report")
	out := fs.String("out", "", "the PDF to write")
	lang := fs.String("lang", "", "language of the publication: en bs hr sr sr-Latn sq")
	size := fs.String("size", "", "page size: a6 or a5 (pocket book), a5 or a4 (brochure), a4")
	booklet := fs.String("booklet", "", "impose as a booklet for a duplex printer flipping on the long or short edge")
	title := fs.String("title", "", "title of the pocket book or brochure")
	forewordFile := fs.String("foreword-file", "", "a text file with the pocket book's foreword")
	kinds := fs.String("kinds", "", "pocket book: kinds to list (organisation,business,person)")
	countries := fs.String("countries", "", "pocket book: only these countries (codes or names, comma-separated)")
	fields := fs.String("fields", "", "pocket book: what entries show ("+strings.Join(reports.PocketBookFields, ",")+")")
	officeFile := fs.String("office", "", "a JSON file with the office's details (default: the registry's)")
	logo := fs.String("logo", "", "the office logo, PNG or JPEG")
	fillable := fs.Bool("fillable", false, "form: a PDF form to fill in on a computer (Adobe Reader, a browser, Okular); import the filled ones")
	activity := fs.String("activity", "", "attendance, activity, consultation: the activity's ID (search --kind activity lists them)")
	year := fs.Int("year", 0, "activities: the year of the annual report")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one publication: pocketbook, brochure, statistics, form, attendance, activity, consultation or activities")
	}
	pub, err := reports.ParsePublication(pos[0])
	if err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("give the PDF to write with --out")
	}
	if err := activityFlags(pub, *activity, *year); err != nil {
		return err
	}
	if *fillable && pub != reports.Form {
		return usagef("--fillable is for the form only")
	}
	if *fillable && *booklet != "" {
		return usagef("a fillable form is not imposed as a booklet: leave out --booklet")
	}
	opt := reports.Options{Lang: e.lang, Title: *title, Activity: strings.TrimSpace(*activity), Year: *year}
	if *lang != "" {
		l, ok := i18n.Parse(*lang)
		if !ok {
			return usagef("unknown language %q (en, bs, hr, sr, sr-Latn, sq)", *lang)
		}
		opt.Lang = l
	}
	if *size != "" {
		if opt.Size, err = reports.ParseSize(*size); err != nil {
			return usagef("%v", err)
		}
		if !sizeFits(pub, opt.Size) {
			return usagef("the %s is made in %s, not %s", pub, sizeNames(pub), strings.ToUpper(*size))
		}
	}
	if opt.Booklet, err = reports.ParseBinding(*booklet); err != nil {
		return usagef("%v", err)
	}
	if *kinds != "" {
		for _, k := range splitList(*kinds) {
			kind, err := data.ParseKind(k)
			if err != nil || kind == data.KindLocality {
				return usagef("--kinds: %q is not organisation, business or person", k)
			}
			opt.Kinds = append(opt.Kinds, kind)
		}
	}
	for _, c := range splitList(*countries) {
		code, ok := data.ParseCountry(c)
		if !ok {
			return usagef("--countries: unknown country %q", c)
		}
		opt.Countries = append(opt.Countries, code)
	}
	if *fields != "" {
		opt.Fields = []string{}
		for _, f := range splitList(*fields) {
			if !contains(reports.PocketBookFields, f) {
				return usagef("--fields: %q is not one of %s", f, strings.Join(reports.PocketBookFields, ", "))
			}
			opt.Fields = append(opt.Fields, f)
		}
	}
	if *forewordFile != "" {
		b, err := os.ReadFile(*forewordFile)
		if err != nil {
			return err
		}
		opt.Foreword = string(b)
	}

	// The form needs no records: it is printed without a registry too.
	defer limitMemory(e.getenv)()
	var src reports.Source
	var st *store.Store
	dir, err := e.dir()
	if err != nil {
		return err
	}
	if pub != reports.Form || store.IsStore(dir) {
		if st, err = e.openForReading(); err != nil {
			return err
		}
		defer st.Close()
		src = st
		b, err := st.Setting(data.OfficeSetting)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		default:
			if opt.Office, err = data.ParseOffice(b); err != nil {
				return fmt.Errorf("the registry's %v", err)
			}
		}
	}
	if *officeFile != "" {
		b, err := os.ReadFile(*officeFile)
		if err != nil {
			return err
		}
		if opt.Office, err = data.ParseOffice(b); err != nil {
			return fmt.Errorf("%s: %v", *officeFile, err)
		}
	}
	if *logo != "" {
		b, err := os.ReadFile(*logo)
		if err != nil {
			// a missing logo is no reason not to print
			fmt.Fprintf(e.stderr, "registar-cli report: no logo (%v)\n", oneLine(err.Error()))
		} else {
			opt.Office.Logo = b
		}
	}
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opt.Progress = func(done, total int) { fmt.Fprintf(e.stderr, "\r%3d%%", done*100/total) }
		defer fmt.Fprint(e.stderr, "\r    \r")
	}

	// Write beside the target and rename: a failed run leaves no half PDF.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".registar-report-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var info reports.Info
	if *fillable {
		info, err = reports.FillableForm(tmp, opt)
	} else {
		info, err = reports.Generate(context.Background(), tmp, pub, src, opt)
	}
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp made it private; a PDF is for sharing
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	kind := string(pub)
	if *fillable {
		kind = "fillable form"
	}
	msg := fmt.Sprintf("wrote %s: %s, %d pages", *out, kind, info.Pages)
	if pub == reports.PocketBook {
		msg += fmt.Sprintf(", %d entries", info.Entries)
	}
	if pub.ForActivity() {
		msg = fmt.Sprintf("wrote %s: %s of activity %s, %d pages", *out, pub, opt.Activity, info.Pages)
	}
	if pub == reports.AnnualActivities {
		msg = fmt.Sprintf("wrote %s: activities of %d, %d pages", *out, opt.Year, info.Pages)
	}
	if opt.Booklet != reports.NoBooklet {
		sheets := "sheets"
		if info.Sheets == 2 {
			sheets = "sheet"
		}
		msg += fmt.Sprintf("; imposed as a booklet on %d A4 %s, print on both sides flipping on the %s edge", info.Sheets/2, sheets, opt.Booklet)
	}
	fmt.Fprintln(e.stdout, msg)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func sizeFits(pub reports.Publication, s reports.Size) bool {
	for _, x := range pub.Sizes() {
		if x == s {
			return true
		}
	}
	return false
}

func sizeNames(pub reports.Publication) string {
	var names []string
	for _, s := range pub.Sizes() {
		names = append(names, strings.ToUpper(string(s)))
	}
	return strings.Join(names, " or ")
}

// activityFlags checks --activity and --year against the publication: the
// publications of one activity need its ID, the annual report a year, and
// the others take neither.
func activityFlags(pub reports.Publication, activity string, year int) error {
	activity = strings.TrimSpace(activity)
	switch {
	case pub.ForActivity() && activity == "":
		return usagef("the %s is of one activity: give its ID with --activity (search --kind activity lists them)", pub)
	case !pub.ForActivity() && activity != "":
		return usagef("--activity is for attendance, activity and consultation only")
	case pub == reports.AnnualActivities && (year < 1900 || year > 2200):
		return usagef("give the year of the annual report with --year, e.g. --year 2026")
	case pub != reports.AnnualActivities && year != 0:
		return usagef("--year is for the annual report (report activities) only")
	}
	return nil
}
