package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
)

// TestProblemMatcher checks .github/sfn-problem-matcher.json against the default text format:
// every diagnostic line matches with the right groups, and snippet lines do not.
func TestProblemMatcher(t *testing.T) {
	data, err := os.ReadFile("../../.github/sfn-problem-matcher.json")
	if err != nil {
		t.Fatal(err)
	}
	var pm struct {
		ProblemMatcher []struct {
			Owner   string `json:"owner"`
			Pattern []struct {
				Regexp                                      string
				File, Line, Column, Severity, Message, Code int
			} `json:"pattern"`
		} `json:"problemMatcher"`
	}
	if err := json.Unmarshal(data, &pm); err != nil {
		t.Fatal(err)
	}
	p := pm.ProblemMatcher[0].Pattern[0]
	re := regexp.MustCompile(p.Regexp)
	dir := t.TempDir()
	t.Chdir(dir)
	_ = os.Mkdir(".git", 0o755)
	def := `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope", "Comment": "a: [b] c"}}}`
	if err := os.WriteFile("m v.asl.json", []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	cli.Run([]string{"validate", "--color", "never", "m v.asl.json"}, strings.NewReader(""), &out, &errb)
	matched := 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		m := re.FindStringSubmatch(line)
		if strings.HasPrefix(line, " ") {
			if m != nil {
				t.Errorf("snippet line matches: %q", line)
			}
			continue
		}
		if m == nil {
			t.Errorf("diagnostic line does not match: %q", line)
			continue
		}
		matched++
		if m[p.File] != "m v.asl.json" || m[p.Line] != "1" || m[p.Severity] != "error" || m[p.Code] == "" || m[p.Message] == "" || m[p.Column] == "" {
			t.Errorf("groups of %q: %q", line, m)
		}
	}
	if matched == 0 {
		t.Fatalf("no diagnostic in\n%s", out.String())
	}
}
