package app

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// KeepHeapLimit sets a soft limit on the Go heap (debug.SetMemoryLimit) and
// raises it while the live heap comes near it. A soft limit under the live
// heap makes the garbage collector run back to back: a registry of
// 1,000,000 persons whose search index has been copied out of its snapshot
// file (the first change in a form does it) held some 700 MB live, and
// under a 768 MiB limit the idle app took 1.6 cores collecting nothing. The
// limit is checked every few seconds: never under base, and a quarter above
// the live heap when that is more (a third let the heap of a million
// persons' list, reloaded after an edit, reach 740 MB: 1,039 MiB resident).
// A limit that another part set for its own work (a whole registry merged,
// the index rebuilt) is left to it until it puts back the one before.
func KeepHeapLimit(base int64) {
	debug.SetMemoryLimit(base)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		set := base
		for range time.Tick(3 * time.Second) {
			metrics.Read(sample)
			if next, ok := nextHeapLimit(base, set, debug.SetMemoryLimit(-1), int64(sample[0].Value.Uint64())); ok {
				debug.SetMemoryLimit(next)
				set = next
			}
		}
	}()
}

// nextHeapLimit is the soft heap limit for a live heap of live bytes, and
// whether to set it: not while the limit now is another than the one last
// set.
func nextHeapLimit(base, set, now, live int64) (int64, bool) {
	next := max(base, live+live/4)
	return next, now == set && next != now
}
