package serve

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// callbackDef waits for a task token (HEARTBEAT and TIMEOUT are replaced).
const callbackDef = `{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
  "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", HEARTBEAT TIMEOUT
  "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
  "Catch": [{"ErrorEquals": ["Rejected"], "Next": "Rejected"}], "End": true},
  "Rejected": {"Type": "Fail", "Error": "WasRejected"}}}`

func callbackMachine(heartbeat, timeout string) string {
	return strings.NewReplacer("HEARTBEAT", heartbeat, "TIMEOUT", timeout).Replace(callbackDef)
}

// token waits until the execution's task is scheduled and returns its token, read from the
// TaskScheduled event as a client of the API would.
func (ts *testServer) token(execArn string) string {
	ts.t.Helper()
	for {
		h, err := ts.client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			ts.t.Fatal(err)
		}
		for _, ev := range h.Events {
			if ev.TaskScheduledEventDetails != nil {
				var p struct{ MessageBody struct{ Token string } }
				if err := json.Unmarshal([]byte(*ev.TaskScheduledEventDetails.Parameters), &p); err != nil {
					ts.t.Fatal(err)
				}
				return p.MessageBody.Token
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (ts *testServer) startCallback(name, def string) string {
	ts.t.Helper()
	arn := ts.create(name, def, "")
	out, err := ts.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		ts.t.Fatal(err)
	}
	return *out.ExecutionArn
}

func TestCallbackSuccessAndFailure(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	exec := ts.startCallback("CB", callbackMachine("", ""))
	token := ts.token(exec)
	if _, err := ts.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"approved": true}`)}); err != nil {
		t.Fatal(err)
	}
	d := ts.wait(exec)
	if d.Status != "SUCCEEDED" || compact(t, *d.Output) != `{"approved":true}` {
		t.Errorf("%s %v", d.Status, d.Output)
	}
	// The token is spent: AWS answers TaskTimedOut.
	_, err := ts.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{}`)})
	if code := apiCode(err); code != errTaskTimedOut {
		t.Errorf("second answer: %s", code)
	}

	exec = ts.startCallback("CB2", callbackMachine("", ""))
	token = ts.token(exec)
	if _, err := ts.client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(token), Error: aws.String("Rejected"), Cause: aws.String("no")}); err != nil {
		t.Fatal(err)
	}
	if d := ts.wait(exec); d.Status != "FAILED" || *d.Error != "WasRejected" {
		t.Errorf("%s %v", d.Status, d.Error)
	}
	_, err = ts.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("AQCnotissuedTOKEN1"), Output: aws.String(`{}`)})
	if code := apiCode(err); code != errTaskDoesNotExist {
		t.Errorf("unknown token: %s", code)
	}
}

// HeartbeatSeconds: a heartbeat restarts the deadline; without one the task fails with
// States.HeartbeatTimeout (TaskTimedOut event). TimeoutSeconds ends the wait with States.Timeout.
func TestCallbackTimeouts(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	exec := ts.startCallback("HB", callbackMachine(`"HeartbeatSeconds": 1,`, `"TimeoutSeconds": 3600,`))
	token := ts.token(exec)
	if _, err := ts.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
		t.Fatal(err)
	}
	d := ts.wait(exec)
	if d.Status != "FAILED" || *d.Error != "States.HeartbeatTimeout" {
		t.Errorf("heartbeat: %s %v", d.Status, d.Error)
	}
	h, _ := ts.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(exec)})
	found := false
	for _, ev := range h.Events {
		found = found || ev.Type == "TaskTimedOut" && *ev.TaskTimedOutEventDetails.Error == "States.HeartbeatTimeout"
	}
	if !found {
		t.Error("no TaskTimedOut event")
	}
	_, err := ts.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	if code := apiCode(err); code != errTaskTimedOut {
		t.Errorf("heartbeat after the timeout: %s", code)
	}

	exec = ts.startCallback("TO", callbackMachine("", `"TimeoutSeconds": 1,`))
	if d := ts.wait(exec); d.Status != "FAILED" || *d.Error != "States.Timeout" {
		t.Errorf("timeout: %s %v", d.Status, d.Error)
	}
}

func TestActivityWorker(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.s.poll = 20 * time.Millisecond
	ctx := context.Background()
	act, err := ts.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("Approve")})
	if err != nil {
		t.Fatal(err)
	}
	// No task yet: the long poll ends with an empty answer.
	empty, err := ts.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w1")})
	if err != nil || empty.TaskToken != nil {
		t.Fatalf("empty poll: %+v %v", empty, err)
	}
	def := `{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "` + *act.ActivityArn + `", "HeartbeatSeconds": 60, "End": true}}}`
	arn := ts.create("UsesActivity", def, "")
	start, err := ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"order": 7}`)})
	if err != nil {
		t.Fatal(err)
	}
	var task *sfn.GetActivityTaskOutput
	for task == nil || task.TaskToken == nil {
		if task, err = ts.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn}); err != nil {
			t.Fatal(err)
		}
	}
	if compact(t, *task.Input) != `{"order":7}` {
		t.Errorf("input %s", *task.Input)
	}
	if _, err := ts.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`"ok"`)}); err != nil {
		t.Fatal(err)
	}
	if d := ts.wait(*start.ExecutionArn); d.Status != "SUCCEEDED" || *d.Output != `"ok"` {
		t.Errorf("%s %v", d.Status, d.Output)
	}
	l, err := ts.client.ListActivities(ctx, &sfn.ListActivitiesInput{})
	if err != nil || len(l.Activities) != 1 || *l.Activities[0].Name != "Approve" {
		t.Errorf("ListActivities %v", err)
	}
	if _, err := ts.client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn})
	if code := apiCode(err); code != errActivityDoesNotExist {
		t.Errorf("after delete: %s", code)
	}
}

func TestTags(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	arn := ts.create("Tagged", passDef, "")
	if _, err := ts.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("team", "a", "env", "dev")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags("env", "prod")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	l, err := ts.client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(l.Tags) != 1 || *l.Tags[0].Key != "env" || *l.Tags[0].Value != "prod" {
		t.Errorf("tags %+v %v", l, err)
	}
	_, err = ts.client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn + "x")})
	if code := apiCode(err); code != errResourceNotFound {
		t.Errorf("unknown resource: %s", code)
	}
	many := make([]string, 0, 2*(maxTags+1))
	for i := range maxTags + 1 {
		many = append(many, strings.Repeat("k", i+1), "v")
	}
	_, err = ts.client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags(many...)})
	if code := apiCode(err); code != errTooManyTags {
		t.Errorf("51 tags: %s", code)
	}
}

func TestUnknownOperation(t *testing.T) {
	ts := newTestServer(t, Options{})
	_, err := ts.client.ListMapRuns(context.Background(), &sfn.ListMapRunsInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:a:b")})
	if code := apiCode(err); code != errUnknownOperation {
		t.Errorf("ListMapRuns: %s", code)
	}
}

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// On the virtual clock a callback waits in real time without holding up its siblings: the
// other branch of the Parallel finishes while the token is unanswered.
func TestCallbackVirtualClock(t *testing.T) {
	ts := newTestServer(t, Options{Clock: "virtual"})
	ctx := context.Background()
	def := `{"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
	  {"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
	    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}},
	  {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 3600, "Next": "Done"}, "Done": {"Type": "Pass", "Result": "slept", "End": true}}}]}}}`
	exec := ts.startCallback("VC", def)
	token := ts.token(exec)
	// The Wait branch ends (virtual time) while the callback still waits.
	for done := false; !done; {
		h, err := ts.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(exec)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range h.Events {
			done = done || ev.Type == "PassStateExited"
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := ts.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`"answered"`)}); err != nil {
		t.Fatal(err)
	}
	if d := ts.wait(exec); d.Status != "SUCCEEDED" || compact(t, *d.Output) != `["answered","slept"]` {
		t.Errorf("%s %v", d.Status, d.Output)
	}
}
