package exchange

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"registar/data"
	"registar/data/i18n"
)

var update = flag.Bool("update", false, "rewrite docs/import-headers.md from the alias table")

var docPath = filepath.Join("..", "..", "docs", "import-headers.md")

// The README's table of import headers is generated from the one alias
// table; this test fails when they drift (go test ./data/exchange -run
// TestHeaderDocUpToDate -update rewrites it).
func TestHeaderDocUpToDate(t *testing.T) {
	got := headerDoc()
	if *update {
		if err := os.WriteFile(docPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if string(b) != got {
		t.Fatalf("%s is out of date: go test ./data/exchange -run TestHeaderDocUpToDate -update", docPath)
	}
}

func headerDoc() string {
	var b strings.Builder
	b.WriteString(`# Import headers

<!-- Generated from data/exchange/headers.go by
     go test ./data/exchange -run TestHeaderDocUpToDate -update
     Do not edit by hand. -->

Registar recognises a spreadsheet column by its header. Case, spaces,
punctuation, diacritics and script do not matter: ` + "`DATUM RODJENJA`, `Datum rođenja`" + ` and
` + "`Датум рођења`" + ` are one header, and a part in brackets is ignored when nothing
else matches (` + "`Datum rođenja (dd.mm.gggg.)`" + `). A column accepts

- the field's **label in any of the six languages** — exactly what Registar's own
  exports and templates write, so they always import back — and
- the **other headers** listed below, the ways offices and volunteers head their
  columns.

A column with any other header is reported (` + "`registar-cli import --dry-run`" + ` lists
it) and left out; map it to a field with ` + "`--map 'Header=field'`" + ` (or in the app's
import screen). The kind of records is guessed from the headers, or given with
` + "`--kind`" + `. Columns marked *required* must be there, or every row is rejected.

Values are read as people type them: dates as spreadsheet dates, ` + "`12.03.1985.`" + `,
` + "`12.03.1985`" + ` or ` + "`1985-03-12`" + `; yes/no as ` + "`da`/`ne`, `да`/`не`, `po`/`jo`, `yes`/`no`, `x`" + `;
genders, education and the other lists by their label in any language or a
common short form (` + "`M`, `Ž`, `F`, `SSS`, `KUD`, `NVO`" + `); countries by their CLDR name
in any of the six languages or an ISO code; local communities by name (or
"Name (Municipality)" where two share a name); phones as dialled locally.

`)
	langs := []i18n.Lang{i18n.EN, i18n.BS, i18n.HR, i18n.SR, i18n.SRLatn, i18n.SQ}
	for _, k := range importKinds {
		fmt.Fprintf(&b, "## %s\n\n", i18n.T(i18n.EN, "kind."+string(k)+".plural"))
		b.WriteString("| field | labels (en · bs · hr · sr · sr-Latn · sq) | other headers |\n|---|---|---|\n")
		for _, f := range kindFields[k] {
			var labels []string
			seen := map[string]bool{}
			for _, l := range langs {
				if lab := f.Label(l); !seen[lab] {
					seen[lab] = true
					labels = append(labels, lab)
				}
			}
			var others []string
			for _, a := range append(append([]string(nil), kindAliases[k][f.Name]...), commonAliases[f.Name]...) {
				if !seen[a] {
					seen[a] = true
					others = append(others, a)
				}
			}
			name := "`" + f.Name + "`"
			if required(k, f.Name) {
				name += " *required*"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name, strings.Join(labels, " · "), strings.Join(others, " · "))
		}
		b.WriteString("\n")
	}
	b.WriteString(activityHeaderDoc())
	b.WriteString("## Columns read past\n\nA running number and the two columns a rejects file adds are skipped without a word:\n")
	var ign []string
	ign = append(ign, ignoredHeaders...)
	for _, key := range rejectHeaderKeys {
		for _, l := range langs {
			if s := i18n.T(l, key); !slices.Contains(ign, s) {
				ign = append(ign, s)
			}
		}
	}
	b.WriteString(strings.Join(ign, " · ") + "\n")
	_ = data.KindPerson
	return b.String()
}
