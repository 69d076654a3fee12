package serve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Any request gets an answer in AWS's shape: never a panic, never a 5xx but for the server's
// own failures (none here), and an error body with __type.
func FuzzServeRequest(f *testing.F) {
	f.Add("CreateStateMachine", `{"name": "a", "definition": "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}", "roleArn": "arn:aws:iam::1:role/r"}`)
	f.Add("StartExecution", `{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:a#x", "input": "[1,"}`)
	f.Add("GetExecutionHistory", `{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:a:b", "nextToken": "c2ZuLXBhZ2U6LTE"}`)
	f.Add("SendTaskSuccess", `{"taskToken": "AQCTOKEN", "output": "{}"}`)
	f.Add("ListExecutions", `{"stateMachineArn": 1}`)
	f.Add("ValidateStateMachineDefinition", `{"definition": "{\"StartAt\": \"{% $x %}\"}", "severity": "WARNING"}`)
	f.Add("TagResource", `{"resourceArn": "arn:aws:states:us-east-1:123456789012:activity:a", "tags": [{"key": ""}]}`)
	f.Add("TestState", `{"definition": "{\"Type\": \"Choice\", \"Choices\": [{\"Next\": \"A\"}], \"Default\": \"TestState\"}", "input": "{}", "inspectionLevel": "TRACE"}`)
	f.Add("TestState", `{"definition": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Assign\": {\"v.$\": \"$w\"}, \"End\": true}}}", "stateName": "A", "variables": "{\"w\": 1}", "inspectionLevel": "DEBUG"}`)
	f.Fuzz(func(t *testing.T, action, body string) {
		s := mustNew(t, Options{Logf: t.Logf})
		s.poll = 1 // GetActivityTask does not wait
		defer func() { _ = s.Shutdown(context.Background()) }()
		// A machine to start, so that executions run too.
		s.call(actions["CreateStateMachine"], context.Background(), []byte(`{"name": "a", "definition": "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}", "roleArn": "arn:aws:iam::1:role/r"}`))
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", targetPrefix+action)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %q: %d %s", action, body, w.Code, w.Body)
		}
		if w.Code != 200 && !strings.Contains(w.Body.String(), `"__type"`) {
			t.Fatalf("%s: error without __type: %s", action, w.Body)
		}
	})
}
