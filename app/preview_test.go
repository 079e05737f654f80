package app

import (
	"image"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"registar/data/i18n"
	"registar/reports"
)

func init() {
	// PDFium's compiled form is kept between test runs, outside the
	// user's cache: compiling it costs seconds of CPU.
	previewCacheDir = func() (string, error) {
		return filepath.Join(os.TempDir(), "registar-test-pdfium"), nil
	}
}

// inkOf is the share of dark pixels of an image (text on a page).
func inkOf(img image.Image) float64 {
	if img == nil {
		return 0
	}
	b := img.Bounds()
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0x6000 {
				dark++
			}
		}
	}
	return float64(dark) / float64(max(b.Dx()*b.Dy(), 1))
}

// previewOf makes a pocket book through the screen and returns its viewer.
func previewOf(t *testing.T) (*Shell, *pubScreen, *pdfViewer) {
	t.Helper()
	s, p := publicationsScreen(t)
	p.pubSel.SetSelected(reports.PocketBook.Title(i18n.EN))
	test.Tap(p.previewBtn)
	if p.result == nil {
		t.Fatalf("no PDF; info says %q", p.info.Text)
	}
	v := p.viewer
	if v == nil || v.pageLabel == nil {
		t.Fatal("the preview has no viewer")
	}
	if v.failed != nil {
		t.Fatalf("the preview failed: %v", v.failed)
	}
	return s, p, v
}

// The pocket book's preview pages through the whole PDF: "1 / N" with N
// the real page count, Next and Previous, a jump to the last page, an
// invalid page number answered with a sentence, each page drawn with text.
func TestPreviewPagesThroughPocketBook(t *testing.T) {
	s, p, v := previewOf(t)
	n := p.result.info.Pages
	if n < 5 {
		t.Fatalf("a pocket book of %d pages", n)
	}
	total := strconv.Itoa(n)
	if got, want := v.pageLabel.Text, "1 / "+total; got != want {
		t.Fatalf("page label %q, want %q", got, want)
	}
	if !v.prevBtn.Disabled() || v.nextBtn.Disabled() {
		t.Error("on page 1 Previous should be off and Next on")
	}
	first := v.image.Image
	if inkOf(first) == 0 {
		t.Fatal("page 1 is not drawn")
	}

	test.Tap(v.nextBtn)
	if got, want := v.pageLabel.Text, "2 / "+total; got != want {
		t.Fatalf("after Next: %q, want %q", got, want)
	}
	second := v.image.Image
	if second == first || inkOf(second) == 0 {
		t.Error("page 2 is not drawn")
	}
	if v.prevBtn.Disabled() {
		t.Error("Previous is off on page 2")
	}
	test.Tap(v.prevBtn)
	if got := v.pageLabel.Text; got != "1 / "+total {
		t.Errorf("after Previous: %q", got)
	}

	// Jump to the last page: the index, whose names are on it.
	test.Type(v.gotoEntry, total)
	v.gotoEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got, want := v.pageLabel.Text, total+" / "+total; got != want {
		t.Fatalf("after typing %s: %q, want %q", total, got, want)
	}
	if !v.nextBtn.Disabled() {
		t.Error("Next is on at the last page")
	}
	if inkOf(v.image.Image) == 0 {
		t.Error("the last page is not drawn")
	}
	if v.gotoEntry.Text != "" {
		t.Errorf("the page typed stays: %q", v.gotoEntry.Text)
	}

	// A page that does not exist: a sentence, and the page stays.
	test.Type(v.gotoEntry, "999")
	v.gotoEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want := s.T("preview.goto.invalid", "text", "999", "total", total)
	if v.status.Text != want || v.status.Hidden {
		t.Errorf("status %q, want %q", v.status.Text, want)
	}
	if got := v.pageLabel.Text; got != total+" / "+total {
		t.Errorf("after an invalid page: %q", got)
	}
	test.Tap(v.prevBtn)
	if v.status.Visible() {
		t.Errorf("the sentence stays after paging: %q", v.status.Text)
	}

	// Pages are kept, but only a few.
	for range n {
		test.Tap(v.prevBtn)
	}
	if len(v.cache) > previewCached {
		t.Errorf("%d pages kept", len(v.cache))
	}
}

// A new PDF is shown wide, the options folded away; one button brings
// them back and folds them again; with no PDF the options are there. The
// page is zoomed to the width of the pane; Whole page fits it in the pane,
// and back.
func TestPreviewZoom(t *testing.T) {
	s, p, v := previewOf(t)
	s.window.Resize(fyne.NewSize(1366, 768)) // the clerk's laptop
	nav := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.pages).X
	if !v.wide || v.split.Leading.Visible() {
		t.Fatal("the new PDF is not shown wide")
	}
	area := 1366 - nav
	if v.viewport.Width < area*0.85 {
		t.Errorf("the wide preview is %v wide of %v", v.viewport.Width, area)
	}
	test.Tap(v.wideBtn)
	if !v.split.Leading.Visible() || v.wideBtn.Text != s.T("preview.options.hide") {
		t.Fatal("Options does not bring the options back")
	}
	narrow := v.viewport.Width
	if narrow >= area*0.85 || v.pageLabel.Text == "" {
		t.Errorf("beside the options the preview is %v wide of %v", narrow, area)
	}
	if d := narrow - v.pageSize.Width; d < 0 || d > 16 {
		t.Errorf("zoomed to width: page %v in a pane %v", v.pageSize, v.viewport)
	}
	test.Tap(v.wideBtn)
	if v.split.Leading.Visible() || v.viewport.Width <= narrow {
		t.Fatal("Enlarge does not fold the options away")
	}

	pad := 2 * float32(4)
	if d := v.viewport.Width - v.pageSize.Width; d < 0 || d > 16 {
		t.Errorf("zoomed to width: page %v in a pane %v", v.pageSize, v.viewport)
	}
	if v.pageSize.Height <= v.viewport.Height {
		t.Errorf("an A6 page zoomed to %v wide should be taller than the pane %v", v.pageSize, v.viewport)
	}
	widthPx := v.width

	test.Tap(v.fitBtn)
	if v.pageSize.Height > v.viewport.Height || v.pageSize.Width >= v.viewport.Width-pad {
		t.Errorf("whole page: page %v in a pane %v", v.pageSize, v.viewport)
	}
	if v.width >= widthPx {
		t.Errorf("the whole page is drawn %d pixels wide, zoomed %d", v.width, widthPx)
	}
	if img, ok := v.image.Image.(*image.RGBA); !ok || img.Bounds().Dx() != v.width {
		t.Errorf("the page shown is not redrawn at %d pixels", v.width)
	}
	if v.fitBtn.Text != s.T("preview.fit.width") {
		t.Errorf("the zoom button says %q", v.fitBtn.Text)
	}
	test.Tap(v.fitBtn)
	if v.width != widthPx {
		t.Errorf("back to the width: %d pixels, was %d", v.width, widthPx)
	}

	// No PDF (a job cancelled): the options are there.
	p.result = nil
	p.showResult()
	if !v.split.Leading.Visible() {
		t.Error("without a PDF the options stay folded away")
	}
}

// A new PDF replaces the one shown and keeps the page when it has it; a
// rebuilt screen (another language) keeps the viewer and its page.
func TestPreviewNewPDFKeepsPage(t *testing.T) {
	s, p, v := previewOf(t)
	test.Tap(v.nextBtn)
	test.Tap(v.nextBtn)
	old := p.result
	p.titleEntry.SetText("Naš vodič")
	test.Tap(p.previewBtn)
	if p.result == old || p.viewer != v {
		t.Fatal("no new PDF, or a new viewer")
	}
	if got := v.pageLabel.Text; got != "3 / "+strconv.Itoa(p.result.info.Pages) {
		t.Errorf("after a new PDF: %q", got)
	}
	s.setLang(i18n.SR)
	s.showNow("publications")
	if p.viewer != v || v.pageLabel.Text != "3 / "+strconv.Itoa(p.result.info.Pages) {
		t.Errorf("after a change of language: %q", v.pageLabel.Text)
	}
	if v.wideBtn.Text != i18n.T(i18n.SR, "preview.options.show") || v.split.Leading.Visible() {
		t.Errorf("after a change of language: %q, options shown %v", v.wideBtn.Text, v.split.Leading.Visible())
	}
}

// Bytes that are not a PDF give a sentence in the preview, not a crash.
func TestPreviewDamagedPDF(t *testing.T) {
	s, _ := newTestShell(t)
	v := &pdfViewer{shell: s}
	s.window.SetContent(v.show([]byte("%PDF-1.7\nnothing else")))
	if v.failed == nil {
		t.Fatal("a damaged PDF opened")
	}
	if v.status.Hidden || v.status.Text == "" || !v.pageBox.Hidden {
		t.Errorf("status %q, page shown %v", v.status.Text, v.pageBox.Visible())
	}
	if !v.nextBtn.Disabled() || !v.gotoEntry.Disabled() {
		t.Error("paging is on without a PDF")
	}
}
