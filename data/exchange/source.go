package exchange

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
)

// OpenSource reads whatever an office is given to import, told by its
// shape rather than its name: a plain .xlsx or .csv (exactly what Open
// returns), a KoboToolbox export (.xlsx or .csv), an ODK Central export
// (.csv, or the .zip Central downloads), one ODK Collect instance file
// (.xml), or a folder of ODK Collect's instance files copied from a
// phone. A filled PDF form, or a folder of them, goes to OpenPDFForms.
//
// For phones' submissions the sheet it returns is already tidy: one
// column per Registar field, headed with the field's name, the form's
// question name (given_name; Recognise knows every one), the submission's instance ID on each row, the consent
// dates filled from the submission date, and Origin saying what was read
// and what was left out.
func OpenSource(path string, opt ReadOptions) (sh *Sheet, err error) {
	defer guard(&err)
	if opt.MaxRows <= 0 {
		opt.MaxRows = defaultMaxRows
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return openFolder(path, opt)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, ErrTooLarge
	}
	name := filepath.Base(path)
	switch {
	case IsPDF(b):
		return OpenPDFForms(path, opt)
	case bytes.HasPrefix(b, []byte("PK\x03\x04")) && !isWorkbook(b):
		sh, err = readCentralZip(b, name, opt)
	case looksLikeXML(b):
		sh, err = readInstanceFile(b, name)
	default:
		sh, err = readSheetSource(b, name, opt)
	}
	if err != nil {
		return nil, err
	}
	sh.File = name
	return sh, nil
}

// openFolder reads a folder: ODK Collect's instance files when it has
// any, else the PDF forms in it.
func openFolder(path string, opt ReadOptions) (*Sheet, error) {
	sh, err := readInstanceFolder(path, opt)
	var se *SourceError
	if errors.As(err, &se) && se.key == keyNoSubmissions && hasPDF(path) {
		return OpenPDFForms(path, opt)
	}
	return sh, err
}

// hasPDF reports whether the folder has a .pdf file, however deep.
func hasPDF(dir string) bool {
	found := false
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// isWorkbook tells an .xlsx (or any Office Open XML file) from another
// zip, such as the one ODK Central downloads.
func isWorkbook(b []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return true // let the spreadsheet reader say it is damaged
	}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" || f.Name == "xl/workbook.xml" {
			return true
		}
	}
	return false
}

// looksLikeXML: the first thing after a byte-order mark and white space
// is "<" and a name or "?xml". A CSV never starts so.
func looksLikeXML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) < 2 || b[0] != '<' {
		return false
	}
	c := b[1]
	return c == '?' || c == '!' || c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80
}

// readSheetSource reads a spreadsheet and tells a phone export from a
// sheet a person made. A plain sheet is returned as Read returns it.
func readSheetSource(b []byte, name string, opt ReadOptions) (*Sheet, error) {
	if !bytes.HasPrefix(b, []byte("PK\x03\x04")) && !bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		if first, delim, ok := firstCSVRecord(b); ok {
			if fl := flavourOf(first); fl != nil {
				if fl.origin == OriginCentral {
					fl.formID = formIDOfFile(name) // Central names the CSV after the form
				}
				rows, err := csvRows(b, delim, opt.MaxRows+1)
				if err != nil {
					return nil, err
				}
				sh := &Sheet{Format: FormatCSV, Delimiter: delim}
				return fl.sheet(sh, rows, name)
			}
		}
		return Read(bytes.NewReader(b), name, opt)
	}
	sh, err := Read(bytes.NewReader(b), name, opt)
	if err != nil || sh.Format != FormatXLSX {
		return sh, err
	}
	if sh.HeaderRow == 1 && isMainTable(sh.Header) && (opt.Sheet != "" || sh.SheetName == firstOf(sh.Sheets)) {
		if fl := flavourOf(sh.Header); fl != nil {
			rows := append([]Row{{N: 1, Cells: sh.Header}}, sh.Rows...)
			out := &Sheet{Format: FormatXLSX, SheetName: sh.SheetName, Sheets: sh.Sheets, date1904: sh.date1904}
			return fl.sheet(out, rows, name)
		}
		return sh, nil
	}
	// The header was not found in the first row, or another sheet than the
	// first was taken (a Kobo export's repeat groups have sheets of their
	// own, after the main one): look at the first row of the sheet a phone
	// export would have, as it is.
	main := opt.Sheet
	if main == "" {
		main = firstOf(sh.Sheets)
	}
	rows, err := xlsxRows(b, main, opt.MaxRows+1)
	if err != nil || len(rows) == 0 || rows[0].N != 1 {
		return sh, nil
	}
	fl := flavourOf(rows[0].Cells)
	if fl == nil || !isMainTable(rows[0].Cells) {
		return sh, nil
	}
	out := &Sheet{Format: FormatXLSX, SheetName: main, Sheets: sh.Sheets, date1904: sh.date1904}
	return fl.sheet(out, rows, name)
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// isMainTable is false for the table of a repeat group (Kobo's sheets and
// Central's extra CSVs of a repeat), which point back at their submission.
func isMainTable(header []string) bool {
	for _, h := range header {
		switch h {
		case "_parent_index", "_parent_table_name", "PARENT_KEY", "_submission__uuid":
			return false
		}
	}
	return true
}

// firstCSVRecord parses the first non-empty record of a text file, with
// the separator read.go would find.
func firstCSVRecord(b []byte) ([]string, rune, bool) {
	text, err := decodeText(b)
	if err != nil {
		return nil, 0, false
	}
	delim := sniffDelimiter(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	for i := 0; i < headerScan; i++ {
		rec, err := cr.Read()
		if err != nil {
			return nil, 0, false
		}
		for j := range rec {
			rec[j] = cleanCell(rec[j])
		}
		if strings.Join(rec, "") != "" {
			return rec, delim, true
		}
	}
	return nil, 0, false
}

// csvRows reads every non-empty record of a CSV file as it is, the first
// (the header) included; more than limit rows is ErrTooLarge.
func csvRows(b []byte, delim rune, limit int) ([]Row, error) {
	text, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, ErrBadCSV
		}
		line, _ := cr.FieldPos(0)
		if row, ok := tidyRow(line, rec); ok {
			if len(rows) >= limit {
				return nil, ErrTooLarge
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// xlsxRows reads every non-empty row of a worksheet as it is.
func xlsxRows(b []byte, sheet string, limit int) ([]Row, error) {
	f, err := openXLSX(b)
	if err != nil {
		return nil, ErrDamaged
	}
	defer f.Close()
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, ErrDamaged
	}
	defer it.Close()
	var rows []Row
	raw := excelize.Options{RawCellValue: true}
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns(raw)
		if err != nil {
			return nil, xlsxError(err)
		}
		if row, ok := tidyRow(n, cells); ok {
			if len(rows) >= limit {
				return nil, ErrTooLarge
			}
			rows = append(rows, row)
		}
	}
	return rows, it.Error()
}

// tidyRow cleans the cells as read.go does; ok is false for an empty row.
func tidyRow(n int, cells []string) (Row, bool) {
	if len(cells) > MaxColumns {
		cells = cells[:MaxColumns]
	}
	empty := true
	for i, c := range cells {
		cells[i] = cleanCell(c)
		if cells[i] != "" {
			empty = false
		}
	}
	return Row{N: n, Cells: cells}, !empty
}

// A flavour is what one kind of phone export calls its columns.
type flavour struct {
	origin OriginKind
	// sep joins a group's name and a question's ("group/question").
	sep string
	// meta reports the columns the export adds to the form's questions.
	meta func(header string) bool
	// ids are the columns that hold the instance ID, best first; a value
	// without "uuid:" gets it.
	ids []string
	// dates are the columns that hold the submission's time, best first.
	dates []string
	// version is the column of the form's version.
	version string
	// rejected reports a submission a reviewer refused, from its row.
	rejected func(col func(string) string) bool
	// formID is the form's ID when the file tells it (Central names its
	// CSV after the form).
	formID string
}

// flavourOf recognises a phone export by its header, or returns nil.
func flavourOf(header []string) *flavour {
	has := map[string]bool{}
	for _, h := range header {
		has[h] = true
	}
	switch {
	case has["_uuid"] || has["_submission_time"] || has["__version__"] || has["formhub/uuid"] || (has["_id"] && has["_index"]):
		return koboFlavour()
	case has["SubmissionDate"] && (has["KEY"] || has["meta-instanceID"]) || has["ReviewState"] && has["KEY"]:
		return centralFlavour("")
	}
	return nil
}

// The Registar form of each kind, as the forms for phones name them.
var formIDs = map[data.Kind]string{
	data.KindPerson:       "registar-persons",
	data.KindBusiness:     "registar-businesses",
	data.KindOrganisation: "registar-organisations",
}

// formKinds are the kinds a phone form can collect, in the order a tie is
// broken.
var formKinds = []data.Kind{data.KindPerson, data.KindBusiness, data.KindOrganisation}

// KindOfForm is the kind of record a Registar form collects
// ("registar-persons" → person), or "" for a form that is not Registar's.
func KindOfForm(formID string) data.Kind {
	for k, id := range formIDs {
		if formID == id {
			return k
		}
	}
	// A form saved under a longer name keeps the prefix ("registar-persons-cazin").
	for _, k := range formKinds {
		if strings.HasPrefix(formID, formIDs[k]+"-") || strings.HasPrefix(formID, formIDs[k]+"_") {
			return k
		}
	}
	return ""
}

// RecordKind is the kind of record the source's form collects, or "" when
// it is not known (a plain sheet): Recognise can be given it.
func (o *Origin) RecordKind() data.Kind {
	if o == nil {
		return ""
	}
	return KindOfForm(o.FormID)
}

// Describe says in one line what the source is and what was left out:
// "KoboToolbox export, form registar-persons 2026120701, submissions: 48,
// not approved, skipped: 2".
func (o *Origin) Describe(l i18n.Lang) string {
	if o == nil {
		return ""
	}
	parts := []string{SourceName(o.Kind, l)}
	if o.FormID != "" {
		form := o.FormID
		if o.FormVersion != "" {
			form += " " + o.FormVersion
		}
		parts = append(parts, i18n.T(l, "fieldimport.summary.form", "param", form))
	}
	for _, c := range []struct {
		key string
		n   int
	}{
		{"submissions", o.Submissions}, {"not_approved", o.NotApproved},
		{"other_form", o.OtherForm}, {"unreadable", len(o.Unreadable)},
	} {
		if c.n > 0 || c.key == "submissions" {
			parts = append(parts, i18n.T(l, "fieldimport.summary."+c.key, "n", strconv.Itoa(c.n)))
		}
	}
	return strings.Join(parts, ", ")
}

// keyQuestions are the questions without which a form is not a Registar
// form of the kind.
var keyQuestions = map[data.Kind][]string{
	data.KindPerson:       {"given_name", "family_name"},
	data.KindBusiness:     {"name"},
	data.KindOrganisation: {"name"},
}

// questionField is the field of kind k a question fills: by its name
// (the last part of a group path), "locality" for locality_id, or by its
// label in any of the six languages (a Kobo export with labels as
// headers). "" for a question Registar has no field for.
func questionField(k data.Kind, header, sep string) string {
	cands := []string{header}
	if sep != "" {
		if i := strings.LastIndex(header, sep); i >= 0 && i+len(sep) < len(header) {
			cands = append(cands, header[i+len(sep):])
		}
	}
	for _, c := range cands {
		if c == "locality" && k == data.KindPerson {
			return "locality_id"
		}
		if f, ok := fieldOf(k, c); ok && f.Name != "id" {
			return f.Name
		}
	}
	for _, c := range cands {
		if f := fieldForHeader(k, c); f != "" && f != Ignore && f != "id" {
			return f
		}
	}
	return ""
}

// chooseKind picks the kind whose key questions the form has and that
// fills the most fields; the form's own ID, when known, decides.
func chooseKind(formID string, fieldsOf func(data.Kind) map[string]bool) data.Kind {
	if k := KindOfForm(formID); k != "" {
		return k
	}
	best, most := data.Kind(""), 0
	for _, k := range formKinds {
		have := fieldsOf(k)
		key := false
		for _, q := range keyQuestions[k] {
			key = key || have[q]
		}
		if key && len(have) > most {
			best, most = k, len(have)
		}
	}
	return best
}

// formColumn is a column of a phone export that fills a field.
type formColumn struct {
	index int
	field Field
	// choices are the export's one-column-per-choice columns of a
	// select_multiple question ("interests/invest" holding 0 or 1).
	choices []choiceColumn
}

type choiceColumn struct {
	index  int
	choice string
}

// sheet turns the rows of a phone export (its header first) into a tidy
// sheet of the fields of the form's kind.
func (fl *flavour) sheet(sh *Sheet, rows []Row, name string) (*Sheet, error) {
	if len(rows) == 0 {
		return nil, ErrNoHeader
	}
	header := rows[0].Cells
	rows = rows[1:]
	pos := map[string]int{}
	for i, h := range header {
		if _, dup := pos[h]; !dup && h != "" {
			pos[h] = i
		}
	}
	// A column "q/choice" (Kobo, and Central's split select_multiple) next
	// to a column "q" is one choice of the question q.
	choiceOf := map[int]int{}
	for i, h := range header {
		if j := strings.LastIndex(h, "/"); j > 0 {
			if parent, ok := pos[h[:j]]; ok && parent != i {
				choiceOf[i] = parent
			}
		}
	}
	questions := func(k data.Kind) map[int]string {
		out := map[int]string{}
		for i, h := range header {
			if _, isChoice := choiceOf[i]; isChoice || h == "" || fl.meta(h) {
				continue
			}
			if f := questionField(k, h, fl.sep); f != "" {
				out[i] = f
			}
		}
		return out
	}
	kind := chooseKind(fl.formID, func(k data.Kind) map[string]bool {
		have := map[string]bool{}
		for _, f := range questions(k) {
			have[f] = true
		}
		return have
	})
	if kind == "" {
		return nil, &SourceError{key: keyForeignForm, origin: fl.origin}
	}
	// One column per field, the first that fills it, in the order of the
	// kind's fields.
	byField := map[string]*formColumn{}
	for i, f := range questions(kind) {
		if c, ok := byField[f]; !ok || i < c.index {
			fd, _ := fieldOf(kind, f)
			byField[f] = &formColumn{index: i, field: fd}
		}
	}
	for i := range header {
		parent, isChoice := choiceOf[i]
		if !isChoice {
			continue
		}
		for _, c := range byField {
			if c.index == parent {
				c.choices = append(c.choices, choiceColumn{i, header[i][strings.LastIndex(header[i], "/")+1:]})
			}
		}
	}
	cols := make([]*formColumn, 0, len(byField))
	for _, f := range kindFields[kind] {
		if c, ok := byField[f.Name]; ok {
			cols = append(cols, c)
		}
	}
	// The first of the columns named that has a value in the row.
	first := func(r Row, names []string) string {
		for _, n := range names {
			if i, ok := pos[n]; ok && r.cell(i) != "" {
				return r.cell(i)
			}
		}
		return ""
	}
	origin := &Origin{Kind: fl.origin, FormID: formIDs[kind]}
	if fl.formID != "" {
		origin.FormID = fl.formID
	}
	out := newTidy(kind, cols)
	var newest time.Time
	for _, r := range rows {
		origin.Submissions++
		cell := func(name string) string {
			if i, ok := pos[name]; ok {
				return r.cell(i)
			}
			return ""
		}
		if fl.rejected(cell) {
			origin.NotApproved++
			continue
		}
		when := submissionTime(first(r, fl.dates), sh.Format == FormatXLSX, sh.date1904)
		if v := first(r, []string{fl.version}); v != "" && (origin.FormVersion == "" || !when.Before(newest)) {
			origin.FormVersion, newest = v, when
		}
		values := make([]string, len(cols))
		for i, c := range cols {
			values[i] = c.value(r)
		}
		id := first(r, fl.ids)
		if id != "" && !strings.Contains(id, ":") {
			id = "uuid:" + id
		}
		out.add(Row{N: r.N, Submission: id}, values, when)
	}
	sh.Header = out.header
	sh.HeaderRow = 1
	sh.Rows = out.rows
	sh.Origin = origin
	sh.File = name
	return sh, nil
}

// value is the column's cell in a row, as the converter reads it: a
// select_multiple answer becomes a list separated by semicolons.
func (c *formColumn) value(r Row) string {
	v := r.cell(c.index)
	if c.field.typ != typeCodes {
		return v
	}
	if len(c.choices) > 0 {
		var picked []string
		known := true
		for _, ch := range c.choices {
			if yes, ok := data.ParseYesNo(r.cell(ch.index)); ok && yes {
				code, ok := data.ParseValue(c.field.group, ch.choice)
				known = known && ok
				picked = append(picked, code)
			}
		}
		if known && len(picked) > 0 {
			return strings.Join(picked, "; ")
		}
	}
	return spacedCodes(c.field.group, v)
}

// spacedCodes turns a select_multiple answer as ODK writes it, codes
// separated by spaces ("invest return"), into the list the converter
// reads; any other text is left as it is.
func spacedCodes(group, v string) string {
	if strings.ContainsAny(v, ";,\n") {
		return v
	}
	words := strings.Fields(v)
	if len(words) < 2 {
		return v
	}
	for _, w := range words {
		if _, ok := data.ParseValue(group, w); !ok {
			return v
		}
	}
	return strings.Join(words, "; ")
}

// submissionTime reads a submission's time: ISO 8601 as Kobo, Central and
// Collect write it, or a date cell of an .xlsx. Zero if it cannot.
func submissionTime(s string, xlsx, date1904 bool) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.000-07", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 367 && f < 2958465 {
			if t, err := excelize.ExcelDateToTime(f, date1904); err == nil {
				return t
			}
		}
	}
	if len(s) >= 10 {
		if d, err := data.ParseDate(s[:10]); err == nil && !d.IsZero() {
			return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		}
	}
	return time.Time{}
}

// tidy builds the sheet a phone source becomes: a header of field labels
// and, for a kind with consents, the consent date and how columns that a
// "yes" on the phone fills.
type tidy struct {
	kind    data.Kind
	header  []string
	rows    []Row
	consent []consentColumns
}

type consentColumns struct {
	given, date, how int // positions in the values and the tidy row; -1: none
}

func newTidy(kind data.Kind, cols []*formColumn) *tidy {
	t := &tidy{kind: kind}
	at := map[string]int{}
	for i, c := range cols {
		t.header = append(t.header, c.field.Name) // the form's own question name
		at[c.field.Name] = i
	}
	for _, name := range []string{"consent_contact", "consent_publish"} {
		given, ok := at[name]
		if !ok {
			continue
		}
		cc := consentColumns{given: given, date: -1, how: -1}
		for _, part := range []string{"date", "how"} {
			i, ok := at[name+"."+part]
			if !ok {
				f, _ := fieldOf(kind, name+"."+part)
				i = len(t.header)
				t.header = append(t.header, f.Name)
			}
			if part == "date" {
				cc.date = i
			} else {
				cc.how = i
			}
		}
		t.consent = append(t.consent, cc)
	}
	return t
}

// add appends a row of values (in the order of the columns given to
// newTidy); when is the submission's time, the date of a consent given.
func (t *tidy) add(r Row, values []string, when time.Time) {
	cells := make([]string, len(t.header))
	copy(cells, values)
	for _, cc := range t.consent {
		yes, ok := data.ParseYesNo(cells[cc.given])
		if !ok || !yes {
			continue
		}
		if cells[cc.date] == "" && !when.IsZero() {
			cells[cc.date] = when.Format("2006-01-02")
		}
		if cells[cc.how] == "" {
			cells[cc.how] = "form"
		}
	}
	// An empty submission stays: the preview rejects it, saying what is missing.
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	r.Cells = cells
	t.rows = append(t.rows, r)
}

// The catalogue keys of the sources' errors (catalog/fieldimport.*.json).
const (
	keyForeignForm   = "fieldimport.error.foreign_form"
	keyNoSubmissions = "fieldimport.error.no_submissions"
	keyOtherForms    = "fieldimport.error.other_forms"
	keyNoneReadable  = "fieldimport.error.none_readable"
	keyZipNoTable    = "fieldimport.error.zip_no_table"
)

// SourceError is a source Registar recognised but cannot import: an
// export of another form, a folder without submissions. Error is English;
// Message says it in the clerk's language.
type SourceError struct {
	key    string
	origin OriginKind
	n      int    // files concerned
	param  string // what the message names: forms, a reason, a folder
}

// Errors a caller may test with errors.Is.
var (
	// ErrForeignForm is an export of a form that is not Registar's.
	ErrForeignForm = &SourceError{key: keyForeignForm}
	// ErrNoSubmissions is a folder with no ODK submission in it.
	ErrNoSubmissions = &SourceError{key: keyNoSubmissions}
)

func (e *SourceError) Error() string { return e.Message(i18n.EN) }

// Is makes errors.Is(err, ErrForeignForm) hold for every export of
// another form, whatever its details.
func (e *SourceError) Is(target error) bool {
	t, ok := target.(*SourceError)
	return ok && t.key == e.key
}

// Key is the catalogue key of the message.
func (e *SourceError) Key() string { return e.key }

// Message is the error in language l.
func (e *SourceError) Message(l i18n.Lang) string {
	param := e.param
	if e.key == keyForeignForm {
		var qs []string
		for _, k := range formKinds {
			for _, q := range keyQuestions[k] {
				if !slices.Contains(qs, q) {
					qs = append(qs, q)
				}
			}
		}
		param = strings.Join(qs, ", ")
	}
	return i18n.T(l, e.key, "source", SourceName(e.origin, l), "n", strconv.Itoa(e.n), "param", param)
}

// SourceName is what a source is called in language l ("KoboToolbox
// export"); "" for a plain sheet.
func SourceName(k OriginKind, l i18n.Lang) string {
	if k == "" {
		return ""
	}
	return i18n.T(l, "fieldimport.source."+string(k))
}
