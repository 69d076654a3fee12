package jsonata

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

// seedExpressions returns the seed expressions of the fuzz tests (testdata/seeds.jsonl, one JSON
// string a line): written for this project to touch every part of the grammar and of the function
// library that Step Functions users write, plus three deliberately broken ones (seedInvalid).
func seedExpressions(tb testing.TB) []string {
	f, err := os.Open("testdata/seeds.jsonl")
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

// seedInvalid are the seeds that must not parse.
var seedInvalid = map[string]bool{"$sum(": true, "{'a': 1": true, "[1, 2": true}

func TestSeedCorpus(t *testing.T) {
	seeds := seedExpressions(t)
	if len(seeds) < 100 {
		t.Fatalf("only %d seeds", len(seeds))
	}
	// Only these seeds refer to fields of nothing (a top-level reference, which AWS rejects).
	wantRefs := map[string]string{" phone ": "phone", " States.Format('{}', 1) ": "States"}
	for _, s := range seeds {
		e, err := Parse(s)
		if seedInvalid[s] {
			if err == nil {
				t.Errorf("%q parses; want a syntax error", s)
			}
			continue
		}
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) && se.Unsupported {
				continue // JSONata 2.0 grammar the parser does not read yet
			}
			t.Errorf("%q: %v", s, err)
			continue
		}
		refs := e.TopLevelReferences()
		if want, ok := wantRefs[s]; ok != (len(refs) > 0) || (ok && refs[0].Name != want) {
			t.Errorf("%q: TopLevelReferences = %v; want %q", s, refs, want)
		}
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

// FuzzEval parses and evaluates arbitrary expressions over arbitrary JSON documents (bound to
// $states.input and $x) with small limits: an evaluation ends with a value or an *EvalError, never
// a panic (an internal S0500 error is a recovered panic, so it fails too), a hang or a fatal
// stack overflow.
func FuzzEval(f *testing.F) {
	docs := []string{`{"a": [1, 2, {"b": "c"}], "n": 3}`, `[[1], [2, [3]]]`, `"s"`, `null`}
	for i, s := range seedExpressions(f) {
		f.Add(s, docs[i%len(docs)])
	}
	for i, s := range suiteExpressions() { // the JSONata suite's expressions, when ../shared holds it
		f.Add(s, docs[i%len(docs)])
	}
	for _, s := range []string{
		"($f := function($x){ $f($x) + 1 }; $f(1))",
		"$pad('x', 1e9)",
		"($a := [1]; $a := {'l': $a, 'r': $a}; $a := {'l': $a, 'r': $a}; $a = $a)",
		"$reduce([1..100], function($acc, $v){ {'a': $acc} }, {})",
		"$distinct($x.**)",
		"$string($x, true) & $join($split($string($x), ''), ',')",
	} {
		f.Add(s, docs[0])
	}
	lim := &Limits{MaxDepth: 2000, Timeout: time.Second, MaxCells: 200_000, MaxString: 1 << 20}
	f.Fuzz(func(t *testing.T, src, doc string) {
		var e *Expr
		var err error
		parsed := make(chan struct{})
		go func() { e, err = Parse(src); close(parsed) }()
		select {
		case <-parsed:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse(%q) hangs", src)
		}
		if err != nil {
			return
		}
		d := json.NewDecoder(strings.NewReader(doc))
		d.UseNumber()
		in, err := value.Decode(d)
		if err != nil {
			in = doc
		}
		env := &Env{Limits: lim, Var: func(name string) (any, bool) {
			switch name {
			case "states":
				return value.ObjectOf("input", in), true
			case "x":
				return in, true
			}
			return nil, false
		}}
		done := make(chan struct{})
		var v any
		go func() { v, err = e.EvalInput(in, env); close(done) }() // the document is also the context item
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Eval(%q) does not stop at its time limit", src)
		}
		if err != nil {
			var ee *EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("Eval(%q): error %T, want *EvalError", src, err)
			}
			if ee.Code == "S0500" {
				t.Fatalf("Eval(%q): %v", src, err)
			}
			return
		}
		ToJSON(v)
	})
}
