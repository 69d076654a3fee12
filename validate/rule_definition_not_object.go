package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "definition-not-object", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "the definition is a JSON object",
		Bad:     `["StartAt", "A"]`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			root := c.Doc.Root
			if root == nil || root.Kind == load.Object {
				return
			}
			c.Report(root.Pos, "/", "Definition must be a valid JSON object, but it is %s", root.Describe())
		},
	})
}
