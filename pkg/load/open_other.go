//go:build !unix

package load

import "os"

// openNonBlocking opens a file for reading.
func openNonBlocking(name string) (*os.File, error) {
	return os.Open(name)
}
