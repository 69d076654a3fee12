package path

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func ip(v int) *int { return &v }

// seg strips Offset/Cond/Child details that the shape tests do not spell out.
func shape(segs []Segment) []Segment {
	out := make([]Segment, len(segs))
	for i, s := range segs {
		s.Offset = 0
		s.Cond = nil
		s.Raw = nil
		if s.Child != nil {
			c := *s.Child
			c.Offset = 0
			c.Cond = nil
			c.Raw = nil
			s.Child = &c
		}
		out[i] = s
	}
	return out
}

func TestParseShape(t *testing.T) {
	tests := []struct {
		in       string
		root     Root
		variable string
		segs     []Segment
	}{
		{"$", RootInput, "", nil},
		{"$$", RootContext, "", nil},
		{"$.store.book", RootInput, "", []Segment{{Kind: Field, Name: "store"}, {Kind: Field, Name: "book"}}},
		{`$.store\.book`, RootInput, "", []Segment{{Kind: Field, Name: "store.book"}}},
		{`$.\stor\e.boo\k`, RootInput, "", []Segment{{Kind: Field, Name: "store"}, {Kind: Field, Name: "book"}}},
		{`$.foo\@bar.baz\[\[.\?pretty`, RootInput, "", []Segment{{Kind: Field, Name: "foo@bar"}, {Kind: Field, Name: "baz[["}, {Kind: Field, Name: "?pretty"}}},
		{`$.foo.\.bar`, RootInput, "", []Segment{{Kind: Field, Name: "foo"}, {Kind: Field, Name: ".bar"}}},
		{"$.&Ж中.𐍆", RootInput, "", []Segment{{Kind: Field, Name: "&Ж中"}, {Kind: Field, Name: "𐍆"}}},
		{"$$.Execution.Id", RootContext, "", []Segment{{Kind: Field, Name: "Execution"}, {Kind: Field, Name: "Id"}}},
		{"$variable.foo[1].bar", RootVariable, "variable", []Segment{{Kind: Field, Name: "foo"}, {Kind: Index, Index: 1}, {Kind: Field, Name: "bar"}}},
		{"$переменная_1", RootVariable, "переменная_1", nil},
		{"$['store'][0][\"bo'ok\"]", RootInput, "", []Segment{{Kind: Field, Name: "store"}, {Kind: Index, Index: 0}, {Kind: Field, Name: "bo'ok"}}},
		{`$['it\'s']`, RootInput, "", []Segment{{Kind: Field, Name: "it's"}}},
		{"$[ 'a' , 'b' ]", RootInput, "", []Segment{{Kind: Union, Names: []string{"a", "b"}}}},
		{"$.a[0,1,-2]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Union, Indexes: []int{0, 1, -2}}}},
		{"$.a[-2]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Index, Index: -2}}},
		{"$.a[1:]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Slice, Start: ip(1)}}},
		{"$.a[:2]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Slice, End: ip(2)}}},
		{"$.a[-2:]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Slice, Start: ip(-2)}}},
		{"$.a[0:10:2]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Slice, Start: ip(0), End: ip(10), Step: ip(2)}}},
		{"$.a.*", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Wildcard}}},
		{"$.a[*]", RootInput, "", []Segment{{Kind: Field, Name: "a"}, {Kind: Wildcard}}},
		{"$..author", RootInput, "", []Segment{{Kind: RecursiveDescent, Name: "author", Child: &Segment{Kind: Field, Name: "author"}}}},
		{"$..*", RootInput, "", []Segment{{Kind: RecursiveDescent, Child: &Segment{Kind: Wildcard}}}},
		{"$..[0]", RootInput, "", []Segment{{Kind: RecursiveDescent, Child: &Segment{Kind: Index, Index: 0}}}},
		{"$.book[?(@.isbn)]", RootInput, "", []Segment{{Kind: Field, Name: "book"}, {Kind: Filter, Expr: "@.isbn"}}},
		{"$[(@.length-1)].bar", RootInput, "", []Segment{{Kind: Script, Expr: "@.length-1"}, {Kind: Field, Name: "bar"}}},
		{"$.test-batch", RootInput, "", []Segment{{Kind: Field, Name: "test-batch"}}},
	}
	for _, tt := range tests {
		p, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if p.Source != tt.in || p.Root != tt.root || p.Variable != tt.variable {
			t.Errorf("Parse(%q) = source %q root %v variable %q", tt.in, p.Source, p.Root, p.Variable)
		}
		if got := shape(p.Segments); !reflect.DeepEqual(got, shape(tt.segs)) && !(len(got) == 0 && len(tt.segs) == 0) {
			t.Errorf("Parse(%q) segments\n got %+v\nwant %+v", tt.in, got, tt.segs)
		}
	}
}

func TestSegmentOffsets(t *testing.T) {
	p, err := Parse("$.ab['c'][1]..d")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, s := range p.Segments {
		got = append(got, s.Offset)
	}
	if want := []int{1, 4, 9, 12}; !reflect.DeepEqual(got, want) {
		t.Errorf("offsets = %v, want %v", got, want)
	}
}

func TestFilterAST(t *testing.T) {
	p, err := Parse("$.a[?(@.x > 1 && @.y == 'a' || !@.z)]")
	if err != nil {
		t.Fatal(err)
	}
	c := p.Segments[1].Cond
	if c.Kind != ExprOr {
		t.Fatalf("top = %v, want ExprOr", c.Kind)
	}
	and := c.Left
	if and.Kind != ExprAnd || and.Left.Kind != ExprCompare || and.Left.Op != ">" || and.Right.Op != "==" {
		t.Fatalf("left = %+v", and)
	}
	gt := and.Left
	if gt.Left.Kind != ExprPath || gt.Left.Path.Root != RootCurrent || gt.Left.Path.Segments[0].Name != "x" {
		t.Errorf("> left = %+v", gt.Left)
	}
	if gt.Right.Kind != ExprNumber || gt.Right.Number != "1" {
		t.Errorf("> right = %+v", gt.Right)
	}
	if eq := and.Right; eq.Right.Kind != ExprString || eq.Right.String != "a" || eq.Right.Bare {
		t.Errorf("== right = %+v", eq.Right)
	}
	if not := c.Right; not.Kind != ExprNot || not.Left.Kind != ExprPath {
		t.Errorf("right = %+v", not)
	}

	p, err = Parse("$[?(@.key1 == pass)]")
	if err != nil {
		t.Fatal(err)
	}
	if r := p.Segments[0].Cond.Right; r.Kind != ExprString || !r.Bare || r.String != "pass" {
		t.Errorf("bare word = %+v", r)
	}
	p, err = Parse("$[?(@.price < -10.5 && @.ok == true && @.n != null)]")
	if err != nil {
		t.Fatal(err)
	}
	and = p.Segments[0].Cond
	if n := and.Left.Left.Right; n.Kind != ExprNumber || n.Number != "-10.5" {
		t.Errorf("negative number = %+v", n)
	}
	if b := and.Left.Right.Right; b.Kind != ExprBool || !b.Bool {
		t.Errorf("bool = %+v", b)
	}
	if n := and.Right; n.Op != "!=" || n.Right.Kind != ExprNull {
		t.Errorf("null = %+v", n)
	}
}

func TestScriptAST(t *testing.T) {
	p, err := Parse("$[(@.length - 1)]")
	if err != nil {
		t.Fatal(err)
	}
	c := p.Segments[0].Cond
	if c.Kind != ExprArith || c.Op != "-" || c.Left.Kind != ExprPath || c.Left.Path.Segments[0].Name != "length" || c.Right.Number != "1" {
		t.Errorf("script = %+v", c)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "expected a path starting with '$'"},
		{"store", 0, "expected a path starting with '$'"},
		{"..book.length()", 0, "expected a path starting with '$'"},
		{"States.UUID()", 0, "intrinsic function call is not a path"},
		{"$.store.", 7, "expected a field name after '.'"},
		{"$..", 1, "expected a field name, '*' or '[' after '..'"},
		{"$.a[", 4, "expected a quoted name, an index"},
		{"$.a[1", 5, "expected ']' to close the bracket"},
		{"$.a['x", 4, "unterminated quoted string"},
		{`$.a\`, 3, "expected a character after the escape"},
		{"$.a b", 3, "unexpected ' ' after the path"},
		{"$.a[1,x]", 6, "expected a digit"},
		{"$.a[::0]", 6, "slice step must not be zero"},
		{"$.a[99999999999999999999]", 4, "out of range"},
		{"$.a[?(@.x =~ /a/)]", 10, "regular-expression matching"},
		{"$.a[?(@.x = 1)]", 10, "'==' not '='"},
		{"$[?(@.a[($.x)])]", 9, "script expressions may only refer to the current node '@'"},
		{"$[?(@.a == $.)]", 12, "expected a field name after '.'"},
		{"$.a[?(@.x == 1]", 14, "expected ')'"},
		{"$.a[?()]", 6, "expected a value or an '@' path"},
		{"$.a.length()", 10, "unexpected '('"},
		{"$.a*", 3, "unexpected '*'"},
		{"$$x", 2, "unexpected 'x'"},
		{"$[" + strings.Repeat("(", 200) + "1", 66, "nested too deeply"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tt.in, err)
			continue
		}
		if tt.offset >= 0 && se.Offset != tt.offset {
			t.Errorf("Parse(%q) offset = %d, want %d (%v)", tt.in, se.Offset, tt.offset, err)
		}
		if !strings.Contains(se.Message, tt.msg) {
			t.Errorf("Parse(%q) message = %q, want it to contain %q", tt.in, se.Message, tt.msg)
		}
	}
	_, err := Parse("$.store.")
	if got, want := err.Error(), "expected a field name after '.' at offset 7"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		segs int
	}{
		{"$.a, 1)", 3, 1},
		{"$['a,b'][?(@.x == ')')])", 23, 2},
		{"$)", 1, 0},
		{"$var.x )", 6, 1},
	}
	for _, tt := range tests {
		p, n, err := ParsePrefix(tt.in)
		if err != nil || n != tt.n || len(p.Segments) != tt.segs {
			t.Errorf("ParsePrefix(%q) = %v segments, %d, %v; want %d, %d", tt.in, p, n, err, tt.segs, tt.n)
		}
	}
}

func TestParseIn(t *testing.T) {
	tests := []struct {
		in     string
		ctx    Context
		offset int
		msg    string // "" = valid
	}{
		{"$.a[0].b", ContextResultPath, 0, ""},
		{"$.a[0].b", ContextReferencePath, 0, ""},
		{"$$.Execution.Input", ContextReferencePath, 0, ""},
		{"$var.x", ContextReferencePath, 0, ""},
		{"$.a[*]", ContextPath, 0, ""},
		{"$.a[*]", ContextReferencePath, 3, "wildcards ('*') are not allowed in a reference path"},
		{"$.a.*", ContextReferencePath, 3, "wildcards"},
		{"$..a", ContextReferencePath, 1, "recursive descent ('..') is not allowed"},
		{"$.a[-1]", ContextReferencePath, 3, "negative indexes are not allowed"},
		{"$.a[0:1]", ContextReferencePath, 3, "slices are not allowed"},
		{"$.a[0,1]", ContextReferencePath, 3, "unions are not allowed"},
		{"$['a','b']", ContextReferencePath, 1, "unions are not allowed"},
		{"$.a[?(@.b)]", ContextReferencePath, 3, "filters are not allowed in a reference path"},
		{"$.a[(@.length-1)]", ContextReferencePath, 3, "script expressions are not allowed"},
		{"$.a[?(@.b)]", ContextResultPath, 3, "filters are not allowed in a result path"},
		{"$$.Execution", ContextResultPath, 0, "must not start with '$$'"},
		{"$var.x", ContextResultPath, 0, "must not refer to a variable ('$var')"},
	}
	for _, tt := range tests {
		p, err := ParseIn(tt.in, tt.ctx)
		if tt.msg == "" {
			if err != nil {
				t.Errorf("ParseIn(%q, %v): %v", tt.in, tt.ctx, err)
			} else if tt.ctx != ContextPath && !p.IsReference() {
				t.Errorf("ParseIn(%q, %v) not IsReference", tt.in, tt.ctx)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseIn(%q, %v) = %v, want *SyntaxError", tt.in, tt.ctx, err)
			continue
		}
		if se.Offset != tt.offset || !strings.Contains(se.Message, tt.msg) {
			t.Errorf("ParseIn(%q, %v) = %q at %d, want %q at %d", tt.in, tt.ctx, se.Message, se.Offset, tt.msg, tt.offset)
		}
	}
}

func TestString(t *testing.T) {
	tests := map[string]string{
		"$":                           "$",
		"$$.Execution.Id":             "$$.Execution.Id",
		"$var[0].x":                   "$var[0].x",
		`$.foo\@bar['it\'s']`:         `$['foo@bar']['it\'s']`,
		"$.a.*..b..*..['c d'][-1]":    "$.a[*]..b..*..['c d'][-1]",
		"$[1:][:2][::3][0,1]":         "$[1:][:2][::3][0,1]",
		"$['a', 'b']":                 "$['a','b']",
		"$[?(@.x > 1)][(@.length-1)]": "$[?(@.x > 1)][(@.length-1)]",
	}
	for in, want := range tests {
		p, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if got := p.String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
	}
}
