package value

import "testing"

func TestQuotings(t *testing.T) {
	in := "a\"\\\n\r\t\b\f\x01<&>\u2028\u0085\u202e\xffé"
	for _, tc := range []struct {
		name string
		q    *Quoting
		want string
	}{
		{"jackson", JacksonQuoting, `"a\"\\\n\r\t\u0008\u000c\u0001<&>\u2028` + "\u0085\u202e" + `\ufffdé"`},
		{"javascript", JavaScriptQuoting, `"a\"\\\n\r\t\b\f\u0001<&>` + "\u2028\u0085\u202e\ufffdé\""},
		{"history", HistoryQuoting, `"a\"\\\n\r\t\b\f\u0001\u003c\u0026\u003e\u2028\u0085\u202e\ufffdé"`},
		{"history payload", HistoryPayloadQuoting, `"a\"\\\n\r\t\u0008\u000c\u0001\u003c\u0026\u003e\u2028\u0085\u202e\ufffdé"`},
	} {
		if got := string(AppendQuoted(nil, in, tc.q)); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
	}
	if got := string(AppendString([]byte("x"), "plain")); got != `x"plain"` {
		t.Errorf("AppendString = %s", got)
	}
}

func BenchmarkAppendString(b *testing.B) {
	s := "an ordinary payload string with \"quotes\" and a newline\n, mostly plain ASCII text"
	buf := make([]byte, 0, 256)
	for range b.N {
		buf = AppendString(buf[:0], s)
	}
}
