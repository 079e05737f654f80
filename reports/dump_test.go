package reports

import (
	"os"
	"path/filepath"
	"testing"

	"registar/data/i18n"
)

// TestDump writes every publication to $REPORTS_DUMP for looking at
// (pdftoppm -png -r 60); it is skipped unless the variable is set.
func TestDump(t *testing.T) {
	dir := os.Getenv("REPORTS_DUMP")
	if dir == "" {
		t.Skip("set REPORTS_DUMP=DIR to write sample publications")
	}
	src := append(demoRecords(t, 3000, false), fixture()...)
	for _, c := range []struct {
		pub     Publication
		size    Size
		binding Binding
	}{{PocketBook, A6, LongEdge}, {PocketBook, A5, ShortEdge}, {Brochure, A5, LongEdge}} {
		pdf, _ := generate(t, c.pub, src, Options{Lang: i18n.BS, Size: c.size, Booklet: c.binding, Office: testOffice()})
		name := filepath.Join(dir, "booklet-"+string(c.pub)+"-"+string(c.size)+"-"+string(c.binding)+".pdf")
		if err := os.WriteFile(name, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []i18n.Lang{i18n.BS, i18n.SR, i18n.SQ, i18n.EN} {
		for _, pub := range Publications {
			for _, size := range pub.Sizes() {
				pdf, _ := generate(t, pub, src, Options{Lang: lang, Size: size, Office: testOffice()})
				name := filepath.Join(dir, string(pub)+"-"+string(lang)+"-"+string(size)+".pdf")
				if err := os.WriteFile(name, pdf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
