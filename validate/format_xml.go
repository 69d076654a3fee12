package validate

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// The XML formats for CI servers: JUnit (GitLab's test reports, Jenkins's junit step) and
// Checkstyle (Jenkins's Warnings Next Generation, GitLab through a converter, reviewdog).
// Text from the files checked is escaped for people (safetext) and for XML (encoding/xml, which
// also replaces the characters XML 1.0 cannot hold).

// JUnitSuites is the document written by --format junit: one testsuite per file checked, one
// failing testcase per diagnostic (its type the severity, as ESLint's JUnit output does), and one
// passing testcase for a file without diagnostics, so that every file checked is counted.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is the result for one file.
type JUnitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []JUnitCase `xml:"testcase"`
}

// JUnitCase is one diagnostic ("line:col rule-id"), or the clean file itself.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *JUnitFailure `xml:"failure"`
}

// JUnitFailure describes a diagnostic: message is one line, the body the full position.
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitFormatter struct {
	w   io.Writer
	doc JUnitSuites
}

func newJUnitFormatter(w io.Writer, _ FormatOptions) Formatter {
	return &junitFormatter{w: w, doc: JUnitSuites{Name: "sfn validate", Suites: []JUnitSuite{}}}
}

func (f *junitFormatter) Write(r FileResult) error {
	file := safetext.Escape(r.File)
	s := JUnitSuite{Name: file}
	for _, d := range r.Diagnostics {
		msg := safetext.Escape(d.Message)
		s.Cases = append(s.Cases, JUnitCase{
			Name:      fmt.Sprintf("%d:%d %s", d.Pos.Line, d.Pos.Col, d.Rule),
			ClassName: file, File: file, Time: "0",
			Failure: &JUnitFailure{
				Message: msg, Type: d.Severity.String(),
				Text: fmt.Sprintf("%s:%d:%d: %s: %s [%s] at %s (%s)", file, d.Pos.Line, d.Pos.Col, d.Severity, msg, d.Rule, safetext.Escape(d.Location), d.Code),
			},
		})
		s.Failures++
	}
	if len(s.Cases) == 0 {
		s.Cases = []JUnitCase{{Name: "valid", ClassName: file, File: file, Time: "0"}}
	}
	s.Tests = len(s.Cases)
	f.doc.Tests += s.Tests
	f.doc.Failures += s.Failures
	f.doc.Suites = append(f.doc.Suites, s)
	return nil
}

func (f *junitFormatter) Flush() error { return writeXML(f.w, f.doc) }

// CheckstyleReport is the document written by --format checkstyle.
type CheckstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []CheckstyleFile `xml:"file"`
}

// CheckstyleFile lists the diagnostics of one file (a clean file is listed without any).
type CheckstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []CheckstyleError `xml:"error"`
}

// CheckstyleError is one diagnostic; Source is "sfn.<rule-id>".
type CheckstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr"`
	Severity string `xml:"severity,attr"` // error, warning or info
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

type checkstyleFormatter struct {
	w   io.Writer
	doc CheckstyleReport
}

func newCheckstyleFormatter(w io.Writer, _ FormatOptions) Formatter {
	return &checkstyleFormatter{w: w, doc: CheckstyleReport{Version: "4.3"}}
}

func (f *checkstyleFormatter) Write(r FileResult) error {
	cf := CheckstyleFile{Name: safetext.Escape(r.File)}
	for _, d := range r.Diagnostics {
		cf.Errors = append(cf.Errors, CheckstyleError{
			Line: d.Pos.Line, Column: d.Pos.Col, Severity: d.Severity.String(),
			Message: safetext.Escape(d.Message) + " [" + d.Rule + "]", Source: "sfn." + d.Rule,
		})
	}
	f.doc.Files = append(f.doc.Files, cf)
	return nil
}

func (f *checkstyleFormatter) Flush() error { return writeXML(f.w, f.doc) }

// writeXML writes an indented XML document with its declaration.
func writeXML(w io.Writer, v any) error {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+string(out)+"\n")
	return err
}
