//go:build !linux

package search

// threadCPU is not measured here.
func threadCPU() int64 { return -1 }
