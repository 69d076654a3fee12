package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/run"
)

// WriteJSON writes events as AWS GetExecutionHistory returns them: {"events": [...]}.
func WriteJSON(w io.Writer, events []run.Event) error {
	jw := NewJSONWriter(w)
	for _, e := range events {
		jw.Event(e)
	}
	return jw.Close()
}

// The layout of the JSON history: an object with one member, "events", holding the events
// indented two levels (as json.Encoder with SetIndent("", "  ") writes the whole document).
const (
	jsonStart     = "{\n  \"events\": ["
	jsonEventSep  = ",\n    "
	jsonEventPre  = "\n    "
	jsonEnd       = "\n  ]\n}\n"
	jsonEmptyEnd  = "]\n}\n"
	jsonIndent    = "  "
	jsonEventBase = "    "
)

// JSONWriter streams a history as WriteJSON writes it, one event at a time, so that memory does
// not grow with the history: the document's start is written at once, each event as it is
// given, and the end by Close. It writes through a buffer; Close flushes it. After a write error
// it discards the rest and Close returns the error. It is safe for concurrent use.
type JSONWriter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	buf    bytes.Buffer  // one event's text, reused
	enc    *json.Encoder // encodes into buf
	n      int           // events written
	err    error
	closed bool
}

// NewJSONWriter starts a JSON history on w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	jw := &JSONWriter{w: bufio.NewWriterSize(w, 64<<10)}
	jw.enc = json.NewEncoder(&jw.buf)
	jw.enc.SetIndent(jsonEventBase, jsonIndent)
	jw.enc.SetEscapeHTML(false)
	_, jw.err = jw.w.WriteString(jsonStart)
	return jw
}

// Event writes e (a run.Options.OnEvent function).
func (jw *JSONWriter) Event(e run.Event) {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	if jw.err != nil || jw.closed {
		return
	}
	jw.buf.Reset()
	if jw.err = jw.enc.Encode(e); jw.err != nil {
		return
	}
	sep := jsonEventSep
	if jw.n == 0 {
		sep = jsonEventPre
	}
	jw.n++
	if _, jw.err = jw.w.WriteString(sep); jw.err != nil {
		return
	}
	// C1 controls and bidi overrides become \u escapes (the same JSON value) so the history can
	// be read on a terminal safely.
	_, jw.err = jw.w.Write(safetext.JSON(bytes.TrimSuffix(jw.buf.Bytes(), []byte("\n"))))
}

// Close ends the document (a partial history is a valid one) and flushes it; it returns the
// first error of any write. Events given after Close are ignored.
func (jw *JSONWriter) Close() error {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	if jw.closed {
		return jw.err
	}
	jw.closed = true
	if jw.err != nil {
		return jw.err
	}
	end := jsonEnd
	if jw.n == 0 {
		end = jsonEmptyEnd
	}
	if _, jw.err = jw.w.WriteString(end); jw.err != nil {
		return jw.err
	}
	jw.err = jw.w.Flush()
	return jw.err
}
