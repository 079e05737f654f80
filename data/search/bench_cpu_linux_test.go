package search

import "syscall"

// threadCPU is the CPU time the calling OS thread has used, in ns: on a VM
// shared with other builds it measures the work, not the wait for a core.
// -1 where it cannot be read.
func threadCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru) != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
