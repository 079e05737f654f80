package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data/store"
)

// `backup` to a full disk names the disk it was writing to, not the
// registry's folder.
func TestBackupToAFullDiskNamesTheTargetsDisk(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "20", "--seed", "3")
	r := cli(t, nil, "--db", db, "backup", "/dev/full")
	if r.code != 1 || !strings.Contains(r.stderr, "no room left in /dev") || strings.Contains(r.stderr, db) {
		t.Fatalf("backup to a full disk: %d %q", r.code, r.stderr)
	}
	r = cli(t, nil, "--db", db, "--lang", "bs", "backup", "/dev/full")
	if r.code != 1 || !strings.Contains(r.stderr, "Disk je pun: u /dev nema više mjesta") {
		t.Fatalf("in Bosnian: %d %q", r.code, r.stderr)
	}
}

// `restore` while another program reads the registry (a `search` in
// another window, the app) is refused and leaves the registry as it was.
func TestRestoreOntoARegistryInUseIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "20", "--seed", "3")
	file := filepath.Join(t.TempDir(), "office.backup")
	mustCLI(t, nil, "--db", db, "backup", file)
	before := mustCLI(t, nil, "--db", db, "stats", "--json")

	reader, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	r := cli(t, nil, "--db", db, "restore", file)
	reader.Close()
	if r.code != 1 || !strings.Contains(r.stderr, "already open") {
		t.Fatalf("restore onto a registry in use: %d %q", r.code, r.stderr)
	}
	if after := mustCLI(t, nil, "--db", db, "stats", "--json"); after != before {
		t.Fatalf("the registry changed:\n%s\n%s", before, after)
	}
	if left, _ := filepath.Glob(db + ".*"); len(left) > 0 {
		t.Fatalf("left beside the registry: %v", left)
	}
	// Once the reader is gone the restore goes through.
	if out := mustCLI(t, nil, "--db", db, "restore", file); !strings.Contains(out, "kept in") {
		t.Fatal(out)
	}
}
