package exchange

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/i18n"
	"registar/data/search"
	"registar/data/store"
)

// Each reason a row can be rejected for, in the user's language.
func TestRejectionReasons(t *testing.T) {
	st := memStore(t)
	addLocality(t, st, "Ćoralići", "Cazin")
	addLocality(t, st, "Brekovica", "Bihać")
	addLocality(t, st, "Brekovica", "Cazin")
	a := addPerson(t, st, "Amir", "Hodžić", data.NewDate(1985, 3, 12), "")
	b := addPerson(t, st, "Emina", "Begić", data.NewDate(1990, 1, 1), "emina@example.com")
	_ = a
	_ = b
	tomorrow := time.Now().AddDate(0, 0, 1).Format("02.01.2006")
	minor := time.Now().AddDate(-10, 0, 0).Format("02.01.2006")
	head := "Ime;Prezime;Datum rođenja;Država;Spol;E-mail;Telefon;Godina iseljenja;Saglasnost za objavu;Mjesna zajednica;Broj dana godišnje u domovini;Interesi\n"
	ok := "Amra;Kovač;01.01.1980;DE;Ž;;;;;;;"
	cases := []struct {
		name, row, want string
	}{
		{"date", "Amra;Kovač;31.02.1980;DE;;;;;;;;", "„31.02.1980” nije datum"},
		{"number", ok[:len(ok)-4] + "mnogo;;", "„mnogo” nije cijeli broj"},
		{"value", "Amra;Kovač;01.01.1980;DE;nepoznato;;;;;;;", "„nepoznato” nije jedno od: Ženski, Muški"},
		{"interest", "Amra;Kovač;01.01.1980;DE;;;;;;;;ribolov", "„ribolov” nije jedno od"},
		{"yesno", "Amra;Kovač;01.01.1980;DE;;;;;možda;;;", "„možda” nije ni da ni ne"},
		{"country", "Amra;Kovač;01.01.1980;Atlantida;;;;;;;;", "„Atlantida” nije država"},
		{"country misspelt", "Amra;Kovač;01.01.1980;Austija;;;;;;;;", "„Austija” nije država koju Registar poznaje. Da li ste mislili: Austrija"},
		{"locality", "Amra;Kovač;01.01.1980;DE;;;;;;Nepostojeće;;", "nema mjesne zajednice „Nepostojeće”"},
		{"locality ambiguous", "Amra;Kovač;01.01.1980;DE;;;;;;Brekovica;;", "više mjesnih zajednica"},
		{"required", "Amra;;01.01.1980;DE;;;;;;;;", "„Prezime” je obavezno"},
		{"birth date required", "Amra;Kovač;;DE;;;;;;;;", "samo punoljetne osobe"},
		{"minor", "Amra;Kovač;" + minor + ";DE;;;;;;;;", "mlađa od 18"},
		{"future", "Amra;Kovač;" + tomorrow + ";DE;;;;;;;;", "ne može biti u budućnosti"},
		{"email", "Ena;Kovač;01.01.1980;DE;;amra@;;;;;;", "ispravna e-mail adresa"},
		{"phone", "Iva;Kovač;01.01.1980;DE;;;12;;;;;", "„Telefon”: 12 nije ispravan broj ni u državi Njemačka ni u državi Bosna i Hercegovina"},
		{"year", "Una;Kovač;01.01.1980;DE;;;;1850;;;;", "godina od 1900."},
		{"max", "Ana;Kovač;01.01.1980;DE;;;;;;;400;", "ne smije biti veće od 366"},
		{"two records", "Amir;Hodžić;12.03.1985;DE;;emina@example.com;;;;;;", "dvama različitim zapisima"},
	}
	var text strings.Builder
	text.WriteString(head)
	text.WriteString(ok + "\n")
	for _, c := range cases {
		text.WriteString(c.row + "\n")
	}
	p := plan(t, st, readText(t, text.String()), data.KindPerson, Options{Lang: bs, NewLocalities: RejectLocalities})
	if p.Rows[0].Action != Add {
		t.Fatalf("the good row: %v", p.Rows[0].Reasons)
	}
	for i, c := range cases {
		r := p.Rows[i+1]
		if r.Action != Reject || !strings.Contains(strings.Join(r.Reasons, " | "), c.want) {
			t.Errorf("%s: %s %q; want a reason with %q", c.name, r.Action, r.Reasons, c.want)
		}
	}
	if p.Counts.Rejected != len(cases) || p.Counts.Added != 1 {
		t.Fatalf("counts %+v", p.Counts)
	}
	// A cell that cannot be read gives one reason, not also "required".
	for _, r := range p.Rows {
		if strings.Contains(strings.Join(r.Reasons, " "), "„Država” je obavezno") {
			t.Errorf("double reason: %v", r.Reasons)
		}
	}
	// The locality named with its municipality is found.
	q := plan(t, st, readText(t, "Ime;Prezime;Datum rođenja;Država;Mjesna zajednica\nA;B;01.01.1980;DE;Brekovica (Cazin)\nC;D;01.01.1980;DE;coralici\n"), "", Options{})
	if q.Counts.Added != 2 {
		t.Fatalf("locality by name: %+v", q.Rows)
	}
}

func TestReasonsInEveryLanguage(t *testing.T) {
	for _, l := range append([]i18n.Lang{i18n.EN}, i18n.All...) {
		p := plan(t, nil, readText(t, "Ime;Prezime;Datum rođenja;Država\nAmra;Kovač;31.02.1980;Atlantida\n"), "", Options{Lang: l})
		r := only(t, p)
		if len(r.Reasons) != 2 || !strings.Contains(r.Reasons[0], "31.02.1980") || strings.Contains(r.Reasons[0], "exchange.") {
			t.Errorf("%s: %q", l, r.Reasons)
		}
	}
	p := plan(t, nil, readText(t, "Ime;Prezime;Datum rođenja;Država\nAmra;Kovač;31.02.1980;DE\n"), "", Options{Lang: i18n.SR})
	if !strings.Contains(p.Rows[0].Reasons[0], "није датум") {
		t.Errorf("Serbian Cyrillic: %q", p.Rows[0].Reasons)
	}
}

func TestDuplicatesWithinFile(t *testing.T) {
	sh := readText(t, "Ime;Prezime;Datum rođenja;Država;E-mail\n"+
		"Đorđe;Petrović;12.03.1985.;DE;\n"+
		"Ђорђе;Петровић;12.03.1985;DE;\n"+ // same, Cyrillic
		"Djordje;Petrovic;1985-03-12;AT;\n"+ // same, ASCII
		"Amir;Hodžić;01.01.1980;DE;amir@example.com\n"+
		"Amir;Hodzic;02.02.1982;CH;AMIR@example.com\n"+ // same e-mail
		"Amir;Hodžić;03.03.1983;DE;\n") // same name, other birth date: another person
	p := plan(t, nil, sh, "", Options{Lang: bs})
	want := []Action{Add, Duplicate, Duplicate, Add, Duplicate, Add}
	for i, a := range want {
		if p.Rows[i].Action != a {
			t.Errorf("row %d: %s %v, want %s", p.Rows[i].Row, p.Rows[i].Action, p.Rows[i].Reasons, a)
		}
	}
	if p.Rows[1].SameAsRow != 2 || p.Rows[4].SameAsRow != 5 || !strings.Contains(p.Rows[1].Reasons[0], "red 2") {
		t.Fatalf("same as: %+v", p.Rows)
	}
	if p.Counts != (Counts{Rows: 6, Added: 3, Duplicates: 3}) {
		t.Fatalf("counts %+v", p.Counts)
	}
}

func TestDuplicatesAgainstStore(t *testing.T) {
	st := memStore(t)
	hod := addPerson(t, st, "Amir", "Hodžić", data.NewDate(1985, 3, 12), "amir@example.com")
	sheet := "Ime;Prezime;Datum rođenja;Država;Telefon;E-mail\n" +
		"Амир;Хоџић;12.03.1985.;DE;061 242 771;\n" + // same person, Cyrillic, new phone
		"Emina;Begić;01.01.1990;AT;;amir@EXAMPLE.com\n" + // same e-mail
		"Jasmin;Kovač;01.01.1970;CH;;\n"

	// Skip (the default): nothing of the registry changes.
	p := plan(t, st, readText(t, sheet), "", Options{Lang: bs})
	if p.Counts != (Counts{Rows: 3, Added: 1, Duplicates: 2}) {
		t.Fatalf("skip: %+v %+v", p.Counts, p.Rows)
	}
	if p.Rows[0].MatchID != hod.ID || !strings.Contains(p.Rows[0].Reasons[0], "Već je u registru: Amir Hodžić") {
		t.Fatalf("skip reason: %+v", p.Rows[0])
	}

	// Update: the row's non-empty cells go over the record; the names the
	// registry has stay unless the sheet has them.
	p = plan(t, st, readText(t, "E-mail;Telefon\namir@example.com;061 242 771\n"), data.KindPerson, Options{Duplicates: Update})
	if p.Counts != (Counts{Rows: 1, Updated: 1}) {
		t.Fatalf("update: %+v %+v", p.Counts, p.Rows)
	}
	res, err := p.Apply(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(hod.ID)
	if err != nil {
		t.Fatal(err)
	}
	gp := got.(*data.Person)
	if gp.Phone != "+38761242771" || gp.GivenName != "Amir" || gp.BirthDate != hod.BirthDate || gp.Version != 2 || gp.Source != data.SourceImport {
		t.Fatalf("updated record: %+v", gp)
	}
	if res.Counts.Updated != 1 || res.Step == "" {
		t.Fatalf("result %+v", res)
	}
	// The same sheet again changes nothing.
	p = plan(t, st, readText(t, "E-mail;Telefon\namir@example.com;+387 61 242 771\n"), data.KindPerson, Options{Duplicates: Update})
	if p.Counts != (Counts{Rows: 1, Unchanged: 1}) {
		t.Fatalf("unchanged: %+v %+v", p.Counts, p.Rows)
	}
	// An update whose result breaks a rule is rejected with the reason.
	p = plan(t, st, readText(t, "E-mail;Datum rođenja\namir@example.com;"+time.Now().AddDate(1, 0, 0).Format("02.01.2006")+"\n"), data.KindPerson, Options{Duplicates: Update, Lang: bs})
	if p.Counts.Rejected != 1 || !strings.Contains(p.Rows[0].Reasons[0], "budućnosti") {
		t.Fatalf("bad update: %+v", p.Rows)
	}
}

// An import is one step of the store: one audit entry with the file name
// and the counts, and Undo takes all of it back.
func TestApplyIsOneUndoableStep(t *testing.T) {
	st := memStore(t)
	var text strings.Builder
	text.WriteString("Ime;Prezime;Datum rođenja;Država\n")
	for i := 0; i < 1200; i++ {
		text.WriteString("Ime" + strconv.Itoa(i) + ";Prezime;01.01.1980;DE\n")
	}
	text.WriteString("Loš;;01.01.1980;DE\nIme0;Prezime;01.01.1980;DE\n")
	sh := readText(t, text.String())
	sh.File = "teren-cazin.csv"
	p := plan(t, st, sh, "", Options{})
	var calls int
	res, err := p.Apply(context.Background(), st, func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 || res.Counts.Added != 1200 || res.Counts.Rejected != 1 || res.Counts.Duplicates != 1 {
		t.Fatalf("progress calls %d, %+v", calls, res)
	}
	if _, err := p.Apply(context.Background(), st, nil); !errors.Is(err, ErrApplied) {
		t.Fatalf("second apply: %v", err)
	}
	log, err := st.AuditLog(5)
	if err != nil {
		t.Fatal(err)
	}
	var entry *store.AuditEntry
	for i := range log {
		if log[i].Key == res.Step {
			entry = &log[i]
		}
	}
	if entry == nil || entry.Action != "import" || entry.Note != "teren-cazin.csv" || entry.Counts["created"] != 1200 || entry.Counts["rejected"] != 1 || entry.Counts["duplicates"] != 1 {
		t.Fatalf("audit entry: %+v", entry)
	}
	if n := st.Counts()[data.KindPerson]; n != 1200 {
		t.Fatalf("%d persons", n)
	}
	if _, err := st.Undo(context.Background(), res.Step); err != nil {
		t.Fatal(err)
	}
	if n := st.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("%d persons after undo", n)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sh := readText(t, "Ime;Prezime;Datum rođenja;Država\nA;B;01.01.1980;DE\n")
	m, _ := Recognise(sh, "")
	if _, err := Prepare(ctx, nil, sh, m, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("prepare: %v", err)
	}
	st := memStore(t)
	p := plan(t, st, sh, "", Options{})
	if _, err := p.Apply(ctx, st, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("apply: %v", err)
	}
	if n := st.Counts()[data.KindPerson]; n != 0 {
		t.Fatalf("a cancelled import left %d persons", n)
	}
	if _, err := Export(ctx, &bytes.Buffer{}, st, search.Query{Kind: data.KindPerson}, ExportOptions{}); err == nil {
		// an empty list has nothing to cancel; with records it must stop
		t.Log("empty export finished before noticing the cancel")
	}
}

// The rejects file has the original cells, the row number and the reasons,
// dates stay dates, and it imports again once corrected.
func TestRejectsFile(t *testing.T) {
	born := time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)
	b := xlsxOf(t, [][]any{
		{"Ime", "Prezime", "Datum rođenja", "Država", "Hobi"},
		{"Amir", "Hodžić", born, "DE", "šah"},
		{"Emina", "", born, "Atlantida", "ples"},
		{"Jasmin", "Kovač", "31.02.1980", "AT", nil},
	})
	sh, err := Read(bytes.NewReader(b), "teren.xlsx", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := plan(t, nil, sh, "", Options{Lang: bs})
	var out bytes.Buffer
	n, err := p.WriteRejects(&out)
	if err != nil || n != 2 {
		t.Fatalf("%d rejects, %v", n, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], "|") != "Ime|Prezime|Datum rođenja|Država|Hobi|Red u datoteci|Razlozi" {
		t.Fatalf("header %q", rows[0])
	}
	if rows[1][0] != "Emina" || rows[1][4] != "ples" || rows[1][5] != "3" || !strings.Contains(rows[1][6], "„Prezime” je obavezno") || !strings.Contains(rows[1][6], "Atlantida") {
		t.Fatalf("row %q", rows[1])
	}
	if rows[2][2] != "31.02.1980" || rows[2][5] != "4" {
		t.Fatalf("row %q", rows[2])
	}
	// The date cell is a real date again: a number with a date format.
	if typ, _ := f.GetCellType(sheet, "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Fatalf("date written back as text")
	}
	if raw, _ := f.GetCellValue(sheet, "C2", excelize.Options{RawCellValue: true}); raw != "31118" {
		t.Fatalf("date serial %q", raw)
	}
	// Corrected, it imports; the two extra columns are read past.
	f.SetCellValue(sheet, "B2", "Begić")
	f.SetCellValue(sheet, "D2", "Austrija")
	f.SetCellValue(sheet, "C3", "28.02.1980")
	var fixed bytes.Buffer
	f.WriteTo(&fixed)
	sh2, err := Read(bytes.NewReader(fixed.Bytes()), "rejects.xlsx", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p2 := plan(t, nil, sh2, "", Options{Lang: bs})
	if p2.Counts.Added != 2 || len(p2.Mapping.Unknown()) != 1 {
		t.Fatalf("corrected rejects: %+v unknown %v", p2.Rows, p2.Mapping.Unknown())
	}
}

func TestPanicBecomesError(t *testing.T) {
	f := func() (err error) {
		defer guard(&err)
		var m map[string]int
		//lint:ignore SA5000 the panic is what this test needs
		m["x"]++
		return nil
	}
	err := f()
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("%v", err)
	}
	var pe *PanicError
	if !errors.As(err, &pe) || len(pe.Stack) == 0 {
		t.Fatal("no stack")
	}
}

// A local number valid both where the person lives and in the office's
// country is taken, and the preview says how it was read; a number valid
// in neither is refused naming both.
func TestPhonesReadForTheRowsCountry(t *testing.T) {
	p := plan(t, nil, readText(t, "Ime;Prezime;Datum rođenja;Država;Telefon\n"+
		"Amra;Kovač;01.01.1980;Slovenija;065 123 456\n"+ // a mobile in SI and in BA: SI's
		"Edin;Hasić;01.01.1981;Njemačka;0176 12345678\n"+ // German only
		"Lejla;Begić;01.01.1982;Austrija;061/242-771\n"+ // Bosnian only
		"Ena;Delić;01.01.1983;Slovenija;041 12\n"), data.KindPerson, Options{Lang: bs, Region: "BA"})
	phones := []string{}
	for _, r := range p.recs {
		phones = append(phones, r.(*data.Person).Phone)
	}
	if strings.Join(phones, " ") != "+38665123456 +4917612345678 +38761242771" {
		t.Fatalf("phones %v, rows %+v", phones, p.Rows)
	}
	if n := p.Rows[0].Notes; len(n) != 1 || !strings.Contains(n[0], "Slovenija") || !strings.Contains(n[0], "Bosna i Hercegovina") {
		t.Errorf("note of the number read two ways: %q", n)
	}
	if len(p.Rows[1].Notes)+len(p.Rows[2].Notes) != 0 {
		t.Errorf("notes where there is one reading: %q %q", p.Rows[1].Notes, p.Rows[2].Notes)
	}
	if r := p.Rows[3]; r.Action != Reject || !strings.Contains(r.Reasons[0], "ni u državi Slovenija ni u državi Bosna i Hercegovina") {
		t.Errorf("invalid in both: %s %q", r.Action, r.Reasons)
	}
}
