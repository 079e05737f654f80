package exchange

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// personSheet is an .xlsx of n persons in 25 columns, written the way
// excelize's StreamWriter writes (inline strings: the largest worksheet
// XML for its rows), with the partSize of its worksheet XML.
func personSheet(t testing.TB, n int) (b []byte, partSize int64) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	head := []any{"Ime", "Prezime", "Ime roditelja", "Spol", "Datum rođenja", "Općina", "Mjesna zajednica",
		"Država", "Grad", "Adresa", "E-mail", "Telefon", "Zanimanje", "Obrazovanje", "Godina iseljenja",
		"Dana kod kuće", "Generacija", "Interesi", "Potrebe", "Jezici", "Napomena", "Pristanak kontakt",
		"Pristanak objava", "Izvor", "Oznake"}
	if err := sw.SetRow("A1", head); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		row := []any{[]string{"Amir", "Ђорђе", "Arbër", "Emina"}[i%4], fmt.Sprintf("Hodžić %d", i), "Mehmed", "m",
			fmt.Sprintf("%02d.%02d.%d", 1+i%28, 1+i%12, 1940+i%60), "Cazin", "Ćoralići", "Njemačka", "Stuttgart",
			fmt.Sprintf("Königstraße %d", i%300), fmt.Sprintf("osoba%d@example.de", i), fmt.Sprintf("+49 176 %08d", i),
			"inženjer", "master", 1990 + i%30, 20 + i%40, "1", "invest; return", "posao za sina", "bosanski, njemački",
			"napomena", "da", "ne", "terenski upitnik", "ljeto"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range z.File {
		if strings.HasPrefix(e.Name, "xl/worksheets/sheet") {
			partSize = int64(e.UncompressedSize64)
		}
	}
	return buf.Bytes(), partSize
}

// isolateTemp points the system temp folder and the user's cache folder at
// empty test folders and forgets this process's temp folder.
func isolateTemp(t testing.TB) (system, cache string) {
	t.Helper()
	system, cache = t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", system)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache) // darwin's cache folder is under HOME
	reset := func() {
		tempMu.Lock()
		tempDir, tempTried = "", false
		tempMu.Unlock()
	}
	reset()
	t.Cleanup(reset)
	return system, cache
}

// excelizeFiles lists the excelize-* files under the folders.
func excelizeFiles(dirs ...string) []string {
	var found []string
	for _, d := range dirs {
		filepath.Walk(d, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasPrefix(info.Name(), "excelize-") {
				found = append(found, p)
			}
			return nil
		})
	}
	return found
}

// A sheet whose worksheet XML is larger than excelize's default limit
// (16 MB, above which it unpacks the sheet to a temporary file in clear
// text, left behind by a killed import) is read in memory: while it is
// open and read, no temporary file exists anywhere.
func TestLargeSheetIsReadWithoutTemporaryFiles(t *testing.T) {
	system, cache := isolateTemp(t)
	b, part := personSheet(t, 20000)
	if part <= 16<<20 {
		t.Fatalf("the sheet's XML is only %d bytes: it would stay in memory anyway", part)
	}
	f, err := openXLSX(b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if n != 20001 {
		t.Fatalf("%d rows", n)
	}
	// A kill here (before Close) leaves whatever exists now.
	if left := excelizeFiles(system, cache); len(left) > 0 {
		t.Fatalf("temporary files while reading: %v", left)
	}
	rows.Close()
}

// A sheet too large even for the raised limit goes to a temporary file in
// this process's own folder, not the system's temp folder.
func TestTemporaryFilesGoToRegistarsFolder(t *testing.T) {
	system, cache := isolateTemp(t)
	dir := XLSXTempDir()
	if !strings.HasPrefix(dir, cache) || filepath.Base(dir) != strconv.Itoa(os.Getpid()) {
		t.Fatalf("temp folder %q, want one named after this process under %s", dir, cache)
	}
	b, _ := personSheet(t, 2000)
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipXMLSizeLimit: 1 << 10, TmpDir: XLSXTempDir()})
	if err != nil {
		t.Fatal(err)
	}
	inOurs, inSystem := excelizeFiles(dir), excelizeFiles(system)
	f.Close()
	if len(inOurs) == 0 || len(inSystem) > 0 {
		t.Fatalf("temporary files: ours %v, system's %v", inOurs, inSystem)
	}
}

// At the next start the folders of Registar processes that are gone (a
// killed import) are emptied; another running Registar's and this one's
// are left alone.
func TestLeftoverTemporaryFilesAreRemoved(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sleep and true")
	}
	_, cache := isolateTemp(t)
	root := tempRoot()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip(err)
	}
	alive := exec.Command("sleep", "60")
	if err := alive.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { alive.Process.Kill(); alive.Wait() }()
	leave := func(folder string) string {
		p := filepath.Join(root, folder, "excelize-1234")
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte("<sheetData>Hodžić</sheetData>"), 0o600)
		return p
	}
	killed := leave(strconv.Itoa(dead.Process.Pid))
	running := leave(strconv.Itoa(alive.Process.Pid))
	loose := filepath.Join(root, "excelize-99")
	os.WriteFile(loose, []byte("x"), 0o600)
	notOurs := filepath.Join(root, "notes.txt")
	os.WriteFile(notOurs, []byte("x"), 0o600)
	if !strings.HasPrefix(root, cache) {
		t.Fatalf("root %s", root)
	}

	mine := XLSXTempDir() // the first use cleans up
	RemoveLeftoverTemp()  // and so does the start of the app or CLI
	for p, want := range map[string]bool{killed: false, loose: false, running: true, notOurs: true, mine: true} {
		_, err := os.Stat(p)
		if (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", p, err == nil, want)
		}
	}
}

// BenchmarkReadXLSX100k reads a 100,000-row, 25-column sheet held in
// memory (no temporary file) and reports its worksheet XML's size and the
// peak heap while reading.
func BenchmarkReadXLSX100k(b *testing.B) {
	isolateTemp(b)
	data, part := personSheet(b, 100000)
	if part > unzipXMLLimit {
		b.Fatalf("the sheet's XML (%d bytes) is over the limit: it would go to a temporary file", part)
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	for b.Loop() {
		sh, err := readXLSX(data, ReadOptions{MaxRows: defaultMaxRows})
		if err != nil || len(sh.Rows) != 100000 {
			b.Fatalf("%v", err)
		}
	}
	close(stop)
	b.ReportMetric(float64(peak.Load()-base.HeapInuse)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(part)/(1<<20), "sheet-XML-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
	if left := excelizeFiles(os.TempDir(), tempRoot()); len(left) > 0 {
		b.Fatalf("temporary files: %v", left)
	}
}
