package localeenv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"registar/app/localeenv"
)

// TestMain lets the test binary act as a program that imports Fyne's lang
// beside localeenv: with REGISTAR_LOCALE_CHILD set it only reports what
// Fyne saw, so the parent can read what Fyne logged during initialisation.
func TestMain(m *testing.M) {
	if os.Getenv("REGISTAR_LOCALE_CHILD") != "" {
		os.Stdout.WriteString(lang.SystemLocale().LanguageString())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Fyne's package initialisation reads the locale; localeenv must have set
// LANGUAGE before, or Fyne logs "Error parsing user locale C".
func TestFyneInitialisationIsQuiet(t *testing.T) {
	for _, loc := range []string{"C.UTF-8", "C", "POSIX", "sr_RS.UTF-8@latin"} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = []string{"REGISTAR_LOCALE_CHILD=1", "LANG=" + loc, "PATH=" + os.Getenv("PATH")}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("LANG=%s: %v\n%s", loc, err, stderr.String())
		}
		if stderr.Len() != 0 {
			t.Errorf("LANG=%s: Fyne logged during start:\n%s", loc, stderr.String())
		}
		want := "en"
		if strings.HasPrefix(loc, "sr") {
			want = "sr-RS"
		}
		if string(out) != want {
			t.Errorf("LANG=%s: Fyne sees %q, want %q", loc, out, want)
		}
	}
}

func TestIsC(t *testing.T) {
	for s, want := range map[string]bool{"": true, "C": true, "C.UTF-8": true, "POSIX": true,
		"bs_BA.UTF-8": false, "sr_RS@latin": false, "Cy_GB": false} {
		if localeenv.IsC(s) != want {
			t.Errorf("IsC(%q) = %v", s, !want)
		}
	}
}
