package reports

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"registar/data/i18n"
)

// makeLabels renders labels or fails the test, and returns the PDF's path.
func makeLabels(t *testing.T, labels [][]string, opt LabelOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Labels(&buf, labels, opt); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, buf.Bytes())
}

// numbered are n labels whose first line is "Label <i>" (from 1).
func numbered(n int) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = []string{fmt.Sprintf("Label %d", i+1), "Bahnhofstraße 12", "8001 Zürich", "SWITZERLAND"}
	}
	return out
}

// mmPt converts millimetres to points (pixels of pdftotext -r 72).
func mmPt(mm float64) string { return strconv.Itoa(int(mm * 72 / 25.4)) }

// cropText is the text pdftotext -layout reads in the box (mm) of a page.
func cropText(t *testing.T, path string, page int, x, y, w, h float64) string {
	t.Helper()
	p := strconv.Itoa(page)
	return run(t, "pdftotext", "-layout", "-enc", "UTF-8", "-r", "72", "-f", p, "-l", p,
		"-x", mmPt(x), "-y", mmPt(y), "-W", mmPt(w), "-H", mmPt(h), path, "-")
}

// cellText is the text of one label cell of a page, as lines.
func cellText(t *testing.T, path string, f LabelFormat, page, cell int) []string {
	t.Helper()
	// counted along the rows, worked out here rather than by f.cell
	x := f.Left + float64(cell%f.Cols)*(f.Width+f.GapX)
	y := f.Top + float64(cell/f.Cols)*(f.Height+f.GapY)
	var out []string
	for _, l := range strings.Split(cropText(t, path, page, x+0.3, y+0.3, f.Width-0.6, f.Height-0.6), "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var labelRe = func(s string) int { return strings.Count(s, "Label ") }

func TestLabelFormats(t *testing.T) {
	f, ok := LabelFormatByName("3×7")
	if !ok || f.Cols != 3 || f.Rows != 7 || f.Width != 70 || f.Height != 42.3 {
		t.Fatalf("3x7 = %+v, %v", f, ok)
	}
	if d := f.Top - (297-7*42.3)/2; d > 1e-9 || d < -1e-9 || f.Left != 0 || f.GapX != 0 || f.GapY != 0 {
		t.Errorf("3x7 geometry %+v", f)
	}
	f, ok = LabelFormatByName("2X7")
	if !ok || f.Width != 99.1 || f.Height != 38.1 || f.Top != 15.15 || f.Left != 4.65 || f.GapX != 2.5 {
		t.Fatalf("2x7 = %+v, %v", f, ok)
	}
	if _, ok := LabelFormatByName("4x10"); ok {
		t.Error("4x10 found")
	}
	for _, f := range LabelFormats {
		if !f.fits() {
			t.Errorf("%s does not fit on A4", f.Name)
		}
		// the last cell ends within the page
		x, y := f.cell(f.perSheet() - 1)
		if x+f.Width > 210.05 || y+f.Height > 297.05 {
			t.Errorf("%s: last cell at %.2f,%.2f", f.Name, x, y)
		}
	}
}

// TestLabelsPerSheet fills whole sheets: 21 labels a page on 3×7, 14 on 2×7.
func TestLabelsPerSheet(t *testing.T) {
	needPoppler(t)
	for _, c := range []struct {
		format string
		per    int
	}{{"3x7", 21}, {"2x7", 14}} {
		f, _ := LabelFormatByName(c.format)
		n := 2*c.per + 5
		path := makeLabels(t, numbered(n), LabelOptions{Format: f})
		if got := pageCount(t, path); got != 3 {
			t.Fatalf("%s: %d pages for %d labels", c.format, got, n)
		}
		pages := strings.Split(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"), "\f")
		for i, want := range []int{c.per, c.per, 5} {
			if got := labelRe(pages[i]); got != want {
				t.Errorf("%s page %d: %d labels, want %d", c.format, i+1, got, want)
			}
		}
	}
}

// TestLabelsCellOrder reads each cell of a sheet on its own: label i is in
// cell i along the rows, its lines in order, nothing of a neighbour in it.
func TestLabelsCellOrder(t *testing.T) {
	needPoppler(t)
	for _, f := range LabelFormats {
		path := makeLabels(t, numbered(f.perSheet()), LabelOptions{Format: f})
		for cell := 0; cell < f.perSheet(); cell++ {
			got := cellText(t, path, f, 1, cell)
			want := []string{fmt.Sprintf("Label %d", cell+1), "Bahnhofstraße 12", "8001 Zürich", "SWITZERLAND"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s cell %d: %q, want %q", f.Name, cell, got, want)
			}
		}
	}
}

// TestLabelsSkip leaves the used cells of the first sheet empty.
func TestLabelsSkip(t *testing.T) {
	needPoppler(t)
	f := LabelFormats[0]
	path := makeLabels(t, numbered(20), LabelOptions{Format: f, Skip: 5})
	pages := strings.Split(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"), "\f")
	if got := labelRe(pages[0]); got != 16 {
		t.Errorf("first sheet: %d labels, want 16", got)
	}
	if got := labelRe(pages[1]); got != 4 {
		t.Errorf("second sheet: %d labels, want 4", got)
	}
	for cell := 0; cell < 5; cell++ {
		if got := cellText(t, path, f, 1, cell); len(got) != 0 {
			t.Errorf("used cell %d printed on: %q", cell, got)
		}
	}
	if got := cellText(t, path, f, 1, 5); len(got) == 0 || got[0] != "Label 1" {
		t.Errorf("cell 5 = %q, want Label 1", got)
	}
	if got := cellText(t, path, f, 2, 0); len(got) == 0 || got[0] != "Label 17" {
		t.Errorf("second sheet's first cell = %q, want Label 17", got)
	}
}

// TestLabelsScripts keeps Bosnian, Serbian Cyrillic and Albanian letters
// intact, and shrinks or wraps long lines without spilling into the next
// label.
func TestLabelsScripts(t *testing.T) {
	needPoppler(t)
	long := "Udruženje građana dijaspore Cazinske krajine „Bosanska kuća“ e. V., c/o Šefik Bajramović"
	labels := [][]string{
		{"Ђорђе Петровић", "Булевар краља Александра 73", "11000 Београд"},
		{"Arbër Çeliku", "Rruga Skënderbeu 14", "60000 Gjilan", "KOSOVË"},
		{"Šefik Bajramović", "Đure Đakovića 3", "77220 Cazin"},
		{long, "Hauptstraße 1", "70173 Stuttgart", "NJEMAČKA"},
		{"A", "B", "C", "D", "E", "F", "G", "Zadnja linija"},
		{"Neighbour"},
	}
	for _, f := range LabelFormats {
		path := makeLabels(t, labels, LabelOptions{Format: f})
		cells := make([]string, len(labels))
		for i := range labels {
			cells[i] = squash(strings.Join(cellText(t, path, f, 1, i), " "))
		}
		for i, want := range []string{"Ђорђе Петровић Булевар краља Александра 73 11000 Београд",
			"Arbër Çeliku Rruga Skënderbeu 14 60000 Gjilan KOSOVË",
			"Šefik Bajramović Đure Đakovića 3 77220 Cazin"} {
			if cells[i] != want {
				t.Errorf("%s label %d: %q, want %q", f.Name, i, cells[i], want)
			}
		}
		// the long name is all there (shrunk or wrapped), and so are the
		// lines after it
		if !strings.HasPrefix(cells[3], squash(long)) || !strings.HasSuffix(cells[3], "70173 Stuttgart NJEMAČKA") {
			t.Errorf("%s long label: %q", f.Name, cells[3])
		}
		// eight lines: the first and the last stay, the middle is joined
		if !strings.HasPrefix(cells[4], "A ") || !strings.HasSuffix(cells[4], "Zadnja linija") || !strings.Contains(cells[4], "G") {
			t.Errorf("%s eight-line label: %q", f.Name, cells[4])
		}
		if cells[5] != "Neighbour" {
			t.Errorf("%s: the label after the long ones reads %q", f.Name, cells[5])
		}
		// and no word is set smaller than 7 pt to make it fit: pdftotext
		// -bbox gives each word's box, about 1.36 times the font's size
		for _, m := range bboxRe.FindAllStringSubmatch(run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-"), -1) {
			y0, _ := strconv.ParseFloat(m[1], 64)
			y1, _ := strconv.ParseFloat(m[2], 64)
			if pt := (y1 - y0) / 1.36; pt < 6.9 {
				t.Errorf("%s: %q set at %.1f pt", f.Name, m[3], pt)
			}
		}
	}
}

var bboxRe = regexp.MustCompile(`<word xMin="[-\d.]+" yMin="([-\d.]+)" xMax="[-\d.]+" yMax="([-\d.]+)">([^<]*)</word>`)

func TestLabelsErrors(t *testing.T) {
	err := Labels(&bytes.Buffer{}, nil, LabelOptions{})
	if !errors.Is(err, ErrNoLabels) {
		t.Fatalf("no labels: %v", err)
	}
	msg, ok := i18n.ErrorMessage(err, i18n.BS)
	if !ok || msg != i18n.T(i18n.BS, "outreachpdf.no_labels") || !strings.Contains(msg, "naljepnice") {
		t.Errorf("Bosnian message: %q, %v", msg, ok)
	}
	var buf bytes.Buffer
	err = Labels(&buf, numbered(1), LabelOptions{Skip: 21})
	if msg, _ := i18n.ErrorMessage(err, i18n.EN); err == nil || !strings.Contains(msg, "between 0 and 20") {
		t.Errorf("skip 21 on 3x7: %v", err)
	}
	err = Labels(&buf, numbered(1), LabelOptions{Format: LabelFormat{Name: "huge", Cols: 3, Rows: 8, Width: 70, Height: 42.3}})
	if msg, _ := i18n.ErrorMessage(err, i18n.SQ); err == nil || !strings.Contains(msg, "huge") {
		t.Errorf("a format larger than A4: %v", err)
	}
	if buf.Len() != 0 {
		t.Error("something was written for a refused run")
	}
}
