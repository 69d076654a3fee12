package run

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// runOpts runs def with opts (virtual clock from start() unless opts has a clock) and a handler
// that always fails with "Boom".
func runOpts(t *testing.T, def, input string, opts Options) *Result {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = NewVirtualClock(start())
	}
	opts.Handlers = func(*asl.State) TaskHandler {
		return TaskHandlerFunc(func(context.Context, TaskRequest) TaskResult {
			return TaskResult{Failed: true, Error: "Boom", Cause: "always"}
		})
	}
	r, err := New(machine(t, def), opts)
	if err != nil {
		t.Fatal(err)
	}
	in, err := load.DecodeJSON([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	return r.Start(context.Background(), in)
}

// Loops that never end on their own: each must fail when its history reaches 25,000 events.
var endlessLoops = []struct{ name, def string }{
	{"choice loop", `{"StartAt": "P", "States": {
	  "P": {"Type": "Pass", "Next": "C"},
	  "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
	  "E": {"Type": "Succeed"}}}`},
	{"poll loop", `{"StartAt": "W", "States": {
	  "W": {"Type": "Wait", "Seconds": 60, "Next": "C"},
	  "C": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "E"}], "Default": "W"},
	  "E": {"Type": "Succeed"}}}`},
	{"retry", `{"StartAt": "T", "States": {
	  "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
	    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "BackoffRate": 1, "MaxAttempts": 99999999}], "End": true}}}`},
	{"jsonata loop", `{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
	  "P": {"Type": "Pass", "Assign": {"n": "{% $exists($n) ? $n + 1 : 0 %}"}, "Next": "C"},
	  "C": {"Type": "Choice", "Choices": [{"Condition": "{% $n < 0 %}", "Next": "E"}], "Default": "P"},
	  "E": {"Type": "Succeed"}}}`},
	{"parallel branch loop", `{"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": true, "Branches": [
	  {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
	  {"StartAt": "P", "States": {
	    "P": {"Type": "Pass", "Next": "C"},
	    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
	    "E": {"Type": "Succeed"}}}]}}}`},
	{"inline map iteration loop", `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemsPath": "$.items",
	  "ItemProcessor": {"StartAt": "P", "States": {
	    "P": {"Type": "Pass", "Next": "C"},
	    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
	    "E": {"Type": "Succeed"}}}}}}`},
}

func TestEventLimit(t *testing.T) {
	for _, c := range endlessLoops {
		for _, noHistory := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/nohistory=%v", c.name, noHistory), func(t *testing.T) {
				res := runOpts(t, c.def, `{"done": false, "items": [1, 2, 3]}`, Options{NoHistory: noHistory})
				if res.Status != Failed || res.Error != "States.Runtime" || res.Cause != eventLimitCause {
					t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
				}
				if noHistory {
					return
				}
				if n := len(res.Events); n != MaxHistoryEvents {
					t.Fatalf("%d events, want %d", n, MaxHistoryEvents)
				}
				for i, e := range res.Events {
					if e.ID != int64(i+1) {
						t.Fatalf("event %d has id %d", i+1, e.ID)
					}
				}
				last := res.Events[len(res.Events)-1]
				if last.Type != "ExecutionFailed" || last.Details["cause"] != eventLimitCause {
					t.Fatalf("last event %s %v", last.Type, last.Details)
				}
			})
		}
	}
}

// countedLoop loops n times through a Pass and a Choice (2 events each per state: 4 per turn).
func countedLoop(n int) (def, input string) {
	return `{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
	  "P": {"Type": "Pass", "Assign": {"i": "{% $exists($i) ? $i + 1 : 1 %}"}, "Next": "C"},
	  "C": {"Type": "Choice", "Choices": [{"Condition": "{% $i >= $states.input.n %}", "Next": "E"}], "Default": "P"},
	  "E": {"Type": "Succeed"}}}`, fmt.Sprintf(`{"n": %d}`, n)
}

// The limit is on the event that would be number 25,000: an execution of 24,999 events and its
// last event succeeds; one more event fails it. Express executions and NoEventLimit have none.
func TestEventLimitBoundary(t *testing.T) {
	// ExecutionStarted + 4 events per turn + SucceedStateEntered/Exited + ExecutionSucceeded.
	turns := func(events int) int { return (events - 4) / 4 }
	def, in := countedLoop(turns(25000))
	if res := runOpts(t, def, in, Options{}); res.Status != Succeeded || len(res.Events) != 25000 {
		t.Fatalf("25,000 events: %s %s, %d events", res.Status, res.Cause, len(res.Events))
	}
	def, in = countedLoop(turns(25000) + 1)
	if res := runOpts(t, def, in, Options{}); res.Status != Failed || res.Cause != eventLimitCause {
		t.Fatalf("25,004 events: %s %s", res.Status, res.Cause)
	}
	for _, o := range []Options{{Type: Express}, {NoEventLimit: true}, {NoEventLimit: true, NoHistory: true}} {
		if res := runOpts(t, def, in, o); res.Status != Succeeded {
			t.Fatalf("%+v: %s %s", o, res.Status, res.Cause)
		}
	}
}

// A distributed Map's child executions have their own histories: the parent's events do not
// count theirs, and a child whose history is full fails.
func TestEventLimitDistributedMapChild(t *testing.T) {
	loop := func(extra string) string {
		return `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemsPath": "$.items", ` + extra + `
	  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {
	    "P": {"Type": "Pass", "Next": "C"},
	    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
	    "E": {"Type": "Succeed"}}}}}}`
	}
	res := runOpts(t, loop(""), `{"items": [1, 2]}`, Options{})
	if res.Status != Failed || res.Error != "States.Runtime" || res.Cause != eventLimitCause || len(res.Events) > 20 {
		t.Fatalf("%s %s %s, %d events", res.Status, res.Error, res.Cause, len(res.Events))
	}
	res = runOpts(t, loop(`"ToleratedFailurePercentage": 100,`), `{"items": [1, 2]}`, Options{})
	if res.Status != Succeeded || !strings.Contains(toJSON(res.Output), eventLimitCause) {
		t.Fatalf("tolerated: %s %s %s", res.Status, res.Cause, toJSON(res.Output))
	}
	// 3 children of 12,000 events each: more than 25,000 in all, but each below the limit.
	def := `{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
	  "Items": "{% $states.input.items %}", "ItemSelector": {"n": 2999}, "Output": {"ok": true},
	  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {
	    "P": {"Type": "Pass", "Assign": {"i": "{% $exists($i) ? $i + 1 : 1 %}"}, "Next": "C"},
	    "C": {"Type": "Choice", "Choices": [{"Condition": "{% $i >= $states.input.n %}", "Next": "E"}], "Default": "P"},
	    "E": {"Type": "Succeed"}}}}}}`
	if res := runOpts(t, def, `{"items": [1, 2, 3]}`, Options{}); res.Status != Succeeded {
		t.Fatalf("3 children below the limit: %s %s %s", res.Status, res.Error, res.Cause)
	}
}

// The maximum duration (1 year Standard, 5 minutes Express, or a shorter TimeoutSeconds) ends the
// execution as AWS does: TIMED_OUT, ExecutionTimedOut with States.Timeout, at the deadline.
func TestMaxDuration(t *testing.T) {
	wait := func(field string) string {
		return `{"StartAt": "W", "States": {"W": {"Type": "Wait", ` + field + `, "End": true}}}`
	}
	year := start().Add(MaxStandardDuration)
	for _, c := range []struct {
		name, def, input string
		typ              string
		stopped          time.Time
	}{
		{"Seconds past a year", wait(`"Seconds": 99999999`), `{}`, Standard, year},
		{"SecondsPath past a year", wait(`"SecondsPath": "$.s"`), `{"s": 40000000}`, Standard, year},
		{"Timestamp in 2 years", wait(`"Timestamp": "2026-05-01T12:00:00Z"`), `{}`, Standard, year},
		{"TimestampPath in 60 years", wait(`"TimestampPath": "$.t"`), `{"t": "2084-05-01T12:00:00Z"}`, Standard, year},
		{"Express past 5 minutes", wait(`"Seconds": 301`), `{}`, Express, start().Add(5 * time.Minute)},
		{"TimeoutSeconds huge", strings.Replace(wait(`"Seconds": 99999999`), `{"StartAt"`, `{"TimeoutSeconds": 1e400, "StartAt"`, 1), `{}`, Standard, year},
		{"TimeoutSeconds shorter", strings.Replace(wait(`"Seconds": 99999999`), `{"StartAt"`, `{"TimeoutSeconds": 10, "StartAt"`, 1), `{}`, Express, start().Add(10 * time.Second)},
		{"retry backoff overflow", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
		  "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "BackoffRate": 1e300, "MaxAttempts": 99999999}], "End": true}}}`, `{}`, Standard, year},
		{"parallel branch waits", `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
		  {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
		  {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 99999999, "End": true}}}]}}}`, `{}`, Standard, year},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := runOpts(t, c.def, c.input, Options{Type: c.typ})
			if res.Status != TimedOut || res.Error != "States.Timeout" {
				t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
			}
			last := res.Events[len(res.Events)-1]
			if last.Type != "ExecutionTimedOut" || last.Details["error"] != "States.Timeout" || last.PreviousEventID != 0 || !last.Timestamp.Equal(c.stopped) {
				t.Fatalf("last event %s %v at %s, want at %s", last.Type, last.Details, last.Timestamp, c.stopped)
			}
		})
	}
}

// On the real clock the maximum duration is a deadline too (TimeoutSeconds: 1 stands for it).
func TestMaxDurationRealClock(t *testing.T) {
	res := runOpts(t, `{"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}`, `{}`, Options{Clock: RealClock})
	if last := res.Events[len(res.Events)-1]; res.Status != TimedOut || res.Error != "States.Timeout" || last.Type != "ExecutionTimedOut" || last.PreviousEventID != 0 {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
}

// Delays that do not fit a time.Duration fail as AWS fails them, never wrap to a 0 s wait.
func TestWaitOverflow(t *testing.T) {
	const tooLong = "An error occurred while executing the state 'W' (entered at the event id #2). Wait state delay is too long."
	wait := func(ql, field string) string {
		return `{"QueryLanguage": "` + ql + `", "StartAt": "W", "States": {"W": {"Type": "Wait", ` + field + `, "End": true}}}`
	}
	for _, c := range []struct {
		name, def, input string
		err, cause       string
	}{
		{"Seconds 1e12", wait("JSONPath", `"Seconds": 1000000000000`), `{}`, "States.Runtime", tooLong},
		{"Seconds 1e400", wait("JSONPath", `"Seconds": 1e400`), `{}`, "States.Runtime", tooLong},
		{"Seconds 2^63", wait("JSONPath", `"Seconds": 9223372036854775808`), `{}`, "States.Runtime", tooLong},
		{"SecondsPath 1e12", wait("JSONPath", `"SecondsPath": "$.s"`), `{"s": 1000000000000}`, "States.Runtime", tooLong},
		{"SecondsPath 1e400", wait("JSONPath", `"SecondsPath": "$.s"`), `{"s": 1e400}`, "States.Runtime",
			"An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.s == 1e400"},
		{"SecondsPath 2^63", wait("JSONPath", `"SecondsPath": "$.s"`), `{"s": 9223372036854775807}`, "States.Runtime", tooLong},
		{"Timestamp year 9999", wait("JSONPath", `"Timestamp": "9999-12-31T23:59:59Z"`), `{}`, "States.Runtime", tooLong},
		{"JSONata Seconds 1e12", wait("JSONata", `"Seconds": "{% $states.input.s %}"`), `{"s": 1000000000000}`, "States.Runtime", tooLong},
		{"JSONata Seconds 2^63-1", wait("JSONata", `"Seconds": "{% $states.input.s %}"`), `{"s": 9223372036854775807}`, "States.Runtime", tooLong},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := runOpts(t, c.def, c.input, Options{})
			if res.Status != Failed || res.Error != c.err || res.Cause != c.cause {
				t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
			}
		})
	}
}

// Task timeouts past what a time.Duration holds never fire at once: the task runs.
func TestTaskTimeoutOverflow(t *testing.T) {
	for _, field := range []string{`"TimeoutSeconds": 1e300, "HeartbeatSeconds": 1e200`, `"TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$.t"`} {
		def := `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", ` + field + `, "End": true}}}`
		r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), Handlers: func(*asl.State) TaskHandler {
			return TaskHandlerFunc(func(ctx context.Context, req TaskRequest) TaskResult {
				if req.Timeout <= 0 || req.Heartbeat <= 0 || ctx.Err() != nil {
					return TaskResult{Failed: true, Error: "Bad", Cause: fmt.Sprint(req.Timeout, req.Heartbeat, ctx.Err())}
				}
				return TaskResult{Output: map[string]any{}}
			})
		}})
		if err != nil {
			t.Fatal(err)
		}
		in, _ := load.DecodeJSON([]byte(`{"t": 9223372036854775807}`))
		if res := r.Start(context.Background(), in); res.Status != Succeeded {
			t.Fatalf("%s: %s %s %s", field, res.Status, res.Error, res.Cause)
		}
	}
}

// Loops over items, lines, objects and results stop as soon as the execution is cancelled.
func TestInterruptItemLoops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	lines := strings.Repeat("{\"a\": 1}\n", 10000)
	if items, err := parseItems(ctx, []byte(lines), "JSONL", nil, 0); err == nil || len(items) > 0 {
		t.Errorf("JSONL: %d items, %v", len(items), err)
	}
	rows := "a,b\n" + strings.Repeat("1,2\n", 10000)
	if items, err := parseItems(ctx, []byte(rows), "CSV", nil, 0); err == nil || len(items) > 0 {
		t.Errorf("CSV: %d items, %v", len(items), err)
	}
	dir := t.TempDir()
	for i := range 20 {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("k%d", i)), "x")
	}
	if items, err := listObjects(ctx, dir, "", 0); err == nil || len(items) > 0 {
		t.Errorf("listObjectsV2: %d items, %v", len(items), err)
	}
}

// Ctrl-C while a Map builds the inputs of 100,000 iterations (ItemSelector, ItemBatcher) aborts
// the execution there: no iteration starts.
func TestInterruptMapItems(t *testing.T) {
	items := make([]any, 100000)
	for i := range items {
		items[i] = map[string]any{"n": json.Number(fmt.Sprint(i))}
	}
	for _, extra := range []string{
		`"ItemSelector": {"v.$": "$$.Map.Item.Value.n"},`,
		`"QueryLanguage": "JSONata", "Items": "{% $states.input %}", "ItemSelector": {"v": "{% $states.context.Map.Item.Value.n %}"},`,
		`"ItemBatcher": {"MaxItemsPerBatch": 10},`,
	} {
		def := `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, ` + extra + `
		  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}`
		ctx, cancel := context.WithCancel(context.Background())
		var types []string
		r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), NoPayloadLimit: true, OnEvent: func(e Event) {
			types = append(types, e.Type)
			if e.Type == "MapStateStarted" {
				cancel()
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(ctx, items)
		cancel()
		if res.Status != Aborted || slices.Contains(types, "MapRunStarted") {
			t.Errorf("%s: %s, events %v", extra, res.Status, types)
		}
	}
}

// largePayloadLoop is a Wait loop over a generated 200 KB input: it ends at the history limit.
func largePayloadLoop(tb testing.TB) (*asl.Machine, any) {
	def := `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "Next": "C"},
	  "C": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "E"}], "Default": "W"},
	  "E": {"Type": "Succeed"}}}`
	return machine(tb, def), map[string]any{"done": false, "pad": strings.Repeat("x", 200000)}
}

// A loop that passes a large payload on unchanged records it in every event, and fails at the
// history limit (its payload serialised and measured once, not once per event: payloadcache.go).
func TestLargePayloadLoop(t *testing.T) {
	m, in := largePayloadLoop(t)
	want := toJSON(in)
	for _, noHistory := range []bool{true, false} {
		r, err := New(m, Options{Clock: NewVirtualClock(start()), NoHistory: noHistory})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), in)
		if res.Status != Failed || res.Cause != eventLimitCause {
			t.Fatalf("%s %s", res.Status, res.Cause)
		}
		if noHistory {
			continue
		}
		for _, e := range res.Events[1 : len(res.Events)-1] {
			if d := e.DetailsMap(); d["input"] != nil && d["input"] != want || d["output"] != nil && d["output"] != want {
				t.Fatalf("event %d %s: payload differs", e.ID, e.Type)
			}
		}
	}
}

func BenchmarkLargePayloadLoop(b *testing.B) {
	m, in := largePayloadLoop(b)
	r, err := New(m, Options{Clock: NewVirtualClock(start()), NoHistory: true})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if res := r.Start(context.Background(), in); res.Cause != eventLimitCause {
			b.Fatal(res.Status, res.Cause)
		}
	}
}

// An EXPRESS child execution of a distributed Map times out after 5 minutes (the parent goes on);
// a STANDARD child waits as long as its parent may.
func TestDistributedMapChildDuration(t *testing.T) {
	def := func(childType, extra string) string {
		return `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemsPath": "$.items", ` + extra + `
		  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "` + childType + `"}, "StartAt": "W", "States": {
		    "W": {"Type": "Wait", "SecondsPath": "$", "End": true}}}}}}`
	}
	res := runOpts(t, def("EXPRESS", `"ToleratedFailurePercentage": 100,`), `{"items": [60, 600]}`, Options{})
	if res.Status != Succeeded || toJSON(res.Output) != `[60,{"Error":"States.Timeout","Cause":""}]` {
		t.Fatalf("tolerated: %s %s %s", res.Status, res.Cause, toJSON(res.Output))
	}
	if res.Stopped.Sub(res.Started) != 5*time.Minute {
		t.Fatalf("stopped after %v, want 5m0s", res.Stopped.Sub(res.Started))
	}
	if res := runOpts(t, def("EXPRESS", ""), `{"items": [600]}`, Options{}); res.Status != Failed || res.Error != "States.Timeout" {
		t.Fatalf("not tolerated: %s %s %s", res.Status, res.Error, res.Cause)
	}
	if res := runOpts(t, def("STANDARD", ""), `{"items": [600, 86400]}`, Options{}); res.Status != Succeeded {
		t.Fatalf("STANDARD: %s %s %s", res.Status, res.Error, res.Cause)
	}
}

// FuzzWaitSeconds: whatever number a Wait's Seconds or SecondsPath holds, the execution ends as
// AWS ends it (never waiting a wrapped-around or negative time), within the maximum duration.
func FuzzWaitSeconds(f *testing.F) {
	for _, s := range []string{"0", "1", "-1", "1.5", "99999999", "1000000000000", "1e400", "-1e400",
		"9223372036854775807", "9223372036854775808", "2147483648", "2147483647", "1e-400", "31536000", "31536001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := load.DecodeJSON([]byte(s)); err != nil || !strings.ContainsAny(s[:1], "-0123456789") {
			return
		}
		for _, field := range []string{`"Seconds": ` + s, `"SecondsPath": "$.s"`} {
			def := `{"StartAt": "W", "States": {"W": {"Type": "Wait", ` + field + `, "End": true}}}`
			r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), NoHistory: true})
			if err != nil {
				t.Fatal(err)
			}
			in, _ := load.DecodeJSON([]byte(`{"s": ` + s + `}`))
			res := r.Start(context.Background(), in)
			took := res.Stopped.Sub(res.Started)
			switch {
			case res.Status == Succeeded && took >= 0 && took <= MaxStandardDuration:
			case res.Status == TimedOut && took == MaxStandardDuration:
			case res.Status == Failed && res.Error == "States.Runtime" && took == 0:
			default:
				t.Fatalf("%s: %s %s %s after %v", field, res.Status, res.Error, res.Cause, took)
			}
		}
	})
}
