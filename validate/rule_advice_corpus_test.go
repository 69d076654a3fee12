package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
)

// TestAdviceCorpusNoise measures the advice rules on the real-world corpus of ../shared (skipped
// when absent): per rule, how many of the definitions and of the templates' machines it flags, and
// how many findings. The README's table of advice rules comes from its log
// (go test ./validate -run TestAdviceCorpusNoise -v). SFN_ADVICE_SAMPLE=rule-id logs every
// finding of that rule, to look at them by hand.
func TestAdviceCorpusNoise(t *testing.T) {
	defs := requireShared(t, "corpus/definitions")
	tpls := requireShared(t, "corpus/templates")
	sample := os.Getenv("SFN_ADVICE_SAMPLE")
	type count struct{ defs, machines, findings int }
	counts := map[string]*count{}
	for _, r := range Rules() {
		if r.Category == CategoryAdvice {
			counts[r.ID] = &count{}
		}
	}
	tally := func(name string, ds []Diagnostic, machine bool) {
		seen := map[string]bool{}
		for _, d := range ds {
			c := counts[d.Rule]
			if c == nil {
				continue
			}
			c.findings++
			if !seen[d.Rule] {
				seen[d.Rule] = true
				if machine {
					c.machines++
				} else {
					c.defs++
				}
			}
			if d.Rule == sample {
				t.Logf("%s:%d:%d: %s", name, d.Pos.Line, d.Pos.Col, d.Message)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(defs, "*"))
	for _, f := range files {
		tally(filepath.Base(f), validateFile(f, "", &Options{Advice: true}), false)
	}
	nDefs, nMachines := len(files), 0
	files, _ = filepath.Glob(filepath.Join(tpls, "*"))
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() || filepath.Base(f) == "INDEX.json" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := template.Load(f, src, "", &template.Options{Root: tpls})
		if err != nil {
			continue // a syntax error: the other suites report it
		}
		for _, m := range tpl.Machines {
			if m.Doc == nil {
				continue
			}
			nMachines++
			opts := &Options{Advice: true, Type: strings.ToUpper(m.Type)}
			tally(filepath.Base(f)+" "+m.LogicalID, Check(m.Doc, opts), true)
		}
	}
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	fmt.Fprintf(&b, "\n| rule | definitions flagged (of %d) | template machines flagged (of %d) | findings |\n| --- | --- | --- | --- |\n", nDefs, nMachines)
	for _, id := range ids {
		c := counts[id]
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d |\n", id, c.defs, c.machines, c.findings)
	}
	t.Log(b.String())
}

// documentOf parses src as a definition for the advice tests.
func documentOf(t *testing.T, src string) *load.Document {
	t.Helper()
	doc, err := load.Parse("gen.json", []byte(src), load.Sniff([]byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
