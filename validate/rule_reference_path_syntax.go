package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "reference-path-syntax", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ResultPath, ItemsPath, SecondsPath, TimestampPath, the other …Path fields and a Fail state's ErrorPath/CausePath are Reference Paths (a single node: no wildcards, filters, slices, unions or '..')",
		Bad:     `{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.delays[*]", "End": true}}}`,
		Good:    `{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.delays[0]", "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				switch e.Kind {
				case asl.KindReferencePath, asl.KindResultPath, asl.KindErrorPath:
				default:
					return
				}
				// Intrinsic calls: intrinsic-syntax (ErrorPath) or intrinsic-allowed-field (elsewhere).
				if !exprFieldAllowed(e) || exprIsCall(e) {
					return
				}
				se := exprSyntaxError(e)
				if se == nil || e.Kind == asl.KindResultPath && rpRootRestriction(e) != "" {
					return
				}
				want := "a Reference Path"
				if e.Kind == asl.KindErrorPath {
					want = "a Reference Path or an intrinsic function call"
				}
				c.Report(exprPosAt(c, e.Node, se.Offset), e.Pointer(), "Value is not a Reference Path: the value of '%s' must be %s such as \"$.a.b[0]\": %s", e.Key, want, se.Message)
			})
			rpTypes(c)
		},
	})
}

// rpRootRestriction tells whether a ResultPath was rejected only for its root: "context" for a
// "$$" path, "variable" for a "$name" path, "" otherwise. The path parser checks the root of a
// ResultPath after its syntax and reports the restriction at offset 0, where a syntax error of a
// value starting with '$' can never be.
func rpRootRestriction(e *asl.Expr) string {
	se := exprSyntaxError(e)
	if e.Kind != asl.KindResultPath || se == nil || se.Offset != 0 {
		return ""
	}
	s := e.Node.Text
	switch {
	case strings.HasPrefix(s, "$$"):
		return "context"
	case len(s) > 1 && s[0] == '$' && s[1] != '.' && s[1] != '[':
		return "variable"
	}
	return ""
}

// rpFields are the reference-path fields whose value type no other rule checks, per state type
// (Map's …Path fields are map-path-fields'; Fail's ErrorPath/CausePath are fail-path-value's).
// ResultPath may be null (discard the result); the others may not.
var rpFields = map[string][]string{
	"Task":     {"ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"},
	"Parallel": {"ResultPath"},
	"Map":      {"ResultPath"},
	"Pass":     {"ResultPath"},
	"Wait":     {"SecondsPath", "TimestampPath"},
}

// rpTypes reports reference-path fields of JSONPath states that are not strings.
func rpTypes(c *Context) {
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != asl.JSONPath {
			continue
		}
		for _, name := range rpFields[st.Type] {
			rpType(c, st.Node, asl.At(st, ""), name)
		}
		if st.Type == "Task" || st.Type == "Parallel" || st.Type == "Map" {
			for _, cc := range st.Catch {
				rpType(c, cc.Node, asl.At(cc, ""), "ResultPath")
			}
		}
	}
}

func rpType(c *Context, obj *load.Node, pointer asl.Loc, name string) {
	n := obj.Get(name)
	if n == nil || n.Kind == load.String || c.Opaque(n) || n.Kind == load.Null && name == "ResultPath" {
		return
	}
	want := "a string holding a Reference Path such as \"$.a.b\""
	if name == "ResultPath" {
		want += ", or null to discard the result"
	}
	c.Report(n.Pos, pointer.Sub("/"+name).Pointer(), "Value is not a Reference Path: '%s' must be %s, but it is %s", name, want, n.Describe())
}
