package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// LambdaEndpoint runs Lambda tasks by calling a Lambda Invoke endpoint (sam local start-lambda,
// the Lambda runtime interface emulator, LocalStack): POST
// {Endpoint}/2015-03-31/functions/{FunctionName}/invocations with the payload as the body.
//
// The function is the task's: the FunctionName parameter of arn:aws:states:::lambda:invoke (a
// name, a function ARN or a partial ARN, with its qualifier), or the function ARN of the
// Resource. A response with X-Amz-Function-Error fails the task with the function's errorType
// (Lambda.Unknown without one) and the response body as the cause, as Step Functions does; an
// error of the endpoint itself (404 ResourceNotFoundException, ...) fails it with
// Lambda.<type>; an endpoint that cannot be reached fails it with Lambda.ServiceException.
// Results of lambda:invoke are wrapped as AWS wraps them (Payload, StatusCode, ...).
type LambdaEndpoint struct {
	Endpoint string       // base URL, e.g. http://127.0.0.1:3001
	Client   *http.Client // nil: a client with LambdaTimeout
}

// LambdaTimeout bounds a call when the task sets no TimeoutSeconds: Lambda's longest run, 15 minutes.
const LambdaTimeout = 15 * time.Minute

// maxErrorBody is the most of an error response kept for the cause.
const maxErrorBody = 32 << 10

// ParseLambdaEndpoint checks an endpoint URL: http or https, with a host, no query.
func ParseLambdaEndpoint(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("lambda: want the URL of a Lambda endpoint, such as http://127.0.0.1:3001 (got %q)", s)
	}
	return strings.TrimRight(s, "/"), nil
}

// Slow tells the virtual clock's scheduler that calls take real time.
func (l *LambdaEndpoint) Slow() bool { return true }

// Invoke calls the function of req.
func (l *LambdaEndpoint) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	name, qualifier, err := lambdaFunction(req)
	if err != nil {
		return run.TaskResult{Failed: true, Error: "Lambda.InvalidParameterValueException", Cause: err.Error()}
	}
	payload := LambdaPayload(req)
	body := value.AppendJSON(nil, payload)
	u := l.Endpoint + "/2015-03-31/functions/" + url.PathEscape(name) + "/invocations"
	if qualifier != "" {
		u += "?Qualifier=" + url.QueryEscape(qualifier)
	}
	if req.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, LambdaTimeout)
		defer cancel()
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return run.TaskResult{Failed: true, Error: "Lambda.ServiceException", Cause: err.Error()}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
	fail := func(cause string) run.TaskResult {
		return run.TaskResult{Failed: true, Error: "Lambda.ServiceException", Cause: cause}
	}
	resp, data, done := exchange(ctx, l.Client, hreq, outputLimit(req.MaxOutput), func(err error) run.TaskResult {
		return fail(fmt.Sprintf("Unable to reach the Lambda endpoint %s: %v", l.Endpoint, err))
	}, fail)
	if done != nil {
		return *done
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return lambdaServiceError(resp, data)
	}
	if fe := resp.Header.Get("X-Amz-Function-Error"); fe != "" {
		return functionError(data)
	}
	out, err := decodePayload(data)
	if err != nil {
		return run.TaskResult{Failed: true, Error: "Lambda.ServiceException", Cause: fmt.Sprintf("the function's response is not JSON: %v", err)}
	}
	return Shape(req, run.TaskResult{Output: out})
}

// decodePayload reads a function's response (empty: null, as Lambda gives for no result).
func decodePayload(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	return load.DecodeJSON(data)
}

// functionError is the task failure of a function error: the errorType of the response (AWS:
// Lambda.Unknown when there is none) and the whole response as the cause.
func functionError(data []byte) run.TaskResult {
	var fe struct {
		ErrorType string `json:"errorType"`
	}
	_ = json.Unmarshal(data, &fe)
	name := fe.ErrorType
	if name == "" {
		name = "Lambda.Unknown"
	}
	return run.TaskResult{Failed: true, Error: name, Cause: clip(string(data), maxErrorBody)}
}

// lambdaServiceError is the task failure of an error of the Invoke API itself: Lambda.<type>
// (from X-Amzn-ErrorType or the body's __type / Type), the message as the cause.
func lambdaServiceError(resp *http.Response, data []byte) run.TaskResult {
	var e struct {
		Type    string `json:"__type"`
		Type2   string `json:"Type"`
		Message string `json:"message"`
		Msg2    string `json:"Message"`
	}
	_ = json.Unmarshal(data, &e)
	typ := resp.Header.Get("X-Amzn-ErrorType")
	for _, t := range []string{typ, e.Type, e.Type2} {
		if t != "" {
			typ = t
			break
		}
	}
	typ, _, _ = strings.Cut(typ, ":")
	if i := strings.LastIndexByte(typ, '#'); i >= 0 {
		typ = typ[i+1:]
	}
	if typ == "" || typ == "User" {
		typ = "ServiceException"
		if resp.StatusCode == http.StatusNotFound {
			typ = "ResourceNotFoundException"
		}
	}
	msg := e.Message
	if msg == "" {
		msg = e.Msg2
	}
	if msg == "" {
		msg = clip(strings.TrimSpace(string(data)), maxErrorBody)
	}
	cause := fmt.Sprintf("%s (Service: Lambda, Status Code: %d, Error Code: %s)", msg, resp.StatusCode, typ)
	return run.TaskResult{Failed: true, Error: "Lambda." + typ, Cause: cause}
}

// lambdaFunction is the function name and qualifier a task calls.
func lambdaFunction(req run.TaskRequest) (name, qualifier string, err error) {
	fn := req.Resource
	if asl.ParseResource(req.Resource).IsLambdaInvoke() {
		m, _ := req.Input.(*value.Object)
		s, ok := get(m, "FunctionName").(string)
		if !ok || s == "" {
			return "", "", errors.New("the lambda:invoke task has no FunctionName parameter (a string)")
		}
		fn = s
		if q, ok := get(m, "Qualifier").(string); ok {
			qualifier = q
		}
	}
	// arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER], ACCOUNT:function:NAME, or NAME[:QUALIFIER]
	parts := strings.Split(fn, ":")
	switch {
	case len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function":
		name = parts[6]
		if len(parts) > 7 && qualifier == "" {
			qualifier = parts[7]
		}
	case len(parts) >= 3 && parts[1] == "function":
		name = parts[2]
		if len(parts) > 3 && qualifier == "" {
			qualifier = parts[3]
		}
	case len(parts) <= 2:
		name = parts[0]
		if len(parts) == 2 && qualifier == "" {
			qualifier = parts[1]
		}
	default:
		return "", "", fmt.Errorf("%q is not a function name or ARN", clip(fn, 200))
	}
	if name == "" || len(name) > 140 {
		return "", "", fmt.Errorf("%q is not a function name or ARN", clip(fn, 200))
	}
	return name, qualifier, nil
}
