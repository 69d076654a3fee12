package validate

import "github.com/sfn-tool/sfn/pkg/intrinsic"

func init() {
	register(&Rule{
		ID: "intrinsic-arity", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "intrinsic functions get the number of arguments they take (States.MathAdd 2, States.UUID none, ...)",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.a, 1, 2)"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.a, 1)"}, "End": true}}}`,
		Check:   func(c *Context) { exprProblems(c, intrinsic.CategoryArity) },
	})
}
