package suite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/testshared"
)

// TestGenerateCorpus runs sfn test --generate on every definition of ../shared/corpus/definitions
// and then the generated suite: at least 95 % must pass. The rest are listed with the reason.
func TestGenerateCorpus(t *testing.T) {
	defs, _ := filepath.Glob("../../shared/corpus/definitions/*")
	if len(defs) == 0 {
		testshared.Skip(t, "corpus", "../../shared/corpus/definitions")
	}
	sort.Strings(defs)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	pass, cases := 0, 0
	var covered, states int
	var rest []string
	for i, def := range defs {
		src, err := os.ReadFile(def)
		if err != nil {
			t.Fatal(err)
		}
		sub := filepath.Join(dir, strings.Repeat("0", 4-len(itoa(i)))+itoa(i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		m := filepath.Join(sub, filepath.Base(def))
		if err := os.WriteFile(m, src, 0o644); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		out, err := Generate(m, GenerateOptions{})
		if d := time.Since(t0); d > time.Second {
			t.Logf("slow: %s %v", filepath.Base(def), d)
		}
		if err != nil {
			rest = append(rest, filepath.Base(def)+": generate: "+firstLine(reason(err)))
			continue
		}
		s, err := LoadFile(out)
		if err != nil {
			rest = append(rest, filepath.Base(def)+": load: "+firstLine(err.Error()))
			continue
		}
		rs := RunAll(context.Background(), []*Suite{s}, Options{}, nil)
		cases += len(rs)
		for _, c := range ComputeCoverage(rs) {
			for _, st := range c.States {
				states++
				if st.Entered > 0 {
					covered++
				}
			}
		}
		ok := true
		for _, r := range rs {
			if !r.Passed() {
				ok = false
				msg := ""
				if r.Err != nil {
					msg = r.Err.Error()
				} else {
					msg = r.Failures[0].Msg
				}
				rest = append(rest, filepath.Base(def)+": case "+r.Case.Name+": "+firstLine(msg))
				break
			}
		}
		if ok {
			pass++
		}
	}
	pct := 100 * float64(pass) / float64(len(defs))
	t.Logf("generate corpus: %d of %d definitions (%.1f %%) give a passing suite (%d cases, %.1f %% of the states entered)", pass, len(defs), pct, cases, 100*float64(covered)/float64(max(states, 1)))
	for _, r := range rest {
		t.Logf("  %s", clip(r))
	}
	if pct < 95 {
		t.Errorf("generated suites pass for %.1f %% of the corpus, want at least 95 %%", pct)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func reason(err error) string {
	var es Errors
	if errors.As(err, &es) && len(es) > 0 {
		return es[0].Msg
	}
	return err.Error()
}
