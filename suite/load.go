package suite

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/validate"
)

// Suite is a test file with everything it names loaded: the machine, the handler config, the
// MockConfigFile, the inputs and the handler overrides.
type Suite struct {
	*File
	Dir         string // the test file's directory
	Root        string // the project root: every file the test file names lies inside it
	MachinePath string // the machine's file, as read
	Name        string // the machine's name in reports (logical id, or the file's base name)
	M           *asl.Machine
	Type        string // STANDARD or EXPRESS
	Config      *handler.Config
	Mock        *handler.MockConfig
	inputs      map[*Case]any
	overrides   map[*Case]*handler.Config
	// eventCap, when set, aborts an execution past that many events (the generator's runaway
	// loops).
	eventCap int
}

// IOError is a file the test file names that cannot be read (exit 3).
type IOError struct{ Err error }

func (e *IOError) Error() string { return e.Err.Error() }
func (e *IOError) Unwrap() error { return e.Err }

// LoadFile reads and loads a test file. Errors: Errors (the test file or what it names is
// invalid), *IOError (a file cannot be read).
func LoadFile(path string) (*Suite, error) {
	src, err := load.ReadFile(path, load.MaxFileSize)
	if err != nil {
		return nil, &IOError{err}
	}
	f, err := Parse(path, src)
	if err != nil {
		return nil, err
	}
	return Resolve(f)
}

// Resolve loads what a parsed test file names and checks every state name it uses.
func Resolve(f *File) (*Suite, error) {
	r := &resolver{f: f, s: &Suite{File: f, Dir: filepath.Dir(f.Path), inputs: map[*Case]any{}, overrides: map[*Case]*handler.Config{}}}
	r.s.Root = load.ProjectRoot(r.s.Dir)
	if err := r.machine(); err != nil {
		return nil, err
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	if err := r.configs(); err != nil {
		return nil, err
	}
	r.names = stateNames(r.s.M)
	for _, c := range f.Cases {
		if err := r.resolveCase(c); err != nil {
			return nil, err
		}
	}
	if len(r.errs) > 0 {
		r.errs.Sort()
		return nil, r.errs
	}
	return r.s, nil
}

// resolver loads what one test file names, collecting its problems.
type resolver struct {
	f     *File
	s     *Suite
	errs  Errors
	names map[string]*asl.State
}

// fail records a problem at pos in the test file.
func (r *resolver) fail(pos load.Pos, format string, args ...any) {
	r.errs = append(r.errs, &Error{File: r.f.Path, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// read reads a file the test file names: relative to it, inside the project. A file that may not
// be read is a problem of the test file (nil bytes, no error); one that cannot be read an I/O error.
func (r *resolver) read(ref string, pos load.Pos, what string) (string, []byte, error) {
	p, err := load.RefPath(r.s.Dir, ref)
	if err != nil {
		r.fail(pos, "%s %s: %v", what, ref, err)
		return "", nil, nil
	}
	b, err := load.ReadFileIn(r.s.Root, p, load.MaxFileSize)
	if err != nil {
		if errors.Is(err, load.ErrOutsideRoot) {
			r.fail(pos, "%s %s: %v", what, ref, err)
			return "", nil, nil
		}
		return "", nil, &IOError{fmt.Errorf("%s:%s: %s: %w", r.f.Path, pos, what, err)}
	}
	return p, b, nil
}

// machine loads the state machine (a definition, or one of a template's) and validates it as
// sfn run does, unless no-validate.
func (r *resolver) machine() error {
	f, s := r.f, r.s
	mp, src, err := r.read(f.Machine, f.MachinePos, "machine")
	if err != nil || src == nil {
		return err
	}
	s.MachinePath = mp
	tm, err := template.Definition(mp, src, "", f.StateMachine, &template.Options{Subs: f.Subs, Root: s.Root})
	if err != nil {
		var le *load.Error
		var pr *template.Problem
		switch {
		case errors.As(err, &pr):
			return Errors{{File: pr.File, Pos: pr.Err.Pos, Msg: pr.Err.Message}}
		case errors.As(err, &le):
			return Errors{{File: mp, Pos: le.Pos, Msg: le.Message}}
		}
		return Errors{{File: f.Path, Pos: f.MachinePos, Msg: err.Error()}}
	}
	s.M = asl.Build(tm.Doc)
	if s.M == nil || !load.IsDefinition(tm.Doc.Root) {
		return Errors{{File: f.Path, Pos: f.MachinePos, Msg: mp + " is not a state machine definition (no States and StartAt)"}}
	}
	s.Type = cmp.Or(f.Type, strings.ToUpper(tm.Type), "STANDARD")
	s.Name = cmp.Or(tm.LogicalID, run.MachineName(mp))
	if f.NoValidate {
		return nil
	}
	opts := &validate.Options{Type: s.Type, MinSeverity: validate.Error, Severity: map[string]validate.Severity{}}
	for _, d := range validate.CheckMachine(tm.Doc, s.M, opts) {
		r.errs = append(r.errs, &Error{File: cmp.Or(d.File, tm.Doc.Name), Pos: d.Pos, Msg: d.Message + " [" + d.Rule + "] (AWS would reject the definition; no-validate: true runs it anyway)"})
	}
	return nil
}

// configs loads the handler config (the test file's, else sfn.yaml beside the machine, as sfn
// run finds it) and the MockConfigFile.
func (r *resolver) configs() error {
	f, s := r.f, r.s
	cfgPath, cfgPos := f.Config, f.ConfigPos
	if cfgPath == "" {
		if p := handler.FindConfig(filepath.Dir(s.MachinePath)); p != "" {
			if rel, err := filepath.Rel(s.Dir, p); err == nil {
				cfgPath = filepath.ToSlash(rel)
			}
		}
	}
	if cfgPath != "" {
		p, b, err := r.read(cfgPath, cfgPos, "config")
		if err != nil {
			return err
		}
		if b != nil {
			abs, _ := filepath.Abs(filepath.Dir(p))
			if c, err := handler.ParseConfig(b, abs); err != nil {
				r.fail(cfgPos, "config %s: %v", cfgPath, err)
			} else {
				c.Path = p
				s.Config = c
			}
		}
	}
	if f.MockConfig == "" {
		return nil
	}
	p, b, err := r.read(f.MockConfig, f.MockPos, "mock-config")
	if err != nil || b == nil {
		return err
	}
	if mc, err := handler.ParseMockConfig(b); err != nil {
		r.fail(f.MockPos, "mock-config %s: %v", f.MockConfig, err)
	} else {
		mc.Path = p
		s.Mock = mc
	}
	return nil
}

// known checks that name is a state of the machine.
func (r *resolver) known(name string, pos load.Pos, what string) {
	if _, ok := r.names[name]; !ok {
		r.fail(pos, "%s: %q is not a state of %s%s", what, name, r.s.Name, validate.Suggest(name, sortedNames(r.names)))
	}
}

// resolveCase reads a case's input file and checks the states its mocks, handlers and
// expectations name.
func (r *resolver) resolveCase(c *Case) error {
	s, w := r.s, fmt.Sprintf("case %q", c.Name)
	switch {
	case c.InputFile != "":
		_, b, err := r.read(c.InputFile, c.InputPos, "input-file")
		if err != nil {
			return err
		}
		if b != nil {
			v, err := load.DecodeJSON(b)
			if err != nil {
				r.fail(c.InputPos, "input-file %s: not JSON: %v", c.InputFile, err)
			}
			s.inputs[c] = v
		}
	case c.Input != nil || c.InputPos.Line > 0:
		s.inputs[c] = c.Input
	}
	if c.MockCase != "" {
		if s.Mock == nil {
			r.fail(c.MockPos, "%s: mock-case needs mock-config in the test file", w)
		} else if tc, err := s.Mock.TestCase(r.f.MockMachine, c.MockCase); err != nil {
			r.fail(c.MockPos, "%s: %v", w, err)
		} else {
			for st := range tc {
				r.known(st, c.MockPos, w+": mock-case "+c.MockCase+" mocks")
			}
		}
	}
	for _, st := range sortedKeys(c.Mocks) {
		m := c.Mocks[st]
		r.known(st, m.Pos, w+": mocks")
		if state, ok := r.names[st]; ok && state.Type != "Task" {
			r.fail(m.Pos, "%s: mocks: %q is a %s state; only Task states are mocked", w, st, state.Type)
		}
	}
	if len(c.Handlers) > 0 {
		s.override(c, r.known, r.fail)
	}
	e := &c.Expect
	if e.Path != nil {
		for _, st := range e.Path.States {
			r.known(st, e.Path.Pos, w+": path")
		}
	}
	for _, ct := range e.Counts {
		r.known(ct.State, ct.Pos, w+": counts")
	}
	for _, se := range e.States {
		r.known(se.State, se.Pos, w+": states")
	}
	return nil
}

// override builds the handler overrides of a case with sfn.yaml's parser ({tasks: ...}).
func (s *Suite) override(c *Case, known func(string, load.Pos, string), fail func(load.Pos, string, ...any)) {
	var b bytes.Buffer
	b.WriteString(`{"tasks": {`)
	first := load.Pos{}
	for i, st := range sortedKeys(c.Handlers) {
		o := c.Handlers[st]
		known(st, o.Pos, fmt.Sprintf("case %q: handlers", c.Name))
		if first.Line == 0 {
			first = o.Pos
		}
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(st)
		v, err := json.Marshal(o.Node.Interface())
		if err != nil {
			fail(o.Pos, "case %q: handlers.%s: %v", c.Name, st, err)
			return
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteString("}}")
	abs, _ := filepath.Abs(s.Dir)
	cfg, err := handler.ParseConfig(b.Bytes(), abs)
	if err != nil {
		fail(first, "case %q: handlers: %v", c.Name, err)
		return
	}
	s.overrides[c] = cfg
}

func stateNames(m *asl.Machine) map[string]*asl.State {
	out := make(map[string]*asl.State, len(m.All))
	for _, st := range m.All {
		if _, dup := out[st.Name]; !dup {
			out[st.Name] = st
		}
	}
	return out
}

func sortedNames(m map[string]*asl.State) []string { return sortedKeys(m) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
