package jsonata

import (
	"errors"
	"reflect"
	"testing"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		in   string
		expr string
		ok   bool
		half bool
	}{
		{"{% $states.input %}", " $states.input ", true, false},
		{"{%10%}", "10", true, false},
		{"{%%}", "", true, false},
		{"{% \n10 %}", " \n10 ", true, false},
		{" {% states.input %} ", "", false, false},
		{"{% x %} ", "", false, true},
		{" {% x %}", "", false, true},
		{"{% hi", "", false, true},
		{"hi %}", "", false, true},
		{"{%}", "", false, true},
		{"%}", "", false, true},
		{"{%", "", false, true},
		{"$states.input", "", false, false},
		{"", "", false, false},
		{"{ % x % }", "", false, false},
	}
	for _, tt := range tests {
		expr, ok := Template(tt.in)
		if expr != tt.expr || ok != tt.ok {
			t.Errorf("Template(%q) = %q, %v; want %q, %v", tt.in, expr, ok, tt.expr, tt.ok)
		}
		if got := HalfDelimited(tt.in); got != tt.half {
			t.Errorf("HalfDelimited(%q) = %v; want %v", tt.in, got, tt.half)
		}
	}
}

func TestParseOK(t *testing.T) {
	for _, s := range []string{
		"$states.input",
		" $states.input.items[0] ",
		"$count($states.input) + 1",
		"$states.input.items[price > 3]",
		`$contains("hello$world", /^hello\$/)`,
		"$states.input ~> $keys()",
		"function($x){ $x + 1 }(2)",
		"λ($x){$x}(1)",
		"{ 'a': 1, 'b': [1, 2] }",
		"$states.input.items^(>price)",
		"$states.input{ a: b }",
		"($x := 1; $x + 1)",
		"true ? 1 : 2",
		"[1..3]",
		"$states.input.**.a",
		"`field name`",
		"$f := function($x)<n:n>{$x}",
		"($f := function($a, $b){$a+$b}; $f(1, ?))",
		"$states.input ~> |$|{'a': 1}|",
		"$uuid()",
		"$states.input.items@$i.x",
		"$states.input.items#$i[$i < 2]",
		"$states.input.a.b.%.c",
		"/* a comment */ $states.input.\"Product Name\"",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in          string
		offset      int
		unsupported bool
	}{
		{" $sum($states.input.items.numbers ", 34, false},
		{"", 0, false},
		{"   ", 3, false},
		{"$x := 1; $x", 7, false},           // ";" needs a block at the top level
		{"$states.input.a ?: 1", 17, false}, // JSONata 2.1
		{"$states.input.a ?? 1", 17, false}, // JSONata 2.1
		{"1 +", 3, false},
		{"'abc", 4, false},                 // jsonata-js reports the end of the text
		{"$match('a', /(?=a)/)", 12, true}, // JS look-ahead
		{"items@1", 6, false},              // S0214
		{"%.a", 0, false},                  // S0217: no parent at the top
		{"[1!2]", 2, false},                // S0204
		{"a[0]@$x", 4, false},              // S0215
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, %v; want *SyntaxError", tt.in, e, err)
			continue
		}
		if se.Message == "" || se.Unsupported != tt.unsupported {
			t.Errorf("Parse(%q): %+v; want unsupported=%v", tt.in, se, tt.unsupported)
		}
		if se.Offset != tt.offset {
			t.Errorf("Parse(%q): offset %d (%s); want %d", tt.in, se.Offset, se.Message, tt.offset)
		}
	}
}

func mustParse(t *testing.T, s string) *Expr {
	t.Helper()
	e, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return e
}

func TestTopLevelReferences(t *testing.T) {
	tests := []struct {
		in   string
		want []Ref
	}{
		{"phone", []Ref{{"phone", 0}}},
		{" phone.number", []Ref{{"phone", 1}}},
		{"$.a", []Ref{{"$", 0}}},
		{"$", []Ref{{"$", 0}}},
		{"$$", []Ref{{"$$", 0}}},
		{"$$.Execution.Id", []Ref{{"$$", 0}}},
		{"`my field`", []Ref{{"my field", 0}}},
		{"a + b + a", []Ref{{"a", 0}, {"b", 4}}},
		{"$states.input.a", nil},
		{"$x.y", nil},
		{"$count($states.input) + 1", nil},
		{"$states.input.items[price > 3]", nil},
		{"$states.input.items[$ > 3]", nil},
		{"$states.input.items^(>price)", nil},
		{"$states.input{ category: $sum(price) }", nil},
		{"$states.input.(a + b)", nil},
		{"$states.input ~> |$|{'a': b}|", nil},
		{"{ 'a': b }", []Ref{{"b", 7}}},
		{"[1, x]", []Ref{{"x", 4}}},
		{"$count(items)", []Ref{{"items", 7}}},
		{"$exists(a) ? b : c", []Ref{{"a", 8}, {"b", 13}, {"c", 17}}},
		{"($v := a; $v)", []Ref{{"a", 7}}},
		{"$map($states.input, function($v){ $v.x + y })", []Ref{{"y", 41}}},
		{"$states.input.items[$$.x = 1]", []Ref{{"$$", 20}}},
		{"*", []Ref{{"*", 0}}},
		{"**.a", []Ref{{"**", 0}}},
		{"-a", []Ref{{"a", 1}}},
		{"'str' & 1", nil},
		{"items@$v.$v", []Ref{{"items", 0}}},
		{"$states.input.a.b.%.c", nil},
		{"$states.input.a#$i[%.x = 1]", nil},
		// An intrinsic parses as a path with a call step: AWS names 'States'.
		{"States.Format('{}', 1)", []Ref{{"States", 0}}},
		{"($e := $inputPayload.data.identity.email; $inputPayload.data.interests[category = 'home']{'customer': $e, 'total': $sum(estimatedValue), category: {type: yearBuilt}})", nil},
	}
	for _, tt := range tests {
		got := mustParse(t, tt.in).TopLevelReferences()
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("TopLevelReferences(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestVariables(t *testing.T) {
	tests := []struct {
		in   string
		want []VarRef
	}{
		{"($x := 1; $x + $y)", []VarRef{{"y", "", 15}}},
		{"function($a){ $a + $b }", []VarRef{{"b", "", 19}}},
		{"$states.input.a", []VarRef{{"states", "input", 0}}},
		{"$states.input.items[0]", []VarRef{{"states", "input", 0}}},
		{"$states", []VarRef{{"states", "", 0}}},
		{"$merge([$states.input, {'e': $states.errorOutput}])", []VarRef{{"states", "input", 8}, {"states", "errorOutput", 29}}},
		{"$states.result.Payload & $states.context.Execution.Id", []VarRef{{"states", "result", 0}, {"states", "context", 25}}},
		{"$x.y + $x.z", []VarRef{{"x", "", 0}}},
		{"$y + ($y := 1; $y)", []VarRef{{"y", "", 0}}},
		{"($f := function($v){$v * 2}; $f($n))", []VarRef{{"n", "", 32}}},
		{"$map($list, $string)", []VarRef{{"list", "", 5}}},
		{"$año_ü2", []VarRef{{"año_ü2", "", 0}}},
		{"$.a + $$", nil},
		{"$count($states.input)", []VarRef{{"states", "input", 7}}},
		// variables bound by a path (@ focus, # index) are not free after their step
		{"$states.input.loans@$l.$states.input.books@$b[$l.isbn = $b.isbn].{'t': $b.title, 'u': $u}", []VarRef{{"states", "input", 0}, {"u", "", 86}}},
		{"$states.input.items#$i[$i < $n].$i", []VarRef{{"states", "input", 0}, {"n", "", 28}}},
		{"$i + $states.input.items#$i.$i", []VarRef{{"i", "", 0}, {"states", "input", 5}}},
	}
	for _, tt := range tests {
		got := mustParse(t, tt.in).Variables()
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Variables(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestFunctionCalls(t *testing.T) {
	tests := []struct {
		in   string
		want []FuncRef
	}{
		{"$count($states.input) + 1", []FuncRef{{"count", 0}}},
		{"$eval('1')", []FuncRef{{"eval", 0}}},
		{"$not(null in $each($a, function($v) { $length($trim($v)) > 0 ? $v : null }))", []FuncRef{{"not", 0}, {"each", 13}, {"length", 38}, {"trim", 46}}},
		{"($f := function($x){$x}; $f(1))", nil},
		{"$states.input ~> $keys()", []FuncRef{{"keys", 17}}},
		{"$randomSeeded(1)", []FuncRef{{"randomSeeded", 0}}},
		{"$substring(?, 1)", []FuncRef{{"substring", 0}}},
		{"$uuid() & $uuid()", []FuncRef{{"uuid", 0}}},
		{"function($x){$x}(2)", nil},
	}
	for _, tt := range tests {
		got := mustParse(t, tt.in).FunctionCalls()
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FunctionCalls(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestKnownFunction(t *testing.T) {
	for _, n := range []string{"count", "$count", "partition", "$range", "hash", "random", "uuid", "parse", "map", "formatInteger", "now", "millis", "assert"} {
		if !KnownFunction(n) {
			t.Errorf("KnownFunction(%q) = false", n)
		}
	}
	for _, n := range []string{"eval", "$eval", "randomSeeded", "objmerge", "sjoin", "", "$"} {
		if KnownFunction(n) {
			t.Errorf("KnownFunction(%q) = true", n)
		}
	}
	if !UnsupportedByAWS("$eval") || UnsupportedByAWS("count") {
		t.Error("UnsupportedByAWS")
	}
}
