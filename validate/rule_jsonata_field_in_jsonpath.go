package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "jsonata-field-in-jsonpath", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a JSONPath state does not use JSONata-only fields (Output, Arguments, Items)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"x": 1}, "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"x": 1}, "End": true}}}`,
		Check:   func(c *Context) { checkLanguageFields(c, asl.JSONPath) },
	})
}
