package history

import (
	"encoding/json"
	"io"
	"sync"

	"github.com/sfn-tool/sfn/run"
)

// WriteJSON writes events as AWS GetExecutionHistory returns them: {"events": [...]}.
func WriteJSON(w io.Writer, events []run.Event) error {
	if events == nil {
		events = []run.Event{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Events []run.Event `json:"events"`
	}{events})
}

// Recorder keeps the events it is given, for WriteJSON after (or during) a run. It is safe for
// concurrent use.
type Recorder struct {
	mu     sync.Mutex
	events []run.Event
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// Event records e.
func (r *Recorder) Event(e run.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// Events returns a copy of the events recorded so far.
func (r *Recorder) Events() []run.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]run.Event(nil), r.events...)
}
