package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "resultpath-no-context", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ResultPath does not start with $$ (the Context Object is read-only)",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$$.Execution.x", "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$.x", "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				if exprFieldAllowed(e) && rpRootRestriction(e) == "context" {
					c.Report(e.Node.Pos, e.Pointer(), "Value is not a valid ResultPath: '%s' cannot write into the Context Object ($$); use a path starting with '$.'", e.Node.Text)
				}
			})
		},
	})
}
