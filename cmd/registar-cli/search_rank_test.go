package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"registar/data"
	"registar/data/store"
)

// sons is how many persons have a father Đorđe: more than the 50 hits the
// text output shows.
const sons = 60

var (
	rankDBOnce sync.Once
	rankDBErr  error
)

// rankStore is a registry with the case: Aleksandar Milenković,
// whose father is Đorđe, sorts before the Đorđes by title. Beside them: a
// family name that starts with Đorđe, a city, and many more sons.
func rankStore(t *testing.T) string {
	t.Helper()
	rankDBOnce.Do(func() {
		dir := filepath.Join(rankKeep(), "db")
		st, err := store.Open(dir, store.Options{})
		if err != nil {
			rankDBErr = err
			return
		}
		defer st.Close()
		save := func(given, family, parent, city string) {
			if rankDBErr != nil {
				return
			}
			rankDBErr = st.Save(&data.Person{GivenName: given, FamilyName: family, ParentName: parent, Gender: "m",
				BirthDate: data.NewDate(1980, 5, 17), Country: "AT", City: city})
		}
		save("Aleksandar", "Milenković", "Đorđe", "Wien")
		save("Đorđe", "Petrović", "Milan", "Wien")
		save("Ђорђе", "Јовановић", "Марко", "Linz")
		save("Ana", "Đorđević", "Nikola", "Graz")
		save("Amra", "Begić", "Mehmed", "Đorđevac")
		for i := range sons {
			save("Zoran", fmt.Sprintf("Sin%02d", i), "Đorđe", "Wien")
		}
		if rankDBErr == nil {
			rankDBErr = st.Close()
		}
	})
	if rankDBErr != nil {
		t.Fatal(rankDBErr)
	}
	return filepath.Join(rankKeep(), "db")
}

// rankKeep is a folder that outlives the first test (t.TempDir would
// not): beside the binary, which TestMain removes at the end.
func rankKeep() string { return filepath.Join(filepath.Dir(cliPath), "rank") }

// searchLines runs a text search and returns its hit lines, without the
// closing "N found" line.
func searchLines(t *testing.T, args ...string) (lines []string, last string) {
	t.Helper()
	out := strings.Split(strings.TrimRight(mustCLI(t, nil, args...), "\n"), "\n")
	return out[:len(out)-1], out[len(out)-1]
}

// titleOf is the title column of a hit line (kind, ID, title, what matched).
func titleOf(line string) string {
	f := strings.Split(line, "\t")
	if len(f) < 3 {
		return ""
	}
	return f[2]
}

func TestSearchBestMatchFirst(t *testing.T) {
	db := rankStore(t)
	for _, q := range []string{"djordje", "Ђорђе", "đorđe", "DORDE"} {
		lines, last := searchLines(t, "--db", db, "--lang", "en", "search", q, "--limit", "0")
		if last != fmt.Sprintf("%d found", 5+sons) || len(lines) != 5+sons {
			t.Fatalf("%q: %d lines, last %q", q, len(lines), last)
		}
		want := []string{"Ђорђе Јовановић", "Đorđe Petrović", "Ana Đorđević", "Aleksandar Milenković"}
		for i, w := range want {
			if titleOf(lines[i]) != w {
				t.Fatalf("%q: line %d is %q, want %s first:\n%s", q, i, lines[i], strings.Join(want, ", "), strings.Join(lines[:8], "\n"))
			}
		}
		// The Đorđes matched by name: nothing to say. The sons say their father.
		for _, l := range lines[:3] {
			if strings.Count(l, "\t") != 2 {
				t.Errorf("%q: a name match says more: %q", q, l)
			}
		}
		for _, l := range lines[3 : 4+sons] {
			if !strings.HasSuffix(l, "\tParent's name: Đorđe") {
				t.Errorf("%q: %q does not say the father matched", q, l)
			}
		}
		if l := lines[len(lines)-1]; titleOf(l) != "Amra Begić" || !strings.HasSuffix(l, "\tCity: Đorđevac") {
			t.Errorf("%q: the city match should come last and say so: %q", q, l)
		}
	}
	// In the registry's language, Serbian Cyrillic here.
	lines, _ := searchLines(t, "--db", db, "--lang", "sr", "search", "djordje", "--limit", "4")
	if !strings.HasSuffix(lines[3], "\tИме родитеља: Đorđe") {
		t.Errorf("in Serbian: %q", lines[3])
	}
	// --by-title keeps the alphabetical order.
	lines, _ = searchLines(t, "--db", db, "--lang", "en", "search", "djordje", "--by-title", "--limit", "1")
	if titleOf(lines[0]) != "Aleksandar Milenković" {
		t.Errorf("--by-title: %q", lines[0])
	}
}

type rankedJSON struct {
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Matched    *struct {
		Field string `json:"field"`
		Value string `json:"value"`
	} `json:"matched"`
}

func searchJSON(t *testing.T, args ...string) []rankedJSON {
	t.Helper()
	var recs []rankedJSON
	out := mustCLI(t, nil, args...)
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return recs
}

func TestSearchJSONPrintsEveryMatchRanked(t *testing.T) {
	db := rankStore(t)
	for _, q := range []string{"djordje", "Ђорђе"} {
		recs := searchJSON(t, "--db", db, "search", q, "--json")
		if len(recs) != 5+sons {
			t.Fatalf("%q --json: %d records, want every match (%d)", q, len(recs), 5+sons)
		}
		var names []string
		for _, r := range recs[:4] {
			names = append(names, r.GivenName+" "+r.FamilyName)
		}
		if want := []string{"Ђорђе Јовановић", "Đorđe Petrović", "Ana Đorđević", "Aleksandar Milenković"}; !slices.Equal(names, want) {
			t.Errorf("%q --json order: %v, want %v", q, names, want)
		}
		for _, r := range recs[:3] {
			if r.Matched != nil {
				t.Errorf("%q: %s %s matched by name has %+v", q, r.GivenName, r.FamilyName, *r.Matched)
			}
		}
		for _, r := range recs[3 : 4+sons] {
			if r.Matched == nil || r.Matched.Field != "parent_name" || r.Matched.Value != "Đorđe" {
				t.Fatalf("%q: %s %s: matched %+v, want parent_name Đorđe", q, r.GivenName, r.FamilyName, r.Matched)
			}
		}
		last := recs[len(recs)-1]
		if last.FamilyName != "Begić" || last.Matched == nil || *last.Matched != (matchedJSON{"city", "Đorđevac"}) {
			t.Errorf("%q: last %+v", q, last)
		}
	}
}

func TestSearchLimit(t *testing.T) {
	db := rankStore(t)
	recs := searchJSON(t, "--db", db, "search", "djordje", "--json", "--limit", "3")
	if len(recs) != 3 || recs[0].FamilyName != "Јовановић" || recs[2].FamilyName != "Đorđević" {
		t.Fatalf("--json --limit 3: %+v", recs)
	}
	if recs := searchJSON(t, "--db", db, "search", "djordje", "--json", "--limit", "0"); len(recs) != 5+sons {
		t.Fatalf("--json --limit 0: %d records", len(recs))
	}
	lines, last := searchLines(t, "--db", db, "--lang", "en", "search", "djordje", "--limit", "2")
	if len(lines) != 2 || !strings.Contains(last, fmt.Sprintf("2 of %d shown", 5+sons)) {
		t.Fatalf("--limit 2: %q, %q", lines, last)
	}
	// Text without --limit stops at 50 and says so.
	lines, last = searchLines(t, "--db", db, "--lang", "en", "search", "djordje")
	if len(lines) != 50 || !strings.Contains(last, fmt.Sprintf("50 of %d shown", 5+sons)) {
		t.Fatalf("default: %d lines, %q", len(lines), last)
	}
}
