package jsonata

import (
	"os"
	"path/filepath"
	"testing"
)

// benchCase is one suite case prepared for timing: its expression, input and bindings.
type benchCase struct {
	src   string
	input any
	vars  map[string]any
}

// benchSuite reads the suite's cases as scripts/bench-jsonata.mjs does: every case but those
// using $eval and those that test the time and depth limits (they measure the limit, not the
// evaluator).
func benchSuite(b *testing.B) []benchCase {
	dir := suiteDir()
	if _, err := os.Stat(filepath.Join(dir, "groups")); err != nil {
		b.Skipf("%s not found (set SFN_JSONATA_SUITE): the JSONata suite benchmark is skipped", dir)
	}
	cases, err := readSuite(dir)
	if err != nil {
		b.Fatal(err)
	}
	datasets := map[string]any{}
	var out []benchCase
	for _, nc := range cases {
		c := nc.c
		if usesEval(nc) || c.Timelimit > 0 || c.Depth > 0 {
			continue
		}
		src := ""
		if c.Expr != nil {
			src = *c.Expr
		} else {
			t, err := os.ReadFile(filepath.Join(nc.dir, c.ExprFile))
			if err != nil {
				b.Fatal(err)
			}
			src = string(t)
		}
		input, err := suiteInput(dir, c, datasets)
		if err != nil {
			b.Fatal(err)
		}
		vars := map[string]any{}
		for k, raw := range c.Bindings {
			if vars[k], err = decodeSuiteJSON(raw); err != nil {
				b.Fatal(err)
			}
		}
		out = append(out, benchCase{src, input, vars})
	}
	return out
}

// BenchmarkJSONataSuite parses and evaluates every case of the JSONata 2.0.6 suite once per
// iteration (ns/op is one pass over the whole suite), as scripts/bench-jsonata.mjs does with
// jsonata-js under node.
func BenchmarkJSONataSuite(b *testing.B) {
	cases := benchSuite(b)
	b.ResetTimer()
	for range b.N {
		for _, c := range cases {
			e, err := Parse(c.src)
			if err != nil {
				continue
			}
			vars := c.vars
			env := &Env{Var: func(n string) (any, bool) { v, ok := vars[n]; return v, ok }}
			_, _ = e.EvalInput(c.input, env)
		}
	}
	b.ReportMetric(float64(len(cases)), "cases")
}
