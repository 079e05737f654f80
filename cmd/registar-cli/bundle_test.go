package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"registar/data"
	"registar/data/store"
)

// edit changes one record of a registry as the desktop app would.
func edit(t *testing.T, db, id string, fn func(*data.Person)) {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	fn(r.(*data.Person))
	if err := st.Save(r); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + name + `\s+(\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q in:\n%s", name, out)
	}
	return m[1]
}

func TestBundlesFromTheShell(t *testing.T) {
	dir := t.TempDir()
	office, amra, edin := filepath.Join(dir, "office"), filepath.Join(dir, "amra"), filepath.Join(dir, "edin")
	mustCLI(t, nil, "--db", office, "demo", "--persons", "60", "--seed", "11")
	mustCLI(t, nil, "--db", office, "bundle", "laptop", "--name", "Office")
	mustCLI(t, nil, "--db", amra, "bundle", "laptop", "--name", "Amra")
	mustCLI(t, nil, "--db", edin, "bundle", "laptop", "--name", "Edin")

	all := filepath.Join(dir, "office.bundle")
	out := mustCLI(t, nil, "--db", office, "bundle", "export", all)
	if !strings.Contains(out, "the whole registry") {
		t.Fatal(out)
	}
	out = mustCLI(t, nil, "--db", amra, "bundle", "merge", all)
	added := count(t, out, "added")
	if added == "0" || count(t, out, "conflicts") != "0" {
		t.Fatal(out)
	}
	mustCLI(t, nil, "--db", edin, "bundle", "merge", all)

	// The same person changed on both volunteers' laptops.
	st, err := store.Open(office, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var id string
	st.Each(data.KindPerson, func(r data.Record) error {
		if id == "" && !r.Base().Trashed() {
			id = r.Base().ID
		}
		return nil
	})
	st.Close()
	edit(t, amra, id, func(p *data.Person) { p.City = "Wien" })
	edit(t, edin, id, func(p *data.Person) { p.Notes = "Zove se vikendom." })

	fromAmra, fromEdin := filepath.Join(dir, "amra.bundle"), filepath.Join(dir, "edin.bundle")
	// The first bundle for a laptop carries everything; the next only what changed.
	out = mustCLI(t, nil, "--db", amra, "bundle", "export", fromAmra, "--to", "Office")
	if !strings.Contains(out, "the whole registry") {
		t.Fatal(out)
	}
	edit(t, amra, id, func(p *data.Person) { p.Profession = "Zidar" })
	out = mustCLI(t, nil, "--db", amra, "bundle", "export", fromAmra, "--to", "Office")
	if !regexp.MustCompile(`changes since .*, [12] records`).MatchString(out) {
		t.Fatalf("Amra's second bundle should carry one person (and its locality):\n%s", out)
	}
	sealed := []string{"EDIN_PASS=ljeto u Cazinu"}
	out = mustCLI(t, sealed, "--db", edin, "bundle", "export", fromEdin, "--to", "Office", "--passphrase-env", "EDIN_PASS")
	if !strings.Contains(out, "passphrase") {
		t.Fatal(out)
	}

	out = mustCLI(t, nil, "--db", office, "bundle", "merge", fromAmra)
	if count(t, out, "updated") != "1" {
		t.Fatal(out)
	}
	// Edin's bundle: no passphrase, a wrong one, then a dry run and the merge.
	if r := cli(t, nil, "--db", office, "bundle", "merge", fromEdin); r.code != 1 || !strings.Contains(r.stderr, "REGISTAR_BUNDLE_PASSPHRASE") {
		t.Fatalf("no passphrase: %d %q", r.code, r.stderr)
	}
	if r := cli(t, []string{"REGISTAR_BUNDLE_PASSPHRASE=zima"}, "--db", office, "bundle", "merge", fromEdin); r.code != 1 || !strings.Contains(r.stderr, "passphrase is wrong") {
		t.Fatalf("wrong passphrase: %d %q", r.code, r.stderr)
	}
	out = mustCLI(t, sealed, "--db", office, "bundle", "merge", fromEdin, "--dry-run", "--passphrase-env", "EDIN_PASS")
	if count(t, out, "conflicts") != "1" || !strings.Contains(out, "dry run") {
		t.Fatal(out)
	}
	if out := mustCLI(t, nil, "--db", office, "bundle", "conflicts"); !strings.Contains(out, "no conflicts") {
		t.Fatalf("a dry run wrote a conflict:\n%s", out)
	}
	pass := []string{"REGISTAR_BUNDLE_PASSPHRASE=ljeto u Cazinu"}
	out = mustCLI(t, pass, "--db", office, "bundle", "merge", fromEdin)
	if count(t, out, "conflicts") != "1" || !strings.Contains(out, "conflict    "+id) {
		t.Fatal(out)
	}
	out = mustCLI(t, pass, "--db", office, "bundle", "merge", fromEdin)
	if !strings.Contains(out, "nothing to merge") {
		t.Fatalf("the same bundle twice:\n%s", out)
	}

	out = mustCLI(t, nil, "--db", office, "bundle", "conflicts")
	if !strings.Contains(out, id) || !strings.Contains(out, `"Wien"`) || !strings.Contains(out, "Zove se vikendom") {
		t.Fatalf("conflicts:\n%s", out)
	}
	var cs []struct {
		ID     string
		Theirs []struct {
			FromName string `json:"from_name"`
		}
	}
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", office, "bundle", "conflicts", "--json")), &cs); err != nil || len(cs) != 1 || cs[0].Theirs[0].FromName != "Edin" {
		t.Fatalf("conflicts --json: %+v %v", cs, err)
	}
	if r := cli(t, nil, "--db", office, "bundle", "resolve", id, "--take", "mine"); r.code != 2 {
		t.Fatalf("--take mine: %d %q", r.code, r.stderr)
	}
	mustCLI(t, nil, "--db", office, "bundle", "resolve", id, "--take", "theirs")
	if out := mustCLI(t, nil, "--db", office, "bundle", "conflicts"); !strings.Contains(out, "no conflicts") {
		t.Fatal(out)
	}
	// The resolution goes back to the volunteers.
	back := filepath.Join(dir, "back.bundle")
	mustCLI(t, nil, "--db", office, "bundle", "export", back, "--to", "Amra")
	out = mustCLI(t, nil, "--db", amra, "bundle", "merge", back)
	if count(t, out, "updated") == "0" || count(t, out, "conflicts") != "0" {
		t.Fatal(out)
	}
	if out := mustCLI(t, nil, "--db", office, "bundle", "laptop"); !strings.Contains(out, "Amra") || !strings.Contains(out, "Edin") {
		t.Fatalf("peers:\n%s", out)
	}
}

func TestBadBundlesFromTheShell(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "20", "--seed", "2")
	own := filepath.Join(dir, "own.bundle")
	mustCLI(t, nil, "--db", db, "bundle", "export", own)
	raw, _ := os.ReadFile(own)
	truncated, tampered, junk := filepath.Join(dir, "t.bundle"), filepath.Join(dir, "x.bundle"), filepath.Join(dir, "j.bundle")
	os.WriteFile(truncated, raw[:len(raw)/2], 0o600)
	bad := append([]byte(nil), raw...)
	bad[len(bad)-50] ^= 1
	os.WriteFile(tampered, bad, 0o600)
	os.WriteFile(junk, []byte("hello"), 0o600)
	other := filepath.Join(dir, "other")
	before := mustCLI(t, nil, "--db", other, "stats", "--json")

	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--db", db, "bundle", "merge", own}, 1, "exported from this laptop"},
		{[]string{"--db", other, "bundle", "merge", truncated}, 1, "damaged or incomplete"},
		{[]string{"--db", other, "bundle", "merge", tampered}, 1, "damaged or incomplete"},
		{[]string{"--db", other, "bundle", "merge", junk}, 1, "not a Registar bundle"},
		{[]string{"--db", other, "bundle", "merge", "/nonexistent.bundle"}, 1, "no such file"},
		{[]string{"--db", other, "bundle"}, 2, "sub-command"},
		{[]string{"--db", other, "bundle", "frobnicate"}, 2, "unknown sub-command"},
		{[]string{"--db", other, "bundle", "export"}, 2, "one output file"},
		{[]string{"--db", other, "bundle", "export", "x", "--since", "yesterday"}, 2, "--since"},
		{[]string{"--db", other, "bundle", "export", "x", "--to", "Nobody"}, 1, "No laptop of that name"},
		{[]string{"--db", other, "bundle", "resolve", "nope", "--take", "ours"}, 1, "not found"},
	}
	for _, c := range cases {
		r := cli(t, nil, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: a user error must be one line: %q", c.args, r.stderr)
		}
	}
	if after := mustCLI(t, nil, "--db", other, "stats", "--json"); after != before {
		t.Fatalf("refused bundles changed the registry:\n%s\n%s", before, after)
	}
	// In Bosnian too.
	if r := cli(t, nil, "--lang", "bs", "--db", other, "bundle", "merge", tampered); !strings.Contains(r.stderr, "oštećena") {
		t.Fatalf("Bosnian: %q", r.stderr)
	}
}

// A bundle of an encrypted registry leaves the laptop sealed: without a
// bundle passphrase it takes the registry's, and says so; another laptop
// merges it with that passphrase.
func TestEncryptedRegistryBundleIsSealed(t *testing.T) {
	dir := t.TempDir()
	db, other := filepath.Join(dir, "office"), filepath.Join(dir, "field")
	pass := []string{"REGISTAR_PASSPHRASE=ured cazin"}
	mustCLI(t, pass, "--db", db, "demo", "--persons", "20", "--seed", "3")
	out := mustCLI(t, pass, "--db", db, "bundle", "export", filepath.Join(dir, "b.registar"))
	if !strings.Contains(out, "protected with the registry's passphrase") {
		t.Fatalf("export: %s", out)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "b.registar"))
	if r := cli(t, nil, "--db", other, "bundle", "merge", filepath.Join(dir, "b.registar")); r.code != 1 {
		t.Fatalf("merged without the passphrase: %d %s", r.code, r.stderr)
	}
	mustCLI(t, []string{"REGISTAR_BUNDLE_PASSPHRASE=ured cazin"}, "--db", other, "bundle", "merge", filepath.Join(dir, "b.registar"))
	if s := statsOf(t, other); s.Persons != 20 {
		t.Fatalf("merged %+v", s)
	}
	if strings.Contains(string(b), "\"given_name\"") {
		t.Fatal("the bundle holds records in clear text")
	}
}
