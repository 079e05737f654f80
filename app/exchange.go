package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
	"registar/data/store"
)

// The Import and export screen. A spreadsheet is read, its columns are
// matched to fields (the user maps the ones nobody recognised), every row is
// checked against the registry, and the preview says what each row will do
// and why a row is rejected, before anything is written. Import writes the
// plan as one journaled step with a progress bar and Cancel; the step can be
// undone at once, or later with "Undo last import". Blank templates for
// volunteers are saved from here; each list exports itself (onExport).
//
// Everything slow (reading, checking, writing, saving) runs off the UI
// goroutine; its progress is carried by a progressFeed the bar reads.
//
// REGISTAR_IMPORT_FILE=/path/to/sheet.xlsx (or a folder of ODK instances)
// preloads it into the screen the first time it is shown, as if chosen in the file dialog: for
// screenshots and demonstrations without a file dialog to drive.
const envImportFile = "REGISTAR_IMPORT_FILE"

// prefExchangeFolder is the folder the file dialogs of this screen last used.
const prefExchangeFolder = "exchange.folder"

// exchangeScreens keeps each window's import screen, so that the sheet, the
// mapping and the preview survive a visit to a list or a record and a
// change of language; the widgets are built anew each time it is shown.
var exchangeScreens = map[*Shell]*exchangeScreen{}

// importPreloaded makes REGISTAR_IMPORT_FILE act once per run.
var importPreloaded bool

// previewAllRows is the preview filter that shows every row, rejected ones first.
const previewAllRows = -1

// exchangeScreen is the state of the Import and export screen and its
// widgets.
type exchangeScreen struct {
	shell *Shell

	// What is loaded.
	raw     []byte // the file as read, to read another of its sheets
	path    string // or the file or folder it was read from (exchange.OpenSource)
	name    string // the file's name
	sheet   *exchange.Sheet
	mapping exchange.Mapping // Kind "" while the kind is not known
	unknown []int            // columns nobody recognised when the sheet was read
	dups    exchange.Duplicates
	newLocs exchange.NewLocalities
	plan    *exchange.Plan
	rows    []int // indices into plan.Rows, in the order the table shows them
	filter  int   // previewAllRows or an exchange.Action
	chosen  int   // index into plan.Rows of the row whose detail is shown, or -1
	result  *exchange.Result
	written time.Time // when result was written
	status  string

	// The job under way, if any, and its bar (x.progress, x.cancelBtn, …).
	jobRunner
	canUndoLast bool // an import is still in effect: "Undo last import" is enabled

	// Activities, participants and comments (exchange_activities.go).
	acts activityImport

	// Widgets, built by buildUI.
	filling     bool // the screen is setting its own widgets: ignore their callbacks
	ui          fyne.CanvasObject
	body        *fyne.Container
	intro       fyne.CanvasObject
	work        fyne.CanvasObject
	chooseBtn   *widget.Button
	folderBtn   *widget.Button
	templateBtn *widget.Button
	undoLastBtn *widget.Button
	fileLabel   *widget.Label
	sheetSel    *widget.Select
	sheetBox    *fyne.Container // the sheet chooser and its label
	kindSel     *widget.Select
	kindHint    *widget.Label
	dupBox      *fyne.Container // the duplicates choice and its heading
	dupRadio    *widget.RadioGroup
	newLocBox   *fyne.Container // the new-localities choice, for persons
	newLocRadio *widget.RadioGroup
	newLocList  *widget.Label // the new local communities the preview found
	originLabel *widget.Label // what a source of submissions is (Kobo, ODK, PDF)
	missing     *widget.Label
	mapBox      *fyne.Container
	mapSelects  map[int]*widget.Select
	fieldLabels map[string]string // field name → label, for the mapping
	banner      *fyne.Container
	bannerText  *widget.Label
	undoBtn     *widget.Button
	counts      map[string]*widget.Label
	countBoxes  map[string]fyne.CanvasObject
	countGrid   *fyne.Container
	filterSel   *widget.Select
	filters     []int // the filter of each option of filterSel
	table       *widget.Table
	detail      *widget.Label
	openBtn     *widget.Button
	statusLabel *widget.Label
	rejectsBtn  *widget.Button
	importBtn   *widget.Button
}

// previewCountKeys are the preview's numbers in the order shown; their captions
// are exchange.count.<key>.
var previewCountKeys = []string{"rows", "added", "updated", "unchanged", "duplicates", "rejected"}

func previewCount(c exchange.Counts, key string) int {
	switch key {
	case "rows":
		return c.Rows
	case "added":
		return c.Added
	case "updated":
		return c.Updated
	case "unchanged":
		return c.Unchanged
	case "duplicates":
		return c.Duplicates
	}
	return c.Rejected
}

// previewActionKeys name the actions in the catalogue (exchangeui.action.<key>).
var previewActionKeys = map[exchange.Action]string{
	exchange.Add:       "add",
	exchange.Change:    "update",
	exchange.Unchanged: "unchanged",
	exchange.Duplicate: "duplicate",
	exchange.Reject:    "reject",
}

func exchangeView(s *Shell) fyne.CanvasObject {
	x := exchangeStateOf(s)
	x.checkUndoLast()
	x.ui = x.buildUI()
	x.refresh()
	if !importPreloaded {
		importPreloaded = true
		if path := os.Getenv(envImportFile); path != "" {
			x.preload(path)
		}
	}
	if x.plan != nil && !x.busy && x.result == nil && x.plan.Options.Lang != s.lang {
		x.prepare() // the reasons are in the language of the screen
	}
	return x.ui
}

// preload reads a file or folder named by REGISTAR_IMPORT_FILE.
func (x *exchangeScreen) preload(path string) {
	if _, err := os.Stat(path); err != nil {
		x.shell.showError("preloading "+path, err)
		return
	}
	x.loadPath(path)
}

func (x *exchangeScreen) buildUI() fyne.CanvasObject {
	s := x.shell
	title := widget.NewLabelWithStyle(s.T("screen.exchange"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	x.templateBtn = widget.NewButtonWithIcon(s.T("exchangeui.template"), theme.MenuDropDownIcon(), x.onTemplateMenu)
	x.templateBtn.IconPlacement = widget.ButtonIconTrailingText
	x.undoLastBtn = widget.NewButtonWithIcon(s.T("exchangeui.undolast"), theme.ContentUndoIcon(), x.onUndoLast)
	head := container.NewBorder(nil, nil, title, container.NewHBox(x.templateBtn, x.activityExportButton(), newODKButton(s), x.undoLastBtn))

	x.chooseBtn = widget.NewButtonWithIcon(s.T("exchangeui.choose"), theme.FileIcon(), x.onChoose)
	x.chooseBtn.Importance = widget.HighImportance
	x.folderBtn = widget.NewButtonWithIcon(s.T("exchangeui.choosefolder"), theme.FolderOpenIcon(), x.onChooseFolder)
	x.fileLabel = widget.NewLabel("")
	x.fileLabel.Truncation = fyne.TextTruncateEllipsis
	x.sheetSel = widget.NewSelect(nil, x.onSheetChanged)
	x.sheetBox = container.NewHBox(widget.NewLabel(s.T("exchangeui.sheet")), x.sheetSel)
	fileRow := container.NewBorder(nil, nil, container.NewHBox(x.chooseBtn, x.folderBtn), x.sheetBox, x.fileLabel)

	x.intro = x.introUI()
	x.work = x.workUI()
	x.body = container.NewStack(x.intro, x.work)

	x.statusLabel = widget.NewLabel("")
	x.statusLabel.Truncation = fyne.TextTruncateEllipsis
	x.progressView()
	x.rejectsBtn = widget.NewButtonWithIcon(s.T("exchangeui.rejects"), theme.DocumentSaveIcon(), x.onSaveRejects)
	x.importBtn = widget.NewButtonWithIcon(s.T("exchangeui.import", "n", "0"), theme.UploadIcon(), x.onImport)
	x.importBtn.Importance = widget.HighImportance
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(x.rejectsBtn, x.importBtn),
		container.NewStack(x.statusLabel, x.progress))

	top := container.NewVBox(head, fileRow)
	return container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, nil,
		container.NewPadded(x.body))
}

// introUI is what the screen shows before a file is chosen.
func (x *exchangeScreen) introUI() fyne.CanvasObject {
	s := x.shell
	card := func(key string) fyne.CanvasObject {
		text := widget.NewLabel(s.T("exchangeui.intro." + key + ".text"))
		text.Wrapping = fyne.TextWrapWord
		return widget.NewCard(s.T("exchangeui.intro."+key+".title"), "", text)
	}
	return container.NewVScroll(container.NewVBox(card("import"), card("field"), card("template"), card("export"),
		newInvalidPhonesCard(s)))
}

// workUI is the mapping on the left, the preview on the right.
func (x *exchangeScreen) workUI() fyne.CanvasObject {
	s := x.shell
	heading := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(s.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	x.kindSel = widget.NewSelect(x.kindOptions(), x.onKindChanged)
	x.kindSel.PlaceHolder = s.T("ui.picker.choose")
	x.kindHint = widget.NewLabel(s.T("exchangeui.kind.choose"))
	x.kindHint.Wrapping = fyne.TextWrapWord
	x.kindHint.Importance = widget.WarningImportance
	x.dupRadio = widget.NewRadioGroup([]string{s.T("exchangeui.dups.skip"), s.T("exchangeui.dups.update")}, x.onDuplicatesChanged)
	x.dupRadio.Required = true
	x.dupBox = container.NewVBox(heading("exchangeui.dups"), x.dupRadio)
	x.newLocRadio = widget.NewRadioGroup([]string{"", s.T("exchangeui.newloc.reject")}, x.onNewLocalitiesChanged)
	x.newLocRadio.Required = true
	x.newLocBox = container.NewVBox(heading("exchangeui.newloc"), x.newLocRadio)
	x.missing = widget.NewLabel("")
	x.missing.Wrapping = fyne.TextWrapWord
	x.missing.Importance = widget.WarningImportance
	x.mapBox = container.NewVBox()
	x.buildMapping()
	left := container.NewVScroll(container.NewVBox(
		heading("exchangeui.kind"), x.kindSel, x.kindHint,
		x.activityImportUI(),
		x.dupBox,
		x.newLocBox,
		widget.NewSeparator(),
		x.missing, x.mapBox))

	x.bannerText = widget.NewLabel("")
	x.bannerText.Wrapping = fyne.TextWrapWord
	x.bannerText.Importance = widget.SuccessImportance
	x.undoBtn = widget.NewButtonWithIcon(s.T("exchangeui.undo"), theme.ContentUndoIcon(), x.onUndo)
	showList := widget.NewButtonWithIcon(s.T("exchangeui.showlist"), theme.ListIcon(), x.onShowList)
	x.banner = container.NewBorder(nil, nil, widget.NewIcon(theme.ConfirmIcon()), container.NewHBox(x.undoBtn, showList), x.bannerText)

	x.counts = map[string]*widget.Label{}
	x.countBoxes = map[string]fyne.CanvasObject{}
	x.countGrid = container.NewGridWithColumns(len(previewCountKeys))
	for _, k := range previewCountKeys {
		n := widget.NewLabelWithStyle("0", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		n.SizeName = theme.SizeNameSubHeadingText
		c := widget.NewLabel(s.T("exchange.count." + k))
		c.Wrapping = fyne.TextWrapWord
		c.SizeName = theme.SizeNameCaptionText
		box := container.NewVBox(n, c)
		x.counts[k], x.countBoxes[k] = n, box
		x.countGrid.Add(box)
	}
	x.originLabel = widget.NewLabel("")
	x.originLabel.Wrapping = fyne.TextWrapWord
	x.newLocList = widget.NewLabel("")
	x.newLocList.Wrapping = fyne.TextWrapWord
	x.newLocList.Importance = widget.WarningImportance
	x.filterSel = widget.NewSelect(nil, x.onFilterChanged)
	filterRow := container.NewBorder(nil, nil, widget.NewLabel(s.T("exchangeui.show")), nil, x.filterSel)

	x.table = x.previewTable()
	x.detail = widget.NewLabel("")
	x.detail.Wrapping = fyne.TextWrapWord
	x.openBtn = widget.NewButtonWithIcon(s.T("exchangeui.open"), theme.NavigateNextIcon(), x.onOpenRecord)
	detail := container.NewBorder(nil, nil, nil, x.openBtn, x.detail)

	right := container.NewBorder(container.NewVBox(x.banner, x.originLabel, x.countGrid, x.newLocList, x.acts.info, filterRow), detail, nil, nil,
		container.New(&lastColumnLayout{table: x.table, col: 3, rest: previewWidths[0] + previewWidths[1] + previewWidths[2]}, x.table))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.3)
	return split
}

// previewWidths are the widths of the preview's row, action and name
// columns, and the least width of its reasons.
var previewWidths = [4]float32{76, 120, 190, 240}

// previewTable lists the rows of the plan: row number, action, name and
// reasons; it is virtualised, so a 20,000-row sheet scrolls as a short one.
func (x *exchangeScreen) previewTable() *widget.Table {
	s := x.shell
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(x.rows), 4 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if x.plan == nil || id.Row >= len(x.rows) {
				l.SetText("")
				return
			}
			r := x.plan.Rows[x.rows[id.Row]]
			l.Importance = widget.MediumImportance
			switch id.Col {
			case 0:
				l.SetText(strconv.Itoa(r.Row))
			case 1:
				l.Importance = actionImportance(r.Action)
				l.SetText(s.T("exchangeui.action." + previewActionKeys[r.Action]))
			case 2:
				l.SetText(r.Title)
			default:
				l.SetText(strings.Join(append(slices.Clip(r.Reasons), r.Notes...), " "))
			}
		})
	t.ShowHeaderColumn = false
	headers := []string{s.T("exchangeui.col.row"), s.T("exchangeui.col.action"), s.T("ui.col.name"), s.T("exchange.rejects.reasons")}
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(headers) {
			o.(*widget.Label).SetText(headers[id.Col])
		}
	}
	for i, w := range previewWidths {
		t.SetColumnWidth(i, w)
	}
	t.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(x.rows) {
			x.chosen = x.rows[id.Row]
			x.showDetail()
		}
	}
	return t
}

func actionImportance(a exchange.Action) widget.Importance {
	switch a {
	case exchange.Add:
		return widget.SuccessImportance
	case exchange.Change:
		return widget.HighImportance
	case exchange.Duplicate:
		return widget.WarningImportance
	case exchange.Reject:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// lastColumnLayout gives a table's last column the width the others leave,
// so the reasons use the room there is and scroll only when there is none.
type lastColumnLayout struct {
	table *widget.Table
	col   int
	rest  float32 // width of the other columns
	width float32 // last width set
}

func (l *lastColumnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	// Each column is followed by a padding's width of divider.
	w := max(previewWidths[l.col], size.Width-l.rest-float32(l.col+1)*theme.Padding())
	if w != l.width {
		l.width = w
		l.table.SetColumnWidth(l.col, w)
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *lastColumnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return layout.NewStackLayout().MinSize(objs)
}

// buildMapping lays out one field chooser per column: the columns nobody
// recognised first, then the recognised ones folded away. It is built when
// a sheet or a kind is chosen, not after each choice, so the fold stays as
// the user left it.
func (x *exchangeScreen) buildMapping() {
	s := x.shell
	x.mapBox.RemoveAll()
	x.mapSelects = map[int]*widget.Select{}
	m := x.mapping
	if x.sheet == nil || m.Kind == "" {
		x.mapBox.Refresh()
		return
	}
	ignore := s.T("exchangeui.map.ignore")
	options := []string{ignore}
	byLabel := map[string]string{ignore: exchange.Ignore}
	x.fieldLabels = map[string]string{exchange.Ignore: ignore}
	for _, f := range exchange.Fields(m.Kind) {
		l := f.Label(s.lang)
		options = append(options, l)
		byLabel[l] = f.Name
		x.fieldLabels[f.Name] = l
	}
	row := func(c exchange.Column) fyne.CanvasObject {
		index := c.Index
		sel := widget.NewSelect(options, func(v string) { x.onMap(index, byLabel[v]) })
		sel.PlaceHolder = s.T("ui.picker.choose")
		sel.Selected = x.fieldLabels[c.Field]
		x.mapSelects[index] = sel
		h := widget.NewLabel(c.Header)
		h.Truncation = fyne.TextTruncateEllipsis
		return container.NewGridWithColumns(2, h, sel)
	}
	unknown := map[int]bool{}
	for _, i := range x.unknown {
		unknown[i] = true
	}
	if len(x.unknown) > 0 {
		head := widget.NewLabel(s.T("exchangeui.unknown", "n", strconv.Itoa(len(x.unknown))))
		head.Wrapping = fyne.TextWrapWord
		head.TextStyle.Bold = true
		x.mapBox.Add(head)
	}
	known := container.NewVBox()
	for _, c := range m.Columns {
		switch {
		case strings.TrimSpace(c.Header) == "":
		case unknown[c.Index]:
			x.mapBox.Add(row(c))
		default:
			known.Add(row(c))
		}
	}
	if len(known.Objects) > 0 {
		item := widget.NewAccordionItem(s.T("exchangeui.known", "n", strconv.Itoa(len(known.Objects))), known)
		item.Open = len(x.unknown) == 0
		x.mapBox.Add(widget.NewAccordion(item))
	}
	x.mapBox.Refresh()
}

// refresh brings every widget in line with the state.
func (x *exchangeScreen) refresh() {
	s := x.shell
	x.filling = true
	defer func() { x.filling = false }()

	if x.sheet == nil {
		x.fileLabel.SetText(s.T("exchangeui.nofile"))
		x.sheetBox.Hide()
		x.intro.Show()
		x.work.Hide()
	} else {
		x.fileLabel.SetText(s.T("exchangeui.file", "file", x.sheet.File, "n", strconv.Itoa(len(x.sheet.Rows))))
		if len(x.sheet.Sheets) > 1 {
			x.sheetSel.SetOptions(x.sheet.Sheets)
			x.sheetSel.Selected = x.sheet.SheetName
			x.sheetSel.Refresh()
			x.sheetBox.Show()
		} else {
			x.sheetBox.Hide()
		}
		x.intro.Hide()
		x.work.Show()
	}

	x.kindSel.Selected = ""
	if k := x.mapping.Kind; k != "" {
		x.kindSel.Selected = x.kindLabel(k)
		x.kindHint.Hide()
	} else {
		x.kindHint.Show()
	}
	x.kindSel.Refresh()
	x.dupRadio.Selected = x.dupRadio.Options[int(x.dups)]
	x.dupRadio.Refresh()
	x.refreshActivityImport()
	x.refreshNewLocalities()
	if text := x.originText(); text != "" {
		x.originLabel.SetText(text)
		x.originLabel.Show()
	} else {
		x.originLabel.Hide()
	}
	if miss := x.mapping.Missing(); x.mapping.Kind != "" && len(miss) > 0 {
		names := make([]string, len(miss))
		for i, f := range miss {
			names[i] = data.FieldLabel(f, s.lang)
		}
		x.missing.SetText(s.T("exchangeui.missing", "param", strings.Join(names, ", ")))
		x.missing.Show()
	} else {
		x.missing.Hide()
	}
	for _, c := range x.mapping.Columns {
		if sel := x.mapSelects[c.Index]; sel != nil && sel.Selected != x.fieldLabels[c.Field] {
			sel.Selected = x.fieldLabels[c.Field]
			sel.Refresh()
		}
	}

	x.refreshCounts()
	x.refreshRows()
	x.refreshBanner()
	x.refreshButtons()
}

// refreshNewLocalities shows the choice for local communities the registry
// does not have (persons only), and those the preview would add.
func (x *exchangeScreen) refreshNewLocalities() {
	s := x.shell
	if x.mapping.Kind != data.KindPerson {
		x.newLocBox.Hide()
		x.newLocList.Hide()
		return
	}
	create := s.T("exchangeui.newloc.create_nomun")
	if m := s.office.Municipality; m != "" {
		create = s.T("exchangeui.newloc.create", "param", m)
	}
	x.newLocRadio.Options[0] = create
	x.newLocRadio.Selected = x.newLocRadio.Options[int(x.newLocs)]
	x.newLocRadio.Refresh()
	x.newLocBox.Show()
	if x.plan == nil || len(x.plan.NewLocalities) == 0 {
		x.newLocList.Hide()
		return
	}
	x.newLocList.SetText(s.T("exchangeui.newloc.list", "n", strconv.Itoa(len(x.plan.NewLocalities)), "param", x.plan.NewLocalityNames()))
	x.newLocList.Show()
}

func (x *exchangeScreen) refreshCounts() {
	var c exchange.Counts
	if x.plan != nil {
		c = x.plan.Counts
	}
	shown := 0
	for _, k := range previewCountKeys {
		n := previewCount(c, k)
		l := x.counts[k]
		l.SetText(strconv.Itoa(n))
		l.Importance = widget.MediumImportance
		switch {
		case k == "rejected" && n > 0:
			l.Importance = widget.DangerImportance
		case k == "added" && n > 0:
			l.Importance = widget.SuccessImportance
		case k == "duplicates" && n > 0:
			l.Importance = widget.WarningImportance
		}
		l.Refresh()
		// Updates only happen when duplicates update the registry.
		if (k == "updated" || k == "unchanged") && x.dups == exchange.Skip && !x.showsUpdates() {
			x.countBoxes[k].Hide()
			continue
		}
		x.countBoxes[k].Show()
		shown++
	}
	x.countGrid.Layout = layout.NewGridLayoutWithColumns(shown)
	x.countGrid.Refresh()
}

// refreshRows fills the filter's options with their counts and the table
// with the rows the filter lets through.
func (x *exchangeScreen) refreshRows() {
	s := x.shell
	x.rows = x.rows[:0]
	var options []string
	x.filters = x.filters[:0]
	if p := x.plan; p != nil {
		options = append(options, s.T("exchangeui.filter.all")+" ("+strconv.Itoa(p.Counts.Rows)+")")
		x.filters = append(x.filters, previewAllRows)
		for _, f := range []struct {
			a   exchange.Action
			key string
		}{
			{exchange.Reject, "rejected"}, {exchange.Duplicate, "duplicates"}, {exchange.Add, "added"},
			{exchange.Change, "updated"}, {exchange.Unchanged, "unchanged"},
		} {
			if n := previewCount(p.Counts, f.key); n > 0 {
				options = append(options, s.T("exchange.count."+f.key)+" ("+strconv.Itoa(n)+")")
				x.filters = append(x.filters, int(f.a))
			}
		}
		if !slices.Contains(x.filters, x.filter) {
			x.filter = previewAllRows
		}
		// All rows: the rejected first, then the rest in sheet order.
		for pass := 0; pass < 2; pass++ {
			for i, r := range p.Rows {
				switch {
				case x.filter != previewAllRows:
					if pass == 0 && int(r.Action) == x.filter {
						x.rows = append(x.rows, i)
					}
				case (pass == 0) == (r.Action == exchange.Reject):
					x.rows = append(x.rows, i)
				}
			}
		}
	}
	x.filterSel.SetOptions(options)
	x.filterSel.Selected = ""
	for i, f := range x.filters {
		if f == x.filter {
			x.filterSel.Selected = options[i]
		}
	}
	x.filterSel.Refresh()
	if x.plan == nil || x.chosen >= len(x.plan.Rows) {
		x.chosen = -1
	}
	x.table.UnselectAll()
	x.table.Refresh()
	x.showDetail()
}

func (x *exchangeScreen) showDetail() {
	s := x.shell
	if x.plan == nil || x.chosen < 0 {
		x.detail.SetText(s.T("exchangeui.detail.hint"))
		x.openBtn.Hide()
		return
	}
	r := x.plan.Rows[x.chosen]
	lines := append([]string{s.T("exchangeui.detail.row", "n", strconv.Itoa(r.Row), "name", r.Title,
		"action", s.T("exchangeui.action."+previewActionKeys[r.Action]))}, r.Reasons...)
	if r.Where != "" { // a submission of a folder: which file it is
		lines[0] += " (" + r.Where + ")"
	}
	lines = append(lines, r.Notes...)
	x.detail.SetText(strings.Join(lines, "\n"))
	if r.MatchID != "" {
		x.openBtn.Show()
	} else {
		x.openBtn.Hide()
	}
}

func (x *exchangeScreen) refreshBanner() {
	s := x.shell
	if x.result == nil {
		x.banner.Hide()
		return
	}
	c := x.result.Counts
	x.bannerText.SetText(s.T("exchangeui.done", "added", strconv.Itoa(c.Added), "updated", strconv.Itoa(c.Updated)))
	x.banner.Show()
}

// refreshButtons enables what can be done now, and shows the bar while a
// job runs.
func (x *exchangeScreen) refreshButtons() {
	s := x.shell
	n := 0
	if x.plan != nil {
		n = x.plan.Counts.Added + x.plan.Counts.Updated
	}
	x.importBtn.SetText(s.T("exchangeui.import", "n", strconv.Itoa(n)))
	enable := func(w fyne.Disableable, on bool) {
		if on && !x.busy {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	enable(x.importBtn, x.plan != nil && x.result == nil && n > 0)
	enable(x.rejectsBtn, x.plan != nil && x.plan.Counts.Rejected > 0)
	enable(x.chooseBtn, true)
	enable(x.folderBtn, true)
	enable(x.templateBtn, true)
	enable(x.undoLastBtn, x.canUndoLast)
	enable(x.undoBtn, x.result != nil)
	enable(x.sheetSel, x.result == nil)
	enable(x.kindSel, x.result == nil)
	enable(x.dupRadio, x.result == nil)
	enable(x.newLocRadio, x.result == nil)
	for _, sel := range x.mapSelects {
		enable(sel, x.result == nil)
	}
	if x.sheet == nil {
		x.importBtn.Hide()
		x.rejectsBtn.Hide()
	} else {
		x.importBtn.Show()
		x.rejectsBtn.Show()
	}
	if x.busy {
		x.statusLabel.Hide()
	} else {
		x.statusLabel.SetText(x.status)
		x.statusLabel.Show()
	}
}

// finished reports a job that failed or was cancelled, and says whether
// it did neither.
func (x *exchangeScreen) finished(what string, err error) bool {
	switch x.outcome(what, err, x.shell.showExchangeError) {
	case jobDone:
		return true
	case jobCancelled:
		x.status = x.shell.T("exchangeui.status.cancelled")
	default:
		x.status = ""
	}
	return false
}

// checkUndoLast enables "Undo last import" when an import is still in
// effect; it reads only the store's undo markers.
func (x *exchangeScreen) checkUndoLast() {
	_, err := x.shell.store.LastStep(store.StepImport)
	x.canUndoLast = err == nil
	if err != nil && !errors.Is(err, store.ErrNothingToUndo) {
		fyne.LogError("looking for the last import", err)
	}
}

func (x *exchangeScreen) onChoose() {
	s := x.shell
	exchangeOpenFile(s, []string{".xlsx", ".csv", ".xlsm", ".txt", ".zip", ".xml", ".pdf"}, func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.showError("choosing a spreadsheet", err)
			return
		}
		if r == nil {
			return
		}
		rememberFolder(s, prefExchangeFolder, r.URI())
		if r.URI().Scheme() == "file" {
			// A file on disk is read by its path, so that every kind of
			// source (an ODK Central .zip, a PDF form) is told by its shape.
			if err := r.Close(); err != nil {
				fyne.LogError("closing "+r.URI().Name(), err)
			}
			x.loadPath(r.URI().Path())
			return
		}
		x.load(r, r.URI().Name())
	})
}

// onChooseFolder takes a folder: ODK Collect's instances copied from a
// phone, or filled PDF forms.
func (x *exchangeScreen) onChooseFolder() {
	s := x.shell
	exchangeOpenFolder(s, s.T("exchangeui.choosefolder"), func(u fyne.ListableURI, err error) {
		if err != nil {
			s.showError("choosing a folder", err)
			return
		}
		if u == nil {
			return
		}
		s.app.Preferences().SetString(prefExchangeFolder, u.String())
		x.loadPath(u.Path())
	})
}

// loadPath reads a file or a folder as exchange.OpenSource tells its kind
// (a sheet, a Kobo or ODK Central export, ODK Collect's instances, PDF
// forms), guesses what it lists and previews it. Tests call it in place
// of the dialogs.
func (x *exchangeScreen) loadPath(path string) {
	name := filepath.Base(path)
	var sh *exchange.Sheet
	x.start(x.shell.T("exchangeui.busy.read", "file", name), func(context.Context, func(int, int)) error {
		var err error
		sh, err = exchange.OpenSource(path, exchange.ReadOptions{Lang: x.shell.lang})
		return err
	}, func(err error) {
		if !x.finished("reading "+name, err) {
			return
		}
		x.raw, x.path, x.name = nil, path, name
		x.setSheet(sh, sh.Origin.RecordKind())
	})
}

// originText says what a source of submissions is and what was left
// out ("KoboToolbox export, form registar-persons 2026120701,
// submissions: 48, …"), and how many were imported before; "" for a sheet.
func (x *exchangeScreen) originText() string {
	s := x.shell
	if x.sheet == nil || x.sheet.Origin == nil {
		return ""
	}
	text := x.sheet.Origin.Describe(s.lang)
	if r, n := utf8.DecodeRuneInString(text); n > 0 { // a line of its own: a capital
		text = string(unicode.ToUpper(r)) + text[n:]
	}
	if x.plan != nil && x.plan.Counts.AlreadyImported > 0 {
		text += ", " + strings.ToLower(s.T("exchange.count.already_imported")) + ": " + strconv.Itoa(x.plan.Counts.AlreadyImported)
	}
	// Which files were skipped, and why: the first few.
	for i, u := range x.sheet.Origin.Unreadable {
		if i == 5 {
			text += "\n…"
			break
		}
		text += "\n" + u
	}
	return text
}

// load reads a sheet from r (closed afterwards if it is a Closer), guesses
// what it lists and previews it. Tests call it in place of the dialog.
func (x *exchangeScreen) load(r io.Reader, name string) {
	var raw []byte
	var sh *exchange.Sheet
	x.start(x.shell.T("exchangeui.busy.read", "file", name), func(context.Context, func(int, int)) error {
		if c, ok := r.(io.Closer); ok {
			defer func() {
				if err := c.Close(); err != nil {
					fyne.LogError("closing "+name, err)
				}
			}()
		}
		var err error
		if raw, err = io.ReadAll(io.LimitReader(r, exchange.MaxFileSize+1)); err != nil {
			return err
		}
		sh, err = exchange.Read(bytes.NewReader(raw), name, exchange.ReadOptions{})
		return err
	}, func(err error) {
		if !x.finished("reading "+name, err) {
			return
		}
		x.raw, x.path, x.name = raw, "", name
		x.setSheet(sh, "")
	})
}

// setSheet shows a sheet just read, of the kind given or guessed, and
// previews it.
func (x *exchangeScreen) setSheet(sh *exchange.Sheet, kind data.Kind) {
	x.sheet, x.plan, x.result, x.chosen, x.filter = sh, nil, nil, -1, previewAllRows
	if kind == "" {
		kind = x.acts.preset // the screen was opened for an activity's participants
	}
	x.recognise(kind)
}

// recognise matches the columns to the fields of a kind ("" guesses it)
// and previews the sheet.
func (x *exchangeScreen) recognise(kind data.Kind) {
	x.plan = nil
	m, err := exchange.Recognise(x.sheet, kind)
	switch {
	case errors.Is(err, exchange.ErrUnknownKind):
		m = exchange.Mapping{}
	case err != nil:
		x.shell.showExchangeError("recognising the columns", err)
		m = exchange.Mapping{}
	}
	x.mapping = m
	x.unknown = x.unknown[:0]
	for _, c := range m.Unknown() {
		x.unknown = append(x.unknown, c.Index)
	}
	x.buildMapping()
	if m.Kind == "" {
		x.status = x.shell.T("exchangeui.kind.choose")
		x.refresh()
		return
	}
	x.prepare()
}

// prepare checks every row against the registry: the preview.
func (x *exchangeScreen) prepare() {
	s := x.shell
	if x.sheet == nil || x.mapping.Kind == "" {
		x.refresh()
		return
	}
	if isActivitySheet(x.mapping.Kind) {
		x.prepareActivitySheet()
		return
	}
	x.acts.plan = nil
	sh := x.sheet
	m := x.mapping
	m.Columns = slices.Clone(m.Columns) // the user may map again while it runs
	opt := exchange.Options{Lang: s.lang, Region: s.region(), Duplicates: x.dups,
		NewLocalities: x.newLocs, Municipality: s.office.Municipality}
	st := s.store
	var plan *exchange.Plan
	// The old preview stays on screen (every control disabled) until the
	// new one is ready: a small sheet does not flicker.
	x.result = nil
	x.start(s.T("exchangeui.busy.check"), func(ctx context.Context, progress func(int, int)) error {
		opt.Progress = progress
		var err error
		plan, err = exchange.Prepare(ctx, st, sh, m, opt)
		return err
	}, func(err error) {
		if !x.finished("checking the rows", err) {
			x.plan = nil // it no longer matches the choices on screen
			x.refresh()
			return
		}
		x.plan = plan
		x.status = x.previewStatus()
		x.refresh()
	})
}

// previewStatus is what the status line says under a fresh preview.
func (x *exchangeScreen) previewStatus() string {
	c := x.plan.Counts
	switch {
	case c.Rows == 0:
		return x.shell.T("exchangeui.status.empty")
	case c.Added+c.Updated == 0 && c.Rejected > 0:
		return x.shell.T("exchangeui.status.nothing")
	}
	return x.shell.T("exchangeui.status.preview")
}

func (x *exchangeScreen) onSheetChanged(name string) {
	if x.filling || (x.raw == nil && x.path == "") || x.sheet == nil || name == x.sheet.SheetName {
		return
	}
	raw, path, file := x.raw, x.path, x.name
	var sh *exchange.Sheet
	x.start(x.shell.T("exchangeui.busy.read", "file", file), func(context.Context, func(int, int)) error {
		var err error
		if raw == nil {
			sh, err = exchange.OpenSource(path, exchange.ReadOptions{Sheet: name, Lang: x.shell.lang})
			return err
		}
		sh, err = exchange.Read(bytes.NewReader(raw), file, exchange.ReadOptions{Sheet: name})
		return err
	}, func(err error) {
		if !x.finished("reading the sheet "+name, err) {
			x.refresh()
			return
		}
		x.setSheet(sh, "")
	})
}

func (x *exchangeScreen) onKindChanged(label string) {
	if x.filling || x.sheet == nil {
		return
	}
	for _, k := range importKinds() {
		if x.kindLabel(k) == label && k != x.mapping.Kind {
			x.acts.preset = ""
			x.recognise(k)
			return
		}
	}
}

func (x *exchangeScreen) onDuplicatesChanged(choice string) {
	setChoice(x, x.dupRadio, choice, &x.dups)
}

func (x *exchangeScreen) onNewLocalitiesChanged(choice string) {
	setChoice(x, x.newLocRadio, choice, &x.newLocs)
}

// setChoice sets *v to the place of choice among the radio's options (the
// options are in the order of the values) and previews again if it changed.
func setChoice[T ~int](x *exchangeScreen, r *widget.RadioGroup, choice string, v *T) {
	if x.filling {
		return
	}
	i := slices.Index(r.Options, choice)
	if i < 0 || T(i) == *v {
		return
	}
	*v = T(i)
	x.prepare()
}

// onMap maps a column to a field (or leaves it out) and previews again.
func (x *exchangeScreen) onMap(col int, field string) {
	if x.filling {
		return
	}
	if err := x.mapping.Set(col, field); err != nil {
		x.shell.showExchangeError("mapping a column", err)
		return
	}
	x.prepare()
}

func (x *exchangeScreen) onFilterChanged(label string) {
	if x.filling {
		return
	}
	for i, o := range x.filterSel.Options {
		if o == label && i < len(x.filters) {
			x.filter = x.filters[i]
		}
	}
	x.chosen = -1
	x.filling = true
	x.refreshRows()
	x.filling = false
}

func (x *exchangeScreen) onOpenRecord() {
	if x.plan != nil && x.chosen >= 0 && x.plan.Rows[x.chosen].MatchID != "" {
		x.shell.openRecord(x.plan.Rows[x.chosen].MatchID)
	}
}

// onImport writes the plan as one step.
func (x *exchangeScreen) onImport() {
	s := x.shell
	plan, st := x.plan, s.store
	if plan == nil || x.result != nil {
		return
	}
	apply := x.applier()
	var res exchange.Result
	x.start(s.T("exchangeui.busy.write"), func(ctx context.Context, progress func(int, int)) error {
		var err error
		res, err = apply(ctx, st, progress)
		return err
	}, func(err error) {
		if !x.finished("importing "+x.name, err) {
			return
		}
		x.result, x.written = &res, timeNow()
		x.status = ""
		x.canUndoLast = true
		s.invalidateLists()
		s.syncSoon()
		x.refresh()
	})
}

// onUndo takes back the import just written, after asking.
func (x *exchangeScreen) onUndo() {
	if x.result == nil || x.result.Step == "" {
		return
	}
	c := x.result.Counts
	x.confirmUndo(x.name, x.written, c.Added, c.Updated, x.result.Step)
}

// onUndoLast finds the newest import still in effect and offers to undo it.
func (x *exchangeScreen) onUndoLast() {
	s := x.shell
	st := s.store
	var last *store.AuditEntry
	x.start(s.T("exchangeui.busy.find"), func(context.Context, func(int, int)) error {
		e, err := st.LastStep(store.StepImport)
		if errors.Is(err, store.ErrNothingToUndo) {
			return nil
		}
		last = &e
		return err
	}, func(err error) {
		if !x.finished("looking for the last import", err) {
			return
		}
		if last == nil {
			x.canUndoLast = false
			x.status = s.T("exchangeui.undo.none")
			dialog.ShowInformation(s.T("exchangeui.undo.title"), x.status, s.window)
			return
		}
		x.confirmUndo(last.Note, last.Time, last.Counts["created"], last.Counts["updated"], last.Key)
	})
}

// confirmUndo asks, naming the import, then undoes it as one step.
func (x *exchangeScreen) confirmUndo(file string, at time.Time, created, updated int, step string) {
	s := x.shell
	msg := widget.NewLabel(s.T("exchangeui.undo.confirm", "file", file, "date", at.Local().Format("02.01.2006. 15:04"),
		"created", strconv.Itoa(created), "updated", strconv.Itoa(updated)))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(s.T("exchangeui.undo.title"), s.T("exchangeui.undo"), s.T("fyne.Cancel"),
		container.NewGridWrap(fyne.NewSize(440, msg.MinSize().Height*4), msg), func(ok bool) {
			if ok {
				x.undo(step)
			}
		}, s.window)
	d.Show()
}

// undo takes an import back; if it is the one on screen, the sheet is
// previewed again so it can be imported anew.
func (x *exchangeScreen) undo(step string) {
	s := x.shell
	st := s.store
	x.start(s.T("exchangeui.busy.undo"), func(ctx context.Context, _ func(int, int)) error {
		_, err := st.Undo(ctx, step)
		return err
	}, func(err error) {
		if !x.finished("undoing an import", err) {
			return
		}
		x.checkUndoLast()
		s.invalidateLists()
		if x.result != nil && x.result.Step == step {
			x.result = nil
			x.prepare()
		}
		x.status = s.T("exchangeui.undo.done")
		x.refresh()
	})
}

func (x *exchangeScreen) onShowList() {
	if x.showActivityResult() {
		return
	}
	if x.mapping.Kind != "" {
		x.shell.showList(x.mapping.Kind, nil)
	}
}

// onSaveRejects writes the rejected rows, with their reasons, to an .xlsx.
func (x *exchangeScreen) onSaveRejects() {
	s := x.shell
	plan := x.plan
	if plan == nil {
		return
	}
	base := strings.TrimSuffix(x.name, filepath.Ext(x.name))
	s.chooseXLSX("saving the rejected rows", base+" – "+s.T("exchange.rejects.sheet")+".xlsx", func(w fyne.URIWriteCloser) {
		x.saveWith(w, func(ctx context.Context, w io.Writer) error {
			_, err := plan.WriteRejects(w)
			return err
		})
	})
}

// onTemplateMenu offers a blank template of each kind.
func (x *exchangeScreen) onTemplateMenu() {
	showKindMenu(x.shell, x.templateBtn, data.Kinds, x.onTemplate)
}

// showKindMenu drops a menu of kinds (their plural names) under the button
// and calls pick with the one chosen.
func showKindMenu(s *Shell, b *widget.Button, kinds []data.Kind, pick func(data.Kind)) {
	items := make([]*fyne.MenuItem, 0, len(kinds))
	for _, k := range kinds {
		items = append(items, fyne.NewMenuItem(s.T("kind."+string(k)+".plural"), func() { pick(k) }))
	}
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", items...), s.window.Canvas(), fyne.NewPos(0, b.Size().Height), b)
}

// onTemplate saves a blank template of a kind, in the language of the
// screen, with the registry's local communities in its drop-down.
func (x *exchangeScreen) onTemplate(k data.Kind) {
	s := x.shell
	st := s.store
	name := s.T("kind."+string(k)+".plural") + " – " + s.T("exchangeui.template") + ".xlsx"
	s.chooseXLSX("saving a template", name, func(w fyne.URIWriteCloser) {
		x.saveWith(w, func(ctx context.Context, w io.Writer) error {
			return exchange.Template(w, st, k, exchange.TemplateOptions{Lang: s.lang})
		})
	})
}

// saveWith writes a file as a job of the screen and says where it went.
func (x *exchangeScreen) saveWith(w fyne.URIWriteCloser, write func(ctx context.Context, w io.Writer) error) {
	s := x.shell
	file := w.URI().Name()
	x.start(s.T("exchangeui.busy.save", "file", file), func(ctx context.Context, _ func(int, int)) error {
		return closeWritten(w, write(ctx, w))
	}, func(err error) {
		if !x.finished("saving "+file, err) {
			return
		}
		x.status = s.T("exchangeui.status.saved", "file", file)
	})
}

// Export of lists.

// onExport writes the records the list shows, with its search and filters,
// to an .xlsx the user names, with a progress bar and Cancel.
func (l *listScreen) onExport() {
	s := l.shell
	q := l.query()
	st := s.store
	name := s.T("kind."+string(l.kind)+".plural") + " " + timeNow().Format("2006-01-02") + ".xlsx"
	s.chooseXLSX("exporting a list", name, func(w fyne.URIWriteCloser) {
		file := w.URI().Name()
		var n int
		s.runModal(s.T("exchangeui.export.title"), s.T("exchangeui.busy.save", "file", file),
			func(ctx context.Context, progress func(int, int)) error {
				var err error
				n, err = exchange.Export(ctx, w, st, q, exchange.ExportOptions{Lang: s.lang, Progress: progress})
				return closeWritten(w, err)
			}, func(err error) {
				switch {
				case errors.Is(err, context.Canceled):
				case err != nil:
					s.showExchangeError("exporting a list", err)
				default:
					dialog.ShowInformation(s.T("exchangeui.export.title"),
						s.T("exchangeui.export.done", "n", strconv.Itoa(n), "file", file), s.window)
				}
			})
	})
}

// File dialogs.

// exchangeOpenFile and exchangeSaveFile show Fyne's file dialogs; tests replace them to
// answer as a user would.
var (
	exchangeOpenFile = func(s *Shell, exts []string, cb func(fyne.URIReadCloser, error)) {
		openFileDialog(s, exts, prefExchangeFolder, cb)
	}
	exchangeOpenFolder = func(s *Shell, title string, cb func(fyne.ListableURI, error)) {
		openFolderDialog(s, title, prefExchangeFolder, cb)
	}
	exchangeSaveFile = func(s *Shell, name string, cb func(fyne.URIWriteCloser, error)) {
		saveFileDialog(s, name, []string{".xlsx"}, prefExchangeFolder, cb)
	}
)

// chooseXLSX asks where to save an .xlsx and hands then a writer to a
// name that ends in .xlsx; nothing happens if the user cancels. then must
// pass the writer to closeWritten.
func (s *Shell) chooseXLSX(what, name string, then func(fyne.URIWriteCloser)) {
	s.saveAs(func(cb func(fyne.URIWriteCloser, error)) { exchangeSaveFile(s, name, cb) },
		what, prefExchangeFolder, ".xlsx", nil, nil, then)
}

// Errors.

// exchangeErrorKeys are the sentences for the errors of spreadsheets; the
// store's (undoing a step among them) are in store.ErrorMessage.
var exchangeErrorKeys = []struct {
	err error
	key string
}{
	{exchange.ErrUnknownFormat, "exchangeui.error.format"},
	{exchange.ErrDamaged, "exchangeui.error.damaged"},
	{exchange.ErrTooLarge, "exchangeui.error.toolarge"},
	{exchange.ErrNoHeader, "exchangeui.error.noheader"},
	{exchange.ErrNoSheet, "exchangeui.error.nosheet"},
	{exchange.ErrApplied, "exchangeui.error.applied"},
}

// showExchangeError is showError with the sentences of this screen.
func (s *Shell) showExchangeError(what string, err error) {
	if _, ok := i18n.ErrorMessage(err, s.lang); ok {
		s.showError(what, err) // errorText says it in the user's language
		return
	}
	for _, e := range exchangeErrorKeys {
		if errors.Is(err, e.err) {
			fyne.LogError(what, err)
			dialog.ShowError(errors.New(s.T(e.key)), s.window)
			return
		}
	}
	s.showError(what, err)
}
