package store

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkRebuild100k: the first open of 100,000 persons without a saved
// index (after a restore): every record read and the snapshot written from
// them. Reports the heap's peak as the runtime saw it.
func BenchmarkRebuild100k(b *testing.B) { benchRebuild(b, 100000) }

// BenchmarkRebuild20k: the same with 20,000 persons.
func BenchmarkRebuild20k(b *testing.B) { benchRebuild(b, 20000) }

// BenchmarkRebuildDir rebuilds the index of the registry in
// $REGISTAR_REBUILD_DIR (a copy is made; `make bench-scale`'s demo
// registries, say), to profile a rebuild at scale.
func BenchmarkRebuildDir(b *testing.B) {
	src := os.Getenv("REGISTAR_REBUILD_DIR")
	if src == "" {
		b.Skip("REGISTAR_REBUILD_DIR is not set")
	}
	rebuildLoop(b, src)
}

func benchRebuild(b *testing.B, persons int) { rebuildLoop(b, benchStore(b, persons)) }

func rebuildLoop(b *testing.B, dir string) {
	for b.Loop() {
		b.StopTimer()
		files, _ := filepath.Glob(filepath.Join(dir, snapshotPrefix+"*"))
		for _, f := range files {
			if err := os.Remove(f); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if s.indexFrom != "records" {
			b.Fatalf("index from %s", s.indexFrom)
		}
		b.StopTimer()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapSys)/(1<<20), "MB-heap-sys")
		s.Close()
		b.StartTimer()
	}
}
