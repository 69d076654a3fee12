package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-distributed-only", Severity: Info, AWSCode: "SFN_LINT",
		Summary: "ItemReader, ResultWriter, ItemBatcher, ToleratedFailure* and Label only take effect in a DISTRIBUTED Map",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "Files", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "Files", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapDistributedOnly,
	})
}

// distributedFields are the Map fields that only Distributed mode uses.
var distributedFields = []string{"ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label"}

// mapMode returns the Map's processor mode: "INLINE" when no mode is given, "DISTRIBUTED",
// or "" when it cannot be told (placeholder, malformed).
func mapMode(c *Context, st *asl.State) string {
	ip := st.Field("ItemProcessor")
	if ip == nil {
		if st.Has("Iterator") {
			return "INLINE"
		}
		return ""
	}
	if ip.Kind != load.Object || c.Opaque(ip) {
		return ""
	}
	pc := ip.Get("ProcessorConfig")
	if pc == nil {
		return "INLINE"
	}
	if pc.Kind != load.Object || c.Opaque(pc) {
		return ""
	}
	mode := pc.Get("Mode")
	switch {
	case mode == nil:
		return "INLINE"
	case mode.Kind == load.String && (mode.Text == "INLINE" || mode.Text == "DISTRIBUTED"):
		return mode.Text
	}
	return ""
}

// checkMapDistributedOnly reports Distributed-only fields on an inline Map.
func checkMapDistributedOnly(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		if mapMode(c, st) != "INLINE" {
			continue
		}
		for _, name := range distributedFields {
			if f := st.Node.Field(name); f != nil {
				c.Report(f.KeyPos, st.Pointer()+"/"+name, "The field '%s' only takes effect in a Distributed Map: set \"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": ...} in ItemProcessor", name)
			}
		}
	}
}
