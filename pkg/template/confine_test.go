package template_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/template"
)

const secret = "hunter2-SECRET"

// samWith is a SAM template whose machine M reads uri.
func samWith(uri string) string {
	return "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: " + uri + "\n"
}

// slsWith is a Serverless file whose machine m has definition: ref.
func slsWith(ref string) string {
	return "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      definition: " + ref + "\n"
}

// TestReferencedFilesConfined: DefinitionUri and ${file()} read only regular files inside the
// project root (the repository holding the template, else its directory), at most 1 MiB, and a
// file that is not a definition is never quoted.
func TestReferencedFilesConfined(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	files := map[string]string{
		"outside.json":                  `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		"secret.txt":                    secret + "\n",
		"repo/.git/HEAD":                "ref: refs/heads/main\n",
		"repo/defs/ok.json":             `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		"repo/app/.env":                 "TOKEN=" + secret + "\n",
		"repo/app/env.yaml":             "TOKEN: " + secret + "\n",
		"repo/app/notes.txt":            "{" + secret + "\n",
		"repo/app/dir.json/placeholder": "",
	}
	for name, content := range files {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(base, "secret.txt"), filepath.Join(repo, "app", "link.json")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	big := filepath.Join(repo, "app", "big.json")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 3<<30); err != nil { // sparse
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"inside the repository", samWith("../defs/ok.json"), ""},
		{"parent traversal", samWith("../../../../../../../../etc/passwd"), "the path leaves the project root " + realPath(t, repo)},
		{"outside the repository", samWith("../../outside.json"), "the path leaves the project root"},
		{"absolute", samWith("/etc/passwd"), "absolute paths are not read"},
		{"proc environ", samWith("/proc/self/environ"), "absolute paths are not read"},
		{"symbolic link out", samWith("link.json"), "the path leaves the project root"},
		{"directory", samWith("dir.json"), "not a regular file"},
		{"too large", samWith("big.json"), "the file is 3221225472 bytes, more than the limit of 1 MiB (1048576 bytes)"},
		{"not a definition, does not parse", samWith("notes.txt"), "the file does not parse (json-syntax at 1:2) and is not a state machine definition; its content is not shown"},
		{"not a definition, parses", samWith(".env"), "not a state machine definition (no States or StartAt); its content is not shown"},
		{"serverless absolute", slsWith("${file(/dev/zero)}"), "absolute paths are not read"},
		{"serverless traversal", slsWith("${file(../../secret.txt)}"), "the path leaves the project root"},
		{"serverless not a definition", slsWith("${file(env.yaml)}"), "not a state machine definition"},
		{"serverless key of a non-definition", slsWith("${file(env.yaml):TOKEN}"), "not a state machine definition"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(repo, "app", "template.yaml")
			tpl, err := template.Load(name, []byte(tc.src), "", nil)
			if err != nil {
				t.Fatal(err)
			}
			m := tpl.Machines[0]
			if tc.want == "" {
				if m.Doc == nil || len(m.Problems) > 0 {
					t.Fatalf("not read: %v", m.Problems)
				}
				return
			}
			if m.Doc != nil || len(m.Problems) != 1 {
				t.Fatalf("want one problem and no definition, got %v", m.Problems)
			}
			p := m.Problems[0]
			if p.File != name || p.Err.Rule != template.RuleDefinition || !strings.Contains(p.Err.Message, tc.want) {
				t.Errorf("got %s [%s], want %q", p, p.Err.Rule, tc.want)
			}
			if p.Err.Pos.Line != 6 {
				t.Errorf("problem at %s, want the reference on line 6", p.Err.Pos)
			}
			if strings.Contains(p.Error(), secret) || strings.Contains(string(p.Source), secret) {
				t.Errorf("the problem quotes the file: %s", p)
			}
		})
	}
}

func realPath(t *testing.T, p string) string {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRootOption: an explicit Root replaces the repository root.
func TestRootOption(t *testing.T) {
	dir := writeFiles(t, map[string]string{"sub/template.yaml": samURI, "statemachine/order.asl.json": orderDef})
	name := filepath.Join(dir, "sub", "template.yaml")
	src := strings.Replace(samURI, "statemachine/", "../statemachine/", 1)
	for root, ok := range map[string]bool{dir: true, filepath.Join(dir, "sub"): false} {
		tpl, err := template.Load(name, []byte(src), "", &template.Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		if got := tpl.Machines[0].Doc != nil; got != ok {
			t.Errorf("root %s: read %v, want %v (%v)", root, got, ok, tpl.Machines[0].Problems)
		}
	}
}
