package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	suggestpkg "github.com/sfn-tool/sfn/internal/suggest"

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
//	  - match: "arn:aws:states:::lambda:invoke"
//	    lambda: http://127.0.0.1:3001         # a Lambda Invoke endpoint (sam local start-lambda)
//	  - match: "arn:aws:states:::dynamodb:*"
//	    aws: http://127.0.0.1:8000            # an AWS service endpoint (DynamoDB Local)
//
// Any other key, anywhere, is an error with its position (and a "did you mean").
type Config struct {
	Path      string              // the file it was read from ("" when built in code)
	Dir       string              // commands' working directory: the file's directory
	Tasks     map[string]*Spec    // by state name
	TaskPos   map[string]load.Pos // where each tasks entry's name is (zero when built in code)
	Resources []*ResourceSpec     // in file order
	// S3Dir (key s3:) is the local directory standing for Amazon S3 (a distributed Map's
	// ItemReader and ResultWriter), relative to the file's directory.
	S3Dir string
	// Endpoints (sfn run/serve --endpoint SERVICE=URL) are AWS service endpoints by service id
	// (dynamodb, sqs, ...): they run the request-response integrations of their service that
	// no tasks or resources entry handles.
	Endpoints map[string]string
}

// ResourceSpec is a handler for every Task whose Resource matches Match.
type ResourceSpec struct {
	Match string
	Spec  *Spec
}

// Spec is one configured handler: exactly one of Command, a fixed Outcome, Sequence, Lambda or AWS.
type Spec struct {
	Command  []string
	Env      map[string]string
	Fixed    *Outcome
	Sequence []Outcome
	// Lambda is the URL of a Lambda Invoke endpoint (key lambda:) that runs the task's function
	// (LambdaEndpoint).
	Lambda string
	// AWS is the URL of an AWS service endpoint (key aws:) the task's request is sent to
	// (AWSEndpoint).
	AWS string
}

// Outcome is a fixed result, or a failure with Error and Cause.
type Outcome struct {
	Result any
	Failed bool
	Error  string
	Cause  string
}

// ConfigError is a problem of an sfn.yaml, at a position in it.
type ConfigError struct {
	File    string // the file ("" from ParseConfig)
	Pos     load.Pos
	Message string
}

func (e *ConfigError) Error() string {
	at := e.Pos.String()
	if e.File != "" {
		at = e.File + ":" + at
	}
	return at + ": " + e.Message
}

// configKeys are the top-level keys of an sfn.yaml.
var configKeys = []string{"tasks", "resources", "s3"}

// specKeys are the keys of a handler (a tasks entry, a resources entry without match).
var specKeys = []string{"command", "env", "result", "error", "cause", "sequence", "lambda", "aws"}

// LoadConfig reads an sfn.yaml. Problems in its content are *ConfigError naming the file.
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
		var ce *ConfigError
		if errors.As(err, &ce) {
			ce.File = path
			return nil, ce
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// ParseConfig parses the text of an sfn.yaml; dir is the commands' working directory. Problems
// are *ConfigError with the position of the key or value at fault.
func ParseConfig(src []byte, dir string) (*Config, error) {
	c := &Config{Dir: dir, Tasks: map[string]*Spec{}, TaskPos: map[string]load.Pos{}}
	doc, err := load.Parse("sfn.yaml", src, load.Sniff(src))
	if err != nil {
		var le *load.Error
		if errors.As(err, &le) {
			msg := le.Message
			if le.Rule == "definition-not-object" {
				msg = "expected a mapping with tasks, resources or s3 (task handlers for sfn run), but the file is empty"
			}
			return nil, &ConfigError{Pos: le.Pos, Message: msg}
		}
		return nil, err
	}
	root := doc.Root
	if root.Kind != load.Object {
		return nil, &ConfigError{Pos: root.Pos, Message: "expected a mapping with tasks, resources or s3 (task handlers for sfn run), but it is " + root.Kind.String()}
	}
	for _, f := range root.Fields {
		if !slices.Contains(configKeys, f.Key) {
			return nil, &ConfigError{Pos: f.KeyPos, Message: fmt.Sprintf("unknown key %q%s (want tasks, resources or s3)", f.Key, suggest(f.Key, configKeys))}
		}
	}
	if n := root.Get("s3"); n != nil && n.Kind != load.Null {
		if n.Kind != load.String || n.Text == "" {
			return nil, &ConfigError{Pos: n.Pos, Message: "s3: want a directory"}
		}
		d := n.Text
		if !filepath.IsAbs(d) {
			d = filepath.Join(dir, d)
		}
		c.S3Dir = d
	}
	if err := c.parseTasks(root.Get("tasks")); err != nil {
		return nil, err
	}
	if err := c.parseResources(root.Get("resources")); err != nil {
		return nil, err
	}
	return c, nil
}

// parseTasks reads tasks: (absent or null: none).
func (c *Config) parseTasks(n *load.Node) error {
	if n == nil || n.Kind == load.Null {
		return nil
	}
	if n.Kind != load.Object {
		return &ConfigError{Pos: n.Pos, Message: "tasks: want a mapping of state names to handlers"}
	}
	for _, f := range n.Fields {
		s, err := parseSpecNode(f.Value, fmt.Sprintf("tasks.%q", f.Key))
		if err != nil {
			return err
		}
		c.Tasks[f.Key] = s
		c.TaskPos[f.Key] = f.KeyPos
	}
	return nil
}

// parseResources reads resources: (absent or null: none).
func (c *Config) parseResources(n *load.Node) error {
	if n == nil || n.Kind == load.Null {
		return nil
	}
	if n.Kind != load.Array {
		return &ConfigError{Pos: n.Pos, Message: "resources: want a list of {match: GLOB, <handler>}"}
	}
	for i, item := range n.Items {
		where := fmt.Sprintf("resources[%d]", i)
		if item.Kind != load.Object {
			return &ConfigError{Pos: item.Pos, Message: where + ": want a mapping with match and a handler"}
		}
		m := item.Get("match")
		if m == nil || m.Kind != load.String || m.Text == "" {
			pos := item.Pos
			if m != nil {
				pos = m.Pos
			}
			return &ConfigError{Pos: pos, Message: where + ": match: want a Resource glob"}
		}
		rest := *item
		rest.Fields = slices.DeleteFunc(slices.Clone(item.Fields), func(f load.Field) bool { return f.Key == "match" })
		s, err := parseSpecNode(&rest, fmt.Sprintf("%s (%s)", where, m.Text))
		if err != nil {
			return err
		}
		c.Resources = append(c.Resources, &ResourceSpec{Match: m.Text, Spec: s})
	}
	return nil
}

// parseSpecNode reads one handler; where names it in errors ("tasks.\"A\"").
func parseSpecNode(n *load.Node, where string) (*Spec, error) {
	if n.Kind != load.Object {
		return nil, &ConfigError{Pos: n.Pos, Message: where + ": want a mapping with one of command, result, error, sequence, lambda or aws"}
	}
	for _, f := range n.Fields {
		if !slices.Contains(specKeys, f.Key) {
			return nil, &ConfigError{Pos: f.KeyPos, Message: fmt.Sprintf("%s: unknown key %q%s (want %s)", where, f.Key, suggest(f.Key, specKeys), strings.Join(specKeys, ", "))}
		}
	}
	m, _ := asMap(n.Interface())
	s, err := parseSpec(m)
	if err != nil {
		return nil, &ConfigError{Pos: specErrorPos(n, err.Error()), Message: where + ": " + err.Error()}
	}
	return s, nil
}

// specErrorPos is the position of the member a handler's error is about (the one its message
// starts with: "command: ...", "sequence[1]: ..."), else of the handler.
func specErrorPos(n *load.Node, msg string) load.Pos {
	key, rest, _ := strings.Cut(msg, ":")
	key, idx, indexed := strings.Cut(key, "[")
	f := n.Field(key)
	if f == nil {
		return n.Pos
	}
	if indexed && f.Value.Kind == load.Array {
		var i int
		if _, err := fmt.Sscanf(idx, "%d]", &i); err == nil && i >= 0 && i < len(f.Value.Items) {
			item := f.Value.Items[i]
			if k, _, _ := strings.Cut(strings.TrimSpace(rest), ":"); item.Field(k) != nil {
				return item.Field(k).Value.Pos
			}
			return item.Pos
		}
	}
	return f.Value.Pos
}

// suggest is " (did you mean "x"?)" for the candidate closest to name (internal/suggest
// decides), or "".
func suggest(name string, candidates []string) string {
	if best, ok := suggestpkg.Closest(name, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

func parseSpec(m map[string]any) (*Spec, error) {
	s := &Spec{}
	kinds := 0
	for k := range m {
		switch k {
		case "command", "result", "error", "sequence", "lambda", "aws":
			if k != "error" || !has(m, "result") {
				kinds++
			}
		}
	}
	if kinds != 1 {
		return nil, errors.New("want exactly one of command, result, error, sequence, lambda or aws")
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
	case has(m, "lambda"):
		u, _ := m["lambda"].(string)
		endpoint, err := ParseLambdaEndpoint(u)
		if err != nil {
			return nil, err
		}
		if has(m, "env") || has(m, "cause") {
			return nil, errors.New("lambda: env and cause do not go with lambda")
		}
		s.Lambda = endpoint
	case has(m, "aws"):
		u, _ := m["aws"].(string)
		endpoint, err := ParseAWSEndpoint(u)
		if err != nil {
			return nil, err
		}
		if has(m, "env") || has(m, "cause") {
			return nil, errors.New("aws: env and cause do not go with aws")
		}
		s.AWS = endpoint
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
