package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "task-resource-required", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Task state has a Resource field",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				if !st.Has("Resource") {
					c.Report(st.NamePos, st.Pointer(), "These fields are required: [Resource]")
				}
			})
		},
	})
}
