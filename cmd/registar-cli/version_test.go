package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func runInProcess(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return out.String(), errb.String(), code
}

func TestVersion(t *testing.T) {
	old := version
	version = "1.2.3-test"
	defer func() { version = old }()
	db := filepath.Join(t.TempDir(), "db")

	out, errOut, code := runInProcess(t, "--db", db, "version")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "registar-cli 1.2.3-test (" + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("got %q, want it to start with %q", out, want)
	}
	if !strings.Contains(out, db) || !strings.Contains(out, "no registry there yet") {
		t.Errorf("registry folder missing: %q", out)
	}

	out, _, code = runInProcess(t, "version", "--json", "--db", db)
	var v versionInfo
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil {
		t.Fatalf("exit %d, output %q", code, out)
	}
	if v.Version != "1.2.3-test" || v.Registry != db || v.Exists || v.OS != runtime.GOOS {
		t.Errorf("json: %+v", v)
	}

	if _, _, code := runInProcess(t, "version", "extra"); code != 2 {
		t.Errorf("extra argument: exit %d, want 2", code)
	}
}

// The built binary (no -ldflags) says "dev".
func TestVersionDevBuild(t *testing.T) {
	out := mustCLI(t, nil, "--db", filepath.Join(t.TempDir(), "x"), "version")
	if !strings.HasPrefix(out, "registar-cli dev (") {
		t.Errorf("got %q", out)
	}
}
