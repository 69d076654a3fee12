package run

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// summaryMachine exercises every counting rule: a Task retried twice and then caught, a Parallel
// of two branches, an inline Map over three items whose processor has two states, and a Succeed.
const summaryMachine = `{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2, "IntervalSeconds": 1}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fan"}], "Next": "Fan"},
  "Fan": {"Type": "Parallel", "ResultPath": null, "Next": "Each", "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 5, "End": true}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null, "Next": "Done",
    "ItemProcessor": {"StartAt": "P1", "States": {"P1": {"Type": "Pass", "Next": "P2"}, "P2": {"Type": "Wait", "Seconds": 1, "End": true}}}},
  "Done": {"Type": "Succeed"}}}`

// TestSummary pins the summary of one run built here: 1 Charge + 1 Fan + A + B + 1 Each + 3 × (P1 +
// P2) + Done = 12 states entered, 2 retries of Charge, so 14 billed transitions.
func TestSummary(t *testing.T) {
	calls := 0
	h := TaskHandlerFunc(func(ctx context.Context, req TaskRequest) TaskResult {
		calls++
		return TaskResult{Failed: true, Error: "Busy", Cause: fmt.Sprint("attempt ", calls)}
	})
	r, err := New(machine(t, summaryMachine), Options{Clock: NewVirtualClock(start()), Handlers: func(*asl.State) TaskHandler { return h }})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Start(context.Background(), value.ObjectOf("items", []any{"x", "y", "z"}))
	if res.Status != Succeeded {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
	s := SummarizeResult(nil, res)
	if s.StatesEntered != 12 || s.Retries != 2 || s.Transitions != 14 || s.ErrorsCaught != 1 || s.ChildTransitions != 0 {
		t.Errorf("entered %d retries %d transitions %d caught %d child %d, want 12 2 14 1 0",
			s.StatesEntered, s.Retries, s.Transitions, s.ErrorsCaught, s.ChildTransitions)
	}
	if s.StatesEntered != res.Transitions {
		t.Errorf("states entered %d, the runner counted %d", s.StatesEntered, res.Transitions)
	}
	byName := map[string]*StateSummary{}
	for _, st := range s.States {
		byName[st.Name] = st
	}
	if c := byName["Charge"]; c == nil || c.Entered != 1 || c.Retries != 2 || c.Failures != 3 || c.ErrorsCaught != 1 || c.Time != 3*time.Second {
		t.Errorf("Charge: %+v, want 1 entry, 2 retries, 3 failures, 1 caught, 3s (retry intervals 1s + 2s)", c)
	}
	if p := byName["P2"]; p == nil || p.Entered != 3 || p.Time != 3*time.Second || p.Max != time.Second {
		t.Errorf("P2: %+v, want 3 entries, 3s, at most 1s", p)
	}
	if len(s.FanOut) != 2 || s.FanOut[0].State != "Fan" || s.FanOut[0].Branches != 2 || s.FanOut[0].Runs != 1 ||
		s.FanOut[1].State != "Each" || s.FanOut[1].Iterations != 3 || s.FanOut[1].MaxConcurrent < 1 {
		for _, f := range s.FanOut {
			t.Logf("fan-out %+v", *f)
		}
		t.Errorf("fan-out wrong")
	}
	var path []string
	for _, p := range s.SlowestPath {
		path = append(path, p.State)
	}
	if got := strings.Join(path, ">"); !strings.HasPrefix(got, "Charge>Fan>A>Each>P1>P2>Done") {
		t.Errorf("slowest path %s, want Charge>Fan>A (the 5 s Wait branch)>Each>P1>P2>Done", got)
	}
	if s.Duration != 3*time.Second+5*time.Second+time.Second {
		t.Errorf("duration %v, want 9s", s.Duration)
	}
}

// TestSummaryHostile summarises generated hostile histories: ids out of order, links forward or to
// themselves, huge ids, events of no state, an exit of a state never entered. None may panic, and
// the states entered are still counted.
func TestSummaryHostile(t *testing.T) {
	ev := func(id, prev int64, typ, name string) Event {
		e := Event{ID: id, PreviousEventID: prev, Type: typ}
		if name != "" {
			e.Details = map[string]any{"name": name}
		}
		return e
	}
	var long []Event
	for i := int64(1); i <= 100000; i++ {
		long = append(long, ev(i, i+1, "PassStateEntered", "P")) // every link points forward
	}
	tests := []struct {
		name    string
		events  []Event
		entered int
	}{
		{"forward links", long, 100000},
		{"self links and huge ids", []Event{ev(5, 5, "TaskStateEntered", "T"), ev(1<<40, 5, "TaskScheduled", ""),
			ev(-3, 1<<40, "TaskScheduled", ""), ev(6, 6, "TaskStateExited", "T")}, 1},
		{"exit without entry", []Event{ev(1, 0, "ExecutionStarted", ""), ev(2, 1, "MapStateExited", "M"),
			ev(3, 2, "MapIterationSucceeded", "M"), ev(4, 3, "ParallelStateSucceeded", ""), ev(5, 4, "ExecutionSucceeded", "")}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Summarize(tc.events)
			if s.StatesEntered != tc.entered {
				t.Errorf("entered %d, want %d", s.StatesEntered, tc.entered)
			}
			if len(s.SlowestPath) > MaxPathSteps {
				t.Errorf("path of %d steps", len(s.SlowestPath))
			}
		})
	}
}

// TestSummaryAWSHistories pins the transition counting against AWS: for every execution of
// ../shared/conformance with a recorded history (skipped when absent), the states entered and the
// retries counted from AWS's history equal those counted from sfn's run of the same case. (AWS's
// normalised Parallel histories have no event ids: their retries cannot be attributed and only the
// states entered are compared.)
func TestSummaryAWSHistories(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(conformanceDir(), "*", "*.json"))
	if len(files) == 0 {
		testshared.Skip(t, "conformance", conformanceDir()+" (or set SFN_CONFORMANCE_DIR)")
	}
	checked, linked, withRetries, transitions := 0, 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c confCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		if len(c.Expected.History) == 0 {
			continue
		}
		aws := Summarize(awsEvents(t, c.Expected.History))
		got, ok := runForSummary(f, &c)
		if !ok {
			continue // sfn does not reproduce the execution's outcome: TestConformance lists those
		}
		sfn := Summarize(got.Events)
		checked++
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		if sfn.StatesEntered != aws.StatesEntered {
			t.Errorf("%s: sfn enters %d states, AWS %d", name, sfn.StatesEntered, aws.StatesEntered)
		}
		if c.Expected.Normalised {
			continue
		}
		linked++
		transitions += aws.Transitions
		if aws.Retries > 0 {
			withRetries++
		}
		if sfn.Transitions != aws.Transitions || sfn.Retries != aws.Retries {
			t.Errorf("%s: sfn bills %d transitions (%d retries), AWS's history %d (%d retries)",
				name, sfn.Transitions, sfn.Retries, aws.Transitions, aws.Retries)
		}
	}
	t.Logf("%d recorded histories compared (%d with event ids: %d billed transitions, %d executions with retries)", checked, linked, transitions, withRetries)
}

// awsEvents turns a recorded history into events (details decoded; timestamps are placeholders).
func awsEvents(t *testing.T, hist []map[string]json.RawMessage) []Event {
	t.Helper()
	out := make([]Event, 0, len(hist))
	for _, raw := range hist {
		var e Event
		for k, v := range raw {
			switch {
			case k == "id":
				_ = json.Unmarshal(v, &e.ID)
			case k == "previousEventId":
				_ = json.Unmarshal(v, &e.PreviousEventID)
			case k == "type":
				_ = json.Unmarshal(v, &e.Type)
			case strings.HasSuffix(k, "EventDetails"):
				e.DetailsKey = k
				_ = json.Unmarshal(v, &e.Details)
			}
		}
		out = append(out, e)
	}
	return out
}

// runForSummary runs a conformance case as TestConformance does (its mocks, on the virtual clock)
// and reports whether the status is the recorded one.
func runForSummary(file string, c *confCase) (*Result, bool) {
	def := stubLambdaRE.ReplaceAll(c.Definition, []byte("arn:aws:lambda:us-east-1:111111111111:function:lambda_function"))
	def = bytes.ReplaceAll(def, []byte(`"activity_arn"`), []byte(`"arn:aws:states:us-east-1:111111111111:activity:activity"`))
	doc, err := load.Parse(file, def, load.JSON)
	if err != nil {
		return nil, false
	}
	mh := &mockHandler{m: &caseMatcher{placeholders: c.Placeholders}, entries: map[string][]*value.Object{}, used: map[string][]bool{}}
	for name, list := range c.Mocks {
		for _, raw := range list {
			e, _ := mustDecode(raw).(*value.Object)
			mh.entries[name] = append(mh.entries[name], e)
		}
		mh.used[name] = make([]bool, len(list))
	}
	startAt, err := time.Parse(time.RFC3339, c.Source.LastValidated)
	if err != nil {
		startAt = replayTime
	}
	r, err := New(asl.Build(doc), Options{Clock: NewVirtualClock(startAt), Handlers: func(*asl.State) TaskHandler { return mh },
		Type: c.Source.Type, ExecutionName: "exec", StateMachineName: "sm", Account: "111111111111"})
	if err != nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res := r.Start(ctx, mustDecode(c.Input))
	return res, string(res.Status) == c.Expected.Status
}

// summaryFuzzTypes are the event types FuzzSummarize draws from.
var summaryFuzzTypes = []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "TaskStateEntered", "TaskScheduled",
	"TaskFailed", "TaskSucceeded", "TaskStateExited", "TaskStateAborted", "MapStateEntered", "MapStateStarted", "MapIterationStarted",
	"MapIterationSucceeded", "MapStateSucceeded", "MapStateExited", "MapRunStarted", "ParallelStateEntered", "ParallelStateStarted",
	"ParallelStateSucceeded", "ParallelStateExited", "EvaluationFailed", "ExecutionFailed", "ExecutionSucceeded"}

// FuzzSummarize feeds arbitrary event sequences (types, ids, links and names from the fuzzer's
// bytes) to the summariser: it must never panic, count every StateEntered event, and keep the
// slowest path within MaxPathSteps.
func FuzzSummarize(f *testing.F) {
	f.Add([]byte{0, 1, 0, 1, 2, 1, 2, 2, 2})
	f.Add([]byte{9, 1, 0, 10, 2, 1, 11, 3, 2, 1, 4, 3, 2, 5, 4, 12, 6, 5, 13, 7, 6, 14, 8, 7})
	f.Fuzz(func(t *testing.T, b []byte) {
		var events []Event
		entered := 0
		for i := 0; i+2 < len(b) && len(events) < 2000; i += 3 {
			typ := summaryFuzzTypes[int(b[i])%len(summaryFuzzTypes)]
			e := Event{ID: int64(int8(b[i+1])), PreviousEventID: int64(int8(b[i+2])), Type: typ,
				Details: map[string]any{"name": string(rune('A' + b[i]%4)), "input": strings.Repeat("x", int(b[i+2]%8))}}
			if strings.HasSuffix(typ, "StateEntered") {
				entered++
			}
			events = append(events, e)
		}
		s := Summarize(events)
		if s.StatesEntered != entered || s.Transitions != s.StatesEntered+s.Retries || len(s.SlowestPath) > MaxPathSteps {
			t.Fatalf("entered %d (want %d), transitions %d, retries %d, path %d", s.StatesEntered, entered, s.Transitions, s.Retries, len(s.SlowestPath))
		}
		var sb strings.Builder
		if err := WriteSummaryText(&sb, s, nil, "virtual"); err != nil {
			t.Fatal(err)
		}
	})
}
