package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "duplicate-state-name", Severity: Error, AWSCode: "DUPLICATE_STATE_NAME",
		Summary: "state names are unique across the whole state machine, including Parallel branches and Map processors",
		Bad: `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [` +
			`{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}}}`,
		Good: `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [` +
			`{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}}}`,
		Check: func(c *Context) {
			first := map[string]*asl.State{}
			for _, st := range c.Machine.All {
				prev, seen := first[st.Name]
				if !seen {
					first[st.Name] = st
					continue
				}
				if prev.Scope == st.Scope {
					continue // a duplicate key in one object: duplicate-key reports it
				}
				c.Report(st.NamePos, st.Pointer(), "Duplicate State name: %s (also defined at %s); state names must be unique across the whole state machine, including Parallel branches and Map processors", st.Name, prev.Pointer())
			}
		},
	})
}
