package history

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/sfn-tool/sfn/run"
)

// TestPipeOrder: every event is delivered once, in order, from one goroutine at a time; Sync
// returns only when the events given so far are delivered; events after Close are dropped.
func TestPipeOrder(t *testing.T) {
	for _, n := range []int{0, 1, pipeBatch - 1, pipeBatch, pipeMax + 3, 3 * pipeMax} {
		var mu sync.Mutex
		var got []int64
		inside := false
		p := NewPipe(func(e run.Event) {
			mu.Lock()
			if inside {
				t.Error("delivered concurrently")
			}
			inside = true
			got = append(got, e.ID)
			inside = false
			mu.Unlock()
		})
		for i := 1; i <= n; i++ {
			p.Event(run.Event{ID: int64(i)})
			if i == n/2 {
				p.Sync()
				mu.Lock()
				if len(got) != i {
					t.Errorf("n=%d: %d events delivered after Sync, want %d", n, len(got), i)
				}
				mu.Unlock()
			}
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		p.Event(run.Event{ID: -1})
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("n=%d: %d events delivered", n, len(got))
		}
		for i, id := range got {
			if id != int64(i+1) {
				t.Fatalf("n=%d: event %d is %d", n, i+1, id)
			}
		}
	}
}

// TestPipeBounded: a consumer that does not keep up holds the producer back at pipeMax events.
func TestPipeBounded(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	delivered := 0
	p := NewPipe(func(run.Event) {
		<-release
		mu.Lock()
		delivered++
		mu.Unlock()
	})
	given := make(chan int)
	go func() {
		for i := range 2*pipeMax + 2 {
			p.Event(run.Event{ID: int64(i)})
		}
		given <- 0
	}()
	// The consumer blocks on its first event: at most one batch taken plus pipeMax waiting.
	for range 2*pipeMax + 2 {
		release <- struct{}{}
	}
	<-given
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if delivered != 2*pipeMax+2 {
		t.Fatalf("%d delivered", delivered)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if cap(p.spare) > 2*pipeMax {
		t.Fatalf("queue grew to %d events", cap(p.spare))
	}
}

// TestPipePanic: a consumer's panic is reported by Close, not raised, and producers do not block.
func TestPipePanic(t *testing.T) {
	p := NewPipe(func(e run.Event) {
		if e.ID == 3 {
			panic("boom")
		}
	})
	for i := range 3 * pipeMax {
		p.Event(run.Event{ID: int64(i)})
	}
	p.Sync()
	err := p.Close()
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Close: %v", err)
	}
}

// TestPipeTableOrder: a line printed in the table between events (Print, Log) comes after the
// events given to the pipe before it.
func TestPipeTableOrder(t *testing.T) {
	var out bytes.Buffer
	tab := NewTable(&out, TableOptions{})
	p := NewPipe(tab.Event)
	tab.SetSync(p.Sync)
	for i := 1; i <= 3*pipeBatch; i++ {
		p.Event(run.Event{ID: int64(i), PreviousEventID: int64(i - 1), Timestamp: t0, Type: "PassStateEntered",
			DetailsKey: "stateEnteredEventDetails", Compact: run.CompactDetails{Shape: run.EnteredShape, Name: "P", Payload: "{}"}})
	}
	tab.Print("note")
	tab.Log("P", "log line")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	tab.Close()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3*pipeBatch+2 || lines[3*pipeBatch] != "note" || !strings.Contains(lines[3*pipeBatch+1], "log line") {
		t.Fatalf("%d lines, the last ones %q", len(lines), lines[max(0, len(lines)-3):])
	}
}
