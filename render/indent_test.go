package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/shapes"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// TestDeepNestingIndent: Map states nested 300 levels deep are drawn with the indentation capped at
// maxIndent levels, so the output grows with the states, not with states × depth.
func TestDeepNestingIndent(t *testing.T) {
	doc, err := load.Parse("deep.json", shapes.Deep(600, 300), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	g := Build(asl.Build(doc), Options{})
	for _, w := range []struct {
		name   string
		write  func(*bytes.Buffer, *Graph) error
		indent string
	}{
		{"dot", func(b *bytes.Buffer, g *Graph) error { return WriteDOT(b, g) }, "\t"},
		{"mermaid", func(b *bytes.Buffer, g *Graph) error { return WriteMermaid(b, g) }, "  "},
	} {
		var out bytes.Buffer
		if err := w.write(&out, g); err != nil {
			t.Fatal(err)
		}
		deepest := 0
		for _, line := range strings.Split(out.String(), "\n") {
			n := 0
			for strings.HasPrefix(line[n*len(w.indent):], w.indent) {
				n++
			}
			deepest = max(deepest, n)
		}
		if deepest != maxIndent {
			t.Errorf("%s: deepest indentation %d levels, want %d", w.name, deepest, maxIndent)
		}
		if strings.Count(out.String(), "subgraph") < 300 {
			t.Errorf("%s: %d subgraphs, want at least 300", w.name, strings.Count(out.String(), "subgraph"))
		}
	}
}
