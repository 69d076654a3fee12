package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-processorconfig", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ItemProcessor.ProcessorConfig is an object with Mode INLINE or DISTRIBUTED and, for DISTRIBUTED, ExecutionType STANDARD or EXPRESS",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapProcessorConfig,
	})
}

// checkMapProcessorConfig checks ProcessorConfig in every Map's ItemProcessor.
func checkMapProcessorConfig(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		ip := objectValue(c, st.Field("ItemProcessor"))
		f := ip.Field("ProcessorConfig")
		if f == nil || c.Opaque(f.Value) {
			continue
		}
		loc := asl.At(st, "/ItemProcessor/ProcessorConfig")
		pc := f.Value
		if pc.Kind != load.Object {
			c.Report(pc.Pos, loc.Pointer(), "The field 'ProcessorConfig' must be an object, but it is %s", pc.Describe())
			continue
		}
		subFields(c, st, pc, loc, map[string]asl.QueryLanguage{"Mode": "", "ExecutionType": ""})
		mode := pc.Get("Mode")
		checkEnum(c, st, mode, loc.Sub("/Mode"), "Mode", "INLINE", "DISTRIBUTED")
		et := pc.Get("ExecutionType")
		checkEnum(c, st, et, loc.Sub("/ExecutionType"), "ExecutionType", "STANDARD", "EXPRESS")
		if mode != nil && mode.Kind == load.String && mode.Text == "DISTRIBUTED" && et == nil {
			c.Report(f.KeyPos, loc.Pointer(), "The field 'ExecutionType' is required but was missing (a DISTRIBUTED Map runs child workflows of type STANDARD or EXPRESS)")
		}
	}
}
