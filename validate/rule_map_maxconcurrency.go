package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "map-maxconcurrency", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "MaxConcurrency is a non-negative integer (JSONata: or a {% %} expression) and is not combined with MaxConcurrencyPath",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": -1, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 0, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range statesOfType(c, "Map") {
				checkIntRange(c, st, st.Field("MaxConcurrency"), asl.At(st, "/MaxConcurrency"), "MaxConcurrency", 0, -1)
				if st.QueryLanguage == asl.JSONPath {
					xorFields(c, st.Node, asl.At(st, ""), "MaxConcurrency", "MaxConcurrencyPath")
				}
			}
		},
	})
}
