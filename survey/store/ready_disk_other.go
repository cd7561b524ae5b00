//go:build !unix

package survey

// freeDisk cannot tell free space on this system.
func freeDisk(string) (uint64, bool) { return 0, false }
