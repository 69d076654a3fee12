package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-itemreader", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ItemReader has Resource; ReaderConfig has valid InputType/CSVHeaderLocation, MaxItems an integer 0..100000000, not with MaxItemsPath",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 100000001}, "Parameters": {"Bucket": "b", "Key": "k"}}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 100}, "Parameters": {"Bucket": "b", "Key": "k"}}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapItemReader,
	})
}

// readerFields are the fields of an ItemReader.
var readerFields = map[string]asl.QueryLanguage{"Resource": "", "ReaderConfig": "", "Parameters": asl.JSONPath, "Arguments": asl.JSONata}

// checkMapItemReader checks the ItemReader of every Map.
func checkMapItemReader(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		f := st.Node.Field("ItemReader")
		if f == nil || c.Opaque(f.Value) {
			continue
		}
		loc := asl.At(st, "/ItemReader")
		ir := f.Value
		if ir.Kind != load.Object {
			c.Report(ir.Pos, loc.Pointer(), "The field 'ItemReader' must be an object, but it is %s", ir.Describe())
			continue
		}
		subFields(c, st, ir, loc, readerFields)
		if requireFields(c, ir, f.KeyPos, loc, "Resource") {
			if r := ir.Get("Resource"); r.Kind != load.String && !c.Opaque(r) {
				c.Report(r.Pos, loc.Sub("/Resource").Pointer(), "The field 'Resource' must be a string (arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2), but it is %s", r.Describe())
			}
		}
		readerConfig(c, st, ir.Field("ReaderConfig"), loc.Sub("/ReaderConfig"))
	}
}

// readerConfig checks ItemReader.ReaderConfig.
func readerConfig(c *Context, st *asl.State, f *load.Field, loc asl.Loc) {
	if f == nil || c.Opaque(f.Value) {
		return
	}
	rc := f.Value
	if rc.Kind != load.Object {
		c.Report(rc.Pos, loc.Pointer(), "The field 'ReaderConfig' must be an object, but it is %s", rc.Describe())
		return
	}
	checkEnum(c, st, rc.Get("InputType"), loc.Sub("/InputType"), "InputType", "CSV", "JSON", "JSONL", "MANIFEST", "PARQUET")
	checkEnum(c, st, rc.Get("CSVHeaderLocation"), loc.Sub("/CSVHeaderLocation"), "CSVHeaderLocation", "FIRST_ROW", "GIVEN")
	checkIntRange(c, st, rc.Get("MaxItems"), loc.Sub("/MaxItems"), "MaxItems", 0, 100000000)
	if p := rc.Field("MaxItemsPath"); p != nil && st.QueryLanguage == asl.JSONata {
		c.Report(p.KeyPos, loc.Pointer(), "The QueryLanguage is set to 'JSONata', but field 'MaxItemsPath' is only supported for the 'JSONPath' QueryLanguage")
	}
	xorFields(c, rc, loc, "MaxItems", "MaxItemsPath")
}
