package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "resultpath-no-variable", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ResultPath does not refer to a variable ($name); assign variables with Assign",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$result", "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Assign": {"result.$": "$"}, "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				if exprFieldAllowed(e) && rpRootRestriction(e) == "variable" {
					c.Report(e.Node.Pos, e.Pointer(), "Value is not a valid ResultPath: '%s' refers to a variable; ResultPath must start with '$' followed by '.' or '[' (set variables with Assign)", e.Node.Text)
				}
			})
		},
	})
}
