package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"registar/data"
	"registar/data/store"
)

// clock is one clock for every store of a test, a second per call, so that
// times are distinct and ordered across laptops.
type clock struct {
	n    atomic.Int64
	base time.Time // zero: testEpoch
}

var testEpoch = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

func (c *clock) now() time.Time {
	base := c.base
	if base.IsZero() {
		base = testEpoch
	}
	return base.Add(time.Duration(c.n.Add(1)) * time.Second)
}

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

func get(t testing.TB, st *store.Store, id string) data.Record {
	t.Helper()
	r, err := st.Get(id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return r
}

// send exports every change of from (since the last bundle for to) and
// merges it into to.
func send(t testing.TB, from, to *store.Store) *Report {
	t.Helper()
	toID, err := to.LaptopID()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	info, err := Export(from, &buf, ExportOptions{To: toID})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	b, err := Read(bytes.NewReader(buf.Bytes()), "")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	rep, err := Merge(context.Background(), to, b, MergeOptions{})
	if err != nil {
		t.Fatalf("merge %s → %s: %v", from.LaptopName(), to.LaptopName(), err)
	}
	if err := MarkSent(from, info); err != nil {
		t.Fatal(err)
	}
	return rep
}

// full is a bundle of the whole registry.
func full(t testing.TB, from *store.Store) *Bundle {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(from, &buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func merge(t testing.TB, st *store.Store, b *Bundle) *Report {
	t.Helper()
	rep, err := Merge(context.Background(), st, b, MergeOptions{})
	if err != nil {
		t.Fatalf("merge into %s: %v", st.LaptopName(), err)
	}
	return rep
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

// registry is a laptop's whole registry as text: every record of every
// kind, activities and participations too (canon), and every tombstone, by ID.
func registry(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, k := range data.AllKinds {
		if err := st.Each(k, func(r data.Record) error {
			out[r.Base().ID] = canon(r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	_, tombs, _, err := st.Changes("", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tombs {
		out[tb.ID] = "erased " + string(tb.Kind)
	}
	return out
}

// versions is a laptop's registry with, for a record in conflict, every
// version it holds (ours and set aside) as a set: what two laptops that
// merged the same bundles in different orders must agree on before anyone
// resolves anything.
func versions(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	out := registry(t, st)
	cs, err := st.Conflicts()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		var vs []string
		for _, r := range c.Versions() {
			vs = append(vs, canon(r))
		}
		sort.Strings(vs)
		out[c.ID] = strings.Join(vs, "\n")
	}
	return out
}

func diffRegistries(a, b map[string]string) string {
	var out []string
	for id, va := range a {
		if vb, ok := b[id]; !ok {
			out = append(out, fmt.Sprintf("%s only in the first: %.200s", id, va))
		} else if va != vb {
			out = append(out, fmt.Sprintf("%s differs:\n  %s\n  %s", id, va, vb))
		}
	}
	for id, vb := range b {
		if _, ok := a[id]; !ok {
			out = append(out, fmt.Sprintf("%s only in the second: %.200s", id, vb))
		}
	}
	sort.Strings(out)
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("… and %d more", len(out)-10))
	}
	return strings.Join(out, "\n")
}

// resolveAll resolves every conflict of a laptop the same way any laptop
// would: the version with the greatest content wins. It checks that every
// version not kept is then in the record's history, and returns them.
func resolveAll(t testing.TB, st *store.Store) (losers map[string][]string) {
	t.Helper()
	cs, err := ListConflicts(st)
	if err != nil {
		t.Fatal(err)
	}
	losers = map[string][]string{}
	for _, c := range cs {
		best := 0
		vs := c.Versions()
		for i, v := range vs {
			if bytes.Compare(contentOf(v), contentOf(vs[best])) > 0 {
				best = i
			}
		}
		chosen, err := Take(c, best)
		if err != nil {
			t.Fatal(err)
		}
		if err := ResolveConflict(context.Background(), st, c.ID, chosen); err != nil {
			t.Fatalf("resolve %s on %s: %v", c.ID, st.LaptopName(), err)
		}
		for i, v := range vs {
			if i != best && !bytes.Equal(contentOf(v), contentOf(vs[best])) {
				losers[c.ID] = append(losers[c.ID], string(contentOf(v)))
			}
		}
		checkKept(t, st, c.ID, losers[c.ID])
	}
	return losers
}

// checkKept fails unless every content in want is a past version of id.
func checkKept(t testing.TB, st *store.Store, id string, want []string) {
	t.Helper()
	if len(want) == 0 {
		return
	}
	past, err := st.PastVersions(id)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range past {
		have[string(contentOf(r))] = true
	}
	for _, w := range want {
		if !have[w] {
			t.Fatalf("%s: a losing version is not in the history of %s:\n%s", st.LaptopName(), id, w)
		}
	}
}

func auditLen(t testing.TB, st *store.Store) int {
	t.Helper()
	log, err := st.AuditLog(0)
	if err != nil {
		t.Fatal(err)
	}
	return len(log)
}
