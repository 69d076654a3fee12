package jsonata

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// nest repeats open n times around mid, then close n times.
func nest(open, mid, close string, n int) string {
	return strings.Repeat(open, n) + mid + strings.Repeat(close, n)
}

// TestParseNestingLimit: every shape that makes the parser (and the tree walkers after it) recurse
// is refused before parsing when deeper than MaxNesting, with the offset of the level that went
// over, instead of overflowing the stack (10^6 parentheses did).
func TestParseNestingLimit(t *testing.T) {
	deep := []struct {
		name string
		expr string
	}{
		{"parentheses 10^6", nest("(", "1", ")", 1_000_000)},
		{"array literal 10^5", nest("[", "1", "]", 100_000)},
		{"object constructor", nest(`{"a":`, "1", "}", 5_000)},
		{"lambda bodies", nest("function($x){", "1", "}", 5_000)},
		{"unclosed parentheses", strings.Repeat("(", 100_000)},
		{"negation chain", strings.Repeat("-", 100_000) + "1"},
		{"conditional chain", strings.Repeat("1 ? 1 : ", 100_000) + "1"},
		{"assignment chain", "(" + strings.Repeat("$a := ", 100_000) + "1)"},
		{"concatenation chain", strings.Repeat("'a' & ", 100_000) + "'a'"},
		{"boolean words", strings.Repeat("true and ", 100_000) + "true"},
		{"path steps", "$x" + strings.Repeat(".a", 100_000)},
		{"call chain", "$f" + strings.Repeat("()", 100_000)},
		{"predicate chain", "$a" + strings.Repeat("[0]", 100_000)},
		{"mixed", nest("(-[", "1", "])", 50_000)},
		{"brackets hidden after a regex", "$match('a', /\\)/) & " + nest("(", "1", ")", 100_000)},
		{"quote inside a regex", "$match('a', /\"/) & " + nest("(", "1", ")", 100_000) + " & \"\""},
		{"brackets after a comment", "/* ) */ " + nest("[", "1", "]", 100_000)},
		{"brackets after a comment holding brackets", "$x /* " + strings.Repeat("(", 100_000) + " */ & " + nest("[", "1", "]", 100_000)},
		{"quote inside a name", `a"b ` + strings.Repeat("(", 100_000) + `"`},
		{"backslash before a backtick", "`a\\` " + strings.Repeat("(", 100_000) + " `"},
		{"string after a number", `1")))" ` + strings.Repeat("(", 100_000)},
		{"addition chain of numbers", strings.Repeat("1+", 100_000) + "1"},
	}
	for _, c := range deep {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.expr)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse: %v; want a SyntaxError", err)
			}
			if !strings.Contains(se.Message, "nested too deeply") || se.Offset <= 0 || se.Offset > len(c.expr) {
				t.Fatalf("Parse: offset %d: %s", se.Offset, se.Message)
			}
		})
	}
}

// TestParseNestingAccepted: what validate accepts, run evaluates (no depth error at run time), and
// long flat expressions are not mistaken for deep ones.
func TestParseNestingAccepted(t *testing.T) {
	items := strings.Repeat("1, ", 20_000) + "1"
	ok := []struct {
		name string
		expr string
	}{
		{"parentheses at the limit", nest("(", "1", ")", MaxNesting)},
		{"array literal at the limit", nest("[", "1", "]", MaxNesting)},
		{"negation chain", strings.Repeat("-", MaxNesting/2) + "1"},
		{"concatenation chain", strings.Repeat("'a' & ", MaxNesting/2) + "'a'"},
		{"flat array", "[" + items + "]"},
		{"flat object", "{" + strings.Repeat(`"a": 1, `, 5_000) + `"b": 2}`},
		{"nested arrays of many items", nest("[1, 2, 3, ", "1", "]", MaxNesting/2)},
		{"regex with brackets", "[" + strings.Repeat("$match('a', /(a)/), ", 2_000) + "1]"},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.expr)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			e.TopLevelReferences()
			if _, err := e.Eval(&Env{Limits: untimed(nil), Var: func(string) (any, bool) { return "x", true }}); err != nil {
				var ee *EvalError
				if errors.As(err, &ee) && (ee.Code == codeLimit || ee.Code == codeTooLarge) {
					t.Fatalf("Eval of an accepted expression hit a limit: %v", err)
				}
			}
		})
	}
}

func evalLimited(t *testing.T, expr string, env *Env) (any, error) {
	t.Helper()
	e, err := Parse(expr)
	if err != nil {
		t.Fatalf("Parse(%q): %v", expr, err)
	}
	if env == nil {
		env = &Env{Limits: untimed(nil)}
	}
	return e.Eval(env)
}

// untimed returns l (nil: the defaults) with a time limit long enough that a loaded machine never
// reaches it: the tests that expect another outcome must not depend on the machine's speed.
func untimed(l *Limits) *Limits {
	u := Limits{Timeout: time.Minute}
	if l != nil {
		u = *l
		if u.Timeout == 0 {
			u.Timeout = time.Minute
		}
	}
	return &u
}

// doubling returns an expression that builds {l: $a, r: $a} inside itself n times: a value whose JSON
// form has 2^n leaves but takes n steps to build.
func doubling(n int) string {
	return "($a := [1, 2]; " + strings.Repeat("$a := {'l': $a, 'r': $a}; ", n) + "$a)"
}

// TestEvalLimits: hostile expressions end with an error, fast and in bounded memory, instead of a
// fatal stack overflow, an exhausted memory or a hang.
func TestEvalLimits(t *testing.T) {
	cases := []struct {
		name, expr string
		code, msg  string
		lim        *Limits // nil: DefaultLimits
	}{
		{"infinite recursion", "($f := function($x){ $f($x) + 1 }; $f(1))", "U1001", msgStackOverflow, nil},
		// Tail calls run in constant depth (as jsonata-js's thunks): only the time limit ends these.
		{"infinite tail recursion", "($f := function($x){ $f($x) }; $f(1))", "U1001", msgTimeout, &Limits{Timeout: 100 * time.Millisecond}},
		{"mutual recursion", "($a := function($x){ $b($x) }; $b := function($x){ $a($x) }; $a(1))", "U1001", msgTimeout, &Limits{Timeout: 100 * time.Millisecond}},
		{"mutual recursion, not in tail position", "($a := function($x){ $b($x) + 1 }; $b := function($x){ $a($x) }; $a(1))", "U1001", msgStackOverflow, nil},
		{"recursion in a higher-order function", "($f := function($x){ $map([1], $f) }; $f(1))", "U1001", msgStackOverflow, nil},
		{"range over the jsonata-js limit", "[1..1e9]", "D2014", "", nil},
		{"pad to 10^9", "$pad('x', 1000000000)", "S0501", "a string of", nil},
		{"pad to infinity", "$pad('x', 1e308 * 10)", "", "", nil},
		{"string doubled 40 times", "($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1) }; $s('ab', 40))", "S0501", "a string of", nil},
		{"string doubled by reduce", "$reduce([1..40], function($acc, $v){ $acc & $acc }, 'ab')", "S0501", "a string of", nil},
		{"join of a huge array", "$join($map([1..200000], function($v){ 'xxxxxxxxxx' }), 'yy')", "S0501", "", &Limits{MaxString: 1 << 20}},
		{"map over 10^7 items", "$map([1..10000000], function($v){ $v * 2 })", "S0501", "array items", nil},
		{"path amplification", "($x := [1..5000]; $x.($x))", "S0501", "array items", &Limits{MaxCells: 1_000_000}},
		{"shared value doubled 40 times", doubling(40), "S0501", "holds more than", nil},
		{"shared value stringified", "$string(" + doubling(40) + ")", "S0501", "a string of", nil},
		{"deep value built by reduce", "$reduce([1..30000], function($acc, $v){ {'a': $acc} }, {})", "", "", nil},
		{"split into characters", "$split($pad('', 1000000, 'a'), '')", "S0501", "array items", &Limits{MaxCells: 100_000}},
		{"split on a string", "$split($pad('', 1000000, 'a'), 'a')", "S0501", "array items", &Limits{MaxCells: 100_000}},
		{"split on a regex", "$split($pad('', 1000000, 'a'), /a/)", "S0501", "array items", &Limits{MaxCells: 100_000}},
		{"match everywhere", "$match($pad('', 1000000, 'a'), /a/)", "S0501", "array items", &Limits{MaxCells: 100_000}},
		{"replace everywhere", "$replace($pad('', 1000000, 'a'), /a/, 'b')", "S0501", "array items", &Limits{MaxCells: 100_000}},
		{"base64 of base64", "$base64encode($base64encode($base64encode($base64encode($pad('', 600000, 'a')))))", "S0501", "a string of", &Limits{MaxString: 1 << 20}},
		{"replace expanding", "$replace($pad('', 1000000, 'a'), 'a', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')", "S0501", "a string of", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := evalLimited(t, c.expr, &Env{Limits: untimed(c.lim)})
			var ee *EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("Eval: %v; want an EvalError", err)
			}
			if c.code != "" && ee.Code != c.code {
				t.Fatalf("Eval: %v; want code %s", err, c.code)
			}
			if !strings.Contains(ee.Message, c.msg) {
				t.Fatalf("Eval: %v; want %q in the message", err, c.msg)
			}
		})
	}
}

// TestEvalLegitimateRecursion: recursion as deep as jsonata-js's own test suite goes still works.
func TestEvalLegitimateRecursion(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(500))", "500"},
		{"($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(3000))", "3000"},
		// tail-recursion/case007 of the JSONata suite (jsonata-js runs it as tail calls).
		{"($even := function($n) { $n = 0 ? true : $odd($n-1) }; $odd := function($n) { $n = 0 ? false : $even($n-1) }; $odd(6555))", "true"},
		{"[1..4000000] ~> $count()", "4000000"},
		{"$count($distinct($append([1..200000], [1..200000])))", "200000"},
		{"$count($keys($reduce([1..9000], function($acc, $v){ {'a': $acc} }, {})))", "1"},
	}
	for _, c := range cases {
		v, err := evalLimited(t, c.expr, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := textOf(v); got != c.want {
			t.Errorf("%s = %s; want %s", c.expr, got, c.want)
		}
	}
}

// TestEvalContextAndTimeout: a canceled context and the time limit stop long evaluations.
func TestEvalContextAndTimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := evalLimited(t, "$count($filter([1..3000000], function($v){ $v % 2 = 0 }))", &Env{Context: ctx, Limits: untimed(nil)})
	var ee *EvalError
	if !errors.As(err, &ee) || ee.Code != codeCanceled {
		t.Fatalf("canceled: %v", err)
	}
	_, err = evalLimited(t, "$count($filter([1..3000000], function($v){ $v % 2 = 0 }))", &Env{Limits: &Limits{Timeout: time.Nanosecond}})
	if !errors.As(err, &ee) || ee.Code != "U1001" || ee.Message != msgTimeout {
		t.Fatalf("timeout: %v", err)
	}
	// comparing a shared value with itself walks 2^40 leaves: only the clock stops it.
	_, err = evalLimited(t, "("+strings.TrimSuffix(strings.TrimPrefix(doubling(40), "("), ")")+"; $a = $a)", &Env{Limits: &Limits{Timeout: time.Millisecond}})
	if !errors.As(err, &ee) || ee.Message != msgTimeout {
		t.Fatalf("shared value compared: %v", err)
	}
	_, err = evalLimited(t, "($f := function($x){ $f($x) + 1 }; $f(1))", &Env{Limits: untimed(&Limits{MaxDepth: 50})})
	if !errors.As(err, &ee) || ee.Message != msgStackOverflow {
		t.Fatalf("depth 50: %v", err)
	}
}

// textOf formats a value as the tests compare it.
func textOf(v any) string {
	return (&budget{lim: DefaultLimits, ctx: context.Background()}).jsonText(v)
}
