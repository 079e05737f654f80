package outreach

import (
	"bufio"
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/exchange"
	"registar/data/i18n"
)

// EmailChunks splits the contacts' e-mail addresses into groups of at most
// size (mail providers cap the recipients of one message), for the BCC
// field. size ≤ 0 is one group.
//
// An address is given once however often it comes (case-blind: two
// persons of one family sharing it get one message), as first written;
// contacts without an address and those whose address the office's server
// refused for good (Undeliverable) are left out. No addresses, no groups.
func EmailChunks(cs []Contact, size int) [][]string {
	seen := make(map[string]bool, len(cs))
	var all []string
	for _, c := range cs {
		e := strings.TrimSpace(c.Email)
		if e == "" || c.Undeliverable != "" {
			continue
		}
		k := strings.ToLower(e)
		if seen[k] {
			continue
		}
		seen[k] = true
		all = append(all, e)
	}
	if len(all) == 0 {
		return nil
	}
	if size <= 0 {
		size = len(all)
	}
	chunks := make([][]string, 0, (len(all)+size-1)/size)
	for len(all) > 0 {
		n := min(size, len(all))
		chunks = append(chunks, all[:n:n])
		all = all[n:]
	}
	return chunks
}

// WriteVCards writes the contacts as vCard 4.0 (RFC 6350), country names
// in English. See WriteVCardsLang.
func WriteVCards(w io.Writer, cs []Contact) error { return WriteVCardsLang(w, cs, i18n.EN) }

// WriteVCardsLang writes the contacts as vCard 4.0 (RFC 6350), the
// country of each address named in l: FN and, for a person, N (family;
// given); for a business or organisation ORG and KIND:org; EMAIL; TEL as a
// tel: URI when the number is in E.164 (+4915112345678), else as text;
// ADR (street lines, town, postcode when one is typed in the city,
// country name); UID urn:uuid:<ID>. Lines end in CRLF and are folded at
// 75 octets, never inside a character; text escapes \ , ; and line
// breaks.
func WriteVCardsLang(w io.Writer, cs []Contact, l i18n.Lang) error {
	bw := bufio.NewWriter(w)
	for _, c := range cs {
		writeVCard(bw, c, l)
	}
	return bw.Flush()
}

func writeVCard(w *bufio.Writer, c Contact, l i18n.Lang) {
	org := c.Kind == data.KindBusiness || c.Kind == data.KindOrganisation
	name := displayName(c)
	if name == "" {
		name = strings.TrimSpace(c.Email)
	}
	line := func(s string) { writeFolded(w, s) }
	line("BEGIN:VCARD")
	line("VERSION:4.0")
	if org {
		line("KIND:org")
	}
	line("FN:" + vText(name))
	if org {
		line("ORG:" + vText(name))
	} else {
		line("N:" + vText(c.FamilyName) + ";" + vText(c.GivenName) + ";;;")
	}
	if e := strings.TrimSpace(c.Email); e != "" {
		line("EMAIL:" + vText(e))
	}
	if p := strings.TrimSpace(c.Phone); p != "" {
		if e164 := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(p); e164Number.MatchString(e164) {
			line("TEL;VALUE=uri:tel:" + e164)
		} else {
			line("TEL;VALUE=text:" + vText(p))
		}
	}
	if c.Address != "" || c.City != "" || c.Country != "" {
		town, pc := splitPostcode(strings.TrimSpace(c.City))
		country := ""
		if c.Country != "" {
			country = data.CountryName(c.Country, l)
		}
		line("ADR:;;" + vText(strings.Join(splitAddress(c.Address), "\n")) + ";" + vText(town) + ";;" +
			vText(pc) + ";" + vText(country))
	}
	if id := strings.TrimSpace(c.ID); id != "" {
		if u, err := uuid.Parse(id); err == nil {
			line("UID:urn:uuid:" + u.String())
		} else {
			line("UID;VALUE=text:" + vText(id))
		}
	}
	line("END:VCARD")
}

var e164Number = regexp.MustCompile(`^\+[1-9]\d{6,14}$`)

// vText escapes a vCard text value (RFC 6350 3.4): backslash, comma,
// semicolon and line breaks.
func vText(s string) string {
	if !strings.ContainsAny(s, "\\,;\n\r") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ',', ';':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// writeFolded writes one content line, folded (RFC 6350 3.2): at most 75
// octets a line, a continuation starting with a space, cut only between
// characters, CRLF after each.
func writeFolded(w io.StringWriter, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}

// column is one column of the mail-merge sheet: its header key and value.
type column struct {
	key   string
	value func(c Contact, l i18n.Lang) string
}

// columns are the mail-merge sheet's columns, the same in CSV and xlsx.
// The salutation is in the contact's letter language (their own, else
// the sheet's); country and kind are named in the sheet's language; the
// language is the one the registry knows the person reads, by its own
// name.
var columns = []column{
	{"outreachtext.col.name", func(c Contact, _ i18n.Lang) string { return displayName(c) }},
	{"field.given_name", func(c Contact, _ i18n.Lang) string { return c.GivenName }},
	{"field.family_name", func(c Contact, _ i18n.Lang) string { return c.FamilyName }},
	{"outreachtext.col.salutation", func(c Contact, l i18n.Lang) string {
		if c.Lang != "" {
			l = c.Lang
		}
		return Salutation(genderOf(c), l)
	}},
	{"field.email", func(c Contact, _ i18n.Lang) string { return strings.TrimSpace(c.Email) }},
	{"field.phone", func(c Contact, _ i18n.Lang) string { return data.FormatPhone(c.Phone) }},
	{"field.address", func(c Contact, _ i18n.Lang) string { return strings.Join(splitAddress(c.Address), ", ") }},
	{"field.city", func(c Contact, _ i18n.Lang) string { return c.City }},
	{"field.country", func(c Contact, l i18n.Lang) string {
		if c.Country == "" {
			return ""
		}
		return data.CountryName(c.Country, l)
	}},
	{"outreachtext.col.kind", func(c Contact, l i18n.Lang) string {
		if c.Kind == "" {
			return ""
		}
		return i18n.T(l, "kind."+string(c.Kind))
	}},
	{"outreachtext.col.language", func(c Contact, _ i18n.Lang) string {
		if c.Lang == "" {
			return ""
		}
		return c.Lang.Name()
	}},
}

// phoneColumn is the index of the phone in columns: a number starts with
// "+" and is no formula.
const phoneColumn = 5

// WriteCSV writes the contacts for a mail merge, headers in language l.
//
// As the registry's list export does: UTF-8 with a byte-order mark (so
// Excel on Windows reads č, ë and Cyrillic), CRLF, and the separator Excel
// expects where the office is (";" in the region's locales, "," in
// English). A cell that Excel would run as a formula (starting with =, +,
// -, @) gets a leading apostrophe, except the phone number; names come
// from forms people fill in themselves.
func WriteCSV(w io.Writer, cs []Contact, l i18n.Lang) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if l != i18n.EN {
		cw.Comma = ';'
	}
	row := make([]string, len(columns))
	for i, col := range columns {
		row[i] = i18n.T(l, col.key)
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for _, c := range cs {
		for i, col := range columns {
			v := col.value(c, l)
			if i != phoneColumn && v != "" && strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
				v = "'" + v
			}
			row[i] = v
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteXLSX writes the contacts as an Excel workbook, headers in l: one
// sheet, the columns of WriteCSV, every cell text (a phone number stays
// "+49 1511 2345678", a name starting with "=" is no formula), the header
// bold and frozen, columns as wide as their longest value (up to a limit).
func WriteXLSX(w io.Writer, cs []Contact, l i18n.Lang) error {
	rows := make([][]any, 0, len(cs)+1)
	widths := make([]int, len(columns))
	add := func(vals []string) {
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = v
			widths[i] = max(widths[i], utf8.RuneCountInString(v))
		}
		rows = append(rows, row)
	}
	vals := make([]string, len(columns))
	for i, col := range columns {
		vals[i] = i18n.T(l, col.key)
	}
	add(vals)
	for _, c := range cs {
		for i, col := range columns {
			vals[i] = col.value(c, l)
		}
		add(vals)
	}

	f := excelize.NewFile(excelize.Options{TmpDir: exchange.XLSXTempDir()})
	defer f.Close()
	sheet := xlsxSheetName(i18n.T(l, "outreachtext.sheet"))
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
	})
	if err != nil {
		return err
	}
	// The dimension first: the stream writer leaves it at A1, and readers
	// that trust it (openpyxl read-only) would see the header alone.
	last, err := excelize.CoordinatesToCellName(len(columns), len(rows))
	if err != nil {
		return err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(wd, 8), 50)+2)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if i == 0 {
			for j, v := range row {
				row[j] = excelize.Cell{StyleID: bold, Value: v}
			}
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// xlsxSheetName is a valid worksheet name: at most 31 characters, none of
// : \ / ? * [ ].
func xlsxSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}
