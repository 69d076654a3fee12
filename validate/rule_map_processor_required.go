package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "map-processor-required", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Map state has exactly one of ItemProcessor / Iterator, an object with StartAt and States",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapProcessorRequired,
	})
}

// checkMapProcessorRequired checks the ItemProcessor (or deprecated Iterator) of every Map state.
func checkMapProcessorRequired(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		ip, it := st.Node.Field("ItemProcessor"), st.Node.Field("Iterator")
		switch {
		case ip == nil && it == nil:
			c.Report(st.NamePos, st.Pointer(), "The field 'ItemProcessor' is required but was missing (a Map state needs ItemProcessor, or the deprecated Iterator)")
		case ip != nil && it != nil:
			xorFields(c, st.Node, asl.At(st, ""), "ItemProcessor", "Iterator")
		case ip != nil:
			checkNestedScope(c, ip.Value, asl.At(st, "/ItemProcessor"), "'ItemProcessor'")
		default:
			checkNestedScope(c, it.Value, asl.At(st, "/Iterator"), "'Iterator'")
		}
	}
}
