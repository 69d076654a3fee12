package run

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/value"
)

// TestState statuses, as AWS's TestState API names them.
const (
	TestSucceeded   = "SUCCEEDED"
	TestCaughtError = "CAUGHT_ERROR"
	TestFailed      = "FAILED"
)

// inspectionSteps are TestState's inspectionData members, in its order (input and variables
// aside).
var inspectionSteps = []string{StepAfterArguments, StepAfterInputPath, StepAfterParameters, StepResult, StepAfterResultSelector, StepAfterResultPath}

// Inspection collects what AWS's TestState reports of one state run alone (a SingleState
// machine): the data-flow steps (its Step method is an Options.Inspect) and, from the history
// (its Event method, for Options.OnEvent), the state's output, the variables it assigned, the
// next state and the error it caught. Safe for concurrent use.
type Inspection struct {
	mu       sync.Mutex
	name     string
	input    any
	vars     *value.Object
	steps    map[string]any
	output   *string
	assigned map[string]any // name → JSON text
	exited   bool
	next     string
	failure  [2]string // the last task failure's error and cause (a caught error)
	failed   bool      // a failure was seen since the last success
	stop     func()    // ends the run (the state went on to itself)
	looped   bool      // it did: the run was stopped there
}

// NewInspection inspects the state named name, run with input and the seeded variables vars
// (nil: none). stop, when not nil, is called when the state goes on to itself, to end the run
// there (the run then counts as succeeded, its next state the state itself).
func NewInspection(name string, input any, vars *value.Object, stop func()) *Inspection {
	return &Inspection{name: name, input: input, vars: vars, stop: stop}
}

// Step records one data-flow step of the inspected state (an Options.Inspect).
func (in *Inspection) Step(st *asl.State, step string, v any) {
	if st.Name != in.name {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.steps == nil {
		in.steps = map[string]any{}
	}
	in.steps[step] = v
}

// Event reads one history event (for Options.OnEvent).
func (in *Inspection) Event(e Event) {
	if e.Child != "" {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	name, _ := e.Details["name"].(string)
	switch {
	case in.exited:
		if in.next == "" && strings.HasSuffix(e.Type, "StateEntered") {
			in.next = name
			if name == in.name && in.stop != nil {
				in.looped = true
				in.stop()
			}
		}
	case strings.HasSuffix(e.Type, "StateExited") && name == in.name:
		in.exited = true
		if s, ok := e.Details["output"].(string); ok {
			in.output = &s
		}
		if a, ok := e.Details["assignedVariables"].(map[string]any); ok {
			in.assigned = a
		}
	case strings.HasSuffix(e.Type, "Failed") && e.Details["error"] != nil:
		in.failure[0], _ = e.Details["error"].(string)
		in.failure[1], _ = e.Details["cause"].(string)
		in.failed = true
	case strings.HasSuffix(e.Type, "Succeeded"):
		in.failed = false
	}
}

// Looped reports whether the run was stopped because the state went on to itself.
func (in *Inspection) Looped() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.looped
}

// TestStateResponse is AWS's TestState response; the data are JSON text. InspectionData is
// nil at inspection level INFO.
type TestStateResponse struct {
	Output         *string       `json:"output,omitempty"`
	Error          string        `json:"error,omitempty"`
	Cause          string        `json:"cause,omitempty"`
	InspectionData *value.Object `json:"inspectionData,omitempty"`
	NextState      string        `json:"nextState,omitempty"`
	Status         string        `json:"status"`
	// Rows are inspectionData's members in order, for a text display.
	Rows []InspectionRow `json:"-"`
}

// InspectionRow is one member of inspectionData: its name and its JSON text.
type InspectionRow struct{ Key, Text string }

// Response is the TestState response of the finished run res (inspection level DEBUG: the
// input, each data-flow step, the variables).
func (in *Inspection) Response(res *Result) *TestStateResponse {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := &TestStateResponse{InspectionData: value.NewObject(8)}
	add := func(key string, v any) {
		text := compactJSON(v)
		r.InspectionData.Set(key, text)
		r.Rows = append(r.Rows, InspectionRow{key, text})
	}
	add("input", in.input)
	for _, s := range inspectionSteps {
		if v, ok := in.steps[s]; ok {
			add(s, v)
		}
	}
	if vars := in.variables(); vars != nil {
		add("variables", vars)
	}
	succeeded := res.Status == Succeeded || in.looped
	switch {
	case !succeeded:
		r.Status, r.Error, r.Cause = TestFailed, res.Error, res.Cause
	case in.failed:
		r.Status, r.Error, r.Cause = TestCaughtError, in.failure[0], in.failure[1]
	default:
		r.Status = TestSucceeded
	}
	if succeeded && in.output != nil {
		r.Output, r.NextState = in.output, in.next
	}
	return r
}

// variables are the seeded variables with those the state assigned, in name order (nil: none).
func (in *Inspection) variables() *value.Object {
	if in.vars == nil && len(in.assigned) == 0 {
		return nil
	}
	out := value.NewObject(0)
	if in.vars != nil {
		for _, m := range in.vars.Members() {
			out.Set(m.Key, m.Value)
		}
	}
	names := make([]string, 0, len(in.assigned))
	for k := range in.assigned {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if s, ok := in.assigned[k].(string); ok {
			out.Set(k, json.RawMessage(s))
		}
	}
	return out
}

// compactJSON is v as compact JSON text, with HTML characters as they are.
func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}
