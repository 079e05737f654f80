package exchange

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An ODK Central CSV: group paths joined by "-", split select_multiple,
// the consent dates the form calculates itself, and a submission a
// reviewer rejected.
func TestCentralCSV(t *testing.T) {
	sh := openSource(t, filepath.Join(fieldData, "central-registar-persons.csv"))
	o := sh.Origin
	if o == nil || o.Kind != OriginCentral || o.FormID != "registar-persons" || o.Submissions != 3 || o.NotApproved != 1 ||
		o.FormVersion != "2026120701" {
		t.Fatalf("origin %+v", o)
	}
	recs := records(t, sh)
	if len(recs) != 2 {
		t.Fatalf("rows %v", recs)
	}
	want(t, recs[0], map[string]string{
		"#submission": "uuid:3c1a9e0e-52f6-4f0a-8f3e-1d2b3c4d5e01", "given_name": "Arben", "family_name": "Krasniqi",
		"locality_id": "Livoč", "country": "CH", "city": "Zürich", "email": "arben.k@example.ch", "phone": "+41 79 123 45 67",
		"interests": "business; volunteer", "consent_contact.date": "2026-12-02", "consent_contact.how": "form",
	})
	// hasIssues imports; a consent not given has no date.
	want(t, recs[1], map[string]string{"given_name": "Vlora", "interests": "invest", "consent_publish": "no", "consent_publish.date": ""})
}

// centralZip is what Central's "Download → CSV (.zip)" holds: the
// submissions table, a repeat group's table and the media, with extra
// entries added by the test.
func centralZip(t testing.TB, extra map[string][]byte) []byte {
	t.Helper()
	table, err := os.ReadFile(filepath.Join(fieldData, "central-registar-persons.csv"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"registar-persons.csv":         table,
		"registar-persons-djeca.csv":   []byte("ime,PARENT_KEY,KEY\nAmar,uuid:3c1a9e0e-52f6-4f0a-8f3e-1d2b3c4d5e01,uuid:3c1a9e0e-52f6-4f0a-8f3e-1d2b3c4d5e01/djeca[1]\n"),
		"media/1733309000000.jpg":      []byte("jpeg"),
		"media/registar-persons-x.csv": []byte("SubmissionDate,KEY\n"),
	}
	for k, v := range extra {
		files[k] = v
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// The repeat's table first: the submissions table is found by its shape.
	for _, name := range []string{"registar-persons-djeca.csv", "media/1733309000000.jpg", "media/registar-persons-x.csv", "registar-persons.csv"} {
		if b, ok := files[name]; ok {
			w, _ := zw.Create(name)
			w.Write(b)
			delete(files, name)
		}
	}
	for name, b := range files {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCentralZip(t *testing.T) {
	sh := openSource(t, writeFile(t, "registar-persons.zip", centralZip(t, nil)))
	if sh.Origin == nil || sh.Origin.Kind != OriginCentral || sh.Origin.FormID != "registar-persons" || len(sh.Rows) != 2 {
		t.Fatalf("origin %+v, %d rows", sh.Origin, len(sh.Rows))
	}
	if sh.File != "registar-persons.zip" {
		t.Errorf("file %q", sh.File)
	}
}

// Zips that must be refused, without reading more than the limits allow.
func TestCentralZipRefused(t *testing.T) {
	onlyOutside := zipOf(t, map[string][]byte{"../registar-persons.csv": []byte("SubmissionDate,KEY\n"), "media/a.jpg": []byte("x")})
	if _, err := OpenSource(writeFile(t, "a.zip", onlyOutside), ReadOptions{}); !errors.Is(err, &SourceError{key: keyZipNoTable}) {
		t.Errorf("no table at the top: %v", err)
	}

	// A table that declares more than MaxFileSize: refused before reading.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "registar-persons.csv", Method: zip.Store, CompressedSize64: 3, UncompressedSize64: MaxFileSize + 1})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("a,b"))
	zw.Close()
	if _, err := OpenSource(writeFile(t, "b.zip", buf.Bytes()), ReadOptions{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("declared too large: %v", err)
	}

	// A table that unpacks to more than it declares (a zip bomb that lies):
	// Go's reader stops at the declared size.
	big := bytes.Repeat([]byte("SubmissionDate,KEY\n2026-01-01,uuid:x\n"), 1<<16)
	var comp bytes.Buffer
	zw = zip.NewWriter(&comp)
	fw, _ := zw.Create("registar-persons.csv")
	fw.Write(big)
	zw.Close()
	lying := comp.Bytes()
	zr, _ := zip.NewReader(bytes.NewReader(lying), int64(len(lying)))
	declared := zr.File[0].UncompressedSize64
	// Rewrite the sizes the zip declares, in the local header and the central directory.
	lying = bytes.ReplaceAll(lying, le32(uint32(declared)), le32(100))
	if _, err := OpenSource(writeFile(t, "c.zip", lying), ReadOptions{}); !errors.Is(err, ErrDamaged) {
		t.Errorf("a zip that lies about its size: %v", err)
	}

	// A workbook whose sheet is an XML bomb: refused, nothing expanded
	// (excelize's row reader stops at the first entity it does not know,
	// so the sheet reads as empty).
	bomb := replaceInZip(t, xlsxOf(t, [][]any{{"Ime", "Prezime"}, {"A", "B"}}), "xl/worksheets/sheet1.xml", []byte(billionLaughs))
	if _, err := OpenSource(writeFile(t, "bomb.xlsx", bomb), ReadOptions{}); !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNoHeader) {
		t.Errorf("an XML bomb: %v", err)
	}
	// A zip of another form's tables.
	other := zipOf(t, map[string][]byte{"anketa.csv": []byte("SubmissionDate,meta-instanceID,broj,KEY\n2026-01-01T00:00:00Z,uuid:1,4,uuid:1\n")})
	if _, err := OpenSource(writeFile(t, "anketa.zip", other), ReadOptions{}); !errors.Is(err, ErrForeignForm) || !strings.Contains(err.Error(), "ODK Central") {
		t.Errorf("another form: %v", err)
	}
}

func le32(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// replaceInZip is the zip with one entry's content replaced.
func replaceInZip(t testing.TB, b []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		if f.Name == name {
			w.Write(content)
			found = true
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	if !found {
		t.Fatalf("no %s in the zip", name)
	}
	return buf.Bytes()
}
