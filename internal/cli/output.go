package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/sfn-tool/sfn/internal/atomicfile"
)

// writeResult writes data to standard output when out is "" or "-", else replaces the file out
// atomically (a new file gets mode 0644; on failure an existing file is left intact).
func writeResult(stdout io.Writer, out string, data []byte) error {
	if out == "" || out == "-" {
		if _, err := stdout.Write(data); err != nil {
			return stdoutError(err)
		}
		return nil
	}
	return writeFile(out, data, 0o644)
}

// writeFile replaces the file name atomically; a failure is an exit-3 error naming the file.
func writeFile(name string, data []byte, perm fs.FileMode) error {
	if err := atomicfile.WriteFile(name, data, perm); err != nil {
		return &exitError{code: exitIO, err: &pathError{name, err}}
	}
	return nil
}

// stdoutError is a failed write to standard output (a full disk, a closed pipe): exit 3 with a
// message that names the output, "writing to standard output: no space left on device".
func stdoutError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &exitError{code: exitIO, err: fmt.Errorf("writing to standard output: %w", err)}
}
