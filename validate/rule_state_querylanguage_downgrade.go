package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "state-querylanguage-downgrade", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "no state sets QueryLanguage \"JSONPath\" when the state machine's QueryLanguage is \"JSONata\"",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true}}}`,
		Check: func(c *Context) {
			if c.Machine.Root.QueryLanguage != asl.JSONata {
				return
			}
			for _, st := range c.Machine.All {
				v := st.Field("QueryLanguage")
				if v == nil || v.Kind != load.String || v.Text != string(asl.JSONPath) || insideDistributedMap(st) {
					continue
				}
				c.Report(v.Pos, st.Pointer(), "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine (a state can switch from JSONPath to JSONata, not back)")
			}
		},
	})
}

// insideDistributedMap reports whether the state runs inside a DISTRIBUTED Map's ItemProcessor (a child
// workflow; AWS's language downgrade check is only known for the parent workflow).
func insideDistributedMap(st *asl.State) bool {
	for sc := st.Scope; sc.Parent != nil; sc = sc.Parent.Scope {
		mode := sc.Node.Get("ProcessorConfig").Get("Mode")
		if sc.Parent.Type == "Map" && mode != nil && mode.Kind == load.String && mode.Text == "DISTRIBUTED" {
			return true
		}
	}
	return false
}
