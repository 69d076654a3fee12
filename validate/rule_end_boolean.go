package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "end-boolean", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "End is a boolean (\"End\": false next to Next is legal and means the same as no End)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": "true"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if !flowTypes[st.Type] {
					continue // End on Choice, Succeed and Fail is terminal-no-next's
				}
				v := st.Field("End")
				if v == nil || v.Kind == load.Bool || c.Opaque(v) {
					continue
				}
				c.Report(v.Pos, st.Pointer()+"/End", "The field 'End' must be a boolean (true to end the state machine here), but it is %s", v.Describe())
			}
		},
	})
}
