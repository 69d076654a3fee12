package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// largeStaticPayload is the size from which a literal payload is reported: 16 KiB, a sixteenth of
// the 256 KiB payload quota and of the 1 MB definition quota (service-quotas.html), and a cost: an
// Express execution's billed memory counts the definition's size (aws.amazon.com/step-functions/pricing).
const largeStaticPayload = 16 << 10

func init() {
	register(&Rule{
		ID: "payload-large-static", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: no literal payload (Parameters, Arguments, Result, ResultSelector, ItemSelector, Output, Assign) is over 16 KiB: keep large data in S3 and pass its key",
		Bad: `# YAML aliases make this short: Result holds 20 KiB of literal rows
StartAt: P
States:
  P:
    Type: Pass
    Result:
      row: &row "0123456789012345678901234567890123456789012345678901234567890123"
      block: &block [*row, *row, *row, *row, *row, *row, *row, *row]
      page: &page [*block, *block, *block, *block, *block, *block, *block, *block]
      rows: [*page, *page, *page, *page, *page]
    End: true`,
		Good: `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"rows": {"Bucket": "data", "Key": "rows.json"}}, "End": true}}}`,
		Check: func(c *Context) {
			eachPayload(c, func(st *asl.State, field string, n *load.Node) {
				if size := literalSize(n, largeStaticPayload+1); size > largeStaticPayload {
					c.Report(n.Pos, st.Pointer()+"/"+field,
						"%s of %q holds over %d KiB of literal data: it is copied into every execution's history and counts against the 256 KiB payload and 1 MB definition quotas (and an Express execution's billed memory); keep it in S3 (or a parameter store) and pass its key (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html)",
						field, st.Name, largeStaticPayload>>10)
				}
			})
		},
	})
}

// literalSize approximates the size of a value's JSON text (keys, strings, numbers and punctuation),
// stopping once it passes limit.
func literalSize(n *load.Node, limit int) int {
	size := 0
	var walk func(n *load.Node)
	walk = func(n *load.Node) {
		if size > limit {
			return
		}
		switch n.Kind {
		case load.String, load.Number:
			size += len(n.Text) + 2
		case load.Object:
			size += 2
			for _, f := range n.Fields {
				size += len(f.Key) + 4
				walk(f.Value)
			}
		case load.Array:
			size += 2
			for _, it := range n.Items {
				size++
				walk(it)
			}
		default:
			size += 5
		}
	}
	walk(n)
	return size
}
