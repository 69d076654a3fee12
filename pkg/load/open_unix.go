//go:build unix

package load

import (
	"os"
	"syscall"
)

// openNonBlocking opens a file for reading without blocking on a FIFO swapped in after the check.
func openNonBlocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
