package sync

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"registar/data"
	"registar/data/demo"
	"registar/data/store"
)

// The target: three laptops with 1,000 changes each converge in at
// most three rounds each.
func TestThousandChangesEachConvergeInThreeRounds(t *testing.T) {
	if testing.Short() {
		t.Skip("3,000 records")
	}
	sts, fs, _ := sharedFolder(t, "Office", "Amra", "Edin")
	for _, st := range sts {
		var recs []data.Record
		for n := 0; n < 1000; n++ {
			recs = append(recs, person(fmt.Sprintf("%s%d", st.LaptopName(), n), "Hodžić"))
		}
		if _, err := st.Apply(context.Background(), store.Step{Action: "import", Source: data.SourceImport}, recs, nil); err != nil {
			t.Fatal(err)
		}
	}
	settled := 0
	for r := 1; r <= 3; r++ {
		changed := false
		for _, f := range fs {
			changed = round(t, f).Changed() || changed
		}
		if !changed {
			break
		}
		settled = r
	}
	sameRegistries(t, sts...)
	if n := len(registry(t, sts[0])); n != 3000 {
		t.Fatalf("%d records", n)
	}
	t.Logf("converged after %d rounds", settled)
}

// A round with nothing new at 100,000 persons (target ≤ 50 ms), on disk.
//
//	CGO_ENABLED=0 go test -run XXX -bench RoundNothingNew -benchtime 20x ./data/sync
func BenchmarkRoundNothingNew(b *testing.B) {
	dir := b.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{User: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var recs []data.Record
	if err := demo.Generate(demo.Options{Persons: 100000, Businesses: 2000, Organisations: 300, Seed: 5},
		func(r data.Record) error { recs = append(recs, r); return nil }); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		b.Fatal(err)
	}
	recs = nil
	folder := filepath.Join(dir, "folder")
	f := New(st, folder)
	mkdir(b, folder)
	if _, err := f.Round(context.Background()); err != nil { // the first file: everything
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		sum, err := f.Round(context.Background())
		if err != nil || sum.Changed() {
			b.Fatal(err, sum)
		}
	}
}
