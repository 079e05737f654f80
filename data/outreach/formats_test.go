package outreach

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
)

func TestEmailChunks(t *testing.T) {
	cs := []Contact{
		{Email: "a@example.com"}, {Email: ""}, {Email: "B@example.com"}, {Email: " A@Example.com "},
		{Email: "c@example.com"}, {Email: "b@example.com"}, {Email: "d@example.com"},
	}
	got := EmailChunks(cs, 2)
	want := [][]string{{"a@example.com", "B@example.com"}, {"c@example.com", "d@example.com"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("EmailChunks(2) = %q, want %q", got, want)
	}
	if got := EmailChunks(cs, 0); len(got) != 1 || len(got[0]) != 4 {
		t.Errorf("EmailChunks(0) = %q, want one group of 4", got)
	}
	if got := EmailChunks([]Contact{{Email: ""}, {Email: "gone@example.com", Undeliverable: "2026-11-02 550 no such user"}}, 10); len(got) != 0 {
		t.Errorf("no addresses: %q, want no group", got)
	}
}

// vcard is one parsed card: property name → values (unescaped, in order),
// and the raw parameters of each.
type vcard map[string][]vprop

type vprop struct {
	params string
	value  string
}

// parseVCards is a small RFC 6350 reader for the test: unfolds lines,
// splits name, parameters and value.
func parseVCards(t *testing.T, b []byte) []vcard {
	t.Helper()
	s := string(b)
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatal("a line ends in a bare LF")
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("folding split a character: %q", line)
		}
	}
	s = strings.ReplaceAll(s, "\r\n ", "")
	var cards []vcard
	var cur vcard
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("line without a colon: %q", line)
		}
		params := ""
		if i := strings.Index(name, ";"); i >= 0 {
			name, params = name[:i], name[i+1:]
		}
		switch {
		case name == "BEGIN":
			cur = vcard{}
		case name == "END":
			cards = append(cards, cur)
		default:
			cur[name] = append(cur[name], vprop{params, value})
		}
	}
	return cards
}

// components splits a structured value on unescaped ";" and unescapes.
func components(v string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && i+1 < len(v):
			i++
			if v[i] == 'n' || v[i] == 'N' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(v[i])
			}
		case c == ';':
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}

func (c vcard) one(name string) string {
	if len(c[name]) == 0 {
		return ""
	}
	return c[name][0].value
}

func TestWriteVCards(t *testing.T) {
	long := Contact{ID: "0190a1b2-0000-7000-8000-0000000000aa", Kind: data.KindPerson,
		Name: "Јелена Петровић-Вукајловић Стефановић Јовановић", GivenName: "Јелена",
		FamilyName: "Петровић-Вукајловић Стефановић Јовановић", Gender: "f", Email: "jelena@example.rs",
		Phone: "+381641234567", Address: "Ulica 1, stan 3; drugi sprat\\B", City: "Beograd", Country: "RS"}
	org := Contact{ID: "0190a1b2-0000-7000-8000-0000000000bb", Kind: data.KindOrganisation,
		Name: "Shoqata \"Bashkimi\"; Gjilan, Zürich", Email: "info@bashkimi.ch", Phone: "044 123 45 67",
		Address: "Langstrasse 5", City: "8004 Zürich", Country: "CH"}
	var buf bytes.Buffer
	if err := WriteVCards(&buf, []Contact{amra, long, org, firm}); err != nil {
		t.Fatal(err)
	}
	cards := parseVCards(t, buf.Bytes())
	if len(cards) != 4 {
		t.Fatalf("%d cards, want 4:\n%s", len(cards), buf.String())
	}
	for i, c := range cards {
		if c.one("VERSION") != "4.0" {
			t.Errorf("card %d: VERSION %q", i, c.one("VERSION"))
		}
	}
	a := cards[0]
	if got := components(a.one("FN"))[0]; got != "Amra Hodžić" {
		t.Errorf("FN = %q", got)
	}
	if got := components(a.one("N")); !slices.Equal(got[:2], []string{"Hodžić", "Amra"}) || len(got) != 5 {
		t.Errorf("N = %q", got)
	}
	if a.one("EMAIL") != "amra@example.de" {
		t.Errorf("EMAIL = %q", a.one("EMAIL"))
	}
	if tel := a["TEL"]; len(tel) != 1 || tel[0].value != "tel:+4915112345678" || !strings.Contains(strings.ToUpper(tel[0].params), "VALUE=URI") {
		t.Errorf("TEL = %+v", tel)
	}
	if got := components(a.one("ADR")); !slices.Equal(got, []string{"", "", "Hauptstraße 5", "München", "", "", "Germany"}) {
		t.Errorf("ADR = %q", got)
	}
	if a.one("UID") != "urn:uuid:"+amra.ID {
		t.Errorf("UID = %q", a.one("UID"))
	}
	if a.one("KIND") == "org" || a.one("ORG") != "" {
		t.Errorf("a person is KIND %q ORG %q", a.one("KIND"), a.one("ORG"))
	}

	j := cards[1]
	if got := components(j.one("FN"))[0]; got != long.Name {
		t.Errorf("long Cyrillic FN = %q", got)
	}
	if got := components(j.one("ADR")); got[2] != "Ulica 1, stan 3\ndrugi sprat\\B" || got[3] != "Beograd" || got[6] != "Serbia" {
		t.Errorf("ADR = %q", got)
	}

	o := cards[2]
	if got := components(o.one("FN")); len(got) != 1 || got[0] != org.Name {
		t.Errorf("escaped FN = %q (raw %q)", got, o.one("FN"))
	}
	if o.one("KIND") != "org" || components(o.one("ORG"))[0] != org.Name {
		t.Errorf("organisation: KIND %q ORG %q", o.one("KIND"), o.one("ORG"))
	}
	// A number not in E.164 is kept as text.
	if tel := o["TEL"]; len(tel) != 1 || tel[0].value != "044 123 45 67" || strings.Contains(strings.ToUpper(tel[0].params), "URI") {
		t.Errorf("TEL = %+v", tel)
	}
	if f := cards[3]; f.one("KIND") != "org" || f.one("ORG") != "Bosna Invest GmbH" {
		t.Errorf("business: KIND %q ORG %q", f.one("KIND"), f.one("ORG"))
	}
}

func TestFoldKeepsCharacters(t *testing.T) {
	for _, s := range []string{strings.Repeat("ш", 100), strings.Repeat("a", 200), "FN:" + strings.Repeat("ë", 37) + "x" + strings.Repeat("ђ", 50)} {
		var buf bytes.Buffer
		writeFolded(&buf, s)
		out := buf.String()
		for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(line) > 75 || !utf8.ValidString(line) {
				t.Errorf("line %q (%d octets)", line, len(line))
			}
		}
		if got := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); got != s {
			t.Errorf("unfolded %q, want %q", got, s)
		}
	}
}

var sheetContacts = []Contact{amra, arben, marko, firm,
	{ID: "x5", Kind: data.KindPerson, Name: "Дејан Јовић", GivenName: "Дејан", FamilyName: "Јовић", Gender: "m",
		Lang: i18n.SR, Email: "dejan@example.rs", City: "Беч", Country: "AT"},
	{ID: "x6", Kind: data.KindPerson, Name: "=HYPERLINK(\"x\")", GivenName: "=HYPERLINK(\"x\")", City: "Graz", Country: "AT"},
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sheetContacts, i18n.BS); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte-order mark: Excel would read Cyrillic as Windows-1250")
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"Ime / naziv", "Ime", "Prezime", "Oslovljavanje", "E-mail", "Telefon", "Adresa", "Grad", "Država", "Vrsta", "Jezik"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header = %q, want %q", rows[0], wantHeader)
	}
	if len(rows) != 1+len(sheetContacts) {
		t.Fatalf("%d rows", len(rows))
	}
	want := map[int][]string{
		1: {"Amra Hodžić", "Amra", "Hodžić", "Poštovana", "amra@example.de", "+49 1511 2345678", "Hauptstraße 5", "München", "Njemačka", "Osoba", "Bosanski"},
		2: {"Arben Krasniqi", "Arben", "Krasniqi", "I nderuar", "", "", "", "Zürich", "Švicarska", "Osoba", "Shqip"},
		3: {"Marko Petrović", "Marko", "Petrović", "Поштовани", "", "", "", "Wien", "Austrija", "Osoba", "Српски (ћирилица)"},
		4: {"Bosna Invest GmbH", "", "", "Poštovani", "office@bosna-invest.at", "", "", "Linz", "Austrija", "Preduzeće", ""},
		5: {"Дејан Јовић", "Дејан", "Јовић", "Поштовани", "dejan@example.rs", "", "", "Беч", "Austrija", "Osoba", "Српски (ћирилица)"},
		6: {"'=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")", "", "Poštovani", "", "", "", "Graz", "Austrija", "Osoba", ""},
	}
	for i, w := range want {
		if !slices.Equal(rows[i], w) {
			t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], w)
		}
	}
	// English: comma-separated, English headers.
	buf.Reset()
	if err := WriteCSV(&buf, sheetContacts[:1], i18n.EN); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "Name" || rows[1][8] != "Germany" {
		t.Errorf("English CSV = %q, %v", rows, err)
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sheetContacts, i18n.SQ); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "Kontaktet" {
		t.Errorf("sheet %q", sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(sheetContacts) {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0][3] != "Përshëndetja" || rows[0][0] != "Emri / emërtimi" {
		t.Errorf("header = %q", rows[0])
	}
	pad := func(r []string) []string { return append(r, make([]string, 11-len(r))...) }
	if got, want := pad(rows[5]), []string{"Дејан Јовић", "Дејан", "Јовић", "Поштовани", "dejan@example.rs", "", "", "Беч", "Austri", "Person", "Српски (ћирилица)"}; !slices.Equal(got, want) {
		t.Errorf("row 5:\n got %q\nwant %q", got, want)
	}
	if got := pad(rows[2]); got[3] != "I nderuar" || got[8] != "Zvicër" {
		t.Errorf("row 2 = %q", got)
	}
	// Formulas are not formulas in a workbook: the text is kept as typed.
	if got := rows[6][0]; got != "=HYPERLINK(\"x\")" {
		t.Errorf("row 6 name = %q", got)
	}
	if ph, _ := f.GetCellValue(sheet, "F2"); ph != "+49 1511 2345678" {
		t.Errorf("phone cell = %q", ph)
	}
	styleID, err := f.GetCellStyle(sheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(styleID)
	if err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style %+v, %v: want bold", st, err)
	}
	if w, _ := f.GetColWidth(sheet, "A"); w < 15 {
		t.Errorf("column A width %v", w)
	}
}

// Whatever a name holds, the card says it back: escaping and folding lose
// nothing.
func FuzzVCardRoundTrip(f *testing.F) {
	for _, s := range []string{"Amra Hodžić", "a,b;c\\d\ne", strings.Repeat("Ђ", 60), "x\r\ny", ""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, name, city string) {
		if !utf8.ValidString(name) || !utf8.ValidString(city) || strings.ContainsRune(name+city, '\r') || strings.TrimSpace(name) != name || name == "" {
			return
		}
		c := Contact{ID: "id", Kind: data.KindOrganisation, Name: name, Address: "Street 1"}
		var buf bytes.Buffer
		if err := WriteVCards(&buf, []Contact{c}); err != nil {
			t.Fatal(err)
		}
		cards := parseVCards(t, buf.Bytes())
		if len(cards) != 1 {
			t.Fatalf("%d cards", len(cards))
		}
		if got := components(cards[0].one("FN")); len(got) != 1 || got[0] != name {
			t.Errorf("FN %q, want %q", got, name)
		}
	})
}
