package exchange

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"registar/data"
)

const personHeader = "Ime;Prezime;Datum rođenja;Država"

// person reads one person row with extra columns and returns what will be
// written, failing if the row is not added.
func person(t *testing.T, extraHeader, extraCells string) *data.Person {
	t.Helper()
	h, c := personHeader, "Amir;Hodžić;12.03.1985.;DE"
	if extraHeader != "" {
		h += ";" + extraHeader
		c += ";" + extraCells
	}
	p := plan(t, nil, readText(t, h+"\n"+c+"\n"), data.KindPerson, Options{Lang: bs})
	if r := only(t, p); r.Action != Add {
		t.Fatalf("%s = %s: %s %v", extraHeader, extraCells, r.Action, r.Reasons)
	}
	return firstRecord(t, p).(*data.Person)
}

func TestDatesAsTyped(t *testing.T) {
	want := data.NewDate(1985, time.March, 12)
	for _, s := range []string{"12.03.1985.", "12.03.1985", "1985-03-12", "12. 3. 1985.", "12/03/1985", "1985-03-12T00:00:00", "1985-03-12 00:00:00"} {
		p := plan(t, nil, readText(t, "Ime;Prezime;Datum rođenja;Država\nAmir;Hodžić;"+s+";DE\n"), "", Options{})
		if r := only(t, p); r.Action != Add {
			t.Fatalf("%q: %v", s, r.Reasons)
		}
		if got := firstRecord(t, p).(*data.Person).BirthDate; got != want {
			t.Errorf("%q → %v", s, got)
		}
	}
}

// A real spreadsheet date (a serial number with a date format) reads as the
// date, through excelize.ExcelDateToTime; a bare year in a date cell does not.
func TestSpreadsheetDates(t *testing.T) {
	born := time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)
	b := xlsxOf(t, [][]any{
		{"Ime", "Prezime", "Datum rođenja", "Država", "Saglasnost za objavu – Datum"},
		{"Amir", "Hodžić", born, "DE", time.Date(2024, 5, 6, 14, 30, 0, 0, time.UTC)},
		{"Emina", "Begić", "12.03.1985.", "AT", nil},
		{"Jasmin", "Kovač", 1985, "CH", nil},
	})
	sh, err := Read(bytes.NewReader(b), "dates.xlsx", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sh.Rows[0].Cells[2] != "31118" {
		t.Fatalf("raw cell of a date: %q (want the serial)", sh.Rows[0].Cells[2])
	}
	p := plan(t, nil, sh, "", Options{Lang: bs})
	if p.Rows[0].Action != Add || p.Rows[1].Action != Add || p.Rows[2].Action != Reject {
		t.Fatalf("%+v", p.Rows)
	}
	a := p.recs[0].(*data.Person)
	if a.BirthDate != data.DateOf(born) || a.ConsentPublish.Date != data.NewDate(2024, 5, 6) {
		t.Fatalf("dates: %v %v", a.BirthDate, a.ConsentPublish.Date)
	}
	if p.recs[1].(*data.Person).BirthDate != data.DateOf(born) {
		t.Fatal("typed date in an xlsx")
	}
	if !strings.Contains(p.Rows[2].Reasons[0], "„1985” nije datum") {
		t.Fatalf("a bare year: %v", p.Rows[2].Reasons)
	}
}

func TestGendersAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"M": "m", "m": "m", "Ž": "f", "ž": "f", "Z": "f", "F": "f", "f": "f", "muško": "m", "žensko": "f",
		"Muški": "m", "Ženski": "f", "Мушки": "m", "Женски": "f", "М": "m", "Ж": "f",
		"male": "m", "Female": "f", "mashkull": "m", "femër": "f", "Femër": "f",
	} {
		if got := person(t, "Spol", in).Gender; got != want {
			t.Errorf("gender %q → %q, want %q", in, got, want)
		}
	}
}

func TestYesNoAsTyped(t *testing.T) {
	for in, want := range map[string]bool{
		"da": true, "DA": true, "ne": false, "да": true, "не": false, "po": true, "jo": false,
		"yes": true, "no": false, "x": true, "X": true, "✓": true, "1": true, "0": false, "Da": true,
	} {
		if got := person(t, "Saglasnost za objavu", in).ConsentPublish.Given; got != want {
			t.Errorf("yes/no %q → %v", in, got)
		}
	}
	// A date in a consent column: given, on that date.
	p := person(t, "Pëlqim për publikim", "06.05.2024.")
	if !p.ConsentPublish.Given || p.ConsentPublish.Date != data.NewDate(2024, 5, 6) {
		t.Fatalf("consent by date: %+v", p.ConsentPublish)
	}
}

func TestCountriesAsTyped(t *testing.T) {
	for _, in := range []string{"Njemačka", "njemacka", "Немачка", "Nemačka", "Gjermani", "Germany", "DE", "de", "Deutschland"} {
		p := plan(t, nil, readText(t, "Ime;Prezime;Datum rođenja;Država\nAmir;Hodžić;12.03.1985.;"+in+"\n"), "", Options{})
		if r := only(t, p); r.Action != Add || firstRecord(t, p).(*data.Person).Country != "DE" {
			t.Errorf("country %q: %s %v", in, r.Action, r.Reasons)
		}
	}
}

func TestPhonesCellsAndNumbers(t *testing.T) {
	if got := person(t, "Telefon", "061/242-771").Phone; got != "+38761242771" {
		t.Errorf("BA local: %q", got)
	}
	if got := person(t, "Telefon", "00387 61 242 771").Phone; got != "+38761242771" {
		t.Errorf("00 prefix: %q", got)
	}
	if got := person(t, "Telefon", "3.8761242771E+10").Phone; got != "+38761242771" {
		t.Errorf("exponent form: %q", got)
	}
	p := plan(t, nil, readText(t, "Ime;Prezime;Datum rođenja;Država;Telefon\nArben;Krasniqi;01.02.1980;XK;044 123 456\n"), "", Options{Region: "XK"})
	if got := firstRecord(t, p).(*data.Person).Phone; got != "+38344123456" {
		t.Errorf("XK region: %q", got)
	}
	// Cells are trimmed, inner spaces folded, no-break spaces too.
	q := person(t, "Grad;Napomene", "  Bad   Ischl\u00a0 ;\"  prvi red\ndrugi red  \"")
	if q.City != "Bad Ischl" || q.Notes != "prvi red\ndrugi red" {
		t.Errorf("trim: %q %q", q.City, q.Notes)
	}
	if n := person(t, "Godina iseljenja;Broj dana godišnje u domovini", "1992.;30").EmigrationYear; n != 1992 {
		t.Errorf("year with a dot: %d", n)
	}
	for in, want := range map[string]int{"12": 12, "12.0": 12, "1.200": 1200, "1,200": 1200, "1 200": 1200} {
		if got, ok := parseInt(in); !ok || got != want {
			t.Errorf("parseInt(%q) = %d,%v", in, got, ok)
		}
	}
	for _, in := range []string{"12,5", "abc", "1.20", ""} {
		if _, ok := parseInt(in); ok {
			t.Errorf("parseInt(%q) should fail", in)
		}
	}
	r := person(t, "Interesi;Jezici;Obrazovanje;Generacija", "Ulaganje, povratak;\"bosanski; njemački\";SSS;druga")
	if strings.Join(r.Interests, ",") != "invest,return" || strings.Join(r.Languages, ",") != "bosanski,njemački" || r.Education != "secondary" || r.Generation != 2 {
		t.Errorf("lists and codes: %+v", r)
	}
}

func TestEmptyRowsSkipped(t *testing.T) {
	sh := readText(t, personHeader+"\n\n;;;\nAmir;Hodžić;12.03.1985.;DE\n \t ; ;\n\nEmina;Begić;01.01.1990;AT\n")
	if len(sh.Rows) != 2 || sh.Rows[0].N != 4 || sh.Rows[1].N != 7 {
		t.Fatalf("rows: %+v", sh.Rows)
	}
}

func TestCSVDialects(t *testing.T) {
	rows := "Ime,Prezime,Datum rođenja,Država\nĐorđe,Petrović,\"12.03.1985.\",Njemačka\n"
	semi := strings.ReplaceAll(rows, ",", ";")
	tab := strings.ReplaceAll(rows, ",", "\t")
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(tab)
	cp1250, _ := charmap.Windows1250.NewEncoder().String(semi)
	cases := map[string]struct {
		text  string
		delim rune
	}{
		"comma":       {rows, ','},
		"semicolon":   {semi, ';'},
		"bom":         {"\uFEFF" + semi, ';'},
		"tab":         {tab, '\t'},
		"utf16":       {utf16, '\t'},
		"windows1250": {cp1250, ';'},
		"crlf":        {strings.ReplaceAll(semi, "\n", "\r\n"), ';'},
	}
	for name, c := range cases {
		sh, err := Read(strings.NewReader(c.text), "x.csv", ReadOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sh.Delimiter != c.delim || sh.Header[0] != "Ime" || sh.Rows[0].Cells[0] != "Đorđe" || sh.Rows[0].Cells[3] != "Njemačka" {
			t.Errorf("%s: delim %q header %q rows %v", name, sh.Delimiter, sh.Header, sh.Rows)
		}
	}
	// A semicolon file with commas inside a cell.
	sh := readText(t, "Ime;Prezime;Datum rođenja;Država;Adresa\nAmir;Hodžić;12.03.1985.;DE;Hauptstraße 5, Berlin\n")
	if sh.Delimiter != ';' || sh.Rows[0].Cells[4] != "Hauptstraße 5, Berlin" {
		t.Fatalf("%q %q", sh.Delimiter, sh.Rows[0].Cells)
	}
}

func TestNotASpreadsheet(t *testing.T) {
	for name, b := range map[string][]byte{
		"x.xlsx": []byte("not a zip at all"),
		"x.xls":  {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1},
		"x.csv":  {0, 1, 2, 3},
		"z.xlsx": []byte("PK\x03\x04garbage"),
		"e.csv":  nil,
		"h.csv":  []byte("\n\n  \n"),
	} {
		if _, err := Read(bytes.NewReader(b), name, ReadOptions{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
