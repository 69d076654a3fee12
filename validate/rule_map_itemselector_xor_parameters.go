package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "map-itemselector-xor-parameters", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Map state has at most one of ItemSelector and (deprecated) Parameters",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemSelector": {"a.$": "$$.Map.Item.Value"}, "Parameters": {"a.$": "$$.Map.Item.Value"}, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemSelector": {"a.$": "$$.Map.Item.Value"}, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range statesOfType(c, "Map") {
				// In JSONata, Parameters is not supported at all (field-not-supported reports it).
				if st.QueryLanguage == asl.JSONPath {
					xorFields(c, st.Node, asl.At(st, ""), "ItemSelector", "Parameters")
				}
			}
		},
	})
}
