package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "task-timeout-missing", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: an activity, .waitForTaskToken or .sync Task sets TimeoutSeconds (else it can wait 99999999 s, a year, for a worker that died)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Approve", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Approve", "TimeoutSeconds": 3600, "End": true}}}`,
		Check: func(c *Context) {
			// A machine-wide TimeoutSeconds bounds the wait too.
			if c.Machine.Root.Node.Has("TimeoutSeconds") {
				return
			}
			eachState(c, "Task", func(st *asl.State) {
				if st.Has("TimeoutSeconds") || st.Has("TimeoutSecondsPath") {
					return
				}
				kind, r := resourceKind(c, st)
				what := ""
				switch kind {
				case taskActivity:
					what = "an activity"
				case taskCallback:
					what = "a .waitForTaskToken callback"
				case taskSync:
					what = "a .sync job"
				default:
					return
				}
				c.Report(r.Pos, st.Pointer()+"/Resource",
					"Task %q waits for %s without TimeoutSeconds: if the worker never answers, the execution waits AWS's default 99999999 seconds (over 3 years, capped by the 1-year execution limit); set TimeoutSeconds (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html)",
					st.Name, what)
			})
		},
	})
}
