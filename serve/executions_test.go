package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/run/history"
)

var fixedNow = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func sample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", "order-processing", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A Step Functions Local-style test, unchanged: create the machine, start "<arn>#<TestCase>" with
// the MockConfigFile, poll DescribeExecution, read the history. The history is the one sfn run
// writes for the same machine, mocks and start time (--history json), page by page.
func TestMockedExecutionHistory(t *testing.T) {
	mc, err := handler.ParseMockConfig([]byte(sample(t, "MockConfigFile.json")))
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Options{Mock: mc, Clock: "virtual", Now: func() time.Time { return fixedNow }})
	ctx := context.Background()
	def := sample(t, "order-processing.asl.json")
	input := sample(t, "input.json")
	smArn := ts.create("OrderProcessing", def, "")
	start, err := ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn + "#HappyPath"),
		Name: aws.String("happy-1"), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:states:us-east-1:123456789012:execution:OrderProcessing:happy-1"; *start.ExecutionArn != want {
		t.Errorf("executionArn %s", *start.ExecutionArn)
	}
	d := ts.wait(*start.ExecutionArn)
	if d.Status != "SUCCEEDED" || d.Output == nil || d.StopDate == nil || !d.StartDate.Equal(fixedNow) {
		t.Fatalf("describe: %s %v %v %v", d.Status, d.Output, d.StopDate, d.StartDate)
	}

	want := runHistory(t, def, input, mc, "OrderProcessing", "HappyPath", "happy-1")
	// Pages of 7, forwards and backwards, give the events sfn run writes.
	for _, reverse := range []bool{false, true} {
		var got []any
		token := ""
		for {
			req := map[string]any{"executionArn": *start.ExecutionArn, "maxResults": 7, "reverseOrder": reverse}
			if token != "" {
				req["nextToken"] = token
			}
			status, page := ts.postJSON("GetExecutionHistory", req)
			if status != 200 {
				t.Fatalf("%d %v", status, page)
			}
			evs := page["events"].([]any)
			if len(evs) > 7 {
				t.Fatalf("page of %d", len(evs))
			}
			got = append(got, evs...)
			next, _ := page["nextToken"].(string)
			if next == "" {
				break
			}
			token = next
		}
		if reverse {
			for i, j := 0, len(got)-1; i < j; i, j = i+1, j-1 {
				got[i], got[j] = got[j], got[i]
			}
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(want, "", " ")
			t.Fatalf("reverse=%v: history differs from sfn run's\n--- got\n%s\n--- want\n%s", reverse, g, w)
		}
	}

	// The SDK reads the same history (timestamps, details).
	h, err := ts.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn, MaxResults: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Events) != len(want) || h.Events[0].Type != "ExecutionStarted" || !h.Events[0].Timestamp.Equal(fixedNow) ||
		h.Events[len(h.Events)-1].ExecutionSucceededEventDetails == nil {
		t.Errorf("SDK history: %d events, first %s", len(h.Events), h.Events[0].Type)
	}

	// includeExecutionData=false leaves the payloads out.
	_, page := ts.postJSON("GetExecutionHistory", map[string]any{"executionArn": *start.ExecutionArn, "includeExecutionData": false})
	text, _ := json.Marshal(page)
	if bytes.Contains(text, []byte(`"input"`)) || bytes.Contains(text, []byte(`"output"`)) || !bytes.Contains(text, []byte(`"roleArn"`)) {
		t.Errorf("includeExecutionData=false: %s", text)
	}

	dm, err := ts.client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: start.ExecutionArn})
	if err != nil || *dm.Definition != def || *dm.StateMachineArn != smArn {
		t.Errorf("DescribeStateMachineForExecution: %v", err)
	}

	// Another test case of the same machine, by name.
	declined, err := ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn + "#PaymentDeclined"), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	if d := ts.wait(*declined.ExecutionArn); d.Status != "FAILED" || d.Error == nil {
		t.Errorf("declined: %s", d.Status)
	}
	_, err = ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn + "#NoSuchCase")})
	if code := apiCode(err); code != errValidation {
		t.Errorf("unknown test case: %s", code)
	}

	l, err := ts.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smArn)})
	if err != nil || len(l.Executions) != 2 || *l.Executions[0].ExecutionArn != *declined.ExecutionArn {
		t.Errorf("ListExecutions: %v", err)
	}
	l, err = ts.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smArn), StatusFilter: "SUCCEEDED"})
	if err != nil || len(l.Executions) != 1 || *l.Executions[0].Name != "happy-1" {
		t.Errorf("ListExecutions SUCCEEDED: %v", err)
	}
}

// runHistory runs the machine as sfn run does and returns its JSON history's events, with
// timestamps as the API writes them (epoch seconds).
func runHistory(t *testing.T, def, input string, mc *handler.MockConfig, machine, testCase, name string) []any {
	t.Helper()
	doc, err := load.Parse("def", []byte(def), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	r, err := handler.NewResolver(handler.Options{Mock: mc, StateMachine: machine, TestCase: testCase})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	jw := history.NewJSONWriter(&buf)
	runner, err := run.New(asl.Build(doc), run.Options{Clock: run.NewVirtualClock(fixedNow), Handlers: r.Handler, ExecutionName: name,
		StateMachineName: machine, RoleArn: roleArn, OnEvent: jw.Event, DiscardEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := load.DecodeJSON([]byte(input))
	runner.Start(context.Background(), in)
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	var doc2 struct{ Events []map[string]any }
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&doc2); err != nil {
		t.Fatal(err)
	}
	out := make([]any, len(doc2.Events))
	for i, ev := range doc2.Events {
		ts, err := time.Parse(time.RFC3339Nano, ev["timestamp"].(string))
		if err != nil {
			t.Fatal(err)
		}
		ev["timestamp"] = float64(ts.UnixMilli()) / 1000
		for k, v := range ev {
			if n, ok := v.(json.Number); ok {
				f, _ := n.Float64()
				ev[k] = f
			}
		}
		// details keep their numbers as the API's decoder reads them
		b, _ := json.Marshal(ev)
		var plain map[string]any
		_ = json.Unmarshal(b, &plain)
		out[i] = plain
	}
	return out
}

func TestStartSyncExecution(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	arn := ts.create("Fast", `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, 1)"}, "End": true}}}`, "EXPRESS")
	out, err := ts.client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"a": 41}`), Name: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != "SUCCEEDED" || compact(t, *out.Output) != `{"sum":42}` || *out.Input != `{"a": 41}` || out.BillingDetails == nil ||
		!strings.HasPrefix(*out.ExecutionArn, "arn:aws:states:us-east-1:123456789012:express:Fast:s1:") {
		t.Errorf("%+v", out)
	}
	// An Express name is free again once its execution has ended.
	again, err := ts.client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"a": 1}`), Name: aws.String("s1")})
	if err != nil || again.Status != "SUCCEEDED" || compact(t, *again.Output) != `{"sum":2}` {
		t.Errorf("same name again: %+v %v", again, err)
	}
	fail := ts.create("Fails", `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}`, "EXPRESS")
	out, err = ts.client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(fail)})
	if err != nil || out.Status != "FAILED" || *out.Error != "E" || *out.Cause != "C" || out.Output != nil {
		t.Errorf("%+v %v", out, err)
	}
}

const waitDef = `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100000, "End": true}}}`

func TestStopExecution(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	arn := ts.create("Long", waitDef, "")
	start, err := ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("e1"), Input: aws.String(`{"x": 1}`)})
	if err != nil {
		t.Fatal(err)
	}
	// Starting the same name and input again while it runs is idempotent; other input is refused.
	again, err := ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("e1"), Input: aws.String(`{"x": 1}`)})
	if err != nil || *again.ExecutionArn != *start.ExecutionArn {
		t.Errorf("idempotent start: %v", err)
	}
	_, err = ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("e1"), Input: aws.String(`{"x": 2}`)})
	if code := apiCode(err); code != errExecAlreadyExists {
		t.Errorf("same name, other input: %s", code)
	}
	d, _ := ts.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
	if d.Status != "RUNNING" || d.StopDate != nil {
		t.Errorf("running: %s", d.Status)
	}
	if _, err := ts.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: start.ExecutionArn, Error: aws.String("Halt"), Cause: aws.String("by test")}); err != nil {
		t.Fatal(err)
	}
	d = ts.wait(*start.ExecutionArn)
	if d.Status != "ABORTED" || *d.Error != "Halt" || *d.Cause != "by test" {
		t.Errorf("stopped: %s", d.Status)
	}
	h, err := ts.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn, ReverseOrder: true, MaxResults: 1})
	if err != nil {
		t.Fatal(err)
	}
	last := h.Events[0]
	if last.Type != "ExecutionAborted" || last.ExecutionAbortedEventDetails == nil || *last.ExecutionAbortedEventDetails.Error != "Halt" {
		t.Errorf("last event %s %+v", last.Type, last.ExecutionAbortedEventDetails)
	}
}

// Shutdown (SIGTERM) aborts running executions and keeps their history.
func TestShutdownAbortsExecutions(t *testing.T) {
	s := mustNew(t, Options{Logf: t.Logf})
	body := fmt.Sprintf(`{"name": "L", "definition": %q, "roleArn": %q}`, waitDef, roleArn)
	if _, e := s.call(actions["CreateStateMachine"], context.Background(), []byte(body)); e != nil {
		t.Fatal(e)
	}
	resp, e := s.call(actions["StartExecution"], context.Background(), []byte(`{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:L"}`))
	if e != nil {
		t.Fatal(e)
	}
	arn := resp.(map[string]any)["executionArn"].(string)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := s.store.execs[arn]
	if rec.status != "ABORTED" || len(rec.events) == 0 || rec.events[len(rec.events)-1].Type != "ExecutionAborted" {
		t.Errorf("after shutdown: %s, %d events", rec.status, len(rec.events))
	}
	if _, e := s.call(actions["ListStateMachines"], context.Background(), nil); e == nil || e.Status != 503 {
		t.Errorf("request after shutdown: %v", e)
	}
}
