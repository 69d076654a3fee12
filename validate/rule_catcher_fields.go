package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "catcher-fields", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "Catch is an array of Catchers with ErrorEquals and Next, plus Comment, Assign and ResultPath (JSONPath) or Output (JSONata)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Catch": [{"ErrorEquals": ["States.ALL"]}], "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "End": true}, "F": {"Type": "Fail"}}}`,
		Check: func(c *Context) {
			checkHandlerList(c, "Catch", "Catcher")
			for _, h := range handlersOf(c, "Catch") {
				checkCatcher(c, h)
			}
		},
	})
}

// checkCatcher checks the fields of one Catcher (ErrorEquals is errorequals-nonempty's).
func checkCatcher(c *Context, h errorHandler) {
	n := h.Node
	subFields(c, h.State, n, asl.At(h.At, ""), asl.CatcherFields)
	next := n.Get("Next")
	switch {
	case next == nil:
		c.Report(n.Pos, h.Pointer(), "The field 'Next' is required but was missing: a Catcher names the state to go to")
	case next.Kind != load.String && !c.Opaque(next):
		c.Report(next.Pos, h.Pointer()+"/Next", "The field 'Next' must be a state name (string), but it is %s", next.Describe())
	}
	if cm := n.Get("Comment"); cm != nil && cm.Kind != load.String && !c.Opaque(cm) {
		c.Report(cm.Pos, h.Pointer()+"/Comment", "The field 'Comment' must be a string, but it is %s", cm.Describe())
	}
}
