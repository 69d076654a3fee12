package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// TestGraphTraceStats: with Options.TraceStats, each state the execution entered is labelled with
// its entries and its time from entry to exit, read from the history's timestamps (RFC 3339 text
// or epoch seconds); without it, the labels are unchanged.
func TestGraphTraceStats(t *testing.T) {
	def := `{"StartAt": "Check", "States": {
	  "Check": {"Type": "Pass", "Next": "Done?"},
	  "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2, "Next": "End"}], "Default": "Wait"},
	  "Wait": {"Type": "Wait", "Seconds": 10, "Next": "Check"},
	  "End": {"Type": "Succeed"}}}`
	doc, err := load.Parse("loop.json", []byte(def), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	m := asl.Build(doc)
	// Three rounds: Check, Done?, Wait (10 s) twice, then Check, Done?, End. The history is
	// generated here, half its timestamps as text and half as epoch seconds.
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var events []string
	at, id := t0, 0
	add := func(typ, name string, d time.Duration) {
		id++
		ts := fmt.Sprintf("%q", at.Format(time.RFC3339Nano))
		if id%2 == 0 {
			ts = fmt.Sprintf("%.3f", float64(at.UnixMilli())/1000)
		}
		events = append(events, fmt.Sprintf(`{"id": %d, "type": %q, "timestamp": %s, "stateEnteredEventDetails": {"name": %q}}`, id, typ, ts, name))
		at = at.Add(d)
	}
	for round := 0; round < 3; round++ {
		add("PassStateEntered", "Check", 100*time.Millisecond)
		add("PassStateExited", "Check", 0)
		add("ChoiceStateEntered", "Done?", 0)
		add("ChoiceStateExited", "Done?", 0)
		if round < 2 {
			add("WaitStateEntered", "Wait", 10*time.Second)
			add("WaitStateExited", "Wait", 0)
		}
	}
	add("SucceedStateEntered", "End", 0)
	tr, err := ParseHistory([]byte(`{"events": [` + strings.Join(events, ",") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Check": "entered ×3, 300ms", "Done?": "entered ×3", "Wait": "entered ×2, 20s", "End": "entered ×1"}
	g := Build(m, Options{Trace: tr, TraceStats: true})
	for _, n := range g.Nodes {
		if n.Kind != NodeState {
			continue
		}
		if n.Stats != want[n.Name] {
			t.Errorf("%s: stats %q, want %q", n.Name, n.Stats, want[n.Name])
		}
	}
	var b bytes.Buffer
	if err := WriteMermaid(&b, g); err != nil || !strings.Contains(b.String(), "entered ×2, 20s") {
		t.Errorf("mermaid lacks the stats line (%v):\n%s", err, b.String())
	}
	b.Reset()
	if err := WriteMermaid(&b, Build(m, Options{Trace: tr})); err != nil || strings.Contains(b.String(), "entered ×") {
		t.Errorf("stats drawn without TraceStats (%v)", err)
	}
}
