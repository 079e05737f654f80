package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes a sheet typed by hand as a .csv.
func writeSheet(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// activityIDs exports the activities as an English .csv and returns title → ID.
func activityIDs(t *testing.T, db, dir string) map[string]string {
	t.Helper()
	out := filepath.Join(dir, "activities.csv")
	mustCLI(t, nil, "--db", db, "export", "--kind", "activities", "--lang", "en", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range recs[1:] {
		ids[r[1]] = r[0]
	}
	return ids
}

func TestCLIActivitySheets(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "reg")
	mustCLI(t, nil, "--db", db, "--lang", "bs", "import", "--kind", "person", writeSheet(t, dir, "persons.csv",
		"Ime;Prezime;Datum rođenja;Država;Spol\nĐorđe;Petrović;02.01.1975.;Austrija;M\nAmir;Hodžić;12.03.1980.;Njemačka;M\n"))
	out := mustCLI(t, nil, "--db", db, "--lang", "bs", "import", "--kind", "activities", writeSheet(t, dir, "acts.csv",
		"Naziv;Vrsta aktivnosti;Datum početka;Vrijeme početka;Grad;Naziv nacrta\n"+
			"Sjednica savjeta;sjednica;04.04.2026.;18:30;Cazin;\n"+
			"Konsultacije o strategiji;konsultacije;01.03.2026.;;;Nacrt strategije za dijasporu\n"))
	if !strings.Contains(out, "a/") {
		t.Fatalf("import of activities: %s", out)
	}
	ids := activityIDs(t, db, dir)
	session, consultation := ids["Sjednica savjeta"], ids["Konsultacije o strategiji"]
	if session == "" || consultation == "" {
		t.Fatalf("activities exported: %v", ids)
	}

	// A sign-in sheet typed up in Serbian Cyrillic, names in one column.
	signIn := writeSheet(t, dir, "potpisi.csv", "Р. бр.;Име и презиме;Потпис\n1;Ђорђе Петровић;\n2;Амир Хоџић;\n3;Амир Хоџић;\n")
	out = mustCLI(t, nil, "--db", db, "--lang", "sr", "import", signIn, "--kind", "participants", "--activity", session)
	for _, want := range []string{"Нема колоне присуства", "једно учешће", "a/"} {
		if !strings.Contains(out, want) {
			t.Errorf("sign-in import says no %q:\n%s", want, out)
		}
	}
	parts := filepath.Join(dir, "participants.csv")
	mustCLI(t, nil, "--db", db, "--lang", "bs", "export", "--kind", "participants", "--activity", session, parts)
	b, _ := os.ReadFile(parts)
	if got := strings.Count(string(b), "Prisutan"); got != 2 || !strings.Contains(string(b), "Petrović") {
		t.Errorf("participants export: %d attended\n%s", got, b)
	}

	// Comments of the consultation, one from an organisation not yet in the registry.
	out = mustCLI(t, nil, "--db", db, "--lang", "bs", "import", "--kind", "comments", "--activity", consultation,
		writeSheet(t, dir, "komentari.csv", "Od;Datum;Član;Komentar;Odgovor\nUdruženje Most;05.03.2026.;Član 5.;Rok je kratak.;djelimično\n"))
	if !strings.Contains(out, "Nove organizacije: 1 — Udruženje Most") {
		t.Errorf("comments import:\n%s", out)
	}

	// Bad input: a message naming what is wrong, nothing written.
	if r := cli(t, nil, "--db", db, "import", signIn, "--kind", "participants"); r.code != 2 || !strings.Contains(r.stderr, "--activity") {
		t.Errorf("no --activity: exit %d %s", r.code, r.stderr)
	}
	if r := cli(t, nil, "--db", db, "--lang", "bs", "import", signIn, "--kind", "participants", "--activity", "0190aaaa-0000-7000-8000-000000000000"); r.code != 1 ||
		!strings.Contains(r.stderr, "0190aaaa-0000-7000-8000-000000000000") {
		t.Errorf("unknown activity: exit %d %s", r.code, r.stderr)
	}
	noName := writeSheet(t, dir, "bez-imena.csv", "Datum rođenja;Potpis\n02.01.1975.;x\n")
	if r := cli(t, nil, "--db", db, "--lang", "bs", "import", noName, "--kind", "participants", "--activity", session); r.code != 1 ||
		!strings.Contains(r.stderr, "Ime i prezime") {
		t.Errorf("no name column: exit %d %s", r.code, r.stderr)
	}
	if r := cli(t, nil, "--db", db, "export", "--kind", "persons", "--activity", session, filepath.Join(dir, "x.csv")); r.code != 2 {
		t.Errorf("--activity with persons: exit %d %s", r.code, r.stderr)
	}
}
