package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "assign-object", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "Assign (of a state, a choice rule or a Catcher) is an object mapping variable names to values",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": "x", "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "End": true}}}`,
		Check: func(c *Context) {
			for _, a := range allAssigns(c) {
				v := a.Field.Value
				if v.Kind == load.Object || c.Opaque(v) {
					continue
				}
				if _, ok := jsonata.Template(v.Text); ok && v.Kind == load.String && a.State.QueryLanguage == asl.JSONata {
					continue // AWS's verdict on a whole-Assign expression is not known
				}
				c.Report(v.Pos, a.Pointer(), "The field 'Assign' must be an object of variable names and values, but it is %s", v.Describe())
			}
		},
	})
}
