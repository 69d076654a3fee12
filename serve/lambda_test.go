package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// Lambda tasks call a local Lambda Invoke endpoint: a result, and a function error caught by name.
func TestLambdaEndpointTasks(t *testing.T) {
	lambda := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(r.URL.Path, "/functions/fail/") {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = w.Write([]byte(`{"errorType": "OrderError", "errorMessage": "no stock"}`))
			return
		}
		_, _ = w.Write([]byte(`{"got": ` + string(body) + `}`))
	}))
	defer lambda.Close()
	ts := newTestServer(t, Options{LambdaEndpoint: lambda.URL})
	def := `{"StartAt": "Call", "States": {
	  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
	    "Parameters": {"FunctionName": "work", "Payload.$": "$"}, "OutputPath": "$.Payload", "Next": "Fail"},
	  "Fail": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:fail",
	    "Catch": [{"ErrorEquals": ["OrderError"], "ResultPath": "$.error", "Next": "Done"}], "End": true},
	  "Done": {"Type": "Succeed"}}}`
	arn := ts.create("Lambdas", def, "")
	out, err := ts.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"n": 1}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := ts.wait(*out.ExecutionArn)
	want := `{"got":{"n":1},"error":{"Error":"OrderError","Cause":"{\"errorType\": \"OrderError\", \"errorMessage\": \"no stock\"}"}}`
	if d.Status != "SUCCEEDED" || compact(t, *d.Output) != want {
		t.Errorf("%s %v", d.Status, *d.Output)
	}
}
