package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-variable-path", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a JSONPath comparison rule has a string Variable (its path syntax is checked by the path rules)",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"StringEquals": "a", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if isJSONataState(st) || !hasComparison(r) {
					return
				}
				v := r.Node.Get("Variable")
				switch {
				case v == nil:
					c.Report(r.Node.Pos, r.Pointer(), "The field 'Variable' is required but was missing (the path of the value the comparison tests)")
				case v.Kind != load.String && !c.Opaque(v):
					c.Report(v.Pos, r.Pointer()+"/Variable", "The field 'Variable' must be a string holding a path, but it is %s", v.Describe())
				}
			})
		},
	})
}
