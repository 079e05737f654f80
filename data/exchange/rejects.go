package exchange

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"registar/data/i18n"
)

// WriteRejects writes the rows the import will not take to w as an .xlsx:
// the file's own header and cells as they were (a spreadsheet date stays a
// date), then the row's number in the file and the reasons, in the plan's
// language. Corrected, the file imports as it is: Registar reads past its
// two extra columns. It returns how many rows it wrote.
func (p *Plan) WriteRejects(w io.Writer) (n int, err error) {
	defer guard(&err)
	lang := p.Options.Lang
	f := excelize.NewFile(excelize.Options{TmpDir: XLSXTempDir()})
	defer f.Close()
	st, err := newStyles(f, lang)
	if err != nil {
		return 0, err
	}
	sheet := sheetName(i18n.T(lang, "exchange.rejects.sheet"))
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return 0, err
	}
	width := len(p.Sheet.Header)
	rejected := p.Rejected()
	byRow := map[int]RowResult{}
	for _, r := range rejected {
		byRow[r.Row] = r
	}
	for _, r := range p.Sheet.Rows {
		if _, ok := byRow[r.N]; ok {
			width = max(width, len(r.Cells))
		}
	}
	// Which columns hold dates: their serials go back as dates.
	dateCols := map[int]bool{}
	for _, c := range p.Mapping.Columns {
		if fd, ok := fieldOf(p.Mapping.Kind, c.Field); ok && fd.typ == typeDate {
			dateCols[c.Index] = true
		}
	}
	conv := &converter{xlsx: p.Sheet.Format == FormatXLSX, date1904: p.Sheet.date1904}

	sw, err := newStreamWriter(f, sheet, width+2, len(rejected)+1)
	if err != nil {
		return 0, err
	}
	for i := 0; i < width; i++ {
		h := ""
		if i < len(p.Sheet.Header) {
			h = p.Sheet.Header[i]
		}
		if err := sw.SetColWidth(i+1, i+1, min(max(float64(len([]rune(h)))*1.1+3, 12), 40)); err != nil {
			return 0, err
		}
	}
	if err := sw.SetColWidth(width+1, width+1, 8); err != nil {
		return 0, err
	}
	if err := sw.SetColWidth(width+2, width+2, 80); err != nil {
		return 0, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	header := make([]any, width+2)
	for i := 0; i < width; i++ {
		h := ""
		if i < len(p.Sheet.Header) {
			h = p.Sheet.Header[i]
		}
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	header[width] = excelize.Cell{StyleID: st.header, Value: i18n.T(lang, "exchange.rejects.row")}
	header[width+1] = excelize.Cell{StyleID: st.header, Value: i18n.T(lang, "exchange.rejects.reasons")}
	if err := sw.SetRow("A1", header); err != nil {
		return 0, err
	}
	for _, r := range p.Sheet.Rows {
		res, ok := byRow[r.N]
		if !ok {
			continue
		}
		row := make([]any, width+2)
		for i := 0; i < width; i++ {
			cell := r.cell(i)
			switch {
			case cell == "":
			case dateCols[i] && conv.xlsx && isNumber(cell):
				if d, ok := conv.date(cell); ok {
					row[i] = excelize.Cell{StyleID: st.date, Value: d.Time()}
					continue
				}
				row[i] = cell
			default:
				row[i] = cell
			}
		}
		row[width] = r.N
		row[width+1] = excelize.Cell{StyleID: st.wrap, Value: strings.Join(res.Reasons, "\n")}
		n++
		if err := sw.SetRow("A"+strconv.Itoa(n+1), row); err != nil {
			return n, err
		}
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	_, err = f.WriteTo(w)
	return n, err
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
