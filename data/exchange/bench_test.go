package exchange

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// benchSheet writes n persons as a field office's sheet has them (Bosnian
// headers, real date cells, local phones, countries in several languages,
// Cyrillic rows) and returns its path. The same sheet as the CLI's
// kill-midway test.
func benchSheet(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("persons-%d.xlsx", n))
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	sw.SetRow("A1", []any{"R. br.", "Ime", "Prezime", "Datum rođenja", "Spol", "Država", "Grad", "Telefon", "E-mail", "Saglasnost za objavu"})
	given := []string{"Amir", "Emina", "Ђорђе", "Arbër", "Selma", "Jasmin", "Ајла", "Drita"}
	family := []string{"Hodžić", "Begić", "Петровић", "Krasniqi", "Kovačević", "Mehmedović", "Јовановић", "Gashi"}
	countries := []string{"Njemačka", "Austrija", "Švicarska", "Немачка", "Gjermani", "SE", "Sweden", "Slovenija"}
	for i := 0; i < n; i++ {
		born := time.Date(1940+i%60, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		row := []any{i + 1, given[i%len(given)], fmt.Sprintf("%s %d", family[i/len(given)%len(family)], i),
			excelize.Cell{StyleID: dateStyle, Value: born}, []string{"M", "Ž"}[i%2], countries[i%len(countries)],
			"Stuttgart", fmt.Sprintf("061 %03d %03d", i%1000, i/1000), fmt.Sprintf("osoba%d@example.com", i), []string{"da", "ne"}[i%2]}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImport20k: read, recognise, validate, check duplicates (against a
// registry that already holds 20,000 other persons) and write 20,000 rows as
// one step into a registry on disk. When LibreOffice is installed, the time
// `soffice --headless --convert-to csv` needs just to read the same sheet is
// reported beside it (soffice-s), measured in the same run.
func BenchmarkImport20k(b *testing.B) {
	path := benchSheet(b, 20000)
	var sofficeTime time.Duration
	other := benchSheet(b, 20000)
	if soffice, err := exec.LookPath("soffice"); err == nil {
		dir := b.TempDir()
		convert := func() *exec.Cmd {
			cmd := exec.Command(soffice, "--headless", "--convert-to", "csv", "--outdir", dir, path)
			cmd.Env = append(os.Environ(), "HOME="+dir)
			return cmd
		}
		convert().Run() // the first start of LibreOffice sets up its profile: not counted
		start := time.Now()
		if out, err := convert().CombinedOutput(); err != nil {
			b.Fatalf("soffice: %v\n%s", err, out)
		}
		sofficeTime = time.Since(start)
	}
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		// A registry with 20,000 persons already (other e-mails, other names).
		osh, _ := Open(other, ReadOptions{})
		for i := range osh.Rows {
			osh.Rows[i].Cells[2] += "x"
			osh.Rows[i].Cells[8] = "x" + osh.Rows[i].Cells[8]
		}
		om, _ := Recognise(osh, "")
		op, _ := Prepare(context.Background(), st, osh, om, Options{})
		if _, err := op.Apply(context.Background(), st, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()

		sh, err := Open(path, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := Recognise(sh, "")
		if err != nil {
			b.Fatal(err)
		}
		p, err := Prepare(context.Background(), st, sh, m, Options{Lang: i18n.BS})
		if err != nil {
			b.Fatal(err)
		}
		if p.Counts.Added != 20000 {
			b.Fatalf("%+v %v", p.Counts, p.Rejected()[:1])
		}
		if _, err := p.Apply(context.Background(), st, nil); err != nil {
			b.Fatal(err)
		}

		total += time.Since(start)
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "import-s")
	if sofficeTime > 0 {
		b.ReportMetric(sofficeTime.Seconds(), "soffice-s")
	}
}

// BenchmarkExport100k: 100,000 persons from a registry on disk to .xlsx
// with excelize's StreamWriter.
func BenchmarkExport100k(b *testing.B) {
	const n = 100000
	st, err := store.Open(filepath.Join(b.TempDir(), "db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	loc := addLocality(b, st, "Ćoralići", "Cazin")
	for start := 0; start < n; start += 20000 {
		recs := make([]data.Record, 0, 20000)
		for i := start; i < start+20000; i++ {
			recs = append(recs, &data.Person{
				GivenName: []string{"Amir", "Ђорђе", "Arbër"}[i%3], FamilyName: fmt.Sprintf("Hodžić %d", i),
				Gender: []string{"f", "m"}[i%2], BirthDate: data.NewDate(1940+i%60, time.Month(1+i%12), 1+i%28),
				LocalityID: loc, Country: []string{"DE", "AT", "CH", "SE"}[i%4], City: "Stuttgart",
				Email: fmt.Sprintf("p%d@example.com", i), Phone: "+38761242771", Profession: "inženjer",
				Education: "master", EmigrationYear: 1990 + i%30, Interests: []string{"invest", "return"},
				Languages: []string{"bosanski", "njemački"}, Notes: "napomena",
				ConsentPublish: data.Consent{Given: true, Date: data.NewDate(2024, 5, 6), How: "written"},
			})
		}
		if _, err := st.Apply(context.Background(), store.Step{Action: "bench"}, recs, nil); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		rows, err := Export(context.Background(), io.Discard, st, search.Query{Kind: data.KindPerson}, ExportOptions{Lang: i18n.BS})
		if err != nil || rows != n {
			b.Fatalf("%d rows: %v", rows, err)
		}
	}
}
