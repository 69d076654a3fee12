package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/sfn-tool/sfn/internal/testshared"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(testshared.Reporting(m))
}

// testServer is a Server behind an httptest server, with an AWS SDK client and a raw poster.
type testServer struct {
	t      testing.TB
	s      *Server
	hs     *httptest.Server
	client *sfn.Client
	http   *http.Client
}

func newTestServer(t *testing.T, opts Options) *testServer { return newTestServerTB(t, opts) }

// newTestServerTB is newTestServer for tests and benchmarks.
func newTestServerTB(t testing.TB, opts Options) *testServer {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	s := mustNew(t, opts)
	hs := httptest.NewServer(s)
	// Every connection goes to the test server, whatever the host: the SDK prefixes the host of
	// StartSyncExecution and TestState ("sync-"), and no name is ever looked up.
	addr := hs.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	hc := &http.Client{Transport: bufferedBody{tr}}
	client := sfn.New(sfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), HTTPClient: hc, RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
	})
	ts := &testServer{t: t, s: s, hs: hs, client: client, http: hc}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		hs.Close()
		tr.CloseIdleConnections()
	})
	return ts
}

// post sends a raw request and returns the status and the decoded body.
func (ts *testServer) post(action string, body string) (int, map[string]any) {
	ts.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.hs.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if action != "" {
		req.Header.Set("X-Amz-Target", targetPrefix+action)
	}
	resp, err := ts.http.Do(req)
	if err != nil {
		ts.t.Fatalf("%s: %v", action, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		ts.t.Fatalf("%s: response is not JSON: %v\n%s", action, err, b)
	}
	return resp.StatusCode, out
}

// postJSON sends v as the request body.
func (ts *testServer) postJSON(action string, v any) (int, map[string]any) {
	ts.t.Helper()
	b, _ := json.Marshal(v)
	return ts.post(action, string(b))
}

// apiCode is the AWS error code of an SDK error ("" for nil).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

const roleArn = "arn:aws:iam::123456789012:role/StepFunctionsRole"

// create creates a state machine and returns its ARN.
func (ts *testServer) create(name, def, typ string) string {
	ts.t.Helper()
	in := &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(roleArn)}
	if typ != "" {
		in.Type = types.StateMachineType(typ)
	}
	out, err := ts.client.CreateStateMachine(context.Background(), in)
	if err != nil {
		ts.t.Fatalf("CreateStateMachine %s: %v", name, err)
	}
	return *out.StateMachineArn
}

// wait polls DescribeExecution until the execution is no longer RUNNING (as clients of Step
// Functions Local do) and returns the description.
func (ts *testServer) wait(arn string) *sfn.DescribeExecutionOutput {
	ts.t.Helper()
	for {
		out, err := ts.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			ts.t.Fatalf("DescribeExecution: %v", err)
		}
		if out.Status != "RUNNING" {
			return out
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// compact re-indents JSON text compactly, for comparisons.
func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v: %s", err, s)
	}
	return b.String()
}

// bufferedBody hands the transport a request body of its own. The SDK closes the body it built
// as soon as the response has come, which races with the transport's writer on a server as fast
// as a local one: about one request in ten under -race then fails with "use of closed network
// connection" (the writer sees the body end early and closes the connection under the reader).
type bufferedBody struct{ rt http.RoundTripper }

// RoundTrip sends r with a copy of its body.
func (b bufferedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return b.rt.RoundTrip(r)
}

func sfnType(t string) types.StateMachineType { return types.StateMachineType(t) }

// mustNew is New, failing the test on an error.
func mustNew(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
