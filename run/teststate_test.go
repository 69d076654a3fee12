package run

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// TestInspectionResponse checks the TestState response of one state run alone: its status,
// output, error, next state and inspectionData rows, for each way a state can end.
func TestInspectionResponse(t *testing.T) {
	const def = `{"StartAt": "T", "States": {
	  "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "InputPath": "$.in",
	    "ResultPath": "$.r", "Assign": {"z": 1, "a": 2},
	    "Catch": [{"ErrorEquals": ["Caught"], "Next": "Handle"}], "Next": "After"},
	  "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": "Loop"}], "Default": "After"},
	  "After": {"Type": "Succeed"}, "Handle": {"Type": "Succeed"}}}`
	ok := TaskResult{Output: value.ObjectOf("ok", true)}
	cases := []struct {
		name, state, input string
		result             TaskResult
		status, next, err  string
		output             string // "": none
		rows               string // inspectionData's keys, in order
	}{
		{"succeeded", "T", `{"in": {"x": 1}}`, ok, TestSucceeded, "After", "", `{"in":{"x":1},"r":{"ok":true}}`,
			"input afterInputPath afterParameters result afterResultSelector afterResultPath variables"},
		{"caught", "T", `{"in": {}}`, TaskResult{Failed: true, Error: "Caught", Cause: "c"}, TestCaughtError, "Handle", "Caught",
			`{"Error":"Caught","Cause":"c"}`, "input afterInputPath afterParameters"},
		{"failed", "T", `{"in": {}}`, TaskResult{Failed: true, Error: "Other", Cause: "c"}, TestFailed, "", "Other", "",
			"input afterInputPath afterParameters"},
		{"path missing", "T", `{}`, ok, TestFailed, "", "States.Runtime", "", "input"},
		{"loop stops", "Loop", `{"again": true}`, ok, TestSucceeded, "Loop", "", `{"again":true}`, "input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sm, err := SingleState(buildMachine(t, def), c.state)
			if err != nil {
				t.Fatal(err)
			}
			input, err := load.DecodeJSON([]byte(c.input))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			in := NewInspection(c.state, input, nil, cancel)
			r, err := New(sm, Options{Clock: NewVirtualClock(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)),
				Handlers: func(*asl.State) TaskHandler {
					return TaskHandlerFunc(func(context.Context, TaskRequest) TaskResult { return c.result })
				},
				Inspect: in.Step, OnEvent: in.Event, DiscardEvents: true})
			if err != nil {
				t.Fatal(err)
			}
			resp := in.Response(r.Start(ctx, input))
			out := ""
			if resp.Output != nil {
				out = *resp.Output
			}
			var keys []string
			for _, row := range resp.Rows {
				keys = append(keys, row.Key)
			}
			if resp.Status != c.status || resp.NextState != c.next || resp.Error != c.err || out != c.output || strings.Join(keys, " ") != c.rows {
				t.Errorf("status %s next %q error %q output %s rows %v", resp.Status, resp.NextState, resp.Error, out, keys)
			}
			if v, _ := resp.InspectionData.Get("variables"); v != nil && v != `{"a":2,"z":1}` {
				t.Errorf("variables %v (want them in name order)", v)
			}
		})
	}
}
