// Package render draws a state machine: it builds a graph model from the ASL model (package asl) and
// writes it as Graphviz DOT or as a Mermaid flowchart.
//
// Conventions: Start and End markers at the top level; Choice is a diamond whose edges carry the rule
// in short form, with a bold Default edge; Catch edges are dashed and red, labelled with their
// ErrorEquals; retriers are listed in the node ("↻ States.TaskFailed ×3"); a Parallel is a cluster
// whose branches sit side by side between a fork and a join point; a Map is a dashed cluster around
// its processor; Succeed is green and Fail red; targets that do not exist become red "missing" nodes.
// Node ids are generated, never state names, and the output is deterministic.
package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// maxIndent is the deepest indentation of the DOT and Mermaid output: clusters nested deeper are
// written at this indentation (both languages ignore it), so that the output of a machine nested
// 2,000 levels deep stays proportional to its states rather than to states × depth.
const maxIndent = 16

// Options control how a machine is drawn.
type Options struct {
	// Direction is the layout direction: "TB" (top to bottom, the default) or "LR".
	Direction string
	// Collapse draws Map and Parallel states as single nodes, without their inner states.
	Collapse bool
	// Trace, when set, colours the path of one execution (see ParseHistory).
	Trace *Trace
	// TraceStats labels each state the traced execution entered with how often it was entered
	// and its time from entry to exit (summed over its entries).
	TraceStats bool
	// Name is the graph's name in DOT output ("" gives "sfn").
	Name string
	// Coverage, when set, marks what a test suite covered (see Coverage).
	Coverage *Coverage
}

// NodeKind says what a node stands for.
type NodeKind int

// The node kinds.
const (
	NodeState   NodeKind = iota // a state
	NodeStart                   // the Start marker (top level)
	NodeEnd                     // the End marker (top level)
	NodeFork                    // the entry point of a Parallel or Map cluster
	NodeJoin                    // the exit point of a Parallel or Map cluster
	NodeMissing                 // a Next, Default or StartAt target that does not exist
)

// Node is one node of the graph.
type Node struct {
	ID      string
	Kind    NodeKind
	State   *asl.State // NodeState only
	Name    string     // state name (or the missing target's name)
	Detail  string     // second label line: "Task: lambda:invoke", "Wait 5s", "missing"
	Retries []string   // "↻ States.TaskFailed ×3", one per retrier
	Cluster *Cluster   // enclosing cluster, nil at the top level
	// Run marks, set from Options.Trace.
	Visited bool
	Failed  bool // the state where the execution failed
	Caught  bool // the state failed and a Catch moved on
	Retried int  // retries made in the execution
	// Uncovered: with Options.Coverage, no test case entered the state.
	Uncovered bool
	Entered   int // times the execution entered the state
	// Time is the state's time from entry to exit, summed over its entries (history timestamps).
	Time time.Duration
	// Stats is the label line of Options.TraceStats ("entered ×3, 1.2s"), or "".
	Stats string
}

// ClusterKind says what a cluster stands for.
type ClusterKind int

// The cluster kinds.
const (
	ClusterParallel ClusterKind = iota
	ClusterBranch
	ClusterMap
)

// Cluster is a Parallel state, one of its branches, or a Map state with its processor.
type Cluster struct {
	ID          string
	Kind        ClusterKind
	Label       string
	State       *asl.State // the Parallel or Map state (nil for a branch)
	Parent      *Cluster
	Items       []any // *Node and *Cluster children in drawing order
	Entry, Exit *Node // fork and join points (Parallel, Map)
	Distributed bool  // Map with ProcessorConfig.Mode DISTRIBUTED
	Visited     bool
}

// EdgeKind says what a transition is.
type EdgeKind int

// The edge kinds.
const (
	EdgeNext    EdgeKind = iota // Next, and the transitions into and out of clusters
	EdgeChoice                  // a Choice rule
	EdgeDefault                 // a Choice's Default
	EdgeCatch                   // a Catch
)

// Edge is one transition.
type Edge struct {
	From, To *Node
	Kind     EdgeKind
	Label    string // short label
	Tooltip  string // full text when Label was shortened
	// LTail and LHead are the clusters the edge leaves or enters (DOT compound edges).
	LTail, LHead *Cluster
	Taken        bool // taken in the traced execution
}

// Graph is the drawable model of a machine.
type Graph struct {
	Opts     Options
	Nodes    []*Node // in creation order
	Edges    []*Edge // in drawing order
	Top      []any   // top-level *Node and *Cluster items in drawing order
	Clusters []*Cluster
}

// scopeInfo is what the builder knows about one States scope.
type scopeInfo struct {
	sm      *asl.StateMachine
	cluster *Cluster // the branch or Map cluster holding the scope's states; nil at the top level
	entry   *Node    // Start marker or fork point
	exit    *Node    // End marker or join point
	lhead   *Cluster // cluster entered from entry (Map: none; the entry is inside)
	nodes   map[*asl.State]*Node
	comp    map[*asl.State]*Cluster // composite states (not collapsed)
	missing map[string]*Node
}

type builder struct {
	g      *Graph
	m      *asl.Machine
	scopes map[*asl.StateMachine]*scopeInfo
	exprs  map[*asl.ChoiceRule]map[string]*asl.Expr // parsed Choice rule expressions by field
}

// Build builds the graph of a machine. It never fails: malformed parts are drawn as far as they go.
func Build(m *asl.Machine, opts Options) *Graph {
	if opts.Direction == "" {
		opts.Direction = "TB"
	}
	b := &builder{g: &Graph{Opts: opts}, m: m, scopes: map[*asl.StateMachine]*scopeInfo{}}
	start := b.node(NodeStart, nil)
	start.Name = "Start"
	var end *Node
	if m != nil && m.Root != nil {
		info := b.layout(m.Root, nil)
		info.entry = start
		end = b.node(NodeEnd, nil)
		end.Name = "End"
		info.exit = end
		b.connect(info)
	}
	b.assignIDs()
	if opts.Trace != nil {
		applyTrace(b.g, b, opts.Trace)
		if opts.TraceStats {
			statsLines(b.g)
		}
	}
	if opts.Coverage != nil {
		applyCoverage(b.g, opts.Coverage)
	}
	return b.g
}

// node creates a node inside cl (nil: top level).
func (b *builder) node(kind NodeKind, cl *Cluster) *Node {
	n := &Node{Kind: kind, Cluster: cl}
	b.g.Nodes = append(b.g.Nodes, n)
	b.addItem(cl, n)
	return n
}

func (b *builder) addItem(cl *Cluster, it any) {
	if cl == nil {
		b.g.Top = append(b.g.Top, it)
	} else {
		cl.Items = append(cl.Items, it)
	}
}

func (b *builder) cluster(kind ClusterKind, label string, st *asl.State, parent *Cluster) *Cluster {
	c := &Cluster{Kind: kind, Label: label, State: st, Parent: parent}
	b.g.Clusters = append(b.g.Clusters, c)
	b.addItem(parent, c)
	return c
}

// layout creates the nodes and clusters of a scope (recursively) inside cl.
func (b *builder) layout(sm *asl.StateMachine, cl *Cluster) *scopeInfo {
	info := &scopeInfo{sm: sm, cluster: cl, nodes: map[*asl.State]*Node{}, comp: map[*asl.State]*Cluster{}, missing: map[string]*Node{}}
	b.scopes[sm] = info
	for _, st := range sm.States {
		if b.composite(st) {
			info.comp[st] = b.compositeCluster(st, cl)
			continue
		}
		n := b.node(NodeState, cl)
		n.State, n.Name = st, st.Name
		n.Detail = detail(st, b.g.Opts.Collapse)
		n.Retries = retryLines(st)
		info.nodes[st] = n
	}
	return info
}

// composite reports whether a state is drawn as a cluster.
func (b *builder) composite(st *asl.State) bool {
	if b.g.Opts.Collapse {
		return false
	}
	return (st.Type == "Parallel" && st.Branches != nil) || (st.Type == "Map" && st.Processor != nil)
}

func (b *builder) compositeCluster(st *asl.State, parent *Cluster) *Cluster {
	kind := ClusterParallel
	if st.Type == "Map" {
		kind = ClusterMap
	}
	c := b.cluster(kind, "", st, parent)
	c.Label = clusterLabel(st)
	c.Distributed = isDistributed(st)
	c.Entry = b.node(NodeFork, c)
	switch kind {
	case ClusterParallel:
		for i, br := range st.Branches {
			bc := b.cluster(ClusterBranch, "Branch "+strconv.Itoa(i+1), nil, c)
			inner := b.layout(br, bc)
			inner.entry, inner.exit = c.Entry, nil
		}
	case ClusterMap:
		inner := b.layout(st.Processor, c)
		inner.entry = c.Entry
	}
	c.Exit = b.node(NodeJoin, c)
	for _, sc := range b.scopesOf(st) {
		b.scopes[sc].exit = c.Exit
	}
	return c
}

// scopesOf returns the inner scopes of a composite state.
func (b *builder) scopesOf(st *asl.State) []*asl.StateMachine {
	if st.Type == "Map" {
		return []*asl.StateMachine{st.Processor}
	}
	return st.Branches
}

// connect adds the edges of a scope and, recursively, of its inner scopes.
func (b *builder) connect(info *scopeInfo) {
	sm := info.sm
	if sm.StartAt != nil && sm.StartAt.Kind == load.String {
		to, lhead := b.target(info, sm.StartAt.Text)
		b.edge(info.entry, to, EdgeNext, "", nil, lhead)
	}
	for _, st := range sm.States {
		if c := info.comp[st]; c != nil {
			for _, sc := range b.scopesOf(st) {
				b.connect(b.scopes[sc])
			}
		}
		b.connectState(info, st)
	}
}

func (b *builder) connectState(info *scopeInfo, st *asl.State) {
	from, ltail := info.nodes[st], (*Cluster)(nil)
	if c := info.comp[st]; c != nil {
		from, ltail = c.Exit, c
	}
	if from == nil {
		return
	}
	for _, r := range st.Choices {
		if next := r.Node.Get("Next"); next != nil && next.Kind == load.String {
			label, full := b.ruleLabel(st, r)
			to, lhead := b.target(info, next.Text)
			e := b.edge(from, to, EdgeChoice, label, ltail, lhead)
			if strings.ReplaceAll(label, "\n", " ") != full {
				e.Tooltip = full
			}
		}
	}
	if d := st.Field("Default"); d != nil && d.Kind == load.String && st.Type == "Choice" {
		to, lhead := b.target(info, d.Text)
		b.edge(from, to, EdgeDefault, "Default", ltail, lhead)
	}
	if next, ok := st.NextName(); ok {
		to, lhead := b.target(info, next)
		b.edge(from, to, EdgeNext, "", ltail, lhead)
	}
	for _, c := range st.Catch {
		if next := c.Node.Get("Next"); next != nil && next.Kind == load.String {
			to, lhead := b.target(info, next.Text)
			label, full := errorSummary(c.Node.Get("ErrorEquals")), errorList(c.Node.Get("ErrorEquals"))
			e := b.edge(from, to, EdgeCatch, label, ltail, lhead)
			if full != label {
				e.Tooltip = full
			}
		}
	}
	terminal := st.IsEnd() || st.Type == "Succeed" || (st.Type == "Fail" && info.cluster == nil)
	if terminal && info.exit != nil {
		b.edge(from, info.exit, EdgeNext, "", ltail, nil)
	}
}

// target resolves a state name in a scope to the node an edge should point at.
func (b *builder) target(info *scopeInfo, name string) (*Node, *Cluster) {
	st := info.sm.ByName[name]
	if st == nil {
		if n := info.missing[name]; n != nil {
			return n, nil
		}
		n := b.node(NodeMissing, info.cluster)
		n.Name, n.Detail = name, "missing"
		info.missing[name] = n
		return n, nil
	}
	if c := info.comp[st]; c != nil {
		return c.Entry, c
	}
	return info.nodes[st], nil
}

func (b *builder) edge(from, to *Node, kind EdgeKind, label string, ltail, lhead *Cluster) *Edge {
	e := &Edge{From: from, To: to, Kind: kind, Label: label, LTail: ltail, LHead: lhead}
	b.g.Edges = append(b.g.Edges, e)
	return e
}

// assignIDs gives every node and cluster a generated, zero-padded id in creation order, so that
// lexical order (which gographviz sorts by) is creation order.
func (b *builder) assignIDs() {
	w := len(strconv.Itoa(max(len(b.g.Nodes), len(b.g.Clusters))))
	for i, n := range b.g.Nodes {
		n.ID = fmt.Sprintf("n%0*d", w, i)
	}
	for i, c := range b.g.Clusters {
		c.ID = fmt.Sprintf("cluster_%0*d", w, i)
	}
}
