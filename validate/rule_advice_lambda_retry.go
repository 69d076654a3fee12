package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// lambdaTransient are the transient Lambda service errors both of AWS's recommended Retry lists
// name: bp-lambda-serviceexception.html (with Lambda.ClientExecutionTimeoutException) and
// Workflow Studio's default Lambda Invoke retrier (with Lambda.TooManyRequestsException).
var lambdaTransient = []string{"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"}

func init() {
	register(&Rule{
		ID: "lambda-retry-missing", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: a Lambda invoke Task retries the transient Lambda service errors (Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}`,
		Good: `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true,
  "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}]}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				kind, r := resourceKind(c, st)
				if kind != taskLambda {
					return
				}
				retriers, ok := retriersOf(c, st)
				if !ok {
					return
				}
				var missing []string
				for _, e := range lambdaTransient {
					if !retried(retriers, e) {
						missing = append(missing, e)
					}
				}
				if len(missing) == 0 {
					return
				}
				c.Report(r.Pos, st.Pointer()+"/Resource",
					"Lambda Task %q does not retry %s: AWS recommends retrying these transient service errors (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html)",
					st.Name, strings.Join(missing, ", "))
			})
		},
	})
}

// retried reports whether the first retrier matching error e retries it (MaxAttempts is not 0).
func retried(retriers []*load.Node, e string) bool {
	for _, r := range retriers {
		if handlerMatches(handlerErrors(r), e) {
			n, ok := maxAttempts(r)
			return !ok || n > 0
		}
	}
	return false
}
