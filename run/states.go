package run

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/value"
)

// runState runs one state: it returns the state's output and the next state (nil at the end of the
// scope), or the failure that leaves the state.
func (t *thread) runState(st *asl.State, input any) (any, *asl.State, *stateError) {
	si := t.ex.r.info[st]
	entered := t.timestamp()
	enterPrev := t.last
	enterID := t.stateEntered(si, input)
	if !si.simple {
		return t.visit(&stateRun{t: t, si: si, st: st, enterID: enterID, entered: entered, enterPrev: enterPrev}, input)
	}
	// A simple state keeps no reference to its stateRun once it has run: the thread's spare one
	// serves its visits (no allocation per transition).
	s := t.spareRun
	if s == nil {
		s = new(stateRun)
	}
	t.spareRun = nil
	*s = stateRun{t: t, si: si, st: st, enterID: enterID, entered: entered, enterPrev: enterPrev}
	out, next, serr := t.visit(s, input)
	*s = stateRun{} // holds no values for the collector
	t.spareRun = s
	return out, next, serr
}

// visit runs the state of s (entered) and records its exit.
func (t *thread) visit(s *stateRun, input any) (any, *asl.State, *stateError) {
	st, si, entered := s.st, s.si, s.entered
	var ctxObj *value.Object
	if si.usesContext || st.Type == "Task" {
		ctxObj = t.contextObject(st, entered, 0, "")
	}
	s.setContext(ctxObj)

	var out any
	var next = si.next
	var serr *stateError
	switch {
	case si.j != nil && st.Type != "Task" && st.Type != "Map" && st.Type != "Parallel":
		out, next, serr = s.jsonataState(input)
		if st.Type == "Fail" && serr != nil {
			return nil, nil, serr
		}
	default:
		out, next, serr = s.jsonPathState(input)
	}
	if serr == nil && s.assigned != nil {
		var assigned map[string]any
		if assigned, serr = s.applyAssigned(); serr == nil {
			if serr = t.stateExitedAssigned(si, out, assigned); serr != nil {
				return nil, nil, serr
			}
			return out, next, nil
		}
	}
	if serr != nil && serr.evaluation {
		s.evaluationFailed(serr)
	}
	if serr != nil {
		// A state cancelled while in progress (a sibling branch failed, the execution was stopped) is
		// aborted; so is a Task whose failure ends a Parallel branch.
		if serr.aborted || st.Type == "Task" && !serr.runtime && st.Scope.Parent != nil && st.Scope.Parent.Type == "Parallel" {
			t.record(si.events.aborted, "", nil, t.last, false)
		}
		return nil, nil, serr
	}
	if serr := t.stateExited(si, out); serr != nil {
		return nil, nil, serr
	}
	return out, next, nil
}

// jsonPathState runs a JSONPath state (and a JSONata Task, Map or Parallel, which branch inside).
func (s *stateRun) jsonPathState(input any) (out any, next *asl.State, serr *stateError) {
	st, si := s.st, s.si
	next = si.next
	switch st.Type {
	case "Pass":
		out, serr = s.pass(input)
	case "Succeed":
		out, serr = s.succeed(input)
		next = nil
	case "Fail":
		return nil, nil, s.fail(input)
	case "Choice":
		out, next, serr = s.choice(input)
	case "Wait":
		out, serr = s.wait(input)
	case "Task":
		out, next, serr = s.task(input)
	case "Parallel":
		out, next, serr = s.parallel(input)
	case "Map":
		out, next, serr = s.mapState(input)
	default:
		serr = s.runtime(fmt.Sprintf("unsupported state type %q", st.Type))
	}
	return out, next, serr
}

func (s *stateRun) pass(input any) (any, *stateError) {
	eff, err := s.applyPath(s.si.inputPath, input)
	if err != nil {
		return nil, err
	}
	s.inspect(StepAfterInputPath, eff)
	result := eff
	switch {
	case s.si.parameters != nil:
		if result, err = s.template(s.si.parameters, eff); err != nil {
			return nil, err
		}
	case s.si.hasResult:
		result = s.si.result
	}
	s.inspect(StepAfterParameters, result)
	if s.si.hasResult && s.si.parameters == nil {
		if err := s.checkSize(toJSON(result), s.st.Name); err != nil {
			return nil, err
		}
	}
	if err := s.assignPath(s.si.assign, result); err != nil {
		return nil, err
	}
	out, err := s.applyResultPath(s.si.resultPath, input, result)
	if err != nil {
		return nil, err
	}
	s.inspect(StepAfterResultPath, out)
	return s.applyPath(s.si.outputPath, out)
}

func (s *stateRun) succeed(input any) (any, *stateError) {
	eff, err := s.applyPath(s.si.inputPath, input)
	if err != nil {
		return nil, err
	}
	return s.applyPath(s.si.outputPath, eff)
}

func (s *stateRun) fail(input any) *stateError {
	se := &stateError{}
	if s.si.errorLit != nil {
		se.Error = *s.si.errorLit
	}
	if s.si.causeLit != nil {
		se.Cause, se.hasCause = *s.si.causeLit, true
	}
	for _, f := range []struct {
		e    *asl.Expr
		name string
		set  func(string)
	}{
		{s.si.errorExpr, "ErrorPath", func(v string) { se.Error = v }},
		{s.si.causeExpr, "CausePath", func(v string) { se.Cause, se.hasCause = v, true }},
	} {
		if f.e == nil {
			continue
		}
		v, err := s.evalExpr(f.e, f.name, input)
		if err != nil {
			return err
		}
		str, ok := v.(string)
		if !ok {
			str = intrinsic.FormatJSON(v)
		}
		f.set(str)
	}
	return se
}

func (s *stateRun) wait(input any) (any, *stateError) {
	eff, serr := s.applyPath(s.si.inputPath, input)
	if serr != nil {
		return nil, serr
	}
	si := s.si
	now := s.t.timestamp()
	var d time.Duration
	tooLong := false
	switch {
	case si.hasSeconds:
		var ok bool
		d, ok = waitSeconds(si.seconds)
		tooLong = !ok
	case si.hasTimestamp:
		ts, ok := parseTimestamp(si.timestamp)
		if !ok {
			return nil, s.runtime("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + si.timestamp)
		}
		d = ts.Sub(now)
	case si.secondsPath != nil:
		v, err := si.secondsPath.Eval(eff, s.pctx)
		if err != nil {
			return nil, s.runtime("The SecondsPath parameter does not reference an input value: " + si.secondsPath.Source)
		}
		n, ok := integer(v)
		if !ok {
			return nil, s.runtime(fmt.Sprintf("The SecondsPath parameter cannot be parsed as a long value: %s == %s", si.secondsPath.Source, valueText(v)))
		}
		if n < 0 {
			return nil, s.runtime(fmt.Sprintf("The SecondsPath parameter references a negative value: %s == %d", si.secondsPath.Source, n))
		}
		if n > maxWaitSeconds {
			tooLong = true
		} else {
			d = time.Duration(n) * time.Second
		}
	case si.timestampPath != nil:
		v, err := si.timestampPath.Eval(eff, s.pctx)
		if err != nil {
			return nil, s.runtime("The TimestampPath parameter does not reference an input value: " + si.timestampPath.Source)
		}
		str, _ := v.(string)
		ts, ok := parseTimestamp(str)
		if !ok {
			return nil, s.runtime(fmt.Sprintf("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", si.timestampPath.Source, valueText(v)))
		}
		d = ts.Sub(now)
	}
	if tooLong || !waitDelay(d) {
		return nil, s.runtime("Wait state delay is too long.")
	}
	if d > 0 {
		if err := s.t.sleep(d); err != nil {
			return nil, abortedError()
		}
	}
	if err := s.assignPath(si.assign, eff); err != nil {
		return nil, err
	}
	return s.applyPath(si.outputPath, eff)
}

// parseTimestamp parses a timestamp as AWS does (asl.ParseTimestamp decides the format).
func parseTimestamp(s string) (time.Time, bool) { return asl.ParseTimestamp(s) }

func (s *stateRun) choice(input any) (any, *asl.State, *stateError) {
	eff, serr := s.applyPath(s.si.inputPath, input)
	if serr != nil {
		return nil, nil, serr
	}
	next := s.si.dflt
	matched := false
	assign := s.si.assign
	for _, r := range s.si.choices {
		ok, err := s.evalRule(r, eff)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			next, matched, assign = r.next, true, r.assign
			break
		}
	}
	if !matched && next == nil {
		return nil, nil, &stateError{Error: "States.NoChoiceMatched", hasCause: true, runtime: true,
			Cause: s.prefix() + "No Matches!"}
	}
	if err := s.assignPath(assign, eff); err != nil {
		return nil, nil, err
	}
	out, serr := s.applyPath(s.si.outputPath, eff)
	return out, next, serr
}

func (s *stateRun) evalRule(r *rule, input any) (bool, *stateError) {
	switch r.op {
	case "And", "Or", "Not":
		return s.evalCombinator(r, input)
	}
	var v any
	present := true
	if r.variable != nil {
		var err error
		v, err = r.variable.Eval(input, s.pctx)
		if err != nil {
			present = false
		}
	}
	want, _ := r.operand.(bool)
	if r.op == "IsPresent" {
		return present == want, nil
	}
	if !present {
		if strings.HasPrefix(r.op, "Is") {
			return !want, nil
		}
		return false, s.runtime(fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", r.varSrc))
	}
	if is, ok := typeTest(r.op, v); ok {
		return is == want, nil
	}
	operand := r.operand
	if r.operandPath != nil {
		var err error
		operand, err = r.operandPath.Eval(input, s.pctx)
		if err != nil {
			return false, s.runtime(err.Error())
		}
	}
	return compareRule(r, v, operand), nil
}

// evalCombinator evaluates And, Or and Not, stopping at the first rule that decides.
func (s *stateRun) evalCombinator(r *rule, input any) (bool, *stateError) {
	switch r.op {
	case "And":
		for _, n := range r.nested {
			ok, err := s.evalRule(n, input)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "Or":
		for _, n := range r.nested {
			ok, err := s.evalRule(n, input)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	if len(r.nested) == 0 {
		return false, nil
	}
	ok, err := s.evalRule(r.nested[0], input)
	return !ok, err
}

// typeTest answers the Is* operators (but IsPresent) for a present value; handled is false for
// another operator.
func typeTest(op string, v any) (is, handled bool) {
	switch op {
	case "IsNull":
		return v == nil, true
	case "IsNumeric":
		return isNumber(v), true
	case "IsString":
		_, ok := v.(string)
		return ok, true
	case "IsBoolean":
		_, ok := v.(bool)
		return ok, true
	case "IsTimestamp":
		str, ok := v.(string)
		if ok {
			_, ok = parseTimestamp(str)
		}
		return ok, true
	}
	return false, false
}

// compareRule answers the comparison operators (String*, Numeric*, BooleanEquals, Timestamp*,
// and their *Path forms): false when the operands are not both of the operator's type.
func compareRule(r *rule, v, operand any) bool {
	op := strings.TrimSuffix(r.op, "Path")
	switch {
	case op == "StringMatches":
		a, ok1 := v.(string)
		p, ok2 := operand.(string)
		return ok1 && ok2 && stringMatches(a, p)
	case strings.HasPrefix(op, "String"):
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && compare(strings.Compare(a, b), op[len("String"):])
	case strings.HasPrefix(op, "Numeric"):
		c, ok := 0, false
		if r.hasNum {
			if x, isNum := v.(json.Number); isNum {
				if fx, simple := simpleFloat(x); simple {
					c, ok = cmpFloat(fx, r.num), true
				}
			}
		}
		if !ok {
			c, ok = compareNumbers(v, operand)
		}
		return ok && compare(c, op[len("Numeric"):])
	case op == "BooleanEquals":
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b
	case strings.HasPrefix(op, "Timestamp"):
		as, ok1 := v.(string)
		bs, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false
		}
		a, ok1 := parseTimestamp(as)
		b, ok2 := parseTimestamp(bs)
		return ok1 && ok2 && compare(a.Compare(b), op[len("Timestamp"):])
	}
	return false
}

func compare(c int, op string) bool {
	switch op {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// stringMatches matches s against an AWS pattern: `*` matches any run of characters; `\*` and `\\`
// are a literal star and backslash.
func stringMatches(s, pattern string) bool {
	var b strings.Builder
	b.WriteString("(?s)^")
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			i++
			b.WriteString(regexp.QuoteMeta(string(pattern[i])))
		case c == '*':
			b.WriteString(".*")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteByte('$')
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

// simpleFloat parses a number that compareNumbers compares as a float64 (at most 15 characters,
// no exponent); ok is false for the others.
func simpleFloat(x json.Number) (float64, bool) {
	if len(x) > 15 || strings.ContainsAny(string(x), "eE") {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(x), 64)
	return f, err == nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
