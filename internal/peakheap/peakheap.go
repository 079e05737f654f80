// Package peakheap writes a heap profile at a process's largest heap, for
// `go tool pprof` when a peak in docs/benchmarks.md moves. The CLI and the
// desktop app turn it on with REGISTAR_MEMPROFILE=FILE.
package peakheap

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Profile writes a heap profile to path whenever the heap in use is the
// largest seen so far (sampled every second); the returned function stops
// it. An empty path does nothing.
func Profile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		var peak uint64
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse <= peak {
				continue
			}
			peak = ms.HeapInuse
			if f, err := os.Create(path); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}()
	return func() { close(done); <-ended }
}
