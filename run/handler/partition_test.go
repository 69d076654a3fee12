package handler

import (
	"context"
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// TestLambdaInvokeEveryPartition: the lambda:invoke integration is recognised in every partition
// and behind a partition placeholder (CDK's arn:${AWS::Partition}:...): stubs, --stub-missing
// and commands get the Lambda response shape, and a command receives the Payload only.
func TestLambdaInvokeEveryPartition(t *testing.T) {
	for _, res := range []string{
		"arn:aws:states:::lambda:invoke",
		"arn:aws-cn:states:::lambda:invoke",
		"arn:aws-us-gov:states:::lambda:invoke",
		"arn:aws-iso:states:::lambda:invoke",
		"arn:aws-iso-b:states:::lambda:invoke",
		"arn:${AWS::Partition}:states:::lambda:invoke",
		"arn:${Partition}:states:::lambda:invoke",
		"arn:#{AWS::Partition}:states:::lambda:invoke",
	} {
		req := run.TaskRequest{StateName: "Call", Resource: res, ExecutionArn: "arn:x",
			Input: value.ObjectOf("FunctionName", "f", "Payload", value.ObjectOf("a", "b"))}
		if !IsLambdaInvoke(res) || !IsLambdaFunction(res) {
			t.Errorf("%s: not recognised as lambda:invoke", res)
		}
		for name, h := range map[string]run.TaskHandler{
			"stub":         &Stub{Outcomes: []Outcome{{Result: value.ObjectOf("r", 1.0)}}},
			"stub-missing": Missing,
			"command":      &Command{Argv: []string{"cat"}},
		} {
			out := h.Invoke(context.Background(), req)
			o, ok := out.Output.(*value.Object)
			if out.Failed || !ok {
				t.Errorf("%s %s: %+v", res, name, out)
				continue
			}
			want := map[string]string{"stub": `{"r":1}`, "stub-missing": `{"a":"b"}`, "command": `{"a":"b"}`}[name]
			if got := jsonText(t, get(o, "Payload")); got != want {
				t.Errorf("%s %s: Payload %s, want %s", res, name, got, want)
			}
		}
	}
	// Not the integration: unwrapped.
	for _, res := range []string{"arn:aws-cn:states:::lambda:invoke.waitForTaskToken", "arn:aws-cn:lambda:cn-north-1:111122223333:function:f", "${FunctionArn}", "arn:aws-cn:states:::sqs:sendMessage"} {
		out := (&Stub{}).Invoke(context.Background(), run.TaskRequest{Resource: res})
		if got := jsonText(t, out.Output); got != "{}" {
			t.Errorf("%s: %s", res, got)
		}
	}
}
