package validate

// coveredBy maps ids of the rule catalogue (../shared/research/validation-rules.md) that are not rules
// of their own to the rule that checks them, with a note.
var coveredBy = map[string]struct{ rule, note string }{
	"arguments-allowed":         {"field-not-supported", "Arguments is allowed only on Task and Parallel states (pkg/asl/spec.go)"},
	"assign-allowed":            {"field-not-supported", "Assign is not allowed on Succeed and Fail; catcher-fields and choice-rule-assign-output check Catchers and nested Choice rules"},
	"assign-jsonpath-values":    {"payload-dollar-value", "the \".$\" keys of a JSONPath Assign take a Path, a variable or an intrinsic call, as in any payload template"},
	"assign-size":               {"", "the 256 KiB limit on assigned data depends on run-time values; `sfn run` enforces it"},
	"querylanguage-inheritance": {"jsonpath-field-in-jsonata", "states inside a Map or Parallel take the state machine's QueryLanguage, not the Map's; the field rules say so in their message"},
	"resource-placeholder":      {"", "placeholders (${Name}, #{AWS::Region}, CloudFormation objects) are opaque values by default; --strict-placeholders reports them"},
	"retry-catch-allowed":       {"field-not-supported", "Retry and Catch are allowed only on Task, Parallel and Map states"},
	"startat-target":            {"next-target-exists", "StartAt must name a state of its States scope"},
	"state-not-object":          {"state-type", "every state is an object with a known Type"},
	"terminal-forbidden-fields": {"field-not-supported", "Succeed and Fail have their own field lists; terminal-no-next checks Next and End"},
	"transition-scope":          {"next-target-exists", "a transition into or out of a Parallel branch or Map processor is a missing target in its scope"},
}

// CoveredBy returns the rule that checks a catalogue id which is not a rule of its own
// ("" when no single rule does) and a note; ok is false for ids that are not catalogue aliases.
func CoveredBy(id string) (rule, note string, ok bool) {
	c, ok := coveredBy[id]
	return c.rule, c.note, ok
}

// UnknownRuleMessage says that id is not a rule: which rule covers it, or suggestions when some id is close.
func UnknownRuleMessage(id string) string {
	if rule, note, ok := CoveredBy(id); ok {
		if rule == "" {
			return "\"" + id + "\" is not a rule of its own: " + note
		}
		return "\"" + id + "\" is checked by rule " + rule + " (" + note + ")"
	}
	msg := "unknown rule \"" + id + "\""
	if s := SuggestRules(id); len(s) > 0 {
		msg += " (did you mean " + joinComma(s) + "?)"
	}
	return msg
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
