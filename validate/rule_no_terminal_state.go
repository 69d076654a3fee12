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
