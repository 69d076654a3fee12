package serve

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

func TestTestState(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	cases := []struct {
		name, def, input, stateName string
		status, output, next, err   string
	}{
		{"pass", `{"Type": "Pass", "Parameters": {"b.$": "$.a", "z": 1}, "Next": "After"}`, `{"a": 2}`, "", "SUCCEEDED", `{"z":1,"b":2}`, "After", ""},
		{"choice", `{"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}], "Default": "Small"}`, `{"n": 5}`, "", "SUCCEEDED", `{"n":5}`, "Big", ""},
		{"fail", `{"Type": "Fail", "Error": "E", "Cause": "C"}`, `{}`, "", "FAILED", "", "", "E"},
		{"caught", `{"Type": "Task", "Resource": "arn:aws:states:::nowhere", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "End": true}`, `{}`, "", "CAUGHT_ERROR", "", "Handle", "States.Runtime"},
		{"jsonata state", `{"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.a + 1 %}", "Next": "N"}`, `{"a": 2}`, "", "SUCCEEDED", `3`, "N", ""},
		{"jsonata machine", `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.a * 2 %}", "End": true}}}`, `{"a": 2}`, "A", "SUCCEEDED", `4`, "", ""},
		{"self loop runs once", `{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": "A"}], "Default": "E"}, "E": {"Type": "Succeed"}}}`,
			`{"again": true}`, "A", "SUCCEEDED", `{"again":true}`, "A", ""},
		{"state of a machine", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": 1, "End": true}}}`, `{"x": 1}`, "B", "SUCCEEDED", `1`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &sfn.TestStateInput{Definition: aws.String(c.def), Input: aws.String(c.input), RoleArn: aws.String(roleArn), InspectionLevel: "DEBUG"}
			if c.stateName != "" {
				in.StateName = aws.String(c.stateName)
			}
			out, err := ts.client.TestState(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if string(out.Status) != c.status || (c.output != "" && compact(t, aws.ToString(out.Output)) != c.output) ||
				aws.ToString(out.NextState) != c.next || aws.ToString(out.Error) != c.err || out.InspectionData == nil {
				t.Errorf("%s output %s next %s error %s", out.Status, aws.ToString(out.Output), aws.ToString(out.NextState), aws.ToString(out.Error))
			}
		})
	}
	testStateInspection(t)
	// Refused definitions and requests, with AWS's error types.
	for _, c := range []struct{ def, stateName, vars, code string }{
		{`{"Type": "Pass", "Next": 1}`, "", "", errInvalidDefinition},
		{`{"Type": "Pass", "Next": "N",}`, "", "", errInvalidDefinition},
		{`[1]`, "", "", errInvalidDefinition},
		{`"Pass"`, "", "", errInvalidDefinition},
		{`{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`, "", "", errValidation},
		{`{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`, "B", "", errValidation},
		{`{"StartAt": "A", "States": {"A": 1}}`, "A", "", errInvalidDefinition},
		{`{"StartAt": "A", "States": 1}`, "A", "", errValidation},
		{`{"Type": "Pass", "End": true}`, "", `[1]`, errValidation},
		{`{"Type": "Pass", "End": true}`, "", `{"a": `, errInvalidExecInput},
		{strings.Repeat(`{"a":`, 10000) + strings.Repeat(`}`, 10000), "", "", errInvalidDefinition},
	} {
		in := &sfn.TestStateInput{Definition: aws.String(c.def), RoleArn: aws.String(roleArn)}
		if c.stateName != "" {
			in.StateName = aws.String(c.stateName)
		}
		if c.vars != "" {
			in.Variables = aws.String(c.vars)
		}
		_, err := ts.client.TestState(ctx, in)
		if code := apiCode(err); code != c.code {
			t.Errorf("%.60s (%s): %s, want %s", c.def, c.stateName, code, c.code)
		}
	}
	// What AWS's TestState refuses (a callback would wait for an answer that never comes).
	for _, def := range []string{
		`{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"}, "End": true}`,
		`{"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a", "End": true}`,
		`{"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}`,
		`{"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}`,
	} {
		_, err := ts.client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(def), RoleArn: aws.String(roleArn)})
		if code := apiCode(err); code != errValidation {
			t.Errorf("%s: %s", def, code)
		}
	}
}

// testStateInspection checks inspectionData per inspection level: none at INFO (the default),
// each data-flow step at DEBUG and TRACE, the variables the request seeds and the state assigns.
func testStateInspection(t *testing.T) {
	t.Helper()
	echo := run.TaskHandlerFunc(func(_ context.Context, req run.TaskRequest) run.TaskResult {
		return run.TaskResult{Output: value.ObjectOf("got", req.Input)}
	})
	ts := newTestServer(t, Options{TaskHandlers: func(string, *asl.State) run.TaskHandler { return echo }})
	ctx := context.Background()
	def := `{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "InputPath": "$.in", "Parameters": {"b.$": "$.a"},
		"ResultSelector": {"c.$": "$.got.b"}, "ResultPath": "$.r", "Assign": {"seen.$": "$.c"}, "Next": "After"}`
	for _, level := range []sfntypes.InspectionLevel{"", "INFO", "DEBUG", "TRACE"} {
		in := &sfn.TestStateInput{Definition: aws.String(def), Input: aws.String(`{"in": {"a": 2}}`), RoleArn: aws.String(roleArn),
			InspectionLevel: level, Variables: aws.String(`{"who": "ann"}`)}
		out, err := ts.client.TestState(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", level, err)
		}
		if out.Output == nil {
			t.Fatalf("%s: %s %s %s", level, out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
		}
		if compact(t, aws.ToString(out.Output)) != `{"in":{"a":2},"r":{"c":2}}` || aws.ToString(out.NextState) != "After" {
			t.Errorf("%s: output %s next %s", level, aws.ToString(out.Output), aws.ToString(out.NextState))
		}
		d := out.InspectionData
		if level == "" || level == "INFO" {
			if d != nil {
				t.Errorf("%s: inspectionData %+v", level, d)
			}
			continue
		}
		if d == nil {
			t.Fatalf("%s: no inspectionData", level)
		}
		for _, c := range []struct{ name, got, want string }{
			{"input", aws.ToString(d.Input), `{"in":{"a":2}}`},
			{"afterInputPath", aws.ToString(d.AfterInputPath), `{"a":2}`},
			{"afterParameters", aws.ToString(d.AfterParameters), `{"b":2}`},
			{"result", aws.ToString(d.Result), `{"got":{"b":2}}`},
			{"afterResultSelector", aws.ToString(d.AfterResultSelector), `{"c":2}`},
			{"afterResultPath", aws.ToString(d.AfterResultPath), `{"in":{"a":2},"r":{"c":2}}`},
			{"variables", aws.ToString(d.Variables), `{"who":"ann","seen":2}`},
		} {
			if c.got == "" || compact(t, c.got) != c.want {
				t.Errorf("%s: %s = %s, want %s", level, c.name, c.got, c.want)
			}
		}
	}
}
