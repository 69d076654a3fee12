package validate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/load"
)

// xmlResults are two files: one with hostile text in its name and messages, one clean.
func xmlResults() []FileResult {
	return []FileResult{
		{File: "dir/a\x1b[31m\u202e.asl.json", Diagnostics: []Diagnostic{
			{Rule: "next-target-exists", Severity: Error, Code: "MISSING_TRANSITION_TARGET", Location: "/States/A/Next",
				Message: "Missing 'Next' target: <x>&\"]]>\x01\xff\u202e", Pos: load.Pos{Line: 4, Col: 35}},
			{Rule: "choice-without-default", Severity: Warning, Code: "SFN", Location: "/States/C", Message: "no Default", Pos: load.Pos{Line: 9, Col: 5}},
			{Rule: "info-rule", Severity: Info, Code: "SFN", Location: "/", Message: "note", Pos: load.Pos{Line: 1, Col: 1}},
		}},
		{File: "b.asl.json"},
	}
}

// formatXML writes the results in format and checks that the output is well-formed XML of valid
// UTF-8 with no control characters.
func formatXML(t *testing.T, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	f, err := NewFormatter(format, &b, FormatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range xmlResults() {
		if err := f.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) || !utf8.Valid(out) {
		t.Errorf("%s: no XML declaration or invalid UTF-8:\n%s", format, out)
	}
	for _, c := range out {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' {
			t.Errorf("%s: control character %#x in output", format, c)
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed: %v\n%s", format, err, out)
		}
	}
	return out
}

// TestFormatJUnit: the attributes GitLab's and Jenkins's JUnit parsers read (testsuite name,
// testcase name/classname/file/time, failure message/type) and the counts.
func TestFormatJUnit(t *testing.T) {
	out := formatXML(t, "junit")
	var doc JUnitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 4 || doc.Failures != 3 || len(doc.Suites) != 2 {
		t.Fatalf("tests %d failures %d suites %d\n%s", doc.Tests, doc.Failures, len(doc.Suites), out)
	}
	a, b := doc.Suites[0], doc.Suites[1]
	if a.Name != `dir/a\x1b[31m\u202e.asl.json` || a.Tests != 3 || a.Failures != 3 {
		t.Errorf("suite a: %+v", a)
	}
	c := a.Cases[0]
	if c.Name != "4:35 next-target-exists" || c.ClassName != a.Name || c.File != a.Name || c.Time != "0" ||
		c.Failure == nil || c.Failure.Type != "error" || !strings.HasPrefix(c.Failure.Message, "Missing 'Next' target: <x>&\"]]>\\x01") ||
		!strings.Contains(c.Failure.Text, ":4:35: error: Missing") || !strings.Contains(c.Failure.Text, "at /States/A/Next (MISSING_TRANSITION_TARGET)") {
		t.Errorf("case: %+v", c)
	}
	if a.Cases[1].Failure.Type != "warning" || a.Cases[2].Failure.Type != "info" {
		t.Errorf("severities: %+v", a.Cases)
	}
	if b.Name != "b.asl.json" || b.Tests != 1 || b.Failures != 0 || len(b.Cases) != 1 || b.Cases[0].Failure != nil || b.Cases[0].File != "b.asl.json" {
		t.Errorf("clean suite: %+v", b)
	}
}

// TestFormatCheckstyle: checkstyle 4.3 shape; every file listed, clean ones without errors.
func TestFormatCheckstyle(t *testing.T) {
	out := formatXML(t, "checkstyle")
	var doc CheckstyleReport
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "4.3" || len(doc.Files) != 2 || len(doc.Files[0].Errors) != 3 || len(doc.Files[1].Errors) != 0 {
		t.Fatalf("shape:\n%s", out)
	}
	e := doc.Files[0].Errors[0]
	if e.Line != 4 || e.Column != 35 || e.Severity != "error" || e.Source != "sfn.next-target-exists" ||
		!strings.HasSuffix(e.Message, "[next-target-exists]") || !strings.Contains(e.Message, `<x>&"]]>`) {
		t.Errorf("error: %+v", e)
	}
	if doc.Files[0].Errors[1].Severity != "warning" || doc.Files[0].Errors[2].Severity != "info" {
		t.Errorf("severities: %+v", doc.Files[0].Errors)
	}
}

// TestFormatXMLEmpty: no file at all still gives a well-formed document.
func TestFormatXMLEmpty(t *testing.T) {
	for _, format := range []string{"junit", "checkstyle"} {
		var b bytes.Buffer
		f, _ := NewFormatter(format, &b, FormatOptions{})
		if err := f.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(b.Bytes(), new(struct{})); err != nil {
			t.Errorf("%s: %v\n%s", format, err, b.String())
		}
	}
}
