package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-rule-assign-output", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a rule of Choices may have Assign (both languages) and Output (JSONata only); rules nested in And/Or/Not have neither",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Output": {"a": 1}, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Assign": {"a": 1}, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if r.Node == nil || r.Node.Kind != load.Object {
					return
				}
				for _, name := range []string{"Assign", "Output"} {
					f := r.Node.Field(name)
					switch {
					case f == nil:
					case !r.TopLevel:
						c.Report(f.KeyPos, r.Pointer(), "Field '%s' is not supported in a rule nested in And, Or or Not (only the rules of Choices can have it)", name)
					case name == "Output" && !isJSONataState(st) && !languageMisplaced(st):
						c.Report(f.KeyPos, r.Pointer(), "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage")
					}
				}
			})
		},
	})
}
