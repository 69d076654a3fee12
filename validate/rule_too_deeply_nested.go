package validate

import "strconv"

// maxScopeDepth is how many levels of Parallel / Map nesting sfn accepts without a warning. AWS reports
// TOO_DEEPLY_NESTED but does not document its threshold; real-world definitions nest at most 5 levels.
const maxScopeDepth = 10

func init() {
	register(&Rule{
		ID: "too-deeply-nested", Severity: Warning, AWSCode: "TOO_DEEPLY_NESTED",
		Summary: "Parallel and Map states are nested at most 10 levels deep",
		Bad:     nestedExample(maxScopeDepth + 1),
		Good:    nestedExample(2),
		Check: func(c *Context) {
			for _, sc := range c.Machine.Scopes {
				if sc.Depth != maxScopeDepth+1 || sc.Parent == nil {
					continue
				}
				p := sc.Parent
				c.Report(p.NamePos, p.Pointer(), "State %q nests Parallel/Map states %d levels deep; AWS rejects definitions that are too deeply nested (code TOO_DEEPLY_NESTED, limit undocumented), so keep nesting to at most %d levels or move the inner part into a separate state machine", p.Name, sc.Depth, maxScopeDepth)
			}
		},
	})
}

// nestedExample builds a definition with depth levels of nested Parallel states.
func nestedExample(depth int) string {
	inner := `{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}`
	for i := 0; i < depth; i++ {
		name := "P" + strconv.Itoa(depth-i)
		inner = `{"StartAt": "` + name + `", "States": {"` + name + `": {"Type": "Parallel", "End": true, "Branches": [` + inner + `]}}}`
	}
	return inner
}
