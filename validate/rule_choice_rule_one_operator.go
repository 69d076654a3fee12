package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-rule-one-operator", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "each JSONPath choice rule has exactly one comparison operator or one of And, Or, Not",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "IsPresent": true, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if isJSONataState(st) || r.Node == nil || r.Node.Kind != load.Object {
					return // JSONata rules: choice-condition
				}
				ops := ruleOperators(r)
				switch {
				case len(ops) > 1:
					c.Report(r.Node.Field(ops[1]).KeyPos, r.Pointer(), "Each Choice Rule can only have one comparison operator, but this one has %s", strings.Join(ops, ", "))
				case len(ops) == 0 && !choiceHasForeignField(r.Node):
					c.Report(r.Node.Pos, r.Pointer(), "A choice rule needs a comparison operator (such as StringEquals, NumericGreaterThan or IsPresent) with 'Variable', or one of And, Or, Not")
				}
			})
		},
	})
}

// choiceHasForeignField reports whether a JSONPath rule has a field that is neither an operator nor a
// JSONPath rule field (unknown operators and Condition are other rules' findings).
func choiceHasForeignField(n *load.Node) bool {
	for _, f := range n.Fields {
		_, op := asl.ComparisonOperators[f.Key]
		lang, known := asl.ChoiceRuleFields[f.Key]
		if !op && (!known || lang == asl.JSONata) {
			return true
		}
	}
	return false
}
