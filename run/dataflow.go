package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

func jsonInt(i int) json.Number { return json.Number(strconv.Itoa(i)) }

// maxPayload is AWS's payload limit (256 KiB).
const maxPayload = 256 * 1024

// stateRun is the evaluation context of one state visit.
type stateRun struct {
	t       *thread
	si      *stateInfo
	st      *asl.State
	enterID int64
	// enterPrev is the previous event of the state-entered event.
	enterPrev int64
	entered   time.Time
	ctxObj    *value.Object
	pctx      *path.EvalContext // &pc (setContext)
	pc        path.EvalContext
	// assigned: the variables the state assigns, applied when it exits (variables.go).
	assigned *pending
	// env is the JSONata evaluation environment (jenv), envOwner the stateRun it was made for;
	// envB and envCtx are the bindings of the evaluation under way.
	env      jsonata.Env
	envOwner *stateRun
	envB     *bindings
	// bind holds the bindings of a JSONata Pass, Succeed, Fail, Wait or Choice state.
	bind   bindings
	envCtx bool
}

func (s *stateRun) prefix() string {
	return fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). ", s.st.Name, s.enterID)
}

func (s *stateRun) runtime(msg string) *stateError {
	return &stateError{Error: "States.Runtime", Cause: s.prefix() + msg, hasCause: true, runtime: true}
}

// applyPath applies an InputPath or OutputPath.
func (s *stateRun) applyPath(pf pathField, v any) (any, *stateError) {
	if pf.null {
		return value.NewObject(0), nil
	}
	if pf.p == nil {
		return v, nil
	}
	out, err := pf.p.Eval(v, s.pctx)
	if err != nil {
		return nil, s.runtime(err.Error())
	}
	return out, nil
}

// applyResultPath places result into input as ResultPath says.
func (s *stateRun) applyResultPath(pf pathField, input, result any) (any, *stateError) {
	if pf.null {
		return input, nil
	}
	if pf.p == nil {
		return result, nil
	}
	out, err := pf.p.Set(input, result)
	if err != nil {
		return nil, &stateError{Error: "States.ResultPathMatchFailure", Cause: s.prefix() + fmt.Sprintf(
			"Unable to apply ReferencePath %s to input '%s'", pf.p.Source, intrinsic.FormatJSON(input)), hasCause: true, runtime: true}
	}
	return out, nil
}

// evalExpr evaluates a payload value (path or intrinsic call).
func (s *stateRun) evalExpr(e *asl.Expr, field string, input any) (any, *stateError) {
	if e.Call != nil {
		v, err := intrinsic.EvalWith(e.Call, input, s.pctx, s.t.ex.intrinsicEnv())
		if err != nil {
			var nf *path.NotFoundError
			if errors.As(err, &nf) {
				return nil, s.runtime(err.Error())
			}
			return nil, &stateError{Error: "States.IntrinsicFailure", Cause: s.prefix() + err.Error(), hasCause: true, runtime: true}
		}
		return v, nil
	}
	v, err := e.Path.Eval(input, s.pctx)
	if err != nil {
		var limit *path.LimitError
		if errors.As(err, &limit) { // the evaluation was stopped, nothing was "not found"
			return nil, s.runtime(err.Error())
		}
		return nil, s.runtime(fmt.Sprintf("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
			e.Path.Source, field, intrinsic.FormatJSON(input)))
	}
	return v, nil
}

// template evaluates a compiled payload template against input.
func (s *stateRun) template(t *tmpl, input any) (any, *stateError) {
	if t.static {
		return t.lit, nil
	}
	if t.expr != nil {
		return s.evalExpr(t.expr, "", input)
	}
	if t.obj {
		out := value.NewObject(len(t.fields)) // fields in AWS's order (awsFieldOrder)
		for _, f := range t.fields {
			var v any
			var err *stateError
			if f.t.expr != nil {
				v, err = s.evalExpr(f.t.expr, f.src, input)
			} else {
				v, err = s.template(f.t, input)
			}
			if err != nil {
				return nil, err
			}
			out.Set(f.key, v)
		}
		return out, nil
	}
	out := make([]any, len(t.items))
	for i, it := range t.items {
		v, err := s.template(it, input)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// checkSize fails with States.DataLimitExceeded when the JSON text of a result is over 256 KiB.
func (s *stateRun) checkSize(text string, who string) *stateError {
	if s.t.ex.overLimit(len(text)) {
		return &stateError{Error: "States.DataLimitExceeded", Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", who), hasCause: true}
	}
	return nil
}

// intrinsicEnv gives States.UUID and an unseeded States.MathRandom the execution's seeded source
// (that of JSONata's $uuid and $random): a run with the same execution name and seed gives the
// same values (sfn test's snapshots).
// It is made once per execution (initEvents).
func (ex *execution) intrinsicEnv() *intrinsic.Env { return ex.intrEnv }

func (ex *execution) newIntrinsicEnv() *intrinsic.Env {
	return &intrinsic.Env{UUID: ex.uuidFn, Int63n: func(n int64) int64 {
		return min(int64(ex.random()*float64(n)), n-1)
	}}
}
