//go:build unix

package store

import (
	"path/filepath"
	"syscall"
)

// freeDisk is the space an unprivileged writer has left on the file
// system that holds path; ok is false when it cannot be told.
func freeDisk(path string) (free uint64, ok bool) {
	if path == "" {
		return 0, false
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
