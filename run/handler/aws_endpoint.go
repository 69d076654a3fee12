package handler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// AWSEndpoint runs service-integration tasks against a local AWS service (DynamoDB Local,
// ElasticMQ, LocalStack, ...): the service and action come from the Resource
// (arn:aws:states:::dynamodb:putItem, arn:aws:states:::aws-sdk:dynamodb:putItem), the request
// body is the task's effective Parameters/Arguments, sent with the service's protocol (AWS JSON
// 1.0/1.1, or query for SNS) and signed with SigV4. The response is the task's result (with the
// SdkHttpMetadata Step Functions adds to an optimised integration's); an AWS error fails the task
// with Step Functions' name for it (DynamoDB.ConditionalCheckFailedException); an endpoint that
// cannot be reached fails it with <Service>.SdkClientException.
type AWSEndpoint struct {
	Endpoint string       // base URL, e.g. http://127.0.0.1:8000
	Client   *http.Client // nil: http.DefaultClient
}

// AWSTimeout bounds a call when the task sets no TimeoutSeconds.
const AWSTimeout = time.Minute

// ParseAWSEndpoint checks the URL of an AWS service endpoint: http or https, with a host, no query.
func ParseAWSEndpoint(s string) (string, error) {
	u, err := ParseLambdaEndpoint(s)
	if err != nil {
		return "", fmt.Errorf("aws: want the URL of an AWS service endpoint, such as http://127.0.0.1:8000 (got %q)", s)
	}
	return u, nil
}

// ParseEndpointFlag reads an --endpoint value, SERVICE=URL, into the service's SDK id and the URL.
func ParseEndpointFlag(s string) (service, url string, err error) {
	name, u, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", fmt.Errorf("want SERVICE=URL, such as dynamodb=http://127.0.0.1:8000 (got %q)", s)
	}
	svc, ok := findService(strings.ToLower(strings.TrimSpace(name)))
	if !ok {
		return "", "", fmt.Errorf("unknown service %q (want one of %s)", name, strings.Join(AWSServiceNames(), ", "))
	}
	url, err = ParseAWSEndpoint(strings.TrimSpace(u))
	if err != nil {
		return "", "", err
	}
	return svc.ID, url, nil
}

// CheckResource says whether an AWS endpoint can run a Task with the Resource res (nil), or why not.
func CheckResource(res string) error {
	_, err := awsCallOf(res)
	return err
}

// Slow tells the virtual clock's scheduler that calls take real time.
func (a *AWSEndpoint) Slow() bool { return true }

// Invoke sends the request of req to the endpoint.
func (a *AWSEndpoint) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	call, err := awsCallOf(req.Resource)
	if err != nil {
		return run.TaskResult{Failed: true, Error: "States.Runtime", Cause: err.Error()}
	}
	params, ok := req.Input.(*value.Object)
	if req.Input == nil {
		params, ok = value.NewObject(0), true
	}
	if !ok {
		return run.TaskResult{Failed: true, Error: call.prefix() + ".SdkClientException",
			Cause: fmt.Sprintf("the parameters of %s must be a JSON object, not %s", call.resource, value.TypeName(req.Input))}
	}
	hreq, err := call.request(ctx, a.Endpoint, params)
	if err != nil {
		return run.TaskResult{Failed: true, Error: call.prefix() + ".SdkClientException", Cause: err.Error()}
	}
	if req.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, AWSTimeout)
		defer cancel()
		hreq = hreq.WithContext(ctx)
	}
	if err := sign(ctx, hreq, call.svc.Signing, regionOf(req.ExecutionArn)); err != nil {
		return run.TaskResult{Failed: true, Error: call.prefix() + ".SdkClientException", Cause: err.Error()}
	}
	fail := func(cause string) run.TaskResult {
		return run.TaskResult{Failed: true, Error: call.prefix() + ".SdkClientException", Cause: cause}
	}
	resp, data, done := exchange(ctx, a.Client, hreq, outputLimit(req.MaxOutput), func(err error) run.TaskResult {
		return fail(fmt.Sprintf("Unable to execute HTTP request: %v (the %s endpoint %s)", err, call.svc.ID, a.Endpoint))
	}, fail)
	if done != nil {
		return *done
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return call.failure(resp, data)
	}
	return call.result(resp, data)
}

// request builds the HTTP request of the call (unsigned).
func (c awsCall) request(ctx context.Context, endpoint string, params *value.Object) (*http.Request, error) {
	params = c.serialiseFields(params)
	var body []byte
	var contentType string
	if c.svc.Protocol == "query" {
		form, err := queryForm(c.action, c.svc.Target, params)
		if err != nil {
			return nil, err
		}
		body, contentType = []byte(form), "application/x-www-form-urlencoded; charset=utf-8"
	} else {
		var v any = params
		if c.svc.Camel {
			v = renameMembers(v, strings.ToLower)
		}
		body = value.AppendJSON(nil, v)
		contentType = "application/x-amz-" + strings.Replace(c.svc.Protocol, "json", "json-", 1)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", contentType)
	if c.svc.Protocol != "query" {
		hreq.Header.Set("X-Amz-Target", c.svc.Target+"."+c.action)
	}
	return hreq, nil
}

// jsonTextFields are the members Step Functions sends as JSON text when the state gives them a
// JSON value: the message of sqs:sendMessage and sns:publish, the Detail of each events:putEvents
// entry, the Input and Output of the Step Functions API.
var jsonTextFields = map[string][]string{
	"sqs:SendMessage":        {"MessageBody"},
	"sns:Publish":            {"Message"},
	"sfn:StartExecution":     {"Input"},
	"sfn:StartSyncExecution": {"Input"},
	"sfn:SendTaskSuccess":    {"Output"},
}

// serialiseFields returns params with the members of jsonTextFields (and events' Entries[].Detail)
// turned into JSON text.
func (c awsCall) serialiseFields(params *value.Object) *value.Object {
	fields := jsonTextFields[c.svc.ID+":"+c.action]
	if c.svc.ID == "eventbridge" && c.action == "PutEvents" {
		if entries, ok := get(params, "Entries").([]any); ok {
			out := make([]any, len(entries))
			for i, e := range entries {
				out[i] = e
				if o, ok := e.(*value.Object); ok {
					out[i] = withJSONText(o, []string{"Detail"})
				}
			}
			params = params.With("Entries", out)
		}
	}
	return withJSONText(params, fields)
}

// withJSONText returns o with the members named in fields that are neither strings nor null
// written as JSON text.
func withJSONText(o *value.Object, fields []string) *value.Object {
	for _, f := range fields {
		v, ok := o.Get(f)
		if _, isString := v.(string); ok && v != nil && !isString {
			o = o.With(f, string(value.AppendJSON(nil, v)))
		}
	}
	return o
}

// renameMembers returns v with the first letter of every object member name changed by conv
// (the Step Functions API's camelCase ↔ the AWS SDK integration's PascalCase).
func renameMembers(v any, conv func(string) string) any {
	switch v := v.(type) {
	case *value.Object:
		o := value.NewObject(v.Len())
		for _, m := range v.Members() {
			k := m.Key
			if k != "" {
				k = conv(k[:1]) + k[1:]
			}
			o.Set(k, renameMembers(m.Value, conv))
		}
		return o
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = renameMembers(x, conv)
		}
		return out
	}
	return v
}

// result is the task result of a successful response.
func (c awsCall) result(resp *http.Response, data []byte) run.TaskResult {
	var out *value.Object
	requestID := resp.Header.Get("X-Amzn-Requestid")
	if c.svc.Protocol == "query" {
		o, rid, err := queryResult(data)
		if err != nil {
			return run.TaskResult{Failed: true, Error: c.prefix() + ".SdkClientException", Cause: fmt.Sprintf("the %s response is not the XML of the query protocol: %v", c.svc.ID, err)}
		}
		out = o
		if rid != "" {
			requestID = rid
		}
	} else {
		v, err := decodePayload(data)
		if err != nil {
			return run.TaskResult{Failed: true, Error: c.prefix() + ".SdkClientException", Cause: fmt.Sprintf("the %s response is not JSON: %v", c.svc.ID, err)}
		}
		if v == nil {
			v = value.NewObject(0)
		}
		o, ok := v.(*value.Object)
		if !ok {
			return run.TaskResult{Failed: true, Error: c.prefix() + ".SdkClientException", Cause: fmt.Sprintf("the %s response is not a JSON object", c.svc.ID)}
		}
		out = o
		if c.svc.Camel {
			out = renameMembers(out, strings.ToUpper).(*value.Object)
		}
	}
	if c.optimized && c.svc.ID == "eventbridge" {
		// events:putEvents fails when an entry failed, with the response as the cause.
		if n, ok := get(out, "FailedEntryCount").(json.Number); ok && n.String() != "0" {
			return run.TaskResult{Failed: true, Error: "EventBridge.FailedEntry", Cause: string(value.AppendJSON(nil, out))}
		}
		return run.TaskResult{Output: out}
	}
	if c.optimized {
		out = out.With("SdkHttpMetadata", httpMetadata(resp)).
			With("SdkResponseMetadata", value.ObjectOf("RequestId", requestID))
	}
	return run.TaskResult{Output: out}
}

// httpMetadata is the SdkHttpMetadata of an optimised integration's result: the response's
// headers (all values, and the first of each) and status code.
func httpMetadata(resp *http.Response) *value.Object {
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	all, first := value.NewObject(len(names)), value.NewObject(len(names))
	for _, k := range names {
		vs := resp.Header[k]
		list := make([]any, len(vs))
		for i, v := range vs {
			list[i] = v
		}
		all.Set(k, list)
		if len(vs) > 0 {
			first.Set(k, vs[0])
		}
	}
	return value.ObjectOf("AllHttpHeaders", all, "HttpHeaders", first, "HttpStatusCode", json.Number(fmt.Sprint(resp.StatusCode)))
}

// failure is the task failure of an error response.
func (c awsCall) failure(resp *http.Response, data []byte) run.TaskResult {
	var code, msg, requestID string
	if c.svc.Protocol == "query" {
		code, msg, requestID = queryError(data)
	} else {
		code, msg = jsonError(resp, data)
		requestID = resp.Header.Get("X-Amzn-Requestid")
	}
	if msg == "" {
		msg = clip(strings.TrimSpace(string(data)), maxErrorBody)
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return run.TaskResult{Failed: true, Error: c.errorName(code), Cause: c.errorCause(msg, code, resp.StatusCode, requestID)}
}

// jsonError reads the code and message of an AWS JSON error: the X-Amzn-ErrorType header, else
// the body's __type or code ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException").
func jsonError(resp *http.Response, data []byte) (code, msg string) {
	var e struct {
		Type    string `json:"__type"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Msg2    string `json:"Message"`
	}
	_ = json.Unmarshal(data, &e)
	for _, t := range []string{resp.Header.Get("X-Amzn-Errortype"), e.Type, e.Code} {
		if t != "" {
			code = t
			break
		}
	}
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if !validAction(code) {
		code = ""
	}
	msg = e.Message
	if msg == "" {
		msg = e.Msg2
	}
	return code, clip(msg, maxErrorBody)
}

// sign signs r with SigV4 for service and region, with the credentials of AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) when set, else the dummy key "sfn"/"sfn".
func sign(ctx context.Context, r *http.Request, service, region string) error {
	body, err := r.GetBody()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	return v4.NewSigner().SignHTTP(ctx, credentials(), r, hex.EncodeToString(sum[:]), service, region, time.Now())
}

// credentials are the keys requests are signed with.
func credentials() aws.Credentials {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Credentials{AccessKeyID: "sfn", SecretAccessKey: "sfn"}
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN")}
}

// regionOf is the region of an execution ARN, else us-east-1.
func regionOf(executionArn string) string {
	parts := strings.SplitN(executionArn, ":", 5)
	if len(parts) == 5 && parts[0] == "arn" && parts[3] != "" && validRegion(parts[3]) {
		return parts[3]
	}
	return "us-east-1"
}

// validRegion reports whether r looks like a region name (letters, digits and dashes).
func validRegion(r string) bool {
	if len(r) > 64 {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// SendThenWait runs a .waitForTaskToken task against a local service: Send delivers the request
// (the message that carries $$.Task.Token) to the service's endpoint as the request-response
// integration would, then Wait waits for the token's answer (SendTaskSuccess/Failure through sfn
// serve, or --answer-tokens). A send that fails fails the task, as on AWS. (The history's
// TaskSubmitted output stays {}: the service's reply to the send is not kept.)
type SendThenWait struct {
	Send, Wait run.TaskHandler
}

// Invoke sends, then waits.
func (h *SendThenWait) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	send := req
	send.Resource = strings.TrimSuffix(req.Resource, ".waitForTaskToken")
	if res := h.Send.Invoke(ctx, send); res.Failed || res.TimedOut {
		return res
	}
	return h.Wait.Invoke(ctx, req)
}

// Slow tells the virtual clock's scheduler that the handler takes real time.
func (h *SendThenWait) Slow() bool { return true }

// KeepsHeartbeat is the waiting handler's: it enforces HeartbeatSeconds when that one does.
func (h *SendThenWait) KeepsHeartbeat() bool {
	k, ok := h.Wait.(run.HeartbeatKeeper)
	return ok && k.KeepsHeartbeat()
}
