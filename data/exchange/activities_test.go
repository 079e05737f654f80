package exchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

var sixLangs = []i18n.Lang{i18n.EN, i18n.BS, i18n.HR, i18n.SR, i18n.SRLatn, i18n.SQ}

func addOrg(t testing.TB, st *store.Store, name string) *data.Organisation {
	t.Helper()
	o := &data.Organisation{Name: name, OrgKind: "cso", Country: "BA"}
	if err := st.Save(o); err != nil {
		t.Fatal(err)
	}
	return o
}

func addActivity(t testing.TB, st *store.Store, a *data.Activity) *data.Activity {
	t.Helper()
	if err := st.Save(a); err != nil {
		t.Fatal(err)
	}
	return a
}

// readBytes reads an exported file back as a sheet.
func readBytes(t testing.TB, b []byte, name string) *Sheet {
	t.Helper()
	sh, err := Read(bytes.NewReader(b), name, ReadOptions{})
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return sh
}

func recognise(t testing.TB, sh *Sheet, k data.Kind) Mapping {
	t.Helper()
	m, err := Recognise(sh, k)
	if err != nil {
		t.Fatalf("recognise: %v", err)
	}
	for _, c := range m.Unknown() {
		t.Errorf("column %q not recognised as a field of %s", c.Header, k)
	}
	return m
}

// activityContent is what a round trip must keep of an activity: all but
// Meta, with organisers by name.
func activityContent(t testing.TB, st *store.Store, a *data.Activity) data.Activity {
	t.Helper()
	c := *data.Clone(a).(*data.Activity)
	c.Meta = data.Meta{}
	for i, id := range c.OrganiserIDs {
		r, err := st.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		c.OrganiserIDs[i] = r.Title()
	}
	return c
}

func TestActivitiesRoundTripSixLanguages(t *testing.T) {
	src := memStore(t)
	most := addOrg(t, src, "Udruženje „Most“ Beč")
	loc := addLocality(t, src, "Pećigrad", "Cazin")
	acts := []*data.Activity{
		{Name: "Dani dijaspore 2026", ActivityKind: "cultural", Start: data.Date{Year: 2026, Month: 7, Day: 25},
			StartTime: "18:30", End: data.Date{Year: 2026, Month: 7, Day: 27}, EndTime: "22:00",
			Place:        data.Place{Country: "BA", City: "Cazin", LocalityID: loc, Address: "Trg 1"},
			OrganiserIDs: []string{most.ID}, ByOffice: true, Description: "Tri dana programa.\nKoncert i izložba.",
			Tags: []string{"kultura", "ljeto"}},
		{Name: "Konsultacije o Strategiji za dijasporu", ActivityKind: "consultation", Start: data.Date{Year: 2026, Month: 3, Day: 1},
			Place: data.Place{Online: true, URL: "https://ekonsultacije.gov.ba/1"},
			Consultation: &data.Consultation{DraftTitle: "Nacrt strategije", Reference: "02-14/26", IssuingBody: "Vlada USK",
				Link: "nacrt.pdf", From: data.Date{Year: 2026, Month: 3, Day: 1}, To: data.Date{Year: 2026, Month: 3, Day: 31}}},
	}
	for _, a := range acts {
		addActivity(t, src, a)
	}
	for _, l := range sixLangs {
		for _, format := range []Format{FormatXLSX, FormatCSV} {
			t.Run(string(l)+"/"+string(format), func(t *testing.T) {
				var buf bytes.Buffer
				n, err := ExportActivities(context.Background(), &buf, src, searchAll(), ExportOptions{Lang: l, Format: format})
				if err != nil || n != 2 {
					t.Fatalf("export: %d, %v", n, err)
				}
				dst := memStore(t)
				addOrg(t, dst, "Udruzenje Most Bec") // the same organisation, typed without diacritics
				addLocality(t, dst, "Pećigrad", "Cazin")
				sh := readBytes(t, buf.Bytes(), "activities."+string(format))
				m := recognise(t, sh, data.KindActivity)
				p, err := PrepareActivities(context.Background(), dst, sh, m, Options{Lang: l})
				if err != nil {
					t.Fatal(err)
				}
				if p.Counts.Added != 2 {
					t.Fatalf("added %d, want 2: %+v", p.Counts.Added, p.Rows)
				}
				if _, err := p.Apply(context.Background(), dst, nil); err != nil {
					t.Fatal(err)
				}
				for _, a := range acts {
					r, err := dst.Get(a.ID) // the ID column keeps IDs in an empty registry
					if err != nil {
						t.Fatalf("%s: %v", a.Name, err)
					}
					got, want := activityContent(t, dst, r.(*data.Activity)), activityContent(t, src, a)
					want.OrganiserIDs = nil
					gotOrgs := got.OrganiserIDs
					got.OrganiserIDs = nil
					want.Place.LocalityID, got.Place.LocalityID = "", ""
					if !reflect.DeepEqual(got, want) {
						t.Errorf("round trip changed the activity:\n got %+v\nwant %+v", got, want)
					}
					if len(a.OrganiserIDs) != len(gotOrgs) {
						t.Errorf("organisers: got %v", gotOrgs)
					}
				}
				// Importing it again adds nothing: the rows are duplicates.
				p2, err := PrepareActivities(context.Background(), dst, sh, m, Options{Lang: l})
				if err != nil {
					t.Fatal(err)
				}
				if p2.Counts.Duplicates != 2 || p2.Counts.Added != 0 {
					t.Errorf("second import: %+v", p2.Counts)
				}
			})
		}
	}
}

func TestActivitiesBadRows(t *testing.T) {
	st := memStore(t)
	sh := readText(t, "Naziv;Vrsta aktivnosti;Datum početka;Datum završetka;Vrijeme početka;Organizator\n"+
		"Sastanak;sastanak;12.05.2026.;10.05.2026.;;\n"+
		"Forum;poslovni forum;12.05.2026.;;25:00;\n"+
		"Izložba;izložba;13.05.2026.;;;Nepostojeće udruženje\n"+
		"Sjednica vijeća;sjednica;14.05.2026.;;9h;Ured\n")
	m := recognise(t, sh, data.KindActivity)
	p, err := PrepareActivities(context.Background(), st, sh, m, Options{Lang: i18n.BS})
	if err != nil {
		t.Fatal(err)
	}
	want := []Action{Reject, Reject, Reject, Add}
	for i, r := range p.Rows {
		if r.Action != want[i] {
			t.Errorf("row %d: %v %v, want %v", r.Row, r.Action, r.Reasons, want[i])
		}
	}
	if rs := strings.Join(p.Rows[0].Reasons, " "); !strings.Contains(rs, "Datum završetka") {
		t.Errorf("end before start: %q does not name the field", rs)
	}
	if rs := strings.Join(p.Rows[2].Reasons, " "); !strings.Contains(rs, "Nepostojeće udruženje") {
		t.Errorf("unknown organiser: %q", rs)
	}
	if a := p.recs[0].(*data.Activity); !a.ByOffice || a.StartTime != "09:00" {
		t.Errorf("office as organiser, 9h: %+v", a)
	}
}

// participantsOf is activity's participations as "title status role".
func participantsOf(t testing.TB, st *store.Store, activityID string) []string {
	t.Helper()
	ps, err := st.Participations(activityID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		r, err := st.Get(p.ParticipantID)
		if err != nil {
			t.Fatal(err)
		}
		s := r.Title() + " " + p.Status + " " + p.Role + " " + p.Note
		if p.RepresentedBy != "" {
			rep, _ := st.Get(p.RepresentedBy)
			s += " (" + rep.Title() + ")"
		}
		out = append(out, strings.TrimSpace(s))
	}
	sort.Strings(out)
	return out
}

func TestParticipantsRoundTripSixLanguages(t *testing.T) {
	st := memStore(t)
	amir := addPerson(t, st, "Amir", "Hodžić", data.Date{Year: 1980, Month: 3, Day: 12}, "amir@example.com")
	djordje := addPerson(t, st, "Đorđe", "Petrović", data.Date{Year: 1975, Month: 1, Day: 2}, "")
	ana := addPerson(t, st, "Ana", "Hodžić", data.Date{Year: 1990, Month: 6, Day: 30}, "")
	most := addOrg(t, st, "Udruženje Most")
	a := addActivity(t, st, &data.Activity{Name: "Dan dijaspore", ActivityKind: "meeting", Start: data.Date{Year: 2026, Month: 8, Day: 1}})
	for _, p := range []*data.Participation{
		{ActivityID: a.ID, ParticipantID: amir.ID, Status: "attended", Role: "speaker", Note: "Govorio o ulaganjima"},
		{ActivityID: a.ID, ParticipantID: djordje.ID, Status: "excused"},
		{ActivityID: a.ID, ParticipantKind: data.KindOrganisation, ParticipantID: most.ID, RepresentedBy: ana.ID, Status: "registered", Role: "organiser"},
	} {
		if _, err := st.SetParticipation(p); err != nil {
			t.Fatal(err)
		}
	}
	want := participantsOf(t, st, a.ID)
	for _, l := range sixLangs {
		for _, format := range []Format{FormatXLSX, FormatCSV} {
			t.Run(string(l)+"/"+string(format), func(t *testing.T) {
				var buf bytes.Buffer
				n, err := ExportParticipants(context.Background(), &buf, st, a.ID, ExportOptions{Lang: l, Format: format})
				if err != nil || n != 3 {
					t.Fatalf("export: %d, %v", n, err)
				}
				b := addActivity(t, st, &data.Activity{Name: "Dan dijaspore " + string(l) + string(format), ActivityKind: "meeting",
					Start: data.Date{Year: 2026, Month: 8, Day: 2}})
				sh := readBytes(t, buf.Bytes(), "participants."+string(format))
				m := recognise(t, sh, data.KindParticipation)
				p, err := PrepareParticipants(context.Background(), st, sh, m, b.ID, Options{Lang: l})
				if err != nil {
					t.Fatal(err)
				}
				if p.SignIn || len(p.NewPersons) != 0 || p.Counts.Added != 3 {
					t.Fatalf("plan: sign-in %v, new %d, %+v %+v", p.SignIn, len(p.NewPersons), p.Counts, p.Rows)
				}
				if _, err := p.Apply(context.Background(), st, nil); err != nil {
					t.Fatal(err)
				}
				if got := participantsOf(t, st, b.ID); !reflect.DeepEqual(got, want) {
					t.Errorf("round trip:\n got %q\nwant %q", got, want)
				}
			})
		}
	}
}

func TestSignInSheetCyrillicMatchesLatinRegistry(t *testing.T) {
	st := memStore(t)
	djordje := addPerson(t, st, "Đorđe", "Petrović", data.Date{Year: 1975, Month: 1, Day: 2}, "")
	amir := addPerson(t, st, "Amir", "Hodžić", data.Date{Year: 1980, Month: 3, Day: 12}, "")
	jelena := addPerson(t, st, "Jelena", "Marković", data.Date{Year: 1988, Month: 9, Day: 9}, "jelena@example.com")
	a := addActivity(t, st, &data.Activity{Name: "Sjednica savjeta", ActivityKind: "session", Start: data.Date{Year: 2026, Month: 4, Day: 4}})
	// Jelena was invited before; the sheet shows she came.
	if _, err := st.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: jelena.ID, Status: "invited"}); err != nil {
		t.Fatal(err)
	}
	sh := readText(t, "Редни број;Име и презиме;Датум рођења;Е-пошта;Потпис\n"+
		"1;Ђорђе Петровић;02.01.1975.;;\n"+
		"2;Амир Хоџић;;;\n"+ // no date of birth: the one Amir Hodžić of the registry
		"3;Јелена Марковић;;JELENA@example.com;\n"+
		"4;Ђорђе Петровић;02.01.1975.;;\n") // signed twice
	m := recognise(t, sh, data.KindParticipation)
	p, err := PrepareParticipants(context.Background(), st, sh, m, a.ID, Options{Lang: i18n.SR})
	if err != nil {
		t.Fatal(err)
	}
	if !p.SignIn {
		t.Error("a sheet without a status column is a sign-in sheet")
	}
	if len(p.NewPersons) != 0 {
		t.Errorf("new persons: %+v", p.NewPersons)
	}
	wantMatch := []string{djordje.ID, amir.ID, jelena.ID, djordje.ID}
	wantAction := []Action{Add, Add, Change, Duplicate}
	for i, r := range p.Rows {
		if r.MatchID != wantMatch[i] || r.Action != wantAction[i] {
			t.Errorf("row %d: %v → %s %v, want %v → %s", r.Row, r.Action, r.MatchID, r.Reasons, wantAction[i], wantMatch[i])
		}
	}
	if r := p.Rows[3]; r.SameAsRow != 2 || !strings.Contains(strings.Join(r.Reasons, ""), "једно учешће") {
		t.Errorf("the same person twice: %+v", r)
	}
	if n := strings.Join(p.Rows[1].Notes, ""); !strings.Contains(n, "Amir Hodžić") {
		t.Errorf("a match by name alone is said: %q", n)
	}
	res, err := p.Apply(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := participantsOf(t, st, a.ID)
	want := []string{"Amir Hodžić attended", "Jelena Marković attended", "Đorđe Petrović attended"}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("participants:\n got %q\nwant %q", got, want)
	}
	// One step: undone, Jelena is invited again and the others gone.
	if _, err := st.Undo(context.Background(), res.Step); err != nil {
		t.Fatal(err)
	}
	if got := participantsOf(t, st, a.ID); !reflect.DeepEqual(got, []string{"Jelena Marković invited"}) {
		t.Errorf("after undo: %q", got)
	}
}

func TestParticipantsUnmatchedRowIsNewPerson(t *testing.T) {
	st := memStore(t)
	addPerson(t, st, "Amir", "Hodžić", data.Date{Year: 1980, Month: 3, Day: 12}, "")
	a := addActivity(t, st, &data.Activity{Name: "Ljetna škola", ActivityKind: "summer_school", Start: data.Date{Year: 2026, Month: 7, Day: 1}})
	sh := readText(t, "Ime;Prezime;Datum rođenja;Spol;Država;Telefon;Prisustvo;Uloga\n"+
		"Amir;Hodžić;12.03.1980.;M;Njemačka;;prisutan;\n"+
		"Lejla;Begić;05.05.1999.;Ž;Austrija;+43 660 1234567;prijavljena;volonterka\n"+
		"Lejla;Begic;05.05.1999.;Ž;Austrija;;prisutna;\n"+ // the same new person again, typed without diacritics
		"Mirza;Kovač;;M;;;prisutan;\n") // not in the registry, and not enough to add
	m := recognise(t, sh, data.KindParticipation)
	p, err := PrepareParticipants(context.Background(), st, sh, m, a.ID, Options{Lang: i18n.BS})
	if err != nil {
		t.Fatal(err)
	}
	if p.SignIn {
		t.Error("a sheet with a status column is no sign-in sheet")
	}
	if len(p.NewPersons) != 1 || p.NewPersons[0].Title() != "Lejla Begić" {
		t.Fatalf("new persons: %+v", p.NewPersons)
	}
	want := []Action{Add, Add, Duplicate, Reject}
	for i, r := range p.Rows {
		if r.Action != want[i] {
			t.Errorf("row %d: %v %v, want %v", r.Row, r.Action, r.Reasons, want[i])
		}
	}
	rs := strings.Join(p.Rows[3].Reasons, " ")
	if !strings.Contains(rs, "nije u registru") && !strings.Contains(rs, "nema u registru") || !strings.Contains(rs, "Datum rođenja") {
		t.Errorf("an unmatched row that cannot be added says what is missing: %q", rs)
	}
	if _, err := p.Apply(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	got := participantsOf(t, st, a.ID)
	// The repeated row raised Lejla's status from registered to attended.
	wantP := []string{"Amir Hodžić attended", "Lejla Begić attended volunteer"}
	if !reflect.DeepEqual(got, wantP) {
		t.Errorf("participants:\n got %q\nwant %q", got, wantP)
	}
	r, err := st.Get(p.NewPersons[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if per := r.(*data.Person); per.Country != "AT" || per.Phone != "+436601234567" || per.Source != data.SourceImport {
		t.Errorf("new person: %+v", per)
	}
}

func TestParticipantsBadInputs(t *testing.T) {
	st := memStore(t)
	a := addActivity(t, st, &data.Activity{Name: "Info dan", ActivityKind: "info_session", Start: data.Date{Year: 2026, Month: 2, Day: 2}})
	ctx := context.Background()

	t.Run("no name column", func(t *testing.T) {
		sh := readText(t, "Datum rođenja;E-mail;Potpis\n01.01.1980.;a@b.ba;x\n")
		m, _ := Recognise(sh, data.KindParticipation)
		_, err := PrepareParticipants(ctx, st, sh, m, a.ID, Options{Lang: i18n.BS})
		var se *SheetError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), "Ime i prezime") || !strings.Contains(se.Error(), "Prezime") {
			t.Fatalf("want a message naming the name columns, got %v", err)
		}
	})
	t.Run("activity unknown", func(t *testing.T) {
		sh := readText(t, "Ime i prezime\nAmir Hodžić\n")
		m, _ := Recognise(sh, data.KindParticipation)
		_, err := PrepareParticipants(ctx, st, sh, m, "0190aaaa-0000-7000-8000-000000000000", Options{Lang: i18n.SQ})
		var se *SheetError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), "0190aaaa-0000-7000-8000-000000000000") {
			t.Fatalf("want a message naming the ID, got %v", err)
		}
		if _, err := PrepareParticipants(ctx, st, sh, m, "", Options{}); !errors.Is(err, ErrNoActivity) {
			t.Errorf("no activity: %v", err)
		}
	})
	t.Run("trashed person and trashed participation", func(t *testing.T) {
		gone := addPerson(t, st, "Edin", "Mujić", data.Date{Year: 1970, Month: 1, Day: 1}, "")
		if err := st.Trash(gone.ID); err != nil {
			t.Fatal(err)
		}
		back := addPerson(t, st, "Selma", "Alić", data.Date{Year: 1985, Month: 1, Day: 1}, "")
		q, err := st.SetParticipation(&data.Participation{ActivityID: a.ID, ParticipantID: back.ID, Status: "invited"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Trash(q.ID); err != nil {
			t.Fatal(err)
		}
		sh := readText(t, "Ime i prezime;Datum rođenja\nEdin Mujić;01.01.1970.\nSelma Alić;01.01.1985.\n")
		m, _ := Recognise(sh, data.KindParticipation)
		p, err := PrepareParticipants(ctx, st, sh, m, a.ID, Options{Lang: i18n.BS})
		if err != nil {
			t.Fatal(err)
		}
		if r := p.Rows[0]; r.Action != Reject || !strings.Contains(strings.Join(r.Reasons, ""), "smeću") {
			t.Errorf("trashed person: %+v", r)
		}
		if len(p.NewPersons) != 0 {
			t.Errorf("a trashed person is not added again: %+v", p.NewPersons)
		}
		if r := p.Rows[1]; r.Action != Change {
			t.Errorf("trashed participation: %+v", r)
		}
		if _, err := p.Apply(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
		if got := participantsOf(t, st, a.ID); !reflect.DeepEqual(got, []string{"Selma Alić attended"}) {
			t.Errorf("participants: %q", got)
		}
	})
	t.Run("erased person", func(t *testing.T) {
		gone := addPerson(t, st, "Nermin", "Halilović", data.Date{Year: 1979, Month: 5, Day: 5}, "")
		if err := st.Erase(gone.ID); err != nil {
			t.Fatal(err)
		}
		sh := readText(t, "ID;Ime;Prezime;Datum rođenja;Država\n"+gone.ID+";Nermin;Halilović;05.05.1979.;Njemačka\n")
		m, _ := Recognise(sh, data.KindParticipation)
		p, err := PrepareParticipants(ctx, st, sh, m, a.ID, Options{Lang: i18n.BS})
		if err != nil {
			t.Fatal(err)
		}
		if r := p.Rows[0]; r.Action != Reject || !strings.Contains(strings.Join(r.Reasons, ""), "trajno izbrisana") || len(p.NewPersons) != 0 {
			t.Errorf("erased person: %+v, new %d", r, len(p.NewPersons))
		}
	})
	t.Run("activity trashed", func(t *testing.T) {
		b := addActivity(t, st, &data.Activity{Name: "Stari sastanak", ActivityKind: "meeting", Start: data.Date{Year: 2025, Month: 2, Day: 2}})
		if err := st.Trash(b.ID); err != nil {
			t.Fatal(err)
		}
		sh := readText(t, "Ime i prezime\nAmir Hodžić\n")
		m, _ := Recognise(sh, data.KindParticipation)
		_, err := PrepareParticipants(ctx, st, sh, m, b.ID, Options{Lang: i18n.BS})
		var se *SheetError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), "Stari sastanak") {
			t.Fatalf("trashed activity: %v", err)
		}
	})
}

func TestCommentsImport(t *testing.T) {
	st := memStore(t)
	most := addOrg(t, st, "Udruženje Most")
	a := addActivity(t, st, &data.Activity{Name: "Konsultacije", ActivityKind: "consultation", Start: data.Date{Year: 2026, Month: 3, Day: 1},
		Consultation: &data.Consultation{DraftTitle: "Nacrt zakona o dijaspori"}})
	sheet := "Од;Датум;Члан;Коментар;Одговор;Образложење\n" +
		"Удружење Мост;05.03.2026.;Члан 5.;Рок од 15 дана је кратак.;делимично;Рок продужен на 30 дана.\n" +
		"Нова иницијатива;06.03.2026.;Члан 7.;Додати дијаспору у савет.;;\n" +
		"Нова иницијатива;07.03.2026.;Члан 9.;Објавити извештај.;прихваћен;\n" +
		";07.03.2026.;Члан 9.;;;\n"
	sh := readText(t, sheet)
	m := recognise(t, sh, KindComment)
	p, err := PrepareComments(context.Background(), st, sh, m, a.ID, Options{Lang: i18n.SR, Region: "BA"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Action{Add, Add, Add, Reject}
	for i, r := range p.Rows {
		if r.Action != want[i] {
			t.Errorf("row %d: %v %v, want %v", r.Row, r.Action, r.Reasons, want[i])
		}
	}
	if len(p.NewOrganisations) != 1 || p.NewOrganisations[0].Name != "Нова иницијатива" {
		t.Fatalf("new organisations: %+v", p.NewOrganisations)
	}
	if _, err := p.Apply(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	r, _ := st.Get(a.ID)
	cs := r.(*data.Activity).Consultation.Comments
	if len(cs) != 3 || cs[0].FromID != most.ID || cs[0].Response != "partly" || cs[0].Date != (data.Date{Year: 2026, Month: 3, Day: 5}) ||
		cs[1].FromID != p.NewOrganisations[0].ID || cs[2].Response != "accepted" || cs[0].Reason != "Рок продужен на 30 дана." {
		t.Errorf("comments: %+v", cs)
	}
	if _, err := st.Get(p.NewOrganisations[0].ID); err != nil {
		t.Errorf("new organisation: %v", err)
	}
	// The same sheet again adds nothing.
	p2, err := PrepareComments(context.Background(), st, readText(t, sheet), m, a.ID, Options{Lang: i18n.SR})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Counts.Added != 0 || p2.Counts.Duplicates != 3 || len(p2.NewOrganisations) != 0 {
		t.Errorf("second import: %+v %+v", p2.Counts, p2.Rows)
	}
	// Only into a consultation.
	b := addActivity(t, st, &data.Activity{Name: "Koncert", ActivityKind: "cultural", Start: data.Date{Year: 2026, Month: 3, Day: 1}})
	_, err = PrepareComments(context.Background(), st, sh, m, b.ID, Options{Lang: i18n.BS})
	var se *SheetError
	if !errors.As(err, &se) || !strings.Contains(se.Error(), "Koncert") {
		t.Errorf("comments into a concert: %v", err)
	}
	// A sheet with no text column.
	sh3 := readText(t, "Od;Datum\nUdruženje Most;05.03.2026.\n")
	m3, _ := Recognise(sh3, KindComment)
	if _, err := PrepareComments(context.Background(), st, sh3, m3, a.ID, Options{Lang: i18n.BS}); !errors.As(err, &se) || !strings.Contains(se.Error(), "Komentar") {
		t.Errorf("no text column: %v", err)
	}
}

func TestParseTimeOfDay(t *testing.T) {
	for _, c := range []struct {
		in   string
		xlsx bool
		want string
		ok   bool
	}{
		{"18:30", false, "18:30", true}, {"18.30", false, "18:30", true}, {"9h", false, "09:00", true},
		{"18 h 30", false, "18:30", true}, {"9", false, "09:00", true}, {"0.770833333333333", true, "18:30", true},
		{"25:00", false, "", false}, {"18:75", false, "", false}, {"pola osam", false, "", false},
	} {
		got, ok := parseTimeOfDay(c.in, c.xlsx)
		if got != c.want || ok != c.ok {
			t.Errorf("%q: %q %v, want %q %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func searchAll() search.Query { return search.Query{Kind: data.KindActivity} }

// activityHeaderDoc is the part of docs/import-headers.md about the sheets
// of activities, participants and comments (headerDoc writes it before
// "Columns read past"); TestActivityHeaderDoc keeps it current.
func activityHeaderDoc() string {
	var b strings.Builder
	intro := map[data.Kind]string{
		data.KindActivity:      "`registar-cli import FILE --kind activities`. A row whose ID, or whose title and start date, is an activity of the registry is a duplicate (`--duplicates update` updates it). Organisers are organisations of the registry by name, several separated by `;`; the office's own name in any language (`Ured`, `Канцеларија`, `Zyra`, `The office`) sets *Organised by the office*. Times as `18:30`, `18.30`, `18h` or a spreadsheet time.\n\n",
		data.KindParticipation: "`registar-cli import FILE --kind participants --activity ID`. Each row is matched to a person of the registry, whatever the script (`Ђорђе Петровић` is *Đorđe Petrović*): by the ID, e-mail, phone, or name and date of birth, else by the name alone when one person of the registry has it. A row that matches nobody is added as a new person in the same step (it needs what a person needs: name, date of birth, country). The same person twice is one participation, with the further status. **A sheet without an attendance column is a sign-in sheet: everyone on it attended.** A sheet with no name column is refused. An organisation column names an organisation of the registry as the participant, the person on the row as who represented it.\n\n",
		KindComment:            "`registar-cli import FILE --kind comments --activity ID`, into an activity of the kind consultation. The sender is an organisation (else a person) of the registry by name, whatever the script; one the registry lacks is added as a new civil-society organisation in the office's country, in the same step. A comment the consultation has already (same sender, article and text) is a duplicate.\n\n",
	}
	langs := []i18n.Lang{i18n.EN, i18n.BS, i18n.HR, i18n.SR, i18n.SRLatn, i18n.SQ}
	for _, k := range sheetKinds {
		title := i18n.T(i18n.EN, "kind."+string(k)+".plural")
		if k == data.KindParticipation {
			title = "Participants of an activity"
		}
		if k == KindComment {
			title = "Comments of a consultation"
		}
		fmt.Fprintf(&b, "## %s\n\n%s", title, intro[k])
		b.WriteString("| field | labels (en · bs · hr · sr · sr-Latn · sq) | other headers |\n|---|---|---|\n")
		for _, f := range sheetFields[k] {
			var labels []string
			seen := map[string]bool{}
			for _, l := range langs {
				if lab := f.Label(l); !seen[lab] {
					seen[lab] = true
					labels = append(labels, lab)
				}
			}
			var others []string
			for _, a := range aliasesFor(k, f.Name) {
				if !seen[a] {
					seen[a] = true
					others = append(others, a)
				}
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Name, strings.Join(labels, " · "), strings.Join(others, " · "))
		}
		if ig := sheetIgnored[k]; len(ig) > 0 {
			fmt.Fprintf(&b, "\nRead past: %s.\n", strings.Join(ig, " · "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestActivityHeaderDoc: docs/import-headers.md has the sections of the
// activity sheets as the tables say them (-update writes them in).
func TestActivityHeaderDoc(t *testing.T) {
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, part := string(b), activityHeaderDoc()
	const marker = "## Columns read past"
	if *update && !strings.Contains(doc, part) {
		start := strings.Index(doc, "## Activities\n")
		end := strings.Index(doc, marker)
		if start < 0 || start > end {
			start = end
		}
		doc = doc[:start] + part + doc[end:]
		if err := os.WriteFile(docPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !strings.Contains(doc, part+marker) {
		t.Fatalf("%s lacks the activity sheets' headers: go test ./data/exchange -run TestActivityHeaderDoc -update", docPath)
	}
}
