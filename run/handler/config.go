package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// ConfigNames are the file names looked for beside a definition, in order.
var ConfigNames = []string{"sfn.yaml", "sfn.yml"}

// FindConfig returns the path of the sfn.yaml in dir, or "" when there is none.
func FindConfig(dir string) string {
	for _, name := range ConfigNames {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// Config is the task part of an sfn.yaml:
//
//	tasks:                          # per state name
//	  Validate Order:
//	    command: [sh, handlers/validate.sh]   # argv, no shell; run in the config file's directory
//	    env: {LEVEL: debug}                   # optional, added to the environment
//	  Check Inventory:
//	    result: {available: true}             # a fixed result
//	  Process Payment:
//	    error: Payment.Declined               # a fixed failure
//	    cause: card declined
//	  Flaky:
//	    sequence:                             # one entry per invocation; the last one repeats
//	      - {error: Gateway.Timeout, cause: slow}
//	      - {result: {ok: true}}
//	s3: data/s3                     # s3://BUCKET/KEY is data/s3/BUCKET/KEY (distributed Map)
//	resources:                      # per Resource glob (* any run of characters, ? one), first match wins
//	  - match: "arn:aws:lambda:*:function:notify-*"
//	    command: [sh, handlers/notify.sh]
//
// Other top-level keys are left to other parts of sfn and ignored here.
type Config struct {
	Path      string           // the file it was read from ("" when built in code)
	Dir       string           // commands' working directory: the file's directory
	Tasks     map[string]*Spec // by state name
	Resources []*ResourceSpec  // in file order
	// S3Dir (key s3:) is the local directory standing for Amazon S3 (a distributed Map's
	// ItemReader and ResultWriter), relative to the file's directory.
	S3Dir string
}

// ResourceSpec is a handler for every Task whose Resource matches Match.
type ResourceSpec struct {
	Match string
	Spec  *Spec
}

// Spec is one configured handler: exactly one of Command, a fixed Outcome, or Sequence.
type Spec struct {
	Command  []string
	Env      map[string]string
	Fixed    *Outcome
	Sequence []Outcome
}

// Outcome is a fixed result, or a failure with Error and Cause.
type Outcome struct {
	Result any
	Failed bool
	Error  string
	Cause  string
}

// LoadConfig reads an sfn.yaml.
func LoadConfig(path string) (*Config, error) {
	src, err := load.ReadFile(path, load.MaxFileSize)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(src, filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// ParseConfig parses the text of an sfn.yaml; dir is the commands' working directory.
func ParseConfig(src []byte, dir string) (*Config, error) {
	c := &Config{Dir: dir, Tasks: map[string]*Spec{}}
	doc, err := load.Parse("sfn.yaml", src, load.Sniff(src))
	if err != nil {
		return nil, err
	}
	var top map[string]any
	switch v := doc.Root.Interface().(type) {
	case *value.Object:
		top, _ = asMap(v)
	case nil:
	default:
		return nil, errors.New("want a mapping with tasks and resources")
	}
	if v, ok := top["s3"]; ok && v != nil {
		d, ok := v.(string)
		if !ok || d == "" {
			return nil, errors.New("s3: want a directory")
		}
		if !filepath.IsAbs(d) {
			d = filepath.Join(dir, d)
		}
		c.S3Dir = d
	}
	if t, ok := top["tasks"]; ok && t != nil {
		tasks, ok := asMap(t)
		if !ok {
			return nil, errors.New("tasks: want a mapping of state names to handlers")
		}
		names := make([]string, 0, len(tasks))
		for name := range tasks {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			s, err := parseSpec(tasks[name])
			if err != nil {
				return nil, fmt.Errorf("tasks.%q: %w", name, err)
			}
			c.Tasks[name] = s
		}
	}
	if r, ok := top["resources"]; ok && r != nil {
		list, ok := r.([]any)
		if !ok {
			return nil, errors.New("resources: want a list of {match: GLOB, <handler>}")
		}
		for i, item := range list {
			m, ok := asMap(item)
			if !ok {
				return nil, fmt.Errorf("resources[%d]: want a mapping with match and a handler", i)
			}
			pat, ok := m["match"].(string)
			if !ok || pat == "" {
				return nil, fmt.Errorf("resources[%d]: match: want a Resource glob", i)
			}
			rest := make(map[string]any, len(m))
			for k, v := range m {
				if k != "match" {
					rest[k] = v
				}
			}
			s, err := parseSpec(rest)
			if err != nil {
				return nil, fmt.Errorf("resources[%d] (%s): %w", i, pat, err)
			}
			c.Resources = append(c.Resources, &ResourceSpec{Match: pat, Spec: s})
		}
	}
	return c, nil
}

func parseSpec(v any) (*Spec, error) {
	m, ok := asMap(v)
	if !ok {
		return nil, errors.New("want a mapping with one of command, result, error or sequence")
	}
	s := &Spec{}
	kinds := 0
	for k := range m {
		switch k {
		case "command", "result", "error", "sequence":
			if k != "error" || !has(m, "result") {
				kinds++
			}
		case "cause", "env":
		default:
			return nil, fmt.Errorf("unknown key %q (want command, env, result, error, cause or sequence)", k)
		}
	}
	if kinds != 1 {
		return nil, errors.New("want exactly one of command, result, error or sequence")
	}
	if has(m, "env") {
		env, ok := asMap(m["env"])
		if !ok {
			return nil, errors.New("env: want a mapping of names to strings")
		}
		s.Env = map[string]string{}
		for k, v := range env {
			s.Env[k] = fmt.Sprint(v)
		}
	}
	switch {
	case has(m, "command"):
		list, ok := m["command"].([]any)
		if !ok || len(list) == 0 {
			return nil, errors.New("command: want a non-empty list of strings (argv, run without a shell)")
		}
		for _, a := range list {
			switch a := a.(type) {
			case string:
				s.Command = append(s.Command, a)
			case json.Number:
				s.Command = append(s.Command, a.String())
			default:
				return nil, errors.New("command: every argument must be a string")
			}
		}
		if has(m, "cause") {
			return nil, errors.New("cause goes with error, not command")
		}
	case has(m, "sequence"):
		list, ok := m["sequence"].([]any)
		if !ok || len(list) == 0 {
			return nil, errors.New("sequence: want a non-empty list of {result: ...} or {error: ..., cause: ...}")
		}
		for i, item := range list {
			im, ok := asMap(item)
			if !ok {
				return nil, fmt.Errorf("sequence[%d]: want {result: ...} or {error: ..., cause: ...}", i)
			}
			o, err := parseOutcome(im)
			if err != nil {
				return nil, fmt.Errorf("sequence[%d]: %w", i, err)
			}
			s.Sequence = append(s.Sequence, *o)
		}
	default:
		o, err := parseOutcome(m)
		if err != nil {
			return nil, err
		}
		s.Fixed = o
	}
	return s, nil
}

func parseOutcome(m map[string]any) (*Outcome, error) {
	for k := range m {
		switch k {
		case "result", "error", "cause", "env":
		default:
			return nil, fmt.Errorf("unknown key %q (want result, or error and cause)", k)
		}
	}
	switch {
	case has(m, "result") && has(m, "error"):
		return nil, errors.New("want result or error, not both")
	case has(m, "result"):
		if has(m, "cause") {
			return nil, errors.New("cause goes with error, not result")
		}
		v, err := normalize(m["result"])
		if err != nil {
			return nil, fmt.Errorf("result: %w", err)
		}
		return &Outcome{Result: v}, nil
	case has(m, "error"):
		e, ok := m["error"].(string)
		if !ok || e == "" {
			return nil, errors.New("error: want an error name")
		}
		o := &Outcome{Failed: true, Error: e}
		if has(m, "cause") {
			c, ok := m["cause"].(string)
			if !ok {
				return nil, errors.New("cause: want a string")
			}
			o.Cause = c
		}
		return o, nil
	}
	return nil, errors.New("want result, or error and cause")
}

func has(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// normalize returns a configured value as the interpreter's JSON values (nodeValue already
// made numbers json.Number with their exact text).
func normalize(v any) (any, error) { return v, nil }

// get returns the member key of o (nil when o is nil or has none).
func get(o *value.Object, key string) any {
	v, _ := o.Get(key)
	return v
}

// asMap gives the members of a configuration object (a *value.Object) as a map, for looking up
// its keys; ok is false when v is not an object. The members' values are not converted.
func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, false
	}
	m := make(map[string]any, o.Len())
	for _, x := range o.Members() {
		m[x.Key] = x.Value
	}
	return m, true
}

// Glob reports whether s matches pattern, where * matches any run of characters (':' and '/'
// included) and ? matches one character.
func Glob(pattern, s string) bool {
	p, r := []rune(pattern), []rune(s)
	px, rx := 0, 0
	starPx, starRx := -1, -1
	for px < len(p) || rx < len(r) {
		if px < len(p) {
			switch p[px] {
			case '*':
				starPx, starRx = px, rx+1
				px++
				continue
			case '?':
				if rx < len(r) {
					px++
					rx++
					continue
				}
			default:
				if rx < len(r) && r[rx] == p[px] {
					px++
					rx++
					continue
				}
			}
		}
		if starPx >= 0 && starRx <= len(r) {
			px, rx = starPx+1, starRx
			starRx++
			continue
		}
		return false
	}
	return true
}
