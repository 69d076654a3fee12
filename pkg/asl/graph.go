package asl

import "github.com/sfn-tool/sfn/pkg/load"

// Graph facts of a scope, computed once by Build and shared by every rule, the renderer and the
// interpreter. After Build the model is read-only, so rules may run concurrently.

// Start returns the scope's StartAt state, or nil when StartAt is missing or names no state of the scope.
func (sc *StateMachine) Start() *State {
	if sc.StartAt == nil || sc.StartAt.Kind != load.String {
		return nil
	}
	return sc.ByName[sc.StartAt.Text]
}

// Next returns the states of its scope a state can transition to (Successors resolved; unknown names
// dropped), computed once by Build; the slice is shared, do not modify it.
func (s *State) Next() []*State { return s.next }

// Reachable returns the states reachable from the scope's StartAt.
func (sc *StateMachine) Reachable() map[*State]bool {
	if sc.reachable != nil {
		return sc.reachable
	}
	seen := make(map[*State]bool, len(sc.States))
	if start := sc.Start(); start != nil {
		stack := []*State{start}
		seen[start] = true
		for len(stack) > 0 {
			st := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, next := range st.Next() {
				if !seen[next] {
					seen[next] = true
					stack = append(stack, next)
				}
			}
		}
	}
	sc.reachable = seen
	return seen
}

// CanFinish returns the states of the scope from which a terminal state (End, Succeed, Fail) is reachable.
func (sc *StateMachine) CanFinish() map[*State]bool {
	if sc.canFinish != nil {
		return sc.canFinish
	}
	preds := make(map[*State][]*State, len(sc.States))
	ok := make(map[*State]bool, len(sc.States))
	var stack []*State
	for _, st := range sc.States {
		for _, next := range st.Next() {
			preds[next] = append(preds[next], st)
		}
		if st.IsTerminal() && !ok[st] {
			ok[st] = true
			stack = append(stack, st)
		}
	}
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range preds[st] {
			if !ok[p] {
				ok[p] = true
				stack = append(stack, p)
			}
		}
	}
	sc.canFinish = ok
	return ok
}

// TransitionsOpaque reports whether a transition of the scope is a placeholder (IsPlaceholder): a
// state's Type, Next, End, Default, Choices or Catch field, a choice rule or its Next, a Catcher or
// its Next. Build computes it once; rules then treat the scope's graph as unknown.
func (sc *StateMachine) TransitionsOpaque() bool { return sc.opaque }

// transitionsOpaque computes TransitionsOpaque.
func (sc *StateMachine) transitionsOpaque() bool {
	for _, st := range sc.States {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		for _, name := range []string{"Type", "Next", "End", "Default", "Choices", "Catch"} {
			if IsPlaceholder(st.Node.Get(name)) {
				return true
			}
		}
		for _, r := range st.Choices {
			if IsPlaceholder(r.Node) || IsPlaceholder(r.Node.Get("Next")) {
				return true
			}
		}
		for _, cc := range st.Catch {
			if IsPlaceholder(cc.Node) || IsPlaceholder(cc.Node.Get("Next")) {
				return true
			}
		}
	}
	return false
}

// HasTerminal reports whether the scope has at least one terminal state.
func (sc *StateMachine) HasTerminal() bool {
	for _, st := range sc.States {
		if st.IsTerminal() {
			return true
		}
	}
	return false
}
