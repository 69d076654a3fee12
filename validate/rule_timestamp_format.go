package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "timestamp-format", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "Wait Timestamp and Choice Timestamp* operands are RFC 3339 timestamps with an uppercase T and Z",
		Bad:     `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2016-03-14 01:59:00Z", "End": true}}}`,
		Good:    `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Wait", func(st *asl.State) {
				n := st.Field("Timestamp")
				if skipValue(c, st, n) {
					return
				}
				if n.Kind != load.String {
					c.Report(n.Pos, st.Pointer()+"/Timestamp", "The field 'Timestamp' must be a string holding an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, but it is %s", n.Describe())
					return
				}
				checkTimestamp(c, n, asl.At(st, "/Timestamp"))
			})
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if isJSONataState(st) || r.Node == nil || r.Node.Kind != load.Object {
					return // JSONata rules have no operators (choice-condition)
				}
				for _, f := range r.Node.Fields {
					// non-string operands are choice-operand-type's
					if asl.ComparisonOperators[f.Key] == "timestamp" && f.Value.Kind == load.String && !c.Opaque(f.Value) {
						checkTimestamp(c, f.Value, asl.At(r, "/"+f.Key))
					}
				}
			})
		},
	})
}

// checkTimestamp reports a string that is not an RFC 3339 timestamp in AWS's profile.
func checkTimestamp(c *Context, n *load.Node, loc asl.Loc) {
	if _, ok := asl.ParseTimestamp(n.Text); !ok {
		c.Report(n.Pos, loc.Pointer(), "String does not match RFC3339 timestamp: %q (expected e.g. 2016-03-14T01:59:00Z: an uppercase T, and Z or a +hh:mm offset)", n.Text)
	}
}
