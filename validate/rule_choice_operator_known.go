package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-operator-known", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a choice rule has only known fields: the 39 comparison operators, Variable, And, Or, Not, Next, Comment, Assign (JSONata: Condition, Output)",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringContains": "a", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringMatches": "*a*", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if r.Node == nil || r.Node.Kind != load.Object {
					return
				}
				for _, f := range r.Node.Fields {
					_, op := asl.ComparisonOperators[f.Key]
					_, known := asl.ChoiceRuleFields[f.Key]
					if !op && !known {
						c.Report(f.KeyPos, r.Pointer(), "Field '%s' is not supported in a choice rule%s", f.Key, choiceOperatorHint(f.Key))
					}
				}
			})
		},
	})
}

// choiceOperatorHint suggests the operator a misspelt one probably meant.
func choiceOperatorHint(key string) string {
	for op := range asl.ComparisonOperators {
		if strings.EqualFold(op, key) {
			return ": did you mean '" + op + "'?"
		}
	}
	for name := range asl.ChoiceRuleFields {
		if strings.EqualFold(name, key) {
			return ": did you mean '" + name + "'?"
		}
	}
	return " (not a comparison operator: use StringEquals, StringMatches, NumericLessThan, BooleanEquals, TimestampEquals, IsPresent, … or And, Or, Not)"
}
