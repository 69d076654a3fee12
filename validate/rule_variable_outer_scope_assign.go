package validate

import "sort"

func init() {
	register(&Rule{
		ID: "variable-outer-scope-assign", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a state inside a Parallel branch or an inline Map processor does not assign a variable that an enclosing scope assigns",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "P"}, "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"n": 2}, "End": true}}}], "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "P"}, "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"m": 2}, "End": true}}}], "End": true}}}`,
		Check: func(c *Context) {
			vars := assignedVars(c)
			vis := newVarVisibility(c.Machine, vars)
			sort.SliceStable(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name }) // one variable at a time
			for _, v := range vars {
				st := v.Assign.State
				for _, outer := range outerStates(st.Scope) {
					if isDistributedMap(outer) {
						break // child workflows of a Distributed Map have their own variables
					}
					if by := vis.before(outer, v.Name); by != nil {
						c.Report(v.Key.KeyPos, v.Assign.Pointer()+"/"+v.Key.Key, "Variable '%s' is assigned in an outer scope (by state %q, which runs before %s %q): states inside it cannot assign the same name; use another name", v.Name, by.Name, article(outer.Type), outer.Name)
						break
					}
				}
			}
		},
	})
}
