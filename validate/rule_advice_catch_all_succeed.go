package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "catch-all-succeed", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: a Catcher of every error (States.ALL, States.TaskFailed) does not lead straight to a Succeed (the execution would report SUCCEEDED and hide the failure)",
		Bad: `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]}, "Done": {"Type": "Succeed"}}}`,
		Good: `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]}, "Done": {"Type": "Succeed"}, "Failed": {"Type": "Fail", "Error": "OrderFailed"}}}`,
		Check: func(c *Context) {
			for _, h := range handlersOf(c, "Catch") {
				// Inside a Parallel branch or a Map iteration, catching into a Succeed is how an item's
				// failure is tolerated on purpose; only the execution's own status is judged here.
				if h.State.Scope.Parent != nil || !handlerMatches(handlerErrors(h.Node), "Any.Error") {
					continue
				}
				next := h.Node.Get("Next")
				if !next.IsString() {
					continue
				}
				if end := swallowedAt(h.State.Scope, next.Text); end != "" {
					c.Report(next.Pos, h.Pointer()+"/Next",
						"%s [%d] of %q catches every error and goes to %s: the execution then reports SUCCEEDED, so no ExecutionsFailed alarm or caller sees the failure; end in a Fail state, or handle and re-raise (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)",
						h.Kind, h.Index, h.State.Name, end)
				}
			}
		},
	})
}

// swallowedAt follows Pass states from the state named name; it describes where the execution ends
// successfully without doing anything ("Succeed state \"Done\"", "Pass state \"X\" with End"), or
// returns "" when another kind of state is reached.
func swallowedAt(sc *asl.StateMachine, name string) string {
	seen := map[*asl.State]bool{}
	for st := sc.ByName[name]; st != nil && !seen[st]; {
		seen[st] = true
		switch {
		case st.Type == "Succeed":
			return "Succeed state \"" + st.Name + "\""
		case st.Type == "Pass" && st.IsEnd():
			return "Pass state \"" + st.Name + "\", which ends the execution"
		case st.Type != "Pass":
			return ""
		}
		n, ok := st.NextName()
		if !ok {
			return ""
		}
		st = sc.ByName[n]
	}
	return ""
}
