package run

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func machine(t testing.TB, def string) *asl.Machine {
	t.Helper()
	doc, err := load.Parse("def.json", []byte(def), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	return asl.Build(doc)
}

func start() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }

func runDef(t *testing.T, def string, input string, h TaskHandlerFunc) *Result {
	t.Helper()
	r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), ExecutionName: "e1",
		Handlers: func(*asl.State) TaskHandler { return h }})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := load.DecodeJSON([]byte(input))
	return r.Start(context.Background(), in)
}

const retryDef = `{
  "StartAt": "W",
  "States": {
    "W": {"Type": "Wait", "Seconds": 30, "Next": "T"},
    "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
      "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 3, "JitterStrategy": "FULL"}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "P"}],
      "ResultSelector": {"n.$": "$.n", "retries.$": "$$.State.RetryCount"}, "ResultPath": "$.r", "Next": "M"},
    "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
      "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "ResultPath": "$.items", "Next": "P"},
    "P": {"Type": "Pass", "End": true}
  }
}`

// flaky fails twice with Boom, then succeeds.
func flaky() TaskHandlerFunc {
	var calls atomic.Int32
	return func(ctx context.Context, req TaskRequest) TaskResult {
		if calls.Add(1) <= 2 {
			return TaskResult{Failed: true, Error: "Boom", Cause: "try again"}
		}
		return TaskResult{Output: map[string]any{"n": 7}}
	}
}

func TestRetryAndVirtualClock(t *testing.T) {
	res := runDef(t, retryDef, `{"items": [1, 2, 3]}`, flaky())
	if res.Status != Succeeded {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
	// "r" is appended after the input's members; ResultSelector's path fields come in AWS's
	// (Java HashMap) order.
	if got := toJSON(res.Output); got != `{"items":[1,2,3],"r":{"retries":2,"n":7}}` {
		t.Fatalf("output %s", got)
	}
	last := res.Events[len(res.Events)-1]
	if d := last.Timestamp.Sub(start()); d < 30*time.Second || d > 30*time.Second+8*time.Second {
		t.Fatalf("virtual time advanced by %v", d)
	}
	for i, e := range res.Events {
		if e.ID != int64(i+1) {
			t.Fatalf("event %d has id %d", i, e.ID)
		}
	}
}

// The same definition, input, handlers and virtual clock give a byte-identical history.
func TestDeterministicHistory(t *testing.T) {
	var first []byte
	for i := 0; i < 5; i++ {
		res := runDef(t, retryDef, `{"items": [1, 2, 3]}`, flaky())
		b, err := json.Marshal(res.Events)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, b)
		}
	}
}

func TestCatchAndErrorOutput(t *testing.T) {
	res := runDef(t, retryDef, `{"items": []}`, func(ctx context.Context, req TaskRequest) TaskResult {
		return TaskResult{Failed: true, Error: "Other", Cause: "no"}
	})
	if got := toJSON(res.Output); res.Status != Succeeded || got != `{"items":[],"err":{"Error":"Other","Cause":"no"}}` {
		t.Fatalf("%s %s", res.Status, got)
	}
}

// A failing Parallel branch cancels its sibling, whose handler never returns on its own.
func TestParallelFailureCancelsSiblings(t *testing.T) {
	def := `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
	  {"StartAt": "Hang", "States": {"Hang": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}},
	  {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}]}}}`
	res := runDef(t, def, `{}`, func(ctx context.Context, req TaskRequest) TaskResult {
		<-ctx.Done()
		return TaskResult{Failed: true, Error: "cancelled"}
	})
	if res.Status != Failed || res.Error != "E" || res.Cause != "C" {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
	var types []string
	for _, e := range res.Events {
		types = append(types, e.Type)
	}
	s := strings.Join(types, ",")
	if strings.Contains(s, "TaskStateEntered") != strings.Contains(s, "TaskStateAborted") || !strings.HasSuffix(s, "ParallelStateFailed,ExecutionFailed") {
		t.Fatalf("history %s", s)
	}
}

func TestMachineTimeoutVirtual(t *testing.T) {
	def := `{"StartAt": "W", "TimeoutSeconds": 60, "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}`
	res := runDef(t, def, `{}`, nil)
	if res.Status != TimedOut || res.Error != "States.Timeout" {
		t.Fatalf("%s %s", res.Status, res.Error)
	}
	last := res.Events[len(res.Events)-1]
	if last.Type != "ExecutionTimedOut" || !last.Timestamp.Equal(start().Add(time.Minute)) {
		t.Fatalf("last event %s at %v", last.Type, last.Timestamp)
	}
}

func TestTaskTimeoutRealClock(t *testing.T) {
	def := `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 1, "End": true}}}`
	r, err := New(machine(t, def), Options{Handlers: func(*asl.State) TaskHandler {
		return TaskHandlerFunc(func(ctx context.Context, req TaskRequest) TaskResult {
			<-ctx.Done()
			return TaskResult{Failed: true, Error: "killed"}
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Start(context.Background(), map[string]any{})
	if res.Status != Failed || res.Error != "States.Timeout" {
		t.Fatalf("%s %s", res.Status, res.Error)
	}
}

func TestAbort(t *testing.T) {
	def := `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}`
	r, err := New(machine(t, def), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res := r.Start(ctx, map[string]any{})
	if res.Status != Aborted {
		t.Fatalf("%s", res.Status)
	}
}

// A 10,000-item Map runs every iteration and leaves no goroutine behind (goleak in TestMain).
func TestLargeMap(t *testing.T) {
	def := `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
	  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Parameters": {"x.$": "$"}, "End": true}}}}}}`
	items := make([]any, 10000)
	for i := range items {
		items[i] = json.Number("1")
	}
	for _, mc := range []string{"", `"MaxConcurrency": 7,`} {
		d := strings.Replace(def, `"End": true,`, `"End": true,`+mc, 1)
		r, err := New(machine(t, d), Options{Clock: NewVirtualClock(start()), NoEventLimit: true}) // 40,002 events
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), items)
		out, _ := res.Output.([]any)
		if res.Status != Succeeded || len(out) != 10000 {
			t.Fatalf("%s %d", res.Status, len(out))
		}
	}
}

func TestStringMatches(t *testing.T) {
	for _, c := range []struct {
		s, p string
		want bool
	}{
		{"log-2024.txt", "log-*.txt", true},
		{"a*b", `a\*b`, true},
		{"axb", `a\*b`, false},
		{`a\b`, `a\\b`, true},
		{"", "*", true},
	} {
		if got := stringMatches(c.s, c.p); got != c.want {
			t.Errorf("stringMatches(%q, %q) = %v", c.s, c.p, got)
		}
	}
}
