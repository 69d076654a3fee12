package validate

func init() {
	register(&Rule{
		ID: "variable-reserved-states", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "no state assigns the reserved variable name 'states' (it holds $states.input, $states.result, ...)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"states": 1}, "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"state": 1}, "End": true}}}`,
		Check: func(c *Context) {
			for _, v := range assignedVars(c) {
				if v.Name == "states" {
					c.Report(v.Key.KeyPos, v.Assign.Pointer()+"/"+v.Key.Key, "The variable name 'states' is reserved: Step Functions provides $states (input, context, result, errorOutput); choose another name")
				}
			}
		},
	})
}
