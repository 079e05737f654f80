package exchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
)

// writeTable writes rows of cells (text, time.Time for a date, nil) under
// the fields' labels in opt.Lang: an .xlsx of one sheet named after the
// kind (header frozen, autofilter, dates as dates), or with FormatCSV a
// .csv as exportCSV writes one (BOM, ";" outside English). It returns the
// number of rows written.
func writeTable(ctx context.Context, w io.Writer, k data.Kind, fields []Field, rows [][]any, opt ExportOptions) (int, error) {
	if opt.Format == FormatCSV {
		return writeTableCSV(ctx, w, fields, rows, opt)
	}
	f := excelize.NewFile(excelize.Options{TmpDir: XLSXTempDir()})
	defer f.Close()
	st, err := newStyles(f, opt.Lang)
	if err != nil {
		return 0, err
	}
	name := sheetName(i18n.T(opt.Lang, "kind."+string(k)+".plural"))
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return 0, err
	}
	sw, err := newStreamWriter(f, name, len(fields), len(rows)+1)
	if err != nil {
		return 0, err
	}
	for i, fd := range fields {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(fd, opt.Lang)); err != nil {
			return 0, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	header := make([]any, len(fields))
	for i, fd := range fields {
		header[i] = excelize.Cell{StyleID: st.header, Value: fd.Label(opt.Lang)}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return 0, err
	}
	out := make([]any, len(fields))
	for n, row := range rows {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			if opt.Progress != nil {
				opt.Progress(n, len(rows))
			}
		}
		for i, v := range row {
			switch {
			case v == nil:
				out[i] = nil
			case fields[i].typ == typeDate:
				out[i] = excelize.Cell{StyleID: st.date, Value: v}
			case fields[i].typ == typeLongText:
				out[i] = excelize.Cell{StyleID: st.wrap, Value: v}
			default:
				out[i] = v
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(n+2), out); err != nil {
			return n, err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(fields))
	if err := f.AutoFilter(name, "A1:"+last+strconv.Itoa(len(rows)+1), nil); err != nil {
		return 0, err
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	f.SetActiveSheet(0)
	return len(rows), writeWorkbook(f, w)
}

func writeTableCSV(ctx context.Context, w io.Writer, fields []Field, rows [][]any, opt ExportOptions) (int, error) {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if opt.Lang != i18n.EN {
		cw.Comma = ';'
	}
	line := make([]string, len(fields))
	for i, fd := range fields {
		line[i] = fd.Label(opt.Lang)
	}
	if err := cw.Write(line); err != nil {
		return 0, err
	}
	for n, row := range rows {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
		for i, v := range row {
			line[i] = csvText(v, opt.Lang)
		}
		if err := cw.Write(line); err != nil {
			return n, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, err
	}
	return len(rows), bw.Flush()
}
