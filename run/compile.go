package run

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// Everything the interpreter needs from the definition is looked up once, when the Runner is built:
// each state's paths, templates, rules, retriers and catchers point at the ASTs that pkg/asl parsed.

// pathField is an InputPath / OutputPath / ResultPath: absent means "$", null means "none".
type pathField struct {
	p    *path.Path
	null bool
}

// tmpl is a compiled payload template (Parameters, ResultSelector, ItemSelector, ...).
type tmpl struct {
	static bool
	lit    any // when static
	obj    bool
	fields []tmplField
	items  []*tmpl
	expr   *asl.Expr // a "key.$" value
}

type tmplField struct {
	key string // without ".$"
	src string // as written
	t   *tmpl
}

// rule is a compiled Choice rule.
type rule struct {
	op          string // "And", "Or", "Not" or a comparison operator
	nested      []*rule
	variable    *path.Path
	varSrc      string
	operand     any
	operandPath *path.Path
	// num: the literal operand of a Numeric comparison as a float64, parsed once (hasNum: it is
	// one that compareNumbers compares as a float64).
	num    float64
	hasNum bool
	next   *asl.State
	// Variables: a top-level rule's Assign (JSONPath), or a JSONata rule's Condition, Output, Assign.
	assign                  *tmpl
	jcond, joutput, jassign *jv
}

type retrier struct {
	errors      []string
	interval    float64
	maxAttempts int64
	backoff     float64
	maxDelay    float64 // 0: none
	jitterFull  bool
}

type catcher struct {
	errors     []string
	resultPath pathField
	next       *asl.State
	assign     *tmpl // JSONPath Assign
	// JSONata Output and Assign
	joutput, jassign *jv
}

type stateInfo struct {
	st   *asl.State
	next *asl.State
	// events: the state's event types, built once (not concatenated per transition).
	events eventTypes
	// simple: a JSONPath Pass, Choice, Succeed or Wait state, whose visit keeps no reference to
	// its stateRun (which is then reused, states.go).
	simple bool

	inputPath, outputPath, resultPath pathField
	parameters, resultSelector        *tmpl
	itemSelector                      *tmpl
	credentials                       *tmpl // a Task's Credentials
	result                            any
	hasResult                         bool

	choices []*rule
	dflt    *asl.State

	retriers []retrier
	catchers []catcher

	// Task
	resource                  string
	timeout, heartbeat        int64 // seconds, 0: none
	timeoutPath, heartbeatPth *path.Path
	// Wait
	seconds       any
	hasSeconds    bool
	timestamp     string
	hasTimestamp  bool
	secondsPath   *path.Path
	timestampPath *path.Path
	// Fail
	errorLit, causeLit *string
	errorExpr          *asl.Expr
	causeExpr          *asl.Expr
	// Map
	itemsPath          *path.Path
	maxConcurrency     int64
	maxConcurrencyPath *path.Path
	toleratedCount     int64
	toleratedCountPath *path.Path
	toleratedPct       float64
	toleratedPctPath   *path.Path
	hasTolerance       bool
	distributed        bool
	childExpress       bool // a distributed Map whose child executions are EXPRESS
	label              string

	// usesContext: an expression of the state reads the context object ($$).
	usesContext bool

	// assign is a JSONPath state's Assign; j holds a JSONata state's fields.
	assign *tmpl
	j      *jsonataInfo
}

type compiler struct {
	exprs map[*load.Node]*asl.Expr
	errs  []string
}

func (c *compiler) errf(st *asl.State, format string, args ...any) {
	c.errs = append(c.errs, st.Pointer()+": "+fmt.Sprintf(format, args...))
}

// expr returns the parsed expression held by n.
func (c *compiler) expr(st *asl.State, n *load.Node, field string) *asl.Expr {
	e := c.exprs[n]
	if e == nil {
		c.errf(st, "%s: %q is not a parsed expression", field, n.Text)
		return nil
	}
	if e.Err != nil {
		c.errf(st, "%s: %v", field, e.Err)
		return nil
	}
	return e
}

func (c *compiler) pathField(st *asl.State, obj *load.Node, name string) pathField {
	n := obj.Get(name)
	if n == nil {
		return pathField{}
	}
	if n.Kind == load.Null {
		return pathField{null: true}
	}
	if n.Kind != load.String {
		c.errf(st, "%s must be a string or null", name)
		return pathField{}
	}
	if n.Text == "$" {
		return pathField{}
	}
	if e := c.expr(st, n, name); e != nil {
		return pathField{p: e.Path}
	}
	return pathField{}
}

func (c *compiler) refPath(st *asl.State, obj *load.Node, name string) *path.Path {
	n := obj.Get(name)
	if n == nil || n.Kind != load.String {
		return nil
	}
	if e := c.expr(st, n, name); e != nil {
		return e.Path
	}
	return nil
}

func (c *compiler) template(st *asl.State, n *load.Node) *tmpl {
	switch n.Kind {
	case load.Object:
		t := &tmpl{obj: true, static: true}
		for i := range n.Fields {
			f := &n.Fields[i]
			if strings.HasSuffix(f.Key, ".$") {
				e := c.exprs[f.Value]
				if e == nil || e.Err != nil {
					if e != nil {
						c.errf(st, "%s: %v", f.Key, e.Err)
					} else {
						c.errf(st, "%s: not an expression", f.Key)
					}
					continue
				}
				t.static = false
				t.fields = append(t.fields, tmplField{key: strings.TrimSuffix(f.Key, ".$"), src: f.Key, t: &tmpl{expr: e}})
				continue
			}
			ft := c.template(st, f.Value)
			if !ft.static {
				t.static = false
			}
			t.fields = append(t.fields, tmplField{key: f.Key, src: f.Key, t: ft})
		}
		if t.static {
			t.lit = nodeValue(n)
		} else {
			awsFieldOrder(t.fields)
		}
		return t
	case load.Array:
		t := &tmpl{static: true}
		for _, it := range n.Items {
			ft := c.template(st, it)
			if !ft.static {
				t.static = false
			}
			t.items = append(t.items, ft)
		}
		if t.static {
			t.lit = nodeValue(n)
		}
		return t
	}
	return &tmpl{static: true, lit: nodeValue(n)}
}

func (c *compiler) optTemplate(st *asl.State, name string) *tmpl {
	if n := st.Field(name); n != nil {
		return c.template(st, n)
	}
	return nil
}

func numField(n *load.Node, name string) (float64, bool) {
	v := n.Get(name)
	if v == nil || v.Kind != load.Number {
		return 0, false
	}
	f, ok := number(nodeValue(v))
	return f, ok
}

func stringList(n *load.Node) []string {
	var out []string
	if n != nil && n.Kind == load.Array {
		for _, it := range n.Items {
			if it.Kind == load.String {
				out = append(out, it.Text)
			}
		}
	}
	return out
}

func (c *compiler) state(st *asl.State) *stateInfo {
	si := &stateInfo{st: st, events: eventTypesOf(st.Type)}
	switch st.Type {
	case "Pass", "Choice", "Succeed", "Wait":
		// Nothing of these keeps its stateRun once it has run (a JSONata one's evaluation
		// environment points into it, and is made anew for the next state that uses it).
		si.simple = true
	}
	if name, ok := st.NextName(); ok {
		si.next = st.Scope.ByName[name]
		if si.next == nil {
			c.errf(st, "Next names no state: %q", name)
		}
	}
	jsonataMode := st.QueryLanguage == asl.JSONata
	c.dataFlow(st, si, jsonataMode)
	if r := st.Field("Result"); r != nil {
		si.result, si.hasResult = nodeValue(r), true
	}
	si.retriers = retriers(st)
	si.catchers = c.catchers(st, jsonataMode)
	c.typeFields(st, si, jsonataMode)
	return si
}

// dataFlow compiles the data-flow fields: JSONata's (Arguments, Output, Assign, ...) or
// JSONPath's (InputPath, Parameters or ItemSelector, ResultSelector, ResultPath, OutputPath,
// Assign, Credentials).
func (c *compiler) dataFlow(st *asl.State, si *stateInfo, jsonataMode bool) {
	n := st.Node
	if jsonataMode {
		c.jsonataState(st, si)
	} else {
		si.assign = c.optTemplate(st, "Assign")
	}
	si.inputPath = c.pathField(st, n, "InputPath")
	si.outputPath = c.pathField(st, n, "OutputPath")
	si.resultPath = c.pathField(st, n, "ResultPath")
	switch {
	case jsonataMode:
	case st.Type == "Map":
		si.itemSelector = c.optTemplate(st, "ItemSelector")
		if si.itemSelector == nil {
			si.itemSelector = c.optTemplate(st, "Parameters")
		}
	default:
		si.parameters = c.optTemplate(st, "Parameters")
	}
	if !jsonataMode {
		si.resultSelector = c.optTemplate(st, "ResultSelector")
		if st.Type == "Task" {
			si.credentials = c.optTemplate(st, "Credentials")
		}
	}
}

// retriers reads a state's Retry, with AWS's defaults (IntervalSeconds 1, MaxAttempts 3,
// BackoffRate 2).
func retriers(st *asl.State) []retrier {
	var out []retrier
	for _, r := range st.Retry {
		rt := retrier{errors: stringList(r.Node.Get("ErrorEquals")), interval: 1, maxAttempts: 3, backoff: 2}
		if v, ok := numField(r.Node, "IntervalSeconds"); ok {
			rt.interval = v
		}
		if v, ok := numField(r.Node, "MaxAttempts"); ok {
			rt.maxAttempts = clampFloat(v)
		}
		if v, ok := numField(r.Node, "BackoffRate"); ok {
			rt.backoff = v
		}
		if v, ok := numField(r.Node, "MaxDelaySeconds"); ok {
			rt.maxDelay = v
		}
		if j := r.Node.Get("JitterStrategy"); j != nil && j.Text == "FULL" {
			rt.jitterFull = true
		}
		out = append(out, rt)
	}
	return out
}

// catchers compiles a state's Catch.
func (c *compiler) catchers(st *asl.State, jsonataMode bool) []catcher {
	var out []catcher
	for _, k := range st.Catch {
		ct := catcher{errors: stringList(k.Node.Get("ErrorEquals"))}
		if jsonataMode {
			ct.joutput = c.jvalue(st, k.Node.Get("Output"), "Output")
			ct.jassign = c.jvalue(st, k.Node.Get("Assign"), "Assign")
		} else {
			ct.resultPath = c.pathField(st, k.Node, "ResultPath")
			if a := k.Node.Get("Assign"); a != nil {
				ct.assign = c.template(st, a)
			}
		}
		if nx := k.Node.Get("Next"); nx != nil && nx.Kind == load.String {
			ct.next = st.Scope.ByName[nx.Text]
		}
		if ct.next == nil {
			c.errf(st, "a Catch has no valid Next")
		}
		out = append(out, ct)
	}
	return out
}

// typeFields compiles the fields of the state's type (Task, Wait, Fail, Choice, Map, Parallel).
func (c *compiler) typeFields(st *asl.State, si *stateInfo, jsonataMode bool) {
	n := st.Node
	switch st.Type {
	case "Task":
		if r := st.Field("Resource"); r != nil {
			si.resource = r.Text
		}
		if v, ok := numField(n, "TimeoutSeconds"); ok {
			si.timeout = clampFloat(v)
		}
		if v, ok := numField(n, "HeartbeatSeconds"); ok {
			si.heartbeat = clampFloat(v)
		}
		si.timeoutPath = c.refPath(st, n, "TimeoutSecondsPath")
		si.heartbeatPth = c.refPath(st, n, "HeartbeatSecondsPath")
	case "Wait":
		if v := n.Get("Seconds"); v != nil {
			si.seconds, si.hasSeconds = nodeValue(v), true
		}
		if v := n.Get("Timestamp"); v != nil {
			si.timestamp, si.hasTimestamp = v.Text, true
		}
		si.secondsPath = c.refPath(st, n, "SecondsPath")
		si.timestampPath = c.refPath(st, n, "TimestampPath")
	case "Fail":
		if v := n.Get("Error"); v != nil && v.Kind == load.String {
			s := v.Text
			si.errorLit = &s
		}
		if v := n.Get("Cause"); v != nil && v.Kind == load.String {
			s := v.Text
			si.causeLit = &s
		}
		if v := n.Get("ErrorPath"); v != nil && v.Kind == load.String {
			si.errorExpr = c.expr(st, v, "ErrorPath")
		}
		if v := n.Get("CausePath"); v != nil && v.Kind == load.String {
			si.causeExpr = c.expr(st, v, "CausePath")
		}
	case "Choice":
		for _, r := range st.Choices {
			if jsonataMode {
				si.choices = append(si.choices, c.jsonataRule(st, r))
				continue
			}
			cr := c.rule(st, r)
			if a := r.Node.Get("Assign"); a != nil {
				cr.assign = c.template(st, a)
			}
			si.choices = append(si.choices, cr)
		}
		if d := n.Get("Default"); d != nil && d.Kind == load.String {
			si.dflt = st.Scope.ByName[d.Text]
		}
	case "Map":
		c.mapFields(st, si)
	case "Parallel":
		for i, b := range st.Branches {
			if b.Start() == nil {
				c.errf(st, "branch %d has no valid StartAt", i)
			}
		}
	}
}

func (c *compiler) rule(st *asl.State, r *asl.ChoiceRule) *rule {
	out := &rule{}
	n := r.Node
	if nx := n.Get("Next"); nx != nil && nx.Kind == load.String {
		out.next = st.Scope.ByName[nx.Text]
	}
	switch {
	case n.Has("And"):
		out.op = "And"
	case n.Has("Or"):
		out.op = "Or"
	case n.Has("Not"):
		out.op = "Not"
	}
	if out.op != "" {
		for _, nr := range r.Nested {
			out.nested = append(out.nested, c.rule(st, nr))
		}
		return out
	}
	if v := n.Get("Variable"); v != nil && v.Kind == load.String {
		if e := c.expr(st, v, "Variable"); e != nil {
			out.variable, out.varSrc = e.Path, v.Text
		}
	}
	for i := range n.Fields {
		f := &n.Fields[i]
		kind, ok := asl.ComparisonOperators[f.Key]
		if !ok {
			continue
		}
		out.op = f.Key
		if kind == "path" {
			if e := c.expr(st, f.Value, f.Key); e != nil {
				out.operandPath = e.Path
			}
		} else {
			out.operand = nodeValue(f.Value)
			if x, ok := out.operand.(json.Number); ok && strings.HasPrefix(f.Key, "Numeric") {
				out.num, out.hasNum = simpleFloat(x)
			}
		}
	}
	if out.op == "" {
		c.errf(st, "a Choice rule has no comparison operator")
	}
	return out
}

// awsFieldOrder puts the fields of a JSONPath payload template in the order of AWS's output: the
// static fields first, in the template's order, then the path and intrinsic ("key.$") fields in
// the order of a Java HashMap holding them (value.HashMapOrder). Every multi-field template in the
// execution histories recorded on AWS (../shared/conformance) follows this rule, e.g. Parameters
// {"Question.$": …, "Answer.$": …} gives {"Answer": …, "Question": …} and {"Iterations.$": …,
// "Values.$": …} gives {"Values": …, "Iterations": …}.
func awsFieldOrder(fields []tmplField) {
	var static []tmplField
	var dynamic []value.Member
	for _, f := range fields {
		if f.t.expr != nil {
			dynamic = append(dynamic, value.Member{Key: f.key, Value: f})
		} else {
			static = append(static, f)
		}
	}
	if len(dynamic) == 0 {
		return
	}
	value.HashMapOrder(dynamic)
	out := append(static, make([]tmplField, 0, len(dynamic))...)
	for _, m := range dynamic {
		out = append(out, m.Value.(tmplField))
	}
	copy(fields, out)
}

// mapFields compiles a Map state's own fields: ItemsPath, MaxConcurrency, the tolerated failures,
// the processor's mode and execution type, Label.
func (c *compiler) mapFields(st *asl.State, si *stateInfo) {
	n := st.Node
	si.itemsPath = c.refPath(st, n, "ItemsPath")
	if v, ok := numField(n, "MaxConcurrency"); ok {
		si.maxConcurrency = clampFloat(v)
	}
	si.maxConcurrencyPath = c.refPath(st, n, "MaxConcurrencyPath")
	if v, ok := numField(n, "ToleratedFailureCount"); ok {
		si.toleratedCount, si.hasTolerance = int64(v), true
	}
	if v, ok := numField(n, "ToleratedFailurePercentage"); ok {
		si.toleratedPct, si.hasTolerance = v, true
	}
	si.toleratedCountPath = c.refPath(st, n, "ToleratedFailureCountPath")
	si.toleratedPctPath = c.refPath(st, n, "ToleratedFailurePercentagePath")
	if si.toleratedCountPath != nil || si.toleratedPctPath != nil {
		si.hasTolerance = true
	}
	if st.Processor != nil {
		pc := st.Processor.Node.Get("ProcessorConfig")
		if m := pc.Get("Mode"); m != nil && m.Text == "DISTRIBUTED" {
			si.distributed = true
		}
		if e := pc.Get("ExecutionType"); e != nil && e.Text == Express {
			si.childExpress = true
		}
	}
	if l := n.Get("Label"); l != nil {
		si.label = l.Text
	}
	if st.Processor == nil || st.Processor.Start() == nil {
		c.errf(st, "Map has no ItemProcessor with a valid StartAt")
	}
}
