package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choices-nonempty", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Choice state has Choices, a non-empty array of choice rule objects",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachState(c, "Choice", func(st *asl.State) {
				ch := st.Field("Choices")
				loc := asl.At(st, "/Choices")
				switch {
				case ch == nil:
					c.Report(st.NamePos, st.Pointer(), "These fields are required: [Choices]")
				case c.Opaque(ch):
				case ch.Kind != load.Array:
					c.Report(ch.Pos, loc.Pointer(), "The field 'Choices' must be a non-empty array of choice rules, but it is %s", ch.Describe())
				case len(ch.Items) == 0:
					c.Report(ch.Pos, loc.Pointer(), "The field 'Choices' must contain at least one choice rule, but it is empty")
				default:
					for _, r := range st.Choices {
						if r.Node.Kind != load.Object && !c.Opaque(r.Node) {
							c.Report(r.Node.Pos, r.Pointer(), "A choice rule must be an object, but it is %s", r.Node.Describe())
						}
					}
				}
			})
		},
	})
}
