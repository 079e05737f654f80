package exchange

import (
	"archive/zip"
	"compress/flate"
	"context"
	"io"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// ExportOptions say how a list is written.
type ExportOptions struct {
	// Lang is the language of the headers, sheet names and values (gender,
	// country names, yes/no…).
	Lang i18n.Lang
	// Progress, if set, is called as rows are written: done of total.
	Progress func(done, total int)
	// Format is FormatXLSX (the default) or FormatCSV.
	Format Format
}

// FormatOf is the export format a file name asks for: FormatCSV for a name
// ending in .csv, else FormatXLSX.
func FormatOf(name string) Format {
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return FormatCSV
	}
	return FormatXLSX
}

// ParseFormat reads "xlsx" or "csv" (a --format flag).
func ParseFormat(s string) (Format, bool) {
	switch Format(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))) {
	case FormatXLSX:
		return FormatXLSX, true
	case FormatCSV:
		return FormatCSV, true
	}
	return "", false
}

// exportBatch is how many records are read from the store at a time: the
// whole list never sits in memory.
const exportBatch = 1000

// Export writes the records a query finds (its text, kind and filters; Limit
// and Offset are ignored: the whole list) to w as an .xlsx workbook, one
// sheet per kind: headers in opt.Lang, dates as real dates, the header row
// frozen, an autofilter on it. What Export writes, Import reads back to the
// same records (an ID column lets a re-import update them). It returns the
// number of rows written. With opt.Format FormatCSV it writes a .csv of one
// kind instead (see writeCSV).
func Export(ctx context.Context, w io.Writer, st *store.Store, q search.Query, opt ExportOptions) (n int, err error) {
	defer guard(&err)
	if st == nil {
		return 0, ErrNoStore
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	q.Limit, q.Offset = 0, 0
	res := st.Search(q)
	locs, err := localities(st)
	if err != nil {
		return 0, err
	}
	conv := &converter{lang: opt.Lang, localities: newLocalityIndex(locs)}
	if opt.Format == FormatCSV {
		return exportCSV(ctx, w, st, q, res.Hits, conv, opt)
	}
	byKind := map[data.Kind][]string{}
	for _, h := range res.Hits {
		byKind[h.Kind] = append(byKind[h.Kind], h.ID)
	}
	total := len(res.Hits)
	// From here on only the IDs are needed: the titles and the rest of
	// 1,000,000 hits are ~100 MB.
	res.Hits = nil
	f := excelize.NewFile(excelize.Options{TmpDir: XLSXTempDir()})
	defer f.Close()
	styles, err := newStyles(f, opt.Lang)
	if err != nil {
		return 0, err
	}
	first := true
	kinds := data.Kinds
	if q.Kind == "" && total == 0 {
		kinds = nil // an empty list still gets one (empty) sheet below
	}
	for _, k := range kinds {
		ids := byKind[k]
		if len(ids) == 0 && !(q.Kind == k) {
			continue
		}
		name := sheetName(i18n.T(opt.Lang, "kind."+string(k)+".plural"))
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return n, err
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			return n, err
		}
		next, stop := fetcher(ctx, st, ids, func(done int) {
			if opt.Progress != nil {
				opt.Progress(n+done, total)
			}
		})
		rows, err := writeRecords(f, name, k, conv, styles, len(ids), next)
		stop()
		n += rows
		if err != nil {
			return n, err
		}
	}
	if first {
		name := sheetName(i18n.T(opt.Lang, "kind.person.plural"))
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return 0, err
		}
		if _, err := writeRecords(f, name, data.KindPerson, conv, styles, 0, func() ([]data.Record, error) { return nil, nil }); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return n, err
	}
	f.SetActiveSheet(0)
	return n, writeWorkbook(f, w)
}

// writeWorkbook writes f to w as it is zipped: excelize's own WriteTo
// builds the whole file in a buffer first (for 1,000,000 persons ~180 MB,
// and twice that as the buffer grows).
func writeWorkbook(f *excelize.File, w io.Writer) error {
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		// Deflate's fastest level: a sheet of 1,000,000 persons is some
		// 600 MB of XML, and the default level cost a quarter of the
		// export's CPU (100 s against 75 s) for a file a sixth smaller
		// (100,000 persons: 19.1 MB against 23.1 MB).
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	_, err := f.WriteTo(io.Discard) // what is left in excelize's buffer: nothing
	return err
}

// newStreamWriter starts streaming a new sheet of about cols × rows cells.
// The sheet's dimension (the range it fills) is set first: excelize's
// stream writer leaves it at A1, and openpyxl in read-only mode (what
// pandas and pyxform read with) believes it and sees the header alone.
func newStreamWriter(f *excelize.File, sheet string, cols, rows int) (*excelize.StreamWriter, error) {
	last, err := excelize.CoordinatesToCellName(max(cols, 1), max(rows, 1))
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return nil, err
	}
	return f.NewStreamWriter(sheet)
}

// eachFetched calls fn for every record next hands over, batch by batch,
// until next has no more or either fails.
func eachFetched(next func() ([]data.Record, error), fn func(data.Record) error) error {
	for {
		recs, err := next()
		if err != nil || len(recs) == 0 {
			return err
		}
		for _, r := range recs {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
}

// fetcher reads the records in batches on its own goroutine, so that
// reading and decoding the next batch overlaps writing this one (on an
// office laptop's two cores that halves an export). next returns nil at
// the end; stop must be called when the caller is done.
func fetcher(ctx context.Context, st *store.Store, ids []string, progress func(done int)) (next func() ([]data.Record, error), stop func()) {
	type batch struct {
		recs []data.Record
		err  error
	}
	ch := make(chan batch, 2)
	quit := make(chan struct{})
	go func() {
		defer close(ch)
		defer func() {
			if r := recover(); r != nil {
				ch <- batch{err: &PanicError{Value: r, Stack: debug.Stack()}}
			}
		}()
		for len(ids) > 0 {
			if err := ctx.Err(); err != nil {
				ch <- batch{err: err}
				return
			}
			part := ids[:min(exportBatch, len(ids))]
			ids = ids[len(part):]
			recs, err := st.Records(part)
			select {
			case ch <- batch{recs, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	done := 0
	next = func() ([]data.Record, error) {
		b, ok := <-ch
		if !ok {
			return nil, nil
		}
		done += len(b.recs)
		progress(done)
		if b.err == nil && len(b.recs) == 0 {
			return next() // a batch of records erased meanwhile
		}
		return b.recs, b.err
	}
	stop = func() {
		close(quit)
		for range ch {
		}
	}
	return next, stop
}

func localities(st *store.Store) ([]*data.Locality, error) {
	var locs []*data.Locality
	err := st.Each(data.KindLocality, func(r data.Record) error {
		if l, ok := r.(*data.Locality); ok {
			locs = append(locs, l)
		}
		return nil
	})
	return locs, err
}

// styles are the cell styles of a workbook Registar writes.
type styles struct {
	header, date, wrap int
}

func newStyles(f *excelize.File, lang i18n.Lang) (styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
	}); err != nil {
		return s, err
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(dateFormat(lang))}); err != nil {
		return s, err
	}
	if s.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	return s, nil
}

func ptr[T any](v T) *T { return &v }

// dateFormat is how a date cell shows: 12.03.1985. where the office is,
// 1985-03-12 in English.
func dateFormat(lang i18n.Lang) string {
	if lang == i18n.EN {
		return "yyyy-mm-dd"
	}
	return `dd.mm.yyyy.`
}

// sheetName makes a valid worksheet name: at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(s string) string {
	out := make([]rune, 0, 31)
	for _, r := range s {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = ' '
		}
		if len(out) == 31 {
			break
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return "Sheet"
	}
	return string(out)
}

// writeRecords streams one sheet: the header row in the language, then a
// row per record that next hands over (nil when done); about is how many
// records are expected.
func writeRecords(f *excelize.File, sheet string, k data.Kind, conv *converter, st styles, about int, next func() ([]data.Record, error)) (int, error) {
	fields := kindFields[k]
	sw, err := newStreamWriter(f, sheet, len(fields), about+1)
	if err != nil {
		return 0, err
	}
	for i, fd := range fields {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(fd, conv.lang)); err != nil {
			return 0, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	header := make([]any, len(fields))
	for i, fd := range fields {
		header[i] = excelize.Cell{StyleID: st.header, Value: fd.Label(conv.lang)}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return 0, err
	}
	n := 0
	row := make([]any, len(fields))
	err = eachFetched(next, func(r data.Record) error {
		if data.KindOf(r) != k {
			return nil
		}
		for i, fd := range fields {
			v := conv.cellValue(r, fd)
			switch {
			case v == nil:
				row[i] = nil
			case fd.typ == typeDate:
				row[i] = excelize.Cell{StyleID: st.date, Value: v}
			case fd.typ == typeLongText:
				row[i] = excelize.Cell{StyleID: st.wrap, Value: v}
			default:
				row[i] = v
			}
		}
		n++
		return sw.SetRow("A"+strconv.Itoa(n+1), row)
	})
	if err != nil {
		return n, err
	}
	last, _ := excelize.ColumnNumberToName(len(fields))
	if err := f.AutoFilter(sheet, "A1:"+last+strconv.Itoa(n+1), nil); err != nil {
		return n, err
	}
	return n, sw.Flush()
}

// columnWidth fits the header, within reason.
func columnWidth(f Field, lang i18n.Lang) float64 {
	w := float64(utf8.RuneCountInString(f.Label(lang)))*1.1 + 3
	switch f.typ {
	case typeID:
		w = 38
	case typeDate:
		w = max(w, 13)
	case typeLongText:
		w = max(w, 40)
	case typeCountry, typeLocality:
		w = max(w, 20)
	}
	return min(max(w, 10), 45)
}
