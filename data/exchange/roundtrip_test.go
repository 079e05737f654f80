package exchange

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// fillRegistry saves records of every kind with every exchanged field set.
func fillRegistry(t testing.TB, st *store.Store) {
	t.Helper()
	l1 := addLocality(t, st, "Ćoralići", "Cazin")
	l2 := addLocality(t, st, "Brekovica", "Bihać")
	addLocality(t, st, "Brekovica", "Cazin")
	countries := []string{"DE", "AT", "CH", "XK", "US", "SE", "BA", "RS", "TR", "MK"}
	var recs []data.Record
	for i := 0; i < 40; i++ {
		p := &data.Person{
			GivenName: []string{"Đorđe", "Amra", "Ђорђе", "Arbër", "Çelik"}[i%5], FamilyName: fmt.Sprintf("Petrović-%d", i),
			ParentName: "Mujo", Gender: []string{"f", "m"}[i%2], BirthDate: data.NewDate(1950+i, time.Month(1+i%12), 1+i%28),
			HomeMunicipality: "Cazin", LocalityID: []string{l1, l2, ""}[i%3], Country: countries[i%len(countries)],
			City: "Bad Ischl", Address: "Hauptstraße 5, 4820", Email: fmt.Sprintf("p%d@example.com", i), Phone: "+38761242771",
			Profession: "inženjer", Education: data.Educations[i%len(data.Educations)], EmigrationYear: 1970 + i,
			DaysHomePerYear: i, Generation: 1 + i%3, Interests: data.Interests[:1+i%5],
			Needs: "prvi red\ndrugi red", NeedTags: []string{"stipendija"}, Languages: []string{"bosanski", "njemački"},
			Notes: "napomena", Tags: []string{"teren 2025", "Cazin"},
			ConsentContact: data.Consent{Given: true, Date: data.NewDate(2024, 5, 6), How: "written"},
			ConsentPublish: data.Consent{Given: i%2 == 0, Date: data.NewDate(2024, 5, 7), How: data.ConsentWays[i%4]},
		}
		recs = append(recs, p)
		if i%4 == 0 {
			recs = append(recs, &data.Business{
				Name: fmt.Sprintf("Hodžić GmbH %d", i), Country: countries[i%len(countries)], City: "Wien", Address: "Ring 1",
				Sector: "građevina", Employees: 12 + i, RegistrationNo: "FN 123", Email: fmt.Sprintf("b%d@example.com", i),
				Phone: "+436641234567", Website: "https://hodzic.example.com", InvestAtHome: i%8 == 0, Notes: "n", Tags: []string{"x"},
				ConsentContact: data.Consent{Given: true, Date: data.NewDate(2023, 1, 2), How: "verbal"},
			}, &data.Organisation{
				Name: fmt.Sprintf("Udruženje BiH %d", i), OrgKind: data.OrganisationKinds[i%len(data.OrganisationKinds)],
				LegalForm: "e.V.", RegistrationNo: "VR 1", FoundedYear: 1990 + i%30, Country: countries[i%len(countries)],
				City: "Malmö", Address: "Gatan 3", Areas: []string{"kultura", "sport"}, MemberCount: 1200 + i,
				ContactPerson: "Selma Begić", Email: fmt.Sprintf("o%d@example.com", i), Phone: "+46701234567",
				Website: "https://udruzenje.example.org", Notes: "osnovano u ratu", Tags: []string{"dijaspora"},
			})
		}
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "test"}, recs, nil); err != nil {
		t.Fatal(err)
	}
}

// content is a record without what the store sets: ID stays, so the round
// trip must keep IDs too.
func content(t testing.TB, r data.Record) string {
	c := data.Clone(r)
	id := c.Base().ID
	*c.Base() = data.Meta{ID: id}
	b, err := data.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func snapshot(t testing.TB, st *store.Store) map[string]string {
	out := map[string]string{}
	for _, k := range data.Kinds {
		st.Each(k, func(r data.Record) error { out[r.Base().ID] = content(t, r); return nil })
	}
	return out
}

// What Registar exports, it imports back unchanged: into an empty registry
// (same records, same IDs), and into the same registry (all duplicates; with
// update, all unchanged). In every language.
func TestRoundTrip(t *testing.T) {
	src := memStore(t)
	fillRegistry(t, src)
	want := snapshot(t, src)
	for _, lang := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		var buf bytes.Buffer
		n, err := Export(context.Background(), &buf, src, search.Query{}, ExportOptions{Lang: lang})
		if err != nil || n != len(want) {
			t.Fatalf("%s: export %d of %d: %v", lang, n, len(want), err)
		}
		dst := memStore(t)
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		f.Close()
		if len(sheets) != 4 {
			t.Fatalf("%s: sheets %v", lang, sheets)
		}
		// Localities first: persons name them.
		order := []int{3, 0, 1, 2}
		for _, i := range order {
			sh, err := Read(bytes.NewReader(buf.Bytes()), "export.xlsx", ReadOptions{Sheet: sheets[i]})
			if err != nil {
				t.Fatal(err)
			}
			p := plan(t, dst, sh, "", Options{Lang: lang})
			if p.Counts.Rejected != 0 || p.Counts.Duplicates != 0 || len(p.Mapping.Unknown()) != 0 {
				t.Fatalf("%s %s: %+v %v %v", lang, sheets[i], p.Counts, p.Rejected(), p.Mapping.Unknown())
			}
			if _, err := p.Apply(context.Background(), dst, nil); err != nil {
				t.Fatal(err)
			}
		}
		got := snapshot(t, dst)
		if len(got) != len(want) {
			t.Fatalf("%s: %d records, want %d", lang, len(got), len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Fatalf("%s: record changed on the way:\n got %s\nwant %s", lang, got[id], w)
			}
		}
		// Back into the registry it came from.
		for _, i := range order {
			for _, mode := range []Duplicates{Skip, Update} {
				sh, _ := Read(bytes.NewReader(buf.Bytes()), "export.xlsx", ReadOptions{Sheet: sheets[i]})
				p := plan(t, src, sh, "", Options{Lang: lang, Duplicates: mode})
				c := p.Counts
				if c.Added != 0 || c.Updated != 0 || c.Rejected != 0 || c.Duplicates+c.Unchanged != c.Rows {
					t.Fatalf("%s %s mode %d: %+v %+v", lang, sheets[i], mode, c, p.Rows[:min(3, len(p.Rows))])
				}
			}
		}
	}
}

// Every country and every coded value reads back from its name in every
// language (or the export falls back to the code).
func TestNamesReadBack(t *testing.T) {
	conv := &converter{}
	p := &data.Person{}
	f, _ := fieldOf(data.KindPerson, "country")
	for _, lang := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		conv.lang = lang
		for _, c := range data.Countries(lang) {
			p.Country = c.Code
			name := conv.cellValue(p, f).(string)
			if code, ok := data.ParseCountry(name); !ok || code != c.Code {
				t.Errorf("%s: %s written as %q reads back as %q", lang, c.Code, name, code)
			}
		}
		for _, g := range []string{data.GroupGender, data.GroupEducation, data.GroupInterest, data.GroupOrgKind,
			data.GroupLocalityKind, data.GroupConsentHow, data.GroupGeneration} {
			for _, code := range data.ValueCodes(g) {
				if got, ok := data.ParseValue(g, data.ValueLabel(g, code, lang)); !ok || got != code {
					t.Errorf("%s %s: %s reads back as %q", lang, g, code, got)
				}
			}
		}
	}
}

func TestExportFormat(t *testing.T) {
	st := memStore(t)
	fillRegistry(t, st)
	var buf bytes.Buffer
	n, err := Export(context.Background(), &buf, st, search.ParseQuery("petrovic country:DE"), ExportOptions{Lang: i18n.SQ})
	if err != nil || n == 0 {
		t.Fatalf("%d %v", n, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Persona" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, _ := f.GetRows("Persona")
	if len(rows) != n+1 || rows[0][1] != "Emri" || rows[0][2] != "Mbiemri" || rows[0][5] != "Data e lindjes" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	if rows[1][8] != "Gjermani" {
		t.Fatalf("country in Albanian: %q", rows[1][8])
	}
	// Dates are real dates: a number with a date format.
	raw, _ := f.GetCellValue("Persona", "F2", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue("Persona", "F2")
	if _, err := fmt.Sscanf(raw, "%d", new(int)); err != nil || shown == raw {
		t.Fatalf("date cell raw %q shown %q", raw, shown)
	}
	panes, err := f.GetPanes("Persona")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("frozen header: %+v %v", panes, err)
	}
	names := f.GetDefinedName()
	found := false
	for _, d := range names {
		if d.Name == "_xlnm._FilterDatabase" && d.RefersTo == fmt.Sprintf("'Persona'!$A$1:$AD$%d", n+1) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no autofilter over the list: %+v", names)
	}
}
