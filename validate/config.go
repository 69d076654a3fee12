package validate

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// ConfigNames are the file names FindConfig looks for, in order.
var ConfigNames = []string{".sfn.yaml", ".sfn.yml"}

// Config is a parsed .sfn.yaml:
//
//	rules:            # severity overrides: error, warning, info or off
//	  next-target-exists: warning
//	ignore:           # glob patterns of paths to skip, relative to the config file's directory
//	  - legacy/**
//	  - "*.draft.asl.json"
//	type: EXPRESS     # default --type
//	advice: true      # run the advice rules (as --advice)
type Config struct {
	// Path is the config file; Dir its directory, which ignore patterns are relative to.
	Path, Dir string
	// Rules holds the severity overrides.
	Rules map[string]Severity
	// Ignore holds the ignore patterns (slash-separated globs, see Ignored).
	Ignore []string
	// Type is "STANDARD", "EXPRESS" or "" when not set.
	Type string
	// Advice runs the advice rules (Options.Advice).
	Advice bool
}

// ConfigError is a problem in a config file, with its position.
type ConfigError struct {
	File    string
	Pos     load.Pos
	Message string
}

func (e *ConfigError) Error() string {
	if e.Pos.Line == 0 {
		return e.File + ": " + e.Message
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Message)
}

// FindConfig looks for a config file in dir and then in each parent directory, stopping after
// a directory that holds .git (the repository root). It returns "" when there is none.
func FindConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		for _, name := range ConfigNames {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// LoadConfig reads and parses the config file at file. Problems in its content are *ConfigError.
func LoadConfig(file string) (*Config, error) {
	src, err := load.ReadFile(file, load.MaxFileSize)
	if err != nil {
		return nil, err
	}
	return ParseConfig(file, src)
}

// ParseConfig parses config source; file names it in errors and sets Config.Dir.
func ParseConfig(file string, src []byte) (*Config, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	c := &Config{Path: file, Dir: filepath.Dir(abs), Rules: map[string]Severity{}}
	if blank(src) {
		return c, nil
	}
	doc, err := load.Parse(file, src, load.YAML)
	if err != nil {
		var le *load.Error
		if errors.As(err, &le) {
			return nil, &ConfigError{File: file, Pos: le.Pos, Message: le.Message}
		}
		return nil, &ConfigError{File: file, Message: err.Error()}
	}
	root := doc.Root
	if root == nil || root.Kind == load.Null {
		return c, nil
	}
	if root.Kind != load.Object {
		return nil, &ConfigError{file, root.Pos, "the config must be a mapping with keys rules, ignore and type, not " + root.Describe()}
	}
	for _, f := range root.Fields {
		var err error
		switch f.Key {
		case "rules":
			err = c.parseRules(f.Value)
		case "ignore":
			err = c.parseIgnore(f.Value)
		case "type":
			err = c.parseType(f.Value)
		case "advice":
			if f.Value.Kind != load.Bool {
				err = &ConfigError{file, f.Value.Pos, "advice must be true or false, not " + f.Value.Describe()}
			}
			c.Advice = f.Value.Bool
		default:
			msg := fmt.Sprintf("unknown key %q (want rules, ignore, type or advice)", f.Key)
			err = &ConfigError{file, f.KeyPos, msg}
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Config) parseRules(n *load.Node) error {
	if n.Kind == load.Null {
		return nil
	}
	if n.Kind != load.Object {
		return &ConfigError{c.Path, n.Pos, "rules must be a mapping of rule id to severity, not " + n.Describe()}
	}
	for _, f := range n.Fields {
		if Lookup(f.Key) == nil {
			return &ConfigError{c.Path, f.KeyPos, UnknownRuleMessage(f.Key)}
		}
		if f.Value.Kind != load.String {
			return &ConfigError{c.Path, f.Value.Pos, fmt.Sprintf("severity of %s must be error, warning, info or off, not %s", f.Key, f.Value.Describe())}
		}
		sev, err := ParseSeverity(f.Value.Text)
		if err != nil {
			return &ConfigError{c.Path, f.Value.Pos, err.Error()}
		}
		c.Rules[f.Key] = sev
	}
	return nil
}

func (c *Config) parseIgnore(n *load.Node) error {
	items := n.Items
	switch n.Kind {
	case load.Null:
		return nil
	case load.String:
		items = []*load.Node{n}
	case load.Array:
	default:
		return &ConfigError{c.Path, n.Pos, "ignore must be a list of glob patterns, not " + n.Describe()}
	}
	for _, it := range items {
		if it.Kind != load.String || strings.TrimSpace(it.Text) == "" {
			return &ConfigError{c.Path, it.Pos, "ignore patterns must be non-empty strings, not " + it.Describe()}
		}
		if _, err := path.Match(it.Text, ""); err != nil {
			return &ConfigError{c.Path, it.Pos, fmt.Sprintf("bad glob pattern %q", it.Text)}
		}
		c.Ignore = append(c.Ignore, it.Text)
	}
	return nil
}

func (c *Config) parseType(n *load.Node) error {
	t := strings.ToUpper(n.Text)
	if n.Kind != load.String || (t != "STANDARD" && t != "EXPRESS") {
		return &ConfigError{c.Path, n.Pos, "type must be STANDARD or EXPRESS, not " + n.Describe()}
	}
	c.Type = t
	return nil
}

// Apply copies the config's severities and type into o. Settings already in o.Severity win
// (command-line flags are applied first or after, as the caller chooses).
func (c *Config) Apply(o *Options) {
	if c == nil {
		return
	}
	if o.Severity == nil {
		o.Severity = map[string]Severity{}
	}
	for id, s := range c.Rules {
		o.Severity[id] = s
	}
	if c.Type != "" {
		o.Type = c.Type
	}
	o.Advice = o.Advice || c.Advice
}

// Ignored reports whether file matches one of the ignore patterns. The file is taken relative
// to the config's directory; files outside it are never ignored. A pattern matches a path when
// it matches the whole path or one of its leading directories ("legacy/" and "legacy/**" both skip
// everything under legacy/); a pattern without a slash (other than a trailing one) matches at any
// depth ("*.draft.json", "fixtures/"); start it with "./" or "/" to anchor it ("./tmp").
// Patterns use path.Match syntax per segment, plus "**" for any number of segments.
func (c *Config) Ignored(file string) bool {
	if c == nil || len(c.Ignore) == 0 {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	for _, p := range c.Ignore {
		if MatchGlob(p, segs) {
			return true
		}
	}
	return false
}

// MatchGlob reports whether the glob pattern matches the path segments or one of their
// leading directories (see Config.Ignored).
func MatchGlob(pattern string, segs []string) bool {
	anchored := strings.HasPrefix(pattern, "/") || strings.HasPrefix(pattern, "./")
	pattern = strings.Trim(strings.TrimPrefix(pattern, "./"), "/")
	pat := strings.Split(pattern, "/")
	if !anchored && len(pat) == 1 {
		pat = []string{"**", pattern}
	}
	for k := 1; k <= len(segs); k++ {
		if matchSegments(pat, segs[:k]) {
			return true
		}
	}
	return false
}

func matchSegments(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegments(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// ParseRuleSetting parses a --rule flag value "ID=SEVERITY".
func ParseRuleSetting(s string) (string, Severity, error) {
	id, sevText, ok := strings.Cut(s, "=")
	if !ok {
		return "", Off, fmt.Errorf("--rule %q: want ID=SEVERITY, such as next-target-exists=warning", s)
	}
	id = strings.TrimSpace(id)
	if Lookup(id) == nil {
		return "", Off, errors.New(UnknownRuleMessage(id))
	}
	sev, err := ParseSeverity(strings.TrimSpace(sevText))
	if err != nil {
		return "", Off, fmt.Errorf("--rule %s: %v", id, err)
	}
	return id, sev, nil
}

// SuggestRules returns up to three rule ids close to id: within a small edit distance, or
// containing it, closest first.
func SuggestRules(id string) []string {
	type cand struct {
		id   string
		dist int
	}
	var cs []cand
	lid := strings.ToLower(id)
	for _, r := range Rules() {
		d := editDistance(lid, r.ID)
		if d <= max(2, len(id)/3) || (len(lid) >= 3 && strings.Contains(r.ID, lid)) {
			cs = append(cs, cand{r.ID, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

// blank reports whether src has nothing but whitespace and comment lines.
func blank(src []byte) bool {
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}
