package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "task-timeout-xor-path", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Task state has at most one of TimeoutSeconds and TimeoutSecondsPath",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60, "TimeoutSecondsPath": "$.timeout", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.timeout", "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				if !isJSONataState(st) { // in JSONata the …Path field itself is field-not-supported
					xorStateFields(c, st, "TimeoutSeconds", "TimeoutSecondsPath")
				}
			})
		},
	})
}
