package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "choice-operand-type", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "comparison operands have the operator's type: String*/Timestamp*/…Path a string, Numeric* a number, BooleanEquals and Is* a boolean",
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": "1", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if isJSONataState(st) || r.Node == nil || r.Node.Kind != load.Object {
					return
				}
				for _, f := range r.Node.Fields {
					typ, op := asl.ComparisonOperators[f.Key]
					if !op || c.Opaque(f.Value) {
						continue
					}
					if want, kind := operandKind(typ); f.Value.Kind != kind {
						c.Report(f.Value.Pos, r.Pointer()+"/"+f.Key, "The value of '%s' must be %s, but it is %s", f.Key, want, f.Value.Describe())
					}
				}
			})
		},
	})
}

// operandKind returns the description and node kind of an operand type from asl.ComparisonOperators.
func operandKind(typ string) (string, load.Kind) {
	switch typ {
	case "number":
		return "a number", load.Number
	case "boolean":
		return "a boolean (true or false)", load.Bool
	case "timestamp":
		return "a string holding an RFC 3339 timestamp", load.String
	case "path":
		return "a string holding a path", load.String
	}
	return "a string", load.String
}
