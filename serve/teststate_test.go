package serve

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
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
		{"caught", `{"Type": "Task", "Resource": "arn:aws:states:::nowhere", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "End": true}`, `{}`, "", "CAUGHT_ERROR", "", "Handle", ""},
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
	_, err := ts.client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type": "Pass", "Next": 1}`), RoleArn: aws.String(roleArn)})
	if code := apiCode(err); code != errInvalidDefinition {
		t.Errorf("invalid state: %s", code)
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
