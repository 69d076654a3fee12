package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "task-heartbeat-xor-path", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Task state has at most one of HeartbeatSeconds and HeartbeatSecondsPath",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "HeartbeatSeconds": 60, "HeartbeatSecondsPath": "$.hb", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "HeartbeatSeconds": 60, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				if !isJSONataState(st) { // in JSONata the …Path field itself is field-not-supported
					xorStateFields(c, st, "HeartbeatSeconds", "HeartbeatSecondsPath")
				}
			})
		},
	})
}
