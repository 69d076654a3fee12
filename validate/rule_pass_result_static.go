package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "pass-result-static", Severity: Warning, AWSCode: "PASS_RESULT_IS_STATIC",
		Summary: "a Pass state's Result is static: path-looking values and \".$\" keys in it are not evaluated",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": "$.a"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$.a"}, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Pass", func(st *asl.State) {
				if !isJSONataState(st) {
					walkStaticResult(c, st.Field("Result"), asl.At(st, "/Result"))
				}
			})
		},
	})
}

// walkStaticResult warns about path-looking strings and ".$" keys anywhere inside a Pass Result.
func walkStaticResult(c *Context, n *load.Node, loc asl.Loc) {
	if n == nil {
		return
	}
	switch n.Kind {
	case load.String:
		if looksLikePath(n.Text) {
			c.Report(n.Pos, loc.Pointer(), "Attempt to use a path in the result of a pass state: %q is kept as a literal string (Result is static; use Parameters with a \".$\" key to select from the input)", n.Text)
		}
	case load.Object:
		for _, f := range n.Fields {
			if strings.HasSuffix(f.Key, ".$") {
				c.Report(f.KeyPos, loc.Pointer(), "Attempt to use a path in the result of a pass state: the key %q is kept as is and its value is not evaluated (Result is static; use Parameters)", f.Key)
				continue
			}
			walkStaticResult(c, f.Value, loc)
		}
	case load.Array:
		for _, it := range n.Items {
			walkStaticResult(c, it, loc)
		}
	}
}

// looksLikePath reports whether s looks like a JSONPath, a context-object path or an intrinsic function call.
func looksLikePath(s string) bool {
	return s == "$" || s == "$$" || strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$[") ||
		strings.HasPrefix(s, "$$.") || (strings.HasPrefix(s, "States.") && strings.Contains(s, "("))
}
