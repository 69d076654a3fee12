package validate

import (
	"sort"
	"strconv"

	suggestpkg "github.com/sfn-tool/sfn/internal/suggest"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Helpers shared by the document, common-state and graph rules (§3.1–§3.3 of the rule catalogue).

// flowTypes are the state types that must have exactly one of Next / "End": true.
var flowTypes = map[string]bool{"Task": true, "Wait": true, "Pass": true, "Parallel": true, "Map": true}

// scopeLabel names a scope for messages: "the state machine", "branch 0 of Parallel state \"P\"", ….
func scopeLabel(sc *asl.StateMachine) string {
	if sc.Parent == nil {
		return "the state machine"
	}
	if sc.Parent.Type == "Map" {
		return "the processor of Map state \"" + sc.Parent.Name + "\""
	}
	for i, b := range sc.Parent.Branches {
		if b == sc {
			return "branch " + strconv.Itoa(i) + " of Parallel state \"" + sc.Parent.Name + "\""
		}
	}
	return "a branch of Parallel state \"" + sc.Parent.Name + "\""
}

// scopePointer is the AWS-style location of a scope ("/" for the root).
func scopePointer(sc *asl.StateMachine) string {
	if sc.Pointer() == "" {
		return "/"
	}
	return sc.Pointer()
}

// statesNode returns the scope's States object, or nil when it is missing or not an object.
func statesNode(sc *asl.StateMachine) *load.Node {
	n := sc.Node.Get("States")
	if n == nil || n.Kind != load.Object {
		return nil
	}
	return n
}

// graphKnown reports whether the transitions of a scope can be followed with certainty:
// every state is an object, every End is a boolean, and no transition target or End is a
// deploy-time placeholder.
func graphKnown(c *Context, sc *asl.StateMachine) bool {
	if statesNode(sc) == nil {
		return false
	}
	if !c.Opts.StrictPlaceholders && sc.TransitionsOpaque() {
		return false
	}
	for _, st := range sc.States {
		if st.Node == nil || st.Node.Kind != load.Object {
			return false
		}
		if end := st.Field("End"); end != nil && end.Kind != load.Bool {
			return false // end-boolean reports it; the state may have been meant as terminal
		}
	}
	return true
}

// suggest returns " (did you mean 'X'?)" when name is a likely misspelling of one of the
// candidates (internal/suggest decides), else "".
func suggest(name string, candidates []string) string {
	if best, ok := suggestpkg.Closest(name, candidates); ok {
		return " (did you mean '" + best + "'?)"
	}
	return ""
}

// sortedKeys returns the keys of a set, for suggestions.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// hasDeadEnd reports whether a Task, Pass, Wait, Parallel or Map state of the scope has neither a
// string Next nor "End": true (next-xor-end reports it), or some transition names no state of the
// scope (next-target-exists reports it).
func hasDeadEnd(sc *asl.StateMachine) bool {
	for _, st := range sc.States {
		if _, ok := st.NextName(); flowTypes[st.Type] && !ok && !st.IsEnd() {
			return true
		}
		for _, name := range st.Successors() {
			if sc.ByName[name] == nil {
				return true
			}
		}
	}
	return false
}
