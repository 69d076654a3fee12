package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "toplevel-unknown-field", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "the top level has only StartAt, States, Comment, Version, TimeoutSeconds and QueryLanguage",
		Bad:     `{"Coment": "x", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Good:    `{"Comment": "x", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			root := c.Machine.Root.Node
			allowed := sortedKeys(asl.TopLevelFields)
			for _, f := range root.Fields {
				if asl.TopLevelFields[f.Key] {
					continue
				}
				c.Report(f.KeyPos, "/", "Field '%s' is not supported at the top level (allowed: %s)%s", f.Key, quoteList(allowed), suggest(f.Key, allowed))
			}
		},
	})
}
