package asl

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/path"
)

// ExprKind says which grammar an expression value is written in.
type ExprKind int

// The expression kinds.
const (
	// KindPath is a Path: InputPath, OutputPath, a Choice rule's Variable or a *Path comparator operand.
	KindPath ExprKind = iota
	// KindReferencePath is a Reference Path: ItemsPath, SecondsPath, TimestampPath, *SecondsPath, ...
	KindReferencePath
	// KindResultPath is a ResultPath (no $$, no variables).
	KindResultPath
	// KindPayload is the value of a "key.$" field in a payload template or a JSONPath Assign:
	// a Path, a $$ path, a variable path or an intrinsic function call.
	KindPayload
	// KindErrorPath is a Fail state's ErrorPath or CausePath: a Reference Path or an intrinsic call.
	KindErrorPath
	// KindJSONata is a "{% ... %}" string in a JSONata state.
	KindJSONata
)

// Expr is one expression value of the definition, parsed once into its AST.
type Expr struct {
	Kind   ExprKind
	Node   *load.Node // the string value
	Key    string     // the field name holding it ("InputPath", "total.$", "Output", ...)
	KeyPos load.Pos
	// Parent is the object holding the field (for payload templates: the template object with the
	// "key.$" field and its siblings).
	Parent *load.Node
	State  *State
	// Field is the state-level field the expression sits under ("Parameters", "Assign", "Output",
	// "Arguments", "Choices", "Catch", ...).
	Field string
	// Catcher is set when the expression is inside a Catch entry; Rule when inside a Choice rule.
	Catcher *Catcher
	Rule    *ChoiceRule
	// Placeholder is IsPlaceholder(Node), computed once (rules test it for every expression).
	Placeholder bool
	at          place // the location of the value (see Pointer)

	Path    *path.Path      // KindPath, KindReferencePath, KindResultPath; payload paths
	Call    *intrinsic.Call // payload / error path intrinsic calls
	JSONata *jsonata.Expr   // KindJSONata
	// Err is the syntax error, nil when the value parsed. A "key.$" payload field whose value is not a
	// string is collected too (KindPayload, Node of another kind) with an Err saying so.
	Err error
}

// Source returns the expression text (for JSONata: the text between the delimiters).
func (e *Expr) Source() string {
	if e.Kind == KindJSONata {
		s, _ := jsonata.Template(e.Node.Text)
		return s
	}
	return e.Node.Text
}

// jsonPathRefFields are the state fields holding a Reference Path in JSONPath states.
var jsonPathRefFields = []string{
	"ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
	"MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath",
}

// payloadFields are the state fields holding payload templates in JSONPath states.
var payloadFields = []string{"Parameters", "ResultSelector", "ItemSelector", "Assign", "Credentials"}

// jsonataSkip are state fields never evaluated as JSONata.
var jsonataSkip = map[string]bool{
	"Type": true, "Comment": true, "QueryLanguage": true, "Next": true, "End": true, "Default": true,
	"Branches": true, "ItemProcessor": true, "Iterator": true, "Choices": true, "Catch": true, "Retry": true,
	"Label": true, "Resource": true,
}

// JSONataSkipField reports whether a state field is never evaluated as JSONata in a JSONata state
// (Type, Comment, Next, Choices, Catch, Label, Resource, ...).
func JSONataSkipField(name string) bool { return jsonataSkip[name] }

func (m *Machine) collectExprs() {
	parsed := map[parseKey]parsedExpr{}
	for _, st := range m.All {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		c := &collector{m: m, st: st, parsed: parsed}
		if st.QueryLanguage == JSONata {
			c.jsonataState()
		} else {
			c.jsonPathState()
		}
	}
}

type collector struct {
	m       *Machine
	parsed  map[parseKey]parsedExpr // expressions are immutable once parsed: equal texts share one AST
	st      *State
	field   string
	catcher *Catcher
	rule    *ChoiceRule
}

func (c *collector) add(kind ExprKind, parent *load.Node, f *load.Field, at place) *Expr {
	e := &Expr{Kind: kind, Node: f.Value, Key: f.Key, KeyPos: f.KeyPos, Parent: parent, at: at, State: c.st,
		Field: c.field, Catcher: c.catcher, Rule: c.rule, Placeholder: IsPlaceholder(f.Value)}
	s := f.Value.Text
	switch {
	case kind == KindPayload && f.Value.Kind != load.String:
		e.Err = &path.SyntaxError{Offset: 0, Message: "expected a string holding a path or an intrinsic function call, found " + f.Value.Kind.String()}
		c.m.Exprs = append(c.m.Exprs, e)
		return e
	}
	key := parseKey{kind, s}
	if p, ok := c.parsed[key]; ok {
		e.Path, e.Call, e.JSONata, e.Err = p.path, p.call, p.jsonata, p.err
		c.m.Exprs = append(c.m.Exprs, e)
		return e
	}
	switch kind {
	case KindPath:
		e.Path, e.Err = path.ParseIn(s, path.ContextPath)
	case KindReferencePath:
		e.Path, e.Err = path.ParseIn(s, path.ContextReferencePath)
	case KindResultPath:
		e.Path, e.Err = path.ParseIn(s, path.ContextResultPath)
	case KindPayload:
		e.Path, e.Call, e.Err = intrinsic.ParsePayloadValue(s)
	case KindErrorPath:
		if intrinsic.IsCall(s) {
			e.Call, e.Err = intrinsic.Parse(s)
		} else {
			e.Path, e.Err = path.ParseIn(s, path.ContextReferencePath)
		}
	case KindJSONata:
		src, _ := jsonata.Template(s)
		e.JSONata, e.Err = jsonata.Parse(src)
	}
	c.parsed[key] = parsedExpr{e.Path, e.Call, e.JSONata, e.Err}
	c.m.Exprs = append(c.m.Exprs, e)
	return e
}

// parseKey identifies an expression text in one grammar.
type parseKey struct {
	kind ExprKind
	text string
}

// parsedExpr is the parse of one expression text.
type parsedExpr struct {
	path    *path.Path
	call    *intrinsic.Call
	jsonata *jsonata.Expr
	err     error
}

// stringField adds the expression held by obj[name] when it is a string (null means "no path").
func (c *collector) stringField(obj *load.Node, name string, kind ExprKind, at place) {
	f := obj.Field(name)
	if f == nil || f.Value.Kind != load.String || IsPlaceholder(f.Value) && !strings.HasPrefix(f.Value.Text, "$") {
		return
	}
	c.add(kind, obj, f, at.field(name))
}

func (c *collector) jsonPathState() {
	st := c.st
	n := st.Node
	here := place{at: st}
	for _, name := range []string{"InputPath", "OutputPath"} {
		c.field = name
		c.stringField(n, name, KindPath, here)
	}
	c.field = "ResultPath"
	c.stringField(n, "ResultPath", KindResultPath, here)
	for _, name := range jsonPathRefFields {
		c.field = name
		c.stringField(n, name, KindReferencePath, here)
	}
	for _, name := range []string{"ErrorPath", "CausePath"} {
		c.field = name
		c.stringField(n, name, KindErrorPath, here)
	}
	for _, name := range payloadFields {
		if f := n.Field(name); f != nil {
			c.field = name
			c.payload(f.Value, here.field(name))
		}
	}
	for _, name := range []string{"ItemReader", "ItemBatcher", "ResultWriter"} {
		if f := n.Field(name); f != nil && f.Value.Kind == load.Object {
			c.field = name
			c.mapConfig(f.Value, here.field(name))
		}
	}
	for _, r := range st.Choices {
		c.field = "Choices"
		c.choiceRule(r)
	}
	c.field = "Catch"
	for _, cc := range st.Catch {
		if cc.Node == nil || cc.Node.Kind != load.Object {
			continue
		}
		c.catcher = cc
		c.stringField(cc.Node, "ResultPath", KindResultPath, place{at: cc})
		if f := cc.Node.Field("Assign"); f != nil {
			c.payload(f.Value, place{at: cc}.field("Assign"))
		}
	}
	c.catcher = nil
}

// mapConfig collects ItemReader / ItemBatcher / ResultWriter expressions: Parameters and BatchInput are
// payload templates; *Path fields (MaxItemsPath, MaxItemsPerBatchPath, ...) are reference paths.
func (c *collector) mapConfig(obj *load.Node, at place) {
	for i := range obj.Fields {
		f := &obj.Fields[i]
		switch {
		case f.Key == "Parameters" || f.Key == "Arguments" || f.Key == "BatchInput":
			c.payload(f.Value, at.field(f.Key))
		case strings.HasSuffix(f.Key, "Path") && f.Value.Kind == load.String:
			c.add(KindReferencePath, obj, f, at.field(f.Key))
		case f.Value.Kind == load.Object:
			c.mapConfig(f.Value, at.field(f.Key))
		}
	}
}

func (c *collector) choiceRule(r *ChoiceRule) {
	if r.Node == nil || r.Node.Kind != load.Object {
		return
	}
	c.rule = r
	here := place{at: r}
	c.stringField(r.Node, "Variable", KindPath, here)
	for i := range r.Node.Fields {
		f := &r.Node.Fields[i]
		if strings.HasSuffix(f.Key, "Path") && ComparisonOperators[f.Key] == "path" && f.Value.Kind == load.String {
			c.add(KindPath, r.Node, f, here.field(f.Key))
		}
	}
	if f := r.Node.Field("Assign"); f != nil && r.TopLevel {
		c.payload(f.Value, here.field("Assign"))
	}
	c.rule = nil
	for _, nr := range r.Nested {
		c.choiceRule(nr)
	}
}

// payload walks a payload template and adds every "key.$" value.
func (c *collector) payload(n *load.Node, at place) {
	switch n.Kind {
	case load.Object:
		for i := range n.Fields {
			f := &n.Fields[i]
			p := at.field(f.Key)
			if strings.HasSuffix(f.Key, ".$") && (f.Value.Kind == load.String || !IsPlaceholder(f.Value)) {
				c.add(KindPayload, n, f, p)
				continue
			}
			c.payload(f.Value, p)
		}
	case load.Array:
		for i, it := range n.Items {
			c.payload(it, at.item(i))
		}
	}
}

func (c *collector) jsonataState() {
	st := c.st
	for i := range st.Node.Fields {
		f := &st.Node.Fields[i]
		if jsonataSkip[f.Key] {
			continue
		}
		c.field = f.Key
		c.jsonataValue(f, place{at: st}.field(f.Key))
	}
	for _, r := range st.Choices {
		if r.Node == nil || r.Node.Kind != load.Object {
			continue
		}
		c.field, c.rule = "Choices", r
		for _, name := range []string{"Condition", "Output", "Assign"} {
			if f := r.Node.Field(name); f != nil {
				c.jsonataValue(f, place{at: r}.field(name))
			}
		}
	}
	c.rule = nil
	c.field = "Catch"
	for _, cc := range st.Catch {
		if cc.Node == nil || cc.Node.Kind != load.Object {
			continue
		}
		c.catcher = cc
		for _, name := range []string{"Output", "Assign"} {
			if f := cc.Node.Field(name); f != nil {
				c.jsonataValue(f, place{at: cc}.field(name))
			}
		}
	}
	c.catcher = nil
}

// jsonataValue adds every "{% %}" string inside a field's value (objects and arrays are walked).
func (c *collector) jsonataValue(f *load.Field, at place) {
	switch f.Value.Kind {
	case load.String:
		if _, ok := jsonata.Template(f.Value.Text); ok {
			c.add(KindJSONata, nil, f, at)
		}
	case load.Object:
		for i := range f.Value.Fields {
			cf := &f.Value.Fields[i]
			c.jsonataValue(cf, at.field(cf.Key))
		}
	case load.Array:
		for i, it := range f.Value.Items {
			c.jsonataValue(&load.Field{Key: f.Key, KeyPos: f.KeyPos, Value: it}, at.item(i))
		}
	}
}
