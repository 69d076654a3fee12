package validate

import (
	"strconv"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "and-or-not-shape", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "And and Or are non-empty arrays of choice rules; Not is one choice rule (an object)",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"And": [], "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.x", "IsPresent": true}], "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if isJSONataState(st) || r.Node == nil || r.Node.Kind != load.Object {
					return // in JSONata And/Or/Not are choice-condition's
				}
				for _, op := range []string{"And", "Or"} {
					checkRuleList(c, r, op)
				}
				if n := r.Node.Get("Not"); n != nil && n.Kind != load.Object && !c.Opaque(n) {
					c.Report(n.Pos, r.Pointer()+"/Not", "The field 'Not' must be a single choice rule (an object), but it is %s", n.Describe())
				}
			})
		},
	})
}

// checkRuleList checks that field op of a rule is a non-empty array of objects.
func checkRuleList(c *Context, r *asl.ChoiceRule, op string) {
	n := r.Node.Get(op)
	if n == nil || c.Opaque(n) {
		return
	}
	loc := asl.At(r, "/"+op)
	switch {
	case n.Kind != load.Array:
		c.Report(n.Pos, loc.Pointer(), "The field '%s' must be a non-empty array of choice rules, but it is %s", op, n.Describe())
	case len(n.Items) == 0:
		c.Report(n.Pos, loc.Pointer(), "The field '%s' must contain at least one choice rule, but it is empty", op)
	default:
		for i, it := range n.Items {
			if it.Kind != load.Object && !c.Opaque(it) {
				c.Report(it.Pos, loc.Sub("["+strconv.Itoa(i)+"]").Pointer(), "A choice rule in '%s' must be an object, but it is %s", op, it.Describe())
			}
		}
	}
}
