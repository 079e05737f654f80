package exchange

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"registar/data"
)

// testdata/libreoffice.xlsx was written by LibreOffice Calc 7.4
// (soffice --headless --infilter=CSV:59,34,76,1 --convert-to xlsx
// testdata/libreoffice.csv): shared strings, real date cells, a phone that
// lost its leading zero to a number cell, a running-number column.
func TestLibreOfficeFixture(t *testing.T) {
	checkLibreOffice(t, filepath.Join("testdata", "libreoffice.xlsx"))
}

// The same sheet converted by the LibreOffice installed here, when there is
// one, imports the same as the CSV it came from.
func TestLibreOfficeConverts(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice is not installed (apt-get install libreoffice-calc)")
	}
	if testing.Short() {
		t.Skip("starts LibreOffice")
	}
	dir := t.TempDir()
	cmd := exec.Command(soffice, "--headless", "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir", dir,
		filepath.Join("testdata", "libreoffice.csv"))
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	checkLibreOffice(t, filepath.Join(dir, "libreoffice.xlsx"))
}

func checkLibreOffice(t *testing.T, path string) {
	t.Helper()
	sh, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	csv, err := Open(filepath.Join("testdata", "libreoffice.csv"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	px := plan(t, nil, sh, "", Options{Lang: bs})
	pc := plan(t, nil, csv, "", Options{Lang: bs})
	if px.Counts != (Counts{Rows: 5, Added: 4, Rejected: 1}) || px.Counts != pc.Counts {
		t.Fatalf("xlsx %+v, csv %+v\n%+v", px.Counts, pc.Counts, px.Rows)
	}
	for i := range px.recs {
		x, c := px.recs[i].(*data.Person), pc.recs[i].(*data.Person)
		if content(t, x) != content(t, c) {
			t.Errorf("row %d differs:\nxlsx %s\ncsv  %s", i+2, content(t, x), content(t, c))
		}
	}
	first := px.recs[0].(*data.Person)
	if first.BirthDate != data.NewDate(1985, 3, 12) || first.Phone != "+38761242771" || first.Country != "DE" || !first.ConsentPublish.Given || first.EmigrationYear != 1992 {
		t.Fatalf("first row: %+v", first)
	}
	if px.recs[1].(*data.Person).GivenName != "Ђорђе" || px.recs[1].(*data.Person).Country != "DE" {
		t.Fatalf("Cyrillic row: %+v", px.recs[1])
	}
}
