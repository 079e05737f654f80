package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Two registries and one folder, from the shell: each writes its changes,
// merges the other's, and both end with the same persons.
func TestSyncTwoRegistriesThroughAFolder(t *testing.T) {
	dir := t.TempDir()
	office, amra, folder := filepath.Join(dir, "office"), filepath.Join(dir, "amra"), filepath.Join(dir, "Sync")
	if err := os.Mkdir(folder, 0o777); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, nil, "--db", office, "demo", "--persons", "40", "--seed", "3")
	mustCLI(t, nil, "--db", office, "bundle", "laptop", "--name", "Office")
	mustCLI(t, nil, "--db", amra, "bundle", "laptop", "--name", "Amra")

	out := mustCLI(t, nil, "--db", office, "sync", "--folder", folder)
	if !strings.Contains(out, "Written to the sync folder") || !strings.Contains(out, "00000001.registar") {
		t.Fatal(out)
	}
	out = mustCLI(t, nil, "--db", amra, "--lang", "bs", "sync", "--folder", folder)
	if !strings.Contains(out, "Od Office") || !strings.Contains(out, "spojeno datoteka: 1") {
		t.Fatal(out)
	}
	// Amra adds a person; Office gets it.
	mustCLI(t, nil, "--db", amra, "demo", "--persons", "5", "--seed", "9")
	mustCLI(t, nil, "--db", amra, "sync", "--folder", folder)
	out = mustCLI(t, nil, "--db", office, "sync", "--folder", folder)
	if !strings.Contains(out, "From Amra") {
		t.Fatal(out)
	}
	out = mustCLI(t, nil, "--db", office, "sync", "--folder", folder)
	if !strings.Contains(out, "Nothing new on this laptop") || !strings.Contains(out, "Nothing new from the other laptops") {
		t.Fatal(out)
	}
	a := mustCLI(t, nil, "--db", office, "stats", "--json")
	b := mustCLI(t, nil, "--db", amra, "stats", "--json")
	if a != b {
		t.Fatalf("the registries differ:\noffice %s\namra   %s", a, b)
	}

	// A folder that is not there is a clear error, not a new empty folder.
	r := cli(t, nil, "--db", office, "sync", "--folder", filepath.Join(dir, "Z"))
	if r.code != 1 || !strings.Contains(r.stderr, "sync folder is not there") {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	if r := cli(t, nil, "--db", office, "sync"); r.code != 2 {
		t.Fatalf("no --folder: %d", r.code)
	}
}
