package validate

import (
	"strconv"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "unresolved-placeholder", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary:                "with --strict-placeholders: no ${Name} / #{Name} placeholder or CloudFormation intrinsic is left in the definition (AWS receives them literally)",
		Bad:                    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "${FunctionArn}", "End": true}}}`,
		Good:                   `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f", "End": true}}}`,
		StrictPlaceholdersOnly: true,
		Check: func(c *Context) {
			placeholderWalk(c, c.Doc.Root, "")
		},
	})
}

// placeholderWalk reports every placeholder value under n (pointer is n's AWS-style location).
func placeholderWalk(c *Context, n *load.Node, pointer string) {
	if n == nil {
		return
	}
	if asl.IsPlaceholder(n) {
		what := "value " + n.Describe()
		if n.Tag != "" {
			what = "CloudFormation " + n.Tag + " value"
		} else if n.Kind == load.Object {
			what = "CloudFormation intrinsic {\"" + n.Fields[0].Key + "\": ...}"
		}
		c.Report(n.Pos, pointer, "Unresolved placeholder: %s is substituted at deploy time; without substitution AWS receives it literally", what)
		return
	}
	switch n.Kind {
	case load.Object:
		for _, f := range n.Fields {
			placeholderWalk(c, f.Value, pointer+"/"+f.Key)
		}
	case load.Array:
		for i, it := range n.Items {
			placeholderWalk(c, it, pointer+"["+strconv.Itoa(i)+"]")
		}
	}
}
