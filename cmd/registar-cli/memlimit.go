package main

import (
	"os"
	"runtime/debug"

	"registar/internal/peakheap"
)

// batchMemoryLimit is the Go heap a batch command (demo, import, export,
// bundle, report) aims to stay under, so that with Badger's caches and the
// mapped search snapshot the whole process stays under 1 GB at 1,000,000
// persons (issue 18). It is a soft limit: the garbage collector works
// harder near it, it never fails an allocation.
const batchMemoryLimit = 640 << 20

// limitMemory sets batchMemoryLimit until the returned function restores
// the limit before (the CLI's tests run commands in one process), unless the
// user chose a limit of their own with GOMEMLIMIT.
//
// REGISTAR_MEMPROFILE=FILE writes a heap profile of the batch command at
// its largest heap (sampled every second), for `go tool pprof` when a peak
// in docs/benchmarks.md moves.
func limitMemory(getenv func(string) string) (restore func()) {
	if getenv == nil {
		getenv = os.Getenv
	}
	stopProfile := peakheap.Profile(getenv("REGISTAR_MEMPROFILE"))
	if getenv("GOMEMLIMIT") != "" {
		return stopProfile
	}
	before := debug.SetMemoryLimit(batchMemoryLimit)
	return func() { stopProfile(); debug.SetMemoryLimit(before) }
}
