package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "polling-loop-unbounded", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: a polling loop (a cycle through a Wait, a Task and a Choice) has a Choice with a numeric or timestamp bound, so that it cannot run until the 25,000-event history limit",
		Bad: `{"StartAt": "Check", "States": {
  "Check": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun", "Parameters": {"JobName": "j", "RunId.$": "$.runId"}, "ResultPath": "$.run", "Next": "Done?"},
  "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.run.JobRun.JobRunState", "StringEquals": "SUCCEEDED", "Next": "Ok"}], "Default": "Wait"},
  "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Check"},
  "Ok": {"Type": "Succeed"}}}`,
		Good: `{"StartAt": "Check", "States": {
  "Check": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun", "Parameters": {"JobName": "j", "RunId.$": "$.runId", "Attempt.$": "States.MathAdd($.attempt, 1)"}, "ResultSelector": {"State.$": "$.JobRun.JobRunState"}, "ResultPath": "$.run", "Next": "Done?"},
  "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.run.State", "StringEquals": "SUCCEEDED", "Next": "Ok"},
    {"Variable": "$.attempt", "NumericGreaterThan": 20, "Next": "Gave up"}], "Default": "Wait"},
  "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Check"},
  "Ok": {"Type": "Succeed"}, "Gave up": {"Type": "Fail", "Error": "PollTimeout"}}}`,
		Check: func(c *Context) {
			for _, sc := range c.Machine.Scopes {
				for _, cycle := range cycles(sc) {
					checkPollingCycle(c, cycle)
				}
			}
		},
	})
}

// checkPollingCycle reports a cycle (a strongly connected set of states) that holds a Wait, a Task
// and a Choice but no Choice rule comparing a number or a timestamp.
func checkPollingCycle(c *Context, cycle []*asl.State) {
	var wait, task, choice *asl.State
	for _, st := range cycle {
		switch st.Type {
		case "Wait":
			wait = cmpFirst(wait, st)
		case "Task":
			task = cmpFirst(task, st)
		case "Choice":
			choice = cmpFirst(choice, st)
			if boundedChoice(st) {
				return
			}
		}
	}
	if wait == nil || task == nil || choice == nil {
		return
	}
	c.Report(choice.NamePos, choice.Pointer(),
		"polling loop %q -> %q -> %q has no counter or deadline: if the awaited state never comes, it runs until the execution fails at 25,000 history events, each transition billed; count the attempts and add a Numeric (or Timestamp) Choice rule that leaves the loop (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html)",
		wait.Name, task.Name, choice.Name)
}

// cmpFirst keeps the state that comes first in the document.
func cmpFirst(a, b *asl.State) *asl.State {
	if a == nil || b.Index < a.Index {
		return b
	}
	return a
}

// boundedChoice reports whether a Choice state has a rule comparing numbers or timestamps
// (JSONPath Numeric*/Timestamp* operators, or a JSONata Condition with < or >).
func boundedChoice(st *asl.State) bool {
	var walk func(r *asl.ChoiceRule) bool
	walk = func(r *asl.ChoiceRule) bool {
		if r.Node == nil || r.Node.Kind != load.Object {
			return false
		}
		for _, f := range r.Node.Fields {
			if strings.HasPrefix(f.Key, "Numeric") || strings.HasPrefix(f.Key, "Timestamp") {
				return true
			}
			if f.Key == "Condition" && f.Value.Kind == load.String && strings.ContainsAny(f.Value.Text, "<>") {
				return true
			}
		}
		for _, n := range r.Nested {
			if walk(n) {
				return true
			}
		}
		return false
	}
	for _, r := range st.Choices {
		if walk(r) {
			return true
		}
	}
	return false
}

// cycles returns the strongly connected components of a scope's transition graph that contain a
// cycle (Tarjan's algorithm, iterative so that deep chains cannot exhaust the stack).
func cycles(sc *asl.StateMachine) [][]*asl.State {
	index := map[*asl.State]int{}
	low := map[*asl.State]int{}
	onStack := map[*asl.State]bool{}
	var stack []*asl.State
	var out [][]*asl.State
	next := 0
	type frame struct {
		st *asl.State
		i  int
	}
	for _, root := range sc.States {
		if _, seen := index[root]; seen {
			continue
		}
		work := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack, onStack[root] = append(stack, root), true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if succ := f.st.Next(); f.i < len(succ) {
				w := succ[f.i]
				f.i++
				if _, seen := index[w]; !seen {
					index[w], low[w] = next, next
					next++
					stack, onStack[w] = append(stack, w), true
					work = append(work, frame{w, 0})
				} else if onStack[w] {
					low[f.st] = min(low[f.st], index[w])
				}
				continue
			}
			v := f.st
			work = work[:len(work)-1]
			if len(work) > 0 {
				p := work[len(work)-1].st
				low[p] = min(low[p], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			var comp []*asl.State
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 || selfLoop(v) {
				out = append(out, comp)
			}
		}
	}
	return out
}

// selfLoop reports whether a state can transition to itself.
func selfLoop(st *asl.State) bool {
	for _, n := range st.Next() {
		if n == st {
			return true
		}
	}
	return false
}
