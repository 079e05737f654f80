package app

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/search"
	"registar/reports"
)

// The Publications screen: the clerk chooses the publication (pocket book,
// brochure, statistics report, blank form), its language, page size and
// booklet layout, and for the pocket book its title, foreword, kinds,
// countries and fields. Preview makes the PDF in memory off the UI
// goroutine, with a progress bar and Cancel, and shows it page by page
// (app/preview.go, drawn in the process: nothing to install). Save PDF
// writes the bytes previewed, or makes them first when the options have
// changed since.
//
// What is made and how is the reports package's business: the screen only
// turns its widgets into reports.Options.

// prefPubFolder is the folder the PDF was saved to last.
const prefPubFolder = "publications.folder"

// pubSaveFile shows the save dialog; tests replace it to answer as a user.
var pubSaveFile = func(s *Shell, name string, cb func(fyne.URIWriteCloser, error)) {
	saveFileDialog(s, name, []string{".pdf"}, prefPubFolder, cb)
}

// pubScreens keeps each window's choices and last PDF, so that they
// survive a visit to another screen and a change of language; the widgets
// are built anew each time the screen is shown.
var pubScreens = map[*Shell]*pubScreen{}

// pubChoices are the publications the screen makes: the registry's and
// the annual activities report (those of one activity are made from its
// page, activity_pubs.go).
var pubChoices = append(slices.Clone(reports.Publications), reports.AnnualActivities)

// pubKinds are the kinds a pocket book can list, in the order it lists them.
var pubKinds = []data.Kind{data.KindOrganisation, data.KindBusiness, data.KindPerson}

// pubScreen is the state of the Publications screen and its widgets.
type pubScreen struct {
	shell *Shell

	// What to make.
	pub        reports.Publication
	lang       i18n.Lang
	langChosen bool // the user chose lang; otherwise it follows the UI
	size       reports.Size
	booklet    reports.Binding
	fillable   bool // the form as a PDF form to fill in on a computer
	year       int  // the annual activities report's; 0 until a year has activities
	title      string
	foreword   string
	kinds      map[data.Kind]bool
	countries  []string // ISO codes; none means all
	fields     map[string]bool
	version    int // counts changes of the choices, to know a preview is stale

	// src is where records are read from; nil is the shell's store (tests
	// set a source of their own).
	src reports.Source

	// The job under way and the last PDF made.
	jobRunner // p.busy, p.bar, p.cancelBtn: the job making the PDF (jobs.go)
	result    *pubResult
	status    string // a sentence about the last job, when there is no result

	// Widgets, built by buildUI.
	pubSel        *widget.Select
	langSel       *widget.Select
	sizeRadio     *widget.RadioGroup
	bookletRadio  *widget.RadioGroup
	bookletHint   *widget.Label
	fillableCheck *widget.Check
	yearLabel     *widget.Label
	yearSel       *widget.Select
	years         []int // the years that have activities, latest first
	bookCard      *widget.Card
	titleRow      fyne.CanvasObject
	titleEntry    *widget.Entry
	bookRows      fyne.CanvasObject // what only the pocket book has
	forewordEntry *widget.Entry
	kindChecks    map[data.Kind]*widget.Check
	countriesText *widget.Label
	fieldChecks   map[string]*widget.Check
	previewBtn    *widget.Button
	saveBtn       *widget.Button
	working       *fyne.Container // the job's bar and Cancel
	info          *widget.Label
	pages         *fyne.Container // holds the preview
	viewer        *pdfViewer      // the preview's state (preview.go)
}

// pubResult is a PDF made and what it holds.
type pubResult struct {
	pdf     []byte
	info    reports.Info
	pub     reports.Publication
	lang    i18n.Lang
	booklet reports.Binding
	version int // the choices it was made with
	year    int // of the annual activities report
	// Left from the pdftoppm preview, never set: publications_test.go
	// still reads them (to go with its pdftoppm tests).
}

func publicationsView(s *Shell) fyne.CanvasObject {
	p := pubScreens[s]
	if p == nil {
		p = newPubScreen(s)
		pubScreens[s] = p
	}
	if !p.langChosen {
		p.lang = s.lang
	}
	warmUpPreview()
	return p.buildUI()
}

func newPubScreen(s *Shell) *pubScreen {
	p := &pubScreen{shell: s, pub: reports.PocketBook, lang: s.lang,
		kinds: map[data.Kind]bool{}, fields: map[string]bool{}}
	p.jobRunner = jobRunner{shell: s, changed: p.showState}
	p.size = p.pub.Sizes()[0]
	for _, k := range pubKinds {
		p.kinds[k] = true
	}
	for _, f := range reports.PocketBookFields {
		p.fields[f] = true
	}
	return p
}

func (p *pubScreen) buildUI() fyne.CanvasObject {
	s := p.shell
	pubNames := make([]string, len(pubChoices))
	for i, pub := range pubChoices {
		pubNames[i] = pub.Title(s.lang)
	}
	p.pubSel = widget.NewSelect(pubNames, nil)
	p.pubSel.SetSelectedIndex(slices.Index(pubChoices, p.pub))
	p.pubSel.OnChanged = func(string) { p.onPublicationChanged(pubChoices[p.pubSel.SelectedIndex()]) }
	p.yearLabel = widget.NewLabel(s.T("activitypubs.year"))
	p.yearSel = widget.NewSelect(nil, nil)
	p.fillYears()

	langNames := make([]string, len(i18n.All))
	for i, l := range i18n.All {
		langNames[i] = l.Name()
	}
	p.langSel = widget.NewSelect(langNames, nil)
	p.langSel.SetSelectedIndex(slices.Index(i18n.All, p.lang))
	p.langSel.OnChanged = func(string) { p.onLangChanged(i18n.All[p.langSel.SelectedIndex()]) }

	p.sizeRadio = widget.NewRadioGroup(nil, nil)
	p.sizeRadio.Horizontal = true
	p.sizeRadio.Required = true

	bindings := make([]string, len(reports.Bindings))
	for i, b := range reports.Bindings {
		bindings[i] = b.Title(s.lang)
	}
	p.bookletRadio = widget.NewRadioGroup(bindings, nil)
	p.bookletRadio.Required = true
	p.bookletRadio.SetSelected(p.booklet.Title(s.lang))
	p.bookletRadio.OnChanged = p.onBookletChanged
	p.bookletHint = widget.NewLabel("")
	p.bookletHint.Wrapping = fyne.TextWrapWord
	p.bookletHint.Importance = widget.LowImportance

	p.fillableCheck = widget.NewCheck(s.T("pdfform.gui.fillable"), p.onFillableChanged)
	p.fillableCheck.SetChecked(p.fillable)

	general := container.New(layout.NewFormLayout(),
		widget.NewLabel(s.T("pubui.publication")), p.pubSel,
		layout.NewSpacer(), p.fillableCheck,
		p.yearLabel, p.yearSel,
		widget.NewLabel(s.T("pubui.language")), p.langSel,
		widget.NewLabel(s.T("pubui.size")), p.sizeRadio,
		widget.NewLabel(s.T("pubui.booklet")), p.bookletRadio,
	)

	p.titleEntry = widget.NewEntry()
	p.titleEntry.SetText(p.title)
	p.titleEntry.OnChanged = func(v string) { p.title = v; p.changed() }
	p.titleRow = container.New(layout.NewFormLayout(), widget.NewLabel(s.T("pubui.title")), p.titleEntry)

	p.forewordEntry = widget.NewMultiLineEntry()
	p.forewordEntry.Wrapping = fyne.TextWrapWord
	p.forewordEntry.SetMinRowsVisible(5)
	p.forewordEntry.SetText(p.foreword)
	p.forewordEntry.OnChanged = func(v string) { p.foreword = v; p.changed() }
	forewordHint := widget.NewLabel(s.T("pubui.foreword.hint"))
	forewordHint.Wrapping = fyne.TextWrapWord
	forewordHint.Importance = widget.LowImportance

	p.kindChecks = map[data.Kind]*widget.Check{}
	kindBox := container.NewHBox()
	for _, k := range pubKinds {
		c := widget.NewCheck(s.T("screen."+kindScreen[k]), nil)
		c.SetChecked(p.kinds[k])
		c.OnChanged = func(on bool) { p.kinds[k] = on; p.changed() }
		p.kindChecks[k] = c
		kindBox.Add(c)
	}

	p.countriesText = widget.NewLabel("")
	p.countriesText.Truncation = fyne.TextTruncateEllipsis
	p.showCountries()
	chooseCountries := widget.NewButtonWithIcon(s.T("pubui.countries.choose"), theme.SearchIcon(), p.onChooseCountries)

	p.fieldChecks = map[string]*widget.Check{}
	fieldGrid := container.NewGridWithColumns(2)
	for _, f := range reports.PocketBookFields {
		c := widget.NewCheck(reports.FieldTitle(f, s.lang), nil)
		c.SetChecked(p.fields[f])
		c.OnChanged = func(on bool) { p.fields[f] = on; p.changed() }
		p.fieldChecks[f] = c
		fieldGrid.Add(c)
	}
	fieldsHint := widget.NewLabel(s.T("pubui.fields.hint"))
	fieldsHint.Wrapping = fyne.TextWrapWord
	fieldsHint.Importance = widget.LowImportance

	p.bookRows = container.NewVBox(
		container.New(layout.NewFormLayout(),
			widget.NewLabel(s.T("report.foreword")), p.forewordEntry,
			layout.NewSpacer(), forewordHint,
			widget.NewLabel(s.T("pubui.kinds")), kindBox,
			widget.NewLabel(s.T("pubui.countries")), container.NewBorder(nil, nil, nil, chooseCountries, p.countriesText),
			widget.NewLabel(s.T("pubui.fields")), fieldGrid,
			layout.NewSpacer(), fieldsHint,
		))
	p.bookCard = widget.NewCard(s.T("pubui.content"), "", container.NewVBox(p.titleRow, p.bookRows))

	title := widget.NewLabelWithStyle(s.T("screen.publications"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(s.T("pubui.intro"))
	intro.Wrapping = fyne.TextWrapWord
	options := container.NewVScroll(container.NewPadded(container.NewVBox(
		title, intro,
		widget.NewCard(s.T("pubui.layout"), "", container.NewVBox(general, p.bookletHint)),
		p.bookCard,
	)))

	p.previewBtn = widget.NewButtonWithIcon(s.T("pubui.preview"), theme.VisibilityIcon(), p.onPreview)
	p.previewBtn.Importance = widget.HighImportance
	p.saveBtn = widget.NewButtonWithIcon(s.T("pubui.save"), theme.DocumentSaveIcon(), p.onSave)
	p.working = p.progressView()
	p.info = widget.NewLabel("")
	p.info.Wrapping = fyne.TextWrapWord
	p.pages = container.NewStack()
	actions := container.NewBorder(nil, nil, container.NewHBox(p.previewBtn, p.saveBtn), nil, p.working)
	preview := container.NewBorder(container.NewVBox(actions, p.info), nil, nil, nil, p.pages)

	p.fillForPublication()
	p.showResult()
	return p.previewSplit(options, container.NewPadded(preview))
}

// fillForPublication shows the sizes of the publication and the options
// that apply to it.
func (p *pubScreen) fillForPublication() {
	s := p.shell
	sizes := p.pub.Sizes()
	names := make([]string, len(sizes))
	for i, sz := range sizes {
		names[i] = strings.ToUpper(string(sz))
	}
	p.sizeRadio.OnChanged = nil
	p.sizeRadio.Options = names
	p.sizeRadio.SetSelected(strings.ToUpper(string(p.size)))
	p.sizeRadio.OnChanged = p.onSizeChanged
	p.sizeRadio.Refresh()

	hint := s.T("pubui.booklet.hint")
	if p.booklet != reports.NoBooklet && p.size == reports.A6 {
		hint += " " + s.T("pubui.booklet.a6")
	}
	p.bookletHint.SetText(hint)

	if p.pub == reports.Form {
		p.fillableCheck.Show()
	} else {
		p.fillableCheck.Hide()
	}
	if p.pub == reports.AnnualActivities {
		p.yearLabel.Show()
		p.yearSel.Show()
	} else {
		p.yearLabel.Hide()
		p.yearSel.Hide()
	}
	if p.isFillable() { // a form to fill in on a computer is not imposed
		p.bookletRadio.Disable()
		p.bookletHint.SetText(s.T("pdfform.gui.fillable.hint"))
	} else {
		p.bookletRadio.Enable()
	}

	book := p.pub == reports.PocketBook
	if book || p.pub == reports.Brochure {
		p.bookCard.Show()
	} else {
		p.bookCard.Hide()
	}
	if book {
		p.bookRows.Show()
	} else {
		p.bookRows.Hide()
	}
	p.showPlaceHolders()
}

// showPlaceHolders shows, in the publication's language, what is printed
// when the title or the foreword is left empty.
func (p *pubScreen) showPlaceHolders() {
	key := "report.pocketbook.title"
	if p.pub == reports.Brochure {
		key = "report.brochure.title"
	}
	p.titleEntry.SetPlaceHolder(i18n.T(p.lang, key))
	p.forewordEntry.SetPlaceHolder(i18n.T(p.lang, "report.foreword.default"))
}

func (p *pubScreen) onPublicationChanged(pub reports.Publication) {
	p.pub = pub
	if !slices.Contains(pub.Sizes(), p.size) {
		p.size = pub.Sizes()[0]
	}
	p.fillForPublication()
	p.changed()
}

// isFillable reports whether the fillable PDF form is chosen.
func (p *pubScreen) isFillable() bool { return p.pub == reports.Form && p.fillable }

func (p *pubScreen) onFillableChanged(on bool) {
	p.fillable = on
	p.fillForPublication()
	p.changed()
}

func (p *pubScreen) onLangChanged(l i18n.Lang) {
	p.lang = l
	p.langChosen = true
	p.showPlaceHolders()
	p.changed()
}

func (p *pubScreen) onSizeChanged(name string) {
	if sz, err := reports.ParseSize(name); err == nil {
		p.size = sz
	}
	p.fillForPublication()
	p.changed()
}

func (p *pubScreen) onBookletChanged(title string) {
	for _, b := range reports.Bindings {
		if b.Title(p.shell.lang) == title {
			p.booklet = b
		}
	}
	p.fillForPublication()
	p.changed()
}

// changed notes that the choices differ from those of the PDF shown.
func (p *pubScreen) changed() {
	p.version++
	p.showState()
}

// options are the choices as the reports package takes them.
func (p *pubScreen) options() reports.Options {
	opt := reports.Options{Lang: p.lang, Size: p.size, Booklet: p.booklet,
		Office: p.shell.office, Now: timeNow()}
	if p.pub == reports.PocketBook || p.pub == reports.Brochure {
		opt.Title = strings.TrimSpace(p.title)
	}
	if p.isFillable() {
		opt.Booklet = reports.NoBooklet
	}
	if p.pub == reports.AnnualActivities {
		opt.Year = p.year
	}
	if p.pub != reports.PocketBook {
		return opt
	}
	opt.Foreword = strings.TrimSpace(p.foreword)
	for _, k := range pubKinds {
		if p.kinds[k] {
			opt.Kinds = append(opt.Kinds, k)
		}
	}
	opt.Countries = slices.Clone(p.countries)
	all := true
	fields := []string{}
	for _, f := range reports.PocketBookFields {
		if p.fields[f] {
			fields = append(fields, f)
		} else {
			all = false
		}
	}
	if !all { // every field ticked is the default, which keeps persons' addresses out
		opt.Fields = fields
	}
	return opt
}

// source is where the records come from.
func (p *pubScreen) source() reports.Source {
	if p.src != nil {
		return p.src
	}
	return p.shell.store
}

// ready says whether the choices can be made into a PDF, and if not why.
func (p *pubScreen) ready() (bool, string) {
	if p.pub == reports.PocketBook && !slices.ContainsFunc(pubKinds, func(k data.Kind) bool { return p.kinds[k] }) {
		return false, p.shell.T("pubui.nokinds")
	}
	if p.pub == reports.AnnualActivities && p.year == 0 {
		return false, p.shell.T("activitypubs.noyears")
	}
	return true, ""
}

func (p *pubScreen) onPreview() { p.generate(nil) }

// onSave saves the PDF previewed, or makes it first if the choices have
// changed since.
func (p *pubScreen) onSave() {
	if r := p.result; r != nil && r.version == p.version {
		p.saveAs(r)
		return
	}
	p.generate(p.saveAs)
}

// generate makes the PDF off the UI goroutine with the progress bar, shows
// it in the preview and hands the result to then (if any).
func (p *pubScreen) generate(then func(*pubResult)) {
	if p.busy {
		return
	}
	if ok, _ := p.ready(); !ok {
		return
	}
	s := p.shell
	p.status = ""
	pub, opt, src, version, fillable := p.pub, p.options(), p.source(), p.version, p.isFillable()
	var r *pubResult
	p.start("", func(ctx context.Context, progress func(int, int)) error {
		opt.Progress = progress
		var buf bytes.Buffer
		var info reports.Info
		var err error
		if fillable {
			info, err = reports.FillableForm(&buf, opt)
		} else {
			info, err = reports.Generate(ctx, &buf, pub, src, opt)
		}
		if err != nil {
			return err
		}
		r = &pubResult{pdf: buf.Bytes(), info: info, pub: pub, lang: opt.Lang, booklet: opt.Booklet, version: version, year: opt.Year}
		return nil
	}, func(err error) {
		switch p.outcome("making a publication", err, nil) {
		case jobCancelled:
			p.status = s.T("pubui.cancelled")
		case jobDone:
			p.result = r
		}
		if err != nil {
			p.result = nil
		}
		p.showResult()
		if err == nil && then != nil {
			then(r)
		}
	})
}

// showResult shows the last PDF's pages, or why there are none.
func (p *pubScreen) showResult() {
	p.pages.Objects = []fyne.CanvasObject{p.previewOf(p.result)}
	p.pages.Refresh()
	p.showState()
}

// emptyPreview is the preview area with an icon and a sentence.
func (p *pubScreen) emptyPreview(icon fyne.Resource, msg string) fyne.CanvasObject {
	label := widget.NewLabelWithStyle(msg, fyne.TextAlignCenter, fyne.TextStyle{})
	label.Wrapping = fyne.TextWrapWord
	return container.NewVBox(layout.NewSpacer(), container.NewCenter(widget.NewIcon(icon)), label, layout.NewSpacer())
}

// showState shows the buttons, the bar and the line about the PDF as the
// job and the choices stand.
func (p *pubScreen) showState() {
	if p.info == nil {
		return
	}
	s := p.shell
	ok, why := p.ready()
	if p.busy {
		p.working.Show()
		p.previewBtn.Disable()
		p.saveBtn.Disable()
		p.info.SetText(s.T("pubui.working"))
		return
	}
	p.working.Hide()
	if ok {
		p.previewBtn.Enable()
		p.saveBtn.Enable()
	} else {
		p.previewBtn.Disable()
		p.saveBtn.Disable()
	}
	var parts []string
	if r := p.result; r != nil {
		parts = append(parts, s.T("pubui.info.pages", "n", strconv.Itoa(r.info.Pages)))
		if r.info.Sheets > 0 {
			parts = append(parts, s.T("pubui.info.sheets", "n", strconv.Itoa((r.info.Sheets+1)/2)))
		}
		if r.pub == reports.PocketBook {
			parts = append(parts, s.T("pubui.info.entries", "n", strconv.Itoa(r.info.Entries)))
		}
	}
	text := strings.Join(parts, " · ")
	for _, extra := range []string{p.status, why} {
		if extra != "" {
			text = strings.TrimSpace(text + "\n" + extra)
		}
	}
	if r := p.result; ok && r != nil && r.version != p.version {
		text += "\n" + s.T("pubui.stale")
	}
	p.info.SetText(text)
}

// saveAs asks where to save the PDF and writes it there.
func (p *pubScreen) saveAs(r *pubResult) {
	s := p.shell
	name := pubFileName(r)
	s.saveAs(func(cb func(fyne.URIWriteCloser, error)) { pubSaveFile(s, name, cb) },
		"saving a publication", prefPubFolder, ".pdf", nil, nil, func(w fyne.URIWriteCloser) {
			_, err := w.Write(r.pdf)
			if err = closeWritten(w, err); err != nil {
				s.showError("saving a publication", err)
				return
			}
			p.status = s.T("pubui.saved", "file", w.URI().Name())
			p.showState()
		})
}

// pubFileName is the name the save dialog proposes: the publication's
// title in its language.
func pubFileName(r *pubResult) string {
	name := r.pub.Title(r.lang)
	if r.pub == reports.AnnualActivities && r.year > 0 {
		name += " " + strconv.Itoa(r.year)
	}
	if r.booklet != reports.NoBooklet {
		name += " (" + strings.ToLower(i18n.T(r.lang, "pubui.file.booklet")) + ")"
	}
	return name + ".pdf"
}

// showCountries sums up the countries chosen.
func (p *pubScreen) showCountries() {
	s := p.shell
	if len(p.countries) == 0 {
		p.countriesText.SetText(s.T("pubui.countries.all"))
		return
	}
	names := make([]string, len(p.countries))
	for i, c := range p.countries {
		names[i] = data.CountryName(c, s.lang)
	}
	p.countriesText.SetText(strings.Join(names, ", "))
}

// onChooseCountries opens the list of countries, those of the registry
// first with their number of records, to tick the ones to print; none
// ticked means every country.
func (p *pubScreen) onChooseCountries() {
	s := p.shell
	type option struct{ code, label, key string }
	counts := map[string]int{}
	if s.store != nil {
		counts = s.store.Index().FacetCounts(search.Query{}, search.FacetCountry)
	}
	var with, without []option
	for _, c := range data.Countries(s.lang) {
		o := option{code: c.Code, label: c.Name, key: fold.Key(c.Name)}
		if n := counts[c.Code]; n > 0 {
			o.label = c.Name + " (" + strconv.Itoa(n) + ")"
			with = append(with, o)
		} else {
			without = append(without, o)
		}
	}
	all := append(with, without...)
	chosen := map[string]bool{}
	for _, c := range p.countries {
		chosen[c] = true
	}
	shown := all
	summary := widget.NewLabel("")
	sum := func() {
		n := 0
		for _, on := range chosen {
			if on {
				n++
			}
		}
		if n == 0 {
			summary.SetText(s.T("pubui.countries.all"))
		} else {
			summary.SetText(s.T("pubui.countries.count", "n", strconv.Itoa(n)))
		}
	}
	list := widget.NewList(
		func() int { return len(shown) },
		func() fyne.CanvasObject { return widget.NewCheck("Bosna i Hercegovina (1000)", nil) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c, opt := o.(*widget.Check), shown[i]
			c.OnChanged = nil
			c.Text = opt.label
			c.SetChecked(chosen[opt.code])
			c.Refresh()
			c.OnChanged = func(on bool) { chosen[opt.code] = on; sum() }
		})
	find := widget.NewEntry()
	find.SetPlaceHolder(s.T("pubui.countries.search"))
	find.OnChanged = func(text string) {
		key := fold.Key(text)
		shown = all
		if key != "" {
			shown = nil
			for _, o := range all {
				if strings.Contains(o.key, key) || strings.EqualFold(o.code, text) {
					shown = append(shown, o)
				}
			}
		}
		list.Refresh()
		list.ScrollToTop()
	}
	allBtn := widget.NewButton(s.T("pubui.countries.all"), func() {
		clear(chosen)
		sum()
		list.Refresh()
	})
	sum()
	content := container.NewBorder(find, container.NewBorder(nil, nil, nil, allBtn, summary), nil, nil, list)
	d := dialog.NewCustomConfirm(s.T("pubui.countries.title"), s.T("fyne.OK"), s.T("fyne.Cancel"), content, func(ok bool) {
		if !ok {
			return
		}
		p.countries = nil
		for _, o := range all {
			if chosen[o.code] {
				p.countries = append(p.countries, o.code)
			}
		}
		p.showCountries()
		p.changed()
	}, s.window)
	size := s.window.Canvas().Size()
	d.Resize(fyne.NewSize(min(520, size.Width*0.9), size.Height*0.8))
	d.Show()
	s.window.Canvas().Focus(find)
}

// fillYears lists the years that have activities in the year picker, the
// latest first; the year chosen stays if it still has activities, else the
// current year's or the latest is chosen.
func (p *pubScreen) fillYears() {
	p.years = nil
	if st := p.shell.store; st != nil {
		counts := st.Index().FacetCounts(search.Query{Kind: data.KindActivity}, search.FacetYear)
		for y, n := range counts {
			if v, err := strconv.Atoi(y); err == nil && n > 0 && v > 0 {
				p.years = append(p.years, v)
			}
		}
	}
	slices.Sort(p.years)
	slices.Reverse(p.years)
	if !slices.Contains(p.years, p.year) {
		p.year = 0
		if now := timeNow().Year(); slices.Contains(p.years, now) {
			p.year = now
		} else if len(p.years) > 0 {
			p.year = p.years[0]
		}
	}
	names := make([]string, len(p.years))
	for i, y := range p.years {
		names[i] = strconv.Itoa(y)
	}
	p.yearSel.OnChanged = nil
	p.yearSel.Options = names
	p.yearSel.PlaceHolder = "—"
	if p.year > 0 {
		p.yearSel.SetSelectedIndex(slices.Index(p.years, p.year))
	} else {
		p.yearSel.ClearSelected()
	}
	p.yearSel.OnChanged = func(string) {
		if i := p.yearSel.SelectedIndex(); i >= 0 && p.years[i] != p.year {
			p.year = p.years[i]
			p.changed()
		}
	}
	p.yearSel.Refresh()
}
