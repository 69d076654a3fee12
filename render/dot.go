package render

import (
	"io"
	"strings"

	"github.com/awalterschulze/gographviz"
	"github.com/awalterschulze/gographviz/ast"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// Colours shared by both writers.
const (
	colLine      = "#545b64"
	colTask      = "#dbeafe"
	colChoice    = "#fef3c7"
	colWait      = "#f3f4f6"
	colOK        = "#bbf7d0"
	colOKLine    = "#15803d"
	colFail      = "#fecaca"
	colFailLine  = "#b91c1c"
	colMarker    = "#e0e0e0"
	colParallel  = "#0369a1"
	colMap       = "#7c3aed"
	colMissing   = "#fee2e2"
	colDetail    = "#4b5563"
	colRun       = "#2563eb"
	colRunFail   = "#fca5a5"
	colRunCaught = "#ea580c"
)

// WriteDOT writes the graph as Graphviz DOT. The graph is assembled with gographviz (which checks
// every attribute name) and printed from its syntax tree; all ids are generated and every label is
// quoted here, never by gographviz's escaping.
func WriteDOT(w io.Writer, g *Graph) error {
	gv := gographviz.NewGraph()
	name := g.Opts.Name
	if name == "" {
		name = "sfn"
	}
	if err := gv.SetName(dotQuote(name)); err != nil {
		return err
	}
	if err := gv.SetDir(true); err != nil {
		return err
	}
	for _, a := range [][2]string{
		{"rankdir", g.Opts.Direction}, {"compound", "true"}, {"fontname", "Helvetica"}, {"fontsize", "11"},
		{"nodesep", "0.4"}, {"ranksep", "0.45"},
	} {
		if err := gv.AddAttr(gv.Name, a[0], a[1]); err != nil {
			return err
		}
	}
	d := &dotBuilder{g: g, gv: gv}
	if err := d.items(gv.Name, g.Top); err != nil {
		return err
	}
	for _, e := range g.Edges {
		if err := gv.AddEdge(e.From.ID, e.To.ID, true, d.edgeAttrs(e)); err != nil {
			return err
		}
	}
	tree, err := gv.WriteAst()
	if err != nil {
		return err
	}
	// Defaults for nodes and edges, after the graph attributes.
	defaults := ast.StmtList{
		ast.NodeAttrs(ast.PutMap(map[string]string{
			"shape": "box", "style": dotQuote("rounded,filled"), "fillcolor": dotQuote("#ffffff"), "color": dotQuote(colLine),
			"fontname": "Helvetica", "fontsize": "11",
		})),
		ast.EdgeAttrs(ast.PutMap(map[string]string{
			"color": dotQuote(colLine), "fontcolor": dotQuote("#374151"), "fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.7",
		})),
	}
	n := 0
	for n < len(tree.StmtList) {
		if _, ok := tree.StmtList[n].(*ast.Attr); !ok {
			break
		}
		n++
	}
	stmts := append(append(append(ast.StmtList{}, tree.StmtList[:n]...), defaults...), tree.StmtList[n:]...)
	var b strings.Builder
	b.WriteString("digraph " + tree.ID.String() + " {\n")
	printStmts(&b, stmts, 1)
	b.WriteString("}\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// printStmts prints a statement list; gographviz's own printer concatenates strings quadratically,
// which is too slow for machines with thousands of states.
func printStmts(b *strings.Builder, stmts ast.StmtList, depth int) {
	indent := strings.Repeat("\t", min(depth, maxIndent))
	for _, s := range stmts {
		if sg, ok := s.(*ast.SubGraph); ok {
			b.WriteString(indent + "subgraph " + sg.ID.String() + " {\n")
			printStmts(b, sg.StmtList, depth+1)
			b.WriteString(indent + "}\n")
			continue
		}
		txt := strings.TrimRight(s.String(), " ")
		if txt != "" {
			b.WriteString(indent + txt + ";\n")
		}
	}
}

type dotBuilder struct {
	g  *Graph
	gv *gographviz.Graph
}

// items adds nodes and clusters (recursively) to the parent graph.
func (d *dotBuilder) items(parent string, items []any) error {
	for _, it := range items {
		switch it := it.(type) {
		case *Node:
			if err := d.gv.AddNode(parent, it.ID, d.nodeAttrs(it)); err != nil {
				return err
			}
		case *Cluster:
			if err := d.gv.AddSubGraph(parent, it.ID, clusterAttrs(it)); err != nil {
				return err
			}
			if err := d.items(it.ID, it.Items); err != nil {
				return err
			}
		}
	}
	return nil
}

func clusterAttrs(c *Cluster) map[string]string {
	a := map[string]string{"label": dotQuote(c.Label), "fontname": "Helvetica", "fontsize": "11"}
	switch c.Kind {
	case ClusterParallel:
		a["style"], a["color"], a["fontcolor"], a["penwidth"] = dotQuote("rounded"), dotQuote(colParallel), dotQuote(colParallel), "1"
	case ClusterBranch: // penwidth is set because a subgraph inherits its parent's
		a["style"], a["color"], a["fontcolor"], a["penwidth"] = dotQuote("dotted"), dotQuote(colParallel), dotQuote(colParallel), "1"
	case ClusterMap:
		a["style"], a["color"], a["fontcolor"], a["penwidth"] = dotQuote("dashed,rounded"), dotQuote(colMap), dotQuote(colMap), "1"
		if c.Distributed {
			a["penwidth"] = "2"
		}
	}
	if c.Visited && c.Kind != ClusterBranch {
		a["color"], a["penwidth"] = dotQuote(colRun), "2"
	}
	return a
}

func (d *dotBuilder) nodeAttrs(n *Node) map[string]string {
	a := map[string]string{}
	switch n.Kind {
	case NodeStart, NodeEnd:
		a["shape"], a["label"], a["width"] = "circle", dotQuote(n.Name), "0.5"
		if n.Kind == NodeEnd {
			a["shape"], a["width"] = "doublecircle", "0.4"
		}
		a["style"], a["fillcolor"], a["fontsize"] = "filled", dotQuote(colMarker), "9"
	case NodeFork, NodeJoin:
		col := colParallel
		if n.Cluster != nil && n.Cluster.Kind == ClusterMap {
			col = colMap
		}
		a["shape"], a["label"], a["width"], a["color"] = "point", dotQuote(""), "0.12", dotQuote(col)
		a["style"], a["fillcolor"] = "filled", dotQuote(col)
	case NodeMissing:
		a["label"] = htmlLabel(n.Name, []string{"missing"}, colFailLine)
		a["style"], a["fillcolor"], a["color"], a["fontcolor"] = dotQuote("dashed,filled"), dotQuote(colMissing), dotQuote(colFailLine), dotQuote(colFailLine)
	default:
		d.stateAttrs(n, a)
	}
	if n.Visited {
		a["penwidth"] = "2.5"
		if (n.Kind == NodeState || n.Kind == NodeStart || n.Kind == NodeEnd) && !n.Failed && !n.Caught {
			a["color"] = dotQuote(colRun)
		}
	}
	return a
}

func (d *dotBuilder) stateAttrs(n *Node, a map[string]string) {
	lines := []string{}
	if n.Detail != "" {
		lines = append(lines, n.Detail)
	}
	lines = append(lines, n.Retries...)
	lines = append(lines, runLines(n)...)
	a["label"] = htmlLabel(n.Name, lines, colDetail)
	a["tooltip"] = dotQuote(n.Name)
	st := n.State
	switch st.Type {
	case "Task":
		a["fillcolor"] = dotQuote(colTask)
	case "Wait":
		a["fillcolor"] = dotQuote(colWait)
	case "Choice":
		a["shape"], a["style"], a["fillcolor"] = "diamond", "filled", dotQuote(colChoice)
	case "Succeed":
		a["fillcolor"], a["color"] = dotQuote(colOK), dotQuote(colOKLine)
	case "Fail":
		a["style"], a["fillcolor"], a["color"] = "filled", dotQuote(colFail), dotQuote(colFailLine)
	case "Map", "Parallel": // collapsed
		col := colParallel
		if st.Type == "Map" {
			col = colMap
			a["style"] = dotQuote("rounded,filled,dashed")
		}
		a["color"], a["fontcolor"], a["penwidth"] = dotQuote(col), dotQuote(col), "1.5"
	}
	if n.Uncovered {
		a["style"], a["color"], a["fontcolor"] = dotQuote("dashed,filled"), dotQuote(colUncovered), dotQuote(colUncovered)
	}
	switch {
	case n.Failed:
		a["fillcolor"], a["color"], a["penwidth"] = dotQuote(colRunFail), dotQuote(colFailLine), "3"
	case n.Caught:
		a["color"] = dotQuote(colRunCaught)
	}
}

// runLines are the label lines the traced execution adds to a node.
func runLines(n *Node) []string {
	var out []string
	if n.Stats != "" {
		out = append(out, n.Stats)
	}
	if n.Retried > 0 {
		out = append(out, "retried ×"+itoa(n.Retried))
	}
	switch {
	case n.Failed:
		out = append(out, "✖ failed here")
	case n.Caught:
		out = append(out, "⚠ error caught")
	}
	return out
}

func (d *dotBuilder) edgeAttrs(e *Edge) map[string]string {
	a := map[string]string{}
	if e.Label != "" {
		a["label"] = dotQuote(e.Label)
	}
	if e.Tooltip != "" {
		a["tooltip"] = dotQuote(e.Tooltip)
	}
	switch e.Kind {
	case EdgeDefault:
		a["style"] = "bold"
	case EdgeCatch:
		a["label"] = dotQuote("Catch\n" + e.Label)
		a["style"], a["color"], a["fontcolor"] = "dashed", dotQuote(colFailLine), dotQuote(colFailLine)
	}
	if e.LTail != nil && !inside(e.To, e.LTail) {
		a["ltail"] = e.LTail.ID
	}
	if e.LHead != nil && !inside(e.From, e.LHead) {
		a["lhead"] = e.LHead.ID
	}
	if e.Taken {
		a["penwidth"] = "2.5"
		if e.Kind != EdgeCatch {
			a["color"] = dotQuote(colRun)
		}
	}
	return a
}

// inside reports whether n is (at any depth) inside c.
func inside(n *Node, c *Cluster) bool {
	for p := n.Cluster; p != nil; p = p.Parent {
		if p == c {
			return true
		}
	}
	return false
}

// dotQuote quotes s as a DOT string: backslash and quote escaped, line breaks as \n, "&" as "&amp;"
// (Graphviz decodes HTML entities in labels), other control characters as spaces.
func dotQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '&':
			b.WriteString("&amp;")
		case r == '\t':
			b.WriteRune(r)
		case safetext.Unsafe(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// htmlEscape escapes text for a Graphviz HTML-like label. Graphviz still expands \N, \G, ... in
// HTML labels (even written as &#92;N), and reads "\\" as one backslash, so backslashes are doubled.
func htmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\n':
			b.WriteString("<BR/>")
		case safetext.Unsafe(r) || r == 0xfffe || r == 0xffff:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// htmlLabel is a node label: the name, then smaller detail lines.
func htmlLabel(name string, lines []string, color string) string {
	var b strings.Builder
	b.WriteString("<")
	b.WriteString(htmlEscape(name))
	if strings.TrimSpace(name) == "" {
		b.WriteString("&#160;")
	}
	for _, l := range lines {
		b.WriteString(`<BR/><FONT POINT-SIZE="9" COLOR="` + color + `">` + htmlEscape(l) + `</FONT>`)
	}
	b.WriteString(">")
	return b.String()
}
