package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

// Benchmarks, not timed assertions: figures and commands are in
// docs/bench-reports.md. Run all of them in one go so that the LibreOffice
// comparison is measured on the same machine in the same state:
//
//	CGO_ENABLED=0 go test -run '^$' -bench . -benchtime 5x ./reports/

// book5000 is a registry whose pocket book has exactly 5,000 entries: 4,700
// persons, 250 businesses and 50 organisations, all consenting.
func book5000(b *testing.B) Records {
	b.Helper()
	rs := demoRecords(b, 4700, true) // with 235 businesses and 47 organisations
	n := 0
	for _, r := range rs {
		if k := data.KindOf(r); k != data.KindLocality {
			n++
		}
	}
	// top up to 5,000 with copies of businesses and organisations
	extra := Records{}
	for i := 0; n < 5000; i++ {
		switch v := rs[len(rs)-1-i%200].(type) {
		case *data.Business:
			c := *v
			c.Name += " II"
			extra = append(extra, &c)
			n++
		case *data.Organisation:
			c := *v
			c.Name += " II"
			extra = append(extra, &c)
			n++
		}
	}
	return append(rs, extra...)
}

func benchPocketBook(b *testing.B, size Size, binding Binding) {
	src := book5000(b)
	b.ResetTimer()
	var out bytes.Buffer
	var info Info
	for i := 0; i < b.N; i++ {
		out.Reset()
		var err error
		info, err = Generate(context.Background(), &out, PocketBook, src, Options{Lang: i18n.BS, Size: size, Booklet: binding, Office: testOffice(), Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
	}
	if info.Entries != 5000 {
		b.Fatalf("%d entries, want 5000", info.Entries)
	}
	b.ReportMetric(float64(out.Len())/1e6, "MB")
	b.ReportMetric(float64(info.Pages), "pages")
}

func BenchmarkPocketBook5000A6(b *testing.B)        { benchPocketBook(b, A6, NoBooklet) }
func BenchmarkPocketBook5000A5(b *testing.B)        { benchPocketBook(b, A5, NoBooklet) }
func BenchmarkPocketBook5000A6Booklet(b *testing.B) { benchPocketBook(b, A6, LongEdge) }

// BenchmarkLibreOffice5000Rows is the yardstick of the issue: LibreOffice
// turning a plain 5,000-row sheet (the same entries, one a row) into a PDF.
func BenchmarkLibreOffice5000Rows(b *testing.B) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		b.Skip("soffice not installed (apt-get install libreoffice-calc)")
	}
	dir := b.TempDir()
	sheet := filepath.Join(dir, "entries.csv")
	f, err := os.Create(sheet)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"name", "kind", "country", "city", "profession or sector", "phone", "email"})
	rows := 0
	for _, r := range book5000(b) {
		switch v := r.(type) {
		case *data.Person:
			w.Write([]string{v.Title(), "person", v.Country, v.City, v.Profession, v.Phone, v.Email})
		case *data.Business:
			w.Write([]string{v.Name, "business", v.Country, v.City, v.Sector, v.Phone, v.Email})
		case *data.Organisation:
			w.Write([]string{v.Name, "organisation", v.Country, v.City, v.OrgKind, v.Phone, v.Email})
		default:
			continue
		}
		rows++
	}
	w.Flush()
	f.Close()
	if rows != 5000 {
		b.Fatalf("%d rows", rows)
	}
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
	convert := func() {
		cmd := exec.Command(soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", dir, sheet)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("soffice: %v\n%s", err, out)
		}
	}
	convert() // the first run builds LibreOffice's profile: not counted
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		convert()
	}
	b.StopTimer()
	if st, err := os.Stat(filepath.Join(dir, "entries.pdf")); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "MB")
	}
}

var stats100k Records

func records100k(b *testing.B) Records {
	if stats100k == nil {
		stats100k = demoRecords(b, 100_000, false)
	}
	return stats100k
}

// BenchmarkStatistics100k makes the statistics report of 100,000 persons
// (5,000 businesses, 1,000 organisations) held in memory: counting and
// drawing. Reading them from the store is measured through the CLI (see
// docs/bench-reports.md).
func BenchmarkStatistics100k(b *testing.B) {
	src := records100k(b)
	b.ResetTimer()
	var out bytes.Buffer
	for i := 0; i < b.N; i++ {
		out.Reset()
		if _, err := Generate(context.Background(), &out, Statistics, src, Options{Lang: i18n.SR, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len())/1e6, "MB")
}

func BenchmarkCollectStats100k(b *testing.B) {
	src := records100k(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CollectStats(context.Background(), src, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBrochure100k(b *testing.B) {
	src := records100k(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(context.Background(), &bytes.Buffer{}, Brochure, src, Options{Lang: i18n.SQ, Booklet: ShortEdge, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
