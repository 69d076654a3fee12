package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// waitTimeout bounds every wait of the watch tests; it is generous: the tests wait on events,
// never on time.
const waitTimeout = 30 * time.Second

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWatchLoop: a run, then a re-run for a write, an editor's save (new file renamed over the
// old one) and a new entry of a watched directory; the loop ends when its context does.
func TestWatchLoop(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "m.asl.json")
	tree := filepath.Join(dir, "defs")
	if err := os.Mkdir(tree, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, def, "{}")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs, ready := make(chan int, 10), make(chan struct{}, 10)
	n := 0
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- watchLoop(ctx, watchConfig{Debounce: time.Millisecond, Clear: true, Out: &out, Ready: func() { ready <- struct{}{} }},
			func() []string {
				n++
				runs <- n
				return []string{def, tree}
			})
	}()
	if recv(t, runs, "the first run") != 1 {
		t.Fatal("first run is not 1")
	}
	recv(t, ready, "the watch")
	write(t, def, `{"a": 1}`)
	if recv(t, runs, "the re-run after a write") != 2 {
		t.Fatal("no second run")
	}
	recv(t, ready, "the watch")
	tmp := filepath.Join(dir, ".m.asl.json.swp")
	write(t, tmp, `{"a": 2}`)
	if err := os.Rename(tmp, def); err != nil {
		t.Fatal(err)
	}
	if recv(t, runs, "the re-run after a rename") != 3 {
		t.Fatal("no third run")
	}
	recv(t, ready, "the watch")
	write(t, filepath.Join(tree, "new.asl.json"), "{}")
	if recv(t, runs, "the re-run after a new file in a walked directory") != 4 {
		t.Fatal("no fourth run")
	}
	recv(t, ready, "the watch")
	cancel()
	if err := recv(t, done, "the end of the loop"); err != nil {
		t.Fatal(err)
	}
	if got := bytes.Count(out.Bytes(), []byte(clearScreen)); got != 3 {
		t.Errorf("screen cleared %d times, want 3 (before each re-run)", got)
	}
	if !bytes.Contains(out.Bytes(), []byte("sfn: watching 2 paths for changes (Ctrl-C to stop)")) {
		t.Errorf("no watching line:\n%s", out.String())
	}
}

// TestWatchSetConcerns: which event names re-run.
func TestWatchSetConcerns(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "defs")
	if err := os.Mkdir(tree, 0o755); err != nil {
		t.Fatal(err)
	}
	s := newWatchSet([]string{filepath.Join(dir, "m.json"), tree, filepath.Join(dir, "sfn.yaml")})
	for name, want := range map[string]bool{
		filepath.Join(dir, "m.json"):             true,
		filepath.Join(dir, "sfn.yaml"):           true,
		filepath.Join(dir, "history.json"):       false, // a file written beside the definition
		filepath.Join(dir, ".m.json.swp"):        false,
		filepath.Join(tree, "new.asl.json"):      true,
		filepath.Join(tree, "sub"):               true,  // a new directory: walked at the re-run
		filepath.Join(tree, ".new.asl.json.swp"): false, // an editor's swap file
		filepath.Join(tree, "notes.txt"):         false,
		filepath.Join(tree, "sub", "deep.json"):  false,
		filepath.Join(dir, "other", "m.json"):    false,
	} {
		if got := s.concerns(name); got != want {
			t.Errorf("concerns(%s) = %v, want %v", name, got, want)
		}
	}
	if got := s.sortedDirs(); len(got) != 2 || got[0] != dir || got[1] != tree {
		t.Errorf("dirs %q", got)
	}
}

// TestWatchLoopUnwatchable: a path in a directory that does not exist is reported and skipped;
// the loop still ends with its context.
func TestWatchLoopUnwatchable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	ready := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- watchLoop(ctx, watchConfig{Debounce: time.Millisecond, Out: &out, Ready: func() { ready <- struct{}{} }},
			func() []string { return []string{filepath.Join(t.TempDir(), "gone", "m.json")} })
	}()
	recv(t, ready, "the watch")
	cancel()
	if err := recv(t, done, "the end of the loop"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains([]byte(out.String()), []byte("sfn: warning: --watch: cannot watch ")) {
		t.Errorf("no warning:\n%s", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
