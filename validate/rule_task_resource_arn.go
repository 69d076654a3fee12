package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "task-resource-arn", Severity: Warning, AWSCode: "INVALID_RESOURCE",
		Summary: "a Task's Resource is an ARN of a known partition (the spec allows any URI; AWS accepts only ARNs)",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "foo:bar", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				r := st.Field("Resource")
				if r == nil || r.Kind != load.String || c.Opaque(r) || resourceSyntaxProblem(r.Text) != "" || lambdaARNProblem(r.Text) != "" {
					return // not a string or not a URI: task-resource-format reports it
				}
				msg := resourceCharProblem(r.Text)
				if msg == "" {
					msg = resourceARNProblem(r.Text)
				}
				if msg != "" {
					c.Report(r.Pos, st.Pointer()+"/Resource", "%s", msg)
				}
			})
		},
	})
}
