package validate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

func TestFormatCaretIndent(t *testing.T) {
	for _, tc := range []struct {
		what, line string
		col        int
		want       string
	}{
		{"first column", "abc", 1, ""},
		{"ascii", `  "Next": "X"`, 11, strings.Repeat(" ", 10)},
		{"tabs kept", "\t\tx", 3, "\t\t"},
		{"wide characters count double", "日本x", 3, "    "},
		{"column past the end", "ab", 9, "  "},
	} {
		if got := caretIndent(tc.line, tc.col); got != tc.want {
			t.Errorf("%s: caretIndent(%q, %d) = %q, want %q", tc.what, tc.line, tc.col, got, tc.want)
		}
	}
}

func TestFormatSummary(t *testing.T) {
	var c Counts
	c.Add(FileResult{File: "a"})
	if got := c.Summary(); got != "no problems found in 1 file" {
		t.Errorf("clean: %q", got)
	}
	c.Add(FileResult{File: "b", Diagnostics: []Diagnostic{{Severity: Error}, {Severity: Error}, {Severity: Warning}}})
	c.Add(FileResult{File: "c", Diagnostics: []Diagnostic{{Severity: Error}}})
	if got := c.Summary(); got != "3 errors, 1 warning in 2 files" {
		t.Errorf("findings: %q", got)
	}
	c.Add(FileResult{File: "d", Diagnostics: []Diagnostic{{Severity: Info}}})
	if got := c.Summary(); got != "3 errors, 1 warning, 1 info in 3 files" {
		t.Errorf("with info: %q", got)
	}
}

func TestFormatGitHubEscaping(t *testing.T) {
	var b bytes.Buffer
	f, err := NewFormatter("github", &b, FormatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Write(FileResult{File: "dir,x/a:b.json", Diagnostics: []Diagnostic{
		{Rule: "r", Severity: Info, Message: "100% sure\nsecond line", Pos: load.Pos{Line: 2, Col: 3}},
	}})
	_ = f.Flush()
	want := "::notice file=dir%2Cx/a%3Ab.json,line=2,col=3,title=r::100%25 sure%0Asecond line\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestFormatSARIFURI(t *testing.T) {
	for _, tc := range []struct{ file, base, want string }{
		{"samples/order/order.asl.json", "/repo", "samples/order/order.asl.json"},
		{"./a.json", "/repo", "a.json"},
		{"/repo/sub/a b.json", "/repo", "sub/a%20b.json"},
		{"/elsewhere/a.json", "/repo", "file:///elsewhere/a.json"},
		{"<stdin>", "/repo", "stdin"},
	} {
		if got := artifactURI(tc.file, tc.base); got != tc.want {
			t.Errorf("artifactURI(%q, %q) = %q, want %q", tc.file, tc.base, got, tc.want)
		}
	}
}

func TestFormatUnknown(t *testing.T) {
	if _, err := NewFormatter("xml", &bytes.Buffer{}, FormatOptions{}); err == nil || !strings.Contains(err.Error(), "github, json, sarif, text") {
		t.Errorf("want an error listing the formats, got %v", err)
	}
}

func TestFormatTextColor(t *testing.T) {
	d := FileResult{File: "m.json", Source: []byte(`{"a": 1}`), Diagnostics: []Diagnostic{{Rule: "r", Severity: Warning, Message: "m", Pos: load.Pos{Line: 1, Col: 7}}}}
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		f, _ := NewFormatter("text", &b, FormatOptions{Color: color})
		_ = f.Write(d)
		if has := strings.Contains(b.String(), "\x1b["); has != color {
			t.Errorf("color %v: output %q", color, b.String())
		}
		if !color && b.String() != "m.json:1:7: warning: m [r]\n  1 | {\"a\": 1}\n    |       ^\n" {
			t.Errorf("plain output %q", b.String())
		}
	}
}
