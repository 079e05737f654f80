package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// Activities, participants and comments through import and export:
// `import FILE --kind activities`, `import FILE --kind participants
// --activity ID`, `import FILE --kind comments --activity ID`, and
// `export --kind activities|participants [--activity ID] OUT`.

// parseImportKind reads --kind of import: a kind of record, or comments
// (of a consultation, which are no record of their own).
func parseImportKind(s string) (data.Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "comment", "comments":
		return exchange.KindComment, nil
	}
	return data.ParseKind(s)
}

// activitySheet says whether the kind is read by the activities' own
// readers rather than the registry import.
func activitySheet(k data.Kind) bool {
	return k == data.KindActivity || k == data.KindParticipation || k == exchange.KindComment
}

// checkActivityFlag refuses a participants or comments import without
// --activity, and --activity with another kind, before any file is read.
func checkActivityFlag(k data.Kind, activity string, l i18n.Lang) error {
	needs := k == data.KindParticipation || k == exchange.KindComment
	switch {
	case needs && strings.TrimSpace(activity) == "":
		name := "participants"
		if k == exchange.KindComment {
			name = "comments"
		}
		return usagef("%s", i18n.T(l, "activityx.cli.need_activity", "kind", name))
	case !needs && activity != "":
		return usagef("--activity goes with --kind participants or comments")
	}
	return nil
}

// activityPlan is what the three previews share.
type activityPlan interface {
	Apply(ctx context.Context, st *store.Store, progress func(done, total int)) (exchange.Result, error)
	WriteRejects(w io.Writer) (int, error)
}

// importActivitySheet previews and (unless dry) applies an activities,
// participants or comments sheet, as runImport does persons.
func importActivitySheet(e *env, ctx context.Context, st *store.Store, sh *exchange.Sheet, m exchange.Mapping,
	activity string, opt exchange.Options, dry bool, rejects, file string) error {
	l := opt.Lang
	var (
		plan  activityPlan
		base  *exchange.Plan
		extra []string
	)
	switch m.Kind {
	case data.KindActivity:
		p, err := exchange.PrepareActivities(ctx, st, sh, m, opt)
		if err != nil {
			return err
		}
		plan, base = p, p
	case data.KindParticipation:
		p, err := exchange.PrepareParticipants(ctx, st, sh, m, activity, opt)
		if err != nil {
			return err
		}
		plan, base = p, p.Plan
		fmt.Fprintln(e.stdout, p.Activity.Title()+" ("+p.Activity.Start.String()+")")
		if p.SignIn {
			extra = append(extra, i18n.T(l, "activityx.cli.sign_in"))
		}
		if n := len(p.NewPersons); n > 0 {
			names := make([]string, 0, min(n, 10))
			for _, per := range p.NewPersons[:min(n, 10)] {
				names = append(names, per.Title())
			}
			if n > 10 {
				names = append(names, "…")
			}
			extra = append(extra, i18n.T(l, "activityx.cli.new_persons", "n", strconv.Itoa(n), "param", strings.Join(names, ", ")))
		}
	case exchange.KindComment:
		p, err := exchange.PrepareComments(ctx, st, sh, m, activity, opt)
		if err != nil {
			return err
		}
		plan, base = p, p.Plan
		fmt.Fprintln(e.stdout, p.Activity.Title())
		if n := len(p.NewOrganisations); n > 0 {
			names := make([]string, n)
			for i, o := range p.NewOrganisations {
				names[i] = o.Name
			}
			extra = append(extra, i18n.T(l, "activityx.cli.new_orgs", "n", strconv.Itoa(n), "param", strings.Join(names, ", ")))
		}
	}
	printPlan(e.stdout, base, l)
	for _, s := range extra {
		fmt.Fprintln(e.stdout, s)
	}
	for _, r := range base.Rows {
		if r.Action == exchange.Duplicate && r.SameAsRow > 0 && m.Kind == data.KindParticipation {
			fmt.Fprintf(e.stdout, "  %d: %s\n", r.Row, strings.Join(r.Reasons, " "))
		}
	}
	if rejects != "" && base.Counts.Rejected > 0 {
		if err := store.WriteFileAtomically(rejects, 0o600, func(w io.Writer) error { _, err := plan.WriteRejects(w); return err }); err != nil {
			return wrapFile(opWrite, rejects, err)
		}
		fmt.Fprintln(e.stdout, i18n.T(l, "exchange.cli.rejects", "n", strconv.Itoa(base.Counts.Rejected), "param", rejects))
	}
	if dry {
		fmt.Fprintln(e.stdout, i18n.T(l, "exchange.cli.dry_run"))
		return nil
	}
	if c := base.Counts; c.Rows > 0 && c.Rejected == c.Rows {
		return errors.New(i18n.T(l, "cli.import.all_rejected", "n", strconv.Itoa(c.Rows), "file", file))
	}
	res, err := plan.Apply(ctx, st, nil)
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

// exportList writes what export asks for: activities or the participants
// of one activity (or of all) through their own writers, anything else
// through exchange.Export.
func exportList(ctx context.Context, w io.Writer, st *store.Store, q search.Query, activity string, opt exchange.ExportOptions) (int, error) {
	switch q.Kind {
	case data.KindActivity:
		return exchange.ExportActivities(ctx, w, st, q, opt)
	case data.KindParticipation:
		return exchange.ExportParticipants(ctx, w, st, activity, opt)
	case data.KindCommunication:
		return exchange.ExportCommunications(ctx, w, st, opt)
	}
	return exchange.Export(ctx, w, st, q, opt)
}
