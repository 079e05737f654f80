package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registar/data"
	"registar/data/store"
)

// eraseSecrets match the rare person's family name raw and folded
// ("Zxqwertović", "zxqwertovic") and their city, however cased.
var eraseSecrets = []string{"zxqwert", "kwertzing"}

// secretsInFolder lists the files of dir whose bytes hold a secret.
func secretsInFolder(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		low := bytes.ToLower(b)
		for _, s := range eraseSecrets {
			if bytes.Contains(low, []byte(s)) {
				found = append(found, filepath.Base(path)+": "+s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestEraseCommandLeavesNothingInTheFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Hodžić", "Berisha", "Petrović"} {
		if err := st.Save(&data.Person{GivenName: "Emir", FamilyName: name, Gender: "m", BirthDate: data.NewDate(1980, 5, 17), Country: "AT", City: "Wien"}); err != nil {
			t.Fatal(err)
		}
	}
	p := &data.Person{GivenName: "Ana", FamilyName: "Zxqwertović", Gender: "f", BirthDate: data.NewDate(1984, 2, 9), Country: "DE", City: "Kwertzingen",
		Email: "ana.zxqwertovic@example.com"}
	if err := st.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// The check sees the person while they are in the registry.
	if len(secretsInFolder(t, dir)) == 0 {
		t.Fatal("the folder shows no trace of the person before the erase: the check sees nothing")
	}

	// Without --yes: misuse, and the message says the erase is permanent.
	r := cli(t, nil, "--db", dir, "erase", p.ID)
	if r.code != 2 || !strings.Contains(r.stderr, "permanent") || !strings.Contains(r.stderr, "--yes") ||
		!strings.Contains(r.stderr, "usage: registar-cli [--db DIR] erase ID --yes") {
		t.Fatalf("erase without --yes: exit %d\n%s", r.code, r.stderr)
	}
	if r := cli(t, nil, "--db", dir, "erase", "--yes"); r.code != 2 {
		t.Fatalf("erase without an ID: exit %d\n%s", r.code, r.stderr)
	}
	r = cli(t, nil, "--db", dir, "erase", "0190ffff-0000-7000-8000-000000000000", "--yes")
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "No record has the ID") {
		t.Fatalf("erase of an unknown ID: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(mustCLI(t, nil, "--db", dir, "search", "zxqwertovic"), "Zxqwertović") {
		t.Fatal("a refused erase erased the person")
	}

	out := mustCLI(t, nil, "--db", dir, "erase", p.ID, "--yes")
	if !strings.Contains(out, "Erased for good") || !strings.Contains(out, "Ana Zxqwertović") || !strings.Contains(out, p.ID) {
		t.Fatalf("erase printed:\n%s", out)
	}
	if found := secretsInFolder(t, dir); len(found) > 0 {
		t.Fatalf("after `erase --yes` the folder still holds the person:\n%s", strings.Join(found, "\n"))
	}
	if out := mustCLI(t, nil, "--db", dir, "search", "wien"); !strings.Contains(out, "Berisha") {
		t.Fatalf("the other persons are gone:\n%s", out)
	}
	if out := mustCLI(t, nil, "--db", dir, "search", "zxqwertovic"); strings.Contains(out, "Zxqwertović") {
		t.Fatalf("the erased person is found:\n%s", out)
	}
	r = cli(t, nil, "--db", dir, "--lang", "bs", "erase", p.ID, "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "već trajno izbrisan") {
		t.Fatalf("a second erase: exit %d\n%s", r.code, r.stderr)
	}
}
