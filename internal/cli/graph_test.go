package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
)

const graphOK = `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}`

// runGraphCLI runs sfn with args in dir and returns the exit code, stdout and stderr.
func runGraphCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGraphCLI covers formats, output files, flags and exit codes.
func TestGraphCLI(t *testing.T) {
	bad := "{\n  \"StartAt\": \"A\",\n  \"States\": {\n"
	for _, tc := range []struct {
		what   string
		args   []string
		code   int
		stdout string // regular expression
		stderr string // regular expression
		file   string // file that must exist afterwards
		fileRE string // and match
	}{
		{what: "dot to stdout by default", args: []string{"graph", "m.asl.json"}, stdout: `(?s)^digraph "m" \{.*n1 \[.*label=<A<BR/>`},
		{what: "mermaid to stdout", args: []string{"graph", "--format", "mermaid", "m.asl.json"}, stdout: `(?s)^flowchart TB\n.*n0 --> n1\n`},
		{what: "direction LR", args: []string{"graph", "-f", "mermaid", "--direction", "lr", "m.asl.json"}, stdout: `^flowchart LR\n`},
		{what: "mmd by extension", args: []string{"graph", "m.asl.json", "-o", "out.mmd"}, file: "out.mmd", fileRE: `^flowchart TB`},
		{what: "md is a fenced block", args: []string{"graph", "m.asl.json", "-o", "out.md"}, file: "out.md", fileRE: "(?s)^```mermaid\nflowchart TB\n.*\n```\n$"},
		{what: "gv by extension", args: []string{"graph", "m.asl.json", "-o", "out.gv"}, file: "out.gv", fileRE: `^digraph`},
		{what: "collapse", args: []string{"graph", "--collapse", "m.asl.json"}, stdout: `^digraph`},
		{what: "yaml from stdin-like name", args: []string{"graph", "m.asl.yaml", "-f", "mermaid"}, stdout: `Y<br/><small>Succeed`},
		{what: "unknown extension", args: []string{"graph", "m.asl.json", "-o", "out.txt"}, code: 2, stderr: `cannot tell the format from "out.txt"`},
		{what: "unknown extension with --format", args: []string{"graph", "m.asl.json", "-o", "out.txt", "-f", "mermaid"}, file: "out.txt", fileRE: `^flowchart`},
		{what: "format and extension disagree", args: []string{"graph", "m.asl.json", "-o", "out.dot", "-f", "mermaid"}, code: 2, stderr: `does not match`},
		{what: "unknown format", args: []string{"graph", "m.asl.json", "-f", "jpeg"}, code: 2, stderr: `unknown --format "jpeg" \(want dot, mermaid, svg, png or pdf\)`},
		{what: "dpi on text output", args: []string{"graph", "m.asl.json", "--dpi", "200"}, code: 2, stderr: `--dpi and --scale size images \(svg, png, pdf\), not dot text`},
		{what: "dpi and scale", args: []string{"graph", "m.asl.json", "-f", "png", "--dpi", "200", "--scale", "2"}, code: 2, stderr: `not both`},
		{what: "dpi too large", args: []string{"graph", "m.asl.json", "-f", "png", "--dpi", "100000"}, code: 2, stderr: `--dpi 100000 is out of range \(10 to 600\)`},
		{what: "scale NaN", args: []string{"graph", "m.asl.json", "-f", "svg", "--scale", "NaN"}, code: 2, stderr: `--scale NaN is out of range`},
		{what: "scale negative", args: []string{"graph", "m.asl.json", "-o", "x.png", "--scale", "-1"}, code: 2, stderr: `--scale -1 is out of range \(0.104\d* to 6.25\)`},
		{what: "-v is not the version", args: []string{"graph", "-v", "m.asl.json"}, code: 2, stderr: `-v is --verbose, for sfn validate and sfn run; the version is sfn --version`},
		{what: "bad direction", args: []string{"graph", "m.asl.json", "--direction", "UP"}, code: 2, stderr: `unknown --direction "UP"`},
		{what: "no file", args: []string{"graph"}, code: 2, stderr: `exactly one FILE`},
		{what: "two files", args: []string{"graph", "m.asl.json", "m.asl.json"}, code: 2},
		{what: "missing file", args: []string{"graph", "nope.json"}, code: 3, stderr: `nope.json: no such file`},
		{what: "syntax error is positioned like validate", args: []string{"graph", "bad.json"}, code: 1, stderr: `^bad.json:4:1: error: .*\[json-syntax\]`},
		{what: "not an object", args: []string{"graph", "arr.json"}, code: 1, stderr: `^arr.json:1:1: error: `},
		{what: "unwritable output", args: []string{"graph", "m.asl.json", "-o", "no/such/dir/x.dot"}, code: 3},
		{what: "missing history", args: []string{"graph", "m.asl.json", "--highlight", "h.json"}, code: 3, stderr: `h.json`},
		{what: "bad history", args: []string{"graph", "m.asl.json", "--highlight", "m.asl.json"}, code: 2, stderr: `not an execution history`},
		{what: "highlight", args: []string{"graph", "m.asl.json", "--highlight", "run.json"}, stdout: `n0->n1\[ color="#2563eb", penwidth=2.5 \]`},
		{what: "check without inject", args: []string{"graph", "--check", "m.asl.json"}, code: 2},
	} {
		t.Run(tc.what, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"m.asl.json": graphOK, "bad.json": bad, "arr.json": "[1]",
				"m.asl.yaml": "StartAt: X\nStates:\n  X: {Type: Pass, Next: Y}\n  Y: {Type: Succeed}\n",
				"run.json":   `{"events": [{"type": "PassStateEntered", "stateEnteredEventDetails": {"name": "A"}}]}`,
			})
			code, stdout, stderr := runGraphCLI(t, dir, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			match(t, "stdout", tc.stdout, stdout)
			match(t, "stderr", tc.stderr, stderr)
			if tc.file != "" {
				data, err := os.ReadFile(filepath.Join(dir, tc.file))
				if err != nil {
					t.Fatal(err)
				}
				match(t, tc.file, tc.fileRE, string(data))
			}
		})
	}
}

func match(t *testing.T, what, re, got string) {
	t.Helper()
	if re != "" && !regexp.MustCompile(re).MatchString(got) {
		t.Errorf("%s does not match /%s/\n%s", what, re, got)
	}
}

// TestGraphCLIImages renders SVG, PNG and PDF with Graphviz's dot, and checks the message when dot
// is not on PATH.
func TestGraphCLIImages(t *testing.T) {
	dir := writeFiles(t, map[string]string{"m.asl.json": graphOK})
	if _, err := exec.LookPath("dot"); err != nil {
		t.Log("Graphviz dot not on PATH: image rendering not tested (apt-get install graphviz)")
	} else {
		for _, ext := range []string{"svg", "png", "pdf"} {
			code, _, stderr := runGraphCLI(t, dir, "graph", "m.asl.json", "-o", "m."+ext)
			if code != 0 {
				t.Errorf("%s: exit %d: %s", ext, code, stderr)
			}
			if st, err := os.Stat(filepath.Join(dir, "m."+ext)); err != nil || st.Size() == 0 {
				t.Errorf("%s: no output: %v", ext, err)
			}
		}
	}
	if _, err := exec.LookPath("dot"); err == nil {
		// To standard output (not a terminal here), and sized by --dpi and --scale.
		for _, tc := range []struct {
			args []string
			re   string
		}{
			{[]string{"-f", "svg"}, `(?s)^<\?xml.*<svg width="\d+pt"`},
			{[]string{"-f", "png"}, `^.PNG\r\n`},
			{[]string{"-f", "pdf", "-o", "-"}, `^%PDF-`},
			{[]string{"-f", "svg", "--scale", "2"}, `<svg width="\d+pt"`},
		} {
			code, stdout, stderr := runGraphCLI(t, dir, append([]string{"graph", "m.asl.json"}, tc.args...)...)
			if code != 0 || stderr != "" {
				t.Errorf("%v: exit %d: %s", tc.args, code, stderr)
			}
			match(t, fmt.Sprint(tc.args), tc.re, stdout)
		}
		width := func(args ...string) int {
			_, stdout, _ := runGraphCLI(t, dir, append([]string{"graph", "m.asl.json", "-f", "png"}, args...)...)
			if len(stdout) < 24 {
				t.Fatalf("%v: no PNG", args)
			}
			b := []byte(stdout[16:20]) // IHDR width, big-endian
			return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		}
		w1, w2, w3 := width(), width("--scale", "2"), width("--dpi", "192")
		if w2 < 2*w1-4 || w2 > 2*w1+4 || w3 != w2 {
			t.Errorf("PNG widths: default %d, --scale 2 %d, --dpi 192 %d", w1, w2, w3)
		}
	}
	t.Setenv("PATH", t.TempDir())
	code, _, stderr := runGraphCLI(t, dir, "graph", "m.asl.json", "-f", "svg")
	if code != 3 || !strings.Contains(stderr, "writing SVG to standard output needs Graphviz's dot program") {
		t.Errorf("without dot, to stdout: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = runGraphCLI(t, dir, "graph", "m.asl.json", "-o", "x.png")
	if code != 3 || !strings.Contains(stderr, "apt-get install graphviz") || !strings.Contains(stderr, "brew install graphviz") {
		t.Errorf("without dot: exit %d, stderr %s", code, stderr)
	}
}

// TestGraphCLIMermaidWarning warns when the Mermaid text exceeds Mermaid's default limits.
func TestGraphCLIMermaidWarning(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"StartAt": "S0", "States": {`)
	for i := range 600 {
		fmt.Fprintf(&b, `"S%d": {"Type": "Pass", "Next": "S%d"}, `, i, i+1)
	}
	b.WriteString(`"S600": {"Type": "Succeed"}}}`)
	dir := writeFiles(t, map[string]string{"big.asl.json": b.String()})
	code, _, stderr := runGraphCLI(t, dir, "graph", "-f", "mermaid", "big.asl.json")
	if code != 0 || !strings.Contains(stderr, "warning: the Mermaid diagram has 602 edges") || !strings.Contains(stderr, "--collapse or --format dot") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	if _, _, stderr := runGraphCLI(t, dir, "graph", "big.asl.json"); stderr != "" {
		t.Errorf("DOT output warned: %s", stderr)
	}
}

// TestGraphCLIInject fills sfn:graph blocks, is idempotent, and --check reports stale blocks.
func TestGraphCLIInject(t *testing.T) {
	readme := "# Doc\n\n<!-- sfn:graph m.asl.json --direction LR -->\nold\n<!-- /sfn:graph -->\n\ntext\n\n" +
		"<!-- sfn:graph 'm.asl.json' --format dot -->\n<!-- /sfn:graph -->\nend\n"
	dir := writeFiles(t, map[string]string{"docs/m.asl.json": graphOK, "docs/README.md": readme})
	code, _, stderr := runGraphCLI(t, dir, "graph", "--inject", "docs/README.md", "--check")
	if code != 1 || !strings.Contains(stderr, "docs/README.md:3: diagram of m.asl.json is stale") {
		t.Errorf("check before inject: exit %d, stderr %s", code, stderr)
	}
	if code, _, stderr := runGraphCLI(t, dir, "graph", "--inject", "docs/README.md"); code != 0 {
		t.Fatalf("inject: exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "docs/README.md"))
	want := regexp.MustCompile("(?s)^# Doc\n\n<!-- sfn:graph m.asl.json --direction LR -->\n```mermaid\nflowchart LR\n.*\n```\n<!-- /sfn:graph -->\n\ntext\n\n" +
		"<!-- sfn:graph 'm.asl.json' --format dot -->\n```dot\ndigraph \"m\" \\{\n.*\\}\n```\n<!-- /sfn:graph -->\nend\n$")
	if !want.Match(got) {
		t.Errorf("injected README:\n%s", got)
	}
	if code, _, stderr := runGraphCLI(t, dir, "graph", "--inject", "docs/README.md"); code != 0 {
		t.Fatalf("second inject: exit %d: %s", code, stderr)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "docs/README.md"))
	if !bytes.Equal(got, again) {
		t.Errorf("inject is not idempotent:\n%s", again)
	}
	if code, _, stderr := runGraphCLI(t, dir, "graph", "--inject", "docs/README.md", "--check"); code != 0 || stderr != "" {
		t.Errorf("check after inject: exit %d, stderr %s", code, stderr)
	}
	// The definition changes: --check fails and leaves the file alone.
	changed := strings.Replace(graphOK, `"B": {"Type": "Succeed"}`, `"B": {"Type": "Fail"}`, 1)
	if err := os.WriteFile(filepath.Join(dir, "docs/m.asl.json"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runGraphCLI(t, dir, "graph", "--inject", "docs/README.md", "--check"); code != 1 {
		t.Errorf("check after change: exit %d, want 1", code)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "docs/README.md")); !bytes.Equal(now, got) {
		t.Error("--check changed the file")
	}
}

// TestGraphCLIInjectErrors: unclosed markers, bad marker flags, broken definitions.
func TestGraphCLIInjectErrors(t *testing.T) {
	for _, tc := range []struct {
		what, readme string
		code         int
		stderr       string
	}{
		{"unclosed", "<!-- sfn:graph m.asl.json -->\n", 2, `README.md: line 1: .*without a closing`},
		{"no path", "<!-- sfn:graph  -->\n<!-- /sfn:graph -->\n", 2, `without a definition path`},
		{"bad flag", "<!-- sfn:graph m.asl.json --bogus -->\n<!-- /sfn:graph -->\n", 2, `unknown flag: --bogus`},
		{"broken definition", "<!-- sfn:graph bad.json -->\n<!-- /sfn:graph -->\n", 1, `bad.json:1:2: error: `},
		{"missing definition", "<!-- sfn:graph nope.json -->\n<!-- /sfn:graph -->\n", 3, `nope.json`},
		{"no blocks", "# nothing\n", 0, `has no <!-- sfn:graph PATH --> block`},
	} {
		t.Run(tc.what, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"m.asl.json": graphOK, "bad.json": "{,", "README.md": tc.readme})
			code, _, stderr := runGraphCLI(t, dir, "graph", "--inject", "README.md")
			if code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			match(t, "stderr", tc.stderr, stderr)
		})
	}
}

// TestGraphREADMEUpToDate fails when a diagram embedded in README.md is stale
// (fix: go run ./cmd/sfn graph --inject README.md).
func TestGraphREADMEUpToDate(t *testing.T) {
	code, _, stderr := runGraphCLI(t, "../..", "graph", "--inject", "README.md", "--check")
	if code != 0 {
		t.Errorf("exit %d: %s(run: go run ./cmd/sfn graph --inject README.md)", code, stderr)
	}
}
