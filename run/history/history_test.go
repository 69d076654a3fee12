package history

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/render"
	"github.com/sfn-tool/sfn/run"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var t0 = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// builder makes a history the way the interpreter numbers it.
type builder struct {
	events []run.Event
	at     time.Duration
}

func (b *builder) add(prev int64, step time.Duration, typ, key string, details map[string]any) int64 {
	b.at += step
	id := int64(len(b.events) + 1)
	b.events = append(b.events, run.Event{ID: id, PreviousEventID: prev, Timestamp: t0.Add(b.at), Type: typ, DetailsKey: key, Details: details})
	return id
}

func entered(typ, name, input string) (string, string, map[string]any) {
	return typ + "StateEntered", "stateEnteredEventDetails", map[string]any{"name": name, "input": input, "inputDetails": map[string]any{"truncated": false}}
}

func exited(typ, name, output string) (string, string, map[string]any) {
	return typ + "StateExited", "stateExitedEventDetails", map[string]any{"name": name, "output": output, "outputDetails": map[string]any{"truncated": false}}
}

// orderHistory is an order workflow: a Lambda task with a retry, a Map over items, a failed payment.
func orderHistory(items int) []run.Event {
	b := &builder{}
	ms := time.Millisecond
	start := b.add(0, 0, "ExecutionStarted", "executionStartedEventDetails", map[string]any{
		"input": `{"orderId":"o-1","items":["a","b"],"customer":{"email":"ann@example.com","address":"1 Long Street, Springfield, Somewhere far away"}}`, "roleArn": "arn:aws:iam::123456789012:role/sfn"})
	typ, key, d := entered("Task", "Validate Order", `{"orderId":"o-1"}`)
	e := b.add(start, ms, typ, key, d)
	s := b.add(e, ms, "TaskScheduled", "taskScheduledEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
		"parameters": `{"FunctionName":"validate","Payload":{"orderId":"o-1"}}`})
	s = b.add(s, ms, "TaskStarted", "taskStartedEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke"})
	s = b.add(s, 20*ms, "TaskFailed", "taskFailedEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke", "error": "Lambda.ServiceException", "cause": "temporarily\nunavailable"})
	s = b.add(s, 2*time.Second, "TaskScheduled", "taskScheduledEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
		"parameters": `{"FunctionName":"validate","Payload":{"orderId":"o-1"}}`})
	s = b.add(s, ms, "TaskStarted", "taskStartedEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke"})
	s = b.add(s, 15*ms, "TaskSucceeded", "taskSucceededEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke",
		"output": `{"ExecutedVersion":"$LATEST","Payload":{"valid":true},"StatusCode":200}`, "outputDetails": map[string]any{"truncated": false}})
	typ, key, d = exited("Task", "Validate Order", `{"orderId":"o-1","valid":true}`)
	s = b.add(s, ms, typ, key, d)

	typ, key, d = entered("Map", "Reserve Items", `{"orderId":"o-1","valid":true}`)
	m := b.add(s, ms, typ, key, d)
	ms0 := b.add(m, 0, "MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": items})
	last := ms0
	for i := range items {
		it := b.add(ms0, ms, "MapIterationStarted", "mapIterationStartedEventDetails", map[string]any{"name": "Reserve Items", "index": i})
		typ, key, d = entered("Pass", "Reserve", fmt.Sprintf(`{"item":%d}`, i))
		p := b.add(it, 0, typ, key, d)
		typ, key, d = exited("Pass", "Reserve", fmt.Sprintf(`{"item":%d,"reserved":true}`, i))
		p = b.add(p, 0, typ, key, d)
		if i == 3 {
			last = b.add(p, ms, "MapIterationFailed", "mapIterationFailedEventDetails", map[string]any{"name": "Reserve Items", "index": i})
			continue
		}
		last = b.add(p, ms, "MapIterationSucceeded", "mapIterationSucceededEventDetails", map[string]any{"name": "Reserve Items", "index": i})
	}
	last = b.add(last, ms, "MapStateSucceeded", "", nil)
	typ, key, d = exited("Map", "Reserve Items", `[{"item":0,"reserved":true}]`)
	last = b.add(last, 0, typ, key, d)

	typ, key, d = entered("Task", "Process Payment", `{"orderId":"o-1"}`)
	e = b.add(last, ms, typ, key, d)
	s = b.add(e, ms, "TaskScheduled", "taskScheduledEventDetails", map[string]any{"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "region": "us-east-1",
		"parameters": `{"MessageBody":{"token":"tok"}}`})
	s = b.add(s, 90*time.Second, "TaskTimedOut", "taskTimedOutEventDetails", map[string]any{"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "error": "States.Timeout"})
	typ, key, d = entered("Fail", "Order Failed", `{"Error":"States.Timeout"}`)
	s = b.add(s, ms, typ, key, d)
	b.add(s, ms, "ExecutionFailed", "executionFailedEventDetails", map[string]any{"error": "Payment.Failed", "cause": "The payment did not go through"})
	return b.events
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./run/history -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (if intended: go test ./run/history -update)\n--- want\n%s--- got\n%s", path, want, got)
	}
}

func render1(events []run.Event, opts TableOptions) string {
	var buf bytes.Buffer
	tab := NewTable(&buf, opts)
	for _, e := range events {
		tab.Event(e)
	}
	tab.Close()
	return buf.String()
}

func TestTableGolden(t *testing.T) {
	events := orderHistory(5)
	for _, tc := range []struct {
		name string
		opts TableOptions
	}{
		{"table.txt", TableOptions{Width: 100, StateWidth: 16}},
		{"table-verbose.txt", TableOptions{Width: 100, StateWidth: 16, Verbose: true}},
		{"table-color.txt", TableOptions{Width: 100, StateWidth: 16, Color: true}},
		// Live on a terminal: the Map of 5 iterations folds into a progress line.
		{"table-live.txt", TableOptions{Width: 100, StateWidth: 16, Live: true, LiveMapMin: 5, Now: func() time.Time { return t0 }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, render1(events, tc.opts))
		})
	}
}

func TestTableColourOff(t *testing.T) {
	out := render1(orderHistory(3), TableOptions{})
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape codes without colour:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n != len(orderHistory(3)) {
		t.Errorf("%d lines for %d events", n, len(orderHistory(3)))
	}
}

func TestTableLiveFolding(t *testing.T) {
	events := orderHistory(200)
	now := t0
	out := render1(events, TableOptions{Live: true, Now: func() time.Time { now = now.Add(time.Millisecond); return now }})
	if strings.Contains(out, "MapIterationStarted") || strings.Contains(out, "PassStateEntered") {
		t.Errorf("iterations were not folded:\n%s", out)
	}
	if !strings.Contains(out, "Reserve Items: 199/200 done, 0 running, 1 failed") {
		t.Errorf("no final progress line:\n%s", out)
	}
	if !strings.Contains(out, "199/200 iterations succeeded, 1 failed") {
		t.Errorf("no summary:\n%s", out)
	}
	// Throttled: far fewer redraws than iteration events.
	if n := strings.Count(out, "\r\x1b[2K"); n > 100 {
		t.Errorf("%d redraws", n)
	}
	// A small Map is not folded.
	out = render1(orderHistory(3), TableOptions{Live: true})
	if strings.Count(out, "MapIterationStarted") != 3 {
		t.Errorf("small map folded:\n%s", out)
	}
}

func TestFormatElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                      "0.000s",
		1250 * time.Millisecond:                "1.250s",
		123*time.Second + 500*time.Millisecond: "2m03.500s",
		3*time.Hour + 4*time.Minute + 5*time.Second: "3h04m05s",
		-time.Second: "0.000s",
	} {
		if got := formatElapsed(d); got != want {
			t.Errorf("%v: %s, want %s", d, got, want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	events := orderHistory(2)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, events); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Events []map[string]any `json:"events"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Events) != len(events) {
		t.Fatalf("%d events", len(doc.Events))
	}
	first := doc.Events[0]
	if first["type"] != "ExecutionStarted" || first["id"] != 1.0 || first["previousEventId"] != 0.0 || first["timestamp"] != "2024-05-01T10:00:00Z" {
		t.Errorf("first event: %v", first)
	}
	if d, ok := first["executionStartedEventDetails"].(map[string]any); !ok || !strings.HasPrefix(d["input"].(string), `{"orderId"`) {
		t.Errorf("details: %v", first)
	}
	// sfn graph --highlight reads it.
	tr, err := render.ParseHistory(buf.Bytes())
	if err != nil || len(tr.Events) != len(events) || tr.Events[1].Name != "Validate Order" {
		t.Errorf("ParseHistory: %v %+v", err, tr)
	}
	buf.Reset()
	_ = WriteJSON(&buf, nil)
	if buf.String() != "{\n  \"events\": []\n}\n" {
		t.Errorf("empty: %q", buf.String())
	}
}

func TestTableAssignedVariables(t *testing.T) {
	d := map[string]any{"name": "Init", "output": `{"a":1}`, "outputDetails": map[string]any{"truncated": false},
		"assignedVariables": map[string]any{"total": "42", "items": "[1,2]"}, "assignedVariablesDetails": map[string]any{"truncated": false}}
	got := (&Table{}).payload(&run.Event{Type: "PassStateExited", DetailsKey: "stateExitedEventDetails", Details: d})
	if want := `$items=[1,2], $total=42; output {"a":1}`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// State names, error names, causes and payloads with control characters cannot clear the
// screen, set the terminal title or start a forged line (they are escaped, like sfn validate's
// output).
func TestTableEscapesControlCharacters(t *testing.T) {
	evil := "A\x1b]0;pwned\x07\x1b[2J\r\n::warning::forged \u202eevil\u009b"
	b := &builder{}
	start := b.add(0, 0, "ExecutionStarted", "executionStartedEventDetails", map[string]any{"input": `{"k":"` + "\u202e\u009b" + `"}`})
	typ, key, d := entered("Pass", evil, `{}`)
	e := b.add(start, time.Millisecond, typ, key, d)
	m := b.add(e, time.Millisecond, "MapStateEntered", "stateEnteredEventDetails", map[string]any{"name": evil, "input": "[]"})
	m = b.add(m, time.Millisecond, "MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": 20})
	for i := range 20 {
		m = b.add(m, time.Millisecond, "MapIterationStarted", "mapIterationStartedEventDetails", map[string]any{"name": evil, "index": i})
	}
	b.add(m, time.Millisecond, "ExecutionFailed", "executionFailedEventDetails", map[string]any{"error": evil, "cause": evil})
	for _, opts := range []TableOptions{{}, {Verbose: true}, {Live: true, Now: func() time.Time { return t0 }}} {
		var buf bytes.Buffer
		tab := NewTable(&buf, opts)
		for _, e := range b.events {
			tab.Event(e)
		}
		tab.Print("FAILED: " + evil)
		tab.Close()
		out := strings.ReplaceAll(buf.String(), "\r\x1b[2K", "") // the table's own progress redraws
		if i := strings.IndexFunc(out, func(r rune) bool {
			return r != '\n' && (r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x202e)
		}); i >= 0 {
			t.Errorf("%+v: raw control character at %d: %q", opts, i, out[max(i-40, 0):min(i+40, len(out))])
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::warning") {
				t.Errorf("%+v: forged line %q", opts, line)
			}
		}
		if !strings.Contains(out, `A\x1b]0;pwned`) {
			t.Errorf("%+v: escaped name missing:\n%s", opts, out)
		}
	}
}

// The JSON history writes C1 controls and bidi overrides as \u escapes: the same JSON value,
// safe on a terminal (--history json goes to stderr).
func TestJSONHistoryEscapesTerminalControls(t *testing.T) {
	var buf bytes.Buffer
	name := "A\u009b2J\u202eB\x1b"
	if err := WriteJSON(&buf, []run.Event{{Type: "PassStateEntered", ID: 1, DetailsKey: "stateEnteredEventDetails",
		Details: map[string]any{"name": name}}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\u009b\u202e\x1b") || !strings.Contains(out, `A\u009b2J\u202eB\u001b`) {
		t.Fatalf("not escaped: %q", out)
	}
	var doc struct{ Events []map[string]any }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.Events[0]["stateEnteredEventDetails"].(map[string]any)["name"] != name {
		t.Fatalf("value changed: %v %v", err, doc)
	}
}
