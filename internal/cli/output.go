package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/sfn-tool/sfn/internal/atomicfile"
	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/run/handler"
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

// printLine writes one line to w, formatted as fmt.Sprintf does, with control characters
// escaped (safetext): arguments such as file and state names come from files sfn reads, and a
// raw ESC or newline in them must not reach a terminal or a CI log (a newline would start a
// forged "file:line:col: error:" line or a "::warning" workflow command).
func printLine(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, safetext.Escape(fmt.Sprintf(format, args...)))
}

// printError prints an error as "sfn: message", escaped as printLine does. Only sfn's own
// line breaks are kept: those of a linesError, and those of a list whose every item is known to
// be one line.
func printError(w io.Writer, err error) {
	var lines []string
	switch e := err.(type) {
	case linesError:
		lines = e
	case *handler.UnresolvedError: // a line per state; a state name with a line break is escaped
		if ls := strings.Split(e.Error(), "\n"); len(ls) == 1+len(e.States) {
			for _, l := range ls {
				lines = append(lines, safetext.Escape(l))
			}
		}
	}
	if lines == nil {
		printLine(w, "sfn: %v", err)
		return
	}
	fmt.Fprintf(w, "sfn: %s\n", strings.Join(lines, "\n"))
}

// commandLineError keeps the lines (and tab indents) of an error of cobra's (an unknown command
// and its suggestions, a wrong number of arguments), escaping what is between them.
func commandLineError(err error) linesError {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\t")
		for j, p := range parts {
			parts[j] = safetext.Escape(p)
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return lines
}

// linesError is an error message of several lines, each built with its untrusted parts escaped.
type linesError []string

func (e linesError) Error() string { return strings.Join(e, "\n") }
