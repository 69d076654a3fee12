package load

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/value"
)

func TestParseJSONPositions(t *testing.T) {
	src := "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\", \"Big\": 12345678901234567890123, \"Dec\": 0.1000}}\n}"
	n, err := ParseJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := n.Field("StartAt")
	if f.KeyPos != (Pos{2, 3}) || f.Value.Pos != (Pos{2, 14}) || f.Value.Text != "A" {
		t.Errorf("StartAt: key %v value %v %q", f.KeyPos, f.Value.Pos, f.Value.Text)
	}
	a := n.Get("States").Get("A")
	if a.Pos != (Pos{3, 19}) {
		t.Errorf("state A at %v", a.Pos)
	}
	if big := a.Get("Big"); big.Kind != Number || big.Text != "12345678901234567890123" {
		t.Errorf("big integer not exact: %+v", big)
	}
	if dec := a.Get("Dec"); dec.Text != "0.1000" {
		t.Errorf("decimal not exact: %q", dec.Text)
	}
}

func TestParseJSONColumnsCountCharacters(t *testing.T) {
	n, err := ParseJSON([]byte(`{"名前": "値", "k": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := n.Field("k").KeyPos; p != (Pos{1, 13}) {
		t.Errorf("k at %v, want 1:13", p)
	}
}

func TestParseJSONErrors(t *testing.T) {
	cases := []struct {
		src, want string
		pos       Pos
	}{
		{`{"a": 1,}`, "trailing comma before '}'", Pos{1, 9}},
		{`[1, 2,]`, "trailing comma before ']'", Pos{1, 7}},
		{"{\n // c\n}", "comments are not allowed", Pos{2, 2}},
		{`{"Next": }`, "expected a value but found character '}'", Pos{1, 10}},
		{`{'a': 1}`, "single quote", Pos{1, 2}},
		{`{"a": 01}`, "leading zeros", Pos{1, 7}},
		{`{"a": NaN}`, "expected a value", Pos{1, 7}},
		{`{"a": tru}`, "invalid literal", Pos{1, 7}},
		{`{"a": "x\q"}`, `invalid escape "\\q"`, Pos{1, 9}},
		{"{\"a\": \"x\ny\"}", "unterminated string", Pos{1, 7}},
		{`{"a": 1} x`, "after the end of the JSON document", Pos{1, 10}},
		{`{"a": 1`, "not closed", Pos{1, 8}},
		{``, "the file is empty", Pos{1, 1}},
		{`{"a": 1 "b": 2}`, "expected ',' or '}'", Pos{1, 9}},
		{"{\"a\": 1,\n \"a\": 2}", `duplicate key "a": already defined at 1:2`, Pos{2, 2}},
	}
	for _, c := range cases {
		_, err := ParseJSON([]byte(c.src))
		le, ok := err.(*Error)
		if !ok {
			t.Errorf("%q: want *Error, got %v", c.src, err)
			continue
		}
		if !strings.Contains(le.Message, c.want) || le.Pos != c.pos {
			t.Errorf("%q: got %v %q, want %v containing %q", c.src, le.Pos, le.Message, c.pos, c.want)
		}
	}
}

func TestParseJSONBOMAndEscapes(t *testing.T) {
	n, err := ParseJSON([]byte("\xEF\xBB\xBF{\"a\": \"\\u00e9\\ud83d\\ude00\\n\"}"))
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Get("a").Text; got != "é😀\n" {
		t.Errorf("got %q", got)
	}
	if n.Pos != (Pos{1, 2}) { // the BOM counts as a character before the brace
		t.Logf("root at %v", n.Pos)
	}
}

func TestParseYAML12(t *testing.T) {
	src := "StartAt: No\nStates:\n  No:\n    Type: Pass\n    Result: {a: on, b: yes, c: 1e3, d: 0x1F, e: 12345678901234567890}\n    End: true\n"
	n, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s := n.Get("StartAt"); s.Kind != String || s.Text != "No" || s.Pos != (Pos{1, 10}) {
		t.Errorf("StartAt: %+v", s)
	}
	r := n.Get("States").Get("No").Get("Result")
	if r.Get("a").Kind != String || r.Get("b").Text != "yes" {
		t.Errorf("on/yes must stay strings: %+v %+v", r.Get("a"), r.Get("b"))
	}
	if r.Get("d").Text != "31" || r.Get("e").Text != "12345678901234567890" || r.Get("c").Kind != Number || r.Get("c").Text != "1e3" {
		t.Errorf("numbers: d=%q e=%q c=%v", r.Get("d").Text, r.Get("e").Text, r.Get("c").Kind)
	}
	if e := n.Get("States").Get("No").Get("End"); e.Kind != Bool || !e.Bool {
		t.Errorf("End: %+v", e)
	}
}

func TestParseYAMLDuplicateAndTags(t *testing.T) {
	_, err := ParseYAML([]byte("a: 1\nb: 2\na: 3\n"))
	if le, ok := err.(*Error); !ok || le.Rule != "duplicate-key" || le.Pos != (Pos{3, 1}) || !strings.Contains(le.Message, "1:1") {
		t.Errorf("duplicate: %v", err)
	}
	n, err := ParseYAML([]byte("Resource: !GetAtt Fn.Arn\nSub: !Sub 'arn:${AWS::Partition}'\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n.Get("Resource").Tag != "!GetAtt" || n.Get("Sub").Text != "arn:${AWS::Partition}" {
		t.Errorf("tags: %+v %+v", n.Get("Resource"), n.Get("Sub"))
	}
}

func TestSniffAndFormatFor(t *testing.T) {
	if FormatFor("x.json", []byte("a: 1")) != JSON || FormatFor("x.yml", []byte("{}")) != YAML {
		t.Error("extension must win")
	}
	if FormatFor("-", []byte(" \n{\"a\":1}")) != JSON || FormatFor("-", []byte("a: 1")) != YAML {
		t.Error("sniffing")
	}
}

// FuzzParseJSON checks the strict parser against encoding/json: it never panics, accepts exactly the
// documents encoding/json accepts (except duplicate keys, which it rejects) and decodes the same values.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,2,{"b":[true,false,null]}]`, `"\u00e9"`, `{"a":1,}`, `{"a":"\ud800"}`, `-0.5e+10`, `{"a":{"a":{}}}`, "{\"x\":\"\\t\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseJSON(data)
		if len(data) >= 3 && string(data[:3]) == "\xEF\xBB\xBF" {
			return
		}
		// RFC 8259 requires UTF-8; encoding/json replaces invalid bytes, sfn rejects them.
		valid := json.Valid(data) && utf8.Valid(data)
		if err != nil {
			le, ok := err.(*Error)
			if !ok || le.Pos.Line < 1 || le.Pos.Col < 1 {
				t.Fatalf("bad error %#v", err)
			}
			if valid && le.Rule != "duplicate-key" && !strings.Contains(le.Message, "nested more than") {
				t.Fatalf("rejected valid JSON %q: %v", data, err)
			}
			return
		}
		if !valid {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		want, err := value.Decode(dec) // objects in document order
		if err != nil {
			t.Fatal(err)
		}
		if !sameValue(n.Interface(), want) {
			t.Fatalf("value mismatch for %q", data)
		}
	})
}

func sameValue(got, want any) bool {
	switch w := want.(type) {
	case json.Number:
		g, ok := got.(json.Number)
		return ok && g == w
	case *value.Object: // the same members in the same order
		g, ok := got.(*value.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for i, m := range w.Members() {
			if gm := g.Members()[i]; gm.Key != m.Key || !sameValue(gm.Value, m.Value) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !sameValue(g[i], w[i]) {
				return false
			}
		}
		return true
	case string:
		g, ok := got.(string)
		return ok && (g == w || strings.ContainsRune(w, '\uFFFD'))
	default:
		return got == want
	}
}

// FuzzParseYAML checks the YAML loader never panics and always reports errors with a position.
func FuzzParseYAML(f *testing.F) {
	for _, s := range []string{"a: 1\n", "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n", "- !Ref x\n", "a: &x {b: 1}\nc: *x\n", "<<: {a: 1}\n", "a: |\n  text\n", "? [a]\n: b\n"} {
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
		_ = n.Interface()
	})
}
