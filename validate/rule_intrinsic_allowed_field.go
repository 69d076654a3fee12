package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "intrinsic-allowed-field", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "intrinsic functions appear only in payload templates ('key.$' fields of Parameters, ResultSelector, ItemSelector, …), JSONPath Assign and a Fail state's ErrorPath/CausePath — not in InputPath, OutputPath, ResultPath, Choice Variable or other …Path fields",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "States.StringToJson($.body)", "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"body.$": "States.StringToJson($.body)"}, "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				switch e.Kind {
				case asl.KindPath, asl.KindReferencePath, asl.KindResultPath:
				default:
					return
				}
				if exprFieldAllowed(e) && exprIsCall(e) {
					c.Report(e.Node.Pos, e.Pointer(), "Intrinsic functions are not allowed in '%s', which takes a path; use them in a payload template field ending in '.$' (Parameters, ResultSelector, ItemSelector), in Assign, or in a Fail state's ErrorPath/CausePath", e.Key)
				}
			})
		},
	})
}
