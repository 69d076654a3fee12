package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// TestGraphHighlightConformance replays the recorded histories of the conformance cases: every
// state the execution entered must be drawn as visited, and at least one edge as taken.
func TestGraphHighlightConformance(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedPath(t, "conformance/aws"), "*", "*.json"))
	replayed := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Definition json.RawMessage `json:"definition"`
			Expected   struct {
				History json.RawMessage `json:"history"`
			} `json:"expected"`
		}
		if err := json.Unmarshal(data, &c); err != nil || len(c.Expected.History) == 0 || string(c.Expected.History) == "null" {
			continue
		}
		tr, err := ParseHistory(data) // the whole case: "expected": {"history": [...]}
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		doc, err := load.Parse(f, c.Definition, load.JSON)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		m := asl.Build(doc)
		g := Build(m, Options{Trace: tr})
		checkTrace(t, f, g, m, tr)
		replayed++
	}
	t.Logf("replayed %d recorded execution histories", replayed)
}

func checkTrace(t *testing.T, name string, g *Graph, m *asl.Machine, tr *Trace) {
	t.Helper()
	visited := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Visited && n.State != nil {
			visited[n.Name] = true
		}
	}
	for _, c := range g.Clusters {
		if c.Visited && c.State != nil {
			visited[c.State.Name] = true
		}
	}
	entered := false
	for _, ev := range tr.Events {
		if strings.HasSuffix(ev.Type, "StateEntered") {
			entered = true
			if !visited[ev.Name] {
				t.Errorf("%s: state %q entered but not drawn as visited", name, ev.Name)
			}
		}
	}
	taken := 0
	for _, e := range g.Edges {
		if e.Taken {
			taken++
		}
	}
	if entered && taken == 0 {
		t.Errorf("%s: no edge drawn as taken", name)
	}
}

// TestGraphParseHistoryShapes accepts {"events": [...]}, a bare array and a recorded case.
func TestGraphParseHistoryShapes(t *testing.T) {
	ev := `{"type":"PassStateEntered","stateEnteredEventDetails":{"name":"A"}}`
	for _, in := range []string{`{"events":[` + ev + `]}`, `[` + ev + `]`, `{"expected":{"history":[` + ev + `]}}`} {
		tr, err := ParseHistory([]byte(in))
		if err != nil || len(tr.Events) != 1 || tr.Events[0].Name != "A" || tr.Events[0].Type != "PassStateEntered" {
			t.Errorf("%s: got %+v, %v", in, tr, err)
		}
	}
	for _, in := range []string{`{}`, `{"events": 3}`, `nope`} {
		if _, err := ParseHistory([]byte(in)); err == nil {
			t.Errorf("%s: want an error", in)
		}
	}
}
