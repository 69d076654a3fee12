package validate

import "github.com/sfn-tool/sfn/pkg/intrinsic"

func init() {
	register(&Rule{
		ID: "intrinsic-literal-args", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "literal intrinsic arguments have usable types and values (Hash algorithm, integer MathAdd/ArrayRange arguments, Format placeholder count, ...); they fail at run time otherwise",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.Hash($.data, 'SHA-2')"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.Hash($.data, 'SHA-256')"}, "End": true}}}`,
		Check:   func(c *Context) { exprProblems(c, intrinsic.CategoryLiteral) },
	})
}
