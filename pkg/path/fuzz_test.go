package path

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// fuzzSeeds are extra seeds besides the paths.json expressions.
var fuzzSeeds = []string{
	"$", "$$", "$var", "$.a.b", `$.foo\@bar.baz\[\[.\?pretty`, "$.&Ж中.𐍆",
	"$['a','b']", "$.a[0,1,-2]", "$.a[1:2:3]", "$..*", "$..[0]", "$[*]",
	"$.a[?(@.x > 1 && @.y == 'a' || !(@.z))]", "$[(@.length-1)]",
	"$[?(@.a[?(@.b == \"x\")])]", "$.a[?(@.x =~ /a/)]", "$.a\\", "$[",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	if data, err := os.ReadFile("../../../shared/validation/paths.json"); err == nil {
		var doc struct {
			Cases []struct {
				Expression string `json:"expression"`
			} `json:"cases"`
		}
		if json.Unmarshal(data, &doc) == nil {
			for _, c := range doc.Cases {
				f.Add(c.Expression)
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", s, err)
			}
			if se.Offset < 0 || se.Offset > len(s) || se.Message == "" {
				t.Fatalf("Parse(%q) bad error %+v", s, se)
			}
		} else {
			if p.Source != s {
				t.Fatalf("Parse(%q).Source = %q", s, p.Source)
			}
			if p.Root != RootInput && p.Root != RootContext && p.Root != RootVariable {
				t.Fatalf("Parse(%q).Root = %v", s, p.Root)
			}
			if (p.Root == RootVariable) != (p.Variable != "") {
				t.Fatalf("Parse(%q) root %v variable %q", s, p.Root, p.Variable)
			}
			canon := p.String()
			q, qerr := Parse(canon)
			if qerr != nil {
				t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, canon, qerr)
			}
			if q.String() != canon || q.Root != p.Root || q.Variable != p.Variable || len(q.Segments) != len(p.Segments) {
				t.Fatalf("round trip of %q: %q then %q", s, canon, q.String())
			}
			for i := range p.Segments {
				a, b := p.Segments[i], q.Segments[i]
				if a.Kind != b.Kind || a.Name != b.Name || a.Index != b.Index || a.Expr != b.Expr {
					t.Fatalf("round trip of %q via %q: segment %d %+v != %+v", s, canon, i, a, b)
				}
			}
			for _, seg := range p.Segments {
				if seg.Offset < 0 || seg.Offset >= len(s) {
					t.Fatalf("Parse(%q) segment offset %d out of range", s, seg.Offset)
				}
				if (seg.Kind == Filter || seg.Kind == Script) && seg.Cond == nil {
					t.Fatalf("Parse(%q) %v without Cond", s, seg.Kind)
				}
				if seg.Kind == RecursiveDescent && seg.Child == nil {
					t.Fatalf("Parse(%q) recursive descent without Child", s)
				}
			}
		}
		for _, ctx := range []Context{ContextReferencePath, ContextResultPath} {
			rp, rerr := ParseIn(s, ctx)
			if rerr == nil {
				if err != nil {
					t.Fatalf("ParseIn(%q, %v) accepted what Parse rejected", s, ctx)
				}
				if !rp.IsReference() {
					t.Fatalf("ParseIn(%q, %v) succeeded but !IsReference()", s, ctx)
				}
				if ctx == ContextResultPath && rp.Root != RootInput {
					t.Fatalf("ParseIn(%q, result) root %v", s, rp.Root)
				}
			} else if err == nil && ctx == ContextReferencePath && p.IsReference() {
				t.Fatalf("ParseIn(%q, reference) rejected a reference path: %v", s, rerr)
			}
		}
		if pp, n, perr := ParsePrefix(s); perr == nil {
			if n < 0 || n > len(s) || pp.Source != s[:n] {
				t.Fatalf("ParsePrefix(%q) = %d, source %q", s, n, pp.Source)
			}
			if err == nil && strings.TrimRight(s[n:], " \t\r\n") != "" { // Parse ignores trailing white space only
				t.Fatalf("ParsePrefix(%q) consumed %d of %d though Parse succeeded", s, n, len(s))
			}
		}
	})
}
