// Package run is the local interpreter of state machines: it executes an *asl.Machine with task
// handlers (mocks, stubs, shell commands), a clock (real or virtual), and records AWS-shaped
// execution history.
//
// JSON values at run time are those of package value: *value.Object (members in insertion order,
// as AWS keeps them), []any, string, bool, nil and json.Number for numbers (exact text; arithmetic
// converts as AWS does).
package run

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

// Status is the final status of an execution.
type Status string

// Execution statuses, as AWS names them.
const (
	Succeeded Status = "SUCCEEDED"
	Failed    Status = "FAILED"
	TimedOut  Status = "TIMED_OUT"
	Aborted   Status = "ABORTED"
)

// Result is the outcome of one execution.
type Result struct {
	Status Status
	Output any    // when Succeeded
	Error  string // when Failed / TimedOut
	Cause  string
	// Events is the whole history (empty with Options.NoHistory or Options.DiscardEvents); each
	// event's details are in its Details map.
	Events []Event
	// Transitions counts the states entered.
	Transitions int
	// Started and Stopped are the times of the first and the last event (recorded or not).
	Started, Stopped time.Time
}

// Event is one history event in AWS GetExecutionHistory's shape. Its one "<type>EventDetails"
// member (DetailsKey, e.g. "stateEnteredEventDetails") is held either in Details, a map whose
// input/output/parameters are JSON strings as AWS returns them, or, for the events recorded on
// every transition, in Compact without a map (Details is then nil). DetailsMap gives either form
// as a map.
type Event struct {
	ID              int64          `json:"id"`
	PreviousEventID int64          `json:"previousEventId"`
	Timestamp       time.Time      `json:"timestamp"`
	Type            string         `json:"type"`
	Details         map[string]any `json:"-"` // marshalled flat: {"<detailsKey>": {...}}
	DetailsKey      string         `json:"-"` // e.g. "stateEnteredEventDetails"
	Compact         CompactDetails `json:"-"` // the details when Compact.Shape is not NoShape
	// Child names the child execution of a distributed Map whose own history the event belongs
	// to (Options.Children); "" for an event of the execution's history.
	Child string `json:"-"`
}

// Shape says which members an event's CompactDetails stand for.
type Shape uint8

// The shapes of compact details.
const (
	NoShape        Shape = iota // the details, if any, are in Event.Details
	EnteredShape                // {"input": Payload, "inputDetails": {"truncated": false}, "name": Name}
	ExitedShape                 // {"name": Name, "output": Payload, "outputDetails": {"truncated": false}}
	IterationShape              // {"index": Index, "name": Name}
)

// CompactDetails are the details of the most frequent events (a state entered or exited, a Map
// iteration) without a map: recording them allocates nothing but the payload's text.
type CompactDetails struct {
	Shape   Shape
	Name    string // the state's name
	Payload string // the input (EnteredShape) or output (ExitedShape): JSON text
	Index   int    // the iteration (IterationShape)
}

// DetailsMap returns the event's details as a map (nil when it has none): Details, or a new map
// holding Compact's members.
func (e *Event) DetailsMap() map[string]any {
	c := &e.Compact
	switch c.Shape {
	case EnteredShape:
		return map[string]any{"name": c.Name, "input": c.Payload, "inputDetails": map[string]any{"truncated": false}}
	case ExitedShape:
		return map[string]any{"name": c.Name, "output": c.Payload, "outputDetails": map[string]any{"truncated": false}}
	case IterationShape:
		return map[string]any{"index": c.Index, "name": c.Name}
	}
	return e.Details
}

// DetailString returns a text member of the event's details (name, input, output, error, ...)
// in either form, without building a map.
func (e *Event) DetailString(key string) (string, bool) {
	c := &e.Compact
	switch {
	case c.Shape == NoShape:
		s, ok := e.Details[key].(string)
		return s, ok
	case key == "name":
		return c.Name, true
	case key == "input" && c.Shape == EnteredShape, key == "output" && c.Shape == ExitedShape:
		return c.Payload, true
	}
	return "", false
}

// MarshalJSON writes the event as AWS does: id, previousEventId, timestamp, type and the details member.
func (e Event) MarshalJSON() ([]byte, error) {
	m := map[string]any{"id": e.ID, "previousEventId": e.PreviousEventID, "timestamp": e.Timestamp, "type": e.Type}
	if e.DetailsKey != "" {
		m[e.DetailsKey] = e.DetailsMap()
	}
	return json.Marshal(m)
}

// TaskRequest is what a task handler receives.
type TaskRequest struct {
	StateName    string
	Resource     string
	Input        any           // the effective input: Parameters / Arguments applied
	Context      *value.Object // the context object ($$)
	TaskToken    string        // for .waitForTaskToken resources
	Timeout      time.Duration // TimeoutSeconds (0: none)
	Heartbeat    time.Duration // HeartbeatSeconds (0: none)
	ExecutionArn string
	Attempt      int // 0 for the first call of the state in this execution, counting retries and loops
	// MaxOutput is the size of the largest result the task may return, in bytes of JSON text
	// (0: no limit, Options.NoPayloadLimit). A handler that reads its result from a stream stops
	// reading past it and returns OverLimit.
	MaxOutput int
}

// TaskResult is what a handler returns: either Output, or a failure with Error and Cause.
type TaskResult struct {
	Output   any
	Failed   bool
	Error    string // e.g. "States.TaskFailed", "Lambda.ServiceException", a custom error name
	Cause    string
	TimedOut bool // the handler ran past TimeoutSeconds (States.Timeout)
	// OverLimit: the result was larger than MaxOutput (or than the handler's own cap); the task
	// fails with States.DataLimitExceeded, as it does for a large Output.
	OverLimit bool
}

// TaskHandler runs Task states.
type TaskHandler interface {
	Invoke(ctx context.Context, req TaskRequest) TaskResult
}

// TaskHandlerFunc adapts a function to TaskHandler.
type TaskHandlerFunc func(ctx context.Context, req TaskRequest) TaskResult

// Invoke calls f.
func (f TaskHandlerFunc) Invoke(ctx context.Context, req TaskRequest) TaskResult { return f(ctx, req) }

// Clock is the time source: the real clock sleeps, the virtual clock advances instantly.
type Clock interface {
	Now() time.Time
	// Sleep waits d (or returns early with ctx's error when ctx ends).
	Sleep(ctx context.Context, d time.Duration) error
}
