package validate

import "sort"

func init() {
	register(&Rule{
		ID: "variable-outer-scope-assign", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a state inside a Parallel branch or an inline Map processor does not assign a variable that an enclosing scope assigns",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "P"}, "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"n": 2}, "End": true}}}], "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "P"}, "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"m": 2}, "End": true}}}], "End": true}}}`,
		Check: func(c *Context) {
			// Only the innermost enclosing state needs asking: what runs before an outer state also
			// runs before every state nested in it.
			vars := assignedVars(c)
			var qs []varQuery
			var which []assignedVar
			for _, v := range vars {
				outer := v.Assign.State.Scope.Parent
				if outer == nil || isDistributedMap(outer) {
					continue // child workflows of a Distributed Map have their own variables
				}
				qs = append(qs, varQuery{outer, v.Name})
				which = append(which, v)
			}
			vis := newVarVisibility(c.Machine, vars)
			visible := vis.visibleAll(c.Machine, qs)
			order := make([]int, len(which))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool { return which[order[a]].Name < which[order[b]].Name }) // one variable at a time
			for _, i := range order {
				v := which[i]
				if !visible[i] {
					continue
				}
				outer := qs[i].st
				if by := vis.before(outer, v.Name); by != nil {
					c.Report(v.Key.KeyPos, v.Assign.Pointer()+"/"+v.Key.Key, "Variable '%s' is assigned in an outer scope (by state %q, which runs before %s %q): states inside it cannot assign the same name; use another name", v.Name, by.Name, article(outer.Type), outer.Name)
				}
			}
		},
	})
}
