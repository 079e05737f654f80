package app

import (
	"context"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/exchange"
	"registar/data/search"
	"registar/data/store"
	"registar/widgets"
)

// Activities, the participants of one activity and the comments of one
// consultation on the Import and export screen. They are read, previewed,
// imported as one undoable step and their rejects saved exactly as persons
// are (exchange.go); what differs lives here: the three kinds in the kind
// choice, the activity a participants or comments sheet belongs to (chosen
// with a picker, required before the rows are checked), the lines the
// preview adds (a sign-in sheet, the new persons and organisations the
// import brings), and the export of activities and participants.

// activityImport is the Import screen's state for those sheets.
type activityImport struct {
	// chosen is the activity a participants or comments sheet belongs to
	// (Value "" while none); chosenKind is its activity kind.
	chosen     widgets.Option
	chosenKind string
	// preset is the kind the next sheet read is taken as, when the screen
	// was opened for an activity's sign-in sheet (importParticipants).
	preset data.Kind
	// plan is x.plan's own form for these kinds (its Apply writes the new
	// persons and participations, or the comments and their senders); nil
	// for the registry's kinds.
	plan activitySheetPlan
	// lines are what the preview says besides its rows.
	lines []string

	// Widgets, built by activityImportUI.
	box       *fyne.Container // the activity's heading, picker and hint
	heading   *widget.Label
	picker    *widgets.Picker
	hint      *widget.Label
	info      *widget.Label // lines, above the preview's rows
	exportBtn *widget.Button
}

// activitySheetPlan is what the previews of these sheets share with the
// registry's Plan.
type activitySheetPlan interface {
	Apply(ctx context.Context, st *store.Store, progress func(done, total int)) (exchange.Result, error)
	WriteRejects(w io.Writer) (int, error)
}

// importKinds are the kinds the screen imports, in the order offered.
func importKinds() []data.Kind {
	return append(append([]data.Kind(nil), data.Kinds...), data.KindActivity, data.KindParticipation, exchange.KindComment)
}

// isActivitySheet tells the sheets read by the activities' own readers.
func isActivitySheet(k data.Kind) bool {
	return k == data.KindActivity || k == data.KindParticipation || k == exchange.KindComment
}

// needsActivity tells the sheets that belong to one activity.
func needsActivity(k data.Kind) bool {
	return k == data.KindParticipation || k == exchange.KindComment
}

// kindLabel is a kind's name in the kind choice.
func (x *exchangeScreen) kindLabel(k data.Kind) string {
	switch k {
	case data.KindParticipation:
		return x.shell.T("activityxui.kind.participation")
	case exchange.KindComment:
		return x.shell.T("activityxui.kind.comment")
	}
	return x.shell.T("kind." + string(k) + ".plural")
}

// kindOptions are the labels of importKinds.
func (x *exchangeScreen) kindOptions() []string {
	var out []string
	for _, k := range importKinds() {
		out = append(out, x.kindLabel(k))
	}
	return out
}

// activityImportUI builds the activity chooser (shown for participants and
// comments) and the preview's extra lines.
func (x *exchangeScreen) activityImportUI() fyne.CanvasObject {
	s := x.shell
	a := &x.acts
	a.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.picker = widgets.NewPicker(func(text string) []widgets.Option {
		return activityChoices(s, text, x.mapping.Kind == exchange.KindComment)
	}, x.onActivityChosen)
	a.picker.PlaceHolder = s.T("ui.picker.choose")
	a.picker.SearchPlaceHolder = s.T("ui.picker.search")
	a.picker.SetSelected(a.chosen)
	a.hint = widget.NewLabel("")
	a.hint.Wrapping = fyne.TextWrapWord
	a.hint.Importance = widget.WarningImportance
	a.box = container.NewVBox(a.heading, a.picker, a.hint)
	a.info = widget.NewLabel("")
	a.info.Wrapping = fyne.TextWrapWord
	a.info.Importance = widget.WarningImportance
	return a.box
}

// activityChoices searches the activities by title, the latest first, or
// only the consultations.
func activityChoices(s *Shell, text string, consultations bool) []widgets.Option {
	st := s.store
	q := search.ParseQuery(text)
	q.Kind, q.Limit = data.KindActivity, 300
	if consultations {
		q.Filters = append(q.Filters, search.Facet{Name: search.FacetActivityKind, Value: "consultation"})
	}
	hits := st.Search(q).Hits
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	recs, err := st.Records(ids)
	if err != nil {
		fyne.LogError("searching the activities", err)
	}
	var acts []*data.Activity
	for _, r := range recs {
		if v, ok := r.(*data.Activity); ok && !v.Trashed() {
			acts = append(acts, v)
		}
	}
	sortActivities(acts, true)
	out := make([]widgets.Option, len(acts))
	for i, v := range acts {
		out[i] = activityChoice(v)
	}
	return out
}

// activityChoice is an activity as the picker shows it: date and title.
func activityChoice(v *data.Activity) widgets.Option {
	label := v.Title()
	if !v.Start.IsZero() {
		label = v.Start.Local() + "  " + label
	}
	return widgets.Option{Value: v.ID, Label: label}
}

// onActivityChosen checks the sheet again against the activity chosen.
func (x *exchangeScreen) onActivityChosen(o widgets.Option) {
	if x.filling {
		return
	}
	if x.result != nil { // imported: the activity stays the one written to
		x.acts.picker.SetSelected(x.acts.chosen)
		return
	}
	x.acts.chosen, x.acts.chosenKind = o, ""
	if o.Value != "" {
		if r, err := x.shell.store.Get(o.Value); err == nil {
			if v, ok := r.(*data.Activity); ok {
				x.acts.chosenKind = v.ActivityKind
			}
		}
	}
	if x.sheet != nil {
		x.prepare()
	}
}

// needActivityText is the line that asks for the activity, or "" when the
// sheet's kind has what it needs.
func (x *exchangeScreen) needActivityText() string {
	switch k := x.mapping.Kind; {
	case k == exchange.KindComment && (x.acts.chosen.Value == "" || x.acts.chosenKind != "consultation"):
		return x.shell.T("activityxui.need.consultation")
	case k == data.KindParticipation && x.acts.chosen.Value == "":
		return x.shell.T("activityxui.need.activity")
	}
	return ""
}

// prepareActivitySheet is prepare for activities, participants and
// comments: refused with a line under the preview while the activity a
// sheet belongs to is not chosen.
func (x *exchangeScreen) prepareActivitySheet() {
	s := x.shell
	k := x.mapping.Kind
	x.acts.plan, x.acts.lines = nil, nil
	if msg := x.needActivityText(); msg != "" {
		x.plan, x.result = nil, nil
		x.status = msg
		x.refresh()
		return
	}
	sh, st, id := x.sheet, s.store, x.acts.chosen.Value
	m := x.mapping
	m.Columns = append([]exchange.Column(nil), m.Columns...)
	opt := exchange.Options{Lang: s.lang, Region: s.region(), Duplicates: x.dups, Municipality: s.office.Municipality}
	var (
		base  *exchange.Plan
		full  activitySheetPlan
		lines []string
	)
	x.result = nil
	x.start(s.T("exchangeui.busy.check"), func(ctx context.Context, progress func(int, int)) error {
		opt.Progress = progress
		switch k {
		case data.KindActivity:
			p, err := exchange.PrepareActivities(ctx, st, sh, m, opt)
			if err != nil {
				return err
			}
			base, full = p, p
		case data.KindParticipation:
			p, err := exchange.PrepareParticipants(ctx, st, sh, m, id, opt)
			if err != nil {
				return err
			}
			base, full = p.Plan, p
			lines = x.participantLines(p)
		case exchange.KindComment:
			p, err := exchange.PrepareComments(ctx, st, sh, m, id, opt)
			if err != nil {
				return err
			}
			base, full = p.Plan, p
			lines = x.commentLines(p)
		}
		return nil
	}, func(err error) {
		if !x.finished("checking the rows", err) {
			x.plan = nil
			x.refresh()
			return
		}
		x.plan, x.acts.plan, x.acts.lines = base, full, lines
		x.status = x.previewStatus()
		x.refresh()
	})
}

// namesList is up to ten names and an ellipsis.
func namesList(names []string) string {
	if len(names) > 10 {
		names = append(names[:10:10], "…")
	}
	return strings.Join(names, ", ")
}

// participantLines say what a participants preview does besides its rows.
func (x *exchangeScreen) participantLines(p *exchange.ParticipantsPlan) []string {
	s := x.shell
	var out []string
	if p.SignIn {
		out = append(out, s.T("activityxui.info.sign_in"))
	}
	if n := len(p.NewPersons); n > 0 {
		names := make([]string, n)
		for i, per := range p.NewPersons {
			names[i] = per.Title()
		}
		out = append(out, s.T("activityxui.info.new_persons", "n", strconv.Itoa(n), "param", namesList(names)))
	}
	return out
}

// commentLines say which organisations a comments preview adds.
func (x *exchangeScreen) commentLines(p *exchange.CommentsPlan) []string {
	if n := len(p.NewOrganisations); n > 0 {
		names := make([]string, n)
		for i, o := range p.NewOrganisations {
			names[i] = o.Name
		}
		return []string{x.shell.T("activityxui.info.new_orgs", "n", strconv.Itoa(n), "param", namesList(names))}
	}
	return nil
}

// refreshActivityImport shows the activity chooser for the kinds that need
// one, the duplicates choice for the kinds it applies to, and the
// preview's extra lines.
func (x *exchangeScreen) refreshActivityImport() {
	s := x.shell
	a := &x.acts
	k := x.mapping.Kind
	if x.dupBox != nil {
		if needsActivity(k) {
			x.dupBox.Hide()
		} else {
			x.dupBox.Show()
		}
	}
	if !needsActivity(k) {
		a.box.Hide()
	} else {
		key := "activityxui.activity"
		if k == exchange.KindComment {
			key = "activityxui.consultation"
		}
		a.heading.SetText(s.T(key))
		a.picker.SetSelected(a.chosen)
		if msg := x.needActivityText(); msg != "" {
			a.hint.SetText(msg)
			a.hint.Show()
		} else {
			a.hint.Hide()
		}
		a.box.Show()
	}
	if x.plan == nil || len(a.lines) == 0 || !isActivitySheet(k) {
		a.info.Hide()
		return
	}
	a.info.SetText(strings.Join(a.lines, "\n"))
	a.info.Show()
}

// applier is the Apply of the plan on screen.
func (x *exchangeScreen) applier() func(ctx context.Context, st *store.Store, progress func(int, int)) (exchange.Result, error) {
	if x.acts.plan != nil && isActivitySheet(x.mapping.Kind) {
		return x.acts.plan.Apply
	}
	return x.plan.Apply
}

// showsUpdates says whether the preview counts updates whatever the
// duplicates choice: a participants sheet changes the status of those
// already on the activity.
func (x *exchangeScreen) showsUpdates() bool {
	return x.mapping.Kind == data.KindParticipation
}

// showActivityResult opens what an activities, participants or comments
// import wrote: the Activities list, or the activity's page. It says
// whether it did.
func (x *exchangeScreen) showActivityResult() bool {
	switch x.mapping.Kind {
	case data.KindActivity:
		x.shell.show("activities")
	case data.KindParticipation, exchange.KindComment:
		if x.acts.chosen.Value != "" {
			x.shell.openRecord(x.acts.chosen.Value)
		}
	default:
		return false
	}
	return true
}

// importParticipants opens the Import screen for a sign-in sheet (or any
// participants sheet) of the activity: the kind and the activity are
// chosen, and the file dialog opens.
func (s *Shell) importParticipants(activityID string) {
	s.confirmLeave(func() {
		x := exchangeStateOf(s)
		x.sheet, x.plan, x.result, x.raw, x.path, x.name = nil, nil, nil, nil, "", ""
		x.acts.plan, x.acts.lines = nil, nil
		x.mapping = exchange.Mapping{}
		x.acts.preset = data.KindParticipation
		x.acts.chosen, x.acts.chosenKind = widgets.Option{}, ""
		if r, err := s.store.Get(activityID); err == nil {
			if v, ok := r.(*data.Activity); ok {
				x.acts.chosen, x.acts.chosenKind = activityChoice(v), v.ActivityKind
			}
		}
		x.status = s.T("activityxui.preset", "name", x.acts.chosen.Label)
		s.showNow("exchange")
		if x.acts.chosen.Value != "" {
			x.onChoose()
		}
	}, s.restoreNav)
}

// exchangeStateOf is the window's Import screen state, made the first time.
func exchangeStateOf(s *Shell) *exchangeScreen {
	x := exchangeScreens[s]
	if x == nil {
		x = &exchangeScreen{shell: s, filter: previewAllRows, chosen: -1}
		x.jobRunner = jobRunner{shell: s, changed: x.refreshButtons}
		exchangeScreens[s] = x
	}
	return x
}

// Export of activities and participants.

// activityExportButton drops the menu of activity exports.
func (x *exchangeScreen) activityExportButton() *widget.Button {
	b := widget.NewButtonWithIcon(x.shell.T("activityxui.export"), theme.MenuDropDownIcon(), nil)
	b.IconPlacement = widget.ButtonIconTrailingText
	b.OnTapped = func() {
		s := x.shell
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(s.T("kind.activity.plural"), x.exportActivities),
			fyne.NewMenuItem(s.T("activityxui.export.participants"), x.onExportParticipants))
		widget.ShowPopUpMenuAtRelativePosition(menu, s.window.Canvas(), fyne.NewPos(0, b.Size().Height), b)
	}
	x.acts.exportBtn = b
	return b
}

// exportActivities saves every activity not in the trash to an .xlsx.
func (x *exchangeScreen) exportActivities() {
	s := x.shell
	st := s.store
	name := s.T("kind.activity.plural") + " " + timeNow().Format("2006-01-02") + ".xlsx"
	s.chooseXLSX("exporting the activities", name, func(w fyne.URIWriteCloser) {
		x.saveWith(w, func(ctx context.Context, w io.Writer) error {
			_, err := exchange.ExportActivities(ctx, w, st, search.Query{}, exchange.ExportOptions{Lang: s.lang})
			return err
		})
	})
}

// onExportParticipants asks which activity (none: every activity), then
// saves its participants.
func (x *exchangeScreen) onExportParticipants() {
	s := x.shell
	var picked widgets.Option
	picker := widgets.NewPicker(func(text string) []widgets.Option { return activityChoices(s, text, false) },
		func(o widgets.Option) { picked = o })
	picker.PlaceHolder = s.T("activityxui.export.all")
	picker.SearchPlaceHolder = s.T("ui.picker.search")
	picker.ClearText = s.T("activityxui.export.all")
	intro := widget.NewLabel(s.T("activityxui.export.intro"))
	intro.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem(s.T("activityxui.activity"), picker),
	}
	d := dialog.NewForm(s.T("activityxui.export.participants"), s.T("activityxui.export.do"), s.T("fyne.Cancel"), items, func(ok bool) {
		if ok {
			x.exportParticipants(picked.Value)
		}
	}, s.window)
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	d.Show()
}

// exportParticipants saves the participants of the activity (or, with id
// "", of every activity) to an .xlsx.
func (x *exchangeScreen) exportParticipants(id string) {
	s := x.shell
	st := s.store
	name := s.T("activityxui.export.file")
	if id != "" {
		if r, err := st.Get(id); err == nil {
			name += " – " + fileSafe(r.Title())
		}
	}
	name += " " + timeNow().Format("2006-01-02") + ".xlsx"
	s.chooseXLSX("exporting participants", name, func(w fyne.URIWriteCloser) {
		x.saveWith(w, func(ctx context.Context, w io.Writer) error {
			_, err := exchange.ExportParticipants(ctx, w, st, id, exchange.ExportOptions{Lang: s.lang})
			return err
		})
	})
}

// fileSafe leaves out of a title what a file name cannot hold.
func fileSafe(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return ' '
		}
		return r
	}, s))
}
