package handler

import (
	"context"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// TestStubResponseShapes: --stub-missing answers each known integration with its response's
// shape (the fields a ResultSelector reads), deterministically.
func TestStubResponseShapes(t *testing.T) {
	ctx := value.ObjectOf("State", value.ObjectOf("EnteredTime", "2024-05-01T10:00:00Z"))
	for _, tc := range []struct {
		resource string
		input    any
		keys     string // the result's keys, or its JSON text when it starts with '{' or '['
	}{
		{"arn:aws:lambda:us-east-1:111122223333:function:f", value.ObjectOf("x", 1.0), `{"x":1}`},
		{"${FunctionArn}", []any{1.0}, `[1]`},
		{"arn:aws:states:::lambda:invoke", value.ObjectOf("FunctionName", "f", "Payload", value.ObjectOf("x", 1.0)), "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode"},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", value.ObjectOf("Payload", 1.0), `{}`},
		{"arn:aws:states:::sqs:sendMessage", value.ObjectOf("QueueUrl", "q", "MessageBody", "hello"), "MD5OfMessageBody,MessageId"},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", value.ObjectOf("QueueUrl", "q"), `{}`},
		{"arn:aws:states:::sns:publish", value.ObjectOf("Message", "m"), "MessageId"},
		{"arn:aws:states:::events:putEvents", value.ObjectOf("Entries", []any{value.NewObject(0), value.NewObject(0)}), "Entries,FailedEntryCount"},
		{"arn:aws:states:::states:startExecution", value.ObjectOf("StateMachineArn", "arn:aws:states:us-east-1:1:stateMachine:c"), "ExecutionArn,StartDate"},
		{"arn:aws:states:::states:startExecution.sync:2", value.ObjectOf("StateMachineArn", "arn:aws:states:us-east-1:1:stateMachine:c", "Input", value.ObjectOf("a", 1.0)), "ExecutionArn,Input,InputDetails,Name,Output,OutputDetails,StartDate,StateMachineArn,Status,StopDate"},
		{"arn:aws:states:::apigateway:invoke", value.NewObject(0), "Headers,ResponseBody,StatusCode,StatusText"},
		{"arn:aws:states:::dynamodb:getItem", value.NewObject(0), `{}`},
		{"arn:aws:states:::aws-sdk:s3:getObject", value.NewObject(0), `{}`},
	} {
		req := run.TaskRequest{StateName: "S", Resource: tc.resource, Input: tc.input, ExecutionArn: "arn:x", Context: ctx}
		res := Missing.Invoke(context.Background(), req)
		got := jsonText(t, res.Output)
		if o, ok := res.Output.(*value.Object); ok && !strings.HasPrefix(tc.keys, "{") {
			got = strings.Join(o.Keys(), ",")
		}
		if res.Failed || got != tc.keys {
			t.Errorf("%s: got %s, want %s", tc.resource, got, tc.keys)
		}
		if again := Missing.Invoke(context.Background(), req); jsonText(t, again.Output) != jsonText(t, res.Output) {
			t.Errorf("%s: not deterministic", tc.resource)
		}
	}
	// Specific values.
	req := run.TaskRequest{StateName: "S", Resource: "arn:aws:states:::sqs:sendMessage", Input: value.ObjectOf("MessageBody", "hello")}
	if got := jsonText(t, get(Missing.Invoke(context.Background(), req).Output.(*value.Object), "MD5OfMessageBody")); got != `"5d41402abc4b2a76b9719d911017c592"` {
		t.Errorf("MD5OfMessageBody %s", got)
	}
	req = run.TaskRequest{StateName: "S", Resource: "arn:aws:states:::events:putEvents", Input: value.ObjectOf("Entries", []any{1.0, 2.0, 3.0})}
	if got := len(get(Missing.Invoke(context.Background(), req).Output.(*value.Object), "Entries").([]any)); got != 3 {
		t.Errorf("putEvents: %d entries", got)
	}
}
