package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "state-type", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "every state is an object whose Type is one of the eight state types",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Lambda", "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if misplacedField(st) {
					pos := st.NamePos
					c.Report(pos, st.Pointer(), "%s", misplacedFieldHint(st))
					continue
				}
				if st.Node == nil || st.Node.Kind != load.Object {
					c.Report(st.Node.Pos, st.Pointer(), "State %q must be an object, but it is %s", st.Name, st.Node.Describe())
					continue
				}
				t := st.Field("Type")
				switch {
				case t == nil:
					c.Report(st.NamePos, st.Pointer(), "The field 'Type' is required but was missing in state %q", st.Name)
				case t.Kind != load.String || !asl.IsStateType(t.Text):
					c.Report(t.Pos, st.Pointer()+"/Type", "The field 'Type' should have one of these values: [%s], but it is %s", strings.Join(asl.StateTypes, ", "), t.Describe())
				}
			}
		},
	})
}
