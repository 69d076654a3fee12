package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "handler-shadowed", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: no Retrier or Catcher lists only errors that an earlier one already matches (States.TaskFailed matches every error but States.Timeout)",
		Bad: `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
  "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}, {"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 6}]}}}`,
		Good: `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
  "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 6}, {"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}]}}}`,
		Check: func(c *Context) {
			for _, field := range []string{"Retry", "Catch"} {
				checkShadowed(c, handlersOf(c, field))
			}
		},
	})
}

// checkShadowed reports the handlers whose every error an earlier handler of the same state's list
// matches: AWS uses the first handler that matches, so such a handler never runs. One pass, with
// the names seen so far per state.
func checkShadowed(c *Context, hs []errorHandler) {
	var state *asl.State
	var seen map[string]int // error name -> index of the first handler listing it
	taskFailed := -1        // index of the first handler listing States.TaskFailed
	for _, h := range hs {
		if h.State != state {
			state, seen, taskFailed = h.State, map[string]int{}, -1
		}
		names := handlerErrors(h.Node)
		by := -1 // the earlier handler that matches the last name looked at
		for _, n := range names {
			if i, ok := seen[n]; ok && n != "States.ALL" {
				by = i
			} else if taskFailed >= 0 && n != "States.Timeout" && n != "States.ALL" {
				by = taskFailed
			} else {
				by = -1
				break
			}
		}
		if len(names) > 0 && by >= 0 {
			c.Report(h.Node.Pos, h.Pointer()+"/ErrorEquals",
				"%s [%d] of %q never runs: the earlier %ss (%s [%d] among them) already match %s; put the more specific %s first (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)",
				h.Kind, h.Index, h.State.Name, strings.ToLower(h.Kind), h.Kind, by, strings.Join(names, ", "), strings.ToLower(h.Kind))
		}
		for _, n := range names {
			if _, ok := seen[n]; !ok {
				seen[n] = h.Index
			}
			if n == "States.TaskFailed" && taskFailed < 0 {
				taskFailed = h.Index
			}
		}
	}
}
