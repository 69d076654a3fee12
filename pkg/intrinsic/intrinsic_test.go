package intrinsic

import (
	"errors"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/path"
)

func TestIsCall(t *testing.T) {
	for s, want := range map[string]bool{
		"States.UUID()":     true,
		"  States.Array()":  true,
		"$.a":               false,
		"States":            false,
		"states.Format('')": false,
		"":                  false,
	} {
		if got := IsCall(s); got != want {
			t.Errorf("IsCall(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParseShape(t *testing.T) {
	s := `States.Format('it\'s {} \{\} \\', $.a[0], -1.5, 42, true, false, null, $$.Execution.Id, $var.x, States.UUID())`
	c, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "States.Format" || c.Offset != 0 || len(c.Args) != 10 {
		t.Fatalf("call = %+v", c)
	}
	want := []struct {
		kind ArgKind
		text string
	}{
		{ArgString, `it's {} {} \`}, {ArgPath, "$.a[0]"}, {ArgNumber, "-1.5"}, {ArgNumber, "42"},
		{ArgBool, "true"}, {ArgBool, "false"}, {ArgNull, ""}, {ArgPath, "$$.Execution.Id"},
		{ArgPath, "$var.x"}, {ArgCall, "States.UUID"},
	}
	for i, w := range want {
		a := c.Args[i]
		if a.Kind != w.kind {
			t.Errorf("arg %d kind = %v, want %v", i, a.Kind, w.kind)
			continue
		}
		var got string
		switch a.Kind {
		case ArgString:
			got = a.String
		case ArgNumber:
			got = a.Number
		case ArgBool:
			if a.Bool {
				got = "true"
			} else {
				got = "false"
			}
		case ArgPath:
			got = a.Path.Source
		case ArgCall:
			got = a.Call.Name
		}
		if got != w.text {
			t.Errorf("arg %d = %q, want %q", i, got, w.text)
		}
		prefix := w.text
		switch a.Kind {
		case ArgString:
			prefix = "'"
		case ArgNull:
			prefix = "null"
		}
		if !strings.HasPrefix(s[a.Offset:], prefix) {
			t.Errorf("arg %d offset %d points at %.10q, want %q", i, a.Offset, s[a.Offset:], prefix)
		}
	}
	if c.Args[1].Offset != strings.Index(s, "$.a[0]") {
		t.Errorf("path offset = %d", c.Args[1].Offset)
	}
	if c.Args[7].Path.Root != path.RootContext || c.Args[8].Path.Root != path.RootVariable || c.Args[8].Path.Variable != "var" {
		t.Errorf("path roots wrong: %+v %+v", c.Args[7].Path, c.Args[8].Path)
	}
	if nested := c.Args[9]; nested.Call.Offset != nested.Offset || len(nested.Call.Args) != 0 {
		t.Errorf("nested = %+v", nested.Call)
	}
	// A path argument containing ',' and ')' inside brackets and a filter.
	c, err = Parse(`States.ArrayGetItem($['a,b)'][?(@.k == 'x)')].v , 0)`)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Args[0].Path.Source; got != `$['a,b)'][?(@.k == 'x)')].v` {
		t.Errorf("path source = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{`States.Format('a\"b')`, 16, `illegal escape sequence '\"'`},
		{`States.Format('a\nb')`, 16, `illegal escape sequence '\n'`},
		{`States.Format('abc)`, 14, "unterminated string literal"},
		{`States.Format("abc")`, 14, "single quotes"},
		{`States.Format('{}', $.a`, 23, "expected ',' or ')'"},
		{`States.Array(1 2)`, 15, "expected ',' or ')'"},
		{`States.Array(1,)`, 15, "expected an argument"},
		{`States.Array(truex)`, 13, "expected an argument"},
		{`States.Array(1.)`, 15, "decimal point"},
		{`States.Array(1x)`, 14, "after the number"},
		{`States.(1)`, 7, "expected a function name"},
		{`States.UUID`, 11, "expected '('"},
		{`States.UUID() x`, 14, "unexpected 'x'"},
		{`States.Array($.a[)`, 17, "expected a quoted name"},
		{`States.Array($.a[($.x)])`, 18, "current node"},
		{`$.a`, 0, "'States.'"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset || !strings.Contains(se.Message, tt.msg) {
			t.Errorf("Parse(%q) = %q at %d, want %q at %d", tt.in, se.Message, se.Offset, tt.msg, tt.offset)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		in   string
		msgs []string // substrings, one per expected problem; nil = valid
	}{
		{"States.UUID()", nil},
		{"States.Array()", nil},
		{"States.Format('{} and {}', $.a, States.UUID())", nil},
		{`States.Format('\{\} {}', $.a)`, nil},
		{"States.Format($.template, $.a, $.b)", nil},
		{"States.MathAdd(1, -1)", nil},
		{"States.MathRandom(1, 100, 42)", nil},
		{"States.ArrayRange(1, 9, 2)", nil},
		{"States.ArrayRange(0, 999, 1)", nil},
		{"States.ArrayRange(10, 0, -1)", nil},
		{"States.ArrayRange($.a, $.b, 0)", []string{"(the step) must not be 0"}},
		{"States.ArrayRange(0, 1000, 1)", []string{"1001 elements; at most 1000"}},
		{"States.ArrayRange(1, 2.5, 1)", []string{"argument 2 of States.ArrayRange must be an integer, got 2.5"}},
		{"States.ArrayPartition($.a, 0)", []string{"chunk size) must be greater than 0"}},
		{"States.ArrayPartition($.a, 4)", nil},
		{"States.Hash($.a, 'SHA-256')", nil},
		{"States.Hash($.a, 'SHA256')", []string{"must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"}},
		{"States.Hash($.a, 1)", []string{"must be a string"}},
		{"States.JsonMerge($.a, $.b, false)", nil},
		{"States.JsonMerge($.a, $.b, 'false')", []string{"argument 3 of States.JsonMerge must be a boolean"}},
		{"States.MathAdd('-1', 'abc')", []string{"argument 1 of States.MathAdd must be an integer, got a string literal", "argument 2"}},
		{"States.MathAdd(1)", []string{"States.MathAdd takes 2 arguments, got 1"}},
		{"States.MathAdd(1, 2, 3)", []string{"takes 2 arguments, got 3"}},
		{"States.MathRandom(1)", []string{"takes 2 to 3 arguments, got 1"}},
		{"States.UUID($.a)", []string{"States.UUID takes 0 arguments, got 1"}},
		{"States.Format()", []string{"takes at least 1 argument, got 0"}},
		{"States.Format('{} {}', $.a)", []string{"2 '{}' placeholders but 1 value follows"}},
		{"States.Format('x', $.a)", []string{"0 '{}' placeholders but 1 value follows"}},
		{"States.Format(1)", []string{"must be a template string"}},
		{"States.JsonToString('x')", []string{"must be a path"}},
		{"States.ArrayLength('abc')", []string{"must be an array"}},
		{"States.Base64Encode(1)", []string{"must be a string"}},
		{"States.Base64Encode('" + strings.Repeat("a", MaxBase64Input+1) + "')", []string{"longer than 10000"}},
		{"States.Nope(1)", []string{"unknown intrinsic function States.Nope"}},
		{"States.Array(States.MathAdd(1), States.Nope())", []string{"States.MathAdd takes 2", "unknown intrinsic function States.Nope"}},
		{nest(10), nil},
		{nest(11), []string{"nested more than 10 deep"}},
	}
	for _, tt := range tests {
		c, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		probs := Check(c)
		if len(probs) != len(tt.msgs) {
			t.Errorf("Check(%.60q) = %v, want %d problems %q", tt.in, probs, len(tt.msgs), tt.msgs)
			continue
		}
		for i, m := range tt.msgs {
			if !strings.Contains(probs[i].Message, m) {
				t.Errorf("Check(%.60q)[%d] = %q, want it to contain %q", tt.in, i, probs[i].Message, m)
			}
		}
	}
}

// nest returns n nested calls: States.Array(States.Array(...($.a)...)).
func nest(n int) string {
	return strings.Repeat("States.Array(", n) + "$.a" + strings.Repeat(")", n)
}

func TestCheckOffsets(t *testing.T) {
	s := "States.Array(1, States.MathAdd('x', 2))"
	c, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	probs := Check(c)
	if len(probs) != 1 || probs[0].Offset != strings.Index(s, "'x'") {
		t.Errorf("Check = %v", probs)
	}
}

func TestFunctions(t *testing.T) {
	fs := Functions()
	if len(fs) != 18 {
		t.Fatalf("len(Functions()) = %d, want 18", len(fs))
	}
	fs[0].Name = "mutated"
	if f, ok := Lookup("States.Format"); !ok || f.MinArgs != 1 || f.MaxArgs != Variadic {
		t.Errorf("Lookup(States.Format) = %+v, %v", f, ok)
	}
	if f, ok := Lookup("States.MathRandom"); !ok || f.MinArgs != 2 || f.MaxArgs != 3 {
		t.Errorf("Lookup(States.MathRandom) = %+v, %v", f, ok)
	}
	if _, ok := Lookup("States.Nope"); ok {
		t.Error("Lookup(States.Nope) found")
	}
}

func TestParsePayloadValue(t *testing.T) {
	tests := []struct {
		in       string
		wantPath bool
		wantCall bool
	}{
		{"$", true, false},
		{"$$.Map.Item.Value", true, false},
		{"$var[0]", true, false},
		{"$..a[?(@.b)]", true, false},
		{"States.UUID()", false, true},
		{"  States.Array($.a)", false, true},
		{"abc", false, false},
		{"", false, false},
		{"States.Format('a\\\"')", false, false},
		{"$.a[", false, false},
	}
	for _, tt := range tests {
		p, c, err := ParsePayloadValue(tt.in)
		if (p != nil) != tt.wantPath || (c != nil) != tt.wantCall || (err == nil) != (tt.wantPath || tt.wantCall) {
			t.Errorf("ParsePayloadValue(%q) = %v, %v, %v", tt.in, p, c, err)
		}
	}
}
