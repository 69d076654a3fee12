package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "next-xor-end", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Task, Pass, Wait, Parallel or Map state has exactly one of a string Next and \"End\": true",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if st.Node != nil && st.Node.Kind == load.Object && flowTypes[st.Type] {
					checkNextEnd(c, st)
				}
			}
		},
	})
}

// checkNextEnd checks one state with Next/End. A non-boolean End is end-boolean's.
func checkNextEnd(c *Context, st *asl.State) {
	next, end := st.Node.Field("Next"), st.Node.Field("End")
	if next != nil && next.Value.Kind != load.String && !c.Opaque(next.Value) {
		c.Report(next.Value.Pos, st.Pointer()+"/Next", "The field 'Next' must be a string naming the next state, but it is %s", next.Value.Describe())
		return
	}
	if end != nil && end.Value.Kind != load.Bool {
		return // end-boolean
	}
	endTrue := end != nil && end.Value.Bool
	switch {
	case next != nil && endTrue:
		c.Report(end.KeyPos, st.Pointer(), "There should only be one of the following fields: [Next, End] (state %q either continues with 'Next' or ends with \"End\": true)", st.Name)
	case next == nil && end != nil && !endTrue:
		c.Report(end.Value.Pos, st.Pointer()+"/End", "\"End\": false does not end state %q and it has no 'Next': set \"End\": true or add 'Next'", st.Name)
	case next == nil && !endTrue:
		c.Report(st.NamePos, st.Pointer(), "One of the fields [Next, End] is required: %s state %q must continue with 'Next' or end with \"End\": true", st.Type, st.Name)
	}
}
