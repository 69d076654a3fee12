package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "next-target-exists", Severity: Error, AWSCode: "MISSING_TRANSITION_TARGET",
		Summary: "StartAt, Next, Default, Choices[].Next and Catch[].Next name a state of the same States scope",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			var names map[string]bool // every state name of the machine, built at the first missing target
			elsewhere := func(name string) string {
				if names == nil {
					names = make(map[string]bool, len(c.Machine.All))
					for _, st := range c.Machine.All {
						names[st.Name] = true
					}
				}
				if names[name] { // the target's own scope lacks it, so another scope has it
					return " (a state of that name exists in another scope; transitions cannot cross into or out of a Parallel branch or Map processor)"
				}
				return ""
			}
			for _, sc := range c.Machine.Scopes {
				if sc.StartAt != nil && sc.StartAt.Kind == load.String && !c.Opaque(sc.StartAt) && sc.ByName[sc.StartAt.Text] == nil && sc.Node.Get("States") != nil {
					c.Report(sc.StartAt.Pos, sc.Pointer()+"/StartAt", "Missing 'StartAt' target: %s%s", sc.StartAt.Text, elsewhere(sc.StartAt.Text))
				}
			}
			for _, st := range c.Machine.All {
				check := func(n *load.Node, loc asl.Loc) {
					if n == nil || n.Kind != load.String || c.Opaque(n) {
						return
					}
					if st.Scope.ByName[n.Text] == nil {
						c.Report(n.Pos, loc.Pointer(), "Missing 'Next' target: %s%s", n.Text, elsewhere(n.Text))
					}
				}
				check(st.Field("Next"), asl.At(st, "/Next"))
				if st.Type == "Choice" {
					check(st.Field("Default"), asl.At(st, "/Default"))
					for _, r := range st.Choices {
						check(r.Node.Get("Next"), asl.At(r, "/Next"))
					}
				}
				for _, cc := range st.Catch {
					check(cc.Node.Get("Next"), asl.At(cc, "/Next"))
				}
			}
		},
	})
}
