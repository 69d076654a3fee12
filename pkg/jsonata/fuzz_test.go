package jsonata

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"
)

// seedExpressions returns the "{% %}" expressions (delimiters removed) found
// in the conformance recordings and the validation corpus.
func seedExpressions(tb testing.TB) []string {
	f, err := os.Open("testdata/seed_expressions.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s string
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestSeedCorpus(t *testing.T) {
	seeds := seedExpressions(t)
	if len(seeds) < 100 {
		t.Fatalf("only %d seeds", len(seeds))
	}
	failed := 0
	// Only the corpus's deliberately invalid definitions have top-level
	// references; every expression AWS ran has none.
	wantRefs := map[string]string{" $$ ": "$$", " phone ": "phone", " States.Format('{}', 1) ": "States"}
	for _, s := range seeds {
		e, err := Parse(s)
		if err != nil {
			failed++
			t.Logf("%q: %v", s, err)
			continue
		}
		refs := e.TopLevelReferences()
		if want, ok := wantRefs[s]; ok != (len(refs) > 0) || (ok && refs[0].Name != want) {
			t.Errorf("%q: TopLevelReferences = %v; want %q", s, refs, want)
		}
	}
	// The corpus holds exactly two unparseable expressions: an unclosed
	// "$sum(" and " 420. ".
	if failed != 2 {
		t.Errorf("%d of %d seeds failed to parse; want 2", failed, len(seeds))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seedExpressions(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e *Expr
		var err error
		done := make(chan struct{})
		go func() { e, err = Parse(s); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Fatalf("Parse(%q) hangs", s)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T, want *SyntaxError", s, err)
			}
			if se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("Parse(%q): offset %d out of range", s, se.Offset)
			}
			return
		}
		for _, r := range e.TopLevelReferences() {
			if r.Offset < 0 || r.Offset > len(s) {
				t.Fatalf("%q: ref offset %d", s, r.Offset)
			}
		}
		for _, v := range e.Variables() {
			if v.Offset < 0 || v.Offset > len(s) {
				t.Fatalf("%q: var offset %d", s, v.Offset)
			}
		}
		for _, fn := range e.FunctionCalls() {
			if fn.Offset < 0 || fn.Offset > len(s) {
				t.Fatalf("%q: func offset %d", s, fn.Offset)
			}
		}
	})
}
