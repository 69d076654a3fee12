package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "fail-path-value", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Fail state's Error, Cause, ErrorPath and CausePath are strings (path syntax is checked by the path rules)",
		Bad:     `{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": 42}}}`,
		Good:    `{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.error"}}}`,
		Check: func(c *Context) {
			eachState(c, "Fail", func(st *asl.State) {
				for _, f := range []string{"Error", "Cause", "ErrorPath", "CausePath"} {
					n := st.Field(f)
					if n == nil || n.Kind == load.String || c.Opaque(n) {
						continue
					}
					want := "a string"
					if f == "ErrorPath" || f == "CausePath" {
						want = "a string holding a reference path or an intrinsic function"
					}
					c.Report(n.Pos, st.Pointer()+"/"+f, "The field '%s' must be %s, but it is %s", f, want, n.Describe())
				}
			})
		},
	})
}
