package safetext

import (
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Process order", "Process order"},
		{`back\slash "quoted" 100%`, `back\slash "quoted" 100%`},
		{"日本語 état ✓ 😀", "日本語 état ✓ 😀"},
		{"tab\there", `tab\there`},
		{"a\nb.json:1:1: error: forged", `a\nb.json:1:1: error: forged`},
		{"x\r\n::warning file=a::forged", `x\r\n::warning file=a::forged`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"nul\x00 bs\x08 del\x7f", `nul\x00 bs\x08 del\x7f`},
		{"c1 \u009b31m \u0085", `c1 \u009b31m \u0085`},
		{"\u202eevil\u202c \u2066iso\u2069", `\u202eevil\u202c \u2066iso\u2069`},
		{"\u202a\u202b\u202d\u2067\u2068", `\u202a\u202b\u202d\u2067\u2068`},
		{"line\u2028sep\u2029", `line\u2028sep\u2029`},
		{"bad \xff\xfe utf8 \xe2\x80", `bad \xff\xfe utf8 \xe2\x80`},
		{"\u200b zero width and \u00a0 nbsp kept", "\u200b zero width and \u00a0 nbsp kept"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNext(t *testing.T) {
	for _, tc := range []struct {
		in   string
		text string
		size int
	}{
		{"a", "a", 1},
		{"é!", "é", 2},
		{"\x1bx", `\x1b`, 1},
		{"\u202ex", `\u202e`, 3},
		{"\xffx", `\xff`, 1},
	} {
		text, size := Next(tc.in)
		if text != tc.text || size != tc.size {
			t.Errorf("Next(%q) = %q, %d; want %q, %d", tc.in, text, size, tc.text, tc.size)
		}
	}
}

func TestEscapeDoesNotAllocateForPlainText(t *testing.T) {
	s := "Process the order 日本語"
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("Escape allocates %v times for plain text", n)
	}
}

// FuzzEscape checks that the output never holds a character that needs escaping, is valid
// UTF-8, is the input when nothing needs escaping, and that escaping is idempotent.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[31mred\x1b[0m", "a\nb", "\u202e", "\xff", "\u009b", "\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if i := firstUnsafe(e); i >= 0 {
			t.Fatalf("Escape(%q) = %q keeps an unsafe character at %d", s, e, i)
		}
		if !utf8.ValidString(e) {
			t.Fatalf("Escape(%q) = %q is not valid UTF-8", s, e)
		}
		if (firstUnsafe(s) < 0) != (e == s) {
			t.Fatalf("Escape(%q) = %q changed safe text or kept unsafe text", s, e)
		}
		if Escape(e) != e {
			t.Fatalf("Escape is not idempotent on %q", s)
		}
	})
}

func TestJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a": "plain é"}`, `{"a": "plain é"}`},
		{"{\"a\": \"\u202eevil\u009b \u2066\"}", `{"a": "\u202eevil\u009b \u2066"}`},
	} {
		if got := string(JSON([]byte(tc.in))); got != tc.want {
			t.Errorf("JSON(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
