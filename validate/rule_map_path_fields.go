package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-path-fields", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Map's ...Path fields are strings, and only ItemsPath may read the Context Object ($$)",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrencyPath": "$$.Execution.Input.n", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$$.Execution.Input.items", "MaxConcurrencyPath": "$.n", "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapPathFields,
	})
}

// checkMapPathFields checks the Path-valued fields of JSONPath Map states (JSONata states do not have them).
func checkMapPathFields(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		if st.QueryLanguage != asl.JSONPath {
			continue
		}
		pathField(c, st.Node, asl.At(st, ""), "ItemsPath")
		for _, name := range []string{"MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"} {
			pathField(c, st.Node, asl.At(st, ""), name)
		}
		if ir := objectValue(c, st.Field("ItemReader")); ir != nil {
			pathField(c, objectValue(c, ir.Get("ReaderConfig")), asl.At(st, "/ItemReader/ReaderConfig"), "MaxItemsPath")
		}
		if ib := objectValue(c, st.Field("ItemBatcher")); ib != nil {
			pathField(c, ib, asl.At(st, "/ItemBatcher"), "MaxItemsPerBatchPath")
			pathField(c, ib, asl.At(st, "/ItemBatcher"), "MaxInputBytesPerBatchPath")
		}
	}
}

// pathField checks one Path-valued field of obj: a string, and a "$$" path only for ItemsPath.
func pathField(c *Context, obj *load.Node, loc asl.Loc, name string) {
	n := obj.Get(name)
	if n == nil || c.Opaque(n) {
		return
	}
	loc = loc.Sub("/" + name)
	switch {
	case n.Kind == load.Null && name == "ItemsPath":
		// itemspath-not-null reports it.
	case n.Kind != load.String:
		c.Report(n.Pos, loc.Pointer(), "Value is not a Reference Path: '%s' must be a string such as \"$.count\", but it is %s", name, n.Describe())
	case name != "ItemsPath" && strings.HasPrefix(n.Text, "$$"):
		c.Report(n.Pos, loc.Pointer(), "Value is not a Reference Path: '%s' cannot read the Context Object ($$); only ItemsPath may", name)
	}
}
