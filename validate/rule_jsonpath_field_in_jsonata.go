package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "jsonpath-field-in-jsonata", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a JSONata state does not use JSONPath-only fields (InputPath, Parameters, ResultSelector, ResultPath, OutputPath, Result, ItemsPath, *Path fields)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.x", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.x %}", "End": true}}}`,
		Check:   func(c *Context) { checkLanguageFields(c, asl.JSONata) },
	})
}

// checkLanguageFields reports, in the states whose effective language is ql, the fields that the
// state's type has only in the other query language. Fields the type does not have at all are
// field-not-supported's.
func checkLanguageFields(c *Context, ql asl.QueryLanguage) {
	other := asl.JSONPath
	if ql == asl.JSONPath {
		other = asl.JSONata
	}
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != ql || !asl.IsStateType(st.Type) || languageMisplaced(st) {
			continue
		}
		for _, f := range st.Node.Fields {
			spec, ok := asl.StateFields[f.Key]
			if !ok || spec.Only != other || !asl.FieldAllowed(st.Type, f.Key) {
				continue
			}
			c.Report(f.KeyPos, st.Pointer(), "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' QueryLanguage%s", ql, f.Key, other, inheritanceHint(st))
		}
	}
}

// inheritanceHint explains, for a state inside a Map or Parallel whose own language differs,
// that nested states inherit the state machine's QueryLanguage, not the enclosing state's.
func inheritanceHint(st *asl.State) string {
	p := st.Scope.Parent
	if p == nil || st.Has("QueryLanguage") || p.QueryLanguage == st.QueryLanguage {
		return ""
	}
	return " (states inside a Map or Parallel inherit the state machine's QueryLanguage, not the QueryLanguage of " + p.Type + " state \"" + p.Name + "\"; set QueryLanguage on this state)"
}
