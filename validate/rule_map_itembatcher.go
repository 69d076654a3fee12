package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-itembatcher", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ItemBatcher has at least one of MaxItemsPerBatch(Path)/MaxInputBytesPerBatch(Path), positive integers (bytes <= 262144), each not with its ...Path",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemBatcher": {}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemBatcher": {"MaxItemsPerBatch": 10}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapItemBatcher,
	})
}

// batcherFields are the fields of an ItemBatcher.
var batcherFields = map[string]asl.QueryLanguage{
	"MaxItemsPerBatch": "", "MaxItemsPerBatchPath": asl.JSONPath,
	"MaxInputBytesPerBatch": "", "MaxInputBytesPerBatchPath": asl.JSONPath,
	"BatchInput": "",
}

// checkMapItemBatcher checks the ItemBatcher of every Map.
func checkMapItemBatcher(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		f := st.Node.Field("ItemBatcher")
		if f == nil || c.Opaque(f.Value) {
			continue
		}
		loc := asl.At(st, "/ItemBatcher")
		ib := f.Value
		if ib.Kind != load.Object {
			c.Report(ib.Pos, loc.Pointer(), "The field 'ItemBatcher' must be an object, but it is %s", ib.Describe())
			continue
		}
		subFields(c, st, ib, loc, batcherFields)
		if !ib.Has("MaxItemsPerBatch") && !ib.Has("MaxItemsPerBatchPath") && !ib.Has("MaxInputBytesPerBatch") && !ib.Has("MaxInputBytesPerBatchPath") {
			c.Report(f.KeyPos, loc.Pointer(), "ItemBatcher must set at least one of MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch or MaxInputBytesPerBatchPath")
		}
		checkIntRange(c, st, ib.Get("MaxItemsPerBatch"), loc.Sub("/MaxItemsPerBatch"), "MaxItemsPerBatch", 1, -1)
		checkIntRange(c, st, ib.Get("MaxInputBytesPerBatch"), loc.Sub("/MaxInputBytesPerBatch"), "MaxInputBytesPerBatch", 1, 262144)
		xorFields(c, ib, loc, "MaxItemsPerBatch", "MaxItemsPerBatchPath")
		xorFields(c, ib, loc, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
	}
}
