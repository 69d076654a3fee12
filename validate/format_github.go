package validate

import (
	"fmt"
	"io"
	"strings"
)

// githubFormatter prints GitHub Actions workflow commands, one per diagnostic:
//
//	::error file=order.asl.json,line=4,col=35,title=next-target-exists::Missing 'Next' target: Nope
//
// Errors are ::error, warnings ::warning and infos ::notice. Values are escaped as
// actions/toolkit does (% CR LF in the message; also : and , in properties).
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

func escapeData(s string) string { return dataEscaper.Replace(s) }

func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
