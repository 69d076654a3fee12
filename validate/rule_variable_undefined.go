package validate

import (
	"strconv"

	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "variable-undefined", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "every variable an expression reads ($name in JSONata, a $name path in JSONPath) is assigned by a state that can run before it, in its scope or an enclosing one",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"count": 1}, "Next": "B"}, "B": {"Type": "Pass", "Output": "{% $cuont %}", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"count": 1}, "Next": "B"}, "B": {"Type": "Pass", "Output": "{% $count %}", "End": true}}}`,
		Check: func(c *Context) {
			vars := assignedVars(c)
			anywhere := map[string]*asl.State{}
			for _, v := range vars {
				if _, ok := anywhere[v.Name]; !ok {
					anywhere[v.Name] = v.Assign.State
				}
			}
			if hasOpaqueAssign(c) {
				return // a placeholder Assign may define anything
			}
			refs := varRefs(c)
			qs := make([]varQuery, len(refs))
			for i, r := range refs {
				qs[i] = varQuery{r.Expr.State, r.Name}
			}
			visible := newVarVisibility(c.Machine, vars).visibleAll(c.Machine, qs)
			type refKey struct {
				e    *asl.Expr
				name string
			}
			reported := map[refKey]bool{}
			for i, r := range refs {
				st := r.Expr.State
				if visible[i] || reported[refKey{r.Expr, r.Name}] {
					continue
				}
				reported[refKey{r.Expr, r.Name}] = true
				c.Report(r.Expr.Node.Pos, r.Expr.Pointer(), "Variable '$%s' is not assigned before state %q runs%s", r.Name, st.Name, undefinedHint(st, anywhere[r.Name]))
			}
		},
	})
}

// undefinedHint explains why a variable assigned somewhere is still not visible.
func undefinedHint(st, by *asl.State) string {
	switch {
	case by == nil:
		return ": no state assigns it (a typo?)"
	case by == st:
		return ": state " + strconv.Quote(st.Name) + " assigns it itself, but Assign takes effect only after the state, and nothing loops back to it"
	case by.Scope == st.Scope:
		return ": it is assigned only by state " + strconv.Quote(by.Name) + ", which cannot run before it"
	}
	return ": it is assigned only by state " + strconv.Quote(by.Name) + " in another scope (outer scopes and sibling Parallel branches or Map processors do not see variables assigned inside a branch or processor)"
}

// hasOpaqueAssign reports an Assign that is a deploy-time placeholder.
func hasOpaqueAssign(c *Context) bool {
	for _, a := range allAssigns(c) {
		if c.Opaque(a.Field.Value) {
			return true
		}
	}
	return false
}
