package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"registar/data"
	"registar/data/store"
)

// outreachDB is a small registry: four persons who consented to be
// contacted (one of them in Serbian Cyrillic, one without an e-mail
// address), one who never consented and one who withdrew, a business that
// consented; an activity to which three of them are invited, the one
// without consent among them. It returns the folder and the activity's ID.
func outreachDB(t *testing.T) (db, activityID string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "db")
	st, err := store.Open(db, store.Options{User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	save := func(r data.Record) {
		t.Helper()
		if err := st.Save(r); err != nil {
			t.Fatalf("save %s: %v", r.Title(), err)
		}
	}
	yes := data.Consent{Given: true, Date: data.NewDate(2025, 3, 1), How: "written"}
	withdrawn := yes
	withdrawn.Withdraw(data.NewDate(2026, 1, 10), "verbal")
	persons := []*data.Person{
		{GivenName: "Amra", FamilyName: "Hodžić", Gender: "f", Email: "amra@example.org", Country: "AT", City: "Wien",
			Address: "Favoritenstraße 95", Languages: []string{"bosanski"}, ConsentContact: yes},
		{GivenName: "Милош", FamilyName: "Петровић", Gender: "m", Email: "milos@example.rs", Country: "DE", City: "München",
			Address: "Leopoldstraße 12", Languages: []string{"српски"}, ConsentContact: yes},
		{GivenName: "Vjosa", FamilyName: "Berisha", Gender: "f", Email: "vjosa@example.com", Country: "CH", City: "Zürich",
			Languages: []string{"shqip"}, ConsentContact: yes},
		{GivenName: "Mirza", FamilyName: "Kovačević", Gender: "m", Country: "AT", City: "Graz", Address: "Annenstraße 3",
			ConsentContact: yes},
		{GivenName: "Edin", FamilyName: "Mujić", Gender: "m", Email: "edin@example.org", Country: "AT", City: "Wien",
			Address: "Quellenstraße 1"},
		{GivenName: "Selma", FamilyName: "Begić", Gender: "f", Email: "selma@example.org", Country: "SE", City: "Göteborg",
			Address: "Storgatan 4", ConsentContact: withdrawn},
	}
	for _, p := range persons {
		p.BirthDate = data.NewDate(1985, 3, 12)
		save(p)
	}
	save(&data.Business{Name: "Bosna Invest GmbH", Email: "info@bosnainvest.at", Country: "AT", City: "Wien", ConsentContact: yes})
	act := &data.Activity{Name: "Dani dijaspore", ActivityKind: "cultural", Start: data.NewDate(2026, 7, 24), ByOffice: true,
		Place: data.Place{Country: "BA", City: "Cazin"}}
	save(act)
	if _, err := st.Invite(act.ID, data.KindPerson, []string{persons[0].ID, persons[1].ID, persons[4].ID}, ""); err != nil {
		t.Fatal(err)
	}
	office, _ := json.Marshal(data.Office{Name: "Ured za dijasporu", Municipality: "Cazin", Address: "Trg 1, 77220 Cazin",
		Email: "dijaspora@cazin.ba", Region: "BA"})
	if err := st.SetSetting(data.OfficeSetting, office); err != nil {
		t.Fatal(err)
	}
	return db, act.ID
}

// The names of the outreachDB persons: who may be reached, who never.
var (
	consenting   = []string{"Amra", "Милош", "Vjosa"}
	noConsent    = []string{"Edin", "Mujić", "Selma", "Begić", "edin@", "selma@"}
	noEmailName  = "Mirza"
	countsNoMail = "3 contacts written · 2 without consent to contact · 1 without an e-mail address"
)

func communications(t *testing.T, db string) (int, map[string]int) {
	t.Helper()
	var s struct {
		Communications int            `json:"communications"`
		ByChannel      map[string]int `json:"communications_by_channel"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "stats", "--json")), &s); err != nil {
		t.Fatal(err)
	}
	return s.Communications, s.ByChannel
}

func assertNone(t *testing.T, what, text string, names []string) {
	t.Helper()
	for _, n := range names {
		if strings.Contains(text, n) {
			t.Errorf("%s has %q, who did not consent to be contacted:\n%s", what, n, text)
		}
	}
}

func TestContactsEmails(t *testing.T) {
	db, _ := outreachDB(t)
	out := filepath.Join(t.TempDir(), "bcc.txt")
	r := cli(t, nil, "--db", db, "contacts", "--format", "emails", "--chunk", "2", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.TrimSpace(r.stderr) != countsNoMail {
		t.Errorf("stderr %q, want %q", r.stderr, countsNoMail)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	chunks := strings.Split(strings.TrimSpace(string(b)), "\n\n")
	if len(chunks) != 2 || strings.Count(chunks[0], ", ") != 1 || strings.Contains(chunks[1], ",") {
		t.Fatalf("want a chunk of two and one of one, separated by a blank line:\n%s", b)
	}
	for _, a := range []string{"amra@example.org", "milos@example.rs", "vjosa@example.com"} {
		if strings.Count(string(b), a) != 1 {
			t.Errorf("%s not once in:\n%s", a, b)
		}
	}
	assertNone(t, "the BCC list", string(b), noConsent)

	// Counts in the language asked for.
	r = cli(t, nil, "--db", db, "--lang", "bs", "contacts", "--format", "emails", "--out", out)
	if want := "Zapisano kontakata: 3 · 2 bez saglasnosti za kontakt · 1 bez e-mail adrese"; strings.TrimSpace(r.stderr) != want {
		t.Errorf("bs: %q, want %q", r.stderr, want)
	}

	// Businesses, by kind.
	mustCLI(t, nil, "--db", db, "contacts", "--kind", "business", "--format", "emails", "--out", out)
	if b, _ := os.ReadFile(out); strings.TrimSpace(string(b)) != "info@bosnainvest.at" {
		t.Errorf("businesses: %q", b)
	}
}

func TestContactsVCardCSVXLSX(t *testing.T) {
	db, _ := outreachDB(t)
	dir := t.TempDir()
	for _, f := range []string{"vcf", "csv", "xlsx"} {
		out := filepath.Join(dir, "contacts."+f)
		r := cli(t, nil, "--db", db, "contacts", "--format", f, "--out", out)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", f, r.code, r.stderr)
		}
		if want := "4 contacts written · 2 without consent to contact"; strings.TrimSpace(r.stderr) != want {
			t.Errorf("%s: stderr %q, want %q", f, r.stderr, want)
		}
		var text string
		if f == "xlsx" {
			x, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := x.GetRows(x.GetSheetName(0))
			x.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 5 {
				t.Errorf("xlsx: %d rows, want a header and 4", len(rows))
			}
			for _, row := range rows {
				text += strings.Join(row, "\t") + "\n"
			}
		} else {
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
		}
		for _, n := range append(consenting, noEmailName, "Петровић") {
			if !strings.Contains(text, n) {
				t.Errorf("%s: %q missing:\n%s", f, n, text)
			}
		}
		assertNone(t, f, text, noConsent)
		if f == "vcf" && strings.Count(text, "BEGIN:VCARD") != 4 {
			t.Errorf("vcf: %d cards, want 4", strings.Count(text, "BEGIN:VCARD"))
		}
	}
	// Lists are not recorded as sent.
	if n, _ := communications(t, db); n != 0 {
		t.Errorf("%d communications after writing lists, want 0", n)
	}
}

func TestContactsOfAnActivity(t *testing.T) {
	db, act := outreachDB(t)
	out := filepath.Join(t.TempDir(), "bcc.txt")
	r := cli(t, nil, "--db", db, "contacts", "--activity", act, "--status", "invited", "--format", "emails", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "2 contacts written · 1 without consent to contact"; strings.TrimSpace(r.stderr) != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "amra@example.org") || !strings.Contains(string(b), "milos@example.rs") || strings.Contains(string(b), "vjosa") {
		t.Errorf("invited: %s", b)
	}
	assertNone(t, "the invited", string(b), noConsent)

	r = cli(t, nil, "--db", db, "contacts", "--activity", act, "--status", "gone", "--format", "emails", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, "gone") {
		t.Errorf("an unknown status: exit %d %q", r.code, r.stderr)
	}
}

func TestContactsNobodyWritesNothing(t *testing.T) {
	db, _ := outreachDB(t)
	out := filepath.Join(t.TempDir(), "bcc.txt")
	r := cli(t, nil, "--db", db, "contacts", "--query", "Mujić", "--format", "emails", "--out", out)
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "1 without consent to contact") ||
		!strings.Contains(r.stderr, "No one") {
		t.Errorf("an audience of no one who consented: exit %d, %q", r.code, r.stderr)
	}
	r = cli(t, nil, "--db", db, "contacts", "--query", "Zzyzx", "--format", "csv", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "No record matches") {
		t.Errorf("a search that finds no one: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a file was written for no one: %v", err)
	}
}

func TestContactsSavedAudiences(t *testing.T) {
	db, _ := outreachDB(t)
	out := mustCLI(t, nil, "--db", db, "contacts", "--save-audience", "U Austriji", "--query", "country:AT")
	if !strings.Contains(out, "U Austriji") {
		t.Errorf("save: %q", out)
	}
	out = mustCLI(t, nil, "--db", db, "contacts", "--list-audiences")
	if !strings.Contains(out, "U Austriji") || !strings.Contains(out, "country:AT") {
		t.Errorf("list: %q", out)
	}
	file := filepath.Join(t.TempDir(), "bcc.txt")
	r := cli(t, nil, "--db", db, "contacts", "--audience", "u austriji", "--format", "emails", "--out", file)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(file); strings.TrimSpace(string(b)) != "amra@example.org" {
		t.Errorf("the saved audience's BCC list: %q", b)
	}
	mustCLI(t, nil, "--db", db, "contacts", "--delete-audience", "U Austriji")
	if r := cli(t, nil, "--db", db, "contacts", "--audience", "U Austriji", "--format", "emails", "--out", file); r.code != 1 {
		t.Errorf("a deleted audience: exit %d %q", r.code, r.stderr)
	}
}

// pdfText is the text of a PDF by pdftotext; the test is skipped, saying
// why, where pdftotext is not installed.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (poppler-utils): labels and letters cannot be read back")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestContactsLabels(t *testing.T) {
	db, _ := outreachDB(t)
	out := filepath.Join(t.TempDir(), "labels.pdf")
	r := cli(t, nil, "--db", db, "contacts", "--format", "labels", "--label-format", "2x7", "--skip", "3", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "4 contacts written · 2 without consent to contact"; !strings.HasPrefix(r.stderr, want) || !strings.Contains(r.stderr, "Recorded") {
		t.Errorf("stderr %q, want %q and the record", r.stderr, want)
	}
	text := pdfText(t, out)
	for _, n := range []string{"Amra Hodžić", "Милош Петровић", "Vjosa Berisha", "Mirza Kovačević", "Favoritenstraße 95"} {
		if !strings.Contains(text, n) {
			t.Errorf("labels: %q missing:\n%s", n, text)
		}
	}
	assertNone(t, "the labels", text, noConsent)
	n, by := communications(t, db)
	if n != 1 || by["labels"] != 1 {
		t.Errorf("after a label run: %d communications %v, want 1 labels", n, by)
	}
	if out := mustCLI(t, nil, "--db", db, "stats"); !strings.Contains(out, "Communications") || !strings.Contains(out, "Labels") {
		t.Errorf("stats does not count the label run:\n%s", out)
	}
	r = cli(t, nil, "--db", db, "contacts", "--format", "labels", "--label-format", "4x9", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, "4x9") {
		t.Errorf("an unknown label format: exit %d %q", r.code, r.stderr)
	}
}

func TestContactsLetters(t *testing.T) {
	db, act := outreachDB(t)
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "poziv.txt")
	os.WriteFile(tmpl, []byte("Poziv na Dane dijaspore\n\n{salutation} {given_name},\n\npozivamo Vas na Dane dijaspore u Cazinu.\n"), 0o644)
	out := filepath.Join(dir, "letters.pdf")
	r := cli(t, nil, "--db", db, "contacts", "--activity", act, "--format", "letters", "--template", tmpl,
		"--signature", "Amela Hadžić|Šefica ureda", "--date", "2026-06-01", "--no-record", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "2 contacts written · 1 without consent to contact") || !strings.Contains(r.stderr, "--no-record") {
		t.Errorf("stderr %q", r.stderr)
	}
	text := pdfText(t, out)
	for _, n := range []string{"Poštovana Amra", "Поштовани Милош", "Петровић", "Amela Hadžić", "Šefica ureda", "Dane dijaspore"} {
		if !strings.Contains(text, n) {
			t.Errorf("letters: %q missing:\n%s", n, text)
		}
	}
	assertNone(t, "the letters", text, noConsent)
	if n, _ := communications(t, db); n != 0 {
		t.Errorf("--no-record recorded %d communications", n)
	}

	// Recorded: one letter communication.
	mustCLI(t, nil, "--db", db, "contacts", "--activity", act, "--format", "letters", "--template", tmpl, "--out", out)
	if n, by := communications(t, db); n != 1 || by["letter"] != 1 {
		t.Errorf("after letters: %d communications %v", n, by)
	}

	// An unknown field: one line naming it, nothing written.
	os.WriteFile(tmpl, []byte("{salutation} {nickname},\n"), 0o644)
	bad := filepath.Join(dir, "bad.pdf")
	r = cli(t, nil, "--db", db, "contacts", "--format", "letters", "--template", tmpl, "--out", bad)
	if r.code == 0 || !strings.Contains(r.stderr, "nickname") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("an unknown field: exit %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a PDF was written from a template with an unknown field")
	}
}
