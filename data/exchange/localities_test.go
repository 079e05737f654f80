package exchange

import (
	"context"
	"strings"
	"testing"

	"registar/data"
)

// The Cazin office's first field sheet into a fresh registry: its local
// communities are created with the rows, recognised blind to script, case
// and diacritics, and the whole import undoes as one step.
func TestFreshRegistryTakesItsFirstFieldSheet(t *testing.T) {
	st := memStore(t)
	sh := readText(t, "Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\n"+
		"Amir;Hodžić;12.03.1985;Njemačka;Cazin\n"+
		"Emina;Begić;01.01.1990;Austrija;Pećigrad\n"+
		"Senad;Mujić;02.02.1970;Švedska;pecigrad\n"+
		"Lejla;Mujić;03.03.1975;Švedska;Пећиград\n"+
		"Loš;;01.01.1980;DE;Ćoralići\n")
	p := plan(t, st, sh, "", Options{Lang: bs, Municipality: "Cazin"})
	if p.Counts.Added != 4 || p.Counts.Rejected != 1 || p.Counts.NewLocalities != 2 {
		t.Fatalf("counts %+v, rows %+v", p.Counts, p.Rows)
	}
	// A rejected row names a locality too, but creates none.
	if got := p.NewLocalityNames(); got != "Cazin, Pećigrad" {
		t.Fatalf("preview lists %q", got)
	}
	if rows := p.NewLocalities[1].Rows; len(rows) != 3 || rows[0] != 3 || rows[2] != 5 {
		t.Fatalf("rows naming Pećigrad: %v", rows)
	}
	res, err := p.Apply(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	locs := map[string]*data.Locality{}
	st.Each(data.KindLocality, func(r data.Record) error {
		l := r.(*data.Locality)
		locs[l.ID] = l
		return nil
	})
	if len(locs) != 2 {
		t.Fatalf("%d localities: %+v", len(locs), locs)
	}
	byName := map[string]int{}
	st.Each(data.KindPerson, func(r data.Record) error {
		p := r.(*data.Person)
		l, ok := locs[p.LocalityID]
		if !ok {
			t.Errorf("%s points at no new locality (%q)", p.Title(), p.LocalityID)
			return nil
		}
		if l.Municipality != "Cazin" || p.Source != data.SourceImport {
			t.Errorf("%s: locality %+v, source %s", p.Title(), l, p.Source)
		}
		byName[l.Name]++
		return nil
	})
	if byName["Cazin"] != 1 || byName["Pećigrad"] != 3 {
		t.Fatalf("persons by locality: %v", byName)
	}
	// The same sheet again finds them: nothing new.
	again := plan(t, st, sh, "", Options{Lang: bs, Municipality: "Cazin"})
	if again.Counts.NewLocalities != 0 || again.Counts.Duplicates != 4 {
		t.Fatalf("second preview %+v", again.Counts)
	}
	if _, err := st.Undo(context.Background(), res.Step); err != nil {
		t.Fatal(err)
	}
	if c := st.Counts(); c[data.KindPerson] != 0 || c[data.KindLocality] != 0 {
		t.Fatalf("after undo: %v", c)
	}
}

func TestNewLocalityMunicipality(t *testing.T) {
	st := memStore(t)
	addLocality(t, st, "Pećigrad", "Cazin")
	sh := readText(t, "Ime;Prezime;Datum rođenja;Država;Općina;Mjesna zajednica\n"+
		"Amir;Hodžić;12.03.1985;DE;Bihać;Izačić\n"+ // the row's municipality wins
		"Emina;Begić;01.01.1990;AT;;Ćoralići\n"+ // the office's
		"Senad;Mujić;02.02.1970;SE;;PECIGRAD\n") // the registry's
	p := plan(t, st, sh, data.KindPerson, Options{Lang: bs, Municipality: "Cazin"})
	if p.Counts.Added != 3 || len(p.NewLocalities) != 2 {
		t.Fatalf("counts %+v %+v", p.Counts, p.Rows)
	}
	if got := p.NewLocalityNames(); got != "Izačić (Bihać), Ćoralići" {
		t.Fatalf("preview lists %q", got)
	}

	// Without the office's municipality and a Municipality column, the row
	// cannot say where its local community is: rejected, saying what to do.
	p = plan(t, st, readText(t, "Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\nEna;Kovač;01.01.1980;DE;Ćoralići\n"),
		data.KindPerson, Options{Lang: bs})
	if r := only(t, p); r.Action != Reject || !strings.Contains(r.Reasons[0], "Postavkama") {
		t.Fatalf("no municipality: %s %q", r.Action, r.Reasons)
	}

	// --new-localities reject keeps the old rule.
	p = plan(t, st, readText(t, "Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\nEna;Kovač;01.01.1980;DE;Ćoralići\n"),
		data.KindPerson, Options{Lang: bs, Municipality: "Cazin", NewLocalities: RejectLocalities})
	if r := only(t, p); r.Action != Reject || !strings.Contains(r.Reasons[0], "nema mjesne zajednice „Ćoralići”") || len(p.NewLocalities) != 0 {
		t.Fatalf("reject: %s %q", r.Action, r.Reasons)
	}
}

// An update (Duplicates: Update) may name a new local community too.
func TestNewLocalityOnUpdate(t *testing.T) {
	st := memStore(t)
	addPerson(t, st, "Amir", "Hodžić", data.NewDate(1985, 3, 12), "")
	p := plan(t, st, readText(t, "Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\nAmir;Hodžić;12.03.1985;DE;Ćoralići\n"),
		data.KindPerson, Options{Lang: bs, Municipality: "Cazin", Duplicates: Update})
	if r := only(t, p); r.Action != Change || len(p.NewLocalities) != 1 {
		t.Fatalf("%s %q %+v", r.Action, r.Reasons, p.NewLocalities)
	}
	if _, err := p.Apply(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	if c := st.Counts(); c[data.KindLocality] != 1 || c[data.KindPerson] != 1 {
		t.Fatalf("counts %v", c)
	}
}

// Rows from phones carry their submission's instance ID: the records keep
// it, come from the field, and the same submissions again add nothing.
func TestSubmissionsImportOnce(t *testing.T) {
	st := memStore(t)
	sheet := func(subs ...string) *Sheet {
		var b strings.Builder
		b.WriteString("given_name;family_name;birth_date;country\n")
		names := []string{"Amir;Hodžić;1985-03-12;DE", "Emina;Begić;1990-01-01;AT", "Senad;Mujić;1970-02-02;SE"}
		for i := range subs {
			b.WriteString(names[i] + "\n")
		}
		sh := readText(t, b.String())
		sh.Origin = &Origin{Kind: OriginKobo, FormID: "registar-persons", Submissions: len(subs)}
		for i := range sh.Rows {
			sh.Rows[i].Submission = subs[i]
		}
		return sh
	}
	p := plan(t, st, sheet("uuid:a", "uuid:b"), data.KindPerson, Options{})
	if _, err := p.Apply(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	subs := map[string]bool{}
	st.Each(data.KindPerson, func(r data.Record) error {
		if r.Base().Source != data.SourceField {
			t.Errorf("%s: source %s", r.Title(), r.Base().Source)
		}
		subs[r.Base().Submission] = true
		return nil
	})
	if !subs["uuid:a"] || !subs["uuid:b"] {
		t.Fatalf("submissions kept: %v", subs)
	}
	// A later export repeats the two old submissions and brings a new one;
	// even with Update, the old ones are passed over.
	p = plan(t, st, sheet("uuid:a", "uuid:b", "uuid:c"), data.KindPerson, Options{Duplicates: Update})
	if p.Counts.Added != 1 || p.Counts.AlreadyImported != 2 || p.Counts.Duplicates != 2 {
		t.Fatalf("again: %+v", p.Counts)
	}
	// The same submission twice in one file is one record.
	p = plan(t, memStore(t), sheet("uuid:d", "uuid:d"), data.KindPerson, Options{})
	if p.Counts.Added != 1 || p.Counts.Duplicates != 1 {
		t.Fatalf("twice in a file: %+v %+v", p.Counts, p.Rows)
	}
}

// The same local community added on two laptops is two records of one
// municipality: the sheet cannot tell them apart, so the reason says to
// join the duplicates rather than to add the municipality.
func TestTwinLocalitiesSayJoinThem(t *testing.T) {
	st := memStore(t)
	addLocality(t, st, "Pećigrad", "Cazin")
	addLocality(t, st, "Pecigrad", "Cazin")
	addLocality(t, st, "Brekovica", "Bihać")
	addLocality(t, st, "Brekovica", "Cazin")
	p := plan(t, st, readText(t, "Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\n"+
		"Amra;Kovač;01.01.1980;DE;Pećigrad\n"+
		"Ena;Kovač;01.01.1981;DE;Pećigrad (Cazin)\n"+
		"Iva;Kovač;01.01.1982;DE;Brekovica\n"), data.KindPerson, Options{Lang: bs, Municipality: "Cazin"})
	for i, want := range []string{"spojite ih pod Paketi", "spojite ih pod Paketi", "dodajte općinu u zagradi"} {
		if r := p.Rows[i]; r.Action != Reject || !strings.Contains(strings.Join(r.Reasons, " "), want) {
			t.Errorf("row %d: %s %q; want %q", r.Row, r.Action, r.Reasons, want)
		}
	}
}
