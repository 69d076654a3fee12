package jsonata

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// evalAt evaluates src with $now fixed, so that $toMillis defaults and $now are reproducible.
func evalAt(t *testing.T, src string, now time.Time) string {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	v, err := e.Eval(&Env{Now: now})
	if err != nil {
		if ee, ok := err.(*EvalError); ok {
			return "error " + ee.Code
		}
		return "error " + err.Error()
	}
	if v == Undefined {
		return "undefined"
	}
	j, _ := ToJSON(v)
	return shortJSON(j)
}

func TestPictureFunctions(t *testing.T) {
	now := time.Date(2024, 2, 29, 15, 4, 5, 678e6, time.UTC)
	for _, c := range []struct{ src, want string }{
		// $formatNumber
		{`$formatNumber(1234.5, "#,##0.00")`, `"1,234.50"`},
		{`$formatNumber(-1234.5, "#,##0.00;(#,##0.00)")`, `"(1,234.50)"`},
		{`$formatNumber(0.125, "0.00")`, `"0.12"`}, // half to even, as jsonata-js
		{`$formatNumber(0.135, "0.00")`, `"0.14"`},
		{`$formatNumber(1e21, "#")`, `"1e+21"`},    // toFixed writes 1e21 and above as toString
		{`$formatNumber(0, "0e0")`, `error U1001`}, // jsonata-js scales zero for ever
		{`$formatNumber(1, "0.` + strings.Repeat("0", 101) + `")`, `error RangeError`},
		{`$formatNumber(1234.5, "#.##0,00", {"decimal-separator": ",", "grouping-separator": "."})`, `"1.234,50"`},
		{`$formatNumber(5, "#", 5)`, `error T0410`},
		{`$formatNumber(5, "0,0;0;0")`, `error D3080`},
		{`$formatNumber(5, "0..0")`, `error D3081`},
		{`$formatNumber(5, "%0%")`, `error D3082`},
		{`$formatNumber(5, "‰0‰")`, `error D3083`},
		{`$formatNumber(5, "%0‰")`, `error D3084`},
		{`$formatNumber(5, "0e")`, `error D3093`},
		{`$formatNumber(5, "e0")`, `"e5"`},
		{`$formatNumber(5, "0a0")`, `error D3086`},
		{`$formatNumber(5, "0,.0")`, `error D3087`},
		{`$formatNumber(5, "0,")`, `error D3088`},
		{`$formatNumber(5, "0,,0")`, `error D3089`},
		{`$formatNumber(5, "0#")`, `error D3090`},
		{`$formatNumber(5, "0.#0")`, `error D3091`},
		{`$formatNumber(5, "0e0%")`, `error D3092`},
		{`$formatNumber(5, "abc")`, `error D3085`},
		// $formatBase
		{`$formatBase(255, 16)`, `"ff"`},
		{`$formatBase(-255, 2)`, `"-11111111"`},
		{`$formatBase(2.5)`, `"2"`},
		{`$formatBase(9007199254740993, 36)`, `"2gosa7pa2gw"`},
		{`$formatBase(1, 37)`, `error D3100`},
		// $formatInteger and $parseInteger
		{`$formatInteger(1234567, "#,##0")`, `"1,234,567"`},
		{`$formatInteger(2023, "I")`, `"MMXXIII"`},
		{`$formatInteger(702, "A")`, `"ZZ"`},
		{`$formatInteger(21, "w;o")`, `"twenty-first"`},
		{`$formatInteger(-12, "Ww")`, `"-Twelve"`},
		{`$formatInteger(3, "0;o")`, `"3rd"`},
		{`$formatInteger(13, "0;o")`, `"13th"`},
		{`$formatInteger(5, "α")`, `error D3130`},
		{`$formatInteger(5, "0٠")`, `error D3131`},
		{`$formatInteger(1e20, "I")`, `error U1001`}, // jsonata-js's stack overflows
		{`$formatInteger(8500000, "I") ~> $length()`, `8500`},
		{`$parseInteger("١x٢", "٠x٠")`, `error RangeError`}, // String.fromCodePoint of a negative code
		{`$formatInteger(0/0, "w")`, `error D1001`},
		{`$parseInteger("1,234,567", "#,##0")`, `1234567`},
		{`$parseInteger("MMXXIII", "I")`, `2023`},
		{`$parseInteger("zz", "a")`, `702`},
		{`$parseInteger("twenty-first", "w;o")`, `21`},
		{`$parseInteger("one million, two hundred thousand and six", "w")`, `1200006`},
		{`$parseInteger("3rd", "0;o")`, `3`},
		{`$parseInteger("١٢٣", "٠")`, `123`},
		{`$parseInteger("abc", "0")`, `null`},
		{`$parseInteger("5", "α")`, `error D3130`},
		// $fromMillis and $now
		{`$fromMillis(0)`, `"1970-01-01T00:00:00.000Z"`},
		{`$fromMillis(-1)`, `"1969-12-31T23:59:59.999Z"`},
		{`$fromMillis(1709219045678, "[FNn], [D1o] [MNn] [Y] [h]:[m01] [PN]")`, `"Thursday, 29th February 2024 3:04 PM"`},
		{`$fromMillis(1709219045678, "[Y0001]-[M01]-[D01] [H01]:[m01] [Z]", "+0530")`, `"2024-02-29 20:34 +05:30"`},
		{`$fromMillis(1709219045678, "[H01]:[m01] [z]", "-0500")`, `"10:04 GMT-05:00"`},
		{`$fromMillis(1709219045678, "[YI] [MNn,*-3] [Dw]")`, `"MMXXIV Feb twenty-nine"`},
		{`$fromMillis(1709219045678, "[Y,2] [d] [W] [w] [X] [x] [F] [E] [C]")`, `"24 60 9 5 2024 2 thursday ISO ISO"`},
		{`$fromMillis(1709219045678, "[[[Y]]]")`, `"[2024]"`},
		{`$fromMillis(1e16)`, `"0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ"`},
		{`$fromMillis(0, "[Y")`, `error D3135`},
		{`$fromMillis(0, "[q]")`, `error D3132`},
		{`$fromMillis(0, "[YN]")`, `error D3133`},
		{`$fromMillis(0, "[Z00001]")`, `error D3134`},
		{`$fromMillis(0, "[Y,1000000000]")`, `error S0501`},
		{`$now()`, `"2024-02-29T15:04:05.678Z"`},
		{`$now("[H]:[m]", "+0100")`, `"16:04"`},
		{`$millis()`, `1709219045678`},
		// $toMillis
		{`$toMillis("2024-02-29T15:04:05.678Z")`, `1709219045678`},
		{`$toMillis("2024-02-29T15:04:05+01:00")`, `1709215445000`},
		{`$toMillis("2024-02-29T15:04:05.1+0100")`, `1709215445100`},
		{`$toMillis("2024-13")`, `null`},
		{`$toMillis("29/02/2024")`, `error D3110`},
		{`$toMillis("13:45", "[H]:[m]")`, `1709214300000`}, // today's date from $now
		{`$toMillis("12:30 pm", "[h]:[m] [P]") ~> $fromMillis()`, `"2024-02-29T12:30:00.000Z"`},
		{`$toMillis("February", "[MNn]") ~> $fromMillis()`, `"2024-02-01T00:00:00.000Z"`},
		{`$toMillis("2024-060", "[Y]-[d]") ~> $fromMillis()`, `"2024-02-29T00:00:00.000Z"`},
		{`$toMillis("nope", "[Y]")`, `undefined`},
		{`$toMillis("2024", "[Y]-[D]")`, `undefined`},
		{`$toMillis("2024-05", "[Y]-[D]")`, `error D3136`},
		{`$toMillis("2024", "[YN]")`, `error D3133`},
		{`$toMillis("2024", "[Y,*-2000]")`, `undefined`},
	} {
		if got := evalAt(t, c.src, now); got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
	}
}

// TestPictureBounds holds every picture function to the string limit, with generated pictures
// of hostile sizes.
func TestPictureBounds(t *testing.T) {
	lim := &Limits{MaxString: 1 << 16}
	for _, src := range []string{
		`$formatNumber(1, $pad("", 100000, "0"))`,
		`$formatNumber(123456789, $pad("", 70000, "#") & "0")`,
		`$formatInteger(1, $pad("", 100000, "0"))`,
		`$fromMillis(0, "[Y,100000]")`,
		`$fromMillis(0, "[D" & $pad("", 100000, "0") & "]")`,
		`$fromMillis(0, $join($map([1..5000], function($i) { "[Y0001]" })))`,
	} {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.Eval(&Env{Limits: lim})
		if err == nil {
			if s, ok := v.(string); !ok || len(s) > lim.MaxString {
				t.Errorf("%s: %d bytes, beyond the limit %d", src, len(s), lim.MaxString)
			}
			continue
		}
		if ee, ok := err.(*EvalError); !ok || ee.Code != codeTooLarge {
			t.Errorf("%s: %v, want %s", src, err, codeTooLarge)
		}
	}
}

// FuzzPictures runs the picture functions on any picture: no panic, a jsonata-js error code or a
// result within the string limit.
func FuzzPictures(f *testing.F) {
	for _, s := range []string{"#,##0.00", "0.0e0", "##0٠", "w;o", "I", "A", "[Y0001]-[M01]-[D01]",
		"[FNn], [D1o] [MNn,*-3]", "[h]:[m01] [P]", "[Z01:01t]", "[z]", "[Y,2-4]", "###pm", ";", "[", "]]"} {
		f.Add(s, 1234.5, "2024-02-29")
	}
	lim := &Limits{MaxString: 1 << 16, Timeout: 2 * time.Second}
	env := &Env{Limits: lim, Now: time.Unix(1709219045, 0), Var: nil}
	exprs := []*Expr{}
	for _, src := range []string{
		`$formatNumber($n, $p)`, `$formatInteger($n, $p)`, `$parseInteger($s, $p)`,
		`$fromMillis($n, $p)`, `$fromMillis($n, $p, $s)`, `$toMillis($s, $p)`, `$toMillis($s)`,
		`$formatNumber($n, $p, {"zero-digit": $s, "grouping-separator": $s})`,
	} {
		e, err := Parse(src)
		if err != nil {
			f.Fatal(err)
		}
		exprs = append(exprs, e)
	}
	f.Fuzz(func(t *testing.T, pic string, n float64, s string) {
		if !utf8.ValidString(pic) || !utf8.ValidString(s) {
			return
		}
		vars := map[string]any{"p": pic, "n": n, "s": s}
		env.Var = func(name string) (any, bool) { v, ok := vars[name]; return v, ok }
		for _, e := range exprs {
			v, err := e.Eval(env)
			if err != nil {
				if ee, ok := err.(*EvalError); !ok || ee.Code == "S0500" {
					t.Fatalf("%s with %q, %v, %q: %v", e.Source, pic, n, s, err)
				}
				continue
			}
			if str, ok := v.(string); ok && len(str) > 4*lim.MaxString {
				t.Fatalf("%s with %q: %d bytes", e.Source, pic, len(str))
			}
		}
	})
}

// TestToMillisPatternBound refuses a picture whose pattern would be too large to compile quickly.
func TestToMillisPatternBound(t *testing.T) {
	e, err := Parse(`$toMillis("x", $join($map([1..3000], function($i) { "[Yw]" })))`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(nil); err == nil || err.(*EvalError).Code != codeTooLarge {
		t.Fatalf("got %v, want %s", err, codeTooLarge)
	}
}

// TestJSToFixed checks toFixed against values printed by node 20 ((x).toFixed(dp)).
func TestJSToFixed(t *testing.T) {
	for _, c := range []struct {
		x    float64
		dp   int
		want string
	}{
		{0.5, 0, "1"}, {2.5, 0, "3"}, {1.005, 2, "1.00"}, {0.125, 2, "0.13"}, {1.45, 1, "1.4"},
		{9.5, 0, "10"}, {99.5, 0, "100"}, {0.0000005, 6, "0.000000"},
		{5e-324, 100, "0." + strings.Repeat("0", 100)}, {123456789.125, 2, "123456789.13"},
		{1e20 + 0.5, 0, "100000000000000000000"}, {0.3, 20, "0.29999999999999998890"}, {1e21, 2, "1e+21"},
	} {
		if got, err := jsToFixed(c.x, c.dp); err != nil || got != c.want {
			t.Errorf("(%v).toFixed(%d) = %q, %v; want %q", c.x, c.dp, got, err, c.want)
		}
	}
}
