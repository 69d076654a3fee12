package handler

import (
	"context"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// Stub answers with a fixed outcome, or with one outcome per invocation (req.Attempt) of a
// sequence whose last entry repeats. Lambda invoke results are wrapped as AWS wraps them.
type Stub struct {
	Outcomes []Outcome
}

// Invoke implements run.TaskHandler.
func (s *Stub) Invoke(_ context.Context, req run.TaskRequest) run.TaskResult {
	if len(s.Outcomes) == 0 {
		return Shape(req, run.TaskResult{Output: value.NewObject(0)})
	}
	i := min(max(req.Attempt, 0), len(s.Outcomes)-1)
	o := s.Outcomes[i]
	if o.Failed {
		return run.TaskResult{Failed: true, Error: o.Error, Cause: o.Cause}
	}
	return Shape(req, run.TaskResult{Output: copyJSON(o.Result)})
}
