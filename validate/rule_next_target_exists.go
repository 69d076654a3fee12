package validate

import (
	"strconv"
	"strings"

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
				ds := danglingTargets(c, sc)
				if len(ds) == 0 {
					continue
				}
				// unreachable-state stays quiet in this scope: the states it would report are named here.
				var cut []string
				if c.ruleActive("unreachable-state") && graphKnown(c, sc) && sc.HasTerminal() {
					cut = unreachableNames(sc)
				}
				var names []string
				for _, d := range ds {
					hint := elsewhere(d.target.Text)
					if hint == "" { // a misspelling of a state cut off, else of any state of the scope
						hint = suggest(d.target.Text, cut)
					}
					if hint == "" {
						if names == nil {
							names = stateNames(sc)
						}
						hint = suggest(d.target.Text, names)
					}
					c.Report(d.target.Pos, d.loc.Pointer(), "Missing 'Next' target: %s%s%s", d.target.Text, hint, cutOff(cut))
				}
			}
		},
	})
}

// stateNames lists the names of a scope's states.
func stateNames(sc *asl.StateMachine) []string {
	out := make([]string, 0, len(sc.States))
	for _, st := range sc.States {
		out = append(out, st.Name)
	}
	return out
}

// cutOff names the states of a scope with missing targets that cannot be reached (at most five names).
func cutOff(names []string) string {
	if len(names) == 0 {
		return ""
	}
	const most = 5
	shown := names[:min(len(names), most)]
	quoted := make([]string, len(shown))
	for i, n := range shown {
		quoted[i] = strconv.Quote(n)
	}
	list := strings.Join(quoted, ", ")
	if len(names) > most {
		list += " and " + strconv.Itoa(len(names)-most) + " more"
	}
	return "; " + list + " cannot be reached from StartAt either"
}
