//go:build unix

package cli_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// watchedSFN is sfn started with --watch, its stderr read line by line.
type watchedSFN struct {
	cmd    *exec.Cmd
	stdout *bytes.Buffer
	lines  chan string
	seen   []string
}

func startWatched(t *testing.T, dir string, args ...string) *watchedSFN {
	t.Helper()
	w := &watchedSFN{cmd: exec.Command(os.Args[0], args...), stdout: &bytes.Buffer{}, lines: make(chan string, 100)}
	w.cmd.Dir = dir
	w.cmd.Env = append(os.Environ(), sfnMainEnv+"=1", "NO_COLOR=1")
	w.cmd.Stdout = w.stdout
	stderr, err := w.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.cmd.Process.Kill(); _ = w.cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			w.lines <- sc.Text()
		}
		close(w.lines)
	}()
	return w
}

// waitFor reads stderr lines until one starts with prefix.
func (w *watchedSFN) waitFor(t *testing.T, prefix string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-w.lines:
			if !ok {
				t.Fatalf("sfn ended before %q; stderr so far:\n%s", prefix, strings.Join(w.seen, "\n"))
			}
			w.seen = append(w.seen, l)
			if strings.HasPrefix(l, prefix) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q; stderr so far:\n%s", prefix, strings.Join(w.seen, "\n"))
		}
	}
}

// interrupt sends SIGINT and checks that sfn exits 130.
func (w *watchedSFN) interrupt(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for range w.lines { // until sfn closes stderr
	}
	err := w.cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("exit: %v, want 130", err)
	}
}

// TestRunWatch: sfn run --watch runs again when a handler script changes.
func TestRunWatch(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"m.asl.json": `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}`,
		"sfn.yaml":   "tasks:\n  T: {command: [sh, h.sh]}\n",
		"h.sh":       "echo '{\"v\": 1}'\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w := startWatched(t, dir, "run", "--watch", "--history", "none", "m.asl.json")
	w.waitFor(t, "sfn: watching 3 paths for changes (Ctrl-C to stop)")
	if err := os.WriteFile(filepath.Join(dir, "h.sh"), []byte("echo '{\"v\": 2}'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "sfn: watching 3 paths")
	w.interrupt(t)
	if out := w.stdout.String(); !strings.Contains(out, `"v": 1`) || !strings.Contains(out, `"v": 2`) {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, strings.Join(w.seen, "\n"))
	}
}

// TestValidateWatch runs sfn validate --watch as a process: it reports the broken file, checks
// again when the file is fixed, and exits 130 on Ctrl-C (SIGINT). The test waits on sfn's own
// "watching" lines, with a generous bound.
func TestValidateWatch(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "m.asl.json")
	bad := `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}`
	if err := os.WriteFile(def, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	w := startWatched(t, dir, "validate", "--watch", "-v", "m.asl.json")
	w.waitFor(t, "1 file checked, 1 with problems")
	w.waitFor(t, "sfn: watching 1 path for changes (Ctrl-C to stop)")
	if err := os.WriteFile(def, []byte(`{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "1 file checked, no problems")
	w.waitFor(t, "sfn: watching 1 path")
	w.interrupt(t)
	if !strings.Contains(w.stdout.String(), "Missing 'Next' target: Nope") {
		t.Errorf("stdout:\n%s", w.stdout.String())
	}
}
