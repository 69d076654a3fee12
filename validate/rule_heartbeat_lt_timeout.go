package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "heartbeat-lt-timeout", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Task's HeartbeatSeconds is smaller than its TimeoutSeconds (when both are literals)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60, "HeartbeatSeconds": 60, "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60, "HeartbeatSeconds": 30, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				hb, okH := intValue(st.Field("HeartbeatSeconds"))
				to, okT := intValue(st.Field("TimeoutSeconds"))
				if !okH || !okT || hb.Sign() <= 0 || to.Sign() <= 0 { // invalid values: task-timeout-range
					return
				}
				if hb.Cmp(to) >= 0 {
					n := st.Field("HeartbeatSeconds")
					c.Report(n.Pos, st.Pointer()+"/HeartbeatSeconds", "HeartbeatSeconds (%s) must be smaller than TimeoutSeconds (%s)", hb, to)
				}
			})
		},
	})
}
