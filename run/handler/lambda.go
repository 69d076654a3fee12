package handler

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// LambdaInvoke is the optimised Lambda integration's Resource in the aws partition; every
// partition's (arn:aws-cn:..., arn:${AWS::Partition}:...) is the same integration.
const LambdaInvoke = "arn:aws:states:::lambda:invoke"

// IsLambdaInvoke reports whether resource is the request-response Lambda integration (in any
// partition, or a placeholder's), whose result AWS wraps (Payload, StatusCode, ...).
// .waitForTaskToken completes with the callback's output, unwrapped.
func IsLambdaInvoke(resource string) bool {
	in := asl.ParseResource(resource)
	return in.IsLambdaInvoke() && in.Pattern == ""
}

// IsLambdaFunction reports whether resource calls a Lambda function: directly (a function ARN,
// or a Resource that is no ARN, such as ${FunctionArn}, which sfn run takes for one) or through
// the lambda:invoke integration with any pattern.
func IsLambdaFunction(resource string) bool {
	switch in := asl.ParseResource(resource); in.Kind {
	case asl.LambdaFunction, asl.NotARN:
		return true
	default:
		return in.IsLambdaInvoke()
	}
}

// Shape wraps a successful result as AWS returns it for req.Resource: for the lambda:invoke
// integration the result becomes the Payload of a Lambda Invoke response; every other resource
// gets it unchanged.
func Shape(req run.TaskRequest, res run.TaskResult) run.TaskResult {
	if res.Failed || !IsLambdaInvoke(req.Resource) {
		return res
	}
	res.Output = LambdaResponse(req, res.Output)
	return res
}

// LambdaResponse is the response of arn:aws:states:::lambda:invoke around payload, in the
// shape AWS records it. Its request id and date are derived from the request, so the same run
// gives the same response.
// Its members are in the order AWS records them.
func LambdaResponse(req run.TaskRequest, payload any) *value.Object {
	body, _ := json.Marshal(payload)
	length := strconv.Itoa(len(body))
	id := requestID(req)
	date := enteredTime(req).UTC().Format(time.RFC1123)
	date = strings.Replace(date, "UTC", "GMT", 1)
	trace := "Root=1-" + id[:8] + "-" + strings.ReplaceAll(id[9:], "-", "")[:24] + ";Sampled=0"
	return value.ObjectOf(
		"ExecutedVersion", "$LATEST",
		"Payload", payload,
		"SdkHttpMetadata", value.ObjectOf(
			"AllHttpHeaders", value.ObjectOf(
				"X-Amz-Executed-Version", []any{"$LATEST"},
				"x-amzn-Remapped-Content-Length", []any{"0"},
				"Connection", []any{"keep-alive"},
				"x-amzn-RequestId", []any{id},
				"Content-Length", []any{length},
				"Date", []any{date},
				"X-Amzn-Trace-Id", []any{trace},
				"Content-Type", []any{"application/json"},
			),
			"HttpHeaders", value.ObjectOf(
				"Connection", "keep-alive",
				"Content-Length", length,
				"Content-Type", "application/json",
				"Date", date,
				"X-Amz-Executed-Version", "$LATEST",
				"x-amzn-Remapped-Content-Length", "0",
				"x-amzn-RequestId", id,
				"X-Amzn-Trace-Id", trace,
			),
			"HttpStatusCode", json.Number("200"),
		),
		"SdkResponseMetadata", value.ObjectOf("RequestId", id),
		"StatusCode", json.Number("200"),
	)
}

// LambdaPayload is what the Lambda function itself receives for req: the Payload parameter of
// the lambda:invoke integration (null when absent), else the whole effective input.
func LambdaPayload(req run.TaskRequest) any {
	if asl.ParseResource(req.Resource).IsLambdaInvoke() {
		if m, ok := req.Input.(*value.Object); ok {
			return get(m, "Payload")
		}
		return nil
	}
	return req.Input
}

// requestID is a UUID-shaped id derived from the execution, the state and the invocation.
func requestID(req run.TaskRequest) string {
	h := sha1.Sum([]byte(fmt.Sprintf("%s\x00%s\x00%d", req.ExecutionArn, req.StateName, req.Attempt)))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// enteredTime is $$.State.EnteredTime, else the zero time.
func enteredTime(req run.TaskRequest) time.Time {
	st, _ := get(req.Context, "State").(*value.Object)
	s, _ := get(st, "EnteredTime").(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Unix(0, 0)
	}
	return t
}
