package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"registar/data/fold"
	"registar/data/i18n"
)

// choicesOf reads the choice names of one list from an XLSForm.
func choicesOf(t *testing.T, path, list string) []string {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("choices")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows[1:] {
		if len(r) > 1 && r[0] == list {
			names = append(names, r[1])
		}
	}
	return names
}

func TestODKFormFromTheShell(t *testing.T) {
	db := demoStore(t)
	out := t.TempDir()
	stdout := mustCLI(t, nil, "--db", db, "odk", "form", "--kind", "persons", "--out", out, "--lang", "bs")
	xlsform, xform := filepath.Join(out, "registar-persons.xlsx"), filepath.Join(out, "registar-persons.xml")
	if !strings.Contains(stdout, xlsform) || !strings.Contains(stdout, xform) || !strings.HasPrefix(stdout, "Upisano:") {
		t.Errorf("stdout %q should name both files, in Bosnian", stdout)
	}
	xml1, err := os.ReadFile(xform)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(xml1, []byte(`<data id="registar-persons" version="`)) ||
		!bytes.Contains(xml1, []byte(`<translation lang="Bosanski (bs)" default="true()">`)) {
		t.Error("the XForm lacks its id or its Bosnian default")
	}

	// Every local community of the registry is offered, by a name that
	// folds like its own.
	var locs []struct {
		Name, Municipality string
	}
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "search", "kind:locality", "--limit", "0", "--json")), &locs); err != nil {
		t.Fatal(err)
	}
	choices := map[string]bool{}
	for _, c := range choicesOf(t, xlsform, "locality") {
		choices[fold.Key(c)] = true
	}
	if len(locs) == 0 || len(choices) != len(locs) {
		t.Fatalf("%d local communities offered, the registry has %d", len(choices), len(locs))
	}
	for _, l := range locs {
		if !choices[fold.Key(l.Name)] && !choices[fold.Key(l.Name+" "+l.Municipality)] {
			t.Errorf("local community %s (%s) is not offered", l.Name, l.Municipality)
		}
	}

	// The same registry gives the same form, version included.
	mustCLI(t, nil, "--db", db, "odk", "form", "--kind", "persons", "--out", out, "--lang", "bs")
	if xml2, _ := os.ReadFile(xform); !bytes.Equal(xml1, xml2) {
		t.Error("the same registry gave another XForm")
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("%d files in the folder, want the two forms", len(entries))
	}

	// The other kinds; and without a registry the local community is text.
	for _, k := range []string{"businesses", "organisations"} {
		mustCLI(t, nil, "--db", db, "odk", "form", "--kind", k, "--out", out)
		if _, err := os.Stat(filepath.Join(out, "registar-"+k+".xml")); err != nil {
			t.Error(err)
		}
	}
	none := t.TempDir()
	mustCLI(t, nil, "--db", filepath.Join(t.TempDir(), "nothing"), "odk", "form", "--kind", "person", "--out", none)
	if got := choicesOf(t, filepath.Join(none, "registar-persons.xlsx"), "locality"); len(got) != 0 {
		t.Errorf("a form without a registry offers %d local communities", len(got))
	}
}

func TestODKFormBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	db := filepath.Join(t.TempDir(), "none")
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"odk", "form", "--kind", "localities", "--out", t.TempDir(), "--lang", "sq"}, 1,
			i18n.T(i18n.SQ, "odk.error.kind", "param", "localities")},
		{[]string{"odk", "form", "--kind", "cats", "--out", t.TempDir()}, 1, "“cats”"},
		{[]string{"odk", "form", "--kind", "persons", "--out", file}, 1, "“" + file + "”"},
		{[]string{"odk", "form", "--kind", "persons", "--out", filepath.Join(file, "forms"), "--lang", "hr"}, 1, "„" + filepath.Join(file, "forms") + "”"},
		{[]string{"odk", "form", "--kind", "persons"}, 2, "give --out"},
		{[]string{"odk", "form", "--out", t.TempDir()}, 2, "give --kind"},
		{[]string{"odk", "form", "--kind", "persons", "--out", t.TempDir(), "--lang", "xx"}, 2, "unknown language"},
		{[]string{"odk"}, 2, "odk form"},
		{[]string{"odk", "template"}, 2, "odk form"},
	}
	for _, c := range cases {
		r := cli(t, nil, append([]string{"--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: a user error must be one line: %q", c.args, r.stderr)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("a failed run left %d files beside %s", len(entries)-1, file)
	}
}
