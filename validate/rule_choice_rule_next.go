package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-rule-next", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "each rule of Choices has a string Next; rules nested in And/Or/Not have none",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if r.Node == nil || r.Node.Kind != load.Object {
					return
				}
				next := r.Node.Field("Next")
				switch {
				case !r.TopLevel && next != nil:
					c.Report(next.KeyPos, r.Pointer(), "Field 'Next' is not supported in a rule nested in And, Or or Not (only the rules of Choices have 'Next')")
				case !r.TopLevel:
				case next == nil:
					c.Report(r.Node.Pos, r.Pointer(), "The field 'Next' is required but was missing (the state to go to when this rule matches)")
				case next.Value.Kind != load.String && !c.Opaque(next.Value):
					c.Report(next.Value.Pos, r.Pointer()+"/Next", "The field 'Next' must be a string naming a state, but it is %s", next.Value.Describe())
				}
			})
		},
	})
}
