package validate

import "github.com/sfn-tool/sfn/pkg/jsonata"

func init() {
	register(&Rule{
		ID: "jsonata-unknown-function", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "JSONata expressions call only JSONata 2.0 built-ins and the Step Functions functions ($partition, $range, $hash, $random, $uuid, $parse); $eval is not supported",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $eval($states.input.code) %}", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $parse($states.input.json) %}", "End": true}}}`,
		Check: func(c *Context) {
			for _, e := range jsonataExprs(c) {
				for _, f := range e.JSONata.FunctionCalls() {
					switch {
					case jsonata.UnsupportedByAWS(f.Name):
						c.Report(e.Node.Pos, e.Pointer(), "Function '$%s' is not supported by Step Functions: the expression fails at run time", f.Name)
					case !jsonata.KnownFunction(f.Name):
						c.Report(e.Node.Pos, e.Pointer(), "Unknown function '$%s': not a JSONata 2.0 built-in nor a Step Functions function ($partition, $range, $hash, $random, $uuid, $parse)", f.Name)
					}
				}
			}
		},
	})
}
