package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-items-mode", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a JSONata Map's Items is an array or a {% %} expression (Items in a JSONPath state is field-not-supported's)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "Items": "$states.input.items", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "Items": "{% $states.input.items %}", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range statesOfType(c, "Map") {
				n := st.Field("Items")
				if n == nil || st.QueryLanguage != asl.JSONata || c.Opaque(n) || n.Kind == load.Array || isTemplate(n) {
					continue
				}
				c.Report(n.Pos, st.Pointer()+"/Items", "The field 'Items' must be an array or a JSONata expression \"{%% ... %%}\", but it is %s", n.Describe())
			}
		},
	})
}
