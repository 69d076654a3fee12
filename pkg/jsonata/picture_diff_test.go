package jsonata

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPictureDifferential compares the picture functions with jsonata-js 2.0.6 under node on
// generated pictures and values. It runs when SFN_JSONATA_NODE_PATH names a node_modules directory
// holding jsonata@2.0.6 (npm install jsonata@2.0.6). Calls that sfn ends with U1001 (where
// jsonata-js loops for ever) are left out; a JavaScript TypeError, RangeError or stack overflow
// counts as the error sfn gives in its place.
func TestPictureDifferential(t *testing.T) {
	nodePath := os.Getenv("SFN_JSONATA_NODE_PATH")
	if nodePath == "" {
		t.Skip("SFN_JSONATA_NODE_PATH not set: no comparison with jsonata-js")
	}
	exprs := differentialExprs(rand.New(rand.NewPCG(1, 2)))
	var kept []string
	for _, src := range exprs {
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if _, err := e.Eval(nil); err != nil && err.(*EvalError).Code == codeLimit {
			continue
		}
		kept = append(kept, src)
	}
	want := runJSONataJS(t, nodePath, kept)
	differ := 0
	for i, src := range kept {
		e, _ := Parse(src)
		v, err := e.Eval(nil)
		if got := differentialResult(v, err); !sameResult(got, want[i]) {
			differ++
			if differ <= 40 {
				t.Errorf("%s\n  sfn        %s\n  jsonata-js %s", src, got, want[i])
			}
		}
	}
	t.Logf("%d of %d calls differ from jsonata-js", differ, len(kept))
}

// differentialExprs generates calls of every picture function.
func differentialExprs(r *rand.Rand) []string {
	pick := func(a []string) string { return a[r.IntN(len(a))] }
	gen := func(toks []string, maxLen int) string {
		var b strings.Builder
		for i := r.IntN(maxLen) + 1; i > 0; i-- {
			b.WriteString(pick(toks))
		}
		return b.String()
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var out []string
	add := func(n int, f func() string) {
		for range n {
			out = append(out, f())
		}
	}
	nums := []string{"0", "1", "-1", "0.5", "1234.5678", "-0.001", "1e21", "123456789", "2.5", "0.125", "1e-7", "99.995", "-1234567.891", "7", "12", "1000000", "3.14159", "1e300", "-2.5", "0.0001234"}
	numToks := []string{"#", "0", "0", "#", ",", ".", "e", "%", "‰", ";", "a", " ", "9", "١", "-", "$"}
	add(3000, func() string { return fmt.Sprintf("$formatNumber(%s, %s)", pick(nums), q(gen(numToks, 9))) })
	add(300, func() string {
		return fmt.Sprintf(`$formatNumber(%s, %s, {"zero-digit": %s, "decimal-separator": %s, "grouping-separator": %s})`,
			pick(nums), q(gen([]string{"A", "B", "#", ",", ".", ";", "e", "%", "::"}, 8)), q(pick([]string{"A", "0", "١"})),
			q(pick([]string{".", ",", ":"})), q(pick([]string{",", ".", "'"})))
	})
	intToks := []string{"#", "0", ",", ":", "w", "W", "I", "i", "A", "a", ";o", ";c", "١", "Ww", "０"}
	ints := []string{"0", "1", "-1", "7", "12", "13", "21", "99", "100", "101", "111", "999", "1000", "1984", "3999", "123456", "1000000", "1e12", "1234567890123", "-55", "0.9", "26", "27", "702", "703", "1e15", "1e21"}
	add(2000, func() string { return fmt.Sprintf("$formatInteger(%s, %s)", pick(ints), q(gen(intToks, 6))) })
	add(1500, func() string {
		p := q(gen(intToks, 4))
		return fmt.Sprintf("$parseInteger($formatInteger(%s, %s), %s)", pick(ints), p, p)
	})
	words := []string{"one", " ", "hundred", "and", "-", "twenty", "first", "1", "2", ",", "x", "I", "V", "thousand", "million"}
	add(300, func() string { return fmt.Sprintf("$parseInteger(%s, %s)", q(gen(words, 6)), q(gen(intToks, 3))) })
	markers := []string{"[Y]", "[Y0001]", "[Y,2]", "[Y,4-4]", "[Y,*-2]", "[M01]", "[MNn]", "[MN,*-3]", "[D1o]", "[Dw]", "[d]", "[F]", "[FNn]", "[F1]", "[W]", "[w]", "[X]", "[x]", "[H01]", "[h]", "[P]", "[PN]", "[m]", "[s01]", "[f001]", "[f]", "[Z]", "[z]", "[Z0]", "[Z0000]", "[Z00:00t]", "[ZN]", "[E]", "[C]", "[q1]", "[YI]", "[Mi]", "[Da]", "[DA]", "[Yw]", "[M#1]", "[D01]", "[H#]", "[mw]", "-", " ", "[[", "]]", "T", ":", "[Y,3]", "[M,2-2]", "[D,1-1]", "[YWw]", "[Dwo]", "[MA]", "[h1]", "[P,2]", "[Z01]", "[z0101]", "[Z1]"}
	millis := []string{"0", "-1", "1e12", "1709219045678", "-62135596800000", "253402300799999", "951782400000", "1104537600000", "1136073600000", "1199145600000", "1230595200000", "-2208988800000", "123456789012", "8.64e15", "1e16"}
	tzs := []string{`"+0530"`, `"-0500"`, `"0000"`, `"-0130"`, `"+1245"`, `"abc"`, `"+01"`}
	add(3000, func() string {
		if r.IntN(3) == 0 {
			return fmt.Sprintf("$fromMillis(%s, %s)", pick(millis), q(gen(markers, 6)))
		}
		return fmt.Sprintf("$fromMillis(%s, %s, %s)", pick(millis), q(gen(markers, 6)), pick(tzs))
	})
	dmarkers := []string{"[Y0001]", "[Y]", "[YI]", "[Yw]", "[M01]", "[M]", "[MNn]", "[MN,*-3]", "[Mi]", "[D01]", "[D1o]", "[Dw]", "[Da]", "[d001]", "[d]", "[H01]", "[H]", "[h]", "[P]", "[m01]", "[m]", "[s01]", "[f001]", "[Z]", "[z]", "[Z0000]", "[FNn]", "[X]", "[W]", "-", " ", ":", "T", "/"}
	add(3000, func() string {
		p := q(pick([]string{"[Y0001]", "[Y]", "[YI]", "[Yw]"}) + gen(dmarkers, 7))
		return fmt.Sprintf("$toMillis($fromMillis(%s, %s), %s)", pick(millis[:13]), p, p)
	})
	for _, s := range []string{"2018", "2018-02", "2018-02-03", "2018-02-30", "2018-13-01", "2018-00-01", "2018-02-03T04:05:06", "2018-02-03T04:05:06Z", "2018-02-03T04:05:06.7Z", "2018-02-03T04:05:06.789123Z", "2018-02-03T04:05:06+01:00", "2018-02-03T04:05:06-0130", "2018-02-03T24:00:00Z", "2018-02-03T25:00:00Z", "2018-01-01-01", "2018T04:05:06", "2018-02Z", "2018-02-03Z", "2018-02-03+01:00", "0001-01-01", "0099-01-01T00:00:00Z"} {
		out = append(out, fmt.Sprintf("$toMillis(%s)", q(s)))
	}
	return out
}

// runJSONataJS evaluates exprs with jsonata-js; a call that hangs for 30 s is recorded as "HANG".
func runJSONataJS(t *testing.T, nodePath string, exprs []string) []string {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "out.jsonl")
	var b strings.Builder
	for _, e := range exprs {
		j, _ := json.Marshal(map[string]string{"expr": e})
		b.Write(append(j, '\n'))
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("testdata/jsonata-eval.js")
	count := func() int { d, _ := os.ReadFile(out); return strings.Count(string(d), "\n") }
	for done := 0; done < len(exprs); done = count() {
		cmd := exec.Command("timeout", "30", "node", script, in, out, fmt.Sprint(done))
		cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
		if msg, err := cmd.CombinedOutput(); err != nil {
			if count() == done && !strings.Contains(err.Error(), "124") {
				t.Fatalf("node: %v %s", err, msg)
			}
			f, _ := os.OpenFile(out, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
			f.WriteString(`{"code":"HANG"}` + "\n")
			f.Close()
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var results []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r struct {
			R    any    `json:"r"`
			U    bool   `json:"u"`
			Code string `json:"code"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		switch {
		case r.Code != "":
			results = append(results, "error "+r.Code)
		case r.U:
			results = append(results, "undefined")
		default:
			j, _ := json.Marshal(r.R)
			results = append(results, string(j))
		}
	}
	return results
}

// differentialResult writes an sfn result as runJSONataJS writes jsonata-js's.
func differentialResult(v any, err error) string {
	if err != nil {
		return "error " + err.(*EvalError).Code
	}
	if v == Undefined {
		return "undefined"
	}
	j, _ := ToJSON(v)
	b, _ := json.Marshal(j)
	return string(b)
}

// sameResult compares results as JSON values; JavaScript's own errors match the code sfn gives
// in their place.
func sameResult(got, want string) bool {
	switch {
	case strings.HasPrefix(want, "error JS:TypeError"):
		return got == "error TypeError" || strings.HasPrefix(got, "error D308")
	case strings.HasPrefix(want, "error JS:RangeError:Maximum call stack"):
		return got == "error "+codeLimit
	case strings.HasPrefix(want, "error JS:RangeError"):
		return got == "error RangeError"
	case strings.HasPrefix(want, "error"):
		return got == want
	}
	var g, w any
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return got == want
	}
	return reflect.DeepEqual(g, w)
}
