package serve

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// historyJSON is an execution's whole history as the API answers it.
func (ts *testServer) historyJSON(arn string) string {
	ts.t.Helper()
	_, page := ts.postJSON("GetExecutionHistory", map[string]any{"executionArn": arn})
	b, _ := json.Marshal(page)
	return string(b)
}

// With --data-dir, state machines, activities, tags and finished executions outlive the server;
// an execution running at shutdown is kept ABORTED with its history.
func TestDataDirSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	first := newTestServer(t, Options{DataDir: dir})
	arn := first.create("Kept", passDef, "")
	long := first.create("Long", waitDef, "")
	if _, err := first.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("team", "a")}); err != nil {
		t.Fatal(err)
	}
	act, err := first.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("Work")})
	if err != nil {
		t.Fatal(err)
	}
	done, err := first.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("done"), Input: aws.String(`{"a": [1, 2]}`)})
	if err != nil {
		t.Fatal(err)
	}
	first.wait(*done.ExecutionArn)
	running, err := first.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(long), Name: aws.String("running")})
	if err != nil {
		t.Fatal(err)
	}
	before := first.historyJSON(*done.ExecutionArn)

	// A second server cannot use the directory while the first has it.
	if _, err := New(Options{DataDir: dir}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second server on the directory: %v", err)
	}
	if err := first.s.Shutdown(ctx); err != nil { // SIGTERM
		t.Fatal(err)
	}

	second := newTestServer(t, Options{DataDir: dir})
	d, err := second.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil || *d.Definition != passDef {
		t.Fatalf("machine after restart: %v", err)
	}
	if got := second.historyJSON(*done.ExecutionArn); got != before {
		t.Errorf("history after restart:\n%s\nbefore:\n%s", got, before)
	}
	e, err := second.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: running.ExecutionArn})
	if err != nil || e.Status != "ABORTED" {
		t.Errorf("running execution after restart: %v %v", e, err)
	}
	l, err := second.client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(l.Tags) != 1 {
		t.Errorf("tags after restart: %v", err)
	}
	if _, err := second.client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Errorf("activity after restart: %v", err)
	}
	// The machine deleted is gone after the next restart too.
	if _, err := second.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(long)}); err != nil {
		t.Fatal(err)
	}
	if err := second.s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	third := newTestServer(t, Options{DataDir: dir})
	_, err = third.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(long)})
	if code := apiCode(err); code != errSMDoesNotExist {
		t.Errorf("deleted machine after restart: %s", code)
	}
}

// A data file that is not a store is refused with its name, not a crash.
func TestDataDirCorrupt(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, dataFile), []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataDir: dir}); err == nil || !strings.Contains(err.Error(), dataFile) {
		t.Errorf("corrupt data file: %v", err)
	}
}
