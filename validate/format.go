package validate

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// FileResult is the outcome of checking one file, as handed to a Formatter.
type FileResult struct {
	// File is the path as reported: the argument as given, a walked path joined to its
	// directory argument, or the --stdin-filename (default "<stdin>") for standard input.
	File string
	// Source is the file's content, used for snippets; it may be nil.
	Source []byte
	// Diagnostics are the findings, sorted by position.
	Diagnostics []Diagnostic
}

// Counts tallies diagnostics by severity.
type Counts struct {
	Errors, Warnings, Infos int
	// Files is the number of files checked; FilesWithFindings those with at least one diagnostic.
	Files, FilesWithFindings int
}

// Add counts the diagnostics of one checked file.
func (c *Counts) Add(r FileResult) {
	c.Files++
	if len(r.Diagnostics) > 0 {
		c.FilesWithFindings++
	}
	for _, d := range r.Diagnostics {
		switch d.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Info:
			c.Infos++
		}
	}
}

// Summary is the one-line human summary: "2 files checked, no problems", or "4 files checked,
// 2 with problems: 3 errors, 1 warning".
func (c Counts) Summary() string {
	checked := plural(c.Files, "file") + " checked"
	if c.Errors+c.Warnings+c.Infos == 0 {
		return checked + ", no problems"
	}
	parts := []string{plural(c.Errors, "error"), plural(c.Warnings, "warning")}
	if c.Infos > 0 {
		parts = append(parts, plural(c.Infos, "info"))
	}
	return fmt.Sprintf("%s, %d with problems: %s", checked, c.FilesWithFindings, strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Formatter writes results in one output format. Write is called once per checked file, in
// report order; Flush is called once at the end (formats that emit one document write it there).
type Formatter interface {
	Write(r FileResult) error
	Flush() error
}

// FormatOptions configure a Formatter.
type FormatOptions struct {
	// Color enables ANSI colour in the text format.
	Color bool
	// ToolVersion is reported in SARIF's tool.driver.version.
	ToolVersion string
	// Severity overrides rule severities; SARIF uses it for each rule's defaultConfiguration.
	Severity map[string]Severity
	// BaseDir is the directory SARIF artifact URIs are made relative to (the working directory).
	BaseDir string
}

// formats maps each output format name to its constructor.
var formats = map[string]func(w io.Writer, o FormatOptions) Formatter{
	"text":       newTextFormatter,
	"json":       newJSONFormatter,
	"sarif":      newSARIFFormatter,
	"github":     newGitHubFormatter,
	"junit":      newJUnitFormatter,
	"checkstyle": newCheckstyleFormatter,
}

// Formats returns the names of the output formats, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewFormatter returns the formatter named name (one of Formats) writing to w.
func NewFormatter(name string, w io.Writer, o FormatOptions) (Formatter, error) {
	f, ok := formats[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Formats(), ", "))
	}
	return f(w, o), nil
}
