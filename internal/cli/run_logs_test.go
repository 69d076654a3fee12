package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
)

// TestRunHandlerLogsFile: with --history-file FILE, what command handlers print on stderr is
// kept in FILE.logs.jsonl (the history stays AWS's JSON); a run without any line removes a
// logs file an earlier run left.
func TestRunHandlerLogsFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("m.asl.json", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:t", "End": true}}}`)
	write("sfn.yaml", "tasks:\n  T: {command: [sh, -c, 'echo one >&2; echo \"two \\\"quoted\\\"\" >&2; echo 1']}\n")
	var stdout, stderr bytes.Buffer
	args := []string{"run", "m.asl.json", "--clock", "virtual", "--start-time", "2024-05-01T10:00:00Z", "--history", "none", "--history-file", "h.json"}
	if code := cli.Run(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := os.ReadFile("h.json.logs.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"timestamp":"2024-05-01T10:00:00Z","state":"T","attempt":0,"line":"one"}` + "\n" +
		`{"timestamp":"2024-05-01T10:00:00Z","state":"T","attempt":0,"line":"two \"quoted\""}` + "\n"
	if string(got) != want {
		t.Errorf("logs file:\n%s\nwant\n%s", got, want)
	}
	if h, _ := os.ReadFile("h.json"); !bytes.Contains(h, []byte(`"events"`)) || bytes.Contains(h, []byte("quoted")) {
		t.Errorf("history is not AWS's JSON alone: %.200s", h)
	}
	// A run whose handlers print nothing removes the old logs file.
	write("sfn.yaml", "tasks:\n  T: {result: 1}\n")
	if code := cli.Run(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat("h.json.logs.jsonl"); !os.IsNotExist(err) {
		t.Errorf("stale logs file kept: %v", err)
	}
}
