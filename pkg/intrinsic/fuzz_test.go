package intrinsic

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"States.UUID()",
	`States.Format('it\'s {} \{\} \\', $.a[0], -1.5, 42, true, false, null, $$.Execution.Id, $var.x, States.UUID())`,
	`States.ArrayGetItem($['a,b)'][?(@.k == 'x)')].v , 0)`,
	"States.ArrayRange(0, 1000, 1)", "States.Hash($.a, 'SHA-256')", "States.MathAdd('-1', 'abc')",
	`States.Format('a\"b')`, "States.Array(1,)", "States.JsonMerge($.a, $.b, false)",
	"States.MathRandom(1, 100, 42)", "States.ArrayPartition($.a, 0)",
	"States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array($.a)))))))))))",
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
		c, err := Parse(s)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", s, err)
			}
			if se.Offset < 0 || se.Offset > len(s) || se.Message == "" {
				t.Fatalf("Parse(%q) bad error %+v", s, se)
			}
		} else {
			if !IsCall(s) {
				t.Fatalf("Parse(%q) succeeded but IsCall is false", s)
			}
			checkCall(t, s, c)
			for _, p := range Check(c) {
				if p.Offset < 0 || p.Offset >= len(s) || p.Message == "" {
					t.Fatalf("Check(%q) bad problem %+v", s, p)
				}
			}
		}
		pth, call, perr := ParsePayloadValue(s)
		if perr == nil && (pth == nil) == (call == nil) {
			t.Fatalf("ParsePayloadValue(%q) = %v, %v: want exactly one", s, pth, call)
		}
		if perr != nil && (pth != nil || call != nil) {
			t.Fatalf("ParsePayloadValue(%q) returned a value with error %v", s, perr)
		}
	})
}

// checkCall verifies structural invariants of a parsed call tree.
func checkCall(t *testing.T, s string, c *Call) {
	t.Helper()
	if !strings.HasPrefix(c.Name, "States.") || !strings.HasPrefix(s[c.Offset:], c.Name) {
		t.Fatalf("Parse(%q): call %q at offset %d", s, c.Name, c.Offset)
	}
	for _, a := range c.Args {
		if a.Offset <= c.Offset || a.Offset >= len(s) {
			t.Fatalf("Parse(%q): arg offset %d out of range", s, a.Offset)
		}
		switch a.Kind {
		case ArgPath:
			if a.Path == nil || !strings.HasPrefix(s[a.Offset:], a.Path.Source) {
				t.Fatalf("Parse(%q): bad path arg %+v", s, a)
			}
		case ArgCall:
			if a.Call == nil || a.Call.Offset != a.Offset {
				t.Fatalf("Parse(%q): bad call arg %+v", s, a)
			}
			checkCall(t, s, a.Call)
		case ArgNumber:
			if !strings.HasPrefix(s[a.Offset:], a.Number) || a.Number == "" {
				t.Fatalf("Parse(%q): bad number arg %+v", s, a)
			}
		case ArgString:
			if s[a.Offset] != '\'' || !strings.HasPrefix(s[a.Offset+1:], a.Raw) {
				t.Fatalf("Parse(%q): bad string arg %+v", s, a)
			}
		}
	}
}
