package pdfrender_test

import (
	"testing"
	"time"

	"registar/reports/pdfrender"
)

// Benchmarks, not timed assertions; figures and commands are in
// docs/bench-reports.md:
//
//	CGO_ENABLED=0 go test -run '^$' -bench . -benchtime 3x ./reports/pdfrender/
//
// Besides ns/op each reports cpu-ms/op, the process's CPU time per
// operation, which a busy shared machine inflates less than the wall clock.

// reportCPU adds cpu-ms/op from the CPU time used since before.
func reportCPU(b *testing.B, before time.Duration) {
	if after := cpuTime(); after > 0 {
		b.ReportMetric(float64(after-before)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkStart is the start of the renderer without a compilation cache:
// wazero compiles PDFium's 6 MB module to machine code.
func BenchmarkStart(b *testing.B) {
	pdfrender.Close()
	pdfrender.SetCacheDir("")
	before := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := pdfrender.Start(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pdfrender.Close()
		b.StartTimer()
	}
	reportCPU(b, before)
}

// BenchmarkStartCached is a start that finds the compiled module in the
// cache folder a previous run of the program filled (SetCacheDir).
func BenchmarkStartCached(b *testing.B) {
	pdfrender.Close()
	pdfrender.SetCacheDir(b.TempDir())
	defer pdfrender.SetCacheDir("")
	if _, err := pdfrender.Start(); err != nil { // fills the cache
		b.Fatal(err)
	}
	pdfrender.Close()
	before := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := pdfrender.Start(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pdfrender.Close()
		b.StartTimer()
	}
	reportCPU(b, before)
}

// benchPages draws the pages of an A6 pocket book of 1,000 persons in turn
// at width pixels, the renderer already started and the document open.
func benchPages(b *testing.B, width int) {
	pdf, info := pocketBook(b, 1000)
	if _, err := pdfrender.Start(); err != nil {
		b.Fatal(err)
	}
	doc, err := pdfrender.Open(pdf)
	if err != nil {
		b.Fatal(err)
	}
	defer doc.Close()
	before := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		if _, err := doc.Render(i%info.Pages, width); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, before)
	b.ReportMetric(float64(info.Pages), "pages")
}

// 700 pixels: an A6 page zoomed to the width of the preview on 1366×768.
func BenchmarkPocketBookPage700(b *testing.B)  { benchPages(b, 700) }
func BenchmarkPocketBookPage1400(b *testing.B) { benchPages(b, 1400) }

// BenchmarkOpen is opening the pocket book's bytes (page count included).
func BenchmarkOpen(b *testing.B) {
	pdf, _ := pocketBook(b, 1000)
	if _, err := pdfrender.Start(); err != nil {
		b.Fatal(err)
	}
	before := cpuTime()
	b.ResetTimer()
	for range b.N {
		doc, err := pdfrender.Open(pdf)
		if err != nil {
			b.Fatal(err)
		}
		doc.Close()
	}
	reportCPU(b, before)
	b.ReportMetric(float64(len(pdf))/1e6, "MB")
}
