package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "querylanguage-on-processor", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "QueryLanguage is not set on a Parallel branch or Map ItemProcessor/Iterator (only on the top level and on states)",
		Bad: `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": ` +
			`{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}}}`,
		Good: `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": ` +
			`{"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true}}}}}}`,
		Check: func(c *Context) {
			for _, sc := range c.Machine.Scopes {
				if sc.Parent == nil || sc.Node == nil || sc.Node.Kind != load.Object {
					continue
				}
				if f := sc.Node.Field("QueryLanguage"); f != nil {
					c.Report(f.KeyPos, sc.Pointer(), "Field 'QueryLanguage' is not supported in %s: set it on the top level of the state machine or on the states themselves", scopeLabel(sc))
				}
			}
		},
	})
}
