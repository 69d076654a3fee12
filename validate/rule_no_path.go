package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "no-path", Severity: Warning, AWSCode: "NO_PATH",
		Summary: "a field whose value looks like a path lacks the 'Path' suffix (\"Error\": \"$.e\" is the literal text; ErrorPath evaluates it)",
		Bad:     `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "$.error"}}}`,
		Good:    `{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.error"}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != asl.JSONPath {
					continue
				}
				for _, name := range npFields[st.Type] {
					npCheck(c, st.Node, asl.At(st, ""), name, st.Type == "Fail")
				}
				if st.Type == "Map" {
					npCheck(c, st.Field("ItemReader").Get("ReaderConfig"), asl.At(st, "/ItemReader/ReaderConfig"), "MaxItems", false)
					for _, name := range []string{"MaxItemsPerBatch", "MaxInputBytesPerBatch"} {
						npCheck(c, st.Field("ItemBatcher"), asl.At(st, "/ItemBatcher"), name, false)
					}
				}
				for _, r := range st.Choices {
					npRule(c, r)
				}
			}
		},
	})
}

// npFields are the fields, per state type, that have a "…Path" variant.
var npFields = map[string][]string{
	"Fail": {"Error", "Cause"},
	"Wait": {"Seconds", "Timestamp"},
	"Task": {"TimeoutSeconds", "HeartbeatSeconds"},
	"Map":  {"MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage"},
}

// npRule checks the comparison operators of a Choice rule and its nested rules.
func npRule(c *Context, r *asl.ChoiceRule) {
	if r.Node != nil && r.Node.Kind == load.Object {
		for _, f := range r.Node.Fields {
			if typ, ok := asl.ComparisonOperators[f.Key]; ok && typ != "path" && asl.ComparisonOperators[f.Key+"Path"] == "path" {
				npCheck(c, r.Node, asl.At(r, ""), f.Key, false)
			}
		}
	}
	for _, n := range r.Nested {
		npRule(c, n)
	}
}

// npCheck reports obj[name] when it is a string that looks like a path (or, with calls, an intrinsic call).
func npCheck(c *Context, obj *load.Node, pointer asl.Loc, name string, calls bool) {
	f := obj.Field(name)
	if f == nil || f.Value.Kind != load.String || c.Opaque(f.Value) {
		return
	}
	if s := f.Value.Text; exprLooksLikePath(s) || calls && exprLooksLikeCall(s) {
		c.Report(f.Value.Pos, pointer.Sub("/"+name).Pointer(), "The value of '%s' looks like a path but the field name does not end in 'Path', so it is used literally; use '%sPath' to read the value from the input", name, name)
	}
}
