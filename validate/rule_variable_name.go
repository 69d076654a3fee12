package validate

func init() {
	register(&Rule{
		ID: "variable-name", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "each variable name assigned is a Unicode identifier (a letter or _, then letters, digits, _) of at most 80 characters",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"my-var": 1}, "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"my_var": 1}, "End": true}}}`,
		Check: func(c *Context) {
			for _, v := range assignedVars(c) {
				if !validVarName(v.Name) {
					c.Report(v.Key.KeyPos, v.Assign.Pointer()+"/"+v.Key.Key, "Invalid variable name '%s': a variable name must be a Unicode identifier (start with a letter or '_', continue with letters, digits or '_') of at most %d characters", v.Name, maxVarName)
				}
			}
		},
	})
}
