package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"registar/data/i18n"
)

// Format is the kind of file a sheet came from.
type Format string

// The formats Registar reads.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// Limits on what a file from outside may make us hold. A 20,000-row sheet
// is a few MB; these leave room for a hundred times that.
const (
	// MaxFileSize is the largest file read (compressed, for .xlsx).
	MaxFileSize = 256 << 20
	// unzipLimit is excelize's UnzipSizeLimit: the most an .xlsx may unpack
	// to (excelize trusts the sizes the zip declares, and Go's zip reader
	// refuses an entry that unpacks to more than it declared).
	unzipLimit = 512 << 20
	// unzipXMLLimit is excelize's UnzipXMLSizeLimit: a worksheet or shared
	// string table larger than this is unpacked to a temporary file rather
	// than into memory. A temporary file holds the sheet in clear text and
	// outlives a killed import, so the limit lets a 100,000-row sheet stay
	// in memory: 25 columns of inline text (excelize's own writer) are
	// 133 MB of XML, read with a peak heap of ~460 MB against ~190 MB when
	// spilled (BenchmarkReadXLSX100k). Larger parts still go to a file, in
	// Registar's own folder (XLSXTempDir).
	unzipXMLLimit = 160 << 20
	// MaxColumns is the most columns of a sheet looked at.
	MaxColumns = 512
	// defaultMaxRows is Excel's own limit.
	defaultMaxRows = 1 << 20
	// headerScan is how many non-empty rows are searched for the header row.
	headerScan = 10
)

// ReadOptions say which part of a file to read.
type ReadOptions struct {
	// Sheet is the worksheet of an .xlsx to read. Empty: the first visible
	// sheet whose headers Registar recognises, else the first visible one.
	Sheet string
	// MaxRows refuses (ErrTooLarge) a sheet with more data rows; 0 is
	// Excel's limit of 1,048,576.
	MaxRows int
	// Lang is the language of the reasons a folder's skipped files are
	// listed with (Origin.Unreadable); "" is English.
	Lang i18n.Lang
}

// Sheet is a table read from a file: the header row and the non-empty rows
// under it, every cell trimmed. Cells of an .xlsx are read raw: a date is
// its serial number (see the date fields), a number as stored.
type Sheet struct {
	File      string   // the file's base name, for the audit log
	Format    Format   // csv or xlsx
	SheetName string   // the worksheet read (xlsx)
	Sheets    []string // every visible worksheet of the workbook (xlsx)
	Delimiter rune     // the separator found (csv)
	HeaderRow int      // row number of the header, 1-based as a spreadsheet shows it
	Header    []string
	Rows      []Row
	// Origin says where the rows came from when they are not a sheet a
	// person made: phones' submissions (KoboToolbox, ODK Central, ODK
	// Collect's instance files) or filled PDF forms. nil for a plain sheet.
	Origin   *Origin
	date1904 bool
}

// Row is one non-empty row under the header.
type Row struct {
	N     int      // row number, 1-based as a spreadsheet shows it
	Cells []string // trimmed; may be shorter or longer than the header
	// Submission is the submission's instance ID ("uuid:…") of a row that
	// came from a phone form or a filled PDF: kept on the record it makes,
	// so the same submission is never imported twice. Empty for a sheet.
	Submission string
	// Where names the row's own file when a source is a folder of files
	// (an ODK instance or a PDF form), for the preview and the rejects.
	Where string
}

// OriginKind is the kind of source a sheet's rows came from.
type OriginKind string

// The sources besides a plain sheet.
const (
	OriginKobo      OriginKind = "kobo"          // a KoboToolbox export (.xlsx or .csv)
	OriginCentral   OriginKind = "odk-central"   // an ODK Central export (.csv or .zip)
	OriginInstances OriginKind = "odk-instances" // ODK Collect's instance files, from a folder
	OriginPDF       OriginKind = "pdf-form"      // filled Registar PDF forms
)

// Origin describes a source of submissions: what it is, the form it was
// collected with, and what was left out before the preview.
type Origin struct {
	Kind        OriginKind
	FormID      string // the form's form_id ("registar-persons")
	FormVersion string // the form's version of the newest submission
	Submissions int    // submissions found, skipped ones included
	// NotApproved counts submissions a reviewer marked "not approved"
	// (KoboToolbox) or "rejected" (ODK Central): skipped.
	NotApproved int
	// OtherForm counts files of another form (instances, PDFs): skipped.
	OtherForm int
	// Unreadable lists files of a folder that could not be read at all
	// (damaged XML or PDF), each with its reason: skipped and counted.
	Unreadable []string
}

// cell is the row's cell in column i, or "".
func (r Row) cell(i int) string {
	if i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

// Open reads a .xlsx or .csv file. The format is told by the content (an
// .xlsx is a zip), not trusted from the name.
func Open(path string, opt ReadOptions) (*Sheet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, filepath.Base(path), opt)
}

// Read reads a sheet from r; name is the file's name, for messages and the
// audit log. It never panics: a damaged or crafted file is an error.
func Read(r io.Reader, name string, opt ReadOptions) (sh *Sheet, err error) {
	defer guard(&err)
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, ErrTooLarge
	}
	if opt.MaxRows <= 0 {
		opt.MaxRows = defaultMaxRows
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		sh, err = readXLSX(b, opt)
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		// An old binary .xls, or an .xlsx encrypted with a password.
		return nil, fmt.Errorf("%w (an old .xls or a password-protected workbook: save it as .xlsx without a password)", ErrUnknownFormat)
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls":
		return nil, ErrDamaged
	default:
		sh, err = readCSV(b, opt)
	}
	if err != nil {
		return nil, err
	}
	sh.File = name
	return sh, nil
}

// rowSink collects rows, finds the header and drops empty rows.
type rowSink struct {
	sh      *Sheet
	maxRows int
	pending []Row // non-empty rows before the header is settled
	settled bool
}

func (s *rowSink) add(n int, cells []string) error {
	if len(cells) > MaxColumns {
		cells = cells[:MaxColumns]
	}
	empty := true
	for i, c := range cells {
		c = cleanCell(c)
		cells[i] = c
		if c != "" {
			empty = false
		}
	}
	if empty {
		return nil
	}
	// Trailing empty cells say nothing.
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	row := Row{N: n, Cells: cells}
	if s.settled {
		if len(s.sh.Rows) >= s.maxRows {
			return ErrTooLarge
		}
		s.sh.Rows = append(s.sh.Rows, row)
		return nil
	}
	s.pending = append(s.pending, row)
	if recognised(cells) >= 2 || len(s.pending) >= headerScan {
		s.settle()
	}
	return nil
}

// settle takes the header: the first of the pending rows in which two or
// more headers are recognised, else the first non-empty row (a title line
// above the headers is common in office sheets).
func (s *rowSink) settle() {
	if s.settled || len(s.pending) == 0 {
		return
	}
	h := 0
	for i, r := range s.pending {
		if recognised(r.Cells) >= 2 {
			h = i
			break
		}
	}
	s.sh.HeaderRow = s.pending[h].N
	s.sh.Header = s.pending[h].Cells
	s.sh.Rows = append(s.sh.Rows, s.pending[h+1:]...)
	s.pending = nil
	s.settled = true
}

func (s *rowSink) finish() error {
	s.settle()
	if !s.settled {
		return ErrNoHeader
	}
	if len(s.sh.Rows) > s.maxRows {
		return ErrTooLarge
	}
	return nil
}

// cleanCell trims white space, no-break spaces and the zero-width marks
// that pasting from the web leaves behind.
func cleanCell(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return r == '\uFEFF' || r == '\u200B' || r == '\u00A0' || r <= ' ' || r == '\u2007' || r == '\u202F' || r == '\u3000' || r == '\u0085' || r == '\u2028' || r == '\u2029'
	})
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// readCSV reads UTF-8 (with or without BOM), UTF-16 with BOM (Excel's
// "Unicode text") or, failing UTF-8, Windows-1250 (what Excel in the region
// writes as "CSV"); the separator is whichever of , ; or tab the first line
// uses most.
func readCSV(b []byte, opt ReadOptions) (*Sheet, error) {
	text, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	sh := &Sheet{Format: FormatCSV, Delimiter: sniffDelimiter(text)}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sh.Delimiter
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	sink := &rowSink{sh: sh, maxRows: opt.MaxRows}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadCSV, err)
		}
		line, _ := cr.FieldPos(0)
		if err := sink.add(line, rec); err != nil {
			return nil, err
		}
	}
	if err := sink.finish(); err != nil {
		return nil, err
	}
	return sh, nil
}

// ErrBadCSV is a text file that is not CSV.
var ErrBadCSV = errors.New("the CSV file cannot be read")

func decodeText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrBadCSV, err)
		}
		return string(out), nil
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", ErrUnknownFormat // binary, not text
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	out, err := charmap.Windows1250.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadCSV, err)
	}
	return string(out), nil
}

// sniffDelimiter counts , ; and tab outside quotes in the first lines (a
// title line above the headers has none) and takes the most used.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	lines := 0
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' {
			if lines++; lines == 20 {
				break
			}
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// readXLSX reads one worksheet with excelize's row iterator, raw values,
// and unzip limits.
func readXLSX(b []byte, opt ReadOptions) (*Sheet, error) {
	f, err := openXLSX(b)
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrOptionsUnzipSizeLimit) {
			return nil, ErrDamaged
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, ErrTooLarge
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer f.Close()
	sh := &Sheet{Format: FormatXLSX}
	for _, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err == nil && visible {
			sh.Sheets = append(sh.Sheets, name)
		}
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		sh.date1904 = *props.Date1904
	}
	switch {
	case opt.Sheet != "":
		found := false
		for _, name := range f.GetSheetList() {
			if name == opt.Sheet {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %q", ErrNoSheet, opt.Sheet)
		}
		sh.SheetName = opt.Sheet
	case len(sh.Sheets) == 0:
		return nil, ErrNoHeader
	default:
		sh.SheetName = sh.Sheets[0]
		for _, name := range sh.Sheets {
			if headerKnown(f, name) {
				sh.SheetName = name
				break
			}
		}
	}
	rows, err := f.Rows(sh.SheetName)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer rows.Close()
	sink := &rowSink{sh: sh, maxRows: opt.MaxRows}
	raw := excelize.Options{RawCellValue: true}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(raw)
		if err != nil {
			return nil, xlsxError(err)
		}
		if err := sink.add(n, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, xlsxError(err)
	}
	if err := sink.finish(); err != nil {
		return nil, err
	}
	return sh, nil
}

// openXLSX opens a workbook from outside with Registar's limits; a part
// too large for memory goes to a temporary file in XLSXTempDir.
func openXLSX(b []byte) (*excelize.File, error) {
	return excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    unzipLimit,
		UnzipXMLSizeLimit: unzipXMLLimit,
		TmpDir:            XLSXTempDir(),
	})
}

// Temporary files of excelize. A sheet larger than unzipXMLLimit is
// unpacked into a file named excelize-*, in clear text, removed when the
// workbook is closed. A killed import never closes it, so excelize is given
// a folder of this process's own, <user cache>/registar/tmp/<pid> (e.g.
// ~/.cache/registar/tmp/4242, %LocalAppData%\registar\tmp\4242): the
// user's private folder on the user's disk rather than the shared system
// temp folder, and the folders of processes that are gone are removed at
// the next start (RemoveLeftoverTemp), without touching the files of
// another Registar still reading a sheet.
var (
	tempMu    sync.Mutex
	tempDir   string // this process's folder once made
	tempTried bool
)

// XLSXTempDir is this process's folder for excelize's temporary files,
// made (and the leftovers of dead processes removed) at first use; "" (the
// system's temp folder) if it cannot be made. Every workbook the programs
// write or read passes it as excelize.Options.TmpDir, so that personal data
// never lands in the shared temp folder.
func XLSXTempDir() string {
	tempMu.Lock()
	defer tempMu.Unlock()
	if !tempTried {
		tempTried = true
		removeLeftoverTemp()
		dir := filepath.Join(tempRoot(), strconv.Itoa(os.Getpid()))
		if err := os.MkdirAll(dir, 0o700); err == nil {
			tempDir = dir
		}
	}
	return tempDir
}

// tempRoot holds one folder per running Registar process.
func tempRoot() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "registar", "tmp")
	}
	return filepath.Join(os.TempDir(), "registar-tmp")
}

// RemoveLeftoverTemp removes the temporary files that Registar processes
// no longer running left behind (a killed import's unpacked sheets). The
// app and the CLI call it at start; reading a workbook calls it too, once.
func RemoveLeftoverTemp() {
	tempMu.Lock()
	defer tempMu.Unlock()
	removeLeftoverTemp()
}

func removeLeftoverTemp() {
	root := tempRoot()
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(root, e.Name())
		pid, err := strconv.Atoi(e.Name())
		switch {
		case err != nil && !strings.HasPrefix(e.Name(), "excelize-"):
			continue // not ours
		case err == nil && path == tempDir:
			continue // this process's, in use
		case err == nil && pid != os.Getpid() && processRunning(pid):
			continue // another Registar's, maybe reading a sheet now
		}
		os.RemoveAll(path)
	}
}

// processRunning reports whether a process with this ID exists. A reused
// ID only keeps a dead process's folder until a later start.
func processRunning(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	defer p.Release()
	if runtime.GOOS == "windows" {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

func xlsxError(err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return ErrTooLarge
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}

// headerKnown reports whether one of the first rows of a sheet has two or
// more headers Registar recognises. Only those rows are read.
func headerKnown(f *excelize.File, sheet string) bool {
	rows, err := f.Rows(sheet)
	if err != nil {
		return false
	}
	defer rows.Close()
	for i := 0; i < headerScan && rows.Next(); i++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return false
		}
		if len(cells) > MaxColumns {
			cells = cells[:MaxColumns]
		}
		for j := range cells {
			cells[j] = cleanCell(cells[j])
		}
		if recognised(cells) >= 2 {
			return true
		}
	}
	return false
}
