package validate

func init() {
	register(&Rule{
		ID: "intrinsic-in-jsonata", Severity: Error, AWSCode: "UNSUPPORTED_JSONATA_EXPRESSION",
		Summary: "JSONata expressions do not call States.* intrinsic functions (use the JSONata equivalents: $string, $join, $uuid, $hash, ...)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"id": "{% States.UUID() %}"}, "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"id": "{% $uuid() %}"}, "End": true}}}`,
		Check: func(c *Context) {
			for _, e := range jsonataExprs(c) {
				for _, r := range e.JSONata.TopLevelReferences() {
					if r.Name != "States" {
						continue
					}
					if fn := intrinsicAt(e.Source(), r.Offset); fn != "" {
						c.Report(e.Node.Pos, e.Pointer(), "Intrinsic function %s cannot be used in a JSONata state: intrinsic functions are JSONPath-only; use a JSONata function%s", fn, intrinsicHint(fn))
					}
				}
			}
		},
	})
}

// intrinsicEquivalents maps intrinsics to the JSONata functions that replace them.
var intrinsicEquivalents = map[string]string{
	"States.Format": "string concatenation (&) or $join", "States.StringToJson": "$parse", "States.JsonToString": "$string",
	"States.Array": "an array constructor [...]", "States.ArrayPartition": "$partition", "States.ArrayContains": "the 'in' operator",
	"States.ArrayRange": "$range", "States.ArrayGetItem": "a predicate [i]", "States.ArrayLength": "$count",
	"States.ArrayUnique": "$distinct", "States.Base64Encode": "$base64encode", "States.Base64Decode": "$base64decode",
	"States.Hash": "$hash", "States.JsonMerge": "$merge", "States.MathRandom": "$random", "States.MathAdd": "+",
	"States.StringSplit": "$split", "States.UUID": "$uuid",
}

// intrinsicHint names the JSONata replacement of an intrinsic.
func intrinsicHint(fn string) string {
	if eq, ok := intrinsicEquivalents[fn]; ok {
		return " (" + eq + ")"
	}
	return ""
}
