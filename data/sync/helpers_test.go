package sync

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"registar/data"
	"registar/data/store"
)

// clock is one clock for every registry of a test, a second per call.
type clock struct{ n atomic.Int64 }

var testEpoch = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

func (c *clock) now() time.Time { return testEpoch.Add(time.Duration(c.n.Add(1)) * time.Second) }

// laptop opens an in-memory registry named name.
func laptop(t testing.TB, c *clock, name string) *store.Store {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true, User: name, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetLaptopName(name); err != nil {
		t.Fatal(err)
	}
	return st
}

func person(given, family string) *data.Person {
	return &data.Person{GivenName: given, FamilyName: family, Country: "DE", Gender: "f",
		BirthDate: data.NewDate(1985, 3, 12)}
}

func save(t testing.TB, st *store.Store, r data.Record) {
	t.Helper()
	if err := st.Save(r); err != nil {
		t.Fatalf("save %s: %v", r.Title(), err)
	}
}

func round(t testing.TB, f *Folder) *Summary {
	t.Helper()
	sum, err := f.Round(context.Background())
	if err != nil {
		t.Fatalf("round of %s: %v", f.st.LaptopName(), err)
	}
	return sum
}

// canon is a record as laptops must agree on it: everything but Source,
// which only says how it arrived here.
func canon(r data.Record) string {
	b, _ := data.Encode(data.Clone(r))
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	delete(m, "source")
	out, _ := json.Marshal(m)
	return string(out)
}

// registry is a laptop's whole registry as text, by ID.
func registry(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, k := range data.Kinds {
		if err := st.Each(k, func(r data.Record) error {
			out[r.Base().ID] = canon(r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// sameRegistries fails unless every registry holds the same records with
// the same contents and versions.
func sameRegistries(t testing.TB, sts ...*store.Store) {
	t.Helper()
	want := registry(t, sts[0])
	for _, st := range sts[1:] {
		got := registry(t, st)
		if len(got) != len(want) {
			t.Fatalf("%s has %d records, %s %d", st.LaptopName(), len(got), sts[0].LaptopName(), len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Fatalf("record %s differs:\n%s: %s\n%s: %s", id, sts[0].LaptopName(), w, st.LaptopName(), got[id])
			}
		}
	}
}

// engine plays a sync engine between laptops that each see their own copy
// of the folder, as Syncthing gives them: it carries files late, in any
// order, sometimes first as a truncated copy, sometimes twice, and leaves
// its own partial and conflict files about.
type engine struct {
	views []string
	ids   []string // the laptop whose files each view sends
	rng   *rand.Rand
	// truncated: files delivered cut short, to be delivered whole later.
	truncated map[string]bool
}

// carry delivers each view's files to the other views; with faults, only
// some of them, in random order, a few truncated first, and engine litter.
func (e *engine) carry(t testing.TB, faults bool) {
	t.Helper()
	type move struct{ from, to, rel string }
	var moves []move
	for i, src := range e.views {
		own := filepath.Join(src, e.ids[i])
		entries, _ := os.ReadDir(own) // only a laptop's own files travel from its view
		for _, d := range entries {
			if _, ok := seqOf(d.Name()); !ok {
				continue
			}
			rel := filepath.Join(e.ids[i], d.Name())
			for j, dst := range e.views {
				if i == j {
					continue
				}
				to := filepath.Join(dst, rel)
				if _, err := os.Stat(to); err == nil && !e.truncated[to] {
					continue
				}
				moves = append(moves, move{filepath.Join(own, d.Name()), dst, rel})
			}
		}
	}
	e.rng.Shuffle(len(moves), func(i, j int) { moves[i], moves[j] = moves[j], moves[i] })
	for _, m := range moves {
		to := filepath.Join(m.to, m.rel)
		if faults && e.rng.IntN(3) == 0 {
			continue // late: next time
		}
		b, err := os.ReadFile(m.from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(to), 0o777)
		if faults && !e.truncated[to] && e.rng.IntN(4) == 0 {
			b = b[:e.rng.IntN(len(b))]
			e.truncated[to] = true
		} else {
			delete(e.truncated, to)
		}
		if err := os.WriteFile(to, b, 0o666); err != nil {
			t.Fatal(err)
		}
		if faults && e.rng.IntN(4) == 0 {
			litter(t, filepath.Dir(to), filepath.Base(to), b)
		}
	}
}

// litter leaves the files sync engines leave beside name: partial
// downloads and conflict copies, here with a copy of its bytes.
func litter(t testing.TB, dir, name string, b []byte) {
	t.Helper()
	base := name[:len(name)-len(ext)]
	for _, n := range []string{
		".syncthing." + name + ".tmp", "~syncthing~" + name + ".tmp",
		base + ".sync-conflict-20260601-101010-ABCDEFG" + ext, base + " (conflicted copy)" + ext,
		"~$" + name, name + ".partial", base + "(1)" + ext, tempPrefix + "x" + tempSuffix,
	} {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// files lists the sequence files in dir/<id>.
func files(t testing.TB, dir, id string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dir, id))
	var out []string
	for _, e := range entries {
		if _, ok := seqOf(e.Name()); ok {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func laptopID(t testing.TB, st *store.Store) string {
	t.Helper()
	id, err := st.LaptopID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	os.MkdirAll(filepath.Dir(to), 0o777)
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
}
