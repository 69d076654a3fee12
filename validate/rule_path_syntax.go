package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "path-syntax", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "InputPath, OutputPath, a Choice rule's Variable and its …Path operands are valid JSONPath Paths",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a[", "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a[0]", "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				// An intrinsic call where a Path is expected is intrinsic-allowed-field's finding.
				if !exprFieldAllowed(e) || e.Kind != asl.KindPath || exprIsCall(e) {
					return
				}
				if se := exprSyntaxError(e); se != nil {
					c.Report(exprPosAt(c, e.Node, se.Offset), e.Pointer(), "The value for the field '%s' must be a valid JSONPath (starting with $, $$ or $variable): %s", e.Key, se.Message)
				}
			})
			psTypes(c)
		},
	})
}

// psTypes reports InputPath/OutputPath values of JSONPath states that are neither strings nor null
// (Fail states do not have them: field-not-supported reports those).
func psTypes(c *Context) {
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != asl.JSONPath || st.Type == "Fail" {
			continue
		}
		for _, name := range []string{"InputPath", "OutputPath"} {
			n := st.Field(name)
			if n == nil || n.Kind == load.String || n.Kind == load.Null || c.Opaque(n) {
				continue
			}
			c.Report(n.Pos, st.Pointer()+"/"+name, "The value for the field '%s' must be a string holding a JSONPath such as \"$.a\", or null, but it is %s", name, n.Describe())
		}
	}
}
