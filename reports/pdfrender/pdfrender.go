// Package pdfrender draws the pages of a PDF as images, in the process and
// without cgo: PDFium compiled to WebAssembly (github.com/klippa-app/go-pdfium,
// its webassembly mode) runs on the wazero runtime. So the publications'
// preview works on a Windows laptop with nothing installed, and the package
// builds and tests with CGO_ENABLED=0 like the rest of reports.
//
// One PDFium instance serves the whole process. It is started at the first
// Open (compiling the 6 MB module costs about a second, see
// docs/bench-reports.md), kept for later documents and stopped by Close; a
// later Open starts it again. Calls are serialised: PDFium is single-threaded
// and one page takes a few tens of milliseconds.
//
// The package never imports Fyne.
package pdfrender

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"os"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// MaxWidth bounds the width a page is drawn at, so that a slip in a caller
// cannot ask for a gigapixel bitmap.
const MaxWidth = 8000

// ErrClosed is returned by the methods of a Document after its Close, or
// after the renderer was stopped.
var ErrClosed = errors.New("pdfrender: document closed")

// startTimeout bounds the wait for the PDFium worker once the module is
// compiled; it only matters if something is badly wrong.
const startTimeout = 2 * time.Minute

// renderer is the process's PDFium: started lazily, shared by every
// Document, stopped by Close.
var renderer struct {
	mu         sync.Mutex
	pool       pdfium.Pool
	inst       pdfium.Pdfium
	gen        int // counts starts, so a Document knows its instance is gone
	startedIn  time.Duration
	compileDir string
}

// SetCacheDir makes later starts keep wazero's compiled form of the module
// in dir, which turns the second start of the program from compiling the
// module into reading it back (see docs/bench-reports.md). Call it before
// the first Open; "" (the default) compiles in memory every time.
func SetCacheDir(dir string) {
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	renderer.compileDir = dir
}

// Start starts the renderer if it is not running, and reports how long the
// start took (0 if it was running). Open calls it; a program may call it
// early, off its UI goroutine, to have the first page drawn sooner.
func Start() (time.Duration, error) {
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	return start()
}

// StartDuration is how long the last start of the renderer took, 0 before
// the first.
func StartDuration() time.Duration {
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	return renderer.startedIn
}

// start starts the renderer; renderer.mu is held.
func start() (time.Duration, error) {
	if renderer.inst != nil {
		return 0, nil
	}
	began := time.Now()
	rc := wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling)
	if renderer.compileDir != "" {
		if cache, err := wazero.NewCompilationCacheWithDir(renderer.compileDir); err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle: 1, MaxIdle: 1, MaxTotal: 1, ReuseWorkers: true,
		RuntimeConfig: rc,
		// No file system at all: documents come in as bytes, and the
		// module's default would mount the whole disk.
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if err != nil {
		return 0, fmt.Errorf("pdfrender: starting PDFium: %w", err)
	}
	inst, err := pool.GetInstance(startTimeout)
	if err != nil {
		pool.Close()
		return 0, fmt.Errorf("pdfrender: starting PDFium: %w", err)
	}
	renderer.pool, renderer.inst = pool, inst
	renderer.gen++
	renderer.startedIn = time.Since(began)
	return renderer.startedIn, nil
}

// Close stops the renderer and frees its memory (tens of megabytes); the
// Documents still open become unusable (ErrClosed). A later Open starts it
// again.
func Close() error {
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	if renderer.inst == nil {
		return nil
	}
	err := renderer.inst.Close()
	if perr := renderer.pool.Close(); err == nil {
		err = perr
	}
	renderer.pool, renderer.inst = nil, nil
	return err
}

// Document is a PDF opened in the renderer. Its methods are safe for
// concurrent use (they take turns).
type Document struct {
	ref   references.FPDF_DOCUMENT
	gen   int // the renderer's start the document belongs to
	pages int
	sizes [][2]float64 // each page's width and height in points
	data  []byte       // PDFium reads the bytes as it goes: they must stay
}

// Open opens a PDF held in memory. The caller must not change pdf until
// the document is closed.
func Open(pdf []byte) (*Document, error) {
	if len(pdf) == 0 {
		return nil, errors.New("pdfrender: empty PDF")
	}
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	if _, err := start(); err != nil {
		return nil, err
	}
	doc, err := renderer.inst.OpenDocument(&requests.OpenDocument{File: &pdf})
	if err != nil {
		return nil, fmt.Errorf("pdfrender: opening the PDF: %w", err)
	}
	count, err := renderer.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err == nil && count.PageCount < 1 {
		err = errors.New("no pages")
	}
	var sizes [][2]float64
	for i := 0; err == nil && i < count.PageCount; i++ {
		var size *responses.FPDF_GetPageSizeByIndex
		size, err = renderer.inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: doc.Document, Index: i})
		if err == nil {
			sizes = append(sizes, [2]float64{size.Width, size.Height})
		}
	}
	if err != nil {
		renderer.inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
		return nil, fmt.Errorf("pdfrender: reading the PDF: %w", err)
	}
	return &Document{ref: doc.Document, gen: renderer.gen, pages: count.PageCount, sizes: sizes, data: pdf}, nil
}

// OpenFile opens the PDF in the file at path.
func OpenFile(path string) (*Document, error) {
	pdf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Open(pdf)
}

// Pages is the number of pages, at least 1.
func (d *Document) Pages() int { return d.pages }

// PageSize is the size of the page with the 0-based index in points (1/72
// inch), as the PDF gives it; 0, 0 for an index out of range.
func (d *Document) PageSize(index int) (width, height float64) {
	if index < 0 || index >= len(d.sizes) {
		return 0, 0
	}
	return d.sizes[index][0], d.sizes[index][1]
}

// live reports whether the document can still be used; renderer.mu is held.
func (d *Document) live() bool {
	return d.data != nil && renderer.inst != nil && renderer.gen == d.gen
}

// Render draws the page with the 0-based index at width pixels (the height
// follows the page's proportions) on white, as a printer would show it.
// The image is the caller's.
func (d *Document) Render(index, width int) (*image.RGBA, error) {
	if index < 0 || index >= d.pages {
		return nil, fmt.Errorf("pdfrender: page %d of %d", index+1, d.pages)
	}
	if width < 1 || width > MaxWidth {
		return nil, fmt.Errorf("pdfrender: width %d pixels (1 to %d)", width, MaxWidth)
	}
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	if !d.live() {
		return nil, ErrClosed
	}
	res, err := renderer.inst.RenderPageInPixels(&requests.RenderPageInPixels{
		Page:  requests.Page{ByIndex: &requests.PageByIndex{Document: d.ref, Index: index}},
		Width: width,
	})
	if err != nil {
		return nil, fmt.Errorf("pdfrender: drawing page %d: %w", index+1, err)
	}
	// The pixels live in the module's memory until Cleanup: copy them out,
	// onto white where the page is transparent (PDFium leaves it black).
	defer res.Cleanup()
	src := res.Result.RenderedImage
	if src == nil {
		return nil, fmt.Errorf("pdfrender: drawing page %d: no image", index+1)
	}
	img := image.NewRGBA(src.Bounds())
	if res.Result.HasTransparency {
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(img, img.Bounds(), src, src.Bounds().Min, draw.Over)
	} else if rgba, ok := src.(*image.RGBA); ok && rgba.Stride == img.Stride {
		copy(img.Pix, rgba.Pix)
	} else {
		draw.Draw(img, img.Bounds(), src, src.Bounds().Min, draw.Src)
	}
	return img, nil
}

// Close frees the document in the renderer. Closing twice is harmless.
func (d *Document) Close() error {
	renderer.mu.Lock()
	defer renderer.mu.Unlock()
	if !d.live() {
		d.data = nil
		return nil
	}
	d.data = nil
	_, err := renderer.inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d.ref})
	return err
}

// PageCount opens pdf just to count its pages.
func PageCount(pdf []byte) (int, error) {
	d, err := Open(pdf)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	return d.Pages(), nil
}

// RenderPage draws one page of pdf (0-based index) at width pixels; to draw
// several pages of one PDF, Open it once instead.
func RenderPage(pdf []byte, index, width int) (*image.RGBA, error) {
	d, err := Open(pdf)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Render(index, width)
}
