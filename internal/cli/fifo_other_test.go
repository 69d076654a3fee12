//go:build !unix

package cli_test

import "errors"

func mkfifo(path string) error { return errors.ErrUnsupported }
