package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "task-timeout-range", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "Task TimeoutSeconds and HeartbeatSeconds are positive integers (JSONata: or a {% %} expression)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 0, "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				for _, f := range []string{"TimeoutSeconds", "HeartbeatSeconds"} {
					checkInt(c, st, f, st.Field(f), 1)
				}
			})
		},
	})
}
