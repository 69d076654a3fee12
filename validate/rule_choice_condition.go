package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-condition", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "JSONata choice rules have a Condition (boolean or {% %}) and no Variable, operators, And/Or/Not; JSONPath rules have no Condition",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Condition": "{% $exists($states.input.x) %}", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if r.Node == nil || r.Node.Kind != load.Object || languageMisplaced(st) {
					return
				}
				if isJSONataState(st) {
					checkJSONataRule(c, st, r)
				} else if f := r.Node.Field("Condition"); f != nil {
					c.Report(f.KeyPos, r.Pointer(), "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage")
				}
			})
		},
	})
}

// checkJSONataRule checks one rule of a JSONata Choice state.
func checkJSONataRule(c *Context, st *asl.State, r *asl.ChoiceRule) {
	for _, f := range r.Node.Fields {
		_, op := asl.ComparisonOperators[f.Key]
		if op || asl.ChoiceRuleFields[f.Key] == asl.JSONPath {
			c.Report(f.KeyPos, r.Pointer(), "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage (JSONata rules test a 'Condition')", f.Key)
		}
	}
	if !r.TopLevel {
		return
	}
	cond := r.Node.Get("Condition")
	switch {
	case cond == nil:
		c.Report(r.Node.Pos, r.Pointer(), "The field 'Condition' is required but was missing (a JSONata choice rule needs a boolean or a {%% ... %%} expression)")
	case cond.Kind == load.Bool || skipValue(c, st, cond):
	default:
		c.Report(cond.Pos, r.Pointer()+"/Condition", "The field 'Condition' must be a boolean or a JSONata expression string {%% ... %%}, but it is %s", cond.Describe())
	}
}
