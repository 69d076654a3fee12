package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "payload-duplicate-after-strip", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a payload template does not hold both 'x' and 'x.$' (they name the same output field)",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id": "static", "id.$": "$.id"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "End": true}}}`,
		Check: func(c *Context) {
			for _, e := range c.Machine.Exprs {
				if e.Kind != asl.KindPayload || e.Parent == nil {
					continue
				}
				plain := strings.TrimSuffix(e.Key, ".$")
				if f := e.Parent.Field(plain); f != nil {
					c.Report(e.KeyPos, exprPayloadLocation(e), "Duplicate field '%s': '%s' and '%s' both produce the field '%s'; keep only one", plain, plain, e.Key, plain)
				}
			}
		},
	})
}
