//go:build !unix

package store

// freeDisk cannot tell free space on this system.
func freeDisk(string) (uint64, bool) { return 0, false }
