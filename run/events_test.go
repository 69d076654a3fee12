package run

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
)

// Branches and iterations that wait, call tasks and fail interleave on the virtual clock; the
// history is byte-identical from run to run, and its timestamps never go back.
const concurrentDef = `{
  "StartAt": "P",
  "States": {
    "P": {"Type": "Parallel", "Next": "M", "ResultPath": "$.p", "Branches": [
      {"StartAt": "W1", "States": {
        "W1": {"Type": "Wait", "Seconds": 3, "Next": "T1"},
        "T1": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:a", "End": true}}},
      {"StartAt": "T2", "States": {
        "T2": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "W2"},
        "W2": {"Type": "Wait", "Seconds": 1, "End": true}}},
      {"StartAt": "P3", "States": {"P3": {"Type": "Pass", "End": true}}}
    ]},
    "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 3, "ResultPath": "$.m",
      "ItemProcessor": {"StartAt": "IW", "States": {
        "IW": {"Type": "Wait", "SecondsPath": "$.w", "Next": "IT"},
        "IT": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2}], "End": true}}},
      "End": true}
  }
}`

func TestDeterministicConcurrentHistory(t *testing.T) {
	input := `{"items": [{"w": 5}, {"w": 1}, {"w": 3}, {"w": 0}, {"w": 2}, {"w": 4}]}`
	var first []byte
	for i := 0; i < 20; i++ {
		calls := map[string]int{}
		res := runDef(t, concurrentDef, input, func(ctx context.Context, req TaskRequest) TaskResult {
			calls[req.StateName]++ // the threads take turns: no data race
			if req.StateName == "IT" && calls["IT"]%4 == 1 {
				return TaskResult{Failed: true, Error: "Busy"}
			}
			return TaskResult{Output: map[string]any{"state": req.StateName}}
		})
		if res.Status != Succeeded {
			t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
		}
		for j := 1; j < len(res.Events); j++ {
			if res.Events[j].Timestamp.Before(res.Events[j-1].Timestamp) {
				t.Fatalf("event %d (%s) is earlier than event %d", j+1, res.Events[j].Type, j)
			}
		}
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
	// The iterations interleave by their Waits.
	var order []string
	var events []map[string]any
	_ = json.Unmarshal(first, &events)
	for _, e := range events {
		if e["type"] == "MapIterationSucceeded" {
			d := e["mapIterationSucceededEventDetails"].(map[string]any)
			order = append(order, string(rune('0'+int(d["index"].(float64)))))
		}
	}
	if got := strings.Join(order, ""); len(got) != 6 || got == "012345" {
		t.Fatalf("iterations finished in the order %s", got)
	}
}

// With NoHistory the outcome and the event ids quoted in causes are those of a recorded run.
func TestNoHistorySameOutcome(t *testing.T) {
	def := `{"StartAt": "A", "States": {
	  "A": {"Type": "Pass", "Next": "B"},
	  "B": {"Type": "Parallel", "Next": "C", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}]},
	  "C": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}`
	var causes []string
	for _, noHistory := range []bool{false, true} {
		r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), NoHistory: noHistory})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), map[string]any{})
		if res.Status != Failed || res.Transitions != 4 {
			t.Fatalf("%s, %d transitions", res.Status, res.Transitions)
		}
		if noHistory != (len(res.Events) == 0) {
			t.Fatalf("NoHistory %v: %d events", noHistory, len(res.Events))
		}
		causes = append(causes, res.Cause)
	}
	if causes[0] != causes[1] || !strings.Contains(causes[0], "event id #10") {
		t.Fatalf("causes %q", causes)
	}
}

// A state's output over 256 KiB fails the state with AWS's cause, with or without a history;
// NoPayloadLimit lifts the limit.
func TestDataLimitOnStateOutput(t *testing.T) {
	def := `{"StartAt": "Double", "States": {"Double": {"Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}}`
	input := map[string]any{"s": strings.Repeat("x", 150*1024)}
	for _, o := range []Options{{}, {NoHistory: true}, {NoPayloadLimit: true}} {
		o.Clock = NewVirtualClock(start())
		r, err := New(machine(t, def), o)
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), input)
		if o.NoPayloadLimit {
			if res.Status != Succeeded {
				t.Fatalf("NoPayloadLimit: %s %s", res.Status, res.Error)
			}
			continue
		}
		want := "The state/task 'Double' returned a result with a size exceeding the maximum number of bytes service limit."
		if res.Status != Failed || res.Error != "States.DataLimitExceeded" || res.Cause != want {
			t.Fatalf("%+v: %s %s %s", o, res.Status, res.Error, res.Cause)
		}
	}
	for _, v := range []any{nil, true, "a\"b\n\x01é", json.Number("12.5"), map[string]any{"k": []any{1, "x"}}} {
		n := len(toJSON(v))
		if jsonSizeOver(v, n) || !jsonSizeOver(v, n-1) {
			t.Errorf("jsonSizeOver(%v) disagrees with its %d bytes", v, n)
		}
	}
}

// On the virtual clock a handler that never returns is stopped at TimeoutSeconds (a real
// deadline); the history shows the timeout TimeoutSeconds after the task was scheduled.
func TestVirtualClockTaskTimeout(t *testing.T) {
	def := `{"StartAt": "Hang", "States": {"Hang": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
	  "TimeoutSeconds": 1, "End": true}}}`
	began := time.Now()
	res := runDef(t, def, `{}`, func(ctx context.Context, req TaskRequest) TaskResult {
		<-ctx.Done()
		return TaskResult{Failed: true, Error: "cancelled"}
	})
	if res.Status != Failed || res.Error != "States.Timeout" {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
	if d := time.Since(began); d < time.Second || d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
	var timedOut *Event
	for i := range res.Events {
		if res.Events[i].Type == "TaskTimedOut" {
			timedOut = &res.Events[i]
		}
	}
	if timedOut == nil || timedOut.Timestamp.Sub(start()) != time.Second {
		t.Fatalf("TaskTimedOut %+v", timedOut)
	}
}

// A callback task with HeartbeatSeconds whose handler does not answer in time fails with
// States.HeartbeatTimeout (a local handler cannot send heartbeats), which a Catch can take.
func TestHeartbeatTimeout(t *testing.T) {
	def := `{"StartAt": "Wait for callback", "States": {
	  "Wait for callback": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
	    "TimeoutSeconds": 600, "HeartbeatSeconds": 1,
	    "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "ResultPath": "$.err", "Next": "Done"}], "End": true},
	  "Done": {"Type": "Pass", "End": true}}}`
	for _, clock := range []Clock{NewVirtualClock(start()), RealClock} {
		r, err := New(machine(t, def), Options{Clock: clock, Handlers: func(*asl.State) TaskHandler {
			return TaskHandlerFunc(func(ctx context.Context, req TaskRequest) TaskResult {
				<-ctx.Done()
				return TaskResult{Failed: true, Error: "cancelled"}
			})
		}})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), map[string]any{})
		if got := toJSON(res.Output); res.Status != Succeeded || got != `{"err":{"Error":"States.HeartbeatTimeout","Cause":null}}` {
			t.Fatalf("%s %s %s", res.Status, got, res.Error)
		}
		var types []string
		for _, e := range res.Events {
			types = append(types, e.Type)
		}
		if !strings.Contains(strings.Join(types, ","), "TaskSubmitted,TaskTimedOut,TaskStateExited") {
			t.Fatalf("history %v", types)
		}
	}
}
