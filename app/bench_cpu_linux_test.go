package app

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling thread has used (user and system),
// so that a timing run on a busy machine can tell work from waiting for a
// core. The caller locks its goroutine to its thread.
func threadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
