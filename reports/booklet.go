package reports

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Booklet imposition, with pdfcpu's booklet (saddle-stitch) layouts:
//
//   - A5 and A4 pages go two-up on A4: every A4 side carries a spread of
//     two pages turned sideways; the sheets are folded once and stapled.
//     (A4 pages are scaled down to A5.)
//   - A6 pages go four-up on A4: every A4 side carries two spreads, the
//     lower one upside down; the printed sheets are cut across the middle,
//     the halves stacked top half first, folded and stapled.
//
// The page count must fill whole sheets (a multiple of 4 two-up, of 8
// four-up). Generate pads with blank pages before the back cover; Impose
// lets pdfcpu pad at the end.
//
// Pitfalls of pdfcpu (v0.11.1, the module proxy's approved release) this
// file works around, from its source and tracker (pdfcpu#1126, #783, #969):
//   - its layouts assume the printer turns the sheet over its long edge
//     ("flip on long edge"); there is no option for the other way. Turning
//     over the short edge instead shows the back upside down relative to
//     the long-edge case, so for ShortEdge every back side (even output
//     page) is turned by 180°, which is exactly that difference;
//   - its "binding: short" option is not a duplex setting but a different
//     booklet (bound at the top), so it is never used here;
//   - its own padding adds the blank pages at the very end, after the back
//     cover, which is why Generate pads before the back cover itself;
//   - the default configuration writes a configuration directory (and
//     fonts) into the user's config folder on first use; it is disabled;
//   - two-up needs Enforce (the default of its booklet configuration) or
//     the pages keep their orientation and come out too small (#969).

// pagesPerSheet is how many pages one sheet of A4 (both sides) carries.
func pagesPerSheet(size Size) int {
	if size == A6 {
		return 8
	}
	return 4
}

var pdfcpuOnce sync.Once

// pdfcpuConf is pdfcpu's configuration without its config directory.
func pdfcpuConf() *model.Configuration {
	pdfcpuOnce.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Cmd = model.BOOKLET
	return conf
}

// Impose reads a PDF of pages of the size and writes it imposed as a
// booklet on A4 for a duplex printer set to flip on the edge b says. It
// returns the number of A4 pages written (two per sheet of paper).
func Impose(r io.ReadSeeker, w io.Writer, size Size, b Binding) (int, error) {
	if b == NoBooklet {
		return 0, errors.New("reports: Impose needs a binding (long or short edge)")
	}
	return impose(r, w, size, b)
}

func impose(r io.ReadSeeker, w io.Writer, size Size, b Binding) (n int, err error) {
	defer func() {
		if p := recover(); p != nil { // pdfcpu is not known to panic; a PDF is not worth a crash
			err = fmt.Errorf("reports: booklet: %v", p)
		}
	}()
	conf := pdfcpuConf()
	ctx, err := api.ReadAndValidate(r, conf)
	if err != nil {
		return 0, fmt.Errorf("reports: booklet: %w", err)
	}
	nup := pdfcpu.DefaultBookletConfig()
	nup.PageSize = "A4"
	dim := *types.PaperSize["A4"]
	nup.PageDim = &dim
	up := 2
	if size == A6 {
		up = 4
	}
	if err := pdfcpu.ParseNUpValue(up, nup); err != nil {
		return 0, fmt.Errorf("reports: booklet: %w", err)
	}
	nup.BookletBinding = model.LongEdge // the fold on the long side of the page: an ordinary booklet
	pages := types.IntSet{}
	for i := 1; i <= ctx.PageCount; i++ {
		pages[i] = true
	}
	if err := pdfcpu.BookletFromPDF(ctx, pages, nup); err != nil {
		return 0, fmt.Errorf("reports: booklet: %w", err)
	}
	// pdfcpu v0.11 replaces the page tree but leaves the context's page
	// count at the pages before imposition (v0.15 updates it): read it back
	// from the new tree, or the rotation and the count below go wrong.
	if ctx.PageCount, err = pageTreeCount(ctx); err != nil {
		return 0, fmt.Errorf("reports: booklet: %w", err)
	}
	// Bookmarks and the opening view point at the pages before imposition,
	// which are no longer in the document (and would be written to the
	// file all the same, as unreachable dead weight): they go.
	root, err := ctx.Catalog()
	if err != nil {
		return 0, fmt.Errorf("reports: booklet: %w", err)
	}
	for _, k := range []string{"Outlines", "OpenAction", "PageMode"} {
		root.Delete(k)
	}
	handling := model.DuplexFlipLongEdge
	if b == ShortEdge {
		backs := types.IntSet{}
		for i := 2; i <= ctx.PageCount; i += 2 {
			backs[i] = true
		}
		if err := pdfcpu.RotatePages(ctx, backs, 180); err != nil {
			return 0, fmt.Errorf("reports: booklet: %w", err)
		}
		handling = model.DuplexFlipShortEdge
	}
	// Ask the print dialog to preselect the duplex setting the layout needs.
	if ctx.ViewerPref == nil {
		ctx.ViewerPref = &model.ViewerPreferences{}
	}
	ctx.ViewerPref.Duplex = &handling
	ctx.XRefTable.BindViewerPreferences()
	if err := api.Write(ctx, w, conf); err != nil {
		return 0, fmt.Errorf("reports: booklet: %w", err)
	}
	return ctx.PageCount, nil
}

// pageTreeCount is the Count of the document's page tree root.
func pageTreeCount(ctx *model.Context) (int, error) {
	ref, err := ctx.Pages()
	if err != nil {
		return 0, err
	}
	d, err := ctx.DereferenceDict(*ref)
	if err != nil {
		return 0, err
	}
	n := d.IntEntry("Count")
	if n == nil || *n < 0 {
		return 0, errors.New("the imposed page tree has no page count")
	}
	return *n, nil
}
