package validate

// Helpers shared by the Task, Pass/Wait/Succeed/Fail and Choice rules.

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// eachState calls fn for every state of type typ (whose node is then an object).
func eachState(c *Context, typ string, fn func(st *asl.State)) {
	for _, st := range statesOfType(c, typ) {
		fn(st)
	}
}

// isJSONataState reports whether the state's effective query language is JSONata.
func isJSONataState(st *asl.State) bool { return st.QueryLanguage == asl.JSONata }

// skipValue reports whether a value needs no checking: absent, a deploy-time placeholder, or (in a
// JSONata state) a {% %} expression standing in for a literal.
func skipValue(c *Context, st *asl.State, n *load.Node) bool {
	return n == nil || dynamic(c, st, n)
}

// xorStateFields reports a state that has both fields a and b (at the later key).
func xorStateFields(c *Context, st *asl.State, a, b string) {
	xorFields(c, st.Node, asl.At(st, ""), a, b)
}

// wantNumber describes the expected value of a numeric field for messages.
func wantNumber(st *asl.State, what string) string {
	if isJSONataState(st) {
		return what + " or a JSONata expression string {% ... %}"
	}
	return what
}

// checkInt checks that the value n of field is an integer >= min (0 or 1) and reports otherwise.
func checkInt(c *Context, st *asl.State, field string, n *load.Node, min int64) {
	if skipValue(c, st, n) {
		return
	}
	loc := asl.At(st, "/"+field)
	want := "a non-negative integer"
	if min > 0 {
		want = "a positive integer"
	}
	if n.Kind != load.Number {
		c.Report(n.Pos, loc.Pointer(), "The field '%s' must be %s, but it is %s", field, wantNumber(st, want), n.Describe())
		return
	}
	v, ok := intValue(n)
	if !ok {
		c.Report(n.Pos, loc.Pointer(), "The field '%s' must be %s, but it is %s", field, want, n.Describe())
		return
	}
	if v.Sign() < 0 || (min > 0 && v.Sign() == 0) {
		c.Report(n.Pos, loc.Pointer(), "Minimum value is %d, but '%s' is %s", min, field, n.Text)
	}
}

// eachChoiceRule calls fn for every choice rule of every Choice state, nested rules included. In JSONata
// states, And/Or/Not are themselves errors (choice-condition), so rules nested in them are skipped.
func eachChoiceRule(c *Context, fn func(st *asl.State, r *asl.ChoiceRule)) {
	eachState(c, "Choice", func(st *asl.State) {
		var walk func(r *asl.ChoiceRule)
		walk = func(r *asl.ChoiceRule) {
			fn(st, r)
			if isJSONataState(st) {
				return
			}
			for _, n := range r.Nested {
				walk(n)
			}
		}
		for _, r := range st.Choices {
			walk(r)
		}
	})
}

// ruleOperators returns the comparison operators (and And/Or/Not) present in a JSONPath choice rule.
func ruleOperators(r *asl.ChoiceRule) []string {
	var ops []string
	if r.Node == nil || r.Node.Kind != load.Object {
		return nil
	}
	for _, f := range r.Node.Fields {
		if _, ok := asl.ComparisonOperators[f.Key]; ok || f.Key == "And" || f.Key == "Or" || f.Key == "Not" {
			ops = append(ops, f.Key)
		}
	}
	return ops
}

// hasComparison reports whether the rule has a comparison operator (not And/Or/Not).
func hasComparison(r *asl.ChoiceRule) bool {
	for _, op := range ruleOperators(r) {
		if _, ok := asl.ComparisonOperators[op]; ok {
			return true
		}
	}
	return false
}
