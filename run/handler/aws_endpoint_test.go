package handler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// recordedCall is one request a fake AWS service received.
type recordedCall struct {
	target, contentType, auth, body string
}

// fakeAWS is an AWS service endpoint answering by X-Amz-Target (or the query Action): respond
// gives the status, headers and body of each.
func fakeAWS(t *testing.T, respond func(target, body string) (int, map[string]string, string)) (*httptest.Server, func() []recordedCall) {
	var mu sync.Mutex
	var calls []recordedCall
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		target := r.Header.Get("X-Amz-Target")
		if target == "" {
			q, _ := url.ParseQuery(string(body))
			target = "query." + q.Get("Action")
		}
		mu.Lock()
		calls = append(calls, recordedCall{target, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(body)})
		mu.Unlock()
		status, headers, out := respond(target, string(body))
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(out))
	}))
	t.Cleanup(hs.Close)
	return hs, func() []recordedCall {
		mu.Lock()
		defer mu.Unlock()
		return append([]recordedCall(nil), calls...)
	}
}

// sigV4 is the shape of a SigV4 Authorization header: the key id, date, region and service of
// the scope, the signed headers and a 64-hex-digit signature.
var sigV4 = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/\d{8}/([a-z0-9-]+)/([a-z0-9]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`)

func TestAWSEndpointRequests(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	hs, calls := fakeAWS(t, func(target, body string) (int, map[string]string, string) {
		switch target {
		case "query.Publish":
			return 200, map[string]string{"Content-Type": "text/xml"}, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`
		case "AWSStepFunctions.StartExecution":
			return 200, nil, `{"executionArn": "arn:aws:states:eu-west-1:1:execution:m:e", "startDate": 1.7E9}`
		case "DynamoDB_20120810.GetItem":
			return 200, map[string]string{"X-Amzn-Requestid": "r-2", "Content-Type": "application/x-amz-json-1.0"}, `{"Item": {"id": {"S": "1"}}}`
		}
		return 200, nil, `{}`
	})
	a := &AWSEndpoint{Endpoint: hs.URL, Client: hs.Client()}
	cases := []struct {
		name, resource, input          string
		wantTarget, wantType, wantBody string
		wantOut                        string // the output's JSON (a prefix)
		wantService                    string // the signature's scope
	}{
		{"dynamodb optimised", "arn:aws:states:::dynamodb:getItem", `{"TableName": "t", "Key": {"id": {"S": "1"}}}`,
			"DynamoDB_20120810.GetItem", "application/x-amz-json-1.0", `{"TableName":"t","Key":{"id":{"S":"1"}}}`,
			`{"Item":{"id":{"S":"1"}},"SdkHttpMetadata":{"AllHttpHeaders":{"Content-Length":["28"],"Content-Type":["application/x-amz-json-1.0"],`, "dynamodb"},
		{"dynamodb aws-sdk", "arn:aws:states:::aws-sdk:dynamodb:getItem", `{"TableName": "t", "Key": {"id": {"S": "1"}}}`,
			"DynamoDB_20120810.GetItem", "application/x-amz-json-1.0", `{"TableName":"t","Key":{"id":{"S":"1"}}}`,
			`{"Item":{"id":{"S":"1"}}}`, "dynamodb"},
		{"sqs message body as JSON text", "arn:aws:states:::sqs:sendMessage", `{"QueueUrl": "http://q/1/q", "MessageBody": {"a": [1]}}`,
			"AmazonSQS.SendMessage", "application/x-amz-json-1.0", `{"QueueUrl":"http://q/1/q","MessageBody":"{\"a\":[1]}"}`,
			`{"SdkHttpMetadata":`, "sqs"},
		{"eventbridge detail as JSON text", "arn:aws:states:::events:putEvents", `{"Entries": [{"Detail": {"x": 1}, "Source": "s"}]}`,
			"AWSEvents.PutEvents", "application/x-amz-json-1.1", `{"Entries":[{"Detail":"{\"x\":1}","Source":"s"}]}`,
			`{}`, "events"},
		{"secretsmanager", "arn:aws:states:::aws-sdk:secretsmanager:listSecrets", `{}`,
			"secretsmanager.ListSecrets", "application/x-amz-json-1.1", `{}`, `{}`, "secretsmanager"},
		{"sfn camelCase on the wire", "arn:aws:states:::aws-sdk:sfn:startExecution", `{"StateMachineArn": "arn:aws:states:eu-west-1:1:stateMachine:m", "Input": {"k": "v"}}`,
			"AWSStepFunctions.StartExecution", "application/x-amz-json-1.0", `{"stateMachineArn":"arn:aws:states:eu-west-1:1:stateMachine:m","input":"{\"k\":\"v\"}"}`,
			`{"ExecutionArn":"arn:aws:states:eu-west-1:1:execution:m:e","StartDate":1.7E9}`, "states"},
		{"sns query", "arn:aws:states:::sns:publish", `{"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": {"m": 1}, "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}}`,
			"query.Publish", "application/x-www-form-urlencoded; charset=utf-8",
			`Action=Publish&Message=%7B%22m%22%3A1%7D&MessageAttributes.entry.1.Name=k&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Version=2010-03-31`,
			`{"MessageId":"m-1","SdkHttpMetadata":{`, "sns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(calls())
			req := lambdaRequest(t, c.resource, c.input)
			req.ExecutionArn = "arn:aws:states:eu-west-1:123456789012:execution:m:e"
			res := a.Invoke(context.Background(), req)
			out := string(value.AppendJSON(nil, res.Output))
			if res.Failed || !strings.HasPrefix(out, c.wantOut) {
				t.Fatalf("got %+v %s, want %s", res, out, c.wantOut)
			}
			got := calls()[before:]
			if len(got) != 1 {
				t.Fatalf("%d calls", len(got))
			}
			call := got[0]
			if call.target != c.wantTarget || call.contentType != c.wantType || call.body != c.wantBody {
				t.Errorf("sent %q %q %s, want %q %q %s", call.target, call.contentType, call.body, c.wantTarget, c.wantType, c.wantBody)
			}
			m := sigV4.FindStringSubmatch(call.auth)
			if m == nil || m[1] != "sfn" || m[2] != "eu-west-1" || m[3] != c.wantService || !strings.Contains(m[4], "host") || !strings.Contains(m[4], "x-amz-date") {
				t.Errorf("Authorization %q: want SigV4 by sfn for eu-west-1/%s", call.auth, c.wantService)
			}
		})
	}
}

// The optimised integrations' results carry the response's request id, as AWS's do.
func TestAWSEndpointResponseMetadata(t *testing.T) {
	hs, _ := fakeAWS(t, func(string, string) (int, map[string]string, string) {
		return 200, map[string]string{"X-Amzn-Requestid": "r-9"}, `{}`
	})
	res := (&AWSEndpoint{Endpoint: hs.URL}).Invoke(context.Background(), lambdaRequest(t, "arn:aws:states:::dynamodb:putItem", `{}`))
	o, _ := res.Output.(*value.Object)
	md, _ := get(o, "SdkResponseMetadata").(*value.Object)
	http, _ := get(o, "SdkHttpMetadata").(*value.Object)
	if get(md, "RequestId") != "r-9" || string(value.AppendJSON(nil, get(http, "HttpStatusCode"))) != "200" {
		t.Errorf("%s", value.AppendJSON(nil, res.Output))
	}
}

func TestAWSEndpointCredentialsFromEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	hs, calls := fakeAWS(t, func(string, string) (int, map[string]string, string) { return 200, nil, `{}` })
	(&AWSEndpoint{Endpoint: hs.URL}).Invoke(context.Background(), lambdaRequest(t, "arn:aws:states:::aws-sdk:ssm:getParameter", `{"Name": "p"}`))
	got := calls()
	if len(got) != 1 || !strings.Contains(got[0].auth, "Credential=AKIDLOCAL/") || !strings.Contains(got[0].auth, "/us-east-1/ssm/") || got[0].target != "AmazonSSM.GetParameter" {
		t.Errorf("%+v", got)
	}
}

func TestAWSEndpointErrors(t *testing.T) {
	hs, _ := fakeAWS(t, func(target, body string) (int, map[string]string, string) {
		switch {
		case strings.Contains(body, "conditional"):
			return 400, nil, `{"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "The conditional request failed"}`
		case strings.Contains(body, "invalid"):
			return 400, map[string]string{"X-Amzn-Requestid": "r-3"}, `{"__type": "com.amazon.coral.validate#ValidationException", "message": "1 validation error detected"}`
		case strings.Contains(body, "header"):
			return 400, map[string]string{"X-Amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/"}, `{"Message": "Requested resource not found"}`
		case strings.Contains(body, "html"):
			return 502, nil, `<html>bad gateway</html>`
		case target == "query.Publish" && strings.Contains(body, "fifo"):
			return 400, nil, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: MessageGroupId</Message></Error><RequestId>r-4</RequestId></ErrorResponse>`
		case target == "query.Publish":
			return 400, nil, `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad</Message></Error><RequestId>r-5</RequestId></ErrorResponse>`
		case strings.Contains(body, "failed-entry"):
			return 200, nil, `{"Entries": [{"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}], "FailedEntryCount": 1}`
		case strings.Contains(body, "not-json"):
			return 200, nil, `nope`
		}
		return 200, nil, `{}`
	})
	a := &AWSEndpoint{Endpoint: hs.URL, Client: hs.Client()}
	cases := []struct {
		name, resource, input, wantErr, wantCause string
	}{
		{"modelled error", "arn:aws:states:::dynamodb:putItem", `{"TableName": "conditional"}`,
			"DynamoDB.ConditionalCheckFailedException", "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: ; Proxy: null)"},
		{"modelled error, aws-sdk", "arn:aws:states:::aws-sdk:dynamodb:putItem", `{"TableName": "conditional"}`,
			"DynamoDb.ConditionalCheckFailedException", "The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: )"},
		{"generic error", "arn:aws:states:::dynamodb:putItem", `{"TableName": "invalid"}`,
			"DynamoDB.AmazonDynamoDBException", "1 validation error detected (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: r-3; Proxy: null)"},
		{"generic error, aws-sdk", "arn:aws:states:::aws-sdk:dynamodb:putItem", `{"TableName": "invalid"}`,
			"DynamoDb.DynamoDbException", "1 validation error detected (Service: DynamoDb, Status Code: 400, Request ID: r-3)"},
		{"error type header", "arn:aws:states:::aws-sdk:dynamodb:getItem", `{"TableName": "header"}`,
			"DynamoDb.ResourceNotFoundException", "Requested resource not found"},
		{"no error body", "arn:aws:states:::sqs:sendMessage", `{"QueueUrl": "html"}`,
			"SQS.AmazonSQSException", "<html>bad gateway</html> (Service: AmazonSQS; Status Code: 502"},
		{"query error", "arn:aws:states:::sns:publish", `{"TopicArn": "fifo"}`,
			"SNS.InvalidParameterException", "Invalid parameter: MessageGroupId (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter; Request ID: r-4; Proxy: null)"},
		{"query generic error", "arn:aws:states:::aws-sdk:sns:publish", `{"TopicArn": "t"}`,
			"Sns.SnsException", "bad (Service: Sns, Status Code: 400, Request ID: r-5)"},
		{"failed entry", "arn:aws:states:::events:putEvents", `{"Entries": [{"Source": "failed-entry"}]}`,
			"EventBridge.FailedEntry", `{"Entries":[{"ErrorCode":"MalformedDetail","ErrorMessage":"Detail is malformed."}],"FailedEntryCount":1}`},
		{"response not JSON", "arn:aws:states:::aws-sdk:kinesis:putRecord", `{"StreamName": "not-json"}`,
			"Kinesis.SdkClientException", "not JSON"},
		{"parameters not an object", "arn:aws:states:::dynamodb:putItem", `[1]`,
			"DynamoDB.SdkClientException", "must be a JSON object, not array"},
		{"a .sync resource", "arn:aws:states:::states:startExecution.sync", `{}`,
			"States.Runtime", "an AWS endpoint serves the request-response integrations of dynamodb, sqs, sns, eventbridge, kinesis, secretsmanager, ssm, sfn"},
		{"an unsupported service", "arn:aws:states:::aws-sdk:s3:getObject", `{}`,
			"States.Runtime", "calls a service sfn cannot send to an endpoint"},
		{"an action that is no name", "arn:aws:states:::dynamodb:put\r\nX-Evil: 1", `{}`,
			"States.Runtime", "has no valid action"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := a.Invoke(context.Background(), lambdaRequest(t, c.resource, c.input))
			if !res.Failed || res.Error != c.wantErr || !strings.Contains(res.Cause, c.wantCause) {
				t.Errorf("got %+v, want %s with %q", res, c.wantErr, c.wantCause)
			}
		})
	}
}

// An endpoint nothing listens on fails the task with <Service>.SdkClientException, as the AWS
// SDKs for Java (which Step Functions' integrations use) raise it for a connection refused.
func TestAWSEndpointUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a := &AWSEndpoint{Endpoint: "http://" + addr}
	for res, want := range map[string]string{"arn:aws:states:::dynamodb:putItem": "DynamoDB.SdkClientException", "arn:aws:states:::aws-sdk:dynamodb:putItem": "DynamoDb.SdkClientException"} {
		r := a.Invoke(context.Background(), lambdaRequest(t, res, `{}`))
		if !r.Failed || r.Error != want || !strings.Contains(r.Cause, "Unable to execute HTTP request") {
			t.Errorf("%s: %+v", res, r)
		}
	}
}

// A call that outlives the task's TimeoutSeconds times out; a cancelled run ends it at once.
func TestAWSEndpointTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	defer close(release)
	a := &AWSEndpoint{Endpoint: hs.URL, Client: hs.Client()}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := lambdaRequest(t, "arn:aws:states:::dynamodb:getItem", `{}`)
	req.Timeout = 50 * time.Millisecond
	if res := a.Invoke(ctx, req); !res.TimedOut {
		t.Errorf("timeout: %+v", res)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if res := a.Invoke(ctx2, lambdaRequest(t, "arn:aws:states:::dynamodb:getItem", `{}`)); res.Failed || res.TimedOut || res.Output != nil {
		t.Errorf("cancelled: %+v", res)
	}
}

// Hostile responses: one larger than the task's result may be fails with
// States.DataLimitExceeded without reading it all; XML nested past the bound is refused.
func TestAWSEndpointHostileResponses(t *testing.T) {
	hs, _ := fakeAWS(t, func(target, body string) (int, map[string]string, string) {
		if target == "query.Publish" {
			return 200, nil, strings.Repeat("<a>", 10000) + strings.Repeat("</a>", 10000)
		}
		return 200, nil, `{"x": "` + strings.Repeat("x", 300<<10) + `"}`
	})
	a := &AWSEndpoint{Endpoint: hs.URL, Client: hs.Client()}
	if res := a.Invoke(context.Background(), lambdaRequest(t, "arn:aws:states:::dynamodb:getItem", `{}`)); !res.OverLimit {
		t.Errorf("huge: %+v", res)
	}
	if res := a.Invoke(context.Background(), lambdaRequest(t, "arn:aws:states:::sns:publish", `{}`)); !res.Failed || !strings.Contains(res.Cause, "nested deeper than 64") {
		t.Errorf("deep XML: %+v", res)
	}
	// Parameters nested past the bound are refused before anything is sent.
	deep := strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat(`}`, 100)
	if res := a.Invoke(context.Background(), lambdaRequest(t, "arn:aws:states:::sns:publish", `{"Message": "m", "X": `+deep+`}`)); !res.Failed || res.Error != "SNS.SdkClientException" {
		t.Errorf("deep parameters: %+v", res)
	}
}

func TestParseEndpointFlag(t *testing.T) {
	for in, want := range map[string]string{
		"dynamodb=http://127.0.0.1:8000/": "dynamodb http://127.0.0.1:8000",
		"events=http://h:1":               "eventbridge http://h:1",
		"StepFunctions=https://h":         "sfn https://h",
	} {
		svc, u, err := ParseEndpointFlag(in)
		if err != nil || svc+" "+u != want {
			t.Errorf("%s: %s %s %v, want %s", in, svc, u, err, want)
		}
	}
	for in, want := range map[string]string{
		"dynamodb":              "want SERVICE=URL",
		"s3=http://h":           `unknown service "s3" (want one of dynamodb, sqs, sns, eventbridge, kinesis, secretsmanager, ssm, sfn)`,
		"dynamodb=127.0.0.1:80": "want the URL of an AWS service endpoint",
	} {
		if _, _, err := ParseEndpointFlag(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}

func TestConfigAWS(t *testing.T) {
	c, err := ParseConfig([]byte("resources:\n  - match: \"arn:aws:states:::dynamodb:*\"\n    aws: http://127.0.0.1:8000/\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if c.Resources[0].Spec.AWS != "http://127.0.0.1:8000" {
		t.Errorf("%+v", c.Resources[0].Spec)
	}
	if _, ok := c.handler(c.Resources[0].Spec).(*AWSEndpoint); !ok {
		t.Error("not an AWSEndpoint")
	}
	for bad, want := range map[string]string{
		"tasks:\n  Call:\n    aws: ftp://x\n":                        "3:10: tasks.\"Call\": aws: want the URL of an AWS service endpoint",
		"tasks:\n  Call:\n    aws: http://x\n    lambda: http://y\n": "want exactly one of command, result, error, sequence, lambda or aws",
		"tasks:\n  Call:\n    aws: http://x\n    env: {A: b}\n":      "env and cause do not go with aws",
		"tasks:\n  Call:\n    aw: http://x\n":                        `unknown key "aw" (did you mean "aws"?)`,
	} {
		if _, err := ParseConfig([]byte(bad), "."); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", bad, err, want)
		}
	}
}

// --endpoint serves the request-response integrations of its service that nothing else
// handles; tasks and resources entries come first, .waitForTaskToken tasks are left to the
// callback handler. An aws: handler on a Resource it cannot call is an error before the run.
func TestResolverEndpoints(t *testing.T) {
	m := machine(t, `{"StartAt": "Put", "States": {
		"Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "Get"},
		"Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem", "Next": "Fixed"},
		"Fixed": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:deleteItem", "Next": "Wait"},
		"Wait": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Next": "Other"},
		"Other": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}`)
	c, err := ParseConfig([]byte("tasks:\n  Fixed:\n    result: {}\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	c.Endpoints = map[string]string{"dynamodb": "http://127.0.0.1:8000"}
	r, err := NewResolver(Options{Config: c})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Put": "endpoint", "Get": "endpoint", "Fixed": "task", "Wait": "", "Other": ""}
	for _, st := range m.All {
		if got := r.Source(st); got != want[st.Name] {
			t.Errorf("%s: source %q, want %q", st.Name, got, want[st.Name])
		}
	}
	var ue *UnresolvedError
	if err := r.Check(m); err == nil || !errors.As(err, &ue) || len(ue.States) != 2 {
		t.Errorf("Check: %v", err)
	}

	c2, err := ParseConfig([]byte("tasks:\n  Wait:\n    aws: http://127.0.0.1:9324\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := NewResolver(Options{Config: c2, StubMissing: true})
	if err := r2.Check(m); err == nil || !strings.Contains(err.Error(), `state "Wait": aws: "arn:aws:states:::sqs:sendMessage.waitForTaskToken" waits for its job (.waitForTaskToken)`) {
		t.Errorf("Check: %v", err)
	}
}

var _ run.TaskHandler = (*AWSEndpoint)(nil)

// The signature is right for the request as it arrives: signing it again (same key, time,
// region and service) gives the same Authorization header, so the body hash covers the body sent.
func TestAWSEndpointSignatureVerifies(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	var got, want string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil {
			w.WriteHeader(400)
			return
		}
		again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
		for _, h := range []string{"Content-Type", "X-Amz-Target"} {
			if v := r.Header.Get(h); v != "" {
				again.Header.Set(h, v)
			}
		}
		sum := sha256.Sum256(body)
		_ = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "sfn", SecretAccessKey: "sfn"}, again, hex.EncodeToString(sum[:]), "dynamodb", "us-east-1", when)
		got, want = r.Header.Get("Authorization"), again.Header.Get("Authorization")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer hs.Close()
	res := (&AWSEndpoint{Endpoint: hs.URL}).Invoke(context.Background(), lambdaRequest(t, "arn:aws:states:::aws-sdk:dynamodb:putItem", `{"TableName": "t", "Item": {"k": {"S": "é"}}}`))
	if res.Failed || got == "" || got != want {
		t.Errorf("%+v\n got %s\nwant %s", res, got, want)
	}
}

// BenchmarkAWSEndpoint is one signed dynamodb:putItem to a local test server and its result.
func BenchmarkAWSEndpoint(b *testing.B) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write([]byte(`{}`))
	}))
	defer hs.Close()
	a := &AWSEndpoint{Endpoint: hs.URL, Client: hs.Client()}
	req := run.TaskRequest{Resource: "arn:aws:states:::dynamodb:putItem", MaxOutput: 256 << 10,
		Input: value.ObjectOf("TableName", "t", "Item", value.ObjectOf("id", value.ObjectOf("S", "1")))}
	b.ReportAllocs()
	for b.Loop() {
		if res := a.Invoke(context.Background(), req); res.Failed {
			b.Fatal(res)
		}
	}
}

// TestCallbackEndpoint: a .waitForTaskToken task whose service has an --endpoint sends its
// request there (without the pattern), then waits; a failed send fails the task at once.
func TestCallbackEndpoint(t *testing.T) {
	m := machine(t, `{"StartAt": "Wait", "States": {
		"Wait": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}`)
	c, err := ParseConfig([]byte("tasks: {}\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	c.Endpoints = map[string]string{"sqs": "http://127.0.0.1:9324"}
	waited := Stub{Outcomes: []Outcome{{Result: "answered"}}}
	r, err := NewResolver(Options{Config: c, Answer: &waited})
	if err != nil {
		t.Fatal(err)
	}
	h, ok := r.Handler(m.All[0]).(*SendThenWait)
	if !ok || r.Source(m.All[0]) != "answer" {
		t.Fatalf("handler %T, source %q", r.Handler(m.All[0]), r.Source(m.All[0]))
	}
	var sent []string
	h.Send = run.TaskHandlerFunc(func(_ context.Context, req run.TaskRequest) run.TaskResult {
		sent = append(sent, req.Resource)
		return run.TaskResult{Output: "sent"}
	})
	res := h.Invoke(context.Background(), run.TaskRequest{Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken"})
	if res.Output != "answered" || len(sent) != 1 || sent[0] != "arn:aws:states:::sqs:sendMessage" {
		t.Errorf("result %+v, sent %v", res, sent)
	}
	h.Send = run.TaskHandlerFunc(func(context.Context, run.TaskRequest) run.TaskResult {
		return run.TaskResult{Failed: true, Error: "SQS.SdkClientException"}
	})
	if res := h.Invoke(context.Background(), run.TaskRequest{}); !res.Failed || res.Error != "SQS.SdkClientException" {
		t.Errorf("a failed send: %+v", res)
	}
	if r.CallbackEndpoint("arn:aws:states:::sqs:sendMessage") != nil {
		t.Error("a request-response Resource has no callback endpoint")
	}
}
