package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// Mermaid's default limits: a diagram with more edges, or a longer text, is refused by the renderer
// (maxEdges 500, maxTextSize 50,000), and embedders such as GitHub cannot raise them.
const (
	MermaidMaxEdges = 500
	MermaidMaxText  = 50000
)

// WriteMermaid writes the graph as a Mermaid flowchart. Parallel branches hang between a fork and a
// join node, which is what keeps them side by side in Mermaid's layout.
func WriteMermaid(w io.Writer, g *Graph) error {
	m := &mermaidWriter{g: g, classes: map[string][]string{}}
	m.b.WriteString("flowchart " + g.Opts.Direction + "\n")
	m.items(g.Top, 1)
	for i, e := range g.Edges {
		m.edge(i, e)
	}
	m.styles()
	_, err := io.WriteString(w, m.b.String())
	return err
}

// MermaidWarning returns a warning when a Mermaid text of the graph exceeds Mermaid's default
// limits, or "".
func MermaidWarning(g *Graph, text []byte) string {
	switch {
	case len(g.Edges) >= MermaidMaxEdges:
		return fmt.Sprintf("the Mermaid diagram has %d edges; Mermaid refuses more than %d by default (GitHub cannot raise it): use --collapse or --format dot", len(g.Edges), MermaidMaxEdges-1)
	case len(text) > MermaidMaxText:
		return fmt.Sprintf("the Mermaid diagram is %d characters long; Mermaid refuses more than %d by default (GitHub cannot raise it): use --collapse or --format dot", len(text), MermaidMaxText)
	}
	return ""
}

type mermaidWriter struct {
	g       *Graph
	b       strings.Builder
	classes map[string][]string // class name → node ids
	order   []string            // class names in first-use order
	catch   []int               // edge indexes
	taken   []int
	takenC  []int // taken catch edges
	cstyles []string
}

func (m *mermaidWriter) class(name, id string) {
	if _, ok := m.classes[name]; !ok {
		m.order = append(m.order, name)
	}
	m.classes[name] = append(m.classes[name], id)
}

func (m *mermaidWriter) items(items []any, depth int) {
	indent := strings.Repeat("  ", min(depth, maxIndent))
	for _, it := range items {
		switch it := it.(type) {
		case *Node:
			m.b.WriteString(indent + m.node(it) + "\n")
		case *Cluster:
			m.b.WriteString(indent + "subgraph " + it.ID + "[\"" + mermaidEscape(it.Label) + "\"]\n")
			m.items(it.Items, depth+1)
			m.b.WriteString(indent + "end\n")
			m.clusterStyle(it)
		}
	}
}

func (m *mermaidWriter) clusterStyle(c *Cluster) {
	var s string
	switch c.Kind {
	case ClusterParallel:
		s = "fill:#f0f9ff,stroke:" + colParallel
	case ClusterBranch:
		s = "fill:#ffffff,stroke:" + colParallel + ",stroke-dasharray: 2 2"
	case ClusterMap:
		s = "fill:#faf5ff,stroke:" + colMap + ",stroke-dasharray: 5 5"
		if c.Distributed {
			s += ",stroke-width:3px"
		}
	}
	if c.Visited && c.Kind != ClusterBranch {
		s += ",stroke:" + colRun + ",stroke-width:3px"
	}
	m.cstyles = append(m.cstyles, "style "+c.ID+" "+s)
}

// node returns a node declaration.
func (m *mermaidWriter) node(n *Node) string {
	switch n.Kind {
	case NodeStart:
		m.class("term", n.ID)
		m.runClass(n)
		return n.ID + `(("Start"))`
	case NodeEnd:
		m.class("term", n.ID)
		m.runClass(n)
		return n.ID + `((("End")))`
	case NodeFork, NodeJoin:
		if n.Cluster != nil && n.Cluster.Kind == ClusterMap {
			m.class("mapfork", n.ID)
		} else {
			m.class("fork", n.ID)
		}
		return n.ID + "(( ))"
	case NodeMissing:
		m.class("missing", n.ID)
		return n.ID + `["` + mermaidEscape(n.Name) + `<br/><small>missing</small>"]`
	}
	lines := []string{}
	if n.Detail != "" {
		lines = append(lines, n.Detail)
	}
	lines = append(lines, n.Retries...)
	lines = append(lines, runLines(n)...)
	label := mermaidEscape(n.Name)
	if strings.TrimSpace(n.Name) == "" {
		label += "#160;"
	}
	for _, l := range lines {
		label += "<br/><small>" + mermaidEscape(l) + "</small>"
	}
	open, close := "[\"", "\"]"
	switch n.State.Type {
	case "Task":
		m.class("task", n.ID)
	case "Wait":
		open, close = "[/\"", "\"/]"
		m.class("wait", n.ID)
	case "Choice":
		open, close = "{\"", "\"}"
		m.class("choice", n.ID)
	case "Succeed":
		open, close = "([\"", "\"])"
		m.class("ok", n.ID)
	case "Fail":
		open, close = "[[\"", "\"]]"
		m.class("fail", n.ID)
	case "Map":
		m.class("map", n.ID)
	case "Parallel":
		m.class("parallel", n.ID)
	}
	m.runClass(n)
	return n.ID + open + label + close
}

func (m *mermaidWriter) runClass(n *Node) {
	switch {
	case n.Failed:
		m.class("runfailed", n.ID)
	case n.Caught:
		m.class("runcaught", n.ID)
	case n.Visited:
		m.class("run", n.ID)
	case n.Uncovered:
		m.class("uncovered", n.ID)
	}
}

func (m *mermaidWriter) edge(i int, e *Edge) {
	from, to := e.From.ID, e.To.ID
	var s string
	switch e.Kind {
	case EdgeDefault:
		s = from + ` == "Default" ==> ` + to
	case EdgeCatch:
		s = from + ` -. "Catch: ` + mermaidEscape(e.Label) + `" .-> ` + to
		m.catch = append(m.catch, i)
	default:
		if e.Label != "" {
			s = from + ` -- "` + mermaidEscape(e.Label) + `" --> ` + to
		} else {
			s = from + " --> " + to
		}
	}
	if e.Taken {
		if e.Kind == EdgeCatch {
			m.takenC = append(m.takenC, i)
		} else {
			m.taken = append(m.taken, i)
		}
	}
	m.b.WriteString("  " + s + "\n")
}

var mermaidClassDefs = map[string]string{
	"task":      "fill:" + colTask + ",stroke:" + colLine,
	"wait":      "fill:" + colWait + ",stroke:" + colLine,
	"choice":    "fill:" + colChoice + ",stroke:" + colLine,
	"ok":        "fill:" + colOK + ",stroke:" + colOKLine,
	"fail":      "fill:" + colFail + ",stroke:" + colFailLine,
	"term":      "fill:" + colMarker + ",stroke:" + colLine,
	"fork":      "fill:" + colParallel + ",stroke:" + colParallel,
	"mapfork":   "fill:" + colMap + ",stroke:" + colMap,
	"missing":   "fill:" + colMissing + ",stroke:" + colFailLine + ",color:" + colFailLine + ",stroke-dasharray: 4 3",
	"map":       "fill:#faf5ff,stroke:" + colMap + ",stroke-dasharray: 5 5",
	"parallel":  "fill:#f0f9ff,stroke:" + colParallel,
	"run":       "stroke:" + colRun + ",stroke-width:3px",
	"runcaught": "stroke:" + colRunCaught + ",stroke-width:3px",
	"runfailed": "fill:" + colRunFail + ",stroke:" + colFailLine + ",stroke-width:4px",
	"uncovered": "stroke:" + colUncovered + ",color:" + colUncovered + ",stroke-dasharray: 4 3",
}

// classOrder fixes the order of classDef lines (run classes last so they win).
var classOrder = []string{"task", "wait", "choice", "ok", "fail", "term", "fork", "mapfork", "missing", "map", "parallel", "run", "runcaught", "runfailed", "uncovered"}

func (m *mermaidWriter) styles() {
	for _, name := range classOrder {
		if ids, ok := m.classes[name]; ok {
			m.b.WriteString("  classDef " + name + " " + mermaidClassDefs[name] + "\n")
			m.b.WriteString("  class " + strings.Join(ids, ",") + " " + name + "\n")
		}
	}
	for _, s := range m.cstyles {
		m.b.WriteString("  " + s + "\n")
	}
	m.linkStyle(m.catch, "stroke:"+colFailLine+",color:"+colFailLine)
	m.linkStyle(m.taken, "stroke:"+colRun+",stroke-width:3px")
	m.linkStyle(m.takenC, "stroke:"+colFailLine+",stroke-width:3px")
}

func (m *mermaidWriter) linkStyle(idx []int, style string) {
	if len(idx) == 0 {
		return
	}
	parts := make([]string, len(idx))
	for i, n := range idx {
		parts[i] = strconv.Itoa(n)
	}
	m.b.WriteString("  linkStyle " + strings.Join(parts, ",") + " " + style + "\n")
}

// mermaidEscape escapes text for a quoted Mermaid label: "#" first, then the characters Mermaid
// would interpret ("  \  <  >  &  `) as its #...; entities (a backslash is followed by an
// invisible zero-width space); line breaks and other control characters become spaces.
func mermaidEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '#':
			b.WriteString("#35;")
		case r == '"':
			b.WriteString("#quot;")
		case r == '\\':
			// A zero-width space after the backslash: in a label holding HTML (our <br/>), Mermaid
			// reads "\n" as a line break even when the backslash is written #92;.
			b.WriteString("#92;#8203;")
		case r == '<':
			b.WriteString("#lt;")
		case r == '>':
			b.WriteString("#gt;")
		case r == '&':
			b.WriteString("#amp;")
		case r == '`':
			b.WriteString("#96;")
		case safetext.Unsafe(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
