package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "itemspath-not-null", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Map's ItemsPath is a Reference Path, never null (omit it to iterate over the whole input)",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": null, "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range statesOfType(c, "Map") {
				if n := st.Field("ItemsPath"); n != nil && n.Kind == load.Null && st.QueryLanguage == asl.JSONPath {
					c.Report(n.Pos, st.Pointer()+"/ItemsPath", "The field 'ItemsPath' cannot be null: it must be a Reference Path such as \"$.items\" (omit it to iterate over the whole input)")
				}
			}
		},
	})
}
