package validate

import "github.com/sfn-tool/sfn/pkg/intrinsic"

func init() {
	register(&Rule{
		ID: "intrinsic-known", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "intrinsic function names are one of the 18 States.* functions",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.StringConcat($.a, $.b)"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.Format('{}{}', $.a, $.b)"}, "End": true}}}`,
		Check:   func(c *Context) { exprProblems(c, intrinsic.CategoryUnknown) },
	})
}
