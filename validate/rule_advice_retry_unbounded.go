package validate

// The most retries the retry-unbounded rule accepts: AWS's examples use 2 to 6
// (bp-lambda-serviceexception.html: 6), and each retry is a billed state transition. A retrier of
// every error (States.ALL, States.TaskFailed) retries bugs too, so it gets fewer; a retrier of named
// errors may be a deliberate wait for a resource (ResourcePendingException), so only the
// forever-ish (AWS accepts up to 99999999) are reported.
const (
	maxAdvisedAttemptsAll   = 10
	maxAdvisedAttemptsNamed = 100
)

func init() {
	register(&Rule{
		ID: "retry-unbounded", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: a Retrier of every error retries at most 10 times, one of named errors at most 100 (more hide a persistent failure, and each retry is a billed state transition)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999}], "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5, "BackoffRate": 2}], "End": true}}}`,
		Check: func(c *Context) {
			for _, h := range handlersOf(c, "Retry") {
				n, ok := maxAttempts(h.Node)
				every := handlerMatches(handlerErrors(h.Node), "Any.Error")
				if !ok || n <= maxAdvisedAttemptsNamed && (!every || n <= maxAdvisedAttemptsAll) {
					continue
				}
				at := h.Node.Get("MaxAttempts")
				what := "these errors"
				if every {
					what = "every error, bugs included,"
				}
				c.Report(at.Pos, h.Pointer()+"/MaxAttempts",
					"%s [%d] of %q retries %s %d times: a persistent failure keeps the execution busy and each retry is billed as a state transition; retry a few times (AWS's examples use 2 to 6) and Catch the rest (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)",
					h.Kind, h.Index, h.State.Name, what, n)
			}
		},
	})
}
