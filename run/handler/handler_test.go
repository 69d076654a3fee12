package handler

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const mockFile = `{
  "StateMachines": {
    "Order": {
      "TestCases": {
        "HappyPath": {"Charge": "ChargeOK", "Ship": "ShipOK"},
        "Retry": {"Charge": "ChargeFlaky"}
      }
    }
  },
  "MockedResponses": {
    "ChargeOK": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": 1.50}}}},
    "ShipOK": {"0-1": {"Return": "shipped"}},
    "ChargeFlaky": {
      "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}},
      "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
      "3": {"Return": {"ok": true}}
    }
  }
}`

func TestMockRanges(t *testing.T) {
	mc, err := ParseMockConfig([]byte(mockFile))
	if err != nil {
		t.Fatal(err)
	}
	tc, err := mc.TestCase("", "Retry")
	if err != nil {
		t.Fatal(err)
	}
	m := &Mock{Name: tc["Charge"], Steps: mc.Responses[tc["Charge"]]}
	want := []string{
		`F Lambda.ServiceException down`,
		`F Lambda.TooManyRequestsException slow down`,
		`F Lambda.TooManyRequestsException slow down`,
		`{"ok":true}`,
		`F States.Runtime mocked response "ChargeFlaky" has no entry for invocation 4 of state "Charge"`,
	}
	for i, w := range want {
		res := m.Invoke(context.Background(), run.TaskRequest{StateName: "Charge", Attempt: i})
		got := jsonText(t, res.Output)
		if res.Failed {
			got = "F " + res.Error + " " + res.Cause
		}
		if got != w {
			t.Errorf("invocation %d: got %s, want %s", i, got, w)
		}
	}
	// Numbers keep their text; returns are raw (never Lambda-shaped).
	ok := &Mock{Name: "ChargeOK", Steps: mc.Responses["ChargeOK"]}
	res := ok.Invoke(context.Background(), run.TaskRequest{Resource: LambdaInvoke})
	if got := jsonText(t, res.Output); got != `{"StatusCode":200,"Payload":{"charged":1.50}}` { // the file's order
		t.Errorf("return: %s", got)
	}
}

func TestMockConfigErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`[]`, "want a JSON object"},
		{`{"StateMachines": {"A": {"TestCases": {"T": {"S": "Nope"}}}}, "MockedResponses": {}}`, `no mocked response "Nope"`},
		{`{"StateMachines": {}, "MockedResponses": {"R": {"x": {"Return": 1}}}}`, `MockedResponses.R.x: want an invocation number`},
		{`{"StateMachines": {}, "MockedResponses": {"R": {"2-1": {"Return": 1}}}}`, `want an invocation number`},
		{`{"StateMachines": {}, "MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}`, `overlap`},
		{`{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}`, `exactly one of Return or Throw`},
		{`{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}}`, `Throw.Error`},
	} {
		_, err := ParseMockConfig([]byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.src, err, tc.want)
		}
	}
	mc, _ := ParseMockConfig([]byte(`{"StateMachines": {"A": {"TestCases": {"T": {}}}, "B": {"TestCases": {}}}, "MockedResponses": {}}`))
	if _, err := mc.TestCase("", "T"); err == nil || !strings.Contains(err.Error(), "--state-machine-name") {
		t.Errorf("two machines: %v", err)
	}
	if _, err := mc.TestCase("A", "X"); err == nil || !strings.Contains(err.Error(), `no test case "X" (it has T)`) {
		t.Errorf("unknown case: %v", err)
	}
	if _, err := mc.TestCase("A", "T"); err != nil {
		t.Error(err)
	}
}

const configFile = `
tasks:
  Fixed:
    result: {n: 1.50, s: x, list: [1, 2]}
  Fails:
    error: Payment.Declined
    cause: card declined
  Seq:
    sequence:
      - {error: Gateway.Timeout, cause: slow}
      - result: ok
      - result: {done: true}
  Cmd:
    command: [sh, -c, 'cat']
    env: {LEVEL: debug}
resources:
  - match: "arn:aws:lambda:*:function:notify-*"
    result: notified
  - match: "arn:aws:states:::sns:*"
    result: {MessageId: m-1}
`

func TestStubSequences(t *testing.T) {
	c, err := ParseConfig([]byte(configFile), "/tmp")
	if err != nil {
		t.Fatal(err)
	}
	invoke := func(name string, attempt int) string {
		res := c.handler(c.Tasks[name]).Invoke(context.Background(), run.TaskRequest{StateName: name, Attempt: attempt})
		if res.Failed {
			return "F " + res.Error + " " + res.Cause
		}
		return jsonText(t, res.Output)
	}
	for _, tc := range []struct {
		name    string
		attempt int
		want    string
	}{
		{"Fixed", 0, `{"n":1.50,"s":"x","list":[1,2]}`}, // the file's order
		{"Fixed", 5, `{"n":1.50,"s":"x","list":[1,2]}`},
		{"Fails", 0, `F Payment.Declined card declined`},
		{"Seq", 0, `F Gateway.Timeout slow`},
		{"Seq", 1, `"ok"`},
		{"Seq", 2, `{"done":true}`},
		{"Seq", 7, `{"done":true}`},
	} {
		if got := invoke(tc.name, tc.attempt); got != tc.want {
			t.Errorf("%s #%d: got %s, want %s", tc.name, tc.attempt, got, tc.want)
		}
	}
	if cmd := c.handler(c.Tasks["Cmd"]).(*Command); !reflect.DeepEqual(cmd.Argv, []string{"sh", "-c", "cat"}) || cmd.Dir != "/tmp" || cmd.Env["LEVEL"] != "debug" {
		t.Errorf("command: %+v", cmd)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"tasks: [a]", "tasks: want a mapping"},
		{"tasks:\n  A: {}", `tasks."A": want exactly one of`},
		{"tasks:\n  A: {result: 1, command: [x]}", `want exactly one of`},
		{"tasks:\n  A: {result: 1, error: E}", `want result or error, not both`},
		{"tasks:\n  A: {reslt: 1}", `unknown key "reslt"`},
		{"tasks:\n  A: {command: []}", `command: want a non-empty list`},
		{"tasks:\n  A: {command: sh}", `command: want a non-empty list`},
		{"tasks:\n  A: {sequence: [{result: 1, error: E}]}", `sequence[0]: want result or error, not both`},
		{"tasks:\n  A: {result: 1, cause: c}", `cause goes with error`},
		{"resources: {a: b}", "resources: want a list"},
		{"resources:\n  - result: 1", "resources[0]: match: want a Resource glob"},
		{"tasks: [", ""},
		// Positions, unknown keys anywhere, "did you mean", an empty file.
		{"tasks:\n  A: {result: 1}\ntask:\n  B: {result: 2}\n", `3:1: unknown key "task" (did you mean "tasks"?)`},
		{"resource:\n  - {match: x, result: 1}\n", `1:1: unknown key "resource" (did you mean "resources"?)`},
		{"tasks:\n  A:\n    result: 1\n    cuase: x\n", `4:5: tasks."A": unknown key "cuase" (did you mean "cause"?)`},
		{"tasks:\n  A:\n    command: sh\n", `3:14: tasks."A": command: want a non-empty list`},
		{"tasks:\n  A:\n    sequence:\n      - {result: 1}\n      - {result: 1, error: E}\n", `5:9: tasks."A": sequence[1]: want result or error`},
		{"resources:\n  - match: 7\n    result: 1\n", `2:12: resources[0]: match: want a Resource glob`},
		{"", `1:1: expected a mapping with tasks, resources or s3 (task handlers for sfn run), but the file is empty`},
		{"# only a comment\n", `expected a mapping with tasks, resources or s3`},
		{"[1, 2]", `1:1: expected a mapping with tasks, resources or s3 (task handlers for sfn run), but it is array`},
		{"s3: 5", `1:5: s3: want a directory`},
	} {
		_, err := ParseConfig([]byte(tc.src), ".")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pat, s string
		want   bool
	}{
		{"*", "anything:at/all", true},
		{"arn:aws:lambda:*:function:notify-*", "arn:aws:lambda:us-east-1:123456789012:function:notify-email", true},
		{"arn:aws:lambda:*:function:notify-*", "arn:aws:lambda:us-east-1:123456789012:function:charge", false},
		{"arn:aws:states:::sns:*", "arn:aws:states:::sns:publish", true},
		{"arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:invoke.waitForTaskToken", false},
		{"a?c", "abc", true},
		{"a?c", "aé c", false},
		{"a?c", "aéc", true},
		{"*x*y", "axxbxy", true},
		{"", "", true},
		{"", "a", false},
	} {
		if got := Glob(tc.pat, tc.s); got != tc.want {
			t.Errorf("Glob(%q, %q) = %v", tc.pat, tc.s, got)
		}
	}
}

func TestLambdaShaping(t *testing.T) {
	req := run.TaskRequest{StateName: "Call", Resource: LambdaInvoke, ExecutionArn: "arn:x", Input: value.ObjectOf("FunctionName", "f", "Payload", value.ObjectOf("a", 1.0)),
		Context: value.ObjectOf("State", value.ObjectOf("EnteredTime", "2024-05-01T10:00:00.000Z"))}
	res := (&Stub{Outcomes: []Outcome{{Result: value.ObjectOf("r", "ok")}}}).Invoke(context.Background(), req)
	o, ok := res.Output.(*value.Object)
	if !ok {
		t.Fatalf("output %v", res.Output)
	}
	// The members in AWS's order (as recorded in execution histories).
	if got := strings.Join(o.Keys(), ","); got != "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode" {
		t.Errorf("response keys: %s", got)
	}
	m := value.ToGo(o).(map[string]any)
	if jsonText(t, m["Payload"]) != `{"r":"ok"}` || jsonText(t, m["StatusCode"]) != "200" || m["ExecutedVersion"] != "$LATEST" {
		t.Errorf("shape: %s", jsonText(t, m))
	}
	meta := m["SdkHttpMetadata"].(map[string]any)
	headers := meta["HttpHeaders"].(map[string]any)
	if headers["Date"] != "Wed, 01 May 2024 10:00:00 GMT" || headers["Content-Length"] != "10" ||
		headers["x-amzn-RequestId"] != m["SdkResponseMetadata"].(map[string]any)["RequestId"] {
		t.Errorf("headers: %s", jsonText(t, headers))
	}
	// Same request, same response (deterministic history).
	again := (&Stub{Outcomes: []Outcome{{Result: value.ObjectOf("r", "ok")}}}).Invoke(context.Background(), req)
	if jsonText(t, again.Output) != jsonText(t, res.Output) {
		t.Error("lambda response is not deterministic")
	}
	// Same keys as AWS records them (conformance mocks).
	var keys []string
	for k := range meta["AllHttpHeaders"].(map[string]any) {
		keys = append(keys, k)
	}
	if len(keys) != 8 {
		t.Errorf("AllHttpHeaders: %v", keys)
	}
	// Plain function ARNs and callbacks: as is.
	for _, r := range []string{"arn:aws:lambda:us-east-1:123456789012:function:f", LambdaInvoke + ".waitForTaskToken"} {
		req.Resource = r
		res := (&Stub{Outcomes: []Outcome{{Result: "plain"}}}).Invoke(context.Background(), req)
		if res.Output != "plain" {
			t.Errorf("%s: %v", r, res.Output)
		}
	}
	// Failures are never wrapped.
	req.Resource = LambdaInvoke
	res = (&Stub{Outcomes: []Outcome{{Failed: true, Error: "E", Cause: "c"}}}).Invoke(context.Background(), req)
	if !res.Failed || res.Output != nil {
		t.Errorf("failure: %+v", res)
	}
	if got := jsonText(t, Missing.Invoke(context.Background(), run.TaskRequest{Resource: "arn:aws:states:::dynamodb:putItem"}).Output); got != "{}" {
		t.Errorf("stub-missing: %s", got)
	}
}

func script(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "echo-env.sh", `#!/bin/sh
input=$(cat)
printf '{"input":%s,"state":"%s","resource":"%s","arn":"%s","token":"%s","level":"%s","pwd":"%s","ctx":%s}\n' \
  "$input" "$SFN_STATE_NAME" "$SFN_RESOURCE" "$SFN_EXECUTION_ARN" "$SFN_TASK_TOKEN" "$LEVEL" "$(pwd)" "$SFN_CONTEXT"
`)
	script(t, dir, "lambda-error.sh", `#!/bin/sh
echo "some log line" >&2
echo '{"errorType": "Payment.Declined", "errorMessage": "card expired"}' >&2
exit 1
`)
	script(t, dir, "stdout-error.sh", `#!/bin/sh
echo '{"errorType":"Custom","errorMessage":"on stdout"}'
exit 3
`)
	script(t, dir, "crash.sh", `#!/bin/sh
echo "line 1" >&2
echo "Traceback: boom" >&2
exit 2
`)
	script(t, dir, "silent.sh", "#!/bin/sh\nexit 4\n")
	script(t, dir, "empty.sh", "#!/bin/sh\ncat >/dev/null\n")
	script(t, dir, "notjson.sh", "#!/bin/sh\necho hello\n")
	realDir, _ := filepath.EvalSymlinks(dir)

	req := run.TaskRequest{StateName: "Validate Order", Resource: "arn:aws:states:::sqs:sendMessage", ExecutionArn: "arn:aws:states:local:123456789012:execution:m:e",
		TaskToken: "tok-1", Input: value.ObjectOf("orderId", "o-1", "total", json.Number("12.50")),
		Context: value.ObjectOf("State", value.ObjectOf("Name", "Validate Order"))}
	run1 := func(argv ...string) run.TaskResult {
		c := &Command{Argv: argv, Env: map[string]string{"LEVEL": "debug"}, Dir: dir}
		return c.Invoke(context.Background(), req)
	}

	res := run1("sh", "echo-env.sh")
	// the handler's output keeps the order the script wrote
	want := `{"input":{"orderId":"o-1","total":12.50},"state":"Validate Order","resource":"arn:aws:states:::sqs:sendMessage",` +
		`"arn":"arn:aws:states:local:123456789012:execution:m:e","token":"tok-1","level":"debug","pwd":"` + realDir + `","ctx":{"State":{"Name":"Validate Order"}}}`
	if res.Failed || jsonText(t, res.Output) != want {
		t.Errorf("env/stdin:\n got %+v %s\nwant %s", res, jsonText(t, res.Output), want)
	}
	// A relative program path runs from the working directory.
	if res := run1("./echo-env.sh"); res.Failed {
		t.Errorf("./echo-env.sh: %+v", res)
	}

	for _, tc := range []struct {
		argv              []string
		resource          string
		wantErr, wantCaus string
	}{
		{[]string{"sh", "lambda-error.sh"}, "", "Payment.Declined", "card expired"},
		{[]string{"sh", "lambda-error.sh"}, "arn:aws:lambda:us-east-1:123456789012:function:pay", "Payment.Declined", `{"errorType": "Payment.Declined", "errorMessage": "card expired"}`},
		{[]string{"sh", "stdout-error.sh"}, "", "Custom", "on stdout"},
		{[]string{"sh", "crash.sh"}, "", "States.TaskFailed", "line 1\nTraceback: boom"},
		{[]string{"sh", "silent.sh"}, "", "States.TaskFailed", "sh silent.sh: exit status 4"},
		{[]string{"sh", "notjson.sh"}, "", "States.Runtime", "task handler sh notjson.sh printed what is not one JSON value"},
		{[]string{"./no-such-program"}, "", "States.Runtime", "task handler ./no-such-program:"},
	} {
		r := req
		if tc.resource != "" {
			r.Resource = tc.resource
		}
		res := (&Command{Argv: tc.argv, Dir: dir}).Invoke(context.Background(), r)
		if !res.Failed || res.Error != tc.wantErr || !strings.HasPrefix(res.Cause, tc.wantCaus) {
			t.Errorf("%v: got %+v, want %s %q", tc.argv, res, tc.wantErr, tc.wantCaus)
		}
	}
	if res := run1("sh", "empty.sh"); res.Failed || res.Output != nil {
		t.Errorf("empty stdout: %+v", res)
	}

	// Lambda invoke: the function gets the Payload, its result is wrapped.
	lreq := req
	lreq.Resource = LambdaInvoke
	lreq.Input = value.ObjectOf("FunctionName", "f", "Payload", value.ObjectOf("x", "y"))
	script(t, dir, "cat.sh", "#!/bin/sh\ncat\n")
	res = (&Command{Argv: []string{"sh", "cat.sh"}, Dir: dir}).Invoke(context.Background(), lreq)
	if m, ok := res.Output.(*value.Object); res.Failed || !ok || jsonText(t, get(m, "Payload")) != `{"x":"y"}` {
		t.Errorf("lambda invoke: %+v", res)
	}
}

func alive(pid int) bool {
	// A zombie is dead for our purpose; signal 0 succeeds on zombies, so read /proc when there.
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		return len(f) > 0 && f[0] != "Z"
	}
	return syscall.Kill(pid, 0) == nil
}

func readPids(t *testing.T, path string) []int {
	t.Helper()
	b, _ := os.ReadFile(path)
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if n, err := strconv.Atoi(f); err == nil {
			pids = append(pids, n)
		}
	}
	return pids
}

func TestCommandTimeoutKillsGroup(t *testing.T) {
	dir := t.TempDir()
	// The handler starts a child that would outlive it, then hangs.
	script(t, dir, "hang.sh", `#!/bin/sh
sleep 100 &
echo $! > pids
echo $$ >> pids
sleep 100
`)
	start := time.Now()
	res := (&Command{Argv: []string{"sh", "hang.sh"}, Dir: dir}).Invoke(context.Background(),
		run.TaskRequest{StateName: "Hang", Timeout: time.Second}) // long enough for sh to write pids on a loaded machine
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
	if !res.Failed || !res.TimedOut || res.Error != "States.Timeout" {
		t.Errorf("got %+v", res)
	}
	pids := readPids(t, filepath.Join(dir, "pids"))
	if len(pids) != 2 {
		t.Fatalf("pids: %v", pids)
	}
	deadline := time.Now().Add(2 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("process %d survived the timeout", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// The interpreter may enforce TimeoutSeconds itself with a context deadline.
func TestCommandParentDeadlineIsTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res := (&Command{Argv: []string{"sleep", "10"}, Dir: t.TempDir()}).Invoke(ctx, run.TaskRequest{StateName: "Hang", Timeout: time.Second})
	if !res.TimedOut || res.Error != "States.Timeout" {
		t.Errorf("got %+v", res)
	}
}

func TestCommandCancelKillsGroup(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "hang.sh", "#!/bin/sh\nsleep 100 &\necho $! > pids\nsleep 100\n")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan run.TaskResult)
	go func() {
		done <- (&Command{Argv: []string{"sh", "hang.sh"}, Dir: dir}).Invoke(ctx, run.TaskRequest{StateName: "Hang"})
	}()
	for len(readPids(t, filepath.Join(dir, "pids"))) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case res := <-done:
		if !res.Failed || res.TimedOut {
			t.Errorf("got %+v", res)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not stop the handler")
	}
	pid := readPids(t, filepath.Join(dir, "pids"))[0]
	deadline := time.Now().Add(2 * time.Second)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(pid) {
		t.Errorf("child %d survived the cancel", pid)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

func TestKillAll(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "hang.sh", "#!/bin/sh\necho $$ > pids\nsleep 100\n")
	done := make(chan run.TaskResult)
	go func() {
		done <- (&Command{Argv: []string{"sh", "hang.sh"}, Dir: dir}).Invoke(context.Background(), run.TaskRequest{StateName: "Hang"})
	}()
	for len(readPids(t, filepath.Join(dir, "pids"))) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	KillAll()
	select {
	case res := <-done:
		if !res.Failed || res.Error != "States.TaskFailed" {
			t.Errorf("got %+v", res)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("KillAll did not stop the handler")
	}
}

func machine(t *testing.T, src string) *asl.Machine {
	t.Helper()
	doc, err := load.Parse("m.json", []byte(src), load.FormatFor("m.json", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return asl.Build(doc)
}

func TestResolverOrder(t *testing.T) {
	m := machine(t, `{"StartAt": "Charge", "States": {
	  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Notify"},
	  "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Next": "Ship"},
	  "Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:ship", "Next": "Log"},
	  "Log": {"Type": "Task", "Resource": "arn:aws:states:::logs:put", "End": true}}}`)
	byName := map[string]*asl.State{}
	for _, st := range m.All {
		byName[st.Name] = st
	}
	cfg, err := ParseConfig([]byte(`
tasks:
  Charge: {result: from-config}
  Notify: {result: from-config}
resources:
  - {match: "arn:aws:states:::sns:*", result: from-pattern}
  - {match: "arn:aws:lambda:*", result: from-pattern}
`), ".")
	if err != nil {
		t.Fatal(err)
	}
	mc, _ := ParseMockConfig([]byte(`{"StateMachines": {"M": {"TestCases": {"T": {"Charge": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": "from-mock"}}}}`))

	r, err := NewResolver(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	err = r.Check(m)
	if ue, ok := err.(*UnresolvedError); !ok || len(ue.States) != 1 || ue.States[0].Name != "Log" ||
		!strings.Contains(err.Error(), "no task handler for 1 state (") || !strings.Contains(err.Error(), "\n  Log (arn:aws:states:::logs:put)") {
		t.Errorf("check: %v", err)
	}

	r, err = NewResolver(Options{Config: cfg, Mock: mc, TestCase: "T", StubMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check(m); err != nil {
		t.Error(err)
	}
	for name, want := range map[string]string{"Charge": "mock", "Notify": "task", "Ship": "resource", "Log": "stub-missing"} {
		if got := r.Source(byName[name]); got != want {
			t.Errorf("%s: source %s, want %s", name, got, want)
		}
	}
	if res := r.Handler(byName["Charge"]).Invoke(context.Background(), run.TaskRequest{Resource: LambdaInvoke}); res.Output != "from-mock" {
		t.Errorf("mock wins: %+v", res)
	}

	if u := r.UnknownMocks(m); len(u) != 0 {
		t.Errorf("unknown mocks: %v", u)
	}
	mc2, _ := ParseMockConfig([]byte(`{"StateMachines": {"M": {"TestCases": {"T": {"Chrage": "R", "Ship": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1}}}}`))
	r2, _ := NewResolver(Options{Mock: mc2, TestCase: "T"})
	if u := r2.UnknownMocks(m); !reflect.DeepEqual(u, []string{"Chrage"}) {
		t.Errorf("unknown mocks: %v", u)
	}

	if _, err := NewResolver(Options{Mock: mc}); err == nil || !strings.Contains(err.Error(), "--mock-config needs --test-case (one of, T)") && !strings.Contains(err.Error(), "needs --test-case") {
		t.Errorf("no test case: %v", err)
	}
	if _, err := NewResolver(Options{TestCase: "T"}); err == nil {
		t.Error("test case without mock config")
	}
	if _, err := NewResolver(Options{Mock: mc, TestCase: "X"}); err == nil || !strings.Contains(err.Error(), `no test case "X"`) {
		t.Errorf("unknown test case: %v", err)
	}
}
