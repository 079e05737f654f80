package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"reflect"
	"slices"
	"testing"

	"registar/data"
	"registar/data/demo"
	"registar/data/search"
	"registar/data/store"
)

// demoLaptop is a registry of n demo persons (with their businesses,
// organisations and localities), one person trashed, one erased and one
// tombstone brought from another laptop.
func demoLaptop(t testing.TB, c *clock, name string, n int) *store.Store {
	t.Helper()
	st := laptop(t, c, name)
	var recs []data.Record
	err := demo.Generate(demo.Options{Persons: n, Businesses: n / 10, Organisations: n / 20, Seed: 18, Now: testEpoch},
		func(r data.Record) error { recs = append(recs, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		t.Fatal(err)
	}
	var persons []string
	for _, r := range recs {
		if data.KindOf(r) == data.KindPerson {
			persons = append(persons, r.Base().ID)
		}
	}
	if err := st.Trash(persons[1]); err != nil {
		t.Fatal(err)
	}
	if err := st.Erase(persons[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyTombstones([]store.Tombstone{{ID: "0190f0a0-0000-7000-8000-000000000001", Kind: data.KindPerson, Time: testEpoch}}); err != nil {
		t.Fatal(err)
	}
	return st
}

// A bundle of the whole registry is streamed from the store record by
// record; it must carry exactly what the in-memory way (Changes) gathers:
// the same records with the same version vectors, trashed ones included,
// and the same tombstones, with the counts in its header.
func TestExportWholeRegistryStreamsWhatChangesGathers(t *testing.T) {
	defer func(n int) { streamAbove = n }(streamAbove)
	streamAbove = 0
	c := &clock{}
	st := demoLaptop(t, c, "Office", 400)
	want, err := collect(st, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pass := range []string{"", "tajna lozinka"} {
		var buf bytes.Buffer
		info, err := Export(st, &buf, ExportOptions{Passphrase: pass, kdfMemKiB: 8 << 10})
		if err != nil {
			t.Fatal(err)
		}
		if info.RecordCount != len(want.Records) || info.TombstoneCount != 2 || len(want.Tombstones) != 2 {
			t.Fatalf("counts: info %d records %d tombstones, Changes %d and %d", info.RecordCount, info.TombstoneCount,
				len(want.Records), len(want.Tombstones))
		}
		got, err := Read(bytes.NewReader(buf.Bytes()), pass)
		if err != nil {
			t.Fatalf("passphrase %q: %v", pass, err)
		}
		if got.Encrypted != (pass != "") {
			t.Fatalf("encrypted: %v", got.Encrypted)
		}
		byID := map[string][]byte{}
		for _, r := range want.Records {
			b, _ := data.Encode(r)
			byID[r.Base().ID] = b
		}
		trashed := 0
		for _, r := range got.Records {
			b, _ := data.Encode(r)
			if w, ok := byID[r.Base().ID]; !ok || !bytes.Equal(b, w) {
				t.Fatalf("record %s differs from what Changes gives:\n got %s\nwant %s", r.Base().ID, b, w)
			}
			delete(byID, r.Base().ID)
			if r.Base().Trashed() {
				trashed++
			}
		}
		if len(byID) != 0 || trashed != 1 {
			t.Fatalf("%d records of Changes missing from the stream, %d trashed", len(byID), trashed)
		}
		if !slices.Equal(got.Tombstones, want.Tombstones) {
			t.Fatalf("tombstones: got %+v, want %+v", got.Tombstones, want.Tombstones)
		}
	}
}

// The records others link to come first in a streamed bundle, so that a
// merge in batches never meets a link to a record it has not written.
func TestStreamedBundleListsLinkedRecordsFirst(t *testing.T) {
	defer func(n int) { streamAbove = n }(streamAbove)
	streamAbove = 0
	c := &clock{}
	st := demoLaptop(t, c, "Office", 200)
	var buf bytes.Buffer
	if _, err := Export(st, &buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range b.Records {
		for _, l := range r.Links() {
			if !seen[l.ID] && l.ID != r.Base().ID {
				// an umbrella organisation may come after its members' link only
				// when it is of the same kind and later in the key order
				if !(l.Kind == data.KindOrganisation && data.KindOf(r) == data.KindOrganisation) {
					t.Fatalf("%s %s links to %s %s before it", data.KindOf(r), r.Title(), l.Kind, l.ID)
				}
			}
		}
		seen[r.Base().ID] = true
	}
}

// snapshot is every record of a registry, encoded, by ID.
func snapshot(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, k := range data.Kinds {
		err := st.Each(k, func(r data.Record) error {
			b, err := data.Encode(r)
			out[r.Base().ID] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// A bundle bigger than a batch is merged from its file batch by batch, and
// gives the registry, the counts and the duplicates the merge in one step
// gives; each batch is a step of its own, undone one by one.
func TestMergeFileInBatchesGivesWhatOneStepGives(t *testing.T) {
	defer func(n int) { streamAbove = n }(streamAbove)
	defer func(n int) { bulkMergeAbove = n }(bulkMergeAbove)
	for _, bulk := range []bool{false, true} {
		// In the store's bulk mode (a bundle of a whole registry) the
		// index is rebuilt from the records at the end: the same outcome.
		bulkMergeAbove = map[bool]int{false: 1 << 30, true: 0}[bulk]
		for _, above := range []int{0, 1 << 30} {
			// 0: streamed, linked records first; else gathered by Changes, in
			// key order (businesses before their owners), as older Registars
			// wrote every bundle.
			streamAbove = above
			t.Run(map[int]string{0: "streamed"}[above]+map[bool]string{true: "in key order"}[above > 0]+map[bool]string{true: " in bulk"}[bulk], mergeFileInBatches)
		}
	}
}

func mergeFileInBatches(t *testing.T) {
	c := &clock{}
	office := demoLaptop(t, c, "Office", 300)
	// The same person registered twice: the copy comes late in the bundle,
	// in another batch than the first.
	twin := person("Đorđe", "Petrović")
	save(t, office, twin)
	copyOf := person("Djordje", "Petrovic")
	save(t, office, copyOf)
	path := t.TempDir() + "/all.registar"
	if _, err := ExportFile(office, path, ExportOptions{}); err != nil {
		t.Fatal(err)
	}

	oneStep := laptop(t, c, "One step")
	b, err := ReadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Merge(context.Background(), oneStep, b, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// A batch ends with the first of the twins.
	at := slices.IndexFunc(b.Records, func(r data.Record) bool { return r.Base().ID == twin.ID })
	if other := slices.IndexFunc(b.Records, func(r data.Record) bool { return r.Base().ID == copyOf.ID }); at < 0 || other != at+1 {
		t.Fatalf("twins at %d and %d", at, other)
	}
	defer SetMergeBatch(at + 1)()
	batched := laptop(t, c, "Batched")
	var calls, last int
	got, err := MergeFile(context.Background(), batched, path, "", MergeOptions{Progress: func(done, total int) {
		calls++
		if done < last || total != b.RecordCount {
			t.Fatalf("progress %d / %d after %d", done, total, last)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != b.RecordCount || calls == 0 {
		t.Fatalf("progress ended at %d of %d", last, b.RecordCount)
	}
	if batched.InBulk() {
		t.Fatal("the store is left in bulk mode")
	}
	if wc, gc := oneStep.Counts(), batched.Counts(); !maps.Equal(wc, gc) {
		t.Fatalf("index counts: batched %v, one step %v", gc, wc)
	}
	if q := (search.Query{Text: "petrovic"}); oneStep.Search(q).Total != batched.Search(q).Total {
		t.Fatalf("search after the batched merge finds %d, after one step %d", batched.Search(q).Total, oneStep.Search(q).Total)
	}
	if wc, gc := want.Counts(), got.Counts(); !maps.Equal(wc, gc) {
		t.Fatalf("counts: batched %v, one step %v", gc, wc)
	}
	if len(got.Duplicates) != 1 || len(want.Duplicates) != 1 || got.Duplicates[0].Keep != want.Duplicates[0].Keep ||
		got.Duplicates[0].Drop != want.Duplicates[0].Drop {
		t.Fatalf("duplicates: batched %+v, one step %+v", got.Duplicates, want.Duplicates)
	}
	// In key order the businesses wait for their owners: one step more.
	if n := (b.RecordCount + mergeBatch - 1) / mergeBatch; len(got.Steps) < n || len(got.Steps) > n+1 ||
		got.Step != got.Steps[len(got.Steps)-1] {
		t.Fatalf("%d steps (last %q), want %d", len(got.Steps), got.Step, n)
	}
	ws, gs := snapshot(t, oneStep), snapshot(t, batched)
	if len(gs) != len(ws) {
		t.Fatalf("%d records after the batched merge, %d after one step", len(gs), len(ws))
	}
	for id, w := range ws {
		var a, b map[string]any
		json.Unmarshal([]byte(w), &a)
		json.Unmarshal([]byte(gs[id]), &b)
		for _, m := range []map[string]any{a, b} {
			delete(m, "updated_at") // the store stamps nothing else differently
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("record %s:\nbatched  %s\none step %s", id, gs[id], w)
		}
	}
	for i := len(got.Steps) - 1; i >= 0; i-- {
		if _, err := batched.Undo(context.Background(), got.Steps[i]); err != nil {
			t.Fatalf("undo step %d: %v", i, err)
		}
	}
	if c := batched.Counts(); c[data.KindPerson]+c[data.KindBusiness]+c[data.KindOrganisation]+c[data.KindLocality] != 0 {
		t.Fatalf("after undoing every step: %v", c)
	}
}

// A damaged bundle too big for one step changes nothing: it is checked
// whole before the first batch is written.
func TestMergeFileInBatchesRefusesADamagedFileBeforeWriting(t *testing.T) {
	c := &clock{}
	office := demoLaptop(t, c, "Office", 150)
	path := t.TempDir() + "/all.registar"
	if _, err := ExportFile(office, path, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-40] ^= 0x55 // in the last frame: the first batches read well
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	defer SetMergeBatch(50)()
	fresh := laptop(t, c, "Fresh")
	_, err = MergeFile(context.Background(), fresh, path, "", MergeOptions{})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("err = %v, want ErrDamaged", err)
	}
	if n := len(snapshot(t, fresh)); n != 0 {
		t.Fatalf("%d records written from a damaged bundle", n)
	}
}

// A dry run of a bundle merged in batches reports what the merge would do
// and writes nothing.
func TestMergeFileInBatchesDryRun(t *testing.T) {
	c := &clock{}
	office := demoLaptop(t, c, "Office", 200)
	path := t.TempDir() + "/all.registar"
	if _, err := ExportFile(office, path, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	fresh := laptop(t, c, "Fresh")
	want, err := Preview(fresh, b)
	if err != nil {
		t.Fatal(err)
	}
	defer SetMergeBatch(40)()
	got, err := MergeFile(context.Background(), fresh, path, "", MergeOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.DryRun || !maps.Equal(got.Counts(), want.Counts()) || len(got.Steps) != 0 {
		t.Fatalf("dry run in batches: %v (steps %v), in one: %v", got.Counts(), got.Steps, want.Counts())
	}
	if n := len(snapshot(t, fresh)); n != 0 {
		t.Fatalf("a dry run wrote %d records", n)
	}
}
