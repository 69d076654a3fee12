package validate

import (
	"fmt"
	"io"
	"strings"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// githubFormatter prints GitHub Actions workflow commands, one per diagnostic:
//
//	::error file=order.asl.json,line=4,col=35,title=next-target-exists::Missing 'Next' target: Nope
//
// Errors are ::error, warnings ::warning and infos ::notice. Control characters are first
// made visible (safetext: no ESC for the log viewer, no line break that starts a forged command),
// then values are escaped as actions/toolkit's command.ts does (% CR LF in the message; also :
// and , in properties).
type githubFormatter struct{ w io.Writer }

func newGitHubFormatter(w io.Writer, _ FormatOptions) Formatter { return &githubFormatter{w: w} }

func (f *githubFormatter) Write(r FileResult) error {
	var b strings.Builder
	for _, d := range r.Diagnostics {
		cmd := "error"
		switch d.Severity {
		case Warning:
			cmd = "warning"
		case Info:
			cmd = "notice"
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", cmd,
			escapeProperty(r.File), d.Pos.Line, d.Pos.Col, escapeProperty(d.Rule), escapeData(d.Message))
	}
	_, err := io.WriteString(f.w, b.String())
	return err
}

func (f *githubFormatter) Flush() error { return nil }

var dataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

var propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

// escapeData escapes the message of a workflow command.
func escapeData(s string) string { return dataEscaper.Replace(safetext.Escape(s)) }

// escapeProperty escapes a property value (file=, title=) of a workflow command.
func escapeProperty(s string) string { return propertyEscaper.Replace(safetext.Escape(s)) }
