package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestLoadDefinition(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	two := write("two.yaml", `Resources:
  A:
    Type: AWS::StepFunctions::StateMachine
    Properties: {Definition: {StartAt: X, States: {X: {Type: Succeed}}}}
  B:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: b.asl.json
      DefinitionSubstitutions: {Next: Y}
`)
	write("b.asl.json", `{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "${Next}"}, "Y": {"Type": "Succeed"}}}`)
	plain := write("p.asl.json", `{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}`)
	broken := write("broken.yaml", "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties: {DefinitionUri: nope.json}\n")
	for _, tc := range []struct {
		name, file, id string
		subs           []string
		code           int    // 0: loads
		want           string // Doc.Name suffix, or stderr / error text
	}{
		{"plain", plain, "", nil, 0, "p.asl.json"},
		{"plain with id", plain, "A", nil, exitUsage, "not a template"},
		{"pick A", two, "A", nil, 0, "two.yaml"},
		{"pick B", two, "B", nil, 0, "b.asl.json"},
		{"several", two, "", nil, exitUsage, "choose one with --state-machine: A, B"},
		{"unknown", two, "C", nil, exitUsage, `no state machine "C" in the template; it has: A, B`},
		{"broken", broken, "", nil, exitFindings, "DefinitionUri nope.json: no such file (in"},
		{"bad sub", two, "B", []string{"x"}, exitUsage, "bad --sub"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := &cobra.Command{}
			var stderr bytes.Buffer
			cmd.SetErr(&stderr)
			m, err := loadDefinition(cmd, tc.file, tc.id, tc.subs)
			if tc.code == 0 {
				if err != nil || m.Doc == nil || !strings.HasSuffix(m.Doc.Name, tc.want) {
					t.Fatalf("err %v, machine %+v", err, m)
				}
				return
			}
			ee, ok := err.(*exitError)
			if !ok || ee.code != tc.code {
				t.Fatalf("want exit %d, got %v", tc.code, err)
			}
			got := stderr.String()
			if ee.err != nil {
				got += ee.err.Error()
			}
			if !strings.Contains(got, strings.TrimSuffix(tc.want, " (in")) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// substitutions apply to the chosen machine
	cmd := &cobra.Command{}
	m, err := loadDefinition(cmd, two, "B", []string{"Next=Z"})
	if err != nil || m.Doc.Root.Get("States").Get("X").Get("Next").Text != "Z" {
		t.Errorf("--sub not applied: %v", err)
	}
}
