package suite

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/validate"
)

// Limits of a test file (hostile input: the file is read whole before anything runs).
const (
	MaxCases    = 10000 // cases per file
	MaxRegexLen = 1000  // characters of a /regular expression/
	maxMockStep = 1 << 20
)

// Keys of each mapping of the format (the strict reader refuses others, with a hint).
var (
	fileKeys   = []string{"machine", "state-machine", "subs", "type", "config", "mock-config", "mock-state-machine", "no-validate", "cases"}
	caseKeys   = []string{"name", "input", "input-file", "mock-case", "mocks", "handlers", "snapshot", "expect"}
	expectKeys = []string{"status", "error", "cause", "output", "output-contains", "path", "path-contains", "counts", "states", "assert"}
	stateKeys  = []string{"input", "input-contains", "output", "output-contains", "result", "result-contains", "parameters", "parameters-contains", "retries", "error", "cause", "variables", "visit"}
	statuses   = []string{"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
)

// Parse reads the text of a test file. It checks the format only; Load resolves the machine and
// checks the state names. The error is Errors.
func Parse(path string, src []byte) (*File, error) {
	doc, err := load.Parse(path, src, load.FormatFor(path, src))
	if err != nil {
		if le, ok := err.(*load.Error); ok {
			return nil, Errors{{File: path, Pos: le.Pos, Msg: le.Message}}
		}
		return nil, Errors{{File: path, Msg: err.Error()}}
	}
	if load.IsDefinition(doc.Root) {
		return nil, Errors{{File: path, Pos: doc.Root.Pos, Msg: "a state machine definition, not a test file (sfn test --generate " + path + " writes one)"}}
	}
	p := &parser{file: path}
	f := p.file1(doc.Root)
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	f.Path, f.Source, f.Root = path, src, doc.Root
	return f, nil
}

type parser struct {
	file string
	errs Errors
}

func (p *parser) errorf(pos load.Pos, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// object checks that n is a mapping whose keys are all allowed.
func (p *parser) object(n *load.Node, what string, allowed []string) bool {
	if n == nil || n.Kind != load.Object {
		p.errorf(posOf(n), "%s: want a mapping, not %s", what, n.Describe())
		return false
	}
	for _, f := range n.Fields {
		if !contains(allowed, f.Key) {
			p.errorf(f.KeyPos, "%s: unknown key %q%s (want one of %s)", what, f.Key, validate.Suggest(f.Key, allowed), strings.Join(allowed, ", "))
		}
	}
	return true
}

func posOf(n *load.Node) load.Pos {
	if n == nil {
		return load.Pos{}
	}
	return n.Pos
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *parser) str(n *load.Node, what string) string {
	if n.Kind != load.String || n.Text == "" {
		p.errorf(n.Pos, "%s: want a non-empty string, not %s", what, n.Describe())
		return ""
	}
	return n.Text
}

func (p *parser) boolean(n *load.Node, what string) bool {
	if n.Kind != load.Bool {
		p.errorf(n.Pos, "%s: want true or false, not %s", what, n.Describe())
	}
	return n.Bool
}

func (p *parser) count(n *load.Node, what string) (int, bool) {
	if n.Kind == load.Number {
		if v, err := strconv.Atoi(n.Text); err == nil && v >= 0 {
			return v, true
		}
	}
	p.errorf(n.Pos, "%s: want a whole number >= 0, not %s", what, n.Describe())
	return 0, false
}

func (p *parser) file1(root *load.Node) *File {
	f := &File{}
	if !p.object(root, "test file", fileKeys) {
		return f
	}
	for _, fl := range root.Fields {
		v := fl.Value
		switch fl.Key {
		case "machine":
			f.Machine, f.MachinePos = p.str(v, "machine"), v.Pos
		case "state-machine":
			f.StateMachine = p.str(v, "state-machine")
		case "subs":
			if v.Kind != load.Object {
				p.errorf(v.Pos, "subs: want a mapping of substitution names to values, not %s", v.Describe())
			} else {
				f.Subs = map[string]string{}
				for _, s := range v.Fields {
					if s.Value.Kind != load.String && s.Value.Kind != load.Number && s.Value.Kind != load.Bool {
						p.errorf(s.Value.Pos, "subs.%s: want a string, not %s", s.Key, s.Value.Describe())
						continue
					}
					f.Subs[s.Key] = scalarText(s.Value)
				}
			}
		case "type":
			f.Type = strings.ToUpper(p.str(v, "type"))
			if f.Type != "" && f.Type != "STANDARD" && f.Type != "EXPRESS" {
				p.errorf(v.Pos, "type: want STANDARD or EXPRESS, not %s", v.Describe())
			}
		case "config":
			f.Config, f.ConfigPos = p.str(v, "config"), v.Pos
		case "mock-config":
			f.MockConfig, f.MockPos = p.str(v, "mock-config"), v.Pos
		case "mock-state-machine":
			f.MockMachine = p.str(v, "mock-state-machine")
		case "no-validate":
			f.NoValidate = p.boolean(v, "no-validate")
		case "cases":
			p.cases(f, v)
		}
	}
	if f.Machine == "" && root.Get("machine") == nil {
		p.errorf(root.Pos, "test file: missing key \"machine\" (the definition or template to test, relative to this file)")
	}
	if root.Get("cases") == nil {
		p.errorf(root.Pos, "test file: missing key \"cases\" (a list of test cases)")
	}
	return f
}

func scalarText(n *load.Node) string {
	if n.Kind == load.Bool {
		return strconv.FormatBool(n.Bool)
	}
	return n.Text
}

func (p *parser) cases(f *File, n *load.Node) {
	if n.Kind != load.Array || len(n.Items) == 0 {
		p.errorf(n.Pos, "cases: want a non-empty list of test cases, not %s", n.Describe())
		return
	}
	if len(n.Items) > MaxCases {
		p.errorf(n.Pos, "cases: %d cases; at most %d per file", len(n.Items), MaxCases)
		return
	}
	seen := map[string]load.Pos{}
	for i, it := range n.Items {
		c := p.case1(it, i)
		if c == nil {
			continue
		}
		if prev, dup := seen[c.Name]; dup {
			p.errorf(c.Pos, "cases[%d]: a case named %q already exists at line %d", i, c.Name, prev.Line)
		}
		seen[c.Name] = c.Pos
		f.Cases = append(f.Cases, c)
	}
}

func (p *parser) case1(n *load.Node, i int) *Case {
	what := fmt.Sprintf("cases[%d]", i)
	if !p.object(n, what, caseKeys) {
		return nil
	}
	c := &Case{Pos: n.Pos}
	if nm := n.Get("name"); nm != nil {
		c.Name = p.str(nm, what+".name")
		c.Pos = nm.Pos
		what = fmt.Sprintf("case %q", c.Name)
	} else {
		p.errorf(n.Pos, "%s: missing key \"name\"", what)
	}
	for _, fl := range n.Fields {
		v := fl.Value
		switch fl.Key {
		case "input":
			c.Input, c.InputPos = valueOf(v), v.Pos
		case "input-file":
			c.InputFile, c.InputPos = p.str(v, what+": input-file"), v.Pos
		case "mock-case":
			c.MockCase, c.MockPos = p.str(v, what+": mock-case"), v.Pos
		case "mocks":
			c.Mocks = p.mocks(v, what)
		case "handlers":
			c.Handlers = p.handlers(v, what)
		case "snapshot":
			c.Snapshot = p.boolean(v, what+": snapshot")
		case "expect":
			p.expect(&c.Expect, v, what)
		}
	}
	if n.Has("input") && n.Has("input-file") {
		p.errorf(n.Get("input-file").Pos, "%s: input and input-file exclude each other", what)
	}
	return c
}

// mocks reads inline mocks: per state, the MockConfigFile response shape ({"0": {"Return": ...},
// "1-2": {"Throw": {...}}}) or one response for every invocation ({"Return": ...}).
func (p *parser) mocks(n *load.Node, what string) map[string]*Mock {
	if n.Kind != load.Object {
		p.errorf(n.Pos, "%s: mocks: want a mapping of state names to mocked responses, not %s", what, n.Describe())
		return nil
	}
	out := map[string]*Mock{}
	for _, f := range n.Fields {
		m := &Mock{State: f.Key, Pos: f.KeyPos}
		w := what + ": mocks." + f.Key
		v := f.Value
		if v.Kind != load.Object || len(v.Fields) == 0 {
			p.errorf(v.Pos, "%s: want {Return: ...}, {Throw: {Error: ..., Cause: ...}} or {\"0\": ..., \"1-2\": ...}, not %s", w, v.Describe())
			continue
		}
		if v.Has("Return") || v.Has("Throw") {
			if s, ok := p.step(v, w); ok {
				s.From, s.To = 0, math.MaxInt
				m.Steps = []handler.MockStep{s}
			}
		} else {
			for _, sf := range v.Fields {
				from, to, ok := parseRange(sf.Key)
				if !ok {
					p.errorf(sf.KeyPos, "%s: %q: want an invocation number (\"0\"), an inclusive range (\"1-2\"), Return or Throw%s", w, sf.Key, validate.Suggest(sf.Key, []string{"Return", "Throw"}))
					continue
				}
				if s, ok := p.step(sf.Value, w+"."+sf.Key); ok {
					s.From, s.To = from, to
					m.Steps = append(m.Steps, s)
				}
			}
			sort.Slice(m.Steps, func(i, j int) bool { return m.Steps[i].From < m.Steps[j].From })
			for i := 1; i < len(m.Steps); i++ {
				if m.Steps[i].From <= m.Steps[i-1].To {
					p.errorf(f.KeyPos, "%s: invocations %d-%d and %d-%d overlap", w, m.Steps[i-1].From, m.Steps[i-1].To, m.Steps[i].From, m.Steps[i].To)
				}
			}
		}
		out[f.Key] = m
	}
	return out
}

func parseRange(key string) (from, to int, ok bool) {
	a, b, isRange := strings.Cut(key, "-")
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to = from
	var err2 error
	if isRange {
		to, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	return from, to, err1 == nil && err2 == nil && from >= 0 && to >= from && to < maxMockStep
}

func (p *parser) step(n *load.Node, what string) (handler.MockStep, bool) {
	var s handler.MockStep
	if !p.object(n, what, []string{"Return", "Throw"}) {
		return s, false
	}
	ret, thr := n.Get("Return"), n.Get("Throw")
	switch {
	case (ret == nil) == (thr == nil):
		p.errorf(n.Pos, "%s: want exactly one of Return or Throw", what)
		return s, false
	case ret != nil:
		s.Return = ret.Interface()
		return s, true
	}
	if !p.object(thr, what+".Throw", []string{"Error", "Cause"}) {
		return s, false
	}
	s.Throw = true
	ok := true
	if e := thr.Get("Error"); e == nil {
		p.errorf(thr.Pos, "%s.Throw: missing key \"Error\"", what)
		ok = false
	} else if e.Kind != load.String {
		p.errorf(e.Pos, "%s.Throw.Error: want an error name, not %s", what, e.Describe())
		ok = false
	} else {
		s.Error = e.Text // "" as some services fail: no error name
	}
	if c := thr.Get("Cause"); c != nil {
		if c.Kind != load.String {
			p.errorf(c.Pos, "%s.Throw.Cause: want a string, not %s", what, c.Describe())
		}
		s.Cause = c.Text
	}
	return s, ok
}

func (p *parser) handlers(n *load.Node, what string) map[string]*Override {
	if n.Kind != load.Object {
		p.errorf(n.Pos, "%s: handlers: want a mapping of state names to sfn.yaml task handlers, not %s", what, n.Describe())
		return nil
	}
	out := map[string]*Override{}
	for _, f := range n.Fields {
		out[f.Key] = &Override{State: f.Key, Pos: f.KeyPos, Node: f.Value}
	}
	return out
}

func (p *parser) expect(e *Expect, n *load.Node, what string) {
	what += ": expect"
	if !p.object(n, what, expectKeys) {
		return
	}
	for _, f := range n.Fields {
		v := f.Value
		switch f.Key {
		case "status":
			e.Status, e.StatusPos = p.str(v, what+".status"), v.Pos
			if e.Status != "" && !contains(statuses, e.Status) {
				p.errorf(v.Pos, "%s.status: %q is not a status%s (want one of %s)", what, e.Status, validate.Suggest(e.Status, statuses), strings.Join(statuses, ", "))
			}
		case "error":
			e.Error = p.text(v, what+".error")
		case "cause":
			e.Cause = p.text(v, what+".cause")
		case "output", "output-contains":
			if e.Output != nil {
				p.errorf(f.KeyPos, "%s: output and output-contains exclude each other", what)
			}
			e.Output = &Value{Pos: v.Pos, Key: f.Key, Want: v.Interface(), Contains: f.Key == "output-contains"}
		case "path", "path-contains":
			if e.Path != nil {
				p.errorf(f.KeyPos, "%s: path and path-contains exclude each other", what)
			}
			e.Path = &PathExpect{Pos: v.Pos, Contains: f.Key == "path-contains", States: p.names(v, what+"."+f.Key)}
		case "counts":
			if v.Kind != load.Object {
				p.errorf(v.Pos, "%s.counts: want a mapping of state names to numbers, not %s", what, v.Describe())
				continue
			}
			for _, c := range v.Fields {
				if k, ok := p.count(c.Value, what+".counts."+c.Key); ok {
					e.Counts = append(e.Counts, &Count{Pos: c.KeyPos, State: c.Key, N: k})
				}
			}
		case "states":
			p.states(e, v, what)
		case "assert":
			p.asserts(e, v, what)
		}
	}
}

func (p *parser) names(n *load.Node, what string) []string {
	if n.Kind != load.Array {
		p.errorf(n.Pos, "%s: want a list of state names, not %s", what, n.Describe())
		return nil
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		out = append(out, p.str(it, what+" item"))
	}
	return out
}

// text reads an exact string or a /regular expression/.
func (p *parser) text(n *load.Node, what string) *Text {
	if n.Kind != load.String {
		p.errorf(n.Pos, "%s: want a string or a /regular expression/, not %s", what, n.Describe())
		return nil
	}
	t := &Text{Pos: n.Pos, Exact: n.Text}
	if s := n.Text; len(s) >= 2 && s[0] == '/' && s[len(s)-1] == '/' {
		if len(s) > MaxRegexLen {
			p.errorf(n.Pos, "%s: regular expression of %d characters; at most %d", what, len(s), MaxRegexLen)
			return nil
		}
		re, err := regexp.Compile(s[1 : len(s)-1])
		if err != nil {
			p.errorf(n.Pos, "%s: %v", what, err)
			return nil
		}
		t.Re = re
	}
	return t
}

func (p *parser) states(e *Expect, n *load.Node, what string) {
	if n.Kind != load.Object {
		p.errorf(n.Pos, "%s.states: want a mapping of state names to expectations, not %s", what, n.Describe())
		return
	}
	for _, f := range n.Fields {
		w := what + ".states." + f.Key
		visits := []*load.Node{f.Value}
		if f.Value.Kind == load.Array {
			visits = f.Value.Items
		}
		for i, v := range visits {
			if !p.object(v, w, stateKeys) {
				continue
			}
			se := &StateExpect{Pos: f.KeyPos, State: f.Key, Visit: i}
			for _, sf := range v.Fields {
				x := sf.Value
				val := func() *Value {
					return &Value{Pos: x.Pos, Key: sf.Key, Want: x.Interface(), Contains: strings.HasSuffix(sf.Key, "-contains")}
				}
				switch sf.Key {
				case "input", "input-contains":
					se.Input = val()
				case "output", "output-contains":
					se.Output = val()
				case "result", "result-contains":
					se.Result = val()
				case "parameters", "parameters-contains":
					se.Parameters = val()
				case "variables":
					se.Variables = val()
					se.Variables.Contains = true
				case "retries":
					if k, ok := p.count(x, w+".retries"); ok {
						se.Retries = &k
					}
				case "visit":
					switch {
					case f.Value.Kind == load.Array:
						p.errorf(x.Pos, "%s.visit: in a list of visits each item is the next visit", w)
					case x.Kind == load.String && x.Text == "last":
						se.Visit = -1
					default:
						if k, ok := p.count(x, w+".visit"); ok {
							se.Visit = k
						}
					}
				case "error":
					se.Error = p.text(x, w+".error")
				case "cause":
					se.Cause = p.text(x, w+".cause")
				}
			}
			for _, pair := range [][2]string{{"input", "input-contains"}, {"output", "output-contains"}, {"result", "result-contains"}, {"parameters", "parameters-contains"}} {
				if v.Has(pair[0]) && v.Has(pair[1]) {
					p.errorf(v.Get(pair[1]).Pos, "%s: %s and %s exclude each other", w, pair[0], pair[1])
				}
			}
			e.States = append(e.States, se)
		}
	}
}

func (p *parser) asserts(e *Expect, n *load.Node, what string) {
	items := []*load.Node{n}
	if n.Kind == load.Array {
		items = n.Items
	}
	for _, it := range items {
		src, ok := "", it.Kind == load.String
		if ok {
			src, ok = jsonata.Template(it.Text)
		}
		if !ok {
			p.errorf(it.Pos, "%s.assert: want a JSONata expression written \"{%% ... %%}\", not %s", what, it.Describe())
			continue
		}
		x, err := jsonata.Parse(src)
		if err != nil {
			p.errorf(it.Pos, "%s.assert: %v", what, err)
			continue
		}
		e.Asserts = append(e.Asserts, &Assert{Pos: it.Pos, Text: it.Text, expr: x})
	}
}
