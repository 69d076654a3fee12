package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/serve"
)

// sfn serve --endpoint dynamodb=URL: an execution's dynamodb:putItem goes to the endpoint,
// signed, and its result (with the SdkHttpMetadata AWS adds) is the task's.
func TestServeEndpoint(t *testing.T) {
	var mu sync.Mutex
	var got []string
	ddb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("X-Amz-Target")+" "+string(body))
		mu.Unlock()
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=") {
			w.WriteHeader(400)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer ddb.Close()

	opts, err := serveOptions(&serveFlags{account: "123456789012", clock: "virtual", endpoints: []string{"dynamodb=" + ddb.URL}})
	if err != nil {
		t.Fatal(err)
	}
	api, err := serve.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(api)
	defer hs.Close()
	call := apiCaller(t, hs)
	def := `{"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
		"Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}}, "ResultSelector": {"code.$": "$.SdkHttpMetadata.HttpStatusCode"}, "End": true}}}`
	sm := call("CreateStateMachine", map[string]any{"name": "m", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/r", "type": "EXPRESS"})
	out := call("StartSyncExecution", map[string]any{"stateMachineArn": sm["stateMachineArn"], "input": `{"id": "o-1"}`})
	if out["status"] != "SUCCEEDED" || out["output"] != `{"code":200}` {
		t.Errorf("%v", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != `DynamoDB_20120810.PutItem {"TableName":"orders","Item":{"id":{"S":"o-1"}}}` {
		t.Errorf("the endpoint received %q", got)
	}
}

func TestServeEndpointFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Run([]string{"serve", "--endpoint", "dynamodb"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--endpoint: want SERVICE=URL") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestServeEndpointCallback: a .waitForTaskToken task with an --endpoint for its service sends
// its message (carrying the token) to the endpoint, then waits for SendTaskSuccess, as on AWS.
func TestServeEndpointCallback(t *testing.T) {
	tokens := make(chan string, 1)
	sqs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ MessageBody string }
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Amz-Target") != "AmazonSQS.SendMessage" || json.Unmarshal(body, &req) != nil {
			w.WriteHeader(400)
			return
		}
		var msg struct{ Token string }
		_ = json.Unmarshal([]byte(req.MessageBody), &msg)
		tokens <- msg.Token
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{"MessageId": "m-1", "MD5OfMessageBody": "x"}`))
	}))
	defer sqs.Close()
	opts, err := serveOptions(&serveFlags{account: "123456789012", clock: "real", endpoints: []string{"sqs=" + sqs.URL}})
	if err != nil {
		t.Fatal(err)
	}
	api, err := serve.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(api)
	defer hs.Close()
	defer api.Shutdown(context.Background())
	call := apiCaller(t, hs)
	def := `{"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters": {"QueueUrl": "http://q/approvals", "MessageBody": {"Token.$": "$$.Task.Token"}}, "TimeoutSeconds": 60, "End": true}}}`
	sm := call("CreateStateMachine", map[string]any{"name": "cb", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/r"})
	ex := call("StartExecution", map[string]any{"stateMachineArn": sm["stateMachineArn"]})
	var token string
	select {
	case token = <-tokens:
	case <-time.After(30 * time.Second):
		t.Fatal("the endpoint received no message")
	}
	call("SendTaskSuccess", map[string]any{"taskToken": token, "output": `{"approved": true}`})
	for i := 0; ; i++ {
		d := call("DescribeExecution", map[string]any{"executionArn": ex["executionArn"]})
		if d["status"] == "SUCCEEDED" {
			if d["output"] != `{"approved":true}` {
				t.Errorf("output %v", d["output"])
			}
			return
		}
		if d["status"] != "RUNNING" || i > 3000 {
			t.Fatalf("%v", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// apiCaller calls an action of the Step Functions API served by hs; an error answer fails t.
func apiCaller(t *testing.T, hs *httptest.Server) func(action string, req any) map[string]any {
	return func(action string, req any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(req)
		hreq, _ := http.NewRequest(http.MethodPost, hs.URL, bytes.NewReader(b))
		hreq.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
		hreq.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := hs.Client().Do(hreq)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v %v", action, resp.StatusCode, out, err)
		}
		return out
	}
}
