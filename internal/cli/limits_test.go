package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
	"github.com/sfn-tool/sfn/pkg/load"
)

const hostileSecret = "hunter2-SECRET-VALUE"

// hostileRepo makes a repository (with .git) in a temporary directory beside a secret file,
// writes files into it and changes into it.
func hostileRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	if err := os.WriteFile(filepath.Join(base, "secret.txt"), []byte("TOKEN="+hostileSecret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, content := range files {
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(repo)
	t.Setenv("NO_COLOR", "1")
	return repo
}

func runCLI(stdin io.Reader, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, stdin, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func samTemplate(uri string) string {
	return "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: " + uri + "\n"
}

// TestReferencedFilesNeverEchoed: a template naming a file outside the repository, an absolute
// path, /proc/self/environ, or a file of the repository that is not a definition gets a positioned
// template-definition error in every format, and no output quotes the file.
func TestReferencedFilesNeverEchoed(t *testing.T) {
	hostileRepo(t, map[string]string{
		"app/.env":        "TOKEN=" + hostileSecret + "\n",
		"app/creds.json":  `{"token": "` + hostileSecret + `"}`,
		"app/notes.json":  "{" + hostileSecret + "\n",
		"app/outside.yml": samTemplate("../../secret.txt"),
		"app/abs.yml":     samTemplate("/etc/passwd"),
		"app/environ.yml": samTemplate("/proc/self/environ"),
		"app/env.yml":     samTemplate(".env"),
		"app/creds.yml":   samTemplate("creds.json"),
		"app/notes.yml":   samTemplate("notes.json"),
		"app/sls.yml":     "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      definition: ${file(../../secret.txt)}\n",
		"app/zero.yml":    "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      definition: ${file(/dev/zero)}\n",
	})
	want := map[string]string{
		"outside": "DefinitionUri ../../secret.txt: the path leaves the project root",
		"abs":     "DefinitionUri /etc/passwd: absolute paths are not read",
		"environ": "DefinitionUri /proc/self/environ: absolute paths are not read",
		"env":     "DefinitionUri .env: the file is not a state machine definition",
		"creds":   "DefinitionUri creds.json: the file is not a state machine definition",
		"notes":   "DefinitionUri notes.json: the file does not parse (json-syntax at 1:2)",
		"sls":     "${file(../../secret.txt)} ../../secret.txt: the path leaves the project root",
		"zero":    "${file(/dev/zero)} /dev/zero: absolute paths are not read",
	}
	for name, msg := range want {
		for _, format := range []string{"text", "json", "sarif", "github"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				code, stdout, stderr := runCLI(strings.NewReader(""), "validate", "--format", format, "app/"+name+".yml")
				if code != 1 {
					t.Errorf("exit %d, want 1\n%s%s", code, stdout, stderr)
				}
				if format == "text" && !strings.Contains(stdout, "app/"+name+".yml:6:") {
					t.Errorf("no position in the template:\n%s", stdout)
				}
				if !strings.Contains(stdout, strings.ReplaceAll(msg, `"`, `\"`)) || !strings.Contains(stdout, "template-definition") {
					t.Errorf("want %q in\n%s", msg, stdout)
				}
				if strings.Contains(stdout+stderr, hostileSecret) {
					t.Errorf("the output quotes the file:\n%s%s", stdout, stderr)
				}
			})
		}
	}
}

// TestInjectMarkersConfined: an sfn:graph marker may not read standard input, an absolute path or
// a file outside the Markdown file's repository.
func TestInjectMarkersConfined(t *testing.T) {
	def := `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`
	hostileRepo(t, map[string]string{"docs/ok.asl.json": def})
	for _, tc := range []struct{ marker, want string }{
		{"-", "'-' (standard input) is not allowed"},
		{"/etc/passwd", "sfn:graph marker /etc/passwd: absolute paths are not read"},
		{"../../secret.txt", "the path leaves the project root"},
		{"ok.asl.json --highlight ../../secret.txt", "the path leaves the project root"},
		{"ok.asl.json --highlight /proc/self/environ", "absolute paths are not read"},
	} {
		t.Run(tc.marker, func(t *testing.T) {
			md := "# Doc\n<!-- sfn:graph " + tc.marker + " -->\n<!-- /sfn:graph -->\n"
			if err := os.WriteFile("docs/README.md", []byte(md), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(strings.NewReader(`{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}`), "graph", "--inject", "docs/README.md")
			if code == 0 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "docs/README.md") {
				t.Errorf("exit %d, want an error with %q\n%s%s", code, tc.want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, hostileSecret) {
				t.Errorf("the output quotes the file:\n%s%s", stdout, stderr)
			}
			if b, _ := os.ReadFile("docs/README.md"); string(b) != md {
				t.Errorf("the Markdown file was changed:\n%s", b)
			}
		})
	}
	// a marker naming a file of the repository still works
	if err := os.WriteFile("docs/README.md", []byte("<!-- sfn:graph ok.asl.json -->\n<!-- /sfn:graph -->\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(nil, "graph", "--inject", "docs/README.md"); code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// endless is a stream that never ends (like /dev/zero on standard input).
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestInputsCapped: standard input, named files and --input stop at load.MaxFileSize.
func TestInputsCapped(t *testing.T) {
	hostileRepo(t, map[string]string{"ok.asl.json": `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`})
	big := "big.json"
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 3<<30); err != nil { // sparse: 3 GB that costs nothing
		t.Fatal(err)
	}
	limit := fmt.Sprintf("more than the limit of 4 MiB (%d bytes)", load.MaxFileSize)
	for _, tc := range []struct {
		name  string
		stdin io.Reader
		args  []string
		code  int
		want  string
	}{
		{"validate stdin", endless{}, []string{"validate", "-"}, 3, "<stdin>: " + limit},
		{"validate file", nil, []string{"validate", big}, 3, "big.json: the file is 3221225472 bytes, " + limit},
		{"graph stdin", endless{}, []string{"graph", "-"}, 3, limit},
		{"convert stdin", endless{}, []string{"convert", "-", "--to", "yaml"}, 3, limit},
		{"run file", nil, []string{"run", big, "--history", "none"}, 3, limit},
		{"run --input stdin", endless{}, []string{"run", "ok.asl.json", "--input", "-", "--history", "none"}, 3, "--input -: " + limit},
		{"run --input file", nil, []string{"run", "ok.asl.json", "--input", big, "--history", "none"}, 3, limit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdin := tc.stdin
			if stdin == nil {
				stdin = strings.NewReader("")
			}
			code, stdout, stderr := runCLI(stdin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d (want %d), want %q\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}

// TestWalkConfined: a directory walk reads only regular files inside the directory: symbolic links
// (to a file or a directory outside) are not followed, FIFOs and devices are skipped, and a file too
// large to be a definition is skipped unless its name says it is one.
func TestWalkConfined(t *testing.T) {
	bad := `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}`
	hostileRepo(t, map[string]string{"defs/ok.asl.json": `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`, "../outside/x.asl.json": bad})
	for name, target := range map[string]string{"defs/link.asl.json": "../../outside/x.asl.json", "defs/linkdir": "../../outside", "defs/zero.json": "/dev/zero"} {
		if err := os.Symlink(target, name); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	if err := mkfifo("defs/fifo.asl.json"); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	for name, size := range map[string]int64{"defs/data.json": 5 << 20, "defs/huge.asl.json": 3 << 30} {
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(name, size); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI(strings.NewReader(""), "validate", "defs")
	if code != 3 || !strings.Contains(stderr, "defs/huge.asl.json: the file is 3221225472 bytes, more than the limit of 4 MiB") {
		t.Errorf("exit %d, want 3 and the huge.asl.json error\n%s%s", code, stdout, stderr)
	}
	for _, s := range []string{"Nope", "x.asl.json", "link", "fifo", "zero", "data.json"} {
		if strings.Contains(stdout+stderr, s) {
			t.Errorf("the walk read %s:\n%s%s", s, stdout, stderr)
		}
	}
}

// TestHostileYAML: an alias bomb and deep nesting end quickly with a positioned yaml-syntax error.
func TestHostileYAML(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&bomb, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	hostileRepo(t, map[string]string{
		"bomb.yaml": bomb.String(),
		"deep.yaml": strings.Repeat("[", 100_000),
		"dash.yaml": strings.Repeat("- ", 100_000) + "x\n",
	})
	for name, want := range map[string]string{
		"bomb.yaml": "bomb.yaml:6:35: error: YAML aliases expand to more than 500000 nodes",
		"deep.yaml": "deep.yaml:1:1001: error: YAML document nested more than 1000 levels deep",
		"dash.yaml": "dash.yaml:1:2003: error: YAML document nested more than 1000 levels deep",
	} {
		code, stdout, stderr := runCLI(strings.NewReader(""), "validate", name)
		if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "[yaml-syntax]") {
			t.Errorf("%s: exit %d, want %q\n%.2000s%s", name, code, want, stdout, stderr)
		}
	}
}
