package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "map-iterator-deprecated", Severity: Info, AWSCode: "SFN_LINT",
		Summary: "prefer ItemProcessor over the deprecated Iterator, and ItemSelector over a Map's Parameters",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "Iterator": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapIteratorDeprecated,
	})
}

// checkMapIteratorDeprecated points at Iterator and at Map Parameters (JSONPath), both superseded.
func checkMapIteratorDeprecated(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		if f := st.Node.Field("Iterator"); f != nil && !st.Has("ItemProcessor") {
			c.Report(f.KeyPos, st.Pointer()+"/Iterator", "The field 'Iterator' is deprecated: use 'ItemProcessor' (same content, and it also allows ProcessorConfig)")
		}
		if f := st.Node.Field("Parameters"); f != nil && st.QueryLanguage == asl.JSONPath && !st.Has("ItemSelector") {
			c.Report(f.KeyPos, st.Pointer()+"/Parameters", "The field 'Parameters' of a Map state is deprecated: use 'ItemSelector' (same content)")
		}
	}
}
