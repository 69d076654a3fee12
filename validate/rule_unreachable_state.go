package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "unreachable-state", Severity: Error, AWSCode: "MISSING_TRANSITION_TARGET",
		Summary: "every state can be reached from its scope's StartAt by following Next, Choices, Default and Catch (not reported in a scope with a missing Next target: next-target-exists names the states it cuts off)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			var sups []Suppression
			read := false
			suppressions := func() []Suppression {
				if !read {
					sups, read = Suppressions(c.Machine), true
				}
				return sups
			}
			for _, sc := range c.Machine.Scopes {
				// AWS skips the walk when the scope has no terminal state (MISSING_END_STATE); an unknown
				// StartAt or a placeholder transition makes the walk meaningless.
				if sc.Start() == nil || !graphKnown(c, sc) || !sc.HasTerminal() {
					continue
				}
				// A transition to a missing state is the root cause: next-target-exists reports it
				// once and names the states it cuts off.
				if c.ruleActive("next-target-exists") && len(reportedDangling(c, sc, suppressions)) > 0 {
					continue
				}
				seen := sc.Reachable()
				for _, st := range sc.States {
					if seen[st] || st.Node.Kind != load.Object || sc.ByName[st.Name] != st {
						continue
					}
					c.Report(st.NamePos, st.Pointer(), "State %q is not reachable (no path leads to it from StartAt %q of %s).", st.Name, sc.StartAt.Text, scopeLabel(sc))
				}
			}
		},
	})
}
