package validate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigParse(t *testing.T) {
	src := "# comment\nrules:\n  next-target-exists: warning\n  json-syntax: off\nignore:\n  - legacy/**\ntype: express\n"
	c, err := ParseConfig(".sfn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules["next-target-exists"] != Warning || c.Rules["json-syntax"] != Off || len(c.Rules) != 2 {
		t.Errorf("rules %v", c.Rules)
	}
	if len(c.Ignore) != 1 || c.Ignore[0] != "legacy/**" || c.Type != "EXPRESS" {
		t.Errorf("ignore %v, type %q", c.Ignore, c.Type)
	}
	o := &Options{}
	c.Apply(o)
	if o.Type != "EXPRESS" || o.Severity["next-target-exists"] != Warning {
		t.Errorf("Apply: %+v", o)
	}
	if c, err := ParseConfig("empty.yaml", nil); err != nil || len(c.Rules) != 0 {
		t.Errorf("empty config: %v %v", c, err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"rules:\n  nope: error\n", `c.yaml:2:3: unknown rule "nope"`},
		{"rules:\n  next-target-exists: loud\n", `c.yaml:2:23: unknown severity "loud"`},
		{"rules:\n  next-target-exists: 1\n", `c.yaml:2:23: severity of next-target-exists must be error, warning, info or off, not number 1`},
		{"rules: [a]\n", `c.yaml:1:8: rules must be a mapping`},
		{"ignore: [1]\n", `c.yaml:1:10: ignore patterns must be non-empty strings`},
		{"ignore: ['[']\n", `c.yaml:1:10: bad glob pattern "["`},
		{"type: FAST\n", `c.yaml:1:7: type must be STANDARD or EXPRESS`},
		{"paths: {}\n", `c.yaml:1:1: unknown key "paths"`},
		{"- a\n", `c.yaml:1:1: the config must be a mapping`},
		{"rules: {a: [\n", `c.yaml:`},
	} {
		_, err := ParseConfig("c.yaml", []byte(tc.src))
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func TestConfigIgnored(t *testing.T) {
	dir := t.TempDir()
	c := &Config{Dir: dir, Ignore: []string{"legacy", "*.draft.json", "gen/**/skip.json", "./tmp/"}}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"legacy/a.json", true},
		{"sub/legacy/a.json", true},
		{"legacyx/a.json", false},
		{"a/b/c.draft.json", true},
		{"gen/skip.json", true},
		{"gen/x/y/skip.json", true},
		{"gen/x/keep.json", false},
		{"tmp/a.json", true},
		{"src/tmp/a.json", false},
		{"main.json", false},
	} {
		if got := c.Ignored(filepath.Join(dir, filepath.FromSlash(tc.path))); got != tc.want {
			t.Errorf("Ignored(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
	if c.Ignored(filepath.Join(filepath.Dir(dir), "legacy", "a.json")) {
		t.Errorf("a file outside the config directory was ignored")
	}
	var nilConfig *Config
	if nilConfig.Ignored("legacy/a.json") {
		t.Errorf("a nil config ignores nothing")
	}
}

func TestConfigFind(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "repo", "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "repo", ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Above the repository root: must not be found.
	if err := os.WriteFile(filepath.Join(root, ".sfn.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FindConfig(sub); err != nil || got != "" {
		t.Errorf("found %q (%v) above the repository root", got, err)
	}
	want := filepath.Join(root, "repo", "a", ".sfn.yml")
	if err := os.WriteFile(want, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FindConfig(sub); err != nil || got != want {
		t.Errorf("FindConfig = %q, %v; want %q", got, err, want)
	}
}

func TestConfigSuggestAndRuleSetting(t *testing.T) {
	if s := SuggestRules("next-target"); len(s) == 0 || s[0] != "next-target-exists" {
		t.Errorf("SuggestRules(next-target) = %v", s)
	}
	if s := SuggestRules("zzzzzzzzzzzz"); len(s) != 0 {
		t.Errorf("SuggestRules(zzz) = %v", s)
	}
	if id, sev, err := ParseRuleSetting("next-target-exists=warn"); err != nil || id != "next-target-exists" || sev != Warning {
		t.Errorf("ParseRuleSetting: %q %v %v", id, sev, err)
	}
	for _, bad := range []string{"next-target-exists", "nope=error", "next-target-exists=loud"} {
		if _, _, err := ParseRuleSetting(bad); err == nil {
			t.Errorf("ParseRuleSetting(%q) accepted", bad)
		}
	}
}
