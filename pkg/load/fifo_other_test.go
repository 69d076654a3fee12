//go:build !unix

package load

import "errors"

func mkfifo(path string) error { return errors.ErrUnsupported }
