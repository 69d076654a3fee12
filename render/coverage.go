package render

import "github.com/sfn-tool/sfn/pkg/asl"

// colUncovered draws the states no test case entered.
const colUncovered = "#9ca3af"

// Coverage is what a test suite covered of a machine (sfn test --coverage-profile): covered states
// and transitions are drawn as a traced run draws them (bold, coloured), uncovered states dashed
// and grey.
type Coverage struct {
	States map[string]bool    // state name → entered by some case
	Edges  map[CoverEdge]bool // transition → taken by some case
}

// CoverEdge names a transition: its states and its kind (EdgeNext, EdgeChoice, EdgeDefault,
// EdgeCatch).
type CoverEdge struct {
	From, To string
	Kind     EdgeKind
}

// coverState is the state a node stands for: its own, or the Parallel / Map state of a fork or
// join point.
func coverState(n *Node) *asl.State {
	switch {
	case n.State != nil:
		return n.State
	case (n.Kind == NodeFork || n.Kind == NodeJoin) && n.Cluster != nil:
		for c := n.Cluster; c != nil; c = c.Parent {
			if c.State != nil {
				return c.State
			}
		}
	}
	return nil
}

func applyCoverage(g *Graph, cov *Coverage) {
	for _, n := range g.Nodes {
		if st := coverState(n); st != nil {
			if cov.States[st.Name] {
				n.Visited = true
			} else if n.Kind == NodeState {
				n.Uncovered = true
			}
		}
	}
	for _, c := range g.Clusters {
		if c.State != nil && cov.States[c.State.Name] {
			c.Visited = true
		}
	}
	for _, e := range g.Edges {
		from, to := coverState(e.From), coverState(e.To)
		switch {
		case from != nil && to != nil:
			kind := e.Kind
			e.Taken = cov.Edges[CoverEdge{from.Name, to.Name, kind}]
			// Into or out of a Parallel / Map: the scope's entry and exit.
			if !e.Taken && (from == to || from.Scope != to.Scope) {
				e.Taken = cov.States[from.Name] && cov.States[to.Name]
			}
		case from != nil: // to the End marker
			e.Taken = e.To.Kind == NodeEnd && cov.States[from.Name]
		case to != nil: // from the Start marker
			e.Taken = e.From.Kind == NodeStart && cov.States[to.Name]
		}
		if e.Taken {
			e.From.Visited, e.To.Visited = true, true
		}
	}
}
