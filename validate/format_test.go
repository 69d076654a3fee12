package validate

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/internal/safetext"
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
		{"escapes count their length", "\x1b[2Jx", 5, strings.Repeat(" ", 7)},
		{"bidi escape", "\u202ex", 2, strings.Repeat(" ", 6)},
		{"invalid UTF-8 byte is one column", "\xffx", 2, strings.Repeat(" ", 4)},
	} {
		if _, got := sourceWindow(tc.line, tc.col); got != tc.want {
			t.Errorf("%s: indent for (%q, %d) = %q, want %q", tc.what, tc.line, tc.col, got, tc.want)
		}
	}
}

// Long lines are shown as a window of 161 characters around the caret, with … where cut (a
// minified 150 KB definition with 2,000 findings printed 420 MB); shorter lines whole.
func TestFormatSourceWindow(t *testing.T) {
	digits := func(n int) string { // "0123456789012..." of n characters
		var b strings.Builder
		for i := range n {
			b.WriteByte(byte('0' + i%10))
		}
		return b.String()
	}
	long := digits(1000)
	for _, tc := range []struct {
		what, line string
		col        int
		shown      string
		indent     int // spaces
	}{
		{"short line whole", "abc", 2, "abc", 1},
		{"a line of 161 characters whole", digits(161), 150, digits(161), 149},
		{"cut after", digits(162), 1, digits(161) + "…", 0},
		{"cut after, long", long, 1, digits(161) + "…", 0},
		{"cut both sides", long, 500, "…" + long[419:580] + "…", 81},
		{"cut before: the window keeps its width", long, 1000, "…" + long[839:], 161},
		{"caret past the end of a long line", long, 5000, "…" + long[839:], 162},
		{"wide characters", strings.Repeat("日", 300), 150, "…" + strings.Repeat("日", 161) + "…", 1 + 160},
	} {
		shown, indent := sourceWindow(tc.line, tc.col)
		if shown != tc.shown {
			t.Errorf("%s: shown %q, want %q", tc.what, shown, tc.shown)
		}
		if indent != strings.Repeat(" ", tc.indent) {
			t.Errorf("%s: indent of %d, want %d", tc.what, len(indent), tc.indent)
		}
		if len(shown) > 2*windowRadius*4+2*len(ellipsis)+4 {
			t.Errorf("%s: window of %d bytes", tc.what, len(shown))
		}
	}
}

// One lineWindows serves columns in any order (sorted is the fast path).
func TestFormatLineWindowsReuse(t *testing.T) {
	line := strings.Repeat("ab日\tc\x1b", 200)
	w := newLineWindows(line)
	for _, col := range []int{1, 300, 300, 900, 100, 1000, 2, 5000} {
		s1, i1 := w.window(col)
		s2, i2 := sourceWindow(line, col)
		if s1 != s2 || i1 != i2 {
			t.Errorf("column %d: reused window (%q, %q) differs from a fresh one (%q, %q)", col, s1, i1, s2, i2)
		}
	}
}

// A minified definition with many findings on its one line prints each window, not the line.
func TestFormatTextLongLineOutputIsBounded(t *testing.T) {
	src, ds := minified()
	var out bytes.Buffer
	f, _ := NewFormatter("text", &out, FormatOptions{})
	if err := f.Write(FileResult{File: "min.json", Source: src, Diagnostics: ds}); err != nil {
		t.Fatal(err)
	}
	if max := len(ds) * 600; out.Len() > max {
		t.Errorf("%d bytes of output for %d findings on a %d-byte line, want at most %d", out.Len(), len(ds), len(src), max)
	}
}

// BenchmarkFormatTextMinified prints 2,000 findings on the one line of a 150 KB definition.
func BenchmarkFormatTextMinified(b *testing.B) {
	src, ds := minified()
	f, _ := NewFormatter("text", io.Discard, FormatOptions{})
	for b.Loop() {
		_ = f.Write(FileResult{File: "min.json", Source: src, Diagnostics: ds})
	}
}

// minified is a one-line definition of 2,000 states and a finding at each state.
func minified() ([]byte, []Diagnostic) {
	var src strings.Builder
	var ds []Diagnostic
	src.WriteString(`{"States": {`)
	for i := range 2000 {
		if i > 0 {
			src.WriteString(",")
		}
		ds = append(ds, Diagnostic{Rule: "r", Severity: Error, Message: "m", Pos: load.Pos{Line: 1, Col: src.Len() + 1}})
		fmt.Fprintf(&src, `"S%dxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": {"Type": "Pass", "Next": "Nope%d"}`, i, i)
	}
	src.WriteString("}}")
	return []byte(src.String()), ds
}

func TestFormatSummary(t *testing.T) {
	var c Counts
	c.Add(FileResult{File: "a"})
	if got := c.Summary(); got != "1 file checked, no problems" {
		t.Errorf("clean: %q", got)
	}
	c.Add(FileResult{File: "b", Diagnostics: []Diagnostic{{Severity: Error}, {Severity: Error}, {Severity: Warning}}})
	c.Add(FileResult{File: "c", Diagnostics: []Diagnostic{{Severity: Error}}})
	if got := c.Summary(); got != "3 files checked, 2 with problems: 3 errors, 1 warning" {
		t.Errorf("findings: %q", got)
	}
	c.Add(FileResult{File: "d", Diagnostics: []Diagnostic{{Severity: Info}}})
	if got := c.Summary(); got != "4 files checked, 3 with problems: 3 errors, 1 warning, 1 info" {
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
		{Rule: "r", Severity: Info, Message: "100% sure, a:b", Pos: load.Pos{Line: 2, Col: 3}},
	}})
	_ = f.Flush()
	want := "::notice file=dir%2Cx/a%3Ab.json,line=2,col=3,title=r::100%25 sure, a:b\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// A state name (or file name) with control characters cannot forge a workflow command, a
// problem-matcher line or a terminal escape in any human-readable format, and the JSON formats
// escape them as JSON does.
func TestFormatControlCharacters(t *testing.T) {
	evil := "A\x1b]0;pwned\x07\x1b[2J\r\n::warning file=x.json::forged\nx.json:1:1: error: forged \u202eevil\u009b"
	src := "{\"StartAt\": \"" + strings.ReplaceAll(evil, "\n", " ") + "\"}" // one line, raw ESC, CR, ...
	r := FileResult{
		File:   "dir/\x1b[31mevil\n.json",
		Source: []byte(src),
		Diagnostics: []Diagnostic{
			{Rule: "r", Severity: Error, Message: "Missing 'Next' target: " + evil, Pos: load.Pos{Line: 1, Col: 13}},
			{Rule: "r", Severity: Warning, Message: "m", Pos: load.Pos{Line: 2, Col: 13}},
		},
	}
	for _, format := range Formats() {
		var b bytes.Buffer
		f, _ := NewFormatter(format, &b, FormatOptions{})
		if err := f.Write(r); err != nil {
			t.Fatal(err)
		}
		_ = f.Flush()
		out := b.String()
		if i := strings.IndexFunc(out, func(r rune) bool {
			return r != '\n' && (r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x202e)
		}); i >= 0 {
			t.Errorf("%s: raw control character in %q", format, out[max(i-100, 0):min(i+100, len(out))])
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, line := range lines {
			if strings.Contains(line, "forged") && (strings.HasPrefix(line, "::warning") || strings.HasPrefix(line, "x.json")) {
				t.Errorf("%s: forged line %q", format, line)
			}
		}
		switch format {
		case "text":
			want := `dir/\x1b[31mevil\n.json:1:13: error: Missing 'Next' target: A\x1b]0;pwned\x07\x1b[2J\r\n::warning file=x.json::forged\nx.json:1:1: error: forged \u202eevil\u009b [r]`
			if lines[0] != want {
				t.Errorf("text: first line\n%s\nwant\n%s", lines[0], want)
			}
			if len(lines) != 4 { // two diagnostics, one snippet (the source has no line 2)
				t.Errorf("text: %d lines:\n%s", len(lines), out)
			}
			if want := `  1 | {"StartAt": "A\x1b]0;pwned\x07`; !strings.HasPrefix(lines[1], want) {
				t.Errorf("text: source line %q", lines[1])
			}
		case "github":
			if len(lines) != 2 || !strings.HasPrefix(lines[0], `::error file=dir/\x1b[31mevil\n.json,line=1`) {
				t.Errorf("github: %q", out)
			}
		case "json", "sarif":
			if !strings.Contains(out, `\u001b]0;pwned\u0007`) {
				t.Errorf("%s: ESC not escaped as \\u001b: %s", format, out)
			}
		}
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
	if _, err := NewFormatter("xml", &bytes.Buffer{}, FormatOptions{}); err == nil || !strings.Contains(err.Error(), "checkstyle, github, json, junit, sarif, text") {
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

// FuzzSourceWindow checks, for any line and column, that the window holds no character that
// needs escaping except tabs, stays within its bound, and that the indent is only blanks no
// wider than the window.
func FuzzSourceWindow(f *testing.F) {
	f.Add("\t\"Next\": \"X\"", 5)
	f.Add(strings.Repeat("日\x1b", 300), 250)
	f.Add("\xff\u202e", 2)
	f.Fuzz(func(t *testing.T, line string, col int) {
		shown, indent := sourceWindow(line, col)
		if i := strings.IndexFunc(shown, func(r rune) bool { return r != '\t' && safetext.Unsafe(r) }); i >= 0 {
			t.Fatalf("window %q of %q keeps an unsafe character", shown, line)
		}
		if !utf8.ValidString(shown) {
			t.Fatalf("window %q is not valid UTF-8", shown)
		}
		if utf8.RuneCountInString(shown) > (2*windowRadius+1)*6+2 {
			t.Fatalf("window of %d characters", utf8.RuneCountInString(shown))
		}
		if strings.Trim(indent, " \t") != "" || len(indent) > 2*len(shown)+2 {
			t.Fatalf("indent %q for window %q", indent, shown)
		}
	})
}
