package app

import (
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"registar/reports/pdfrender"
)

// The preview of the Publications screen: the whole PDF, one page at a
// time, drawn in the process by reports/pdfrender (PDFium on WebAssembly),
// so it needs nothing installed. Previous/Next, the page number with a
// field to jump to a page, and the page zoomed to the width of the pane or
// shown whole. A new PDF is shown wide, the options folded away (one
// button brings them back): on a 1366-pixel screen the options need more
// than half of the width. Pages are drawn off the UI goroutine, the latest
// asked for first, and the neighbours of the page shown are drawn ahead; a
// few pages are kept.

const (
	// previewCached is how many drawn pages are kept: the page shown, the
	// pages on either side, and a few the clerk just left.
	previewCached = 6
	// previewStep rounds the width pages are drawn at, so that a small
	// change of the pane's width redraws nothing.
	previewStep = 64
	// previewMaxWidth bounds the width a page is drawn at, in pixels.
	previewMaxWidth = 2560
)

// previewWarm starts the renderer once per process, off the UI goroutine,
// when the Publications screen is first shown: the first start compiles
// PDFium (seconds), later runs of the program read the compiled form from
// the user's cache folder.
var previewWarm sync.Once

// previewCacheDir is the folder for PDFium's compiled form (about 21 MB);
// tests keep theirs out of the user's cache.
var previewCacheDir = func() (string, error) {
	dir, err := os.UserCacheDir()
	return filepath.Join(dir, "registar", "pdfium"), err
}

func warmUpPreview() {
	previewWarm.Do(func() {
		if dir, err := previewCacheDir(); err == nil {
			pdfrender.SetCacheDir(dir)
		}
		go func() {
			if _, err := pdfrender.Start(); err != nil {
				fyne.LogError("starting the PDF preview", err)
			}
		}()
	})
}

// pdfViewer is the preview's state: the PDF open in the renderer, the page
// shown and the pages drawn. It outlives its widgets, which are built anew
// with the screen (view).
type pdfViewer struct {
	shell *Shell

	pdf     []byte // the PDF shown (compared by identity)
	gen     int    // counts PDFs, so work for an older one is dropped
	doc     *pdfrender.Document
	opening bool
	failed  error            // the PDF could not be opened
	page    int              // 0-based
	fitPage bool             // the whole page in the pane, not zoomed to its width
	wide    bool             // the options are folded away
	split   *container.Split // the options and the preview, of the screen shown

	viewport fyne.Size // the pane's size
	pageSize fyne.Size // the page's size on screen
	width    int       // the width pages are drawn at, in pixels

	cache    []drawnPage // most recently used last
	busy     bool        // a page is being drawn
	pageErr  error       // the page shown could not be drawn
	gotoText string      // an invalid page number typed

	// Widgets, built by view.
	prevBtn   *widget.Button
	nextBtn   *widget.Button
	pageLabel *widget.Label
	gotoEntry *widget.Entry
	fitBtn    *widget.Button
	wideBtn   *widget.Button
	bar       *fyne.Container // the buttons, in one row or two (arrange)
	barWide   bool            // bar is arranged for the wide preview
	status    *widget.Label
	image     *canvas.Image
	pageBox   *fyne.Container
	scroll    *container.Scroll
	shown     *image.RGBA // the image on screen
}

// drawnPage is a page drawn at a width.
type drawnPage struct {
	page, width int
	img         *image.RGBA
}

// previewOf is the preview of the PDF made, or a sentence to make one.
func (p *pubScreen) previewOf(r *pubResult) fyne.CanvasObject {
	if r == nil {
		if p.viewer != nil {
			p.viewer.setWide(false)
		}
		return p.emptyPreview(theme.DocumentIcon(), p.shell.T("pubui.empty"))
	}
	return p.pdfViewer().show(r.pdf)
}

// previewSplit lays the options and the preview side by side.
func (p *pubScreen) previewSplit(options, preview fyne.CanvasObject) *container.Split {
	split := container.NewHSplit(options, preview)
	split.SetOffset(0.42)
	v := p.pdfViewer()
	v.split = split
	v.setWide(v.wide && p.result != nil)
	return split
}

// pdfViewer is the screen's viewer, made at the first call.
func (p *pubScreen) pdfViewer() *pdfViewer {
	if p.viewer == nil {
		warmUpPreview()
		p.viewer = &pdfViewer{shell: p.shell}
	}
	return p.viewer
}

// show shows pdf (opening it, wide, if it is not the one shown) and returns
// the preview's widgets, built anew.
func (v *pdfViewer) show(pdf []byte) fyne.CanvasObject {
	if !samePDF(pdf, v.pdf) {
		v.open(pdf)
		v.wide = true
	}
	obj := v.view()
	v.setWide(v.wide)
	return obj
}

// setWide folds the options away or brings them back.
func (v *pdfViewer) setWide(on bool) {
	v.wide = on
	if v.split != nil && v.split.Leading.Visible() == on {
		if on {
			v.split.Leading.Hide()
		} else {
			v.split.Leading.Show()
		}
		v.split.Refresh()
	}
	v.refresh()
}

func (v *pdfViewer) onWide() { v.setWide(!v.wide) }

// arrange puts the buttons in one row when the preview is wide, in two
// beside the options, where one row would not fit.
func (v *pdfViewer) arrange() {
	paging := container.NewHBox(v.prevBtn, v.pageLabel, v.nextBtn)
	var bar fyne.CanvasObject
	if v.wide {
		// the page-number field keeps a width of its own
		gotoBox := container.New(layout.NewGridWrapLayout(fyne.NewSize(170, v.gotoEntry.MinSize().Height)), v.gotoEntry)
		bar = container.NewBorder(nil, nil, container.NewHBox(v.wideBtn, paging, gotoBox), v.fitBtn)
	} else {
		bar = container.NewVBox(
			container.NewBorder(nil, nil, v.wideBtn, v.fitBtn),
			container.NewBorder(nil, nil, paging, nil, v.gotoEntry))
	}
	v.bar.Objects, v.barWide = []fyne.CanvasObject{bar}, v.wide
	v.bar.Refresh()
}

// samePDF says whether a and b are the same bytes in memory.
func samePDF(a, b []byte) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// open opens pdf in the renderer off the UI goroutine; the page shown
// stays where it was if the new PDF has it (the clerk changed an option and
// looks at the same entry again).
func (v *pdfViewer) open(pdf []byte) {
	v.gen++
	gen, old := v.gen, v.doc
	v.pdf, v.doc, v.failed, v.pageErr, v.cache, v.shown = pdf, nil, nil, nil, nil, nil
	v.opening = true
	if old != nil {
		go old.Close() // waits for a page of it being drawn
	}
	var (
		doc *pdfrender.Document
		err error
	)
	v.shell.background(func() {
		doc, err = pdfrender.Open(pdf)
	}, func() {
		if gen != v.gen { // another PDF came meanwhile
			if doc != nil {
				go doc.Close()
			}
			return
		}
		v.opening = false
		if err != nil {
			fyne.LogError("opening the PDF for the preview", err)
			v.failed = err
		} else {
			v.doc = doc
			v.page = min(v.page, doc.Pages()-1)
		}
		v.relayout()
		v.refresh()
		v.next()
	})
}

// view builds the widgets over the viewer's state.
func (v *pdfViewer) view() fyne.CanvasObject {
	s := v.shell
	v.prevBtn = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), v.onPrevious)
	v.nextBtn = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), v.onNext)
	v.pageLabel = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.gotoEntry = widget.NewEntry()
	v.gotoEntry.SetPlaceHolder(s.T("preview.goto"))
	v.gotoEntry.OnSubmitted = v.onGoto
	v.fitBtn = widget.NewButton("", v.onFit)
	v.wideBtn = widget.NewButton("", v.onWide)
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.status.Importance = widget.LowImportance

	v.image = canvas.NewImageFromImage(nil)
	v.image.FillMode = canvas.ImageFillContain
	v.image.ScaleMode = canvas.ImageScaleSmooth
	// a thin frame: white pages on a light theme need an edge
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	frame.StrokeWidth = 1
	v.pageBox = container.New(pageLayout{v}, frame, v.image)
	v.scroll = container.NewVScroll(v.pageBox)
	pane := container.New(viewportLayout{v}, v.scroll)

	v.bar = container.NewStack()
	v.refresh()
	return container.NewBorder(container.NewVBox(v.bar, v.status), nil, nil, nil, pane)
}

// refresh shows the state in the widgets.
func (v *pdfViewer) refresh() {
	if v.pageLabel == nil {
		return
	}
	s := v.shell
	pages := 0
	if v.doc != nil {
		pages = v.doc.Pages()
	}
	if pages > 0 {
		v.pageLabel.SetText(s.T("preview.page", "page", strconv.Itoa(v.page+1), "total", strconv.Itoa(pages)))
	} else {
		v.pageLabel.SetText("")
	}
	setEnabled(v.prevBtn, v.page > 0 && pages > 0)
	setEnabled(v.nextBtn, v.page < pages-1)
	if pages > 0 {
		v.gotoEntry.Enable()
		v.fitBtn.Enable()
	} else {
		v.gotoEntry.Disable()
		v.fitBtn.Disable()
	}
	if v.fitPage {
		v.fitBtn.SetText(s.T("preview.fit.width"))
		v.fitBtn.SetIcon(theme.ZoomInIcon())
	} else {
		v.fitBtn.SetText(s.T("preview.fit.page"))
		v.fitBtn.SetIcon(theme.ZoomFitIcon())
	}
	if len(v.bar.Objects) == 0 || v.barWide != v.wide {
		v.arrange()
	}
	if v.wide {
		v.wideBtn.SetText(s.T("preview.options.show"))
		v.wideBtn.SetIcon(theme.SettingsIcon())
	} else {
		v.wideBtn.SetText(s.T("preview.options.hide"))
		v.wideBtn.SetIcon(theme.ViewFullScreenIcon())
	}

	var msg string
	switch {
	case v.opening:
		msg = s.T("preview.starting")
	case v.failed != nil:
		msg = s.T("preview.failed", "detail", v.failed.Error())
	case v.gotoText != "":
		msg = s.T("preview.goto.invalid", "text", v.gotoText, "total", strconv.Itoa(pages))
	case v.pageErr != nil:
		msg = s.T("preview.page.failed", "page", strconv.Itoa(v.page+1), "detail", v.pageErr.Error())
	case pages > 0 && v.cached(v.page, v.width) == nil:
		msg = s.T("preview.drawing", "page", strconv.Itoa(v.page+1))
	}
	v.status.SetText(msg)
	if msg == "" {
		v.status.Hide()
	} else {
		v.status.Show()
	}

	// A page drawn at another width is shown scaled until it is redrawn;
	// while a page is drawn the one before stays.
	if img := v.cached(v.page, v.width); img != nil {
		v.shown = img
	} else if img := v.anyWidth(v.page); img != nil {
		v.shown = img
	}
	if v.doc == nil {
		v.shown = nil
		v.pageBox.Hide()
	} else {
		v.pageBox.Show()
	}
	if v.shown != nil {
		v.image.Image = v.shown
	} else {
		v.image.Image = nil // not a nil *image.RGBA in the interface
	}
	v.image.Refresh()
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (v *pdfViewer) onPrevious() { v.goTo(v.page - 1) }
func (v *pdfViewer) onNext()     { v.goTo(v.page + 1) }

// onGoto jumps to the page number typed.
func (v *pdfViewer) onGoto(text string) {
	if v.doc == nil {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 || n > v.doc.Pages() {
		v.gotoText = strings.TrimSpace(text)
		v.refresh()
		return
	}
	v.gotoEntry.SetText("")
	v.goTo(n - 1)
}

func (v *pdfViewer) onFit() {
	v.fitPage = !v.fitPage
	v.relayout()
	v.refresh()
	v.next()
}

// goTo shows the page with the 0-based index, drawing it if need be.
func (v *pdfViewer) goTo(page int) {
	if v.doc == nil || page < 0 || page >= v.doc.Pages() {
		return
	}
	v.page, v.pageErr, v.gotoText = page, nil, ""
	v.relayout()
	if v.scroll != nil {
		v.scroll.ScrollToTop()
	}
	v.refresh()
	v.next()
}

// relayout sizes the page for the pane and the zoom; a change of the width
// pages are drawn at redraws them.
func (v *pdfViewer) relayout() {
	if v.doc == nil || v.viewport.Width <= 0 {
		return
	}
	pw, ph := v.doc.PageSize(v.page)
	if pw <= 0 || ph <= 0 {
		pw, ph = 1, 1.414
	}
	pad := theme.Padding()
	avail := fyne.NewSize(max(v.viewport.Width-2*pad, 50), max(v.viewport.Height-2*pad, 50))
	w := avail.Width
	if v.fitPage {
		w = min(w, avail.Height*float32(pw/ph))
	}
	size := fyne.NewSize(w, w*float32(ph/pw))
	scale := v.shell.window.Canvas().Scale()
	px := int(size.Width*scale+previewStep-1) / previewStep * previewStep
	px = min(max(px, previewStep), previewMaxWidth)
	changed := size != v.pageSize
	v.pageSize, v.width = size, px
	if changed && v.pageBox != nil {
		v.pageBox.Refresh()
		v.scroll.Refresh()
	}
}

// next draws, off the UI goroutine, the page shown if it is not drawn at
// the width wanted, else the pages on either side; one page at a time.
func (v *pdfViewer) next() {
	if v.busy || v.doc == nil || v.width == 0 {
		return
	}
	page := -1
	for _, p := range []int{v.page, v.page + 1, v.page - 1} {
		if p >= 0 && p < v.doc.Pages() && v.cached(p, v.width) == nil && !(p == v.page && v.pageErr != nil) {
			page = p
			break
		}
	}
	if page < 0 {
		return
	}
	v.busy = true
	gen, doc, width := v.gen, v.doc, v.width
	var (
		img *image.RGBA
		err error
	)
	v.shell.background(func() {
		img, err = doc.Render(page, width)
	}, func() {
		v.busy = false
		if gen != v.gen {
			v.next()
			return
		}
		if err != nil {
			if page == v.page {
				fyne.LogError("drawing page "+strconv.Itoa(page+1)+" of the preview", err)
				v.pageErr = err
				v.refresh()
			}
			return
		}
		v.remember(drawnPage{page: page, width: width, img: img})
		if page == v.page {
			v.refresh()
		}
		v.next()
	})
}

// cached is the page drawn at width, or nil; it counts as used.
func (v *pdfViewer) cached(page, width int) *image.RGBA {
	for i, d := range v.cache {
		if d.page == page && d.width == width {
			v.cache = append(append(v.cache[:i:i], v.cache[i+1:]...), d)
			return d.img
		}
	}
	return nil
}

// anyWidth is the page drawn at any width, or nil.
func (v *pdfViewer) anyWidth(page int) *image.RGBA {
	for _, d := range v.cache {
		if d.page == page {
			return d.img
		}
	}
	return nil
}

// remember keeps a page drawn, forgetting the least recently used.
func (v *pdfViewer) remember(d drawnPage) {
	v.cache = append(v.cache, d)
	if len(v.cache) > previewCached {
		v.cache = v.cache[len(v.cache)-previewCached:]
	}
}

// viewportLayout tells the viewer the size of the pane before laying the
// scroll out in it.
type viewportLayout struct{ v *pdfViewer }

func (l viewportLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	v := l.v
	if size != v.viewport {
		v.viewport = size
		old := v.width
		v.relayout()
		if v.width != old {
			v.refresh()
			v.next()
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l viewportLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(120, 160)
}

// pageLayout puts the page (frame and image) at the viewer's page size,
// centred across, with a padding around it.
type pageLayout struct{ v *pdfViewer }

func (l pageLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	ps, pad := l.v.pageSize, theme.Padding()
	pos := fyne.NewPos(max(pad, (size.Width-ps.Width)/2), pad)
	if l.v.fitPage {
		pos.Y = max(pad, (size.Height-ps.Height)/2)
	}
	for _, o := range objs {
		o.Move(pos)
		o.Resize(ps)
	}
}

func (l pageLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	return fyne.NewSize(0, l.v.pageSize.Height+2*pad)
}
