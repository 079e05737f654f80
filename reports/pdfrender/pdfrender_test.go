package pdfrender_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"registar/data"
	"registar/data/demo"
	"registar/data/i18n"
	"registar/reports"
	"registar/reports/pdfrender"
)

var testNow = time.Date(2026, 7, 15, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	// Keep PDFium's compiled form between runs (the app tests share it):
	// compiling costs seconds of CPU. BenchmarkStart measures without it.
	pdfrender.SetCacheDir(filepath.Join(os.TempDir(), "registar-test-pdfium"))
	os.Exit(m.Run())
}

// pocketBook is an A6 pocket book of n demo persons (with their businesses
// and organisations), everyone consenting, made as the app makes it.
func pocketBook(tb testing.TB, persons int) ([]byte, reports.Info) {
	tb.Helper()
	yes := data.Consent{Given: true, Date: data.NewDate(2026, 5, 1), How: "form"}
	var rs reports.Records
	err := demo.Generate(demo.Options{Persons: persons, Businesses: persons / 20, Organisations: persons / 100, Seed: 3, Now: testNow},
		func(r data.Record) error {
			switch v := r.(type) {
			case *data.Person:
				v.ConsentPublish = yes
			case *data.Business:
				v.ConsentPublish = yes
			}
			rs = append(rs, r)
			return nil
		})
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	info, err := reports.Generate(context.Background(), &buf, reports.PocketBook, rs,
		reports.Options{Lang: i18n.BS, Size: reports.A6, Now: testNow,
			Office: data.Office{Name: "Ured za dijasporu Općine Cazin", Email: "dijaspora@cazin.ba"}})
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), info
}

var (
	bookOnce sync.Once
	book     []byte
	bookInfo reports.Info
)

// sharedBook is one pocket book of 300 persons for the tests of this file.
func sharedBook(tb testing.TB) ([]byte, reports.Info) {
	bookOnce.Do(func() { book, bookInfo = pocketBook(tb, 300) })
	if book == nil {
		tb.Fatal("no pocket book")
	}
	return book, bookInfo
}

// darkShare is the share of the pixels in r that are dark (text), and
// whether every pixel is opaque.
func darkShare(img *image.RGBA, r image.Rectangle) (float64, bool) {
	dark, all, opaque := 0, 0, true
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if c.A != 255 {
				opaque = false
			}
			if int(c.R)+int(c.G)+int(c.B) < 3*100 {
				dark++
			}
			all++
		}
	}
	return float64(dark) / float64(max(all, 1)), opaque
}

// A pocket book made by reports has the page count reports says, and its
// pages come out at the width asked, on white, with text on them.
func TestRenderPocketBook(t *testing.T) {
	pdf, info := sharedBook(t)
	if info.Pages < 10 {
		t.Fatalf("a pocket book of %d pages is too small to test paging", info.Pages)
	}
	doc, err := pdfrender.Open(pdf)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.Pages() != info.Pages {
		t.Errorf("%d pages, reports made %d", doc.Pages(), info.Pages)
	}
	if w, h := doc.PageSize(0); math.Abs(w-297.64) > 0.5 || math.Abs(h-419.53) > 0.5 {
		t.Errorf("page size %.2f×%.2f pt, want A6 (105×148 mm) 297.64×419.53", w, h)
	}
	if w, h := doc.PageSize(info.Pages); w != 0 || h != 0 {
		t.Errorf("a page past the end has a size %v×%v", w, h)
	}
	if n, err := pdfrender.PageCount(pdf); err != nil || n != info.Pages {
		t.Errorf("PageCount = %d, %v; want %d", n, err, info.Pages)
	}

	// The first entry page (after cover, foreword, contents) and the last page.
	for _, index := range []int{info.Pages / 2, info.Pages - 1} {
		img, err := doc.Render(index, 600)
		if err != nil {
			t.Fatalf("page %d: %v", index+1, err)
		}
		b := img.Bounds()
		// A6 is 297.64×419.53 pt: 600 pixels wide is 846 high.
		if b.Dx() != 600 || b.Dy() != 846 {
			t.Errorf("page %d is %v, want 600×846", index+1, b)
		}
		share, opaque := darkShare(img, b)
		if !opaque {
			t.Errorf("page %d has transparent pixels", index+1)
		}
		// Text covers a few percent of an entry page; a blank or black
		// page is 0 or 1.
		if share < 0.005 || share > 0.5 {
			t.Errorf("page %d: %.4f of the pixels are dark, want text on white", index+1, share)
		}
		// The corner is margin: white.
		if c := img.RGBAAt(2, 2); c.R < 250 || c.G < 250 || c.B < 250 {
			t.Errorf("page %d: corner pixel %v is not white", index+1, c)
		}
	}
	if _, err := doc.Render(info.Pages, 600); err == nil {
		t.Error("a page past the end was drawn")
	}
	if _, err := doc.Render(0, 0); err == nil {
		t.Error("a page 0 pixels wide was drawn")
	}
}

// The page drawn matches what poppler draws at the same size: the same
// rows of text in the same places (compared as the share of dark pixels per
// band of the page), when pdftoppm is there to compare with.
func TestRenderMatchesPoppler(t *testing.T) {
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("no pdftoppm to compare with")
	}
	pdf, info := sharedBook(t)
	index := info.Pages / 2
	dir := t.TempDir()
	in := filepath.Join(dir, "book.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	page := strconv.Itoa(index + 1)
	out, err := exec.Command(tool, "-f", page, "-l", page, "-scale-to-x", "400", "-scale-to-y", "-1", "-gray", in, filepath.Join(dir, "p")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	if len(names) != 1 {
		t.Fatalf("pdftoppm wrote %v", names)
	}
	ref, err := readPGM(names[0])
	if err != nil {
		t.Fatal(err)
	}
	doc, err := pdfrender.Open(pdf)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	img, err := doc.Render(index, 400)
	if err != nil {
		t.Fatal(err)
	}
	// Ink per band: the mean darkness of its pixels, 0 (white) to 1. Thin
	// rules are antialiased differently by the two, text lines agree.
	const bands = 20
	h := min(img.Bounds().Dy(), ref.Bounds().Dy())
	for i := range bands {
		r := image.Rect(0, i*h/bands, 400, (i+1)*h/bands)
		ours, theirs := ink(img, r), ink(ref, r)
		if d := math.Abs(ours - theirs); d > 0.002+0.3*max(ours, theirs) {
			t.Errorf("band %d of page %d: ink %.3f here, %.3f in poppler's", i, index+1, ours, theirs)
		}
	}
}

// ink is the mean darkness of the pixels of img in r, 0 (white) to 1.
func ink(img image.Image, r image.Rectangle) float64 {
	sum, all := 0.0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			sum += float64(255-g.Y) / 255
			all++
		}
	}
	return sum / float64(max(all, 1))
}

// readPGM reads a binary (P5) 8-bit PGM as pdftoppm writes it.
func readPGM(name string) (*image.Gray, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`^P5\s+(\d+)\s+(\d+)\s+255\s`).FindSubmatch(b)
	if m == nil {
		return nil, errors.New("not an 8-bit P5 PGM")
	}
	w, _ := strconv.Atoi(string(m[1]))
	h, _ := strconv.Atoi(string(m[2]))
	px := b[len(m[0]):]
	if len(px) < w*h {
		return nil, errors.New("short PGM")
	}
	return &image.Gray{Pix: px[:w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}, nil
}

// Damaged or foreign bytes are an error, never a panic, and the renderer
// still draws the next good PDF.
func TestRenderDamaged(t *testing.T) {
	pdf, _ := sharedBook(t)
	cases := map[string][]byte{
		"empty":     nil,
		"not a PDF": []byte("PK\x03\x04 this is a zip file, not a PDF"),
		"header":    []byte("%PDF-1.7\n"),
		"truncated": pdf[:len(pdf)/3],
		"garbled":   garble(pdf),
	}
	for name, b := range cases {
		doc, err := pdfrender.Open(b)
		if err != nil {
			continue // refused: good
		}
		// PDFium repairs what it can: a damaged file that opens must
		// draw its pages or say why, page by page.
		for i := range doc.Pages() {
			if _, err := doc.Render(i, 200); err != nil {
				t.Logf("%s: page %d: %v", name, i+1, err)
			}
		}
		doc.Close()
		if name == "empty" || name == "not a PDF" || name == "header" {
			t.Errorf("%s: opened as a PDF of %d pages", name, doc.Pages())
		}
	}
	if n, err := pdfrender.PageCount(pdf); err != nil || n < 1 {
		t.Fatalf("after the damaged files: %d pages, %v", n, err)
	}
	if _, err := pdfrender.OpenFile(filepath.Join(t.TempDir(), "missing.pdf")); err == nil {
		t.Error("a missing file opened")
	}
}

// garble overwrites every 97th byte past the header.
func garble(pdf []byte) []byte {
	b := bytes.Clone(pdf)
	for i := 1000; i < len(b); i += 97 {
		b[i] ^= 0x5a
	}
	return b
}

// A document is unusable after its Close and after the renderer stops;
// Open starts the renderer again.
func TestCloseAndRestart(t *testing.T) {
	pdf, _ := sharedBook(t)
	doc, err := pdfrender.OpenFile(writeTemp(t, pdf))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Render(0, 100); !errors.Is(err, pdfrender.ErrClosed) {
		t.Errorf("render after Close: %v", err)
	}
	doc.Close() // twice is harmless

	doc, err = pdfrender.Open(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if err := pdfrender.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Render(0, 100); !errors.Is(err, pdfrender.ErrClosed) {
		t.Errorf("render after the renderer stopped: %v", err)
	}
	doc.Close()
	if _, err := pdfrender.RenderPage(pdf, 0, 100); err != nil {
		t.Fatalf("after a restart: %v", err)
	}
	if pdfrender.StartDuration() <= 0 {
		t.Error("the start was not measured")
	}
}

// Pages drawn from several goroutines at once come out whole.
func TestRenderConcurrent(t *testing.T) {
	pdf, info := sharedBook(t)
	doc, err := pdfrender.Open(pdf)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			img, err := doc.Render((info.Pages/2+g)%info.Pages, 300)
			if err != nil {
				t.Error(err)
				return
			}
			if share, _ := darkShare(img, img.Bounds()); share == 0 {
				t.Errorf("goroutine %d drew a blank page", g)
			}
		})
	}
	wg.Wait()
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}
