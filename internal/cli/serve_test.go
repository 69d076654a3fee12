package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "mock.json")
	if err := os.WriteFile(bad, []byte(`{"StateMachines": `), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serve", "--clock", "fast"}, exitUsage, `unknown --clock "fast"`},
		{[]string{"serve", "--account", "12"}, exitUsage, "12-digit account id"},
		{[]string{"serve", "--mock-config", bad}, exitUsage, "mock.json"},
		{[]string{"serve", "--mock-config", filepath.Join(dir, "none.json")}, exitUsage, "none.json"},
		{[]string{"serve", "--addr", "127.0.0.1:99999"}, exitIO, "--addr 127.0.0.1:99999"},
		{[]string{"serve", "extra"}, exitUsage, "unknown command"},
		{[]string{"serve", "--lambda-endpoint", "localhost:3001"}, exitUsage, "--lambda-endpoint"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := Run(c.args, strings.NewReader(""), &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, stderr.String(), c.code, c.msg)
		}
	}
}

// The server answers until its context ends (SIGTERM), then stops cleanly.
func TestServeUntilStopped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := serveOptions(&serveFlags{account: "123456789012", clock: "virtual"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serveUntil(ctx, ln, opts, &stderr) }()

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String(), strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"stateMachines":[]`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "the Step Functions API on http://127.0.0.1:") || !strings.Contains(stderr.String(), "stopping") {
		t.Errorf("stderr: %s", stderr.String())
	}
}
