package exchange

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/fold"
	"registar/data/i18n"
	"registar/data/store"
)

// TemplateOptions say how a blank template is made.
type TemplateOptions struct {
	// Lang is the language of the headers, instructions and drop-downs.
	Lang i18n.Lang
	// Rows is how many rows carry the drop-down lists; 0 means 5,000.
	Rows int
}

// listsSheet is the hidden sheet that holds the drop-down lists: a list
// written into a validation itself may not pass 255 characters, and the
// countries alone take thousands.
const listsSheet = "Lists"

// Template writes a blank sheet for field volunteers to w as an .xlsx: the
// headers of the kind in opt.Lang (required ones marked *), a second sheet
// with instructions, and drop-down lists (data validation, values on a
// hidden sheet) for gender, country, local community, yes/no and the other
// coded fields. st may be nil: then there is no list of local communities.
func Template(w io.Writer, st *store.Store, kind data.Kind, opt TemplateOptions) (err error) {
	defer guard(&err)
	fields, ok := kindFields[kind]
	if !ok {
		return &FieldNameError{Kind: kind}
	}
	if opt.Lang == "" {
		opt.Lang = i18n.EN
	}
	if opt.Rows <= 0 {
		opt.Rows = 5000
	}
	lang := opt.Lang
	var locs []*data.Locality
	if st != nil {
		if locs, err = localities(st); err != nil {
			return err
		}
	}
	f := excelize.NewFile(excelize.Options{TmpDir: XLSXTempDir()})
	defer f.Close()
	styles, err := newStyles(f, lang)
	if err != nil {
		return err
	}
	sheet := sheetName(i18n.T(lang, "kind."+string(kind)+".plural"))
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	instructions := sheetName(i18n.T(lang, "exchange.template.instructions"))
	if _, err := f.NewSheet(instructions); err != nil {
		return err
	}
	if _, err := f.NewSheet(listsSheet); err != nil {
		return err
	}

	// The data sheet: headers, widths, frozen header, date format.
	var cols []Field
	for _, fd := range fields {
		if fd.typ != typeID {
			cols = append(cols, fd)
		}
	}
	for i, fd := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		label := fd.Label(lang)
		if required(kind, fd.Name) {
			label += " *"
		}
		if err := f.SetCellValue(sheet, cell, label); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, columnWidth(fd, lang)); err != nil {
			return err
		}
		if fd.typ == typeDate {
			if err := f.SetColStyle(sheet, col, styles.date); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.SetCellStyle(sheet, "A1", last+"1", styles.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	// The lists, one column each on the hidden sheet, and a validation per
	// column that uses one. Validations go in with the normal API: one
	// added to a streamed sheet would be lost.
	lists := map[string]int{} // list name → its column on the lists sheet
	listCol := 0
	addList := func(name string, values []string) (string, error) {
		if len(values) == 0 {
			return "", nil
		}
		c, ok := lists[name]
		if !ok {
			listCol++
			c = listCol
			lists[name] = c
			for r, v := range values {
				cell, _ := excelize.CoordinatesToCellName(c, r+1)
				if err := f.SetCellStr(listsSheet, cell, v); err != nil {
					return "", err
				}
			}
		}
		col, _ := excelize.ColumnNumberToName(c)
		return fmt.Sprintf("'%s'!$%s$1:$%s$%d", listsSheet, col, col, len(values)), nil
	}
	for i, fd := range cols {
		name, values := dropDown(fd, lang, locs)
		ref, err := addList(name, values)
		if err != nil {
			return err
		}
		if ref == "" {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, opt.Rows+1))
		dv.SetSqrefDropList(ref)
		// A warning, not a stop: the importer also takes "M", "DE", "x"…
		dv.SetError(excelize.DataValidationErrorStyleWarning, fd.Label(lang), i18n.T(lang, "exchange.template.pick"))
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(listsSheet, false); err != nil {
		return err
	}

	if err := writeInstructions(f, instructions, kind, cols, lang, styles); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// dropDown is the list a column offers, with a name shared by the columns
// that use the same one (every yes/no column uses one list).
func dropDown(fd Field, lang i18n.Lang, locs []*data.Locality) (string, []string) {
	switch fd.typ {
	case typeYesNo:
		return "yesno", []string{i18n.T(lang, "value.yes"), i18n.T(lang, "value.no")}
	case typeCode:
		var labels []string
		for _, code := range data.ValueCodes(fd.group) {
			labels = append(labels, data.ValueLabel(fd.group, code, lang))
		}
		return fd.group, labels
	case typeCountry:
		cs := data.Countries(lang)
		names := make([]string, len(cs))
		for i, c := range cs {
			names[i] = c.Name
		}
		return "country", names
	case typeLocality:
		names := newLocalityIndex(locs).names()
		sort.Slice(names, func(i, j int) bool { return fold.Key(names[i]) < fold.Key(names[j]) })
		return "locality", names
	}
	return "", nil
}

// writeInstructions fills the second sheet: how to fill the template, and
// one line per column with what it takes.
func writeInstructions(f *excelize.File, sheet string, kind data.Kind, cols []Field, lang i18n.Lang, st styles) error {
	if err := f.SetColWidth(sheet, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 90); err != nil {
		return err
	}
	r := 1
	put := func(a, b string, style int) error {
		if err := f.SetCellStr(sheet, fmt.Sprintf("A%d", r), a); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, fmt.Sprintf("B%d", r), b); err != nil {
			return err
		}
		if style != 0 {
			if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", r), fmt.Sprintf("B%d", r), style); err != nil {
				return err
			}
		}
		r++
		return nil
	}
	title := i18n.T(lang, "exchange.template.title", "param", i18n.T(lang, "kind."+string(kind)+".plural"))
	if err := put(title, "", st.header); err != nil {
		return err
	}
	for _, key := range []string{"exchange.template.line1", "exchange.template.line2", "exchange.template.line3", "exchange.template.line4", "exchange.template.line5"} {
		if err := put("", i18n.T(lang, key), st.wrap); err != nil {
			return err
		}
	}
	r++
	if err := put(i18n.T(lang, "exchange.template.column"), i18n.T(lang, "exchange.template.what"), st.header); err != nil {
		return err
	}
	for _, fd := range cols {
		hint := i18n.T(lang, "exchange.hint."+hintKey(fd))
		if required(kind, fd.Name) {
			hint = i18n.T(lang, "exchange.hint.required") + " " + hint
		}
		if err := put(fd.Label(lang), strings.TrimSpace(hint), st.wrap); err != nil {
			return err
		}
	}
	return nil
}

// hintKey names the catalogue hint of a column.
func hintKey(fd Field) string {
	switch fd.typ {
	case typeDate:
		return "date"
	case typeInt:
		if fd.Name == "emigration_year" || fd.Name == "founded_year" {
			return "year"
		}
		return "number"
	case typeCode:
		return "list"
	case typeCodes:
		return "codes"
	case typeList:
		return "words"
	case typeYesNo:
		return "yesno"
	case typeCountry:
		return "country"
	case typePhone:
		return "phone"
	case typeLocality:
		return "locality"
	case typeLongText:
		return "longtext"
	}
	if fd.Name == "email" {
		return "email"
	}
	if fd.Name == "website" {
		return "website"
	}
	return "text"
}
