package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "field-not-supported", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "each state has only the fields its type allows (e.g. Retry/Catch only on Task, Parallel and Map); branches and processors have only StartAt, States, Comment (+ ProcessorConfig)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Catch": [], "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if st.Node != nil && st.Node.Kind == load.Object && asl.IsStateType(st.Type) {
					checkStateFields(c, st)
				}
			}
			for _, sc := range c.Machine.Scopes {
				if sc.Parent != nil && sc.Node != nil && sc.Node.Kind == load.Object {
					checkScopeFields(c, sc)
				}
			}
		},
	})
}

// checkStateFields reports fields the state's type does not have. Next/End on Choice, Succeed and Fail
// are terminal-no-next's, and fields of the other query language are the *-field-in-* rules'.
func checkStateFields(c *Context, st *asl.State) {
	for _, f := range st.Node.Fields {
		if (f.Key == "Next" || f.Key == "End") && !flowTypes[st.Type] {
			continue
		}
		spec, known := asl.StateFields[f.Key]
		switch {
		case !known:
			c.Report(f.KeyPos, st.Pointer(), "Field '%s' is not supported: it is not a field of %s state%s", f.Key, article(st.Type), suggest(f.Key, asl.AllowedFields(st.Type, st.QueryLanguage)))
		case !asl.FieldAllowed(st.Type, f.Key):
			c.Report(f.KeyPos, st.Pointer(), "Field '%s' is not supported: %s state cannot have it (only %s states can)", f.Key, article(st.Type), typeList(spec.Types))
		}
	}
}

// checkScopeFields reports fields of a Parallel branch or Map processor other than StartAt, States,
// Comment and (Map processors only) ProcessorConfig. QueryLanguage is querylanguage-on-processor's.
// ProcessorConfig is accepted in the deprecated Iterator too: AWS's behaviour there is not known.
func checkScopeFields(c *Context, sc *asl.StateMachine) {
	processor := sc.Parent.Type == "Map"
	allowed := sortedKeys(asl.ScopeFields)
	if processor {
		allowed = append(allowed, sortedKeys(asl.ProcessorFields)...)
	}
	for _, f := range sc.Node.Fields {
		if asl.ScopeFields[f.Key] || (processor && asl.ProcessorFields[f.Key]) || f.Key == "QueryLanguage" {
			continue
		}
		c.Report(f.KeyPos, sc.Pointer(), "Field '%s' is not supported in %s (allowed: %s)%s", f.Key, scopeLabel(sc), quoteList(allowed), suggest(f.Key, allowed))
	}
}

// article returns "a Pass" / "an Xyz".
func article(typ string) string {
	if strings.ContainsAny(typ[:1], "AEIOU") {
		return "an " + typ
	}
	return "a " + typ
}

// typeList formats state types as "Task, Parallel and Map".
func typeList(types []string) string {
	if len(types) == 1 {
		return types[0]
	}
	return strings.Join(types[:len(types)-1], ", ") + " and " + types[len(types)-1]
}
