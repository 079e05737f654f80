package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The office compacts the folder from the shell; a laptop that joins
// afterwards catches up from what is left.
func TestSyncCompactFromTheShell(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "Sync")
	if err := os.Mkdir(folder, 0o777); err != nil {
		t.Fatal(err)
	}
	office, amra, late := filepath.Join(dir, "office"), filepath.Join(dir, "amra"), filepath.Join(dir, "late")
	mustCLI(t, nil, "--db", office, "demo", "--persons", "30", "--seed", "3")
	mustCLI(t, nil, "--db", amra, "demo", "--persons", "5", "--seed", "9")
	for _, db := range []string{office, amra, office} {
		mustCLI(t, nil, "--db", db, "sync", "--folder", folder)
	}
	mustCLI(t, nil, "--db", amra, "demo", "--persons", "3", "--seed", "11")
	mustCLI(t, nil, "--db", amra, "sync", "--folder", folder)

	out := mustCLI(t, nil, "--db", office, "--lang", "bs", "sync", "--folder", folder, "--compact")
	if !strings.Contains(out, "Folder za sinhronizaciju je sažet") {
		t.Fatal(out)
	}
	entries, _ := os.ReadDir(folder)
	total := 0
	for _, e := range entries {
		files, _ := os.ReadDir(filepath.Join(folder, e.Name()))
		total += len(files)
	}
	if len(entries) != 2 || total != 2 { // the office's file of everything, Amra's newest
		t.Fatalf("%d laptops' folders, %d files left", len(entries), total)
	}
	mustCLI(t, nil, "--db", late, "sync", "--folder", folder)
	a := mustCLI(t, nil, "--db", office, "stats", "--json")
	b := mustCLI(t, nil, "--db", late, "stats", "--json")
	if a != b {
		t.Fatalf("the late laptop differs:\noffice %s\nlate   %s", a, b)
	}
	if r := cli(t, nil, "--db", office, "sync", "--folder", folder, "--compact", "--watch"); r.code != 2 {
		t.Fatalf("--compact --watch: %d %s", r.code, r.stderr)
	}
}
