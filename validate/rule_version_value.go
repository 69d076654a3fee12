package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "version-value", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "the top-level Version, when present, is \"1.0\" (the only ASL version)",
		Bad:     `{"Version": "2.0", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Good:    `{"Version": "1.0", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			v := c.Machine.Root.Node.Get("Version")
			if v == nil || v.Kind != load.String || c.Opaque(v) || v.Text == "1.0" {
				return // absent, "1.0", or not a string (toplevel-field-types)
			}
			c.Report(v.Pos, "/Version", "The field 'Version' should be \"1.0\" (the only version of the States language), but it is %s", v.Describe())
		},
	})
}
