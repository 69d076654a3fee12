package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "intrinsic-syntax", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "an intrinsic function call is well formed: balanced parentheses and quotes, comma-separated arguments, single-quoted strings with only the escapes \\' \\{ \\} \\\\",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"msg.$": "States.Format('Hello \\\"{}\\\"', $.name)"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"msg.$": "States.Format('Hello \\'{}\\'', $.name)"}, "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				if e.Kind != asl.KindPayload && e.Kind != asl.KindErrorPath || !exprIsCall(e) {
					return
				}
				se := exprSyntaxError(e)
				if se == nil {
					return
				}
				what := "a valid JSONPath or a valid intrinsic function call"
				if e.Kind == asl.KindErrorPath {
					what = "a valid Reference Path or a valid intrinsic function call"
				}
				c.Report(exprPosAt(c, e.Node, se.Offset), exprLocation(e), "The value for the field '%s' must be %s: %s", e.Key, what, se.Message)
			})
		},
	})
}
