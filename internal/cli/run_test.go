package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/cli"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func processAlive(pid int) bool {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		return len(f) > 0 && f[0] != "Z"
	}
	return syscall.Kill(pid, 0) == nil
}

// TestRunInterrupt: Ctrl-C aborts the run, kills the handler processes with their children,
// prints the partial history and exits 130; a real Wait over 5 s prints the --clock virtual hint.
func TestRunInterrupt(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	files := map[string]string{
		"m.asl.json": `{"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
		  {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": true}}},
		  {"StartAt": "Hang", "States": {"Hang": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hang", "End": true}}}]}}}`,
		"sfn.yaml": "tasks:\n  Hang: {command: [sh, hang.sh]}\n",
		"hang.sh":  "sleep 100 &\necho $! > pids\necho $$ >> pids\nsleep 100\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("NO_COLOR", "1")
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() { done <- cli.Run([]string{"run", "m.asl.json"}, strings.NewReader(""), &stdout, &stderr) }()

	var pids []int
	deadline := time.Now().Add(10 * time.Second)
	for (len(pids) < 2 || !strings.Contains(stderr.String(), "--clock virtual")) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		pids = pids[:0]
		b, _ := os.ReadFile("pids")
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				pids = append(pids, n)
			}
		}
	}
	if len(pids) < 2 {
		t.Fatalf("the handler did not start; stderr:\n%s", stderr.String())
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 130 {
			t.Errorf("exit %d, want 130", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop on SIGINT")
	}
	out := stderr.String()
	for _, want := range []string{"sfn: waiting 1m0s for real; --clock virtual", "TaskStateEntered", "ExecutionAborted", "ABORTED in "} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
	if stdout.String() != "" {
		t.Errorf("stdout: %q", stdout.String())
	}
	deadline = time.Now().Add(3 * time.Second)
	for _, pid := range pids {
		for processAlive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if processAlive(pid) {
			t.Errorf("process %d survived Ctrl-C", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// TestRunSamples runs the samples the README walks through.
func TestRunSamples(t *testing.T) {
	t.Chdir(repoRoot)
	t.Setenv("NO_COLOR", "1")
	op := "samples/order-processing/"
	for _, tc := range []struct {
		name string
		args []string
		exit int
		want []string // in stdout (exit 0) or stderr
	}{
		{"order commands", []string{op + "order-processing.asl.json", "--input", op + "input.json"}, 0,
			[]string{`"trackingNumber": "1Z-ord-1001"`, `"transactionId": "txn-ord-1001"`}},
		{"order commands declined", []string{op + "order-processing.asl.json", "--input", op + "input-declined.json"}, 1,
			[]string{`"status":"DECLINED"`, "FailStateEntered", "FAILED in ", "OrderFailed"}},
		{"order commands invalid", []string{op + "order-processing.asl.json", "--input", op + "input-invalid.json"}, 1,
			[]string{`"Payload":{"valid":false,"reason":`, "OrderFailed"}}, // the handler's order
		{"order mock happy path", []string{op + "order-processing.asl.json", "--input", op + "input.json", "--clock", "virtual",
			"--mock-config", op + "MockConfigFile.json", "--test-case", "HappyPath"}, 0,
			[]string{`"transactionId": "txn-mock-1"`, `"trackingNumber": "1Z-MOCK"`}},
		{"order mock payment declined", []string{op + "order-processing.asl.json", "--input", op + "input.json", "--clock", "virtual",
			"--mock-config", op + "MockConfigFile.json", "--test-case", "PaymentDeclined"}, 1,
			[]string{`"status":"DECLINED"`, "Payment Successful?", "FailStateEntered", "FAILED in 0s: OrderFailed"}},
		{"image pipeline", []string{"samples/image-pipeline/image-pipeline.asl.json", "--input", "samples/image-pipeline/input.json", "--clock", "virtual"}, 0,
			[]string{`"images": 5`, `"error": "ImageCorrupt"`, `"webp": "webp/mountain.webp"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Run(append([]string{"run"}, tc.args...), strings.NewReader(""), &stdout, &stderr)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.exit, stdout.String(), stderr.String())
			}
			got := stderr.String()
			if tc.exit == 0 {
				got = stdout.String()
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in\n%s", w, got)
				}
			}
		})
	}
}
