package run

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
)

// passDef is a one-state machine: a Pass state with the given fields.
func passDef(fields string) string {
	return `{"StartAt": "P", "States": {"P": {"Type": "Pass", ` + fields + `, "End": true}}}`
}

func jsonataPassDef(fields string) string {
	return `{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", ` + fields + `, "End": true}}}`
}

// Objects keep their order through the interpreter: the input's, the template's, AWS's.
func TestObjectKeyOrder(t *testing.T) {
	const input = `{"obj": {"z": 1, "b": [true, {"y": null, "x": "s"}], "a": 2.50}, "n": 3}`
	for _, c := range []struct{ name, def, want string }{
		{"input passes through", passDef(`"Comment": "x"`),
			`{"obj":{"z":1,"b":[true,{"y":null,"x":"s"}],"a":2.50},"n":3}`},
		{"static Parameters", passDef(`"Parameters": {"b": 1, "a": 2, "c": {"y": 1, "x": 2}}`),
			`{"b":1,"a":2,"c":{"y":1,"x":2}}`},
		{"Result", passDef(`"Result": {"b": 1, "a": 2}`), `{"b":1,"a":2}`},
		// AWS: static fields in the template's order, then path fields in Java HashMap order
		// (recorded: {"Question.$", "Answer.$"} gives Answer first).
		{"Parameters with paths", passDef(`"Parameters": {"Question.$": "$.n", "k": 0, "Answer.$": "$.obj.a", "j": 1}`),
			`{"k":0,"j":1,"Answer":2.50,"Question":3}`},
		{"a path keeps the selected object's order", passDef(`"Parameters": {"o.$": "$.obj"}`),
			`{"o":{"z":1,"b":[true,{"y":null,"x":"s"}],"a":2.50}}`},
		{"ResultPath appends a new member", passDef(`"Result": {"d": 1, "c": 2}, "ResultPath": "$.r"`),
			`{"obj":{"z":1,"b":[true,{"y":null,"x":"s"}],"a":2.50},"n":3,"r":{"d":1,"c":2}}`},
		{"ResultPath replaces in place", passDef(`"Result": "new", "ResultPath": "$.obj"`),
			`{"obj":"new","n":3}`},
		{"ResultPath into a nested object", passDef(`"Result": 0, "ResultPath": "$.obj.b[1].w"`),
			`{"obj":{"z":1,"b":[true,{"y":null,"x":"s","w":0}],"a":2.50},"n":3}`},
		{"States.JsonToString keeps the input's order", passDef(`"Parameters": {"s.$": "States.JsonToString($.obj)"}`),
			`{"s":"{\"z\":1,\"b\":[true,{\"y\":null,\"x\":\"s\"}],\"a\":2.5}"}`},
		{"States.Format keeps the input's order", passDef(`"Parameters": {"s.$": "States.Format('{}', $.obj)"}`),
			`{"s":"{z=1, b=[true, {y=null, x=s}], a=2.5}"}`},
		{"States.StringToJson keeps the text's order", passDef(`"Parameters": {"v.$": "States.StringToJson('{\"q\": 1, \"p\": 2}')"}`),
			`{"v":{"q":1,"p":2}}`},
		{"a wildcard visits members in order", passDef(`"Parameters": {"v.$": "$.obj.*"}`),
			`{"v":[1,[true,{"y":null,"x":"s"}],2.50]}`},
		{"JSONata object constructor", jsonataPassDef(`"Output": "{% {\"z\": 1, \"a\": 2, \"m\": $states.input.obj.b[1]} %}"`),
			`{"z":1,"a":2,"m":{"y":null,"x":"s"}}`},
		{"JSONata Output template keeps its order", jsonataPassDef(`"Output": {"z": "{% $states.input.n %}", "a": 1, "m": "{% $keys($states.input.obj) %}"}`),
			`{"z":3,"a":1,"m":["z","b","a"]}`},
		{"JSONata $string", jsonataPassDef(`"Output": "{% $string($states.input.obj) %}"`),
			`"{\"z\":1,\"b\":[true,{\"y\":null,\"x\":\"s\"}],\"a\":2.5}"`},
	} {
		res := runDef(t, c.def, input, nil)
		if got := toJSON(res.Output); res.Status != Succeeded || got != c.want {
			t.Errorf("%s: %s %s %s\n got  %s\n want %s", c.name, res.Status, res.Error, res.Cause, got, c.want)
		}
	}
}

// The context object's members are in AWS's order (recorded in execution histories).
func TestContextObjectOrder(t *testing.T) {
	res := runDef(t, passDef(`"Parameters": {"c.$": "$$"}`), `{"k": 1}`, nil)
	got := toJSON(res.Output)
	for _, want := range []string{
		`{"c":{"Execution":{"Id":"arn:aws:states:`,
		`"Input":{"k":1},"StartTime":"2024-05-01T12:00:00.000Z","Name":"e1","RoleArn":`,
		`"RedriveCount":0},"StateMachine":{"Id":"arn:aws:states:`,
		`"State":{"Name":"P","EnteredTime":"2024-05-01T12:00:00.000Z"}}}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("context object %s\nlacks %s", got, want)
		}
	}
}

// History events carry payloads in order, and a handler's result keeps its order.
func TestHistoryKeyOrder(t *testing.T) {
	def := `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
	  "Parameters": {"FunctionName": "f", "Payload": {"y": 1, "x.$": "$.in"}}, "ResultSelector": {"r.$": "$.Payload"}, "End": true}}}`
	res := runDef(t, def, `{"in": {"b": 1, "a": 2}}`, func(ctx context.Context, req TaskRequest) TaskResult {
		out, _ := json.Marshal(req.Input) // the effective input, in order
		v, _ := value.Decode(json.NewDecoder(strings.NewReader(`{"Payload": {"out": ` + string(out) + `, "c": 3}}`)))
		return TaskResult{Output: v}
	})
	if res.Status != Succeeded {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
	want := `{"r":{"out":{"FunctionName":"f","Payload":{"y":1,"x":{"b":1,"a":2}}},"c":3}}`
	if got := toJSON(res.Output); got != want {
		t.Errorf("output %s\nwant %s", got, want)
	}
	details := map[string]string{}
	for _, e := range res.Events {
		for _, k := range []string{"input", "output", "parameters"} {
			if s, ok := e.DetailsMap()[k].(string); ok {
				details[e.Type+"."+k] = s
			}
		}
	}
	for k, want := range map[string]string{
		"ExecutionStarted.input":    `{"in":{"b":1,"a":2}}`,
		"TaskScheduled.parameters":  `{"FunctionName":"f","Payload":{"y":1,"x":{"b":1,"a":2}}}`,
		"TaskSucceeded.output":      `{"Payload":{"out":{"FunctionName":"f","Payload":{"y":1,"x":{"b":1,"a":2}}},"c":3}}`,
		"TaskStateExited.output":    want,
		"ExecutionSucceeded.output": want,
		"TaskStateEntered.input":    `{"in":{"b":1,"a":2}}`,
	} {
		if details[k] != want {
			t.Errorf("%s = %s, want %s", k, details[k], want)
		}
	}
	// The JSON history writer keeps the payload text as it is.
	b, err := json.Marshal(res.Events[0])
	if err != nil || !strings.Contains(string(b), `"input":"{\"in\":{\"b\":1,\"a\":2}}"`) {
		t.Errorf("ExecutionStarted JSON %s, %v", b, err)
	}
}

// Objects handed in as Go maps (by API users, handlers) have no order: their keys come sorted.
func TestGoMapInput(t *testing.T) {
	r, err := New(machine(t, passDef(`"Comment": "x"`)), Options{Clock: NewVirtualClock(start())})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Start(context.Background(), map[string]any{"b": 1, "a": map[string]any{"d": 2.5, "c": []any{int64(1)}}})
	if got := toJSON(res.Output); got != `{"a":{"c":[1],"d":2.5},"b":1}` {
		t.Errorf("output %s", got)
	}
}
