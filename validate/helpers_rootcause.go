package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// One root cause, one error: the helpers here let a rule stay quiet when another rule already
// reports the mistake its findings follow from.

// machineFields are the top-level fields of a state machine. One of them written inside States
// is a misplaced field, not a state.
var machineFields = map[string]bool{
	"Comment": true, "StartAt": true, "States": true, "TimeoutSeconds": true, "Version": true, "QueryLanguage": true,
}

// misplacedField reports whether st is a state machine field written inside States by mistake:
// its name is a top-level field and its value is not an object with a Type.
func misplacedField(st *asl.State) bool {
	return machineFields[st.Name] && (st.Node == nil || st.Node.Kind != load.Object || !st.Has("Type"))
}

// misplacedFieldHint is the hint of a misplaced top-level field.
func misplacedFieldHint(st *asl.State) string {
	where := "to the top level of the state machine, next to \"StartAt\""
	if st.Scope.Parent != nil {
		where = "next to this scope's \"StartAt\""
		if st.Name == "QueryLanguage" {
			where = "to the top level of the state machine (states inside a Map or Parallel inherit it from there) or onto each state"
		}
	}
	return "\"" + st.Name + "\" is a state machine field, not a state: move it out of \"States\" " + where
}

// misplacedLanguage returns the language a misplaced "QueryLanguage" member of States gives the
// state's scope or an enclosing one, or "" when there is none.
func misplacedLanguage(st *asl.State) asl.QueryLanguage {
	for sc := st.Scope; sc != nil; {
		if q := sc.ByName["QueryLanguage"]; q != nil && misplacedField(q) && q.Node != nil && q.Node.Kind == load.String {
			switch asl.QueryLanguage(q.Node.Text) {
			case asl.JSONata, asl.JSONPath:
				return asl.QueryLanguage(q.Node.Text)
			}
		}
		if sc.Parent == nil {
			break
		}
		sc = sc.Parent.Scope
	}
	return ""
}

// languageMisplaced reports whether the language errors of st follow from a misplaced
// "QueryLanguage" (state-type reports it once): st sets no language of its own and the misplaced
// one differs from the language it has.
func languageMisplaced(st *asl.State) bool {
	if st.Has("QueryLanguage") {
		return false
	}
	q := misplacedLanguage(st)
	return q != "" && q != st.QueryLanguage
}

// danglingTargets returns the transitions of the scope's states (Next, Default, Choices[].Next,
// Catch[].Next) that name no state of the scope, with where they are; next-target-exists reports
// them, and unreachable-state stays quiet in their scope.
func danglingTargets(c *Context, sc *asl.StateMachine) []dangling {
	var out []dangling
	for _, st := range sc.States {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		check := func(n *load.Node, loc asl.Loc) {
			if n != nil && n.Kind == load.String && !c.Opaque(n) && sc.ByName[n.Text] == nil {
				out = append(out, dangling{n, loc})
			}
		}
		check(st.Field("Next"), asl.At(st, "/Next"))
		if st.Type == "Choice" {
			check(st.Field("Default"), asl.At(st, "/Default"))
			for _, r := range st.Choices {
				check(r.Node.Get("Next"), asl.At(r, "/Next"))
			}
		}
		for _, cc := range st.Catch {
			check(cc.Node.Get("Next"), asl.At(cc, "/Next"))
		}
	}
	return out
}

// reportedDangling is danglingTargets without those an sfn-ignore directive suppresses: a
// suppressed missing target is not a root cause the user will fix. sups are the machine's
// directives (Suppressions), read once by the caller.
func reportedDangling(c *Context, sc *asl.StateMachine, sups func() []Suppression) []dangling {
	ds := danglingTargets(c, sc)
	if len(ds) == 0 {
		return nil
	}
	diags := make([]Diagnostic, len(ds))
	for i, d := range ds {
		diags[i] = Diagnostic{Rule: "next-target-exists", Location: d.loc.Pointer()}
	}
	kept := ApplySuppressions(diags, sups(), &Options{Severity: map[string]Severity{SuppressionRule: Off}})
	if len(kept) == len(ds) {
		return ds
	}
	keep := make(map[string]bool, len(kept))
	for _, k := range kept {
		keep[k.Location] = true
	}
	out := ds[:0:0]
	for _, d := range ds {
		if keep[d.loc.Pointer()] {
			out = append(out, d)
		}
	}
	return out
}

// dangling is a transition to a state its scope does not have.
type dangling struct {
	target *load.Node
	loc    asl.Loc
}

// ruleActive reports whether the rule id runs under the context's options.
func (c *Context) ruleActive(id string) bool {
	r := Lookup(id)
	if r == nil {
		return false
	}
	s := c.Opts.severityOf(r)
	return s != Off && s >= c.Opts.MinSeverity
}

// unreachableNames returns the names of the scope's object states that StartAt does not reach.
func unreachableNames(sc *asl.StateMachine) []string {
	if sc.Start() == nil {
		return nil
	}
	seen := sc.Reachable()
	var out []string
	for _, st := range sc.States {
		if !seen[st] && st.Node != nil && st.Node.Kind == load.Object && sc.ByName[st.Name] == st {
			out = append(out, st.Name)
		}
	}
	return out
}
