package exchange

import (
	"errors"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

func TestFieldTable(t *testing.T) {
	pathsOnce.Do(buildPaths) // panics if a field is not in its struct
	for _, k := range importKinds {
		seen := map[string]bool{}
		for _, f := range kindFields[k] {
			if seen[f.Name] {
				t.Errorf("%s: field %s twice", k, f.Name)
			}
			seen[f.Name] = true
			if strings.Contains(f.Label(i18n.EN), "_") {
				t.Errorf("%s.%s has no label: %q", k, f.Name, f.Label(i18n.EN))
			}
			if (f.typ == typeCode || f.typ == typeCodes) && len(data.ValueCodes(f.group)) == 0 {
				t.Errorf("%s.%s: group %q has no codes", k, f.Name, f.group)
			}
		}
		for name := range kindAliases[k] {
			if !seen[name] {
				t.Errorf("%s: alias for unknown field %s", k, name)
			}
		}
	}
	for name := range commonAliases {
		found := false
		for _, k := range importKinds {
			if _, ok := fieldOf(k, name); ok {
				found = true
			}
		}
		if !found {
			t.Errorf("common alias for unknown field %s", name)
		}
	}
}

// No folded header may name two fields of one kind, across all languages.
func TestNoHeaderClashes(t *testing.T) {
	indexOnce.Do(buildIndexes)
	for _, c := range indexClashes {
		t.Error(c)
	}
}

func TestHeaderAliasesAllLanguages(t *testing.T) {
	cases := []struct {
		kind   data.Kind
		header string
		field  string
	}{
		// English
		{data.KindPerson, "Given name", "given_name"},
		{data.KindPerson, "First Name", "given_name"},
		{data.KindPerson, "SURNAME", "family_name"},
		{data.KindPerson, "Date of birth", "birth_date"},
		{data.KindPerson, "Consent to publication", "consent_publish"},
		{data.KindPerson, "E-mail", "email"},
		// Bosnian
		{data.KindPerson, "Ime", "given_name"},
		{data.KindPerson, "Prezime", "family_name"},
		{data.KindPerson, "Datum rođenja", "birth_date"},
		{data.KindPerson, "datum rodjenja", "birth_date"},
		{data.KindPerson, "  DATUM   ROĐENJA ", "birth_date"},
		{data.KindPerson, "Saglasnost za objavu", "consent_publish"},
		{data.KindPerson, "Država", "country"},
		{data.KindPerson, "Drzava", "country"},
		{data.KindPerson, "Spol", "gender"},
		{data.KindPerson, "Mjesna zajednica", "locality_id"},
		{data.KindPerson, "Mobitel", "phone"},
		{data.KindPerson, "Saglasnost za objavu – Datum", "consent_publish.date"},
		// Croatian
		{data.KindPerson, "Suglasnost za objavu", "consent_publish"},
		{data.KindPerson, "E-pošta", "email"},
		{data.KindPerson, "Mjesni odbor", "locality_id"},
		{data.KindBusiness, "Broj zaposlenika", "employees"},
		{data.KindBusiness, "Naziv tvrtke", "name"},
		// Serbian Cyrillic
		{data.KindPerson, "Име", "given_name"},
		{data.KindPerson, "Презиме", "family_name"},
		{data.KindPerson, "Датум рођења", "birth_date"},
		{data.KindPerson, "Пол", "gender"},
		{data.KindPerson, "Држава", "country"},
		{data.KindPerson, "Сагласност за објаву", "consent_publish"},
		{data.KindPerson, "Месна заједница", "locality_id"},
		{data.KindOrganisation, "Врста организације", "org_kind"},
		// Serbian Latin
		{data.KindPerson, "Pol", "gender"},
		{data.KindPerson, "Opština", "home_municipality"},
		{data.KindPerson, "Mesna zajednica", "locality_id"},
		{data.KindBusiness, "Delatnost", "sector"},
		// Albanian
		{data.KindPerson, "Emri", "given_name"},
		{data.KindPerson, "Mbiemri", "family_name"},
		{data.KindPerson, "Shteti", "country"},
		{data.KindPerson, "Data e lindjes", "birth_date"},
		{data.KindPerson, "Gjinia", "gender"},
		{data.KindPerson, "Pëlqim për publikim", "consent_publish"},
		{data.KindPerson, "Pelqim per publikim", "consent_publish"},
		{data.KindPerson, "Qyteti", "city"},
		{data.KindOrganisation, "Emri i organizatës", "name"},
		{data.KindOrganisation, "Lloji i organizatës", "org_kind"},
		// hints in brackets, required marks, row numbers, rejects columns
		{data.KindPerson, "Datum rođenja (dd.mm.gggg.)", "birth_date"},
		{data.KindPerson, "Ime *", "given_name"},
		{data.KindPerson, "R. br.", Ignore},
		{data.KindPerson, "Razlozi", Ignore},
		{data.KindPerson, "Arsyet", Ignore},
		{data.KindPerson, "Reasons", Ignore},
		{data.KindPerson, "Hobby", ""},
	}
	for _, c := range cases {
		if got := fieldForHeader(c.kind, c.header); got != c.field {
			t.Errorf("%s %q → %q, want %q", c.kind, c.header, got, c.field)
		}
	}
	// Every label Registar writes, in every language, reads back.
	for _, k := range importKinds {
		for _, f := range kindFields[k] {
			for _, l := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
				if got := fieldForHeader(k, f.Label(l)); got != f.Name {
					t.Errorf("%s label %q (%s) → %q, want %s", k, f.Label(l), l, got, f.Name)
				}
			}
		}
	}
}

func TestGuessKind(t *testing.T) {
	cases := []struct {
		header string
		kind   data.Kind
	}{
		{"Ime;Prezime;Datum rođenja;Država", data.KindPerson},
		{"Emri;Mbiemri;Shteti", data.KindPerson},
		{"Име;Презиме;Пол", data.KindPerson},
		{"Naziv;Država;Djelatnost;Broj zaposlenih", data.KindBusiness},
		{"Naziv;Vrsta organizacije;Država", data.KindOrganisation},
		{"Emërtimi;Lloji i organizatës;Shteti;Numri i anëtarëve", data.KindOrganisation},
		{"Naziv;Općina;Vrsta mjesta", data.KindLocality},
	}
	for _, c := range cases {
		sh := readText(t, c.header+"\nx;y;z;w\n")
		m, err := Recognise(sh, "")
		if err != nil || m.Kind != c.kind {
			t.Errorf("%q: kind %q, %v; want %s", c.header, m.Kind, err, c.kind)
		}
	}
	sh := readText(t, "Foo;Bar\n1;2\n")
	if _, err := Recognise(sh, ""); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("unknown headers: %v", err)
	}
}

func TestMappingUnknownAndUserMap(t *testing.T) {
	sh := readText(t, "Ime;Prezime;Datum rođenja;Država;Mobitel 2;Hobi;Ime\nAmir;Hodžić;12.03.1985.;DE;061 242 771;šah;X\n")
	m, err := Recognise(sh, "")
	if err != nil {
		t.Fatal(err)
	}
	var unknown []string
	for _, c := range m.Unknown() {
		unknown = append(unknown, c.Header)
	}
	if strings.Join(unknown, ",") != "Mobitel 2,Hobi,Ime" {
		t.Fatalf("unknown columns: %v", unknown)
	}
	if err := m.SetHeaders(map[string]string{"mobitel 2": "phone", "Hobi": "notes"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Set(0, "no_such_field"); err == nil {
		t.Fatal("a field the kind lacks must be refused")
	}
	if err := m.SetHeaders(map[string]string{"Nope": "phone"}); err == nil {
		t.Fatal("a header the sheet lacks must be refused")
	}
	p, err := Prepare(t.Context(), nil, sh, m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := firstRecord(t, p).(*data.Person)
	if rec.Phone != "+38761242771" || rec.Notes != "šah" || rec.GivenName != "Amir" {
		t.Fatalf("user mapping not applied: %+v", rec)
	}
}

func TestHeaderRowBelowATitle(t *testing.T) {
	sh := readText(t, "Popis dijaspore MZ Ćoralići 2025\n\nR. br.;Ime;Prezime;Datum rođenja;Država\n1;Amir;Hodžić;12.03.1985.;Njemačka\n")
	if sh.HeaderRow != 3 || len(sh.Rows) != 1 || sh.Rows[0].N != 4 {
		t.Fatalf("header row %d, rows %+v", sh.HeaderRow, sh.Rows)
	}
	p := plan(t, nil, sh, "", Options{})
	if p.Counts.Added != 1 || len(p.Mapping.Unknown()) != 0 {
		t.Fatalf("%+v %+v", p.Counts, p.Mapping)
	}
}
