package load

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// aliasBomb is the billion-laughs document: levels of nine aliases of the previous level.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestYAMLLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		pos  Pos
		msg  string
	}{
		{"alias bomb", aliasBomb(9), Pos{6, 35}, "YAML aliases expand to more than 500000 nodes"},
		{"deep flow nesting", strings.Repeat("[", 100_000), Pos{1, MaxYAMLDepth + 1}, "nested more than 1000 levels"},
		{"deep flow mapping", "a: " + strings.Repeat("{b: ", 5000), Pos{1, 4 + 4*MaxYAMLDepth}, "nested more than 1000 levels"},
		{"deep compact sequence", strings.Repeat("- ", 100_000) + "x\n", Pos{1, 2*MaxYAMLDepth + 3}, "nested more than 1000 levels"},
		{"deep block nesting", blockNest(2000), Pos{MaxYAMLDepth + 2, MaxYAMLDepth + 2}, "nested more than 1000 levels"},
		{"too many keys in a block mapping", keys(1, MaxYAMLMappingKeys+1), Pos{2, 3}, "more than 5000 keys"},
		{"too many keys in block mappings together", keys(3, MaxYAMLMappingKeys), Pos{1 + 2*(MaxYAMLMappingKeys+1) + 1, 3}, "too many keys together"},
		{"alias cycle", "a: &a [1, *a]\n", Pos{1, 11}, "YAML alias *a is inside its own anchor (a cycle)"},
		{"alias cycle through another anchor", "a: &a\n  - &b [*a]\n", Pos{2, 9}, "YAML alias *a is inside its own anchor"},
		{"too many tokens", "[" + strings.Repeat("1,", MaxYAMLTokens) + "]", Pos{1, MaxYAMLTokens + 2}, "more than 100000 tokens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseYAML([]byte(tc.src))
			var le *Error
			if !errors.As(err, &le) || le.Rule != "yaml-syntax" || !strings.Contains(le.Message, tc.msg) || le.Pos != tc.pos {
				t.Fatalf("got %#v, want yaml-syntax at %s: %s", err, tc.pos, tc.msg)
			}
		})
	}
}

// blockNest is a block mapping nested depth levels deep, one space of indentation per level.
func blockNest(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// keys is n block mappings of k keys each.
func keys(n, k int) string {
	var b strings.Builder
	for m := range n {
		fmt.Fprintf(&b, "m%d:\n", m)
		for i := range k {
			fmt.Fprintf(&b, "  k%d: 1\n", i)
		}
	}
	return b.String()
}

// TestYAMLWithinLimits: documents just inside every limit, and the constructs the pre-scan must
// not miscount (brackets in quotes, comments, plain scalars and block scalars), still parse.
func TestYAMLWithinLimits(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"aliases within budget", aliasBomb(4)},
		{"flow nesting at the limit", strings.Repeat("[", MaxYAMLDepth) + strings.Repeat("]", MaxYAMLDepth)},
		{"mapping at the key limit", keys(1, MaxYAMLMappingKeys-1)},
		{"brackets in quotes, comments and plain scalars", strings.Repeat("- \"[[[{{\" # [[[[\n- '[[[['\n- x[[[\n- \"\\\"[[[\"\n- a: b[[[ # {{{\n", 400)},
		{"brackets in block scalars", "a: |\n" + strings.Repeat("  [[[[[[[[[[\n", 500) + "b: >\n" + strings.Repeat("  {{{{{{\n", 500) + "c: 1\n"},
		{"many small mappings", strings.Repeat("- {a: 1, b: 2}\n- a: 1\n  b: 2\n", 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseYAML([]byte(tc.src)); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

// TestYAMLAliasesShareNothing: an alias is a copy of the anchored value, at the alias position.
func TestYAMLAliasesStillExpand(t *testing.T) {
	n, err := ParseYAML([]byte("base: &b {x: 1, y: [1, 2]}\nuse: *b\nmerged:\n  <<: *b\n  z: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if use := n.Get("use"); use.Pos != (Pos{2, 6}) || use.Get("y").Items[1].Text != "2" {
		t.Errorf("use: %+v", use)
	}
	if m := n.Get("merged"); len(m.Fields) != 3 || m.Get("x").Text != "1" {
		t.Errorf("merged: %+v", m)
	}
}

// FuzzYAMLAliases: documents with anchors, aliases and merge keys never make more nodes than the
// source's own plus the alias budget, and errors have positions.
func FuzzYAMLAliases(f *testing.F) {
	for _, s := range []string{aliasBomb(3), aliasBomb(9), "a: &a [*a]\n", "a: &x {b: 1}\nc:\n  <<: *x\n  d: *x\n",
		"- &a [&b [x, *b], *a]\n- *a\n", "x: &y !Ref z\nw: *y\n", "a: &a\n  - *a\n  - &b [*a, *a]\nb: [*b, *b, *b]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseYAML(data)
		if err != nil {
			le, ok := err.(*Error)
			if !ok || le.Pos.Line < 1 || le.Pos.Col < 1 {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		if c := countNodes(n); c > 2*len(data)+MaxYAMLAliasNodes+2 {
			t.Fatalf("%d nodes from %d bytes", c, len(data))
		}
	})
}

func countNodes(n *Node) int {
	if n == nil {
		return 0
	}
	c := 1
	for _, f := range n.Fields {
		c += countNodes(f.Value)
	}
	for _, it := range n.Items {
		c += countNodes(it)
	}
	return c
}

// TestYAMLPrescanVariants: the ways of writing a nesting or a key that the pre-scan must all count
// (after tabs, properties, quotes, explicit keys, documents markers, inside flow collections).
func TestYAMLPrescanVariants(t *testing.T) {
	for _, p := range []string{"", "a:\t", "a: ", "- ", "-\t", "? ", "--- ", "a: !!seq ", "a: &x ", "a: !t ", "\"k\": ", "'k': ",
		"a: [b, ", "[\"x\", ", "{a: ", "a: b\nc: ", "- - a: ", "a:\n  - ", "a: |\n  x\nb: ", "'it''s': ", "a: \"x\\\"\" \nb: ",
		"a: # c\n  ", "%YAML 1.2\n--- ", "? a\n: ", "[a,\n", "a: [\n  "} {
		for _, open := range []string{"[", "{", "{a: ", "[a, "} {
			src := p + strings.Repeat(open, 3*MaxYAMLDepth)
			if _, err := ParseYAML([]byte(src)); err == nil || !strings.Contains(err.Error(), "nested more than") {
				t.Errorf("%q + %q: %v", p, open, err)
			}
		}
	}
	for _, key := range []string{"k%d: 1\n", "&a%d k: 1\n", "!!str k%d: 1\n", "\"k%d\" : 1\n", "? k%d\n: 1\n", "k%d:\t1\n", "'k%d':\n", "k%d :\n"} {
		var b strings.Builder
		for i := range MaxYAMLMappingKeys + 1 {
			fmt.Fprintf(&b, key, i)
		}
		if _, err := ParseYAML([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "more than 5000 keys") {
			t.Errorf("%q: %v", key, err)
		}
	}
	var b strings.Builder
	for i := range MaxYAMLMappingKeys {
		fmt.Fprintf(&b, "? k%d\n: 1\n", i)
	}
	if _, err := ParseYAML([]byte(b.String())); err != nil {
		t.Errorf("explicit keys at the limit: %v", err)
	}
}
