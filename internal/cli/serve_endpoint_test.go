package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

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
	call := func(action string, req any) map[string]any {
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
