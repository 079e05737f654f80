package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/i18n"
	"registar/data/outreach"
	"registar/reports"
	"registar/widgets"
)

// The Outreach screen reaches the people who consented to be contacted:
// an audience (a search of one kind, a saved audience, or an activity's
// participants by status), a line that counts who will be reached and who
// is left out and why, and the outputs in tabs: the addresses for a BCC
// field in chunks, vCard and spreadsheet files, address labels, letters and
// e-mail from the office's account (outreach_send.go), and the log of what
// was sent (outreach_log.go). Who is reached is data/outreach's business:
// the screen only turns its widgets into an outreach.Audience and an output.
//
// The screen's choices outlive its widgets (a visit to another screen, a
// change of language), like the Publications screen's.

// The audience's sources, in the order the radio lists them.
const (
	sourceSearch = iota
	sourceSaved
	sourceActivity
)

// The output tabs, in order.
const (
	outEmails = iota
	outFiles
	outLabels
	outLetters
	outMail
	outLog
)

// countDelay is the wait after a keystroke in the audience's search before
// it is counted, as in the lists (searchDelay).
const countDelay = searchDelay

// outreachKinds are the kinds an audience's search can be of.
var outreachKinds = []data.Kind{data.KindPerson, data.KindBusiness, data.KindOrganisation}

// outreachStatuses are the participation statuses an activity's audience
// picks from.
var outreachStatuses = []string{"invited", "registered", "attended", "excused", "absent"}

// prefOutreachFolder is the folder the screen's files were saved to last.
const prefOutreachFolder = "outreach.folder"

// outreachSaveFile shows the save dialog; tests replace it to answer as a user.
var outreachSaveFile = func(s *Shell, name string, exts []string, cb func(fyne.URIWriteCloser, error)) {
	saveFileDialog(s, name, exts, prefOutreachFolder, cb)
}

// outreachScreens keeps each window's screen state.
var outreachScreens = map[*Shell]*outreachScreen{}

// outreachScreen is the state of the Outreach screen and its widgets.
type outreachScreen struct {
	shell *Shell
	jobs  *jobRunner

	// The choices, kept across rebuilds.
	source   int
	kind     data.Kind
	query    string
	saved    string // the saved audience chosen, by name
	activity widgets.Option
	statuses map[string]bool
	tab      int

	chunkSize string
	chunks    [][]string // the e-mail chunks made last

	labelFormat int
	skip        string
	letter      string // "" until edited: the default letter in the UI language
	signature   string
	place       string
	a5          bool

	subject, body string
	html          bool
	attachment    string // a file's path, or ""

	// The counts, off the UI goroutine.
	gen     uint64
	timer   *time.Timer
	counts  outreach.Counts
	counted bool

	// Widgets, built by buildUI.
	sourceRadio *widget.RadioGroup
	sourceBox   *fyne.Container
	kindSel     *widget.Select
	search      *keyEntry
	savedSel    *widget.Select
	savedList   []outreach.Audience
	picker      *widgets.Picker
	checks      map[string]*widget.Check
	countsLabel *widget.Label
	zeroLabel   *widget.Label
	tabs        *container.AppTabs

	chunkEntry *keyEntry
	chunksBox  *fyne.Container

	formatSel    *widget.Select
	skipEntry    *keyEntry
	letterEntry  *keyEntry
	letterErr    *widget.Label
	sigEntry     *keyEntry
	placeEntry   *keyEntry
	a5Check      *widget.Check
	labelsStatus *widget.Label
	lettersStat  *widget.Label

	subjectEntry *keyEntry
	bodyEntry    *keyEntry
	mailErr      *widget.Label
	htmlCheck    *widget.Check
	attachLabel  *widget.Label
	accountBox   *fyne.Container
	sendBtn      *widget.Button

	logRows  []*data.Communication
	logTable *widget.Table
	filesMsg *widget.Label
	actions  []*widget.Button // disabled while a job runs
}

// outreachShown is the screen last built (tests).
var outreachShown *outreachScreen

func outreachView(s *Shell) fyne.CanvasObject {
	o := outreachScreens[s]
	if o == nil {
		o = &outreachScreen{shell: s, kind: data.KindPerson, statuses: map[string]bool{}, chunkSize: "50",
			skip: "0", tab: outEmails}
		o.jobs = &jobRunner{shell: s, changed: o.onJobChanged}
		outreachScreens[s] = o
	}
	outreachShown = o
	return o.buildUI()
}

// openOutreach shows the Outreach screen with a search of a kind as the
// audience (a list's "Reach these…").
func (s *Shell) openOutreach(k data.Kind, query string) {
	s.confirmLeave(func() {
		o := outreachScreens[s]
		if o == nil {
			outreachView(s) // makes the state
			o = outreachScreens[s]
		}
		o.source, o.kind, o.query = sourceSearch, k, query
		s.showNow("outreach")
	}, nil)
}

func (o *outreachScreen) buildUI() fyne.CanvasObject {
	s := o.shell
	o.actions = nil
	title := widget.NewLabelWithStyle(s.T("screen.outreach"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	sources := []string{s.T("outreachui.source.search"), s.T("outreachui.source.saved"), s.T("outreachui.source.activity")}
	o.sourceRadio = widget.NewRadioGroup(sources, nil)
	o.sourceRadio.Horizontal = true
	o.sourceRadio.Required = true
	o.sourceRadio.SetSelected(sources[o.source])
	o.sourceRadio.OnChanged = func(v string) {
		for i, t := range sources {
			if t == v {
				o.source = i
			}
		}
		o.showSource()
		o.recount()
	}

	// Search: a kind and the list's search syntax.
	kinds := make([]string, len(outreachKinds))
	for i, k := range outreachKinds {
		kinds[i] = s.T("kind." + string(k) + ".plural")
	}
	o.kindSel = widget.NewSelect(kinds, nil)
	o.kindSel.SetSelectedIndex(max(slices.Index(outreachKinds, o.kind), 0))
	o.search = newKeyEntry()
	o.search.SetPlaceHolder(s.T("outreachui.search.placeholder"))
	o.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	o.search.SetText(o.query)
	o.search.OnChanged = func(v string) { o.query = v; o.recount() }
	saveAs := widget.NewButtonWithIcon(s.T("outreachui.saved.save"), theme.DocumentSaveIcon(), o.onSaveAudience)

	// Saved audiences.
	o.savedSel = widget.NewSelect(nil, nil)
	o.savedSel.PlaceHolder = s.T("outreachui.saved.choose")
	o.loadSaved()
	del := widget.NewButtonWithIcon(s.T("outreachui.saved.delete"), theme.DeleteIcon(), o.onDeleteAudience)

	// An activity and statuses.
	o.picker = widgets.NewPicker(s.activityOptions(), func(op widgets.Option) { o.activity = op; o.recount() })
	o.picker.PlaceHolder = s.T("outreachui.activity.choose")
	o.picker.SearchPlaceHolder = s.T("ui.picker.search")
	if o.activity.Value != "" {
		o.picker.SetSelected(o.activity)
	}
	o.checks = map[string]*widget.Check{}
	checks := container.NewHBox()
	for _, st := range outreachStatuses {
		c := widget.NewCheck(data.ValueLabel(data.GroupParticipation, st, s.lang), nil)
		c.SetChecked(o.statuses[st])
		c.OnChanged = func(on bool) { o.statuses[st] = on; o.recount() }
		o.checks[st] = c
		checks.Add(c)
	}

	kindBox := container.NewGridWrap(fyne.NewSize(selectWidth(kinds), o.kindSel.MinSize().Height), o.kindSel)
	searchRow := container.NewBorder(nil, nil, kindBox, saveAs, o.search)
	savedRow := container.NewBorder(nil, nil, nil, del, o.savedSel)
	actRow := container.NewVBox(container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon(s.T("outreachui.saved.save"),
		theme.DocumentSaveIcon(), o.onSaveAudience), o.picker), checks)
	o.sourceBox = container.NewStack(searchRow, savedRow, actRow)
	o.kindSel.OnChanged = func(string) {
		if i := o.kindSel.SelectedIndex(); i >= 0 {
			o.kind = outreachKinds[i]
		}
		o.recount()
	}

	o.countsLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	o.countsLabel.Wrapping = fyne.TextWrapWord
	o.zeroLabel = errorLine()
	audience := widget.NewCard("", "", container.NewVBox(o.sourceRadio, o.sourceBox, o.countsLabel, o.zeroLabel))

	o.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(s.T("outreachui.tab.emails"), theme.MailComposeIcon(), o.emailsTab()),
		container.NewTabItemWithIcon(s.T("outreachui.tab.files"), theme.DocumentSaveIcon(), o.filesTab()),
		container.NewTabItemWithIcon(s.T("outreachui.tab.labels"), theme.GridIcon(), o.labelsTab()),
		container.NewTabItemWithIcon(s.T("outreachui.tab.letters"), theme.DocumentIcon(), o.lettersTab()),
		container.NewTabItemWithIcon(s.T("outreachui.tab.mail"), theme.MailSendIcon(), o.mailTab()),
		container.NewTabItemWithIcon(s.T("outreachui.tab.log"), theme.HistoryIcon(), o.logTab()),
	)
	o.tabs.SelectIndex(o.tab)
	o.tabs.OnSelected = func(*container.TabItem) {
		old := o.need()
		o.tab = o.tabs.SelectedIndex()
		if o.tab == outLog {
			o.loadLog()
		}
		if o.need() != old {
			o.recount()
		}
	}

	top := container.NewVBox(title, audience)
	progress := o.jobs.progressView()
	o.showSource()
	o.recount()
	o.onJobChanged()
	return container.NewBorder(container.NewPadded(top), container.NewPadded(progress), nil, nil, o.tabs)
}

// showSource shows the row of the audience's source.
func (o *outreachScreen) showSource() {
	for i, row := range o.sourceBox.Objects {
		if i == o.source {
			row.Show()
		} else {
			row.Hide()
		}
	}
	o.sourceBox.Refresh()
}

// loadSaved reads the saved audiences into their select.
func (o *outreachScreen) loadSaved() {
	list, err := outreach.SavedAudiences(o.shell.store)
	if err != nil {
		fyne.LogError("reading the saved audiences", err)
	}
	o.savedList = list
	names := make([]string, len(list))
	found := false
	for i, a := range list {
		names[i] = a.Name
		found = found || a.Name == o.saved
	}
	o.savedSel.OnChanged = nil
	o.savedSel.SetOptions(names)
	if found {
		o.savedSel.SetSelected(o.saved)
	} else {
		o.saved = ""
		o.savedSel.ClearSelected()
	}
	o.savedSel.OnChanged = func(v string) { o.saved = v; o.recount() }
}

// audience is the audience the widgets choose; ok is false while a saved
// audience or an activity is still to be chosen.
func (o *outreachScreen) audience() (outreach.Audience, bool) {
	switch o.source {
	case sourceSaved:
		for _, a := range o.savedList {
			if a.Name == o.saved {
				return a, true
			}
		}
		return outreach.Audience{}, false
	case sourceActivity:
		if o.activity.Value == "" {
			return outreach.Audience{}, false
		}
		a := outreach.Audience{ActivityID: o.activity.Value}
		for _, st := range outreachStatuses {
			if o.statuses[st] {
				a.Statuses = append(a.Statuses, st)
			}
		}
		return a, true
	}
	return outreach.Audience{Kind: o.kind, Query: strings.TrimSpace(o.query)}, true
}

// need is what the output shown needs of a contact.
func (o *outreachScreen) need() outreach.Need { return needOf(o.tab) }

func needOf(tab int) outreach.Need {
	switch tab {
	case outEmails, outMail:
		return outreach.NeedEmail
	case outLabels, outLetters:
		return outreach.NeedPostal
	}
	return outreach.NeedAny
}

// recount counts the audience off the UI goroutine, after the typing delay;
// a newer request supersedes the older ones (an older count arriving late
// is dropped).
func (o *outreachScreen) recount() {
	if o.countsLabel == nil {
		return
	}
	o.gen++
	gen := o.gen
	if o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
	a, ok := o.audience()
	if !ok {
		o.counted = false
		o.showCounts(outreach.Counts{}, nil, false)
		return
	}
	need, st := o.need(), o.shell.store
	if o.shell.inline {
		c, err := outreach.Count(st, a, need)
		o.showCounts(c, err, true)
		return
	}
	o.timer = time.AfterFunc(countDelay, func() {
		c, err := outreach.Count(st, a, need)
		fyne.Do(func() {
			if gen == o.gen {
				o.showCounts(c, err, true)
			}
		})
	})
}

// showCounts says how many will be reached and who is left out and why.
func (o *outreachScreen) showCounts(c outreach.Counts, err error, chosen bool) {
	s := o.shell
	o.zeroLabel.Hide()
	switch {
	case err != nil:
		fyne.LogError("counting the audience", err)
		o.countsLabel.SetText(s.errorText(err))
		return
	case !chosen && o.source == sourceSaved:
		o.countsLabel.SetText(s.T("outreachui.counts.choosesaved"))
		return
	case !chosen:
		o.countsLabel.SetText(s.T("outreachui.counts.chooseactivity"))
		return
	}
	o.counts, o.counted = c, true
	o.countsLabel.SetText(countsText(s.lang, c))
	if c.Reached == 0 {
		key := "outreachui.counts.zero"
		if c.Matched == 0 {
			key = "outreachui.counts.nomatch"
		}
		o.zeroLabel.SetText(s.T(key))
		o.zeroLabel.Show()
	}
}

// countsText is the counts line: "1,234 will be reached · 41 without
// consent to contact · 12 without an e-mail address · 3 undeliverable".
func countsText(l i18n.Lang, c outreach.Counts) string {
	part := func(key string, n int) string {
		return i18n.T(l, key+"."+pluralForm(l, n), "n", i18n.FormatInt(n, l))
	}
	parts := []string{part("outreachui.counts.reached", c.Reached)}
	for _, p := range []struct {
		key string
		n   int
	}{
		{"outreachui.counts.noconsent", c.NoConsent},
		{"outreachui.counts.noemail", c.NoEmail},
		{"outreachui.counts.undeliverable", c.Undeliverable},
		{"outreachui.counts.noaddress", c.NoAddress},
	} {
		if p.n > 0 {
			parts = append(parts, part(p.key, p.n))
		}
	}
	return strings.Join(parts, " · ")
}

// onSaveAudience asks a name and saves the audience chosen under it.
func (o *outreachScreen) onSaveAudience() {
	s := o.shell
	a, ok := o.audience()
	if !ok {
		dialog.ShowInformation(s.T("outreachui.saved.save"), s.T("outreachui.counts.chooseactivity"), s.window)
		return
	}
	name := newKeyEntry()
	name.SetPlaceHolder(s.T("outreachui.saved.name.placeholder"))
	items := []*widget.FormItem{widget.NewFormItem(s.T("outreachui.saved.name"), name)}
	d := dialog.NewForm(s.T("outreachui.saved.save"), s.T("fyne.Save"), s.T("fyne.Cancel"), items, func(ok bool) {
		n := strings.TrimSpace(name.Text)
		if !ok || n == "" {
			return
		}
		a.Name = n
		if err := outreach.SaveAudience(s.store, a); err != nil {
			s.showError("saving an audience", err)
			return
		}
		o.saved = n
		o.loadSaved()
	}, s.window)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	if outreachNameAsked != nil {
		outreachNameAsked(name, d)
	}
}

// outreachNameAsked, when set (tests), is told of the name dialog shown.
var outreachNameAsked func(name *keyEntry, d *dialog.FormDialog)

func (o *outreachScreen) onDeleteAudience() {
	s := o.shell
	if o.saved == "" {
		return
	}
	name := o.saved
	dialog.ShowConfirm(s.T("outreachui.saved.delete"), s.T("outreachui.saved.delete.confirm", "name", name), func(ok bool) {
		if !ok {
			return
		}
		if err := outreach.DeleteAudience(s.store, name); err != nil {
			s.showError("deleting an audience", err)
			return
		}
		o.loadSaved()
		o.recount()
	}, s.window)
}

// onJobChanged disables the screen's actions while a job runs.
func (o *outreachScreen) onJobChanged() {
	for _, b := range o.actions {
		if o.jobs.busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if o.sendBtn != nil && !o.jobs.busy {
		setEnabled(o.sendBtn, hasSMTP(o.shell))
	}
}

// action is a button of the screen that starts a job.
func (o *outreachScreen) action(text string, icon fyne.Resource, f func()) *widget.Button {
	b := widget.NewButtonWithIcon(text, icon, f)
	o.actions = append(o.actions, b)
	return b
}

// resolve reads the audience's contacts for the need, as part of a job.
func (o *outreachScreen) resolve(need outreach.Need) (func() ([]outreach.Contact, outreach.Counts, error), outreach.Audience, bool) {
	a, ok := o.audience()
	st := o.shell.store
	return func() ([]outreach.Contact, outreach.Counts, error) { return outreach.Resolve(st, a, need) }, a, ok
}

// errNobody is what a job returns for an audience of nobody.
var errNobody = errors.New("nobody to reach")

// jobError shows a job's error: nobody reached in a sentence, the rest
// through the shell.
func (o *outreachScreen) jobError(what string, err error) {
	s := o.shell
	if errors.Is(err, errNobody) {
		dialog.ShowInformation(s.T("screen.outreach"), s.T("outreachui.counts.zero"), s.window)
		return
	}
	s.showError(what, err)
}

// E-mail addresses in chunks for the BCC field.

// chunkSeparator joins the addresses of a chunk: the separator every mail
// program takes in its address fields.
const chunkSeparator = ", "

func (o *outreachScreen) emailsTab() fyne.CanvasObject {
	s := o.shell
	o.chunkEntry = newKeyEntry()
	o.chunkEntry.SetText(o.chunkSize)
	o.chunkEntry.OnChanged = func(v string) { o.chunkSize = v }
	o.chunkEntry.OnSubmitted = func(string) { o.onMakeChunks() }
	makeBtn := o.action(s.T("outreachui.emails.make"), theme.ViewRefreshIcon(), o.onMakeChunks)
	makeBtn.Importance = widget.HighImportance
	intro := widget.NewLabel(s.T("outreachui.emails.intro"))
	intro.Wrapping = fyne.TextWrapWord
	o.chunksBox = container.NewVBox()
	o.showChunks()
	row := container.NewHBox(widget.NewLabel(s.T("outreachui.emails.size")),
		container.NewGridWrap(fyne.NewSize(90, o.chunkEntry.MinSize().Height), o.chunkEntry), makeBtn)
	return container.NewBorder(container.NewVBox(intro, row), nil, nil, nil, container.NewVScroll(o.chunksBox))
}

// onMakeChunks reads the audience's addresses and shows them in chunks.
func (o *outreachScreen) onMakeChunks() {
	s := o.shell
	size, err := strconv.Atoi(strings.TrimSpace(o.chunkSize))
	if err != nil || size < 1 {
		dialog.ShowInformation(s.T("outreachui.tab.emails"), s.T("outreachui.emails.size.invalid"), s.window)
		return
	}
	resolve, _, ok := o.resolve(outreach.NeedEmail)
	if !ok {
		return
	}
	var chunks [][]string
	o.jobs.start(s.T("outreachui.reading"), func(ctx context.Context, progress func(int, int)) error {
		cs, _, err := resolve()
		if err != nil {
			return err
		}
		chunks = outreach.EmailChunks(cs, size)
		return nil
	}, func(err error) {
		if o.jobs.outcome("making the e-mail chunks", err, o.jobError) != jobDone {
			return
		}
		o.chunks = chunks
		o.showChunks()
	})
}

// showChunks shows the chunks made, each numbered in a box with Copy.
func (o *outreachScreen) showChunks() {
	s := o.shell
	o.chunksBox.RemoveAll()
	if o.chunks == nil {
		return
	}
	if len(o.chunks) == 0 {
		o.chunksBox.Add(widget.NewLabel(s.T("outreachui.counts.zero")))
	}
	for i, chunk := range o.chunks {
		text := strings.Join(chunk, chunkSeparator)
		box := widget.NewLabel(text)
		box.Wrapping = fyne.TextWrapWord
		box.Selectable = true
		copyBtn := widget.NewButtonWithIcon(s.T("outreachui.emails.copy"), theme.ContentCopyIcon(), func() {
			s.app.Clipboard().SetContent(text)
		})
		head := container.NewBorder(nil, nil,
			widget.NewLabelWithStyle(s.T("outreachui.emails.chunk", "n", strconv.Itoa(i+1),
				"count", strconv.Itoa(len(chunk))), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			copyBtn)
		o.chunksBox.Add(widget.NewCard("", "", container.NewVBox(head, box)))
	}
}

// vCard, Excel, CSV: the contacts written to a file. These are no sends:
// nothing is recorded.

// contactFormat is one of the files the Files tab writes.
type contactFormat struct {
	key   string // outreachui.files.<key>
	ext   string
	write func(w io.Writer, cs []outreach.Contact, l i18n.Lang) error
}

var contactFormats = []contactFormat{
	{"vcf", ".vcf", func(w io.Writer, cs []outreach.Contact, _ i18n.Lang) error { return outreach.WriteVCards(w, cs) }},
	{"xlsx", ".xlsx", outreach.WriteXLSX},
	{"csv", ".csv", outreach.WriteCSV},
}

func (o *outreachScreen) filesTab() fyne.CanvasObject {
	s := o.shell
	intro := widget.NewLabel(s.T("outreachui.files.intro"))
	intro.Wrapping = fyne.TextWrapWord
	row := container.NewHBox()
	for _, f := range contactFormats {
		row.Add(o.action(s.T("outreachui.files."+f.key), theme.DocumentSaveIcon(), func() { o.onSaveContacts(f) }))
	}
	o.filesMsg = widget.NewLabel("")
	o.filesMsg.Wrapping = fyne.TextWrapWord
	return container.NewVBox(intro, row, o.filesMsg)
}

// fileName is the name a save dialog proposes: the audience's description
// and the date.
func (o *outreachScreen) fileName(a outreach.Audience, ext string) string {
	s := o.shell
	name := strings.TrimSpace(a.Describe(s.store, s.lang))
	if name == "" {
		name = s.T("screen.outreach")
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, name)
	if len([]rune(name)) > 60 {
		name = string([]rune(name)[:60])
	}
	return strings.TrimSpace(name) + " " + timeNow().Format("2006-01-02") + ext
}

// onSaveContacts asks where to save the file, then writes the audience's
// contacts there as a job.
func (o *outreachScreen) onSaveContacts(f contactFormat) {
	s := o.shell
	resolve, a, ok := o.resolve(outreach.NeedAny)
	if !ok {
		return
	}
	lang := s.lang
	s.saveAs(func(cb func(fyne.URIWriteCloser, error)) {
		outreachSaveFile(s, o.fileName(a, f.ext), []string{f.ext}, cb)
	},
		"saving contacts", prefOutreachFolder, f.ext, nil, nil, func(w fyne.URIWriteCloser) {
			n := 0
			o.jobs.start(s.T("outreachui.writing"), func(ctx context.Context, progress func(int, int)) error {
				cs, _, err := resolve()
				if err == nil && len(cs) == 0 {
					err = errNobody
				}
				if err == nil {
					n = len(cs)
					err = f.write(ctxWriter{ctx, w}, cs, lang)
				}
				return closeWritten(w, err)
			}, func(err error) {
				if o.jobs.outcome("saving contacts", err, o.jobError) == jobDone {
					o.filesMsg.SetText(s.T("outreachui.files.done", "n", i18n.FormatInt(n, s.lang), "file", w.URI().Name()))
				}
			})
		})
}

// The preview of a PDF made on this screen: the viewer of the Publications
// screen in a large dialog, with Save.

// showPDF previews pdf in a dialog titled title; save (if any) is offered.
func (o *outreachScreen) showPDF(title string, pdf []byte, save func()) {
	s := o.shell
	warmUpPreview()
	v := &pdfViewer{shell: s}
	view := v.show(pdf)
	v.wideBtn.Hide()
	var d dialog.Dialog
	closeBtn := widget.NewButtonWithIcon(s.T("keys.dismiss"), theme.CancelIcon(), func() { d.Hide() })
	bar := container.NewBorder(nil, nil, nil, closeBtn)
	if save != nil {
		saveBtn := widget.NewButtonWithIcon(s.T("outreachui.save"), theme.DocumentSaveIcon(), func() { d.Hide(); save() })
		saveBtn.Importance = widget.HighImportance
		bar = container.NewBorder(nil, nil, saveBtn, closeBtn)
	}
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(bar, nil, nil, nil, view), s.window)
	size := s.window.Canvas().Size()
	d.Resize(fyne.NewSize(size.Width*0.92, size.Height*0.92))
	d.SetOnClosed(func() {
		v.gen++
		if v.doc != nil {
			go v.doc.Close()
			v.doc = nil
		}
	})
	d.Show()
}

// The list's "Reach these…": the list's search and filters as an audience.

// reachButton is the list's button that opens Outreach with its search.
func (l *listScreen) reachButton() fyne.CanvasObject {
	return l.forPeople(widget.NewButtonWithIcon(l.shell.T("outreachui.reach"), theme.MailSendIcon(), l.onReach))
}

func (l *listScreen) onReach() { l.shell.openOutreach(l.kind, l.queryText()) }

// queryText is the list's search and filters in the search syntax
// ("petrovic country:DE city:\"Bad Ischl\"").
func (l *listScreen) queryText() string {
	parts := []string{strings.TrimSpace(l.search.Text)}
	add := func(name, v string) {
		if v == "" {
			return
		}
		if strings.ContainsAny(v, " \t\"") {
			v = strconv.Quote(v)
		}
		parts = append(parts, name+":"+v)
	}
	for _, f := range l.filters {
		add(f.facet, f.value())
	}
	for _, f := range l.extra {
		add(f.Name, f.Value)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// loadSMTP reads the office's mail account from the registry; ok is false
// when none is set.
func loadSMTP(s *Shell) (outreach.SMTPSettings, bool) {
	var set outreach.SMTPSettings
	if s.store == nil {
		return set, false
	}
	b, err := s.store.Setting(outreach.SMTPSetting)
	if err != nil || len(b) == 0 {
		return set, false
	}
	if err := json.Unmarshal(b, &set); err != nil {
		fyne.LogError("reading the e-mail account", err)
		return set, false
	}
	return set, set.Host != "" && set.From != ""
}

// hasSMTP reports whether the office's mail account is set.
func hasSMTP(s *Shell) bool { _, ok := loadSMTP(s); return ok }

// Labels and letters: PDFs made by reports, previewed in the app's viewer
// and saved; a saved run is recorded as printed.

// labelFormatNames describe the label sheets, in reports' order
// ("3×7 · 70×42.3 mm").
func labelFormatNames() []string {
	names := make([]string, len(reports.LabelFormats))
	for i, f := range reports.LabelFormats {
		names[i] = fmt.Sprintf("%d×%d · %s×%s mm", f.Cols, f.Rows, mm(f.Width), mm(f.Height))
	}
	return names
}

// selectWidth is the width of a select that shows its longest option whole
// (a Select is as narrow as its placeholder otherwise).
func selectWidth(options []string) float32 {
	w := float32(0)
	for _, o := range options {
		w = max(w, fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	return w + 5*theme.Padding() + theme.IconInlineSize()
}

// mm writes a length without trailing zeros: 70, 42.3, 99.1.
func mm(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// previewLetters is how many letters the preview makes.
const previewLetters = 5

func (o *outreachScreen) labelsTab() fyne.CanvasObject {
	s := o.shell
	texts := labelFormatNames()
	o.formatSel = widget.NewSelect(texts, func(string) { o.labelFormat = max(o.formatSel.SelectedIndex(), 0) })
	o.formatSel.SetSelectedIndex(min(o.labelFormat, len(texts)-1))
	o.skipEntry = newKeyEntry()
	o.skipEntry.SetText(o.skip)
	o.skipEntry.OnChanged = func(v string) { o.skip = v }
	form := widget.NewForm(
		widget.NewFormItem(s.T("outreachui.labels.format"), container.NewGridWrap(fyne.NewSize(selectWidth(texts), o.formatSel.MinSize().Height), o.formatSel)),
		widget.NewFormItem(s.T("outreachui.labels.skip"), container.NewGridWrap(fyne.NewSize(90, o.skipEntry.MinSize().Height), o.skipEntry)),
	)
	preview := o.action(s.T("outreachui.preview"), theme.VisibilityIcon(), func() { o.onLabels(false) })
	save := o.action(s.T("outreachui.save"), theme.DocumentSaveIcon(), func() { o.onLabels(true) })
	save.Importance = widget.HighImportance
	o.labelsStatus = widget.NewLabel("")
	o.labelsStatus.Wrapping = fyne.TextWrapWord
	intro := widget.NewLabel(s.T("outreachui.labels.intro"))
	intro.Wrapping = fyne.TextWrapWord
	return container.NewVBox(intro, container.NewHBox(form), container.NewHBox(preview, save), o.labelsStatus)
}

// labelSkip is the number of labels already used on the first sheet.
func (o *outreachScreen) labelSkip() (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(o.skip))
	if strings.TrimSpace(o.skip) == "" {
		return 0, true
	}
	return n, err == nil && n >= 0
}

// onLabels makes the labels as a job and previews them, or asks where to
// save them first and records the run once written.
func (o *outreachScreen) onLabels(save bool) {
	s := o.shell
	skip, ok := o.labelSkip()
	if !ok {
		o.labelsStatus.SetText(s.T("outreachui.labels.skip.invalid"))
		return
	}
	resolve, a, ok := o.resolve(outreach.NeedPostal)
	if !ok {
		return
	}
	format, from, lang, st := o.labelFormat, s.region(), s.lang, s.store
	describe := a.Describe(st, lang)
	mk := func(ctx context.Context, w io.Writer) ([]outreach.Contact, error) {
		cs, _, err := resolve()
		if err == nil && len(cs) == 0 {
			err = errNobody
		}
		if err != nil {
			return nil, err
		}
		lines := make([][]string, len(cs))
		for i, c := range cs {
			lines[i] = outreach.AddressLines(c, from, lang)
		}
		return cs, reports.Labels(ctxWriter{ctx, w}, lines, reports.LabelOptions{Format: reports.LabelFormats[format], Skip: skip, Lang: lang})
	}
	record := func(cs []outreach.Contact) error {
		_, err := outreach.Record(st, outreach.Run{Channel: "labels", Audience: describe, Deliveries: outreach.Printed(cs)})
		return err
	}
	o.runPDF(save, s.T("outreachui.tab.labels"), o.fileName(a, ".pdf"), o.labelsStatus, mk, record)
}

// runPDF makes a PDF with mk as a job: previewed (with Save), or written
// to a file chosen first and then recorded; record gets the contacts of a
// PDF written whole.
func (o *outreachScreen) runPDF(save bool, title, name string, status *widget.Label,
	mk func(ctx context.Context, w io.Writer) ([]outreach.Contact, error), record func([]outreach.Contact) error) {
	s := o.shell
	if !save {
		var buf bytes.Buffer
		o.jobs.start(s.T("outreachui.making"), func(ctx context.Context, _ func(int, int)) error {
			_, err := mk(ctx, &buf)
			return err
		}, func(err error) {
			if o.jobs.outcome("making a PDF", err, o.jobError) == jobDone {
				o.showPDF(title, buf.Bytes(), func() { o.runPDF(true, title, name, status, mk, record) })
			}
		})
		return
	}
	s.saveAs(func(cb func(fyne.URIWriteCloser, error)) { outreachSaveFile(s, name, []string{".pdf"}, cb) },
		"saving a PDF", prefOutreachFolder, ".pdf", nil, nil, func(w fyne.URIWriteCloser) {
			n := 0
			o.jobs.start(s.T("outreachui.making"), func(ctx context.Context, _ func(int, int)) error {
				cs, err := mk(ctx, w)
				if err = closeWritten(w, err); err != nil {
					return err
				}
				n = len(cs)
				return record(cs) // written whole: now they count as printed
			}, func(err error) {
				if o.jobs.outcome("saving a PDF", err, o.jobError) == jobDone {
					status.SetText(s.T("outreachui.pdf.saved", "n", i18n.FormatInt(n, s.lang), "file", w.URI().Name()))
				}
			})
		})
}

func (o *outreachScreen) lettersTab() fyne.CanvasObject {
	s := o.shell
	o.letterEntry = newKeyMultiLineEntry()
	if o.letter == "" {
		o.letter = s.T("outreachui.letter.default")
	}
	o.letterEntry.SetText(o.letter)
	o.letterEntry.SetMinRowsVisible(8)
	o.letterErr = errorLine()
	o.letterEntry.OnChanged = func(v string) { o.letter = v; o.letterErr.Hide() }
	o.sigEntry = newKeyMultiLineEntry()
	o.sigEntry.SetMinRowsVisible(3)
	o.sigEntry.SetPlaceHolder(s.T("outreachui.letters.signature.placeholder"))
	o.sigEntry.SetText(o.signature)
	o.sigEntry.OnChanged = func(v string) { o.signature = v }
	o.placeEntry = newKeyEntry()
	if o.place == "" {
		o.place = s.office.Municipality
	}
	o.placeEntry.SetText(o.place)
	o.placeEntry.OnChanged = func(v string) { o.place = v }
	o.a5Check = widget.NewCheck(s.T("outreachui.letters.a5"), func(on bool) { o.a5 = on })
	o.a5Check.SetChecked(o.a5)
	preview := o.action(s.T("outreachui.preview"), theme.VisibilityIcon(), func() { o.onLetters(false) })
	save := o.action(s.T("outreachui.save"), theme.DocumentSaveIcon(), func() { o.onLetters(true) })
	save.Importance = widget.HighImportance
	o.lettersStat = widget.NewLabel("")
	o.lettersStat.Wrapping = fyne.TextWrapWord

	side := widget.NewForm(
		widget.NewFormItem(s.T("outreachui.letters.signature"), o.sigEntry),
		widget.NewFormItem(s.T("outreachui.letters.place"), o.placeEntry),
		widget.NewFormItem("", o.a5Check),
	)
	editor := container.NewBorder(
		widget.NewLabelWithStyle(s.T("outreachui.letters.template"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		o.letterErr, nil, fieldButtons(s, func() *keyEntry { return o.letterEntry }), o.letterEntry)
	right := container.NewVBox(side, container.NewHBox(preview, save), o.lettersStat)
	split := container.NewHSplit(editor, container.NewVScroll(right))
	split.SetOffset(0.62)
	return split
}

// errorLine is a red line under a field, hidden until it says something.
func errorLine() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showErrorLine says err in line.
func (o *outreachScreen) showErrorLine(line *widget.Label, err error) {
	line.SetText(o.shell.errorText(err))
	line.Show()
}

// fieldButtons are the template's fields, a column of buttons beside the
// editor, each inserting its field at the cursor of the entry target gives
// (the one last focused).
func fieldButtons(s *Shell, target func() *keyEntry) fyne.CanvasObject {
	box := container.NewVBox()
	for _, f := range outreach.Fields {
		b := widget.NewButton("{"+f+"}", func() {
			e := target()
			insertAtCursor(e, "{"+f+"}")
			s.window.Canvas().Focus(e)
		})
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		box.Add(b)
	}
	head := widget.NewLabelWithStyle(s.T("outreachui.fields"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	head.Wrapping = fyne.TextWrapWord
	return container.NewBorder(head, nil, nil, nil, container.NewVScroll(box))
}

// insertAtCursor types text where the entry's cursor is.
func insertAtCursor(e *keyEntry, text string) {
	lines := strings.Split(e.Text, "\n")
	row := min(max(e.CursorRow, 0), len(lines)-1)
	line := []rune(lines[row])
	col := min(max(e.CursorColumn, 0), len(line))
	lines[row] = string(line[:col]) + text + string(line[col:])
	e.SetText(strings.Join(lines, "\n"))
	e.CursorRow, e.CursorColumn = row, col+len([]rune(text))
	e.Refresh()
}

// signatureLines are the signature's lines without empty ones at the ends.
func signatureLines(text string) []string {
	var out []string
	for l := range strings.SplitSeq(strings.TrimSpace(text), "\n") {
		out = append(out, strings.TrimRight(l, " \t\r"))
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// subjectOf is what the log names a letter run by: the template's first
// line without fields, else its first line.
func subjectOf(text string) string {
	first := ""
	for l := range strings.SplitSeq(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if first == "" {
			first = l
		}
		if !strings.Contains(l, "{") {
			return l
		}
	}
	return first
}

// onLetters checks the template, then makes the letters as a job: the
// first few previewed, or every letter saved and recorded.
func (o *outreachScreen) onLetters(save bool) {
	s := o.shell
	tpl, err := outreach.ParseTemplate(o.letter)
	if err != nil {
		o.showErrorLine(o.letterErr, err)
		return
	}
	o.letterErr.Hide()
	resolve, a, ok := o.resolve(outreach.NeedPostal)
	if !ok {
		return
	}
	st, lang, from := s.store, s.lang, s.region()
	describe, subject := a.Describe(st, lang), subjectOf(o.letter)
	tctx := outreach.Context{Office: s.office, OfficeLang: lang, Date: data.DateOf(timeNow())}
	opt := reports.LetterOptions{Office: s.office, Place: strings.TrimSpace(o.place), Date: tctx.Date,
		Signature: signatureLines(o.signature), PaperA5: o.a5}
	mk := func(limit int) func(ctx context.Context, w io.Writer) ([]outreach.Contact, error) {
		return func(ctx context.Context, w io.Writer) ([]outreach.Contact, error) {
			cs, _, err := resolve()
			if err == nil && len(cs) == 0 {
				err = errNobody
			}
			if err != nil {
				return nil, err
			}
			if limit > 0 && len(cs) > limit {
				cs = cs[:limit]
			}
			letters := make([]reports.Letter, len(cs))
			for i, c := range cs {
				l := tpl.LangFor(c, tctx)
				// the country line in the office's language: the post of the sending country reads it
				letters[i] = reports.Letter{Lang: l, Recipient: outreach.AddressLines(c, from, lang), Body: tpl.Render(c, tctx)}
			}
			return cs, reports.Letters(ctxWriter{ctx, w}, letters, opt)
		}
	}
	record := func(cs []outreach.Contact) error {
		_, err := outreach.Record(st, outreach.Run{Channel: "letter", Subject: subject, Audience: describe, Deliveries: outreach.Printed(cs)})
		return err
	}
	title := s.T("outreachui.tab.letters")
	name := o.fileName(a, ".pdf")
	if save {
		o.runPDF(true, title, name, o.lettersStat, mk(0), record)
		return
	}
	// The preview shows the first letters; its Save makes them all.
	var buf bytes.Buffer
	o.jobs.start(s.T("outreachui.making"), func(ctx context.Context, _ func(int, int)) error {
		_, err := mk(previewLetters)(ctx, &buf)
		return err
	}, func(err error) {
		if o.jobs.outcome("making letters", err, o.jobError) == jobDone {
			o.showPDF(title, buf.Bytes(), func() { o.runPDF(true, title, name, o.lettersStat, mk(0), record) })
		}
	})
}
