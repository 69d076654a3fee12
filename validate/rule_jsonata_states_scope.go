package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "jsonata-states-scope", Severity: Error, AWSCode: "UNSUPPORTED_JSONATA_EXPRESSION",
		Summary: "$states.errorOutput is read only in a Catcher's Output/Assign; $states.result only in the Output/Assign of a Task, Parallel or Map (never in Arguments)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"}, "Output": "{% $states.errorOutput %}", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"}, "Output": "{% $states.result.Payload %}", "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "F"}], "End": true}, "F": {"Type": "Fail"}}}`,
		Check: func(c *Context) {
			for _, e := range jsonataExprs(c) {
				for _, v := range e.JSONata.Variables() {
					if v.Name == "states" {
						checkStatesField(c, e, v.Field)
					}
				}
			}
		},
	})
}

// resultStates are the state types that have a result ($states.result).
var resultStates = map[string]bool{"Task": true, "Parallel": true, "Map": true}

// checkStatesField reports a $states field read where Step Functions does not provide it. AWS refuses
// $states.errorOutput outside a Catcher at create time; the spec forbids $states.result in Arguments.
// $states.result in a state type without a result (Pass, Wait, Choice, Succeed) is an error (AWS documents
// it for Task, Parallel and Map only); elsewhere in those states (a Catcher, Items, ...) it evaluates to
// nothing at run time: a warning, as AWS's create-time behaviour is not known.
func checkStatesField(c *Context, e *asl.Expr, field string) {
	sub := subField(e)
	outputOrAssign := sub == "Output" || sub == "Assign"
	switch field {
	case "errorOutput":
		if e.Catcher == nil || !outputOrAssign {
			c.Report(e.Node.Pos, e.Pointer(), "$states.errorOutput is not available in field '%s' of %s state: it can only be read in the Output or Assign of a Catcher", fieldLabel(e), article(e.State.Type))
		}
	case "result":
		switch {
		case e.Catcher != nil:
			c.ReportSoft(e.Node.Pos, e.Pointer(), "$states.result is not available in a Catcher: the state failed, read the error with $states.errorOutput")
		case e.Field == "Arguments":
			c.Report(e.Node.Pos, e.Pointer(), "$states.result cannot be read in Arguments: the result does not exist before the task runs; it is available in the state's Output and Assign")
		case !resultStates[e.State.Type]:
			c.Report(e.Node.Pos, e.Pointer(), "$states.result is not available in %s state: only Task, Parallel and Map states have a result (read the state's input with $states.input)", article(e.State.Type))
		case e.Rule != nil || !outputOrAssign:
			c.ReportSoft(e.Node.Pos, e.Pointer(), "$states.result is not available in field '%s' of %s state: it exists only in the Output and Assign of a Task, Parallel or Map state (it evaluates to nothing here)", fieldLabel(e), article(e.State.Type))
		}
	}
}

// subField returns the field directly holding an expression: the state field, or for expressions in a
// Catcher or a choice rule the field of that Catcher or rule ("Output", "Assign", "Condition").
func subField(e *asl.Expr) string {
	if e.Catcher == nil && e.Rule == nil {
		return e.Field
	}
	return e.BaseField()
}

// fieldLabel names the field holding an expression: "Output", "Choices[0]/Condition", ...
func fieldLabel(e *asl.Expr) string {
	rest := e.Pointer()[len(e.State.Pointer()):]
	if len(rest) > 0 && rest[0] == '/' {
		rest = rest[1:]
	}
	if rest == "" {
		return e.Field
	}
	return rest
}
