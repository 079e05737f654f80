package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"registar/data/fold"
	"registar/data/store"
)

// The end-to-end tests build the real binary once and run it as a user would.
var cliPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "registar-cli-test")
	if err != nil {
		panic(err)
	}
	cliPath = filepath.Join(dir, "registar-cli")
	build := exec.Command("go", "build", "-o", cliPath, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

func cli(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(cliPath, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=C.UTF-8"}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func mustCLI(t *testing.T, env []string, args ...string) string {
	t.Helper()
	r := cli(t, env, args...)
	if r.code != 0 {
		t.Fatalf("registar-cli %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// demoDB is one demo registry shared by the read-only tests.
var demoDB string

func demoStore(t *testing.T) string {
	t.Helper()
	if demoDB == "" {
		demoDB = filepath.Join(t.TempDir(), "db")
		mustCLI(t, nil, "--db", demoDB, "demo", "--persons", "2000", "--seed", "7")
		// t.TempDir is removed with the first test; keep the store for all.
		keep, _ := os.MkdirTemp("", "registar-demo")
		os.Rename(demoDB, filepath.Join(keep, "db"))
		demoDB = filepath.Join(keep, "db")
	}
	return demoDB
}

func TestSearchFindsEverySpelling(t *testing.T) {
	db := demoStore(t)
	for _, q := range []string{"djordje", "dordje", "đorđe", "Ђорђе", "DJORDJE"} {
		var recs []map[string]any
		out := mustCLI(t, nil, "--db", db, "search", q, "--kind", "person", "--limit", "0", "--json")
		if err := json.Unmarshal([]byte(out), &recs); err != nil {
			t.Fatal(err)
		}
		var latin, cyrillic bool
		for _, r := range recs {
			given, _ := r["given_name"].(string)
			latin = latin || given == "Đorđe"
			cyrillic = cyrillic || given == "Ђорђе"
			// Every hit has a word starting with Đorđe in some field (its
			// own name, a parent's name, a family name Đorđević, …).
			b, _ := json.Marshal(r)
			if !hasWordPrefix(string(b), "dorde") {
				t.Errorf("%q found %s %s, which has no Đorđe", q, given, r["family_name"])
			}
		}
		if !latin || !cyrillic {
			t.Fatalf("%q: found Latin Đorđe %v, Cyrillic Ђорђе %v among %d hits", q, latin, cyrillic, len(recs))
		}
	}
	out := mustCLI(t, nil, "--db", db, "search", "Петровић", "--limit", "0")
	if !strings.Contains(out, "Petrović") || !strings.Contains(out, "Петровић") {
		t.Fatalf("Петровић should find both scripts:\n%s", out)
	}
	out = mustCLI(t, nil, "--db", db, "search", "celik", "--limit", "0")
	if !strings.Contains(out, "Çelik") || !strings.Contains(out, "Čelik") {
		t.Fatalf("celik should find Çelik and Čelik:\n%s", out)
	}
	out = mustCLI(t, nil, "--db", db, "search", "gjilan", "--limit", "0")
	if n := foundCount(t, out); n == 0 {
		t.Fatalf("gjilan found nothing:\n%s", out)
	}
}

// foundCount reads the "N found" line that ends a search's output. (A
// substring test for "0 found" would also match "450 found".)
func foundCount(t *testing.T, out string) int {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	var n int
	if _, err := fmt.Sscanf(last, "%d found", &n); err != nil {
		t.Fatalf("no \"N found\" line at the end of:\n%s", out)
	}
	return n
}

func hasWordPrefix(text, prefix string) bool {
	for _, w := range fold.Words(text) {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

func TestSearchJSON(t *testing.T) {
	db := demoStore(t)
	var recs []map[string]any
	out := mustCLI(t, nil, "--db", db, "search", "petrovic", "--json")
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(recs) == 0 {
		t.Fatal("no records")
	}
	for _, k := range []string{"id", "kind", "version", "given_name", "family_name", "country", "created_at", "consent_publish"} {
		if _, ok := recs[0][k]; !ok {
			t.Errorf("field %q missing in %v", k, recs[0])
		}
	}
	out = mustCLI(t, nil, "--db", db, "search", "zzzqqq", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("no hits should print [], got %q", out)
	}
}

func TestSearchQueriesFile(t *testing.T) {
	db := demoStore(t)
	qf := filepath.Join(t.TempDir(), "q.txt")
	os.WriteFile(qf, []byte("djordje\nzzzqqq\nhodz\n"), 0o600)
	out := mustCLI(t, nil, "--db", db, "search", "--queries", qf)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "0\t") || strings.HasPrefix(lines[0], "0\t") {
		t.Fatalf("queries output:\n%s", out)
	}
}

func TestStatsJSONCountsRight(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "300", "--businesses", "20", "--organisations", "7", "--seed", "3")
	var s map[string]any
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "stats", "--json")), &s); err != nil {
		t.Fatal(err)
	}
	if s["persons"] != 300.0 || s["businesses"] != 20.0 || s["organisations"] != 7.0 || s["localities"].(float64) < 1 {
		t.Fatalf("stats: %v", s)
	}
	byCountry := 0.0
	for _, n := range s["persons_by_country"].(map[string]any) {
		byCountry += n.(float64)
	}
	if byCountry != 300 {
		t.Fatalf("persons by country add up to %v", byCountry)
	}
}

func TestExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"--db", db, "search"}, 2, "give a QUERY"},
		{[]string{"--db", db, "demo", "--persons", "x"}, 2, "invalid value"},
		{[]string{"--db", db, "search", "--queries", "/nonexistent/q.txt"}, 1, "no such file"},
		{[]string{"--db", db, "restore", "/nonexistent/b"}, 1, "no such file"},
		{[]string{"--db", "/proc/version", "stats"}, 1, ""},
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
}

func TestLockedStoreIsAClearError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := cli(t, nil, "--db", db, "stats")
	if r.code != 1 || !strings.Contains(r.stderr, "already open") || !strings.Contains(r.stderr, db) {
		t.Fatalf("exit %d: %q", r.code, r.stderr)
	}
}

func TestNotAStoreAndPassphrase(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "notes.txt"), []byte("x"), 0o600)
	if r := cli(t, nil, "--db", home, "stats"); r.code != 1 || !strings.Contains(r.stderr, "not a Registar registry") {
		t.Fatalf("foreign folder: %d %q", r.code, r.stderr)
	}
	db := filepath.Join(t.TempDir(), "db")
	pass := []string{"REGISTAR_PASSPHRASE=kantonalni centar"}
	mustCLI(t, pass, "--db", db, "demo", "--persons", "50")
	if r := cli(t, nil, "--db", db, "stats"); r.code != 1 || !strings.Contains(r.stderr, "REGISTAR_PASSPHRASE") {
		t.Fatalf("no passphrase: %d %q", r.code, r.stderr)
	}
	if r := cli(t, []string{"REGISTAR_PASSPHRASE=wrong"}, "--db", db, "stats"); r.code != 1 || !strings.Contains(r.stderr, "passphrase is wrong") {
		t.Fatalf("wrong passphrase: %d %q", r.code, r.stderr)
	}
	if out := mustCLI(t, pass, "--db", db, "stats"); !regexp.MustCompile(`(?m)^persons +50$`).MatchString(out) {
		t.Fatalf("right passphrase: %s", out)
	}
}

func TestBackupRestoreFromTheShell(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "120", "--seed", "5")
	before := mustCLI(t, nil, "--db", db, "stats", "--json")
	file := filepath.Join(t.TempDir(), "office.backup")
	mustCLI(t, nil, "--db", db, "backup", file)
	other := filepath.Join(t.TempDir(), "restored")
	out := mustCLI(t, nil, "--db", other, "restore", file)
	if !strings.Contains(out, "restored") {
		t.Fatal(out)
	}
	if after := mustCLI(t, nil, "--db", other, "stats", "--json"); after != before {
		t.Fatalf("stats differ after restore:\n%s\n%s", before, after)
	}
	junk := filepath.Join(t.TempDir(), "junk.backup")
	os.WriteFile(junk, []byte("hello"), 0o600)
	if r := cli(t, nil, "--db", other, "restore", junk); r.code != 1 || !strings.Contains(r.stderr, "not a Registar backup") {
		t.Fatalf("junk restore: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		r := cli(t, nil, "--db", db, "backup", "/dev/full")
		if r.code != 1 || !strings.Contains(r.stderr, "disk is full") {
			t.Fatalf("backup to a full disk: %d %q", r.code, r.stderr)
		}
	}
}

// Killing the CLI in the middle of writing leaves whole steps only: every
// step of `demo` lands entirely or not at all, and the store opens.
func TestKillMidwayLeavesWholeSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	db := filepath.Join(t.TempDir(), "db")
	cmd := exec.Command(cliPath, "--db", db, "demo", "--persons", "100000", "--businesses", "0", "--organisations", "0")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the first finished step, then kill in the middle of the next.
	sc := bufio.NewScanner(stderr)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
			return i + 1, data[:i], nil
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	for sc.Scan() {
		if strings.Contains(sc.Text(), "/") {
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	var counts struct{ Persons, Localities int }
	if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "stats", "--json")), &counts); err != nil {
		t.Fatal(err)
	}
	total := counts.Persons + counts.Localities
	if total == 0 || total%demoStep != 0 {
		t.Fatalf("after a kill the store holds %d records, not whole steps of %d", total, demoStep)
	}
}

// Commands that only read open the registry read-only: two of them may run
// at once, and on Linux they create or change nothing in its folder.
func TestReadingCommandsLeaveTheFolderAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Badger opens no files read-only on Windows")
	}
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "200", "--seed", "5")
	listing := func() string {
		entries, err := os.ReadDir(db)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, e := range entries {
			info, _ := e.Info()
			fmt.Fprintf(&b, "%s %d %v\n", e.Name(), info.Size(), info.ModTime())
		}
		return b.String()
	}
	before := listing()
	// A reader holds the folder while the commands run beside it.
	reader, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{{"search", "djordje"}, {"stats", "--json"}, {"backup", out + ".bak"}, {"export", "--kind", "person", out + ".xlsx"}} {
		mustCLI(t, nil, append([]string{"--db", db}, args...)...)
	}
	if r := cli(t, nil, "--db", db, "demo", "--persons", "1"); r.code != 1 || !strings.Contains(r.stderr, "already open") {
		t.Fatalf("a writer beside a reader: exit %d %q", r.code, r.stderr)
	}
	reader.Close()
	if after := listing(); after != before {
		t.Fatalf("reading commands changed the folder:\n%s\nnow:\n%s", before, after)
	}
}

// A second demo run adds persons, not a second copy of the localities.
func TestDemoTwiceKeepsOneSetOfLocalities(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	stats := func() map[string]any {
		var s map[string]any
		if err := json.Unmarshal([]byte(mustCLI(t, nil, "--db", db, "stats", "--json")), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	mustCLI(t, nil, "--db", db, "demo", "--persons", "50", "--seed", "1")
	first := stats()
	out := mustCLI(t, nil, "--db", db, "demo", "--persons", "30", "--businesses", "0", "--organisations", "0", "--activities=false", "--seed", "2")
	second := stats()
	if second["localities"] != first["localities"] || second["persons"] != 80.0 {
		t.Fatalf("after a second demo: %v localities (was %v), %v persons", second["localities"], first["localities"], second["persons"])
	}
	if !strings.HasPrefix(out, "created 30 records;") {
		t.Fatalf("second demo says %q", out)
	}
}
