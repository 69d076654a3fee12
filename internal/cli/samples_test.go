package cli_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
	"github.com/sfn-tool/sfn/validate"
)

var update = flag.Bool("update", false, "rewrite samples/broken/expected.txt")

// repoRoot is where the samples' paths are reported from (as in the README).
const repoRoot = "../.."

// TestCLISamples checks that every sample except samples/broken validates without errors or
// warnings, and that samples/broken gives exactly the diagnostics in samples/broken/expected.txt.
func TestCLISamples(t *testing.T) {
	t.Chdir(repoRoot)
	dirs, err := os.ReadDir("samples")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "broken" {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Run([]string{"validate", "--no-config", "-f", "json", filepath.Join("samples", d.Name())}, nil, &stdout, &stderr)
			if code != 0 || stderr.Len() > 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			var r validate.JSONReport
			if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Files) == 0 {
				t.Fatalf("no definition found in samples/%s", d.Name())
			}
			for _, diag := range r.Diagnostics {
				if diag.Level != "info" {
					t.Errorf("%s:%d:%d: %s: %s [%s]", diag.File, diag.Line, diag.Column, diag.Level, diag.Message, diag.Rule)
				}
			}
			for _, f := range r.Files {
				if !strings.Contains(filepath.Base(f.File), ".asl.") {
					t.Errorf("%s: name samples *.asl.json or *.asl.yaml", f.File)
				}
			}
			checked++
		})
	}
	if checked < 5 {
		t.Errorf("only %d sample directories checked", checked)
	}
	t.Run("broken", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := cli.Run([]string{"validate", "--no-config", "--color=never", "samples/broken/broken.asl.json"}, nil, &stdout, &stderr)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		got := stdout.String() + stderr.String()
		golden := filepath.Join("samples", "broken", "expected.txt")
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("output differs from %s (if the change is intended: go test ./internal/cli -run CLISamples -update)\n--- want\n%s--- got\n%s", golden, want, got)
		}
		for _, rule := range []string{"next-target-exists", "field-not-supported"} {
			if !strings.Contains(got, "["+rule+"]") {
				t.Errorf("broken.asl.json should raise %s", rule)
			}
		}
	})
}
