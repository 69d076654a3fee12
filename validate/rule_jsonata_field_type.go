package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "jsonata-field-type", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "in a JSONata state, Arguments is an object or a \"{% %}\" expression (numeric fields such as TimeoutSeconds, Seconds, MaxConcurrency are checked by their own rules)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "xyz", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}", "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != asl.JSONata || !asl.FieldAllowed(st.Type, "Arguments") {
					continue
				}
				v := st.Field("Arguments")
				if v == nil || v.Kind == load.Object || c.Opaque(v) {
					continue
				}
				if _, ok := jsonata.Template(v.Text); ok && v.Kind == load.String {
					continue
				}
				c.Report(v.Pos, st.Pointer()+"/Arguments", "The field 'Arguments' must be an object or a JSONata expression \"{%% ... %%}\", but it is %s", v.Describe())
			}
		},
	})
}
