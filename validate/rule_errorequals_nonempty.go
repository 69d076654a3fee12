package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"strconv"

	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "errorequals-nonempty", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "every Retrier and Catcher has ErrorEquals: a non-empty array of strings",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": []}], "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.ALL"]}], "End": true}}}`,
		Check: func(c *Context) {
			for _, h := range append(handlersOf(c, "Retry"), handlersOf(c, "Catch")...) {
				checkErrorEquals(c, h)
			}
		},
	})
}

// checkErrorEquals checks the ErrorEquals of one Retrier or Catcher.
func checkErrorEquals(c *Context, h errorHandler) {
	loc := asl.At(h.At, "/ErrorEquals")
	ee := h.Node.Get("ErrorEquals")
	switch {
	case ee == nil:
		c.Report(h.Node.Pos, h.Pointer(), "The field 'ErrorEquals' is required but was missing: a %s needs a non-empty array of error names", h.Kind)
	case c.Opaque(ee):
	case ee.Kind != load.Array:
		c.Report(ee.Pos, loc.Pointer(), "The field 'ErrorEquals' must be a non-empty array of error names, but it is %s", ee.Describe())
	case len(ee.Items) == 0:
		c.Report(ee.Pos, loc.Pointer(), "Value cannot be empty: 'ErrorEquals' must list at least one error name (use [\"States.ALL\"] to match every error)")
	default:
		for i, it := range ee.Items {
			if it.Kind != load.String && !c.Opaque(it) {
				c.Report(it.Pos, loc.Sub("["+strconv.Itoa(i)+"]").Pointer(), "Each error name in 'ErrorEquals' must be a string, but it is %s", it.Describe())
			}
		}
	}
}
