package store

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"registar/data"
	"registar/data/demo"
	"registar/data/search"
)

// Benchmarks for docs/benchmarks.md. Demo stores are built once per size
// in a temporary folder (BENCH_DIR to keep them between runs).

var benchDirs sync.Map

func benchStore(b *testing.B, persons int) string {
	b.Helper()
	if d, ok := benchDirs.Load(persons); ok {
		return d.(string)
	}
	root := os.Getenv("BENCH_DIR")
	if root == "" {
		root = os.TempDir()
	}
	dir := filepath.Join(root, "registar-store-bench-"+strconv.Itoa(persons))
	if !IsStore(dir) {
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		var batch []data.Record
		flush := func() error {
			_, err := s.Apply(context.Background(), Step{Action: "demo", Source: data.SourceDemo}, batch, nil)
			batch = batch[:0]
			return err
		}
		err = demo.Generate(demo.Options{Persons: persons, Seed: 1, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, func(r data.Record) error {
			batch = append(batch, r)
			if len(batch) == 20000 {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	benchDirs.Store(persons, dir)
	return dir
}

// BenchmarkOpen20k: open a store of 20,000 persons with the search index ready.
func BenchmarkOpen20k(b *testing.B) { benchOpen(b, 20000) }

// BenchmarkOpen100k: the same with 100,000 persons; reports RSS after open.
func BenchmarkOpen100k(b *testing.B) { benchOpen(b, 100000) }

func benchOpen(b *testing.B, n int) {
	dir := benchStore(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if s.Index().Len() < n {
			b.Fatalf("index has %d docs", s.Index().Len())
		}
		if i == b.N-1 {
			b.StopTimer()
			runtime.GC()
			b.ReportMetric(float64(rssKB())/1024, "MB-RSS")
			b.StartTimer()
		}
		s.Close()
	}
}

// BenchmarkSave: save one new person (validation, audit, index included).
func BenchmarkSave(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "db")
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := &data.Person{GivenName: "Amir", FamilyName: "Hodžić", Country: "DE", BirthDate: data.NewDate(1980, 1, 2), Phone: "+4915112345678"}
		if err := s.Save(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearch100k: one search over 100,000 persons, 50 hits; reports
// the median over a fixed set of realistic prefix queries.
func BenchmarkSearch100k(b *testing.B) {
	s, err := Open(benchStore(b, 100000), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	queries := []string{"hodz", "petrov", "Петр", "djordje", "celik", "amir hod", "krasniq", "berish", "selma", "mujk",
		"jovanov", "ana kov", "gashi", "begic", "dzen", "horvat", "ćeha", "ljilj", "nikola d", "vjosa"}
	var durations []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		t0 := time.Now()
		s.Search(search.Query{Text: q, Limit: 50})
		durations = append(durations, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "µs-median")
}

// rssKB reads the resident set size of this process (Linux).
func rssKB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}
