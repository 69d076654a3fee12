package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "querylanguage-value", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "QueryLanguage (top level and per state) is exactly \"JSONPath\" or \"JSONata\"",
		Bad:     `{"QueryLanguage": "jsonata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			checkQueryLanguageValue(c, c.Machine.Root.Node.Get("QueryLanguage"), asl.At(nil, "/QueryLanguage"))
			for _, st := range c.Machine.All {
				if st.Node != nil && st.Node.Kind == load.Object {
					checkQueryLanguageValue(c, st.Field("QueryLanguage"), asl.At(st, "/QueryLanguage"))
				}
			}
		},
	})
}

// checkQueryLanguageValue reports a QueryLanguage value other than "JSONPath" / "JSONata".
func checkQueryLanguageValue(c *Context, v *load.Node, loc asl.Loc) {
	if v == nil || c.Opaque(v) {
		return
	}
	if v.Kind == load.String && (v.Text == string(asl.JSONPath) || v.Text == string(asl.JSONata)) {
		return
	}
	hint := ""
	if v.Kind == load.String {
		hint = suggest(v.Text, []string{string(asl.JSONPath), string(asl.JSONata)})
	}
	c.Report(v.Pos, loc.Pointer(), "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata], but it is %s%s", v.Describe(), hint)
}
