package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"registar/data/store"
)

// smallRegistry is a registry of its own with a few demo records, for tests
// that change its settings.
func smallRegistry(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "db")
	mustCLI(t, nil, "--db", db, "demo", "--persons", "40", "--seed", "3")
	return db
}

// setRegistryLang keeps lang as the office's language, as the app's first
// run and its Settings do.
func setRegistryLang(t *testing.T, db, lang string) {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(LangSetting, []byte(lang)); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// Every message a clerk reads after a command is in the language asked
// for: the file written, the counts, the bundle, the search's tally, and
// a file that cannot be written.
func TestMessagesInTheLanguageAsked(t *testing.T) {
	db := smallRegistry(t)
	cases := []struct {
		lang string
		want map[string][]string // command → texts its output must hold
	}{
		{"bs", map[string][]string{
			"backup":  {"rezervna kopija zapisana je u"},
			"export":  {"izvezeno redova: 40, u"},
			"stats":   {"osobe ", "mjesne zajednice ", "pristanak na kontakt", "osobe po državama:"},
			"bundle":  {"paket je zapisan u", "cijeli registar", "s računara"},
			"search":  {"pronađeno: 0"},
			"badfile": {"ne može se zapisati", "folder u koji ide ne postoji"},
			"missing": {"ne može se otvoriti", "takva datoteka ne postoji"},
		}},
		{"sq", map[string][]string{
			"backup":  {"kopja rezervë u shkrua në"},
			"export":  {"rreshta të eksportuar: 40, në"},
			"stats":   {"persona ", "bashkësi lokale ", "pëlqim për kontakt", "persona sipas shteteve:"},
			"bundle":  {"paketa u shkrua në", "i gjithë regjistri", "nga kompjuteri"},
			"search":  {"u gjetën: 0"},
			"badfile": {"nuk mund të shkruhet", "dosja ku duhet të shkojë nuk ekziston"},
			"missing": {"nuk mund të hapet", "ky skedar nuk ekziston"},
		}},
		{"sr", map[string][]string{
			"backup":  {"резервна копија је записана у"},
			"export":  {"извезено редова: 40, у"},
			"stats":   {"особе ", "месне заједнице ", "пристанак на контакт", "особе по државама:"},
			"bundle":  {"пакет је записан у", "цео регистар", "са рачунара"},
			"search":  {"пронађено: 0"},
			"badfile": {"не може да се запише", "фасцикла у коју иде не постоји"},
			"missing": {"не може да се отвори", "таква датотека не постоји"},
		}},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			dir := t.TempDir()
			outputs := map[string]string{
				"backup": mustCLI(t, nil, "--db", db, "--lang", c.lang, "backup", filepath.Join(dir, "b.registar-backup")),
				"export": mustCLI(t, nil, "--db", db, "--lang", c.lang, "export", "--kind", "person", filepath.Join(dir, "o.xlsx")),
				"stats":  mustCLI(t, nil, "--db", db, "--lang", c.lang, "stats"),
				"bundle": mustCLI(t, nil, "--db", db, "--lang", c.lang, "bundle", "export", filepath.Join(dir, "p.registar")),
				"search": mustCLI(t, nil, "--db", db, "--lang", c.lang, "search", "zxqwertovic"),
			}
			r := cli(t, nil, "--db", db, "--lang", c.lang, "export", "--kind", "person", filepath.Join(dir, "none", "o.xlsx"))
			if r.code != 1 {
				t.Errorf("export into a missing folder: exit %d", r.code)
			}
			outputs["badfile"] = r.stderr
			r = cli(t, nil, "--db", db, "--lang", c.lang, "search", "--queries", filepath.Join(dir, "none.txt"))
			if r.code != 1 {
				t.Errorf("search --queries of a missing file: exit %d", r.code)
			}
			outputs["missing"] = r.stderr
			for cmd, wants := range c.want {
				for _, w := range wants {
					if !strings.Contains(outputs[cmd], w) {
						t.Errorf("%s in %s lacks %q:\n%s", cmd, c.lang, w, outputs[cmd])
					}
				}
			}
		})
	}
}

// Without --lang a command speaks the registry's language, whatever the
// shell's locale; --lang and REGISTAR_LANG still win, and a registry that
// has no language yet speaks the locale's.
func TestMessagesInTheRegistrysLanguage(t *testing.T) {
	db := smallRegistry(t)
	byCountry := func(env []string, args ...string) string {
		t.Helper()
		out := mustCLI(t, env, append([]string{"--db", db}, args...)...)
		for _, line := range strings.Split(out, "\n") {
			if strings.HasSuffix(line, ":") {
				return line
			}
		}
		t.Fatalf("no heading in:\n%s", out)
		return ""
	}
	if got := byCountry([]string{"LANG=bs_BA.UTF-8"}, "stats"); got != "osobe po državama:" {
		t.Errorf("no registry language, LANG=bs_BA: %q", got)
	}
	setRegistryLang(t, db, "sq")
	if got := byCountry(nil, "stats"); got != "persona sipas shteteve:" {
		t.Errorf("registry in sq, LANG=C: %q", got)
	}
	if got := byCountry([]string{"LANG=sr_RS.UTF-8"}, "stats"); got != "persona sipas shteteve:" {
		t.Errorf("registry in sq, LANG=sr_RS: %q", got)
	}
	if got := byCountry(nil, "--lang", "en", "stats"); got != "persons by country:" {
		t.Errorf("registry in sq, --lang en: %q", got)
	}
	if got := byCountry([]string{"REGISTAR_LANG=bs"}, "stats"); got != "osobe po državama:" {
		t.Errorf("registry in sq, REGISTAR_LANG=bs: %q", got)
	}
	setRegistryLang(t, db, "sr")
	if got := byCountry(nil, "stats"); got != "особе по државама:" {
		t.Errorf("registry in sr: %q", got)
	}
	setRegistryLang(t, db, "sr-Latn")
	if got := byCountry(nil, "stats"); got != "osobe po državama:" {
		t.Errorf("registry in sr-Latn: %q", got)
	}

	// Errors about the user's files too, and the import's summary.
	setRegistryLang(t, db, "sq")
	dir := t.TempDir()
	r := cli(t, nil, "--db", db, "backup", filepath.Join(dir, "none", "b.registar-backup"))
	if r.code != 1 || !strings.Contains(r.stderr, "nuk mund të shkruhet") {
		t.Errorf("backup into a missing folder: exit %d %q", r.code, r.stderr)
	}
	sheet := filepath.Join(dir, "teren.csv")
	os.WriteFile(sheet, []byte("Ime;Prezime;Datum rođenja;Država\nEmina;;01.01.1990;Atlantida\n"), 0o600)
	r = cli(t, nil, "--db", db, "import", sheet)
	if !strings.Contains(r.stdout, "Rreshta") || !strings.Contains(r.stderr, "Nuk u importua asgjë") {
		t.Errorf("import in sq: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The JSON keeps its English field names.
	if out := mustCLI(t, nil, "--db", db, "stats", "--json"); !strings.Contains(out, `"persons_by_country"`) {
		t.Errorf("stats --json: %s", out)
	}
}

// An import whose every row is refused failed: exit 1, the summary with
// the reasons on stdout and one line on stderr saying nothing went in. A
// file whose rows are all in the registry already is a finished import.
func TestImportOfOnlyRejectedRowsFails(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("Ime;Prezime;Datum rođenja;Država\n"+
		"Emina;;01.01.1990;Atlantida\n"+
		"Senad;;02.02.1970;Švedska\n"), 0o600)

	r := cli(t, nil, "--db", db, "import", bad)
	if r.code != 1 {
		t.Fatalf("all rows rejected: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Rejected") || !strings.Contains(r.stdout, "is required") {
		t.Errorf("the summary and reasons are missing:\n%s", r.stdout)
	}
	if msg := strings.TrimSpace(r.stderr); strings.Count(msg, "\n") != 0 ||
		!strings.Contains(msg, "Nothing was imported: all 2 rows were rejected") || !strings.Contains(msg, bad) {
		t.Errorf("stderr: %q", r.stderr)
	}
	rejects := filepath.Join(dir, "odbijeni.xlsx")
	r = cli(t, nil, "--db", db, "--lang", "bs", "import", bad, "--rejects", rejects)
	if r.code != 1 || !strings.Contains(r.stderr, "Ništa nije uvezeno") || !strings.Contains(r.stderr, rejects) {
		t.Errorf("with --rejects: exit %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(rejects); err != nil {
		t.Errorf("the rejects file was not written: %v", err)
	}
	// A dry run only shows; it does not fail.
	if r := cli(t, nil, "--db", db, "import", bad, "--dry-run"); r.code != 0 {
		t.Errorf("dry run: exit %d %s", r.code, r.stderr)
	}
	if s := statsOf(t, db); s.Persons != 0 {
		t.Fatalf("%d persons written", s.Persons)
	}

	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("Ime;Prezime;Datum rođenja;Država\nAmir;Hodžić;12.03.1985.;Njemačka\n"), 0o600)
	mustCLI(t, nil, "--db", db, "import", good)
	if r := cli(t, nil, "--db", db, "import", good); r.code != 0 || !strings.Contains(r.stdout, "Skipped as duplicates:  1") {
		t.Errorf("duplicates only: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// Backups, bundles and exports hold people's data: only their owner may
// read them, also when they replace a file other accounts could read.
func TestFilesWithPeoplesDataAreTheOwnersAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	db := smallRegistry(t)
	dir := t.TempDir()
	files := map[string][]string{
		"backup": {"backup", filepath.Join(dir, "b.registar-backup")},
		"bundle": {"bundle", "export", filepath.Join(dir, "p.registar")},
		"export": {"export", "--kind", "person", filepath.Join(dir, "o.xlsx")},
	}
	for name, args := range files {
		path := args[len(args)-1]
		for _, round := range []string{"new", "over a 0644 file"} {
			if round != "new" {
				os.Chmod(path, 0o644)
			}
			mustCLI(t, nil, append([]string{"--db", db}, args...)...)
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if m := info.Mode().Perm(); m != 0o600 {
				t.Errorf("%s (%s): mode %v, want -rw-------", name, round, m)
			}
		}
	}
}
