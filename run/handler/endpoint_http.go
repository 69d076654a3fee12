package handler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/sfn-tool/sfn/run"
)

// exchange sends hreq to a local endpoint (Lambda Invoke, an AWS service) and reads the response
// body, at most limit bytes. When the call cannot give a response to decode, it returns the task's
// result instead: timed out when ctx ended by its deadline, unreachable(err) when the endpoint
// cannot be reached, failed(cause) when the body cannot be read, OverLimit past limit.
func exchange(ctx context.Context, client *http.Client, hreq *http.Request, limit int,
	unreachable func(error) run.TaskResult, failed func(cause string) run.TaskResult) (*http.Response, []byte, *run.TaskResult) {
	if client == nil {
		client = http.DefaultClient
	}
	ended := func() *run.TaskResult {
		return &run.TaskResult{TimedOut: errors.Is(ctx.Err(), context.DeadlineExceeded)}
	}
	resp, err := client.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ended()
		}
		r := unreachable(err)
		return nil, nil, &r
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ended()
		}
		r := failed(fmt.Sprintf("reading the response of %s: %v", hreq.URL.Redacted(), err))
		return nil, nil, &r
	}
	if len(data) > limit {
		return nil, nil, &run.TaskResult{OverLimit: true}
	}
	return resp, data, nil
}
