package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "no-terminal-state", Severity: Error, AWSCode: "MISSING_END_STATE",
		Summary: "the state machine, every Parallel branch and every Map processor has a terminal state (\"End\": true, Succeed or Fail)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`,
		Check: func(c *Context) {
			for _, sc := range c.Machine.Scopes {
				states := statesNode(sc)
				if states == nil || !graphKnown(c, sc) || sc.HasTerminal() {
					continue
				}
				if hasUntypedState(sc) {
					continue // a state without a valid Type might have been terminal (state-type reports it)
				}
				if c.ruleActive("next-xor-end") && hasUnfinishedState(sc) {
					continue // a state with neither Next nor End was likely meant to end (next-xor-end reports it)
				}
				where := ""
				if sc.Parent != nil {
					where = " in " + scopeLabel(sc)
				}
				c.Report(sc.Node.Field("States").KeyPos, scopePointer(sc), "Workflow has no terminal state%s: add a state with \"End\": true, or a Succeed or Fail state", where)
			}
		},
	})
}

// hasUntypedState reports whether some state of the scope lacks a valid Type.
func hasUntypedState(sc *asl.StateMachine) bool {
	for _, st := range sc.States {
		if !asl.IsStateType(st.Type) {
			return true
		}
	}
	return false
}

// hasUnfinishedState reports whether some state of the scope that needs Next or End has neither.
func hasUnfinishedState(sc *asl.StateMachine) bool {
	for _, st := range sc.States {
		switch st.Type {
		case "Choice", "Succeed", "Fail":
			continue
		}
		if !st.Has("Next") && !st.Has("End") {
			return true
		}
	}
	return false
}
