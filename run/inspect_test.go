package run

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

func buildMachine(t *testing.T, src string) *asl.Machine {
	t.Helper()
	doc, err := load.Parse("m.json", []byte(src), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	return asl.Build(doc)
}

// runInspected runs m's state name alone and returns the steps Inspect saw, the events and the
// result.
func runInspected(t *testing.T, m *asl.Machine, name string, input any, vars *value.Object, h TaskHandler) (map[string]string, []Event, *Result) {
	t.Helper()
	sm, err := SingleState(m, name)
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]string{}
	r, err := New(sm, Options{Clock: NewVirtualClock(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)), Variables: vars,
		Handlers: func(*asl.State) TaskHandler { return h },
		Inspect: func(st *asl.State, step string, v any) {
			if st.Name == name {
				steps[step] = toJSON(v)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Start(context.Background(), input)
	return steps, res.Events, res
}

// TestSingleStateSteps: a state deep in a Parallel branch runs alone; every JSONPath data-flow
// step is reported; its Next shows as the state entered after it.
func TestSingleStateSteps(t *testing.T) {
	m := buildMachine(t, `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
	  {"StartAt": "First", "States": {"First": {"Type": "Pass", "Next": "Charge"},
	    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.order",
	      "Parameters": {"FunctionName": "charge", "Payload": {"amount.$": "$.total", "who.$": "$who"}},
	      "ResultSelector": {"status.$": "$.Payload.status"}, "ResultPath": "$.charge", "OutputPath": "$.charge",
	      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Ship"},
	    "Ship": {"Type": "Succeed"}, "Failed": {"Type": "Fail"}}}]}}}`)
	h := TaskHandlerFunc(func(_ context.Context, req TaskRequest) TaskResult {
		p, _ := req.Input.(*value.Object).Get("Payload")
		return TaskResult{Output: value.ObjectOf("Payload", value.ObjectOf("status", "ok", "echo", p), "StatusCode", json.Number("200"))}
	})
	input := value.ObjectOf("order", value.ObjectOf("total", json.Number("12")))
	steps, events, res := runInspected(t, m, "Charge", input, value.ObjectOf("who", "ann"), h)
	want := map[string]string{
		StepAfterInputPath:      `{"total":12}`,
		StepAfterParameters:     `{"FunctionName":"charge","Payload":{"amount":12,"who":"ann"}}`,
		StepResult:              `{"Payload":{"status":"ok","echo":{"amount":12,"who":"ann"}},"StatusCode":200}`,
		StepAfterResultSelector: `{"status":"ok"}`,
		StepAfterResultPath:     `{"order":{"total":12},"charge":{"status":"ok"}}`, // ResultPath applies to the raw input
	}
	for k, v := range want {
		if steps[k] != v {
			t.Errorf("%s = %s, want %s", k, steps[k], v)
		}
	}
	if res.Status != Succeeded || toJSON(res.Output) != `{"status":"ok"}` {
		t.Errorf("result %s %s", res.Status, toJSON(res.Output))
	}
	if next := enteredAfter(events, "Charge"); next != "Ship" {
		t.Errorf("next state %q, want Ship", next)
	}
	// A failure caught: the catcher's Next is the next state.
	fail := TaskHandlerFunc(func(context.Context, TaskRequest) TaskResult {
		return TaskResult{Failed: true, Error: "Card.Declined", Cause: "no"}
	})
	_, events, res = runInspected(t, m, "Charge", input, value.ObjectOf("who", "ann"), fail)
	if next := enteredAfter(events, "Charge"); next != "Failed" || res.Status != Succeeded {
		t.Errorf("caught: next %q, status %s", next, res.Status)
	}
	// An unknown name, or one in the wrong letter case.
	if _, err := SingleState(m, "charge"); err == nil || !strings.Contains(err.Error(), `did you mean "Charge"`) {
		t.Errorf("unknown state: %v", err)
	}
}

// TestSingleStateJSONata: a JSONata Task reports afterArguments and result; a Pass reports its
// JSONPath steps; seeded variables are visible.
func TestSingleStateJSONata(t *testing.T) {
	m := buildMachine(t, `{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
	  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"Payload": "{% $states.input.n + $base %}"},
	    "Output": "{% $states.result.Payload * 2 %}", "Assign": {"last": "{% $states.result.Payload %}"}, "End": true}}}`)
	h := TaskHandlerFunc(func(_ context.Context, req TaskRequest) TaskResult {
		p, _ := req.Input.(*value.Object).Get("Payload")
		return TaskResult{Output: value.ObjectOf("Payload", p)}
	})
	steps, events, res := runInspected(t, m, "T", value.ObjectOf("n", json.Number("1")), value.ObjectOf("base", json.Number("10")), h)
	if steps[StepAfterArguments] != `{"Payload":11}` || steps[StepResult] != `{"Payload":11}` {
		t.Errorf("steps %v", steps)
	}
	if res.Status != Succeeded || toJSON(res.Output) != "22" {
		t.Errorf("result %s %s", res.Status, toJSON(res.Output))
	}
	if len(events) == 0 {
		t.Fatal("no events")
	}
}

// enteredAfter is the state entered right after name exited ("" when none was).
func enteredAfter(events []Event, name string) string {
	exited := false
	for _, e := range events {
		n, _ := e.Details["name"].(string)
		if strings.HasSuffix(e.Type, "StateExited") && n == name {
			exited = true
		}
		if exited && strings.HasSuffix(e.Type, "StateEntered") && n != name {
			return n
		}
	}
	return ""
}

// TestSingleStateConformance: for every single-state case of ../shared/conformance with a
// recorded history, running that state alone (SingleState, as sfn run --state does) gives the
// recorded final output or error. Skipped without the corpus.
func TestSingleStateConformance(t *testing.T) {
	dir := conformanceDir()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if len(files) == 0 {
		testshared.Skip(t, "conformance", dir+" (or set SFN_CONFORMANCE_DIR)")
	}
	sort.Strings(files)
	count, pass := 0, 0
	for _, f := range files {
		var c confCase
		b, err := os.ReadFile(f)
		if err != nil || json.Unmarshal(b, &c) != nil || len(c.Expected.History) == 0 {
			continue
		}
		var def struct {
			States map[string]json.RawMessage `json:"States"`
		}
		if json.Unmarshal(c.Definition, &def) != nil || len(def.States) != 1 {
			continue
		}
		rel, _ := filepath.Rel(dir, f)
		full := runCase(rel, &c)
		single := runSingleCase(rel, &c)
		count++
		switch {
		case single.pass == full.pass:
			if single.pass {
				pass++
			}
		default:
			t.Errorf("%s: alone %v (%s), in its machine %v (%s)", rel, single.pass, single.reason, full.pass, full.reason)
		}
	}
	t.Logf("single-state cases with a recorded history: %d; run alone, %d give the recorded output or error (the others fail the same way in their machine)", count, pass)
}

// runSingleCase is runCase with the definition's one state run through SingleState.
func runSingleCase(file string, c *confCase) caseResult {
	var def struct {
		States map[string]json.RawMessage `json:"States"`
	}
	_ = json.Unmarshal(c.Definition, &def)
	var name string
	for n := range def.States {
		name = n
	}
	doc, err := load.Parse(file, c.Definition, load.JSON)
	if err != nil {
		return caseResult{reason: err.Error()}
	}
	sm, err := SingleState(asl.Build(doc), name)
	if err != nil {
		return caseResult{reason: err.Error()}
	}
	// The single-state machine, written back as the case's definition.
	text, err := json.Marshal(nodeJSON(sm.Doc.Root))
	if err != nil {
		return caseResult{reason: err.Error()}
	}
	cc := *c
	cc.Definition = text
	return runCase(file, &cc)
}

// nodeJSON is a load.Node as an ordered JSON value.
func nodeJSON(n *load.Node) any {
	switch n.Kind {
	case load.Object:
		o := value.NewObject(len(n.Fields))
		for _, f := range n.Fields {
			o.Set(f.Key, nodeJSON(f.Value))
		}
		return o
	case load.Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = nodeJSON(it)
		}
		return out
	case load.String:
		return n.Text
	case load.Number:
		return json.Number(n.Text)
	case load.Bool:
		return n.Bool
	}
	return nil
}
