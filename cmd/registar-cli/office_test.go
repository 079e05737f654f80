package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The office's municipality, set once, is where an import's new local
// communities go; the region reads the phones; the rest of the details the
// app keeps is left alone.
func TestOfficeSetsWhatImportsUse(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	mustCLI(t, nil, "--db", db, "office", "--municipality", "Gjilan", "--region", "xk", "--name", "Zyra për diasporën")
	if out := mustCLI(t, nil, "--db", db, "office", "--json"); out != `{"municipality":"Gjilan","name":"Zyra për diasporën","region":"XK"}`+"\n" {
		t.Fatalf("office: %q", out)
	}
	sheet := filepath.Join(dir, "terren.csv")
	os.WriteFile(sheet, []byte("Emri;Mbiemri;Data e lindjes;Shteti;Fshati;Telefoni\n"+
		"Arbër;Krasniqi;30.06.1990;Zvicra;Përlepnica;044 123 456\n"), 0o600)
	out := mustCLI(t, nil, "--db", db, "--lang", "sq", "import", sheet)
	if !strings.Contains(out, "Bashkësi të reja lokale:") || !strings.Contains(out, "1 — Përlepnica") {
		t.Fatalf("import:\n%s", out)
	}
	// 044 123 456 is no Swiss number: read in the office's country, Kosovo.
	if out := mustCLI(t, nil, "--db", db, "search", "krasniqi", "--json"); !strings.Contains(out, "Krasniqi") {
		t.Fatalf("search: %s", out)
	}
	csvOut := filepath.Join(dir, "persons.csv")
	mustCLI(t, nil, "--db", db, "--lang", "en", "export", "--kind", "person", csvOut)
	if b, _ := os.ReadFile(csvOut); !strings.Contains(string(b), "+38344123456") || !strings.Contains(string(b), "Përlepnica") {
		t.Fatalf("export: %s", b)
	}
	if r := cli(t, nil, "--db", db, "office", "--region", "Atlantis"); r.code != 2 {
		t.Fatalf("bad region: exit %d %s", r.code, r.stderr)
	}
}
