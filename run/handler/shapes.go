package handler

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// missing is the --stub-missing handler (see Missing).
type missing struct{}

// Missing is the --stub-missing handler: a task succeeds with a result shaped like the
// integration's real response where sfn knows it (StubResponse), else {}.
var Missing run.TaskHandler = missing{}

// Invoke implements run.TaskHandler.
func (missing) Invoke(_ context.Context, req run.TaskRequest) run.TaskResult {
	return run.TaskResult{Output: StubResponse(req)}
}

// StubResponse is what --stub-missing returns for req, shaped like the real response so that
// ResultSelector, ResultPath and $states.result find the fields they expect:
//
//   - a Lambda function (a function ARN, or a Resource that is no ARN): its input (an identity
//     function);
//   - lambda:invoke: the Lambda Invoke response around the Payload it was sent
//     ({"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"});
//   - any .waitForTaskToken integration: {} (the output of the callback);
//   - sqs:sendMessage: {"MD5OfMessageBody", "MessageId"};
//   - sns:publish: {"MessageId"};
//   - events:putEvents: {"Entries": [{"EventId"} per entry sent], "FailedEntryCount": 0};
//   - states:startExecution: {"ExecutionArn", "StartDate"}; with .sync:2 the finished
//     execution ({"ExecutionArn", "Input", "Name", "Output": {}, "StartDate", "StateMachineArn",
//     "Status": "SUCCEEDED", "StopDate"}), with .sync the same with Input and Output as JSON text;
//   - apigateway:invoke: {"Headers": {}, "ResponseBody": {}, "StatusCode": 200, "StatusText": "OK"};
//   - athena:startQueryExecution: {"QueryExecutionId"}; glue:startJobRun: {"JobRunId"};
//     batch:submitJob: {"JobId", "JobName"}; ecs:runTask: {"Failures": [], "Tasks": []};
//   - everything else (dynamodb:getItem finding no item, aws-sdk:*): {}.
//
// Ids are derived from the execution, the state and the attempt: the same run gives the same
// results.
func StubResponse(req run.TaskRequest) any {
	in := asl.ParseResource(req.Resource)
	switch {
	case in.Kind == asl.LambdaFunction || in.Kind == asl.NotARN:
		return req.Input
	case in.Kind != asl.ServiceIntegration || in.Pattern == ".waitForTaskToken":
		return value.NewObject(0)
	case in.IsLambdaInvoke():
		return LambdaResponse(req, LambdaPayload(req))
	}
	params, _ := req.Input.(*value.Object)
	id := requestID(req)
	switch in.Service + ":" + in.Action {
	case "sqs:sendMessage":
		sum := md5.Sum([]byte(messageBody(get(params, "MessageBody"))))
		return value.ObjectOf("MD5OfMessageBody", hex.EncodeToString(sum[:]), "MessageId", id)
	case "sns:publish":
		return value.ObjectOf("MessageId", id)
	case "events:putEvents":
		entries, _ := get(params, "Entries").([]any)
		ids := make([]any, len(entries))
		for i := range entries {
			ids[i] = value.ObjectOf("EventId", fmt.Sprintf("%s-%d", id[:24], i))
		}
		return value.ObjectOf("Entries", ids, "FailedEntryCount", json.Number("0"))
	case "states:startExecution":
		return startExecutionResponse(req, in.Pattern, params, id)
	case "apigateway:invoke":
		return value.ObjectOf("Headers", value.NewObject(0), "ResponseBody", value.NewObject(0), "StatusCode", json.Number("200"), "StatusText", "OK")
	case "athena:startQueryExecution":
		return value.ObjectOf("QueryExecutionId", id)
	case "glue:startJobRun":
		return value.ObjectOf("JobRunId", "jr_"+strings.ReplaceAll(id, "-", ""))
	case "batch:submitJob":
		return value.ObjectOf("JobId", id, "JobName", get(params, "JobName"))
	case "ecs:runTask":
		return value.ObjectOf("Failures", []any{}, "Tasks", []any{})
	}
	return value.NewObject(0)
}

// messageBody is an SQS MessageBody as the service receives it: a string as is, anything else
// as JSON text.
func messageBody(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// startExecutionResponse is the response of states:startExecution for pattern ("", ".sync" or
// ".sync:2"): the child execution started, or finished with an empty output.
func startExecutionResponse(req run.TaskRequest, pattern string, params *value.Object, id string) any {
	sm, _ := get(params, "StateMachineArn").(string)
	name, _ := get(params, "Name").(string)
	if name == "" {
		name = id
	}
	execArn := strings.Replace(sm, ":stateMachine:", ":execution:", 1) + ":" + name
	start := enteredTime(req).UTC()
	if pattern == "" {
		return value.ObjectOf("ExecutionArn", execArn, "StartDate", start.Format(time.RFC3339Nano))
	}
	input, output := get(params, "Input"), any(value.NewObject(0))
	if input == nil {
		input = value.NewObject(0)
	}
	if pattern == ".sync" { // the first version returns Input and Output as JSON text
		b, _ := json.Marshal(input)
		input, output = string(b), "{}"
	}
	return value.ObjectOf(
		"ExecutionArn", execArn, "Input", input, "InputDetails", value.ObjectOf("Included", true),
		"Name", name, "Output", output, "OutputDetails", value.ObjectOf("Included", true),
		"StartDate", start.Format(time.RFC3339Nano), "StateMachineArn", sm, "Status", "SUCCEEDED",
		"StopDate", start.Format(time.RFC3339Nano))
}
