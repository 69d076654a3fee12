package run

import (
	"context"
	"reflect"
	"testing"

	"github.com/sfn-tool/sfn/pkg/asl"
)

// TestDiscardEvents: with DiscardEvents the history goes to OnEvent only (the same events as a
// recorded history; with CompactDetails, the frequent events' details compact) and Result.Events
// stays empty.
func TestDiscardEvents(t *testing.T) {
	def := `{"StartAt": "Inc", "States": {
	  "Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More?"},
	  "More?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 50, "Next": "Inc"}], "Default": "Done"},
	  "Done": {"Type": "Succeed"}}}`
	runWith := func(discard bool) (*Result, []Event) {
		var seen []Event
		r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), ExecutionName: "e", DiscardEvents: discard,
			CompactDetails: true, OnEvent: func(e Event) { seen = append(seen, e) }})
		if err != nil {
			t.Fatal(err)
		}
		return r.Start(context.Background(), map[string]any{"n": jsonInt(0)}), seen
	}
	kept, keptSeen := runWith(false)
	res, seen := runWith(true)
	if res.Status != Succeeded || len(res.Events) != 0 {
		t.Fatalf("DiscardEvents: %s with %d events in the result", res.Status, len(res.Events))
	}
	// Streamed events may hold their details compact: the same details as the kept maps.
	compact := 0
	for i := range seen {
		if seen[i].Compact.Shape != NoShape {
			compact++
		}
		if seen[i].Compact.Shape != NoShape && seen[i].Details != nil {
			t.Fatalf("event %d has both forms of details", i+1)
		}
		seen[i].Details, seen[i].Compact = seen[i].DetailsMap(), CompactDetails{}
	}
	if compact < 150 {
		t.Errorf("%d events with compact details", compact)
	}
	for _, e := range append(kept.Events, keptSeen...) {
		if e.Compact.Shape != NoShape {
			t.Fatalf("a kept history's event %d has compact details", e.ID)
		}
	}
	if len(seen) < 200 || !reflect.DeepEqual(seen, kept.Events) || !reflect.DeepEqual(seen, keptSeen) {
		t.Errorf("OnEvent saw %d events, the recorded history has %d", len(seen), len(kept.Events))
	}
	if res.Started != kept.Started || res.Stopped != kept.Stopped || res.Transitions != kept.Transitions {
		t.Errorf("result differs: %+v vs %+v", res, kept)
	}
}

// TestHandlerOverLimit: a handler learns the payload limit from MaxOutput (0 when lifted), and
// a result it reports as over the limit fails the task as a large result does, with AWS's cause.
func TestHandlerOverLimit(t *testing.T) {
	for _, tc := range []struct {
		resource, who string
		lifted        bool
	}{
		{"arn:aws:lambda:us-east-1:123456789012:function:big", "arn:aws:lambda:us-east-1:123456789012:function:big", false},
		{"arn:aws:states:::lambda:invoke", "Big", false},
		{"arn:aws:states:::lambda:invoke", "", true},
	} {
		def := `{"StartAt": "Big", "States": {"Big": {"Type": "Task", "Resource": "` + tc.resource + `", "End": true}}}`
		var got int
		h := TaskHandlerFunc(func(_ context.Context, req TaskRequest) TaskResult {
			got = req.MaxOutput
			return TaskResult{Failed: true, OverLimit: true, Error: "States.DataLimitExceeded", Cause: "the handler's words"}
		})
		r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), NoPayloadLimit: tc.lifted,
			Handlers: func(*asl.State) TaskHandler { return h }})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), map[string]any{})
		want := 256 * 1024
		if tc.lifted {
			want = 0
		}
		if got != want {
			t.Errorf("%s: MaxOutput %d, want %d", tc.resource, got, want)
		}
		cause := "The state/task '" + tc.who + "' returned a result with a size exceeding the maximum number of bytes service limit."
		if tc.lifted {
			cause = "the handler's words" // past the handler's own cap
		}
		if res.Status != Failed || res.Error != "States.DataLimitExceeded" || res.Cause != cause {
			t.Errorf("%s: %s %s %q", tc.resource, res.Status, res.Error, res.Cause)
		}
	}
}
