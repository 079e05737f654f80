package odk

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// The XLSForm (https://xlsform.org) has the three sheets KoboToolbox and
// ODK Central read: survey (a question per row), choices (a choice per row)
// and settings (one row). Translated columns are named
// "label::Bosanski (bs)", one per language.

// Sheet names, as XLSForm fixes them.
const (
	sheetSurvey   = "survey"
	sheetChoices  = "choices"
	sheetSettings = "settings"
)

// translated is the header of a translated column in each language.
func translated(column string) []any {
	out := make([]any, len(Languages))
	for i, l := range Languages {
		out[i] = column + "::" + LanguageName(l)
	}
	return out
}

// inLanguages is a text's cells, in the order of translated's columns.
func inLanguages(t Texts) []any {
	out := make([]any, len(Languages))
	for i, l := range Languages {
		out[i] = t[l] // "" where there is none
	}
	return out
}

func row(cells ...[]any) []any {
	var out []any
	for _, c := range cells {
		out = append(out, c...)
	}
	return out
}

func one(v ...any) []any { return v }

// streamSheet writes a new sheet's rows in order. Its dimension (the
// range it fills) is set first, as excelize's stream writer leaves it at
// A1: openpyxl in read-only mode, which pyxform (KoboToolbox, ODK Central)
// and pandas read with, believes it and would see one row.
func streamSheet(x *excelize.File, sheet string, rows [][]any) error {
	width := 1
	for _, r := range rows {
		width = max(width, len(r))
	}
	last, err := excelize.CoordinatesToCellName(width, max(len(rows), 1))
	if err != nil {
		return err
	}
	if err := x.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// WriteXLSForm writes the form as an XLSForm workbook.
func (f *Form) WriteXLSForm(w io.Writer) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", sheetSurvey); err != nil {
		return err
	}
	for _, s := range []string{sheetChoices, sheetSettings} {
		if _, err := x.NewSheet(s); err != nil {
			return err
		}
	}
	empty := make(Texts)
	orEmpty := func(t Texts) Texts {
		if t == nil {
			return empty
		}
		return t
	}
	survey := [][]any{row(one("type", "name"), translated("label"), translated("hint"),
		one("required"), translated("required_message"), one("constraint"),
		translated("constraint_message"), one("appearance", "calculation"))}
	for _, q := range f.Questions {
		typ := string(q.Type)
		if q.List != "" {
			typ += " " + q.List
		}
		required := ""
		if q.Required {
			required = "yes"
		}
		reqMsg := empty
		if q.Required {
			reqMsg = orEmpty(q.RequiredMsg)
		}
		survey = append(survey, row(one(typ, q.Name), inLanguages(orEmpty(q.Label)), inLanguages(orEmpty(q.Hint)),
			one(required), inLanguages(reqMsg), one(q.Constraint), inLanguages(orEmpty(q.ConstraintMsg)),
			one(q.Appearance, q.Calculate)))
	}
	choices := [][]any{row(one("list_name", "name"), translated("label"))}
	for _, l := range f.Lists {
		for _, c := range l.Choices {
			choices = append(choices, row(one(l.Name, c.Name), inLanguages(c.Label)))
		}
	}
	// The version is text: as a number a spreadsheet would show
	// 2.0E+9 and a reader might take 2026120701.0.
	settings := [][]any{
		one("form_title", "form_id", "version", "default_language", "instance_name"),
		one(f.Title, f.ID, f.Version, LanguageName(f.Lang), f.InstanceName),
	}
	for _, sh := range []struct {
		name string
		rows [][]any
	}{{sheetSurvey, survey}, {sheetChoices, choices}, {sheetSettings, settings}} {
		if err := streamSheet(x, sh.name, sh.rows); err != nil {
			return err
		}
	}
	// The survey sheet, first, is the active one already: SetActiveSheet
	// would read the streamed sheets back (a third of the time).
	_, err := x.WriteTo(w)
	return err
}
