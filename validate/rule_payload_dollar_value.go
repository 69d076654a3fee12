package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "payload-dollar-value", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "the value of a payload-template field whose name ends in '.$' is a string holding a Path ($, $$ or $variable) or an intrinsic function call",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"total.$": "total"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"total.$": "$.total"}, "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				// A malformed intrinsic call is intrinsic-syntax's finding.
				if e.Kind != asl.KindPayload || exprIsCall(e) {
					return
				}
				se := exprSyntaxError(e)
				if se == nil {
					return
				}
				pos, detail := exprPosAt(c, e.Node, se.Offset), se.Message
				if e.Node.Kind != load.String {
					pos, detail = e.Node.Pos, "it is "+e.Node.Describe()
				}
				c.Report(pos, exprPayloadLocation(e), "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call: %s", e.Key, detail)
			})
		},
	})
}
