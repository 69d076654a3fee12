package jsonata

import (
	"errors"
	"strings"
	"testing"
)

// TestParseCodes pins jsonata-js's error code and offset for each kind of syntax error.
func TestParseCodes(t *testing.T) {
	for _, c := range []struct {
		in, code string
		off      int
	}{
		{`"abc`, "S0101", 4},
		{`1e999`, "S0102", 0},
		{`"a\qb"`, "S0103", 3},
		{`"\u12"`, "S0104", 2},
		{"`abc", "S0105", 4},
		{"1 /* open", "S0106", 2},
		{"1 + + ", "S0211", 4},
		{"(1 2)", "S0202", 3},
		{"(1", "S0203", 2},
		{"[1!2]", "S0204", 2},
		{"1 +", "S0207", 3},
		{"function(a){1}", "S0208", 9},
		{"$a{'x':1}[0]", "S0209", 9},
		{"a{'x':1}{'y':2}", "S0210", 8},
		{"1 := 2", "S0212", 0},
		{"a.1", "S0213", 2},
		{"a.true", "S0213", 2},
		{"a@b", "S0214", 2},
		{"a#1", "S0214", 2},
		{"a[0]@$x", "S0215", 4},
		{"a^(x)@$x", "S0216", 5},
		{"%", "S0217", 0},
		{"$f(%)", "S0217", 2},
		{"a.$f(%.%)", "S0217", 0},
		{"a.b^(x).%", "S0217", 3},
		{"1..2", "S0201", 1},
		{"1e", "S0201", 1},
		{"//", "S0301", 1},
		{"/abc", "S0302", 4},
		{"function($a)<n<n>:n>{1}", "S0401", 14},
		{"function($a)<(sa<n>)>{1}", "S0402", 13},
	} {
		_, err := Parse(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v; want %s", c.in, err, c.code)
			continue
		}
		if se.Code != c.code || se.Offset != c.off || se.Message == "" {
			t.Errorf("Parse(%q): %s at %d (%s); want %s at %d", c.in, se.Code, se.Offset, se.Message, c.code, c.off)
		}
	}
}

// TestParseLexical covers the lexical forms jsonata-js reads: comments, string-literal path steps,
// escapes, keywords as names.
func TestParseLexical(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`$."Product Name"`, `"p"`},
		{`"foo".**.fud`, `"x"`},
		{`blah . 'baz'`, `"b"`},
		{`"a" & "b"`, `"ab"`},
		{"/* c */ 1", "1"},
		{"1 /* a\nb */ + 2", "3"},
		{`"/* not a comment */"`, `"/* not a comment */"`},
		{`"\ud83d\ude00"`, `"😀"`},
		{`{"and": 1, "or": 2}.(and + or)`, "3"},
		{`[1..3]`, "[1,2,3]"},
		{`-(1)`, "-1"},
	} {
		e, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		in, err := decodeSuiteJSON([]byte(`{"Product Name": "p", "foo": {"fud": "x"}, "blah": {"baz": "b"}}`))
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.EvalInput(in, nil)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := shortJSON(v); got != c.want {
			t.Errorf("%q = %s; want %s", c.in, got, c.want)
		}
	}
}

// TestParseDeep: the parser's own recursion guard holds where the nesting pre-check is bypassed.
func TestParseDeep(t *testing.T) {
	src := strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)
	if _, err := parseSource(src); err == nil {
		t.Fatal("parseSource accepted 5000 nested blocks")
	}
	if _, err := Parse(src); err == nil {
		t.Fatal("Parse accepted 5000 nested blocks")
	}
}
