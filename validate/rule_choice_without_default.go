package validate

func init() {
	register(&Rule{
		ID: "choice-without-default", Severity: Info, AWSCode: "SFN_LINT",
		Summary: "a Choice state has a Default, so that no input makes it fail with States.NoChoiceMatched",
		Bad: `{"StartAt": "C", "States": {"C": {"Type": "Choice", ` +
			`"Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "S"}]}, "S": {"Type": "Succeed"}}}`,
		Good: `{"StartAt": "C", "States": {"C": {"Type": "Choice", ` +
			`"Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "S"}], "Default": "S"}, "S": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if st.Type != "Choice" || st.Has("Default") {
					continue
				}
				c.Report(st.NamePos, st.Pointer(), "Choice state %q has no 'Default': when no rule matches, the execution fails with States.NoChoiceMatched", st.Name)
			}
		},
	})
}
