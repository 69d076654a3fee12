package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "no-path-to-terminal", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "from every reachable state some path leads to a terminal state (no inescapable loop)",
		Bad: `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}, ` +
			`"C": {"Type": "Succeed"}}}`,
		Good: `{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 5, "Next": "B"}, "B": {"Type": "Choice", ` +
			`"Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "C"}], "Default": "A"}, "C": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			for _, sc := range c.Machine.Scopes {
				if sc.Start() == nil || !graphKnown(c, sc) || !sc.HasTerminal() || hasUntypedState(sc) || hasDeadEnd(sc) {
					continue
				}
				reportTraps(c, sc)
			}
		},
	})
}

// reportTraps reports the reachable states that cannot reach a terminal state, once per entry into
// such a region: the StartAt state, or a state entered from a state that can still finish.
func reportTraps(c *Context, sc *asl.StateMachine) {
	reach, finish := sc.Reachable(), sc.CanFinish()
	entries := map[*asl.State]bool{}
	if start := sc.Start(); !finish[start] {
		entries[start] = true
	}
	for _, st := range sc.States {
		if !reach[st] || !finish[st] {
			continue
		}
		for _, name := range st.Successors() {
			if next := sc.ByName[name]; next != nil && !finish[next] {
				entries[next] = true
			}
		}
	}
	for _, st := range sc.States {
		if entries[st] && sc.ByName[st.Name] == st {
			c.Report(st.NamePos, st.Pointer(), "No terminal state can be reached from state %q: once the execution gets here it loops until it fails or times out (add a path to a state with \"End\": true, or a Succeed or Fail state)", st.Name)
		}
	}
}
