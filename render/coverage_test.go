package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func TestCoverage(t *testing.T) {
	src := `{"StartAt": "A", "States": {
		"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "B"}], "Default": "C"},
		"B": {"Type": "Pass", "End": true},
		"C": {"Type": "Pass", "End": true}}}`
	doc, err := load.Parse("m.json", []byte(src), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	cov := &Coverage{States: map[string]bool{"A": true, "B": true}, Edges: map[CoverEdge]bool{{"A", "B", EdgeChoice}: true}}
	g := Build(asl.Build(doc), Options{Coverage: cov})
	byName := map[string]*Node{}
	for _, n := range g.Nodes {
		byName[n.Name] = n
	}
	if !byName["A"].Visited || !byName["B"].Visited || byName["C"].Visited || !byName["C"].Uncovered {
		t.Errorf("nodes: A %v B %v C %v/%v", byName["A"].Visited, byName["B"].Visited, byName["C"].Visited, byName["C"].Uncovered)
	}
	for _, e := range g.Edges {
		want := e.To.Name != "C" && !(e.From.Name == "C")
		if e.Taken != want {
			t.Errorf("edge %s -> %s: taken %v", e.From.Name, e.To.Name, e.Taken)
		}
	}
	var dot, mmd bytes.Buffer
	if err := WriteDOT(&dot, g); err != nil {
		t.Fatal(err)
	}
	if err := WriteMermaid(&mmd, g); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dot.String(), colUncovered) || !strings.Contains(dot.String(), "dashed,filled") {
		t.Errorf("DOT does not draw C uncovered:\n%s", dot.String())
	}
	if !strings.Contains(mmd.String(), "classDef uncovered") || !strings.Contains(mmd.String(), "class "+byName["C"].ID+" uncovered") {
		t.Errorf("Mermaid does not draw C uncovered:\n%s", mmd.String())
	}
}
