package cli_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
)

// fullWriter fails every write as a full disk does (sfn ... > /dev/full).
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

const okDef = `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`

// A failed write to standard output names it (it used to print "sfn: : no space left on
// device") and exits 3.
func TestStdoutWriteErrorNamesOutput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("a.json", []byte(okDef), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("bad.json", []byte(`{"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"convert", "a.json", "--to", "yaml"},
		{"convert", "a.json", "--to", "json", "-o", "-"},
		{"graph", "a.json"},
		{"graph", "a.json", "-o", "-", "--format", "mermaid"},
		{"validate", "a.json", "--format", "json"},
		{"validate", "bad.json"},
		{"validate", "bad.json", "--format", "github"},
		{"validate", "bad.json", "--format", "sarif"},
		{"rules"},
		{"rules", "next-target-exists"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			code := cli.Run(args, strings.NewReader(""), fullWriter{}, &stderr)
			if code != 3 {
				t.Errorf("exit %d, want 3", code)
			}
			if want := "sfn: writing to standard output: no space left on device\n"; !strings.HasPrefix(stderr.String(), want) {
				t.Errorf("stderr = %q, want it to start with %q", stderr.String(), want)
			}
		})
	}
}

// Writing to a device that is not a regular file goes to the device (not a rename over it).
func TestWriteToDevFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("a.json", []byte(okDef), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"convert", "a.json", "--to", "yaml", "-o", "/dev/full"}, strings.NewReader(""), &stdout, &stderr)
	if code != 3 || stderr.String() != "sfn: /dev/full: no space left on device\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode().IsRegular() {
		t.Errorf("/dev/full replaced: %v %v", fi, err)
	}
}

const readme = "# Orders\n\n<!-- sfn:graph a.json -->\n<!-- /sfn:graph -->\n\nEverything after the block.\n"

// The files sfn writes are replaced in one step: no temporary file is left next to them and an
// existing file keeps its mode.
func TestWritesReplaceFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for name, content := range map[string]string{"a.json": okDef, "README.md": readme, "out.mmd": "old", "out.yaml": "old"} {
		if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"graph", "a.json", "-o", "out.mmd"},
		{"graph", "--inject", "README.md"},
		{"convert", "a.json", "--to", "yaml", "-o", "out.yaml"},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli.Run(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
	for _, name := range []string{"README.md", "out.mmd", "out.yaml"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want the old -rw-------", name, fi.Mode().Perm())
		}
		if b, _ := os.ReadFile(name); string(b) == "old" || string(b) == readme {
			t.Errorf("%s not rewritten", name)
		}
	}
	noTemporaryFiles(t, dir)
}

// A full disk leaves the old file intact (it used to cut README.md mid-diagram). Needs root to
// mount a 128 KiB tmpfs; skipped otherwise.
func TestFullDiskKeepsOldFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	t.Chdir(dir)
	// a 55 KB machine: its diagram and its YAML do not fit in the 13 KB left
	var b strings.Builder
	b.WriteString(`{"StartAt": "S0` + strings.Repeat("x", 250) + `", "States": {`)
	const n = 100
	name := func(i int) string { return "S" + strconv.Itoa(i) + strings.Repeat("x", 250) }
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		next := `"End": true`
		if i < n-1 {
			next = `"Next": "` + name(i+1) + `"`
		}
		b.WriteString(`"` + name(i) + `": {"Type": "Pass", ` + next + `}`)
	}
	b.WriteString("}}")
	old := readme + strings.Repeat("More text after the block.\n", 1100) // 30 KB
	for name, content := range map[string]string{"a.json": b.String(), "README.md": old, "out.yaml": old} {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Skipf("tmpfs too small for the test files: %v", err)
		}
	}
	for _, args := range [][]string{
		{"graph", "--inject", "README.md"},
		{"graph", "a.json", "-o", "README.md"},
		{"convert", "a.json", "--to", "yaml", "-o", "out.yaml"},
	} {
		var stdout, stderr bytes.Buffer
		code := cli.Run(args, strings.NewReader(""), &stdout, &stderr)
		if code != 3 || !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	for _, name := range []string{"README.md", "out.yaml"} {
		if got, _ := os.ReadFile(name); string(got) != old {
			t.Errorf("%s changed (%d bytes)", name, len(got))
		}
	}
	noTemporaryFiles(t, dir)
}

// A dot that fails after writing part of an image leaves the old image intact.
func TestDotFailureKeepsOldImage(t *testing.T) {
	bin := t.TempDir()
	script := "#!/bin/sh\ncat >/dev/null\nprintf '<svg partial'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "dot"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Chdir(t.TempDir())
	if err := os.WriteFile("a.json", []byte(okDef), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("a.svg", []byte("<svg old/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"graph", "a.json", "-o", "a.svg"}, strings.NewReader(""), &stdout, &stderr)
	if code != 3 || !strings.Contains(stderr.String(), "dot -Tsvg failed") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if got, _ := os.ReadFile("a.svg"); string(got) != "<svg old/>" {
		t.Errorf("a.svg = %q", got)
	}
	// and a working dot replaces it
	script = "#!/bin/sh\ncat >/dev/null\nprintf '<svg new/>'\n"
	if err := os.WriteFile(filepath.Join(bin, "dot"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if code := cli.Run([]string{"graph", "a.json", "-o", "a.svg"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got, _ := os.ReadFile("a.svg"); string(got) != "<svg new/>" {
		t.Errorf("a.svg = %q", got)
	}
}

// noTemporaryFiles fails when dir holds a temporary file of an atomic write.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// Names that come from the command line, a directory walk or a definition are printed with
// their control characters escaped in sfn's own messages on stderr.
func TestMessagesEscapeControlCharacters(t *testing.T) {
	t.Chdir(t.TempDir())
	evil := "a\x1b]0;pwned\x07\r\n::warning file=x.json::forged\u202e.json"
	if err := os.WriteFile("m.json", []byte(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "`+
		"B\\u001b[2J\\n::error file=m.json::forged"+`"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", evil}, `sfn: a\x1b]0;pwned\x07\r\n::warning file=x.json::forged\u202e.json: `},
		{[]string{"convert", evil, "--to", "yaml"}, `sfn: a\x1b]0;pwned\x07\r\n::warning file=x.json::forged\u202e.json: `},
		{[]string{"validate", "m.json"}, `m.json:1:59: error: Missing 'Next' target: B\x1b[2J\n::error file=m.json::forged`},
		{[]string{"validate", "m.json", "--format", "github"}, `::error file=m.json,line=1,col=59,title=next-target-exists::Missing 'Next' target: B\x1b[2J\n::error file=m.json::forged`},
		{[]string{"run", "m.json", "--no-validate", "--history", "none"}, `B\x1b[2J\n::error file=m.json::forged`},
	} {
		var stdout, stderr bytes.Buffer
		cli.Run(tc.args, strings.NewReader(""), &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if !strings.Contains(out, tc.want) {
			t.Errorf("%q: output does not contain %q:\n%s", tc.args, tc.want, out)
		}
		if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x202e) }); i >= 0 {
			t.Errorf("%q: raw control character in %q", tc.args, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::warning") || strings.HasPrefix(line, "::error file=m.json::") {
				t.Errorf("%q: forged line %q", tc.args, line)
			}
		}
	}
}

// sfn's own multi-line messages keep their lines.
func TestDotMissingMessage(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Chdir(t.TempDir())
	if err := os.WriteFile("a.json", []byte(okDef), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run([]string{"graph", "a.json", "-o", "a\x1b.svg"}, strings.NewReader(""), &stdout, &stderr)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if code != 3 || len(lines) != 2 || lines[0] != `sfn: writing a\x1b.svg needs Graphviz's dot program, which is not on PATH.` ||
		!strings.HasPrefix(lines[1], "Install Graphviz") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// sfn run: the status line (with the Fail state's error and cause) is escaped, the output JSON
// has C1 and bidi characters as \u escapes, and a failed write of the output names stdout.
func TestRunOutputEscaped(t *testing.T) {
	t.Chdir(t.TempDir())
	def := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"v": "\u009b31m\u202e"}, "Next": "C"},
	  "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "IsPresent": false, "Next": "F"}], "Default": "S"},
	  "S": {"Type": "Succeed"},
	  "F": {"Type": "Fail", "Error": "E\u001b[2J", "Cause": "c\n::warning::forged"}}}`
	if err := os.WriteFile("m.json", []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Run([]string{"run", "m.json", "--history", "none", "--clock", "virtual"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if want := "{\n  \"v\": \"\\u009b31m\\u202e\"\n}\n"; stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
	stderr.Reset()
	code := cli.Run([]string{"run", "m.json", "--history", "none", "--clock", "virtual"}, strings.NewReader(""), fullWriter{}, &stderr)
	if code != 3 || stderr.String() != "sfn: writing to standard output: no space left on device\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	fail := strings.Replace(def, `"IsPresent": false`, `"IsPresent": true`, 1)
	if err := os.WriteFile("m.json", []byte(fail), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, history := range []string{"none", "table"} {
		stdout.Reset()
		stderr.Reset()
		cli.Run([]string{"run", "m.json", "--history", history, "--clock", "virtual"}, strings.NewReader(""), &stdout, &stderr)
		if !strings.Contains(stderr.String(), `E\x1b[2J: c\n::warning::forged`) {
			t.Errorf("--history %s: stderr %q", history, stderr.String())
		}
		if strings.ContainsAny(stderr.String(), "\x1b\u009b\u202e") || strings.Contains(stderr.String(), "\n::warning") {
			t.Errorf("--history %s: raw control characters in %q", history, stderr.String())
		}
	}
}

// sfn convert writes C1 and bidi characters as \u escapes in JSON and YAML (both read them
// back as the same string).
func TestConvertEscapesControlCharacters(t *testing.T) {
	t.Chdir(t.TempDir())
	src := `{"StartAt": "A\u001b[2J\u009b\u202e\u2028", "States": {"A": {"Type": "Succeed"}}}`
	if err := os.WriteFile("c.json", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for to, want := range map[string]string{
		"json": `"StartAt": "A\u001b[2J\u009b\u202e\u2028"`,
		"yaml": `StartAt: "A\u001b[2J\u009b\u202e\u2028"`,
	} {
		var stdout, stderr bytes.Buffer
		if code := cli.Run([]string{"convert", "c.json", "--to", to}, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--to %s: %q does not contain %q", to, stdout.String(), want)
		}
		// and it converts back to the same string
		if err := os.WriteFile("back."+to, stdout.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout.Reset()
		if code := cli.Run([]string{"convert", "back." + to, "--to", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("back from %s: exit %d: %s", to, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), `"StartAt": "A\u001b[2J\u009b\u202e\u2028"`) {
			t.Errorf("back from %s: %q", to, stdout.String())
		}
	}
}
