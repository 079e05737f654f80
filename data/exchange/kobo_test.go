package exchange

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
)

// A KoboToolbox CSV export with labels in Bosnian, ";" between cells, a
// select_multiple with its 0/1 column per choice, and one submission a
// reviewer marked Not approved.
func TestKoboLabelsCSV(t *testing.T) {
	sh := openSource(t, filepath.Join(fieldData, "kobo-labels-bs.csv"))
	o := sh.Origin
	if o == nil || o.Kind != OriginKobo || o.FormID != "registar-persons" || o.FormVersion != "vJq3mS7bX2Lk9PpQ" ||
		o.Submissions != 3 || o.NotApproved != 1 {
		t.Fatalf("origin %+v", o)
	}
	if sh.Format != FormatCSV || sh.Delimiter != ';' || sh.File != "kobo-labels-bs.csv" {
		t.Errorf("sheet %q %q %q", sh.Format, sh.Delimiter, sh.File)
	}
	recs := records(t, sh)
	if len(recs) != 2 {
		t.Fatalf("want the 2 submissions that are not refused, got %d", len(recs))
	}
	want(t, recs[0], map[string]string{
		"#submission": "uuid:0c6f4a58-4c1e-4f0e-9d8f-4bfa3c9c1a01", "given_name": "Amra", "family_name": "Hodžić",
		"gender": "Ženski", "birth_date": "1987-09-15", "locality_id": "Pećigrad", "country": "Njemačka",
		"interests": "invest; culture", "consent_contact": "Da", "consent_contact.date": "2026-11-28",
		"consent_contact.how": "form", "consent_publish": "Ne", "consent_publish.date": "", "consent_publish.how": "",
	})
	// On hold imports.
	want(t, recs[1], map[string]string{"given_name": "Edin", "interests": "return", "consent_publish.date": "2026-11-28"})
	for _, r := range recs {
		for f := range r {
			if strings.HasPrefix(f, "_") || f == "start" || f == "end" {
				t.Errorf("a Kobo column came through: %s", f)
			}
		}
	}
}

// koboXLSX is a Kobo .xlsx export with XML names and group paths, a
// repeat group on a sheet of its own whose headers look more like
// Registar's than the main sheet's, and a submission time as a date cell.
func koboXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	main := "Registar – osobe"
	f.SetSheetName("Sheet1", main)
	rows := [][]any{
		{"start", "end", "osobni_podaci/given_name", "osobni_podaci/family_name", "osobni_podaci/gender", "osobni_podaci/birth_date",
			"porijeklo/locality_id", "boraviste/country", "boraviste/city", "kontakt/phone", "interests", "interests/invest",
			"interests/return", "interests/business", "interests/volunteer", "interests/culture", "consent_contact", "consent_publish",
			"meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
			"__version__", "_tags", "_index"},
		{"2026-11-30T09:00:00.000+01:00", "2026-11-30T09:05:00.000+01:00", "Jasmin", "Delić", "m", "1982-04-04", "Ćoralići", "NL",
			"Utrecht", "06 12345678", "invest business", 1, 0, 1, 0, 0, "yes", "yes", "uuid:5e6f7a8b-0001-4c2d-9e0f-1a2b3c4d5e6f",
			301, "5e6f7a8b-0001-4c2d-9e0f-1a2b3c4d5e6f", time.Date(2026, 11, 30, 8, 6, 0, 0, time.UTC), "validation_status_approved", "", "submitted_via_web", "", "vAAA", "", 1},
		{"2026-12-01T14:00:00.000+01:00", "2026-12-01T14:07:00.000+01:00", "Lejla", "Hadžić", "f", "1995-08-19", "Ćoralići", "DK",
			"Odense", "", "", 0, 0, 0, 0, 0, "no", "yes", "",
			302, "9a8b7c6d-0002-4c2d-9e0f-1a2b3c4d5e6f", "2026-12-01T13:08:00", "validation_status_on_hold", "", "submitted_via_web", "", "vBBB", "", 2},
		{"2026-12-01T15:00:00.000+01:00", "2026-12-01T15:01:00.000+01:00", "Lažni", "Unos", "m", "2001-01-01", "Ćoralići", "BA",
			"", "", "", 0, 0, 0, 0, 0, "no", "no", "uuid:dead0000-0003-4c2d-9e0f-1a2b3c4d5e6f",
			303, "dead0000-0003-4c2d-9e0f-1a2b3c4d5e6f", "2026-12-01T14:02:00", "validation_status_not_approved", "", "submitted_via_web", "", "vBBB", "", 3},
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(main, cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				f.SetCellStyle(main, cell, cell, style)
			}
		}
	}
	f.NewSheet("djeca")
	for r, row := range [][]any{{"Ime", "Prezime", "Datum rođenja", "_index", "_parent_table_name", "_parent_index", "_submission__uuid"}, {"Amar", "Delić", "2015-02-02", 1, main, 1, "5e6f7a8b"}} {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue("djeca", cell, v)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestKoboXLSX(t *testing.T) {
	sh := openSource(t, writeFile(t, "export.xlsx", koboXLSX(t)))
	o := sh.Origin
	if o == nil || o.Kind != OriginKobo || o.Submissions != 3 || o.NotApproved != 1 || o.FormVersion != "vBBB" {
		t.Fatalf("origin %+v", o)
	}
	if sh.SheetName != "Registar – osobe" || sh.Format != FormatXLSX {
		t.Errorf("read sheet %q (%s): want the main one", sh.SheetName, sh.Format)
	}
	recs := records(t, sh)
	if len(recs) != 2 {
		t.Fatalf("rows: %v", recs)
	}
	want(t, recs[0], map[string]string{
		"#submission": "uuid:5e6f7a8b-0001-4c2d-9e0f-1a2b3c4d5e6f", "given_name": "Jasmin", "locality_id": "Ćoralići",
		"country": "NL", "phone": "06 12345678", "interests": "invest; business", "consent_contact": "yes",
		"consent_contact.date": "2026-11-30", "consent_publish.date": "2026-11-30",
	})
	// No meta/instanceID: the _uuid is the submission.
	want(t, recs[1], map[string]string{"#submission": "uuid:9a8b7c6d-0002-4c2d-9e0f-1a2b3c4d5e6f", "interests": "",
		"consent_contact.date": "", "consent_publish.date": "2026-12-01"})
	// The sheet asked for by name is read even when it is the repeat's.
	sh2, err := OpenSource(writeFile(t, "export.xlsx", koboXLSX(t)), ReadOptions{Sheet: "djeca"})
	if err != nil || sh2.Origin != nil || sh2.SheetName != "djeca" {
		t.Errorf("a repeat sheet asked for: %v %+v", err, sh2)
	}
}

// A Kobo export of another form: one line saying what is missing.
func TestKoboForeignForm(t *testing.T) {
	text := "start,end,domacinstvo/broj_clanova,domacinstvo/izvor_vode,_id,_uuid,_submission_time,_validation_status,_index\n" +
		"2026-11-01T10:00:00,2026-11-01T10:10:00,4,bunar,1,aaaa,2026-11-01T09:11:00,,1\n"
	_, err := OpenSource(writeFile(t, "anketa.csv", []byte(text)), ReadOptions{})
	if !errors.Is(err, ErrForeignForm) {
		t.Fatalf("want ErrForeignForm, got %v", err)
	}
	var se *SourceError
	errors.As(err, &se)
	if m := err.Error(); !strings.Contains(m, "KoboToolbox export") || !strings.Contains(m, "given_name, family_name, name") || strings.Contains(m, "\n") {
		t.Errorf("en: %q", m)
	}
	if m := se.Message(i18n.SQ); !strings.Contains(m, "eksport nga KoboToolbox") {
		t.Errorf("sq: %q", m)
	}
	// A form with a phone question only is no Registar form either.
	text = "telefon,_uuid,_submission_time\n061 111 222,bbbb,2026-11-01T09:11:00\n"
	if _, err := OpenSource(writeFile(t, "anketa2.csv", []byte(text)), ReadOptions{}); !errors.Is(err, ErrForeignForm) {
		t.Errorf("phone only: %v", err)
	}
}

func TestSpacedCodes(t *testing.T) {
	for in, want := range map[string]string{
		"invest return": "invest; return", "culture": "culture", "": "",
		"Ulaganje u domovini": "Ulaganje u domovini", // a label, not codes
		"invest, culture":     "invest, culture",
		"invest ribolov":      "invest ribolov",
	} {
		if got := spacedCodes(data.GroupInterest, in); got != want {
			t.Errorf("spacedCodes(%q) = %q, want %q", in, got, want)
		}
	}
}
