package validate

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// FuzzCheck runs every rule on arbitrary documents: no rule may panic, and every diagnostic has a
// position and a location. Seeded with the rule examples and the golden test inputs.
func FuzzCheck(f *testing.F) {
	for _, r := range Rules() {
		f.Add([]byte(r.Bad), false)
		f.Add([]byte(r.Good), true)
	}
	files, _ := filepath.Glob("testdata/rules/*/*")
	for _, p := range files {
		if filepath.Ext(p) == ".golden" {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, false)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, express bool) {
		doc, err := load.Parse("fuzz", data, load.Sniff(data))
		if err != nil {
			return
		}
		opts := &Options{StrictPlaceholders: express}
		if express {
			opts.Type = "EXPRESS"
		}
		for _, d := range Check(doc, opts) {
			if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Location == "" || d.Rule == "" || d.Message == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
	})
}

func TestPanickingRuleBecomesDiagnostic(t *testing.T) {
	r := &Rule{ID: "test-panics", Severity: Error, AWSCode: "SFN_LINT", Check: func(c *Context) { panic("boom") }}
	registry[r.ID] = r
	sortRules = sync.Once{}
	defer func() { delete(registry, r.ID); sortRules = sync.Once{} }()
	ds := checkSource(`{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`, &Options{})
	if len(ds) != 1 || ds[0].Rule != "test-panics" || ds[0].Code != "SFN_INTERNAL" {
		t.Fatalf("got %+v", ds)
	}
}
