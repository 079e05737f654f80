package bundle

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"registar/data"
	"registar/data/demo"
	"registar/data/store"
)

// The target: export and merge of a bundle of 20,000 changed
// records in at most 5 s each. Registries are on disk, as on a laptop.
// Figures and commands: docs/bench-bundle.md.
//
//	CGO_ENABLED=0 go test -run XXX -bench . -benchtime 3x ./data/bundle

const benchRecords = 20000

// demoOptions give benchRecords records: persons, businesses, organisations
// and the localities they live in.
func demoOptions() demo.Options {
	opt := demo.Options{Persons: 18000, Businesses: 900, Organisations: 180, Seed: 5}
	for demo.Count(opt) < benchRecords {
		opt.Persons++
	}
	return opt
}

// benchStore opens a registry on disk filled with the demo records.
func benchStore(b *testing.B, dir string) *store.Store { return benchStoreT(b, dir) }

func benchStoreT(b testing.TB, dir string) *store.Store {
	b.Helper()
	st, err := store.Open(dir, store.Options{User: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	var recs []data.Record
	if err := demo.Generate(demoOptions(), func(r data.Record) error { recs = append(recs, r); return nil }); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Apply(context.Background(), store.Step{Action: "demo", Source: data.SourceDemo}, recs, nil); err != nil {
		b.Fatal(err)
	}
	return st
}

func exportTo(b *testing.B, st *store.Store, path, pass string) Info {
	b.Helper()
	info, err := ExportFile(st, path, ExportOptions{Passphrase: pass})
	if err != nil {
		b.Fatal(err)
	}
	return info
}

func BenchmarkExport20k(b *testing.B) {
	for _, pass := range []string{"", "ljeto u Cazinu"} {
		name := "plain"
		if pass != "" {
			name = "sealed"
		}
		b.Run(name, func(b *testing.B) {
			st := benchStore(b, filepath.Join(b.TempDir(), "db"))
			defer st.Close()
			out := filepath.Join(b.TempDir(), "office.bundle")
			b.ResetTimer()
			cpu := cpuTime()
			for range b.N {
				if info := exportTo(b, st, out, pass); info.RecordCount < benchRecords {
					b.Fatalf("%d records", info.RecordCount)
				}
			}
			b.StopTimer()
			reportCPU(b, cpuTime()-cpu)
			if fi, err := os.Stat(out); err == nil {
				b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
			}
		})
	}
}

// Merging 20,000 records new to the registry: read and check the file,
// plan, write the step, look for duplicates.
func BenchmarkMerge20kNew(b *testing.B) {
	src := benchStore(b, filepath.Join(b.TempDir(), "src"))
	file := filepath.Join(b.TempDir(), "office.bundle")
	exportTo(b, src, file, "")
	src.Close()
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dst, err := store.Open(filepath.Join(b.TempDir(), "dst"), store.Options{User: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := cpuTime()
		bu, err := ReadFile(file, "")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Merge(context.Background(), dst, bu, MergeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - cpu0
		b.StopTimer()
		if len(rep.Added) < benchRecords {
			b.Fatalf("added %d", len(rep.Added))
		}
		dst.Close()
		b.StartTimer()
	}
	reportCPU(b, cpu)
}

// Merging 20,000 newer versions of records the registry has: every record
// of the bundle is an update (and a tenth of them conflicts).
func BenchmarkMerge20kUpdates(b *testing.B) {
	src := benchStore(b, filepath.Join(b.TempDir(), "src"))
	base := filepath.Join(b.TempDir(), "base")
	first := filepath.Join(b.TempDir(), "first.bundle")
	exportTo(b, src, first, "")
	dst, err := store.Open(base, store.Options{User: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	bu, err := ReadFile(first, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Merge(context.Background(), dst, bu, MergeOptions{}); err != nil {
		b.Fatal(err)
	}
	// Every record changes on the source; one in ten on the target too.
	var srcEdits, dstEdits []data.Record
	for _, k := range data.Kinds {
		src.Each(k, func(r data.Record) error {
			touch(r, "source")
			srcEdits = append(srcEdits, r)
			return nil
		})
		n := 0
		dst.Each(k, func(r data.Record) error {
			if n++; n%10 == 0 {
				touch(r, "target")
				dstEdits = append(dstEdits, r)
			}
			return nil
		})
	}
	if _, err := src.Apply(context.Background(), store.Step{Action: "edit"}, srcEdits, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := dst.Apply(context.Background(), store.Step{Action: "edit"}, dstEdits, nil); err != nil {
		b.Fatal(err)
	}
	dst.Close()
	file := filepath.Join(b.TempDir(), "second.bundle")
	exportTo(b, src, file, "")
	src.Close()
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "dst")
		copyTree(b, base, dir)
		dst, err := store.Open(dir, store.Options{User: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := cpuTime()
		bu, err := ReadFile(file, "")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Merge(context.Background(), dst, bu, MergeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - cpu0
		b.StopTimer()
		if len(rep.Updated)+len(rep.Conflicts) < benchRecords || len(rep.Conflicts) == 0 {
			b.Fatalf("merge: %v", rep.Counts())
		}
		dst.Close()
		b.StartTimer()
	}
	reportCPU(b, cpu)
}

// reportCPU adds the CPU seconds per operation: on a busy machine the
// wall time grows, the CPU time much less.
func reportCPU(b *testing.B, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
}

func touch(r data.Record, what string) {
	switch v := r.(type) {
	case *data.Person:
		v.Notes = "changed on the " + what
	case *data.Business:
		v.Notes = "changed on the " + what
	case *data.Organisation:
		v.Notes = "changed on the " + what
	case *data.Locality:
		v.CouncilContact = "changed on the " + what
	}
}

func copyTree(b *testing.B, from, to string) {
	b.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		b.Fatal(err)
	}
}
