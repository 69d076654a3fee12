package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "states-all-last-alone", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "States.ALL appears alone in its ErrorEquals and only in the last Retrier or Catcher",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["States.Timeout"]}], "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.Timeout"]}, {"ErrorEquals": ["States.ALL"]}], "End": true}}}`,
		Check: func(c *Context) {
			for _, h := range append(handlersOf(c, "Retry"), handlersOf(c, "Catch")...) {
				checkStatesAll(c, h)
			}
		},
	})
}

// checkStatesAll checks the position of States.ALL in one Retrier or Catcher.
func checkStatesAll(c *Context, h errorHandler) {
	ee := h.Node.Get("ErrorEquals")
	if ee == nil || ee.Kind != load.Array {
		return
	}
	for _, it := range ee.Items {
		if it.Kind != load.String || it.Text != "States.ALL" {
			continue
		}
		if len(ee.Items) > 1 {
			c.Report(it.Pos, h.Pointer()+"/ErrorEquals", "'States.ALL' must appear alone in 'ErrorEquals', not with other error names")
		}
		if !h.Last {
			c.Report(it.Pos, h.Pointer()+"/ErrorEquals", "'States.ALL' must appear only in the last %s: the %ss after it can never match", h.Kind, h.Kind)
		}
		return
	}
}
