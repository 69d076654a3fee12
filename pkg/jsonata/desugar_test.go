package jsonata

import "testing"

func TestDesugar(t *testing.T) {
	for _, c := range []struct{ in, want, code string }{
		{`$."Product Name"`, "$.`Product Name`", ""},
		{`"foo".**."fud"`, "`foo`.**.`fud`", ""},
		{`foo . 'blah' . baz`, "foo . `blah` . baz", ""},
		{`"a" & "b"`, `"a" & "b"`, ""},
		{`$f("x.y")`, `$f("x.y")`, ""},
		{`a."x\"y"`, `a."x\"y"`, ""},                             // an escape: left to the parser
		{`[1..2]."x"`, "[1..2].`x`", ""},                         // after a path step
		{`1.."x"`, `1.."x"`, ""},                                 // the range operator is not a step
		{`$match("a", /"x"."y"/)`, `$match("a", /"x"."y"/)`, ""}, // inside a regex
		{"/* c */ 1", "        1", ""},
		{"1 /* a\nb */ + 2", "1     \n     + 2", ""},
		{`"/* not a comment */"`, `"/* not a comment */"`, ""},
		{"1 /* open", "", "S0106"},
		{`a."`, `a."`, ""},
	} {
		got, err := desugar(c.in)
		switch {
		case c.code != "":
			if err == nil || err.Code != c.code {
				t.Errorf("%q: got %q, %v; want error %s", c.in, got, err, c.code)
			}
		case err != nil || got != c.want:
			t.Errorf("%q: got %q, %v; want %q", c.in, got, err, c.want)
		case len(got) != len(c.in):
			t.Errorf("%q: length changed", c.in)
		}
	}
}
