// Package reports writes Registar's publications as PDF: the pocket book
// (džepni vodič, libër xhepi) of the diaspora, the brochure with the
// numbers, the statistics report for the head of office and the blank
// registration form for field volunteers, in any of the six languages and
// scripts, ready for the office printer or imposed as a booklet on A4 duplex.
//
// The package never imports Fyne and builds without cgo: the GUI and the CLI
// call Generate with an io.Writer and a progress function and get the PDF.
// Records come through Source (a *store.Store is one; Records wraps a
// slice), so reports do not depend on Badger.
//
// Layout is done by hand over github.com/jung-kurt/gofpdf with the embedded
// Noto Sans (package reports/fonts): every user string is sanitised first
// (the library panics on runes above U+FFFF), text is wrapped to the column
// so nothing runs off the page, and charts are drawn as vectors. Contents
// pages are reserved while the book is laid out and filled in once the page
// of every country and city is known (gofpdf's SetPage), so their numbers
// are exact and right-aligned. Booklets are imposed with
// github.com/pdfcpu/pdfcpu (see Impose).
package reports
