//go:build unix

package cli_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/cli"
)

// sfnMainEnv makes the test binary run sfn itself (cli.Run on its arguments) instead of the
// tests: the signal tests start sfn as a process of its own.
const sfnMainEnv = "SFN_TEST_RUN_AS_SFN"

func init() {
	if os.Getenv(sfnMainEnv) == "1" {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
}

// startSFN starts sfn (this test binary, re-executed) in dir with args; stdout and stderr go to
// the returned buffers.
func startSFN(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), sfnMainEnv+"=1", "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stdout, &stderr
}

// hangingRun writes a machine whose one task runs a handler that starts a background child and
// hangs; handlerPids waits for the two processes to start and returns their ids (the handler's
// first).
func hangingRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"m.asl.json": `{"StartAt": "Hang", "States": {"Hang": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hang", "End": true}}}`,
		"sfn.yaml":   "tasks:\n  Hang: {command: [sh, hang.sh]}\n",
		"hang.sh":    "sleep 100 &\necho $$ $! > pids.tmp\nmv pids.tmp pids\nsleep 100\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func handlerPids(t *testing.T, dir string, cmd *exec.Cmd, stderr *bytes.Buffer) []int {
	t.Helper()
	var pids []int
	for deadline := time.Now().Add(20 * time.Second); len(pids) < 2 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		b, _ := os.ReadFile(filepath.Join(dir, "pids"))
		pids = pids[:0]
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				pids = append(pids, n)
			}
		}
	}
	if len(pids) < 2 {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the handler did not start; stderr:\n%s", stderr)
	}
	t.Cleanup(func() {
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	return pids
}

// waitExit waits for sfn to end and returns its exit code (-1 when a signal ended it).
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("sfn did not end")
		return 0
	}
}

// assertGone fails for each process that is still alive (a zombie counts as gone).
func assertGone(t *testing.T, what string, pids ...int) {
	t.Helper()
	for _, pid := range pids {
		for deadline := time.Now().Add(5 * time.Second); processAlive(pid) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		if processAlive(pid) {
			t.Errorf("process %d survived %s", pid, what)
		}
	}
}

// lastEventType parses a JSON history and returns its number of events and the last one's type.
func lastEventType(t *testing.T, what string, doc []byte) (int, string) {
	t.Helper()
	var h struct {
		Events []struct {
			Type string `json:"type"`
		} `json:"events"`
	}
	if err := json.Unmarshal(doc, &h); err != nil {
		t.Fatalf("%s is not a JSON history (%v):\n%s", what, err, doc)
	}
	if len(h.Events) == 0 {
		return 0, ""
	}
	return len(h.Events), h.Events[len(h.Events)-1].Type
}

// TestRunStopSignals: SIGHUP (the terminal closed), SIGQUIT, SIGTERM and SIGINT each abort the run
// in a sfn process: the handler and its child are killed, the partial history (on standard error
// or in --history-file) is a valid JSON document ending with ExecutionAborted, and sfn exits 130
// without a goroutine dump.
func TestRunStopSignals(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		file bool
	}{
		{syscall.SIGHUP, false},
		{syscall.SIGHUP, true},
		{syscall.SIGQUIT, false},
		{syscall.SIGTERM, true},
		{syscall.SIGINT, false},
	} {
		name := tc.sig.String()
		if tc.file {
			name += " history file"
		}
		t.Run(name, func(t *testing.T) {
			dir := hangingRun(t)
			args := []string{"run", "m.asl.json", "--history", "json"}
			if tc.file {
				args = []string{"run", "m.asl.json", "--history", "none", "--history-file", "h.json"}
				if err := os.WriteFile(filepath.Join(dir, "h.json"), []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd, stdout, stderr := startSFN(t, dir, args...)
			pids := handlerPids(t, dir, cmd, stderr)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			if code := waitExit(t, cmd); code != 130 {
				t.Errorf("exit %d, want 130; stderr:\n%s", code, stderr)
			}
			assertGone(t, name, pids...)
			history, what := stderr.Bytes(), "standard error"
			if tc.file {
				b, err := os.ReadFile(filepath.Join(dir, "h.json"))
				if err != nil {
					t.Fatal(err)
				}
				history, what = b, "h.json"
				if want := "ABORTED in "; !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "goroutine ") {
					t.Errorf("stderr:\n%s", stderr)
				}
			}
			if n, last := lastEventType(t, what, history); n < 4 || last != "ExecutionAborted" {
				t.Errorf("%s: %d events, the last %q", what, n, last)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q", stdout)
			}
		})
	}
}

// TestRunHandlerDiesWithSFN: when sfn is killed outright (SIGKILL: nothing of sfn runs), the
// kernel kills the handler process (Linux's parent-death signal). Its own children are not
// covered: they are in its process group, which the catchable signals kill.
func TestRunHandlerDiesWithSFN(t *testing.T) {
	if !pdeathsigSupported {
		t.Skip("no parent-death signal on this system")
	}
	dir := hangingRun(t)
	cmd, _, stderr := startSFN(t, dir, "run", "m.asl.json", "--history", "none")
	pids := handlerPids(t, dir, cmd, stderr)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd); code != -1 {
		t.Errorf("exit %d after SIGKILL", code)
	}
	assertGone(t, "SIGKILL of sfn", pids[0])
}
