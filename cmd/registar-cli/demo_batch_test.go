package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"registar/data"
	"registar/data/demo"
	"registar/data/store"
)

// The demo lands in steps of demoStep records; however they are cut, the
// registry holds the records Generate makes for the seed: the same IDs,
// kinds and names, the same counts.
func TestDemoInStepsHoldsWhatGenerateMakes(t *testing.T) {
	defer func(n int) { demoStep = n }(demoStep)
	defer func(n int) { demoBulkAbove = n }(demoBulkAbove)
	want := map[string]string{}
	err := demo.Generate(demo.Options{Persons: 90, Businesses: 9, Organisations: 4, Seed: 18}, func(r data.Record) error {
		want[r.Base().ID] = string(data.KindOf(r)) + " " + r.Title()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range []int{20000, 7, 7} {
		demoStep = step
		// The last run writes in the store's bulk mode, and its search
		// index is rebuilt from the records at the end.
		demoBulkAbove = map[bool]int{false: 1 << 30, true: 0}[i == 2]
		db := filepath.Join(t.TempDir(), "db")
		mustCLI(t, nil, "--db", db, "demo", "--persons", "90", "--businesses", "9", "--organisations", "4", "--seed", "18")
		st, err := store.Open(db, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if c := st.Counts(); c[data.KindPerson] != 90 || c[data.KindBusiness] != 9 || c[data.KindOrganisation] != 4 {
			t.Fatalf("steps of %d: the index counts %v", step, c)
		}
		got := map[string]string{}
		for _, k := range data.Kinds {
			if err := st.Each(k, func(r data.Record) error {
				got[r.Base().ID] = string(data.KindOf(r)) + " " + r.Title()
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
		if len(got) != len(want) {
			t.Fatalf("steps of %d: %d records, Generate makes %d", step, len(got), len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Fatalf("steps of %d: record %s is %q, Generate makes %q", step, id, got[id], w)
			}
		}
	}
}

// A batch command aims under batchMemoryLimit and gives the limit back;
// a limit the user set with GOMEMLIMIT stays.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	restore := limitMemory(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != batchMemoryLimit {
		t.Fatalf("limit %d, want %d", got, batchMemoryLimit)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("limit %d after restore, want %d", got, before)
	}
	restore = limitMemory(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "2GiB"
		}
		return os.Getenv(k)
	})
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("limit %d with GOMEMLIMIT set, want %d", got, before)
	}
	restore()
}
