package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/internal/atomicfile"
	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/run"
)

// logsSuffix names the file beside --history-file FILE that keeps what command handlers printed
// on stderr: FILE.logs.jsonl, one JSON object a line ({"timestamp", "state", "attempt",
// "line"}). The history itself stays exactly AWS's GetExecutionHistory JSON.
const logsSuffix = ".logs.jsonl"

// maxLogBytes bounds the handler lines kept for the logs file; later lines are counted, not kept.
const maxLogBytes = 16 << 20

// handlerLogs routes the stderr lines of command handlers (handler.Options.Logs): into the
// history table under their state, else onto stderr behind the state's name (not while the JSON
// history is there), and into FILE.logs.jsonl with --history-file.
type handlerLogs struct {
	mu      sync.Mutex
	out     *runOutput // nil until the output is set up
	clock   run.Clock  // the run's clock, for timestamps (nil: none yet)
	keep    bool       // --history-file: keep the lines for the logs file
	kept    bytes.Buffer
	dropped int
}

// log takes one line (handler.LogFunc).
func (l *handlerLogs) log(state string, attempt int, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.out == nil:
	case l.out.table != nil:
		l.out.table.Log(state, line)
	case !l.out.quiet:
		printLine(l.out.stderr, "%s │ %s", safetext.Escape(state), safetext.Escape(line))
	}
	if !l.keep {
		return
	}
	var at time.Time
	if l.clock != nil {
		at = l.clock.Now().UTC()
	}
	rec, err := json.Marshal(struct {
		Timestamp string `json:"timestamp"`
		State     string `json:"state"`
		Attempt   int    `json:"attempt"`
		Line      string `json:"line"`
	}{at.Format(time.RFC3339Nano), state, attempt, line})
	if err != nil || l.kept.Len()+len(rec) > maxLogBytes {
		l.dropped++
		return
	}
	l.kept.Write(rec)
	l.kept.WriteByte('\n')
}

// setOutput starts showing lines (before it, none can come: no handler has run).
func (l *handlerLogs) setOutput(out *runOutput) {
	l.mu.Lock()
	l.out = out
	l.mu.Unlock()
}

// setClock sets the clock that timestamps the lines.
func (l *handlerLogs) setClock(c run.Clock) {
	l.mu.Lock()
	l.clock = c
	l.mu.Unlock()
}

// finish writes the logs file of --history-file FILE (nothing without one).
func (l *handlerLogs) finish(historyFile string) error {
	if historyFile == "" {
		return nil
	}
	return l.write(historyFile)
}

// write replaces HISTORY.logs.jsonl with the kept lines; without any, it removes one left by an
// earlier run (it would not belong to this history).
func (l *handlerLogs) write(historyFile string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	name := historyFile + logsSuffix
	if l.kept.Len() == 0 {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return &exitError{code: exitIO, err: &pathError{name, err}}
		}
		return nil
	}
	if l.dropped > 0 {
		fmt.Fprintf(&l.kept, "{\"dropped\":%d}\n", l.dropped)
	}
	if err := atomicfile.WriteFile(name, l.kept.Bytes(), 0o644); err != nil {
		return &exitError{code: exitIO, err: &pathError{name, err}}
	}
	return nil
}
