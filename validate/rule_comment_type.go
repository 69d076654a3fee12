package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "comment-type", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "the Comment of a state, Parallel branch or Map processor is a string",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": 1}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "done"}}}`,
		Check: func(c *Context) {
			check := func(obj *load.Node, pointer asl.Loc) {
				if v := obj.Get("Comment"); v != nil && v.Kind != load.String && !c.Opaque(v) {
					c.Report(v.Pos, pointer.Sub("/Comment").Pointer(), "The field 'Comment' must be a string, but it is %s", v.Describe())
				}
			}
			for _, st := range c.Machine.All {
				check(st.Node, asl.At(st, ""))
			}
			for _, sc := range c.Machine.Scopes {
				if sc.Parent != nil {
					check(sc.Node, asl.At(sc, ""))
				}
			}
		},
	})
}
