package handler

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// fakeLambda is a Lambda Invoke endpoint: function "echo" returns its payload, "boom" fails
// with a function error, "bare" fails without an errorType, "huge" returns more than a payload
// may hold; any other name is ResourceNotFoundException.
func fakeLambda(t *testing.T) (*httptest.Server, *[]string) {
	var calls []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		calls = append(calls, r.Method+" "+r.URL.RequestURI()+" "+string(body))
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2015-03-31/functions/"), "/invocations")
		switch name {
		case "echo":
			_, _ = w.Write(body)
		case "boom":
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = w.Write([]byte(`{"errorType": "ValueError", "errorMessage": "bad order", "stackTrace": []}`))
		case "bare":
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = w.Write([]byte(`{"errorMessage": "Process exited"}`))
		case "huge":
			_, _ = w.Write([]byte(`"` + strings.Repeat("x", 300<<10) + `"`))
		default:
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"Type": "User", "message": "Function not found: ` + name + `"}`))
		}
	}))
	t.Cleanup(hs.Close)
	return hs, &calls
}

func lambdaRequest(t *testing.T, resource, input string) run.TaskRequest {
	t.Helper()
	v, err := load.DecodeJSON([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	return run.TaskRequest{StateName: "Call", Resource: resource, Input: v, MaxOutput: 256 << 10,
		ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e", Context: value.NewObject(0)}
}

func TestLambdaEndpoint(t *testing.T) {
	hs, calls := fakeLambda(t)
	l := &LambdaEndpoint{Endpoint: hs.URL, Client: hs.Client()}
	ctx := context.Background()
	cases := []struct {
		name, resource, input string
		wantOut, wantErr      string // wantOut: the output's JSON (a prefix for lambda:invoke)
		wantCause, wantCall   string
	}{
		{"function ARN", "arn:aws:lambda:us-east-1:123456789012:function:echo", `{"a": 1}`, `{"a":1}`, "", "", `POST /2015-03-31/functions/echo/invocations {"a":1}`},
		{"function ARN with alias", "arn:aws:lambda:us-east-1:123456789012:function:echo:live", `{}`, `{}`, "", "", `POST /2015-03-31/functions/echo/invocations?Qualifier=live {}`},
		{"lambda:invoke", "arn:aws:states:::lambda:invoke", `{"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:echo", "Payload": {"b": [2]}}`,
			`{"ExecutedVersion":"$LATEST","Payload":{"b":[2]}`, "", "", `POST /2015-03-31/functions/echo/invocations {"b":[2]}`},
		{"lambda:invoke by name", "arn:aws:states:::lambda:invoke", `{"FunctionName": "echo"}`, `{"ExecutedVersion":"$LATEST","Payload":null`, "", "", `POST /2015-03-31/functions/echo/invocations null`},
		{"function error", "arn:aws:states:::lambda:invoke", `{"FunctionName": "boom", "Payload": {}}`, "", "ValueError", `"errorMessage": "bad order"`, ""},
		{"function error without a type", "arn:aws:lambda:us-east-1:123456789012:function:bare", `{}`, "", "Lambda.Unknown", "Process exited", ""},
		{"no such function", "arn:aws:states:::lambda:invoke", `{"FunctionName": "nope"}`, "", "Lambda.ResourceNotFoundException", "Function not found: nope (Service: Lambda, Status Code: 404", ""},
		{"no FunctionName", "arn:aws:states:::lambda:invoke", `{"Payload": {}}`, "", "Lambda.InvalidParameterValueException", "no FunctionName", ""},
		{"not a function", "arn:aws:states:::lambda:invoke", `{"FunctionName": "a:b:c:d:e:f"}`, "", "Lambda.InvalidParameterValueException", "not a function name", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			*calls = nil
			res := l.Invoke(ctx, lambdaRequest(t, c.resource, c.input))
			if c.wantErr != "" {
				if !res.Failed || res.Error != c.wantErr || !strings.Contains(res.Cause, c.wantCause) {
					t.Errorf("got %+v, want %s with %q", res, c.wantErr, c.wantCause)
				}
				return
			}
			out := string(value.AppendJSON(nil, res.Output))
			if res.Failed || !strings.HasPrefix(out, c.wantOut) {
				t.Errorf("got %+v %s, want %s", res, out, c.wantOut)
			}
			if len(*calls) != 1 || (*calls)[0] != c.wantCall {
				t.Errorf("calls %q, want %q", *calls, c.wantCall)
			}
		})
	}
	if res := l.Invoke(ctx, lambdaRequest(t, "arn:aws:lambda:us-east-1:1:function:huge", `{}`)); !res.OverLimit {
		t.Errorf("huge: %+v", res)
	}
}

func TestLambdaEndpointUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	l := &LambdaEndpoint{Endpoint: "http://" + addr}
	res := l.Invoke(context.Background(), lambdaRequest(t, "arn:aws:lambda:us-east-1:1:function:f", `{}`))
	if !res.Failed || res.Error != "Lambda.ServiceException" || !strings.Contains(res.Cause, "Unable to reach the Lambda endpoint") {
		t.Errorf("%+v", res)
	}
}

// A call that outlives the task's TimeoutSeconds (the interpreter's deadline) times out.
func TestLambdaEndpointTimeout(t *testing.T) {
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := lambdaRequest(t, "arn:aws:lambda:us-east-1:1:function:slow", `{}`)
	req.Timeout = 50 * time.Millisecond
	if res := (&LambdaEndpoint{Endpoint: hs.URL, Client: hs.Client()}).Invoke(ctx, req); !res.TimedOut {
		t.Errorf("%+v", res)
	}
}

func TestConfigLambda(t *testing.T) {
	c, err := ParseConfig([]byte("tasks:\n  Call:\n    lambda: http://127.0.0.1:3001/\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if c.Tasks["Call"].Lambda != "http://127.0.0.1:3001" {
		t.Errorf("%+v", c.Tasks["Call"])
	}
	if _, ok := c.handler(c.Tasks["Call"]).(*LambdaEndpoint); !ok {
		t.Error("not a LambdaEndpoint")
	}
	for _, bad := range []string{
		"tasks:\n  Call:\n    lambda: ftp://x\n",
		"tasks:\n  Call:\n    lambda: http://x\n    result: 1\n",
		"tasks:\n  Call:\n    lambda: [1]\n",
		"tasks:\n  Call:\n    lambda: http://x\n    env: {A: b}\n",
	} {
		if _, err := ParseConfig([]byte(bad), "."); err == nil {
			t.Errorf("accepted %q", bad)
		} else if ce, ok := err.(*ConfigError); !ok || ce.Pos.Line == 0 {
			b, _ := json.Marshal(err)
			t.Errorf("%q: error without a position: %v %s", bad, err, b)
		}
	}
}
