package exchange

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
)

// Templates open with their drop-downs: read back with excelize, the data
// sheet has headers in the language, validations that point at lists on a
// hidden sheet, and a second sheet with instructions.
func TestTemplateDropDowns(t *testing.T) {
	st := memStore(t)
	addLocality(t, st, "Ćoralići", "Cazin")
	addLocality(t, st, "Brekovica", "Bihać")
	addLocality(t, st, "Brekovica", "Cazin")
	for _, lang := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		for _, kind := range importKinds {
			var buf bytes.Buffer
			if err := Template(&buf, st, kind, TemplateOptions{Lang: lang}); err != nil {
				t.Fatalf("%s %s: %v", lang, kind, err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			sheets := f.GetSheetList()
			sheet := sheets[0]
			if len(sheets) != 3 || sheet != sheetName(i18n.T(lang, "kind."+string(kind)+".plural")) ||
				sheets[1] != i18n.T(lang, "exchange.template.instructions") || sheets[2] != listsSheet {
				t.Fatalf("%s %s: sheets %v", lang, kind, sheets)
			}
			if v, _ := f.GetSheetVisible(listsSheet); v {
				t.Errorf("%s %s: the lists sheet is visible", lang, kind)
			}
			header, _ := f.GetRows(sheet)
			cols := map[string]string{} // field → column letter
			for i, h := range header[0] {
				field := fieldForHeader(kind, h)
				if field == "" || field == Ignore {
					t.Errorf("%s %s: header %q does not read back", lang, kind, h)
				}
				col, _ := excelize.ColumnNumberToName(i + 1)
				cols[field] = col
			}
			dvs, err := f.GetDataValidations(sheet)
			if err != nil {
				t.Fatal(err)
			}
			lists := map[string][]string{} // field → values of its list
			for _, dv := range dvs {
				col := strings.TrimRight(strings.SplitN(dv.Sqref, ":", 2)[0], "0123456789")
				if dv.Type != "list" || !strings.HasPrefix(dv.Formula1, "'"+listsSheet+"'!$") {
					t.Errorf("%s %s: validation %+v", lang, kind, dv)
				}
				ref := strings.TrimPrefix(dv.Formula1, "'"+listsSheet+"'!")
				parts := strings.Split(strings.ReplaceAll(ref, "$", ""), ":")
				vals, err := f.GetCols(listsSheet)
				if err != nil {
					t.Fatal(err)
				}
				c, _ := excelize.ColumnNameToNumber(strings.TrimRight(parts[0], "0123456789"))
				for field, letter := range cols {
					if letter == col {
						lists[field] = vals[c-1]
					}
				}
			}
			check := func(field string, want ...string) {
				if _, ok := fieldOf(kind, field); !ok {
					return
				}
				got := lists[field]
				if len(got) == 0 {
					t.Errorf("%s %s: no drop-down for %s", lang, kind, field)
					return
				}
				for _, w := range want {
					if !slices.Contains(got, w) {
						t.Errorf("%s %s: %s list lacks %q: %v", lang, kind, field, w, got[:min(5, len(got))])
					}
				}
			}
			check("gender", data.ValueLabel("gender", "f", lang), data.ValueLabel("gender", "m", lang))
			check("country", data.CountryName("DE", lang), data.CountryName("XK", lang))
			check("locality_id", "Ćoralići", "Brekovica (Bihać)", "Brekovica (Cazin)")
			check("consent_publish", i18n.T(lang, "value.yes"), i18n.T(lang, "value.no"))
			check("invest_at_home", i18n.T(lang, "value.yes"))
			check("org_kind", data.ValueLabel("org_kind", "cso", lang))
			if kind == data.KindPerson && len(strings.Join(lists["country"], ",")) <= 255 {
				t.Errorf("the country list should be longer than an inline list may be")
			}
			// The instructions name every column.
			instr, _ := f.GetRows(sheets[1])
			text := ""
			for _, r := range instr {
				text += strings.Join(r, " ") + "\n"
			}
			for _, h := range header[0] {
				if !strings.Contains(text, strings.TrimSuffix(h, " *")) {
					t.Errorf("%s %s: instructions do not mention %q", lang, kind, h)
				}
			}
			f.Close()
		}
	}
}

// A filled template imports: the values the drop-downs offer read back.
func TestFilledTemplateImports(t *testing.T) {
	st := memStore(t)
	loc := addLocality(t, st, "Brekovica", "Bihać")
	addLocality(t, st, "Brekovica", "Cazin")
	for _, lang := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		var buf bytes.Buffer
		if err := Template(&buf, st, data.KindPerson, TemplateOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		sheet := f.GetSheetList()[0]
		header, _ := f.GetRows(sheet)
		set := func(field string, v any) {
			for i, h := range header[0] {
				if fieldForHeader(data.KindPerson, h) == field {
					cell, _ := excelize.CoordinatesToCellName(i+1, 2)
					f.SetCellValue(sheet, cell, v)
				}
			}
		}
		set("given_name", "Arbër")
		set("family_name", "Krasniqi")
		set("birth_date", "12.03.1985.")
		set("country", data.CountryName("CH", lang))
		set("gender", data.ValueLabel("gender", "m", lang))
		set("locality_id", "Brekovica (Bihać)")
		set("consent_publish", i18n.T(lang, "value.yes"))
		set("education", data.ValueLabel("education", "master", lang))
		var filled bytes.Buffer
		f.WriteTo(&filled)
		f.Close()
		sh, err := Read(bytes.NewReader(filled.Bytes()), "teren.xlsx", ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := plan(t, st, sh, "", Options{Lang: lang})
		if r := only(t, p); r.Action != Add {
			t.Fatalf("%s: %s %v", lang, r.Action, r.Reasons)
		}
		rec := firstRecord(t, p).(*data.Person)
		if rec.Country != "CH" || rec.Gender != "m" || rec.LocalityID != loc || !rec.ConsentPublish.Given || rec.Education != "master" {
			t.Fatalf("%s: %+v", lang, rec)
		}
	}
}
