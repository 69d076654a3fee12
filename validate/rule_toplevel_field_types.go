package validate

import (
	"math/big"

	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "toplevel-field-types", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "top-level Comment and Version are strings and TimeoutSeconds is a positive integer",
		Bad:     `{"StartAt": "A", "TimeoutSeconds": "60", "States": {"A": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A", "TimeoutSeconds": 60, "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			root := c.Machine.Root.Node
			for _, name := range []string{"Comment", "Version"} {
				if v := root.Get(name); v != nil && v.Kind != load.String && !c.Opaque(v) {
					c.Report(v.Pos, "/"+name, "The field '%s' must be a string, but it is %s", name, v.Describe())
				}
			}
			if v := root.Get("TimeoutSeconds"); v != nil && !c.Opaque(v) {
				checkTopTimeout(c, v)
			}
		},
	})
}

// checkTopTimeout reports a top-level TimeoutSeconds that is not a positive integer.
func checkTopTimeout(c *Context, v *load.Node) {
	n, isInt := intValue(v)
	switch {
	case !isInt:
		c.Report(v.Pos, "/TimeoutSeconds", "The field 'TimeoutSeconds' must be a positive integer (seconds), but it is %s", v.Describe())
	case n.Cmp(big.NewInt(1)) < 0:
		c.Report(v.Pos, "/TimeoutSeconds", "Minimum value is 1: the field 'TimeoutSeconds' must be a positive integer (seconds), but it is %s", v.Text)
	}
}
