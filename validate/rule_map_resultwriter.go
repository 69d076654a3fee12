package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-resultwriter", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ResultWriter has Resource and/or WriterConfig; WriterConfig has OutputType JSON|JSONL and Transformation NONE|COMPACT|FLATTEN",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ResultWriter": {"Parameters": {"Bucket": "b", "Prefix": "p"}}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapResultWriter,
	})
}

// writerFields are the fields of a ResultWriter.
var writerFields = map[string]asl.QueryLanguage{"Resource": "", "WriterConfig": "", "Parameters": asl.JSONPath, "Arguments": asl.JSONata}

// checkMapResultWriter checks the ResultWriter of every Map.
func checkMapResultWriter(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		f := st.Node.Field("ResultWriter")
		if f == nil || c.Opaque(f.Value) {
			continue
		}
		loc := asl.At(st, "/ResultWriter")
		rw := f.Value
		if rw.Kind != load.Object {
			c.Report(rw.Pos, loc.Pointer(), "The field 'ResultWriter' must be an object, but it is %s", rw.Describe())
			continue
		}
		subFields(c, st, rw, loc, writerFields)
		if !rw.Has("WriterConfig") {
			// Without WriterConfig the only purpose of a ResultWriter is the export to S3.
			requireFields(c, rw, f.KeyPos, loc, "Resource")
		}
		if r := rw.Get("Resource"); r != nil && r.Kind != load.String && !c.Opaque(r) {
			c.Report(r.Pos, loc.Sub("/Resource").Pointer(), "The field 'Resource' must be a string (arn:aws:states:::s3:putObject), but it is %s", r.Describe())
		}
		if wf := rw.Field("WriterConfig"); wf != nil && !c.Opaque(wf.Value) {
			writerConfig(c, st, wf, loc.Sub("/WriterConfig"))
		}
	}
}

// writerConfig checks ResultWriter.WriterConfig.
func writerConfig(c *Context, st *asl.State, f *load.Field, loc asl.Loc) {
	wc := f.Value
	if wc.Kind != load.Object {
		c.Report(wc.Pos, loc.Pointer(), "The field 'WriterConfig' must be an object, but it is %s", wc.Describe())
		return
	}
	subFields(c, st, wc, loc, map[string]asl.QueryLanguage{"OutputType": "", "Transformation": ""})
	requireFields(c, wc, f.KeyPos, loc, "OutputType")
	checkEnum(c, st, wc.Get("OutputType"), loc.Sub("/OutputType"), "OutputType", "JSON", "JSONL")
	checkEnum(c, st, wc.Get("Transformation"), loc.Sub("/Transformation"), "Transformation", "NONE", "COMPACT", "FLATTEN")
}
