package cli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/sfn-tool/sfn/internal/atomicfile"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/run/history"
)

// historySink streams a run's JSON history (--history json, --history-file) as events happen, so
// that memory does not grow with the history: to standard error, or to a file that replaces
// FILE atomically when the run ends (an interrupted run leaves a complete partial history).
type historySink struct {
	mu   sync.Mutex
	json *history.JSONWriter
	file *atomicfile.File // nil: standard error
	name string           // --history-file
	done bool
}

// openHistory returns the sink the flags ask for (nil: none). --history-file takes the JSON
// history; else --history json puts it on standard error.
func openHistory(f *runFlags, stderr io.Writer) (*historySink, error) {
	switch {
	case f.historyFile != "":
		af, err := atomicfile.Create(f.historyFile, 0o644)
		if err != nil {
			return nil, &exitError{code: exitIO, err: &pathError{f.historyFile, err}}
		}
		return &historySink{json: history.NewJSONWriter(af), file: af, name: f.historyFile}, nil
	case f.history == "json":
		return &historySink{json: history.NewJSONWriter(stderr)}, nil
	}
	return nil, nil
}

// event writes one event (run.Options.OnEvent).
func (s *historySink) event(e run.Event) {
	s.mu.Lock()
	s.json.Event(e)
	s.mu.Unlock()
}

// finish ends the JSON document and, for a file, replaces FILE with it; a write error is an
// exit-3 error naming the output.
func (s *historySink) finish() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	s.done = true
	err := s.json.Close()
	switch {
	case s.file == nil && err != nil:
		return &exitError{code: exitIO, err: fmt.Errorf("writing the history to standard error: %w", err)}
	case s.file == nil:
		return nil
	case err != nil:
		s.file.Abort()
		return &exitError{code: exitIO, err: &pathError{s.name, err}}
	}
	if err := s.file.Commit(); err != nil {
		return &exitError{code: exitIO, err: &pathError{s.name, err}}
	}
	return nil
}

// abort drops a history file that is not finished (FILE stays as it was). It gives up rather than
// wait for a write in progress (the second signal of stopOnSignal).
func (s *historySink) abort() {
	if s == nil || !s.mu.TryLock() {
		return
	}
	defer s.mu.Unlock()
	if !s.done && s.file != nil {
		s.file.Abort()
	}
	s.done = true
}

// stopSignals end a run as Ctrl-C does: SIGHUP (the terminal closed, an SSH session dropped) and
// SIGQUIT as well, so that handler processes never outlive sfn and SIGQUIT prints no goroutine
// dump.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// stopOnSignal watches stopSignals until the returned function is called. The first signal calls
// cancel (the execution is aborted, the partial history is written) and kills the handler
// processes with their process groups; a second one ends sfn at once (exit 130), dropping an
// unfinished history file. interrupted reports whether a signal came.
func stopOnSignal(cancel func(), sink *historySink) (stop func(), interrupted func() bool) {
	sigc := make(chan os.Signal, 2)
	signal.Notify(sigc, stopSignals...)
	done := make(chan struct{})
	var mu sync.Mutex
	var got bool
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-sigc:
		case <-done:
			return
		}
		mu.Lock()
		got = true
		mu.Unlock()
		handler.KillAll()
		cancel()
		select {
		case <-sigc:
			handler.KillAll()
			sink.abort()
			os.Exit(exitInterrupted)
		case <-done:
		}
	}()
	stop = func() {
		signal.Stop(sigc)
		close(done)
		<-finished
	}
	interrupted = func() bool {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
	return stop, interrupted
}

// eventSinks is the OnEvent function that feeds the table and the JSON history (either may be
// nil) and the span of the history.
func eventSinks(table *history.Table, sink *historySink, span *eventSpan) func(run.Event) {
	return func(e run.Event) {
		if e.Child != "" { // a child execution's own history (--children): the table shows it
			if table != nil {
				table.Event(e)
			}
			return
		}
		span.event(e)
		if table != nil {
			table.Event(e)
		}
		if sink != nil {
			sink.event(e)
		}
	}
}

// eventSpan keeps the times of the first and the last history event, for the status line (the
// runner keeps no events).
type eventSpan struct {
	first, last time.Time
	n           int
}

func (s *eventSpan) event(e run.Event) {
	if s.n == 0 {
		s.first = e.Timestamp
	}
	s.last = e.Timestamp
	s.n++
}
