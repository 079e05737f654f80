package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writePersonsXLSX writes n persons the way a field office's sheet has
// them: Bosnian headers, real date cells, local phone numbers, countries in
// several languages, a few Cyrillic rows.
func writePersonsXLSX(t testing.TB, path string, n int) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
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
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

type statsOut struct {
	Persons, Localities, Businesses, Organisations int
}

func statsOf(t *testing.T, db string) statsOut {
	t.Helper()
	var s statsOut
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "stats", "--json")), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportExportUndoFromTheShell(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	sheet := filepath.Join(dir, "teren.csv")
	os.WriteFile(sheet, []byte("\uFEFFIme;Prezime;Datum rođenja;Država;Spol;Hobi\n"+
		"Amir;Hodžić;12.03.1985.;Njemačka;M;šah\n"+
		"Амир;Хоџић;12.03.1985;DE;м;\n"+
		"Emina;;01.01.1990;Atlantida;Ž;\n"+
		"Arbër;Krasniqi;1990-06-30;Zvicra;M;\n"), 0o600)

	out := mustCLI(t, nil, "--db", db, "--lang", "bs", "import", sheet, "--dry-run", "--rejects", filepath.Join(dir, "odbijeni.xlsx"))
	for _, want := range []string{"Novih zapisa:", "2", "Preskočenih duplikata:", "Odbijenih:", `"Hobi"`, "„Prezime” je obavezno", "Probni uvoz"} {
		if !strings.Contains(out, want) {
			t.Fatalf("dry run lacks %q:\n%s", want, out)
		}
	}
	if s := statsOf(t, db); s.Persons != 0 {
		t.Fatalf("a dry run wrote %d persons", s.Persons)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "odbijeni.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	f.Close()
	if len(rows) != 2 || rows[1][0] != "Emina" || !strings.Contains(rows[1][len(rows[1])-1], "Atlantida") {
		t.Fatalf("rejects file: %q", rows)
	}

	out = mustCLI(t, nil, "--db", db, "import", sheet)
	key := ""
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "registar-cli undo "); i >= 0 {
			key = strings.TrimSpace(line[i+len("registar-cli undo "):])
		}
	}
	if key == "" || statsOf(t, db).Persons != 2 {
		t.Fatalf("import:\n%s", out)
	}
	// Again: everything is a duplicate now.
	if out := mustCLI(t, nil, "--db", db, "import", sheet); !strings.Contains(out, "Skipped as duplicates:  3") {
		t.Fatalf("second import:\n%s", out)
	}

	xlsx := filepath.Join(dir, "osobe.xlsx")
	if out := mustCLI(t, nil, "--db", db, "export", "--kind", "persons", xlsx, "--lang", "sr"); !strings.Contains(out, "извезено редова: 2") {
		t.Fatal(out)
	}
	f, err = excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = f.GetRows("Особе")
	f.Close()
	if len(rows) != 3 || rows[0][1] != "Име" {
		t.Fatalf("export: %q", rows)
	}
	if out := mustCLI(t, nil, "--db", db, "export", "--query", "krasniqi", filepath.Join(dir, "k.xlsx")); !strings.Contains(out, "1 rows exported") {
		t.Fatal(out)
	}
	// Update mode: the exported file changes nothing.
	if out := mustCLI(t, nil, "--db", db, "import", xlsx, "--duplicates", "update"); !strings.Contains(out, "Already up to date:     2") {
		t.Fatalf("update with the export:\n%s", out)
	}

	mustCLI(t, nil, "--db", db, "undo", key)
	if s := statsOf(t, db); s.Persons != 0 {
		t.Fatalf("undo left %d persons", s.Persons)
	}
	if r := cli(t, nil, "--db", db, "undo", key); r.code != 1 || !strings.Contains(r.stderr, "nothing to undo") {
		t.Fatalf("second undo: %d %q", r.code, r.stderr)
	}

	tpl := filepath.Join(dir, "obrazac.xlsx")
	mustCLI(t, nil, "--db", db, "template", "--kind", "persons", tpl, "--lang", "sq")
	f, err = excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, _ := f.GetDataValidations("Persona")
	if sheets := f.GetSheetList(); len(sheets) != 3 || sheets[1] != "Udhëzime" || len(dvs) < 5 {
		t.Fatalf("template sheets %v, %d validations", sheets, len(dvs))
	}
}

func TestExchangeExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	junk := filepath.Join(dir, "junk.xlsx")
	os.WriteFile(junk, []byte("this is not a workbook"), 0o600)
	unknown := filepath.Join(dir, "u.csv")
	os.WriteFile(unknown, []byte("foo;bar\n1;2\n"), 0o600)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--db", db, "import"}, 2, "give one file"},
		{[]string{"--db", db, "import", junk, "--duplicates", "merge"}, 2, "skip or update"},
		{[]string{"--db", db, "import", junk, "--kind", "cars"}, 2, "unknown kind"},
		{[]string{"--db", db, "import", junk}, 1, "damaged"},
		{[]string{"--db", db, "import", filepath.Join(dir, "none.csv")}, 1, "no such file"},
		{[]string{"--db", db, "import", unknown}, 1, "choose the kind"},
		{[]string{"--db", db, "import", unknown, "--kind", "person", "--map", "foo"}, 2, "HEADER=field"},
		{[]string{"--db", db, "import", unknown, "--kind", "person", "--map", "foo=shoe_size"}, 2, "no field"},
		{[]string{"--db", db, "export", filepath.Join(dir, "x.xlsx")}, 2, "--kind or --query"},
		{[]string{"--db", db, "template", "--kind", "cars", filepath.Join(dir, "t.xlsx")}, 2, "unknown kind"},
		{[]string{"--db", db, "undo"}, 2, "step key"},
		{[]string{"--db", db, "undo", "a/123"}, 1, "nothing to undo"},
	}
	for _, c := range cases {
		r := cli(t, nil, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: a user error must be one line: %q", c.args, r.stderr)
		}
	}
}

// TestKillMidwayImport kills imports of 20,000 persons at chosen points of
// their writing, and proves from the progress the CLI printed where each
// kill landed: a progress line says a chunk of the step is in the registry,
// and the step commits only after the last one ("20000 / 20000"). A kill
// whose process printed some but not all of them landed mid-import, and
// must leave none of the persons; a kill after the last may leave none or
// all. At least two kills must be proved mid-import, or the test proves
// nothing.
func TestKillMidwayImport(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const total = 20000
	dir := t.TempDir()
	big := filepath.Join(dir, "big.xlsx")
	writePersonsXLSX(t, big, total)
	progressLine := regexp.MustCompile(`(\d+) / ` + strconv.Itoa(total) + `\b`)
	midway := 0
	// Kill once the first chunk is written, at half, and when one chunk (of
	// 500) is left: that one may race the commit, which the checks allow.
	for attempt, killAt := range []int{1, total / 2, total - 500} {
		db := filepath.Join(dir, "db"+strconv.Itoa(attempt))
		mustCLI(t, nil, "--db", db, "stats") // an empty registry
		cmd := exec.Command(cliPath, "--db", db, "--lang", "en", "import", big)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
		var stdout strings.Builder
		cmd.Stdout = &stdout
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// written is the most the process said it had written: read up to
		// the line that triggers the kill, then, after the kill, whatever
		// else it printed before it died.
		written, killed := 0, false
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			m := progressLine.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[1])
			written = max(written, n)
			if !killed && n >= killAt {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
		err = cmd.Wait()
		if !killed {
			t.Fatalf("attempt %d: the import ended without the progress line to kill at (%d written): %v\n%s",
				attempt, written, err, stdout.String())
		}
		committed := strings.Contains(stdout.String(), "Imported as one step")
		// -1: ended by a signal. Only an import that finished before the
		// kill reached it may have exited by itself.
		if ws, ok := err.(*exec.ExitError); (!ok || ws.ExitCode() != -1) && !(err == nil && committed) {
			t.Fatalf("attempt %d: the import was not ended by the kill: %v\n%s", attempt, err, stdout.String())
		}

		s := statsOf(t, db) // opens, recovers the step, counts
		switch {
		case written == 0:
			t.Fatalf("attempt %d: killed before any progress line", attempt)
		case written < total:
			// Proved mid-import: at least one chunk was in the registry, and
			// the process died before the line that precedes the commit.
			midway++
			if s.Persons != 0 || committed {
				t.Fatalf("attempt %d: killed with %d of %d written, the registry holds %d persons (committed: %v)",
					attempt, written, total, s.Persons, committed)
			}
		case committed && s.Persons != total:
			t.Fatalf("attempt %d: the import said it was done, the registry holds %d persons", attempt, s.Persons)
		case s.Persons != 0 && s.Persons != total:
			t.Fatalf("attempt %d: after a kill the registry holds %d of %d persons", attempt, s.Persons, total)
		}
		t.Logf("killed at %d written (aimed at %d): %d persons", written, killAt, s.Persons)
		if out := mustCLI(t, nil, "--db", db, "search", "hodzic", "--limit", "1"); s.Persons == 0 && strings.TrimSpace(out) != "0 found" {
			t.Fatalf("rolled-back rows still found:\n%s", out)
		}
		// And the import still goes through afterwards.
		if s.Persons == 0 && attempt == 0 {
			mustCLI(t, nil, "--db", db, "import", big)
			if s := statsOf(t, db); s.Persons != total {
				t.Fatalf("import after the kill: %d persons", s.Persons)
			}
		}
	}
	if midway < 2 {
		t.Fatalf("only %d of the kills were proved to land mid-import", midway)
	}
}

// A fresh registry takes the Cazin office's first field sheet: the local
// communities it names are created in the same undoable step; with
// --new-localities reject the rows are refused instead.
func TestFirstFieldSheetCreatesLocalities(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	sheet := filepath.Join(dir, "teren.csv")
	os.WriteFile(sheet, []byte("Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\n"+
		"Amir;Hodžić;12.03.1985.;Njemačka;Cazin\n"+
		"Emina;Begić;01.01.1990;Austrija;Pećigrad\n"+
		"Senad;Mujić;02.02.1970;Švedska;Пећиград\n"), 0o600)

	out := cli(t, nil, "--db", db, "--lang", "bs", "import", sheet, "--new-localities", "reject")
	if !strings.Contains(out.stdout, "nema mjesne zajednice „Cazin”") {
		t.Fatalf("reject: %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if s := statsOf(t, db); s.Persons != 0 || s.Localities != 0 {
		t.Fatalf("after reject: %+v", s)
	}
	out = cli(t, nil, "--db", db, "--lang", "bs", "import", sheet, "--municipality", "Cazin")
	if out.code != 0 || !strings.Contains(out.stdout, "Nove mjesne zajednice:") || !strings.Contains(out.stdout, "2 — Cazin, Pećigrad") {
		t.Fatalf("create: %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if s := statsOf(t, db); s.Persons != 3 || s.Localities != 2 {
		t.Fatalf("after import: %+v", s)
	}
	_, step, _ := strings.Cut(out.stdout, "registar-cli undo ")
	mustCLI(t, nil, "--db", db, "undo", strings.TrimSpace(step))
	if s := statsOf(t, db); s.Persons != 0 || s.Localities != 0 {
		t.Fatalf("after undo: %+v", s)
	}
	// .csv export by the name, and --format.
	mustCLI(t, nil, "--db", db, "import", sheet, "--municipality", "Cazin")
	csvOut := filepath.Join(dir, "osobe.csv")
	mustCLI(t, nil, "--db", db, "--lang", "bs", "export", "--kind", "person", csvOut)
	b, _ := os.ReadFile(csvOut)
	if !strings.HasPrefix(string(b), "\ufeff") || !strings.Contains(string(b), "Pećigrad") || strings.HasPrefix(string(b), "PK") {
		t.Fatalf("csv export: %q", b)
	}
	xOut := filepath.Join(dir, "osobe.dat")
	mustCLI(t, nil, "--db", db, "export", "--kind", "person", "--format", "xlsx", xOut)
	if b, _ := os.ReadFile(xOut); !strings.HasPrefix(string(b), "PK") {
		t.Fatalf("--format xlsx wrote %q", b[:min(10, len(b))])
	}
}
