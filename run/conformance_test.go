package run

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

var update = flag.Bool("update", false, "rewrite run/testdata/conformance-passing.txt and conformance-history.txt")

const passingFile = "testdata/conformance-passing.txt"

// replayTime is when the conformance cases without a last_validated_date were recorded.
var replayTime = time.Date(2026, 11, 24, 21, 43, 48, 0, time.UTC)

func conformanceDir() string {
	if d := os.Getenv("SFN_CONFORMANCE_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "conformance", "aws")
}

type confCase struct {
	Name   string `json:"name"`
	Source struct {
		Type          string `json:"state_machine_type"`
		LastValidated string `json:"last_validated_date"`
	} `json:"source"`
	Definition   json.RawMessage `json:"definition"`
	Input        json.RawMessage `json:"input"`
	Expected     confExpected    `json:"expected"`
	Mocks        map[string][]json.RawMessage
	Placeholders []string `json:"placeholders"`
	Features     []string `json:"features"`
}

type confExpected struct {
	Status     string                       `json:"status"`
	Output     json.RawMessage              `json:"output"`
	Error      *string                      `json:"error"`
	Cause      *string                      `json:"cause"`
	CauseJSON  json.RawMessage              `json:"cause_json"`
	History    []map[string]json.RawMessage `json:"history"`
	Normalised bool                         `json:"history_parallel_events_normalised"`
}

func mustDecode(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	v, err := load.DecodeJSON(b)
	if err != nil {
		panic(err)
	}
	return v
}

// caseMatcher compares actual values with expected ones under the corpus's placeholder rules.
type caseMatcher struct {
	placeholders []string
}

var placeholderRE = regexp.MustCompile(`<[A-Za-z_][\w.-]*(?::\d+)?>`)
var isoRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$`)

func (m *caseMatcher) isPlaceholder(s string) bool {
	for _, p := range m.placeholders {
		if s == p {
			return true
		}
	}
	return placeholderRE.FindString(s) == s && s != ""
}

func (m *caseMatcher) matchString(got any, want string) bool {
	if m.isPlaceholder(want) {
		return true
	}
	g, ok := got.(string)
	if want == "date" && ok && isoRE.MatchString(g) {
		return true
	}
	if ok && g == want {
		return true
	}
	// An anchored pattern: each placeholder matches anything; the word date an ISO-8601 timestamp
	// (the recorder replaces timestamps inside texts too, e.g. in an assigned variable's JSON).
	var tokens []string
	for _, p := range m.placeholders {
		if p != "" && strings.Contains(want, p) {
			tokens = append(tokens, regexp.QuoteMeta(p))
		}
	}
	tokens = append(tokens, placeholderRE.String(), `\bdate\b`)
	re := regexp.MustCompile(strings.Join(tokens, "|"))
	if !re.MatchString(want) {
		return false
	}
	if !ok {
		return false
	}
	var pat strings.Builder
	pat.WriteString(`(?s)^`)
	last := 0
	for _, loc := range re.FindAllStringIndex(want, -1) {
		pat.WriteString(regexp.QuoteMeta(want[last:loc[0]]))
		if tok := want[loc[0]:loc[1]]; tok == "date" && !m.isPlaceholder(tok) {
			pat.WriteString(isoInTextRE)
		} else {
			pat.WriteString(".*")
		}
		last = loc[1]
	}
	pat.WriteString(regexp.QuoteMeta(want[last:]) + `$`)
	re2, err := regexp.Compile(pat.String())
	return err == nil && re2.MatchString(g)
}

// timestampKeyRE and recorderTimestamp: the recorder (LocalStack's snapshot transformers,
// localstack-core/localstack/testing/snapshots/transformer_utility.py) replaces the value of
// every member whose name contains "timestamp" (any case) with "timestamp" when the value is not
// an ISO-8601 date (an ISO date anywhere becomes "date"): e.g. {"TimestampValue": "timestamp"}
// recorded for an input holding "2016-13-05T21:29:29Z".
var timestampKeyRE = regexp.MustCompile(`(?i)timestamp`)

func recorderTimestamp(key string, got, want any) bool {
	if w, ok := want.(string); !ok || w != "timestamp" || !timestampKeyRE.MatchString(key) {
		return false
	}
	g, isText := got.(string)
	return !isText || !recorderISORE.MatchString(g)
}

// isoInTextRE is the recorder's ISO-8601 pattern (localstack_snapshot's PATTERN_ISO8601: a real
// calendar date, T, a zone); recorderISORE anchors it at the start, as Python's re.match does.
const isoInTextRE = `(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:?([0-5]\d)?)`

var recorderISORE = regexp.MustCompile(`^` + isoInTextRE)

func (m *caseMatcher) match(got, want any) bool {
	switch w := want.(type) {
	case string:
		return m.matchString(got, w)
	case json.Number:
		wr, ok1 := new(big.Rat).SetString(string(w))
		gr, ok2 := value.Rat(got)
		return ok1 && ok2 && wr.Cmp(gr) == 0
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !m.match(g[i], w[i]) {
				return false
			}
		}
		return true
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for _, x := range w.Members() {
			gv, ok := g.Get(x.Key)
			if !ok || !m.match(gv, x.Value) && !recorderTimestamp(x.Key, gv, x.Value) {
				return false
			}
		}
		return true
	case nil:
		return got == nil
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	}
	return false
}

// mockHandler feeds a case's recorded task results.
type mockHandler struct {
	m        *caseMatcher
	mu       sync.Mutex
	entries  map[string][]*value.Object
	used     map[string][]bool
	problems []string
}

func (h *mockHandler) Invoke(ctx context.Context, req TaskRequest) TaskResult {
	h.mu.Lock()
	list := h.entries[req.StateName]
	used := h.used[req.StateName]
	pick := -1
	for i, e := range list {
		if used[i] {
			continue
		}
		if p, ok := e.Get("parameters"); ok && !h.m.match(req.Input, p) {
			continue
		}
		pick = i
		break
	}
	if pick < 0 {
		// The recorder sometimes filed a call under a sibling state: take a matching entry of another state.
		for name, other := range h.entries {
			for i, e := range other {
				if p, ok := e.Get("parameters"); ok && !h.used[name][i] && h.m.match(req.Input, p) {
					h.used[name][i] = true
					h.mu.Unlock()
					return h.result(ctx, e)
				}
			}
		}
		for i := range list {
			if !used[i] {
				pick = i
				break
			}
		}
		if pick >= 0 {
			if p, ok := list[pick].Get("parameters"); ok {
				h.problems = append(h.problems, fmt.Sprintf("%s sent %s, want %s", req.StateName, toJSON(req.Input), toJSON(p)))
			}
		}
	}
	if pick < 0 {
		h.problems = append(h.problems, fmt.Sprintf("%s: no mock left for call with %s", req.StateName, toJSON(req.Input)))
		h.mu.Unlock()
		return TaskResult{Failed: true, Error: "NoMock", Cause: "no mock left"}
	}
	used[pick] = true
	e := list[pick]
	h.mu.Unlock()
	return h.result(ctx, e)
}

func (h *mockHandler) result(ctx context.Context, e *value.Object) TaskResult {
	if a, _ := get(e, "aborted").(bool); a {
		<-ctx.Done()
		return TaskResult{Failed: true, Error: "Aborted"}
	}
	if th, ok := get(e, "throw").(*value.Object); ok {
		errName, _ := get(th, "error").(string)
		cause, _ := get(th, "cause").(string)
		if k, _ := get(e, "kind").(string); k == "timeout" || errName == "States.Timeout" {
			return TaskResult{TimedOut: true, Cause: cause}
		}
		return TaskResult{Failed: true, Error: errName, Cause: cause}
	}
	return TaskResult{Output: get(e, "return")}
}

var stubLambdaRE = regexp.MustCompile(`arn:aws:stub:[^"]*`)

// caseResult is the outcome of one case.
type caseResult struct {
	file     string
	group    string
	jsonPath bool // uses neither JSONata nor Assign
	pass     bool
	reason   string
	// recorded: the case has a recorded history; history: "same" when sfn's matches it in full
	// (conformance_history_test.go), "differs" otherwise, with the differences in historyDiff.
	recorded    bool
	history     string
	historyDiff string
	problems    []hProblem
	// ordered: the case's recording keeps AWS's key order (a get_execution_history snapshot; the
	// other snapshots may have sorted keys); orderDiff is the first difference in key order.
	ordered   bool
	orderDiff string
}

// keyOrderDiff returns where the objects of got list their members in another order than want's
// ("" when they agree). Objects whose key sets differ are left to match.
func keyOrderDiff(got, want any, at string) string {
	switch w := want.(type) {
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok {
			return ""
		}
		gk, wk := strings.Join(g.Keys(), ","), strings.Join(w.Keys(), ",")
		if gk != wk {
			gs, ws := append([]string(nil), g.Keys()...), append([]string(nil), w.Keys()...)
			sort.Strings(gs)
			sort.Strings(ws)
			if strings.Join(gs, ",") == strings.Join(ws, ",") {
				return fmt.Sprintf("%s: keys %s, want %s", at, gk, wk)
			}
		}
		for _, m := range w.Members() {
			if gv, ok := g.Get(m.Key); ok {
				if d := keyOrderDiff(gv, m.Value, at+"."+m.Key); d != "" {
					return d
				}
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return ""
		}
		for i := range w {
			if d := keyOrderDiff(g[i], w[i], fmt.Sprintf("%s[%d]", at, i)); d != "" {
				return d
			}
		}
	}
	return ""
}

func runCase(file string, c *confCase) (res caseResult) {
	def := stubLambdaRE.ReplaceAll(c.Definition, []byte(stubLambdaARN))
	def = bytes.ReplaceAll(def, []byte(`"activity_arn"`), []byte(`"`+activityARN+`"`))
	doc, err := load.Parse(file, def, load.JSON)
	if err != nil {
		return caseResult{reason: "load: " + err.Error()}
	}
	m := &caseMatcher{placeholders: c.Placeholders}
	mh := &mockHandler{m: m, entries: map[string][]*value.Object{}, used: map[string][]bool{}}
	for name, list := range c.Mocks {
		for _, raw := range list {
			e, _ := mustDecode(raw).(*value.Object)
			mh.entries[name] = append(mh.entries[name], e)
		}
		mh.used[name] = make([]bool, len(list))
	}
	start, err := time.Parse(time.RFC3339, c.Source.LastValidated)
	if err != nil {
		// No validation date: the case was recorded by the extraction's replay, whose inputs hold
		// timestamps of that moment (TimestampPath Waits "now" and "now + 24,856 days"). Starting
		// then keeps the first within the maximum duration (1 year) and the second too long.
		start = replayTime
	}
	role := "snf_role_arn"
	if len(c.Expected.History) > 0 {
		var d struct {
			RoleArn string `json:"roleArn"`
		}
		if json.Unmarshal(c.Expected.History[0]["executionStartedEventDetails"], &d) == nil && d.RoleArn != "" {
			role = d.RoleArn
		}
	}
	r, err := New(asl.Build(doc), Options{
		Clock:    NewVirtualClock(start),
		Handlers: func(*asl.State) TaskHandler { return mh },
		Type:     c.Source.Type, ExecutionName: "exec", StateMachineName: "sm", RoleArn: role,
		Account: "111111111111",
	})
	if err != nil {
		return caseResult{reason: "new: " + err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got := r.Start(ctx, mustDecode(c.Input))
	exp := c.Expected
	hist := caseResult{recorded: exp.History != nil}
	hm := &historyMatcher{m: m}
	if hist.recorded {
		hist.history = "same"
		if hist.problems = hm.compare(exp.History, got.Events, exp.Normalised); len(hist.problems) > 0 {
			hist.history, hist.historyDiff = "differs", problemsText(hist.problems)
		}
	}
	fail := func(format string, args ...any) caseResult {
		r := hist
		r.reason = fmt.Sprintf(format, args...)
		return r
	}
	if string(got.Status) != exp.Status {
		return fail("status %s (%s: %.300s), want %s (%s)", got.Status, got.Error, got.Cause, exp.Status, deref(exp.Error))
	}
	ordered := strings.Contains(file, "get_execution_history")
	orderDiff := ""
	switch got.Status {
	case Succeeded:
		want := mustDecode(exp.Output)
		if !m.match(got.Output, want) {
			return fail("output %.600s, want %.600s", toJSON(got.Output), toJSON(want))
		}
		if ordered {
			orderDiff = keyOrderDiff(got.Output, want, "output")
		}
	default:
		if exp.Error != nil && !m.matchString(got.Error, *exp.Error) {
			return fail("error %q, want %q", got.Error, *exp.Error)
		}
		if len(exp.CauseJSON) > 0 {
			gv, err := load.DecodeJSON([]byte(got.Cause))
			if want := mustDecode(exp.CauseJSON); err != nil || !m.match(gv, want) {
				return fail("cause %.400s, want %.400s", got.Cause, toJSON(want))
			}
		} else if exp.Cause != nil && !m.matchString(got.Cause, *exp.Cause) {
			return fail("cause %q, want %q", got.Cause, *exp.Cause)
		}
	}
	if len(mh.problems) > 0 {
		return fail("parameters: %s", strings.Join(mh.problems, "; "))
	}
	if exp.History != nil {
		var want, have []string
		for _, e := range exp.History {
			var typ string
			_ = json.Unmarshal(e["type"], &typ)
			want = append(want, typ)
		}
		for _, e := range got.Events {
			have = append(have, e.Type)
		}
		if exp.Normalised {
			if missing := missingTypes(want, have); len(missing) > 0 {
				return fail("history lacks %v; got %v", missing, have)
			}
		} else if strings.Join(want, ",") != strings.Join(have, ",") {
			return fail("history types\n  got  %v\n  want %v", have, want)
		}
	}
	if orderDiff == "" {
		orderDiff = hm.orderDiff
	}
	out := hist
	out.pass, out.ordered, out.orderDiff = true, ordered, orderDiff
	return out
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// missingTypes returns the event types of want (a multiset) that have lacks.
func missingTypes(want, have []string) []string {
	count := map[string]int{}
	for _, h := range have {
		count[h]++
	}
	var missing []string
	for _, w := range want {
		if count[w] == 0 {
			missing = append(missing, w)
			continue
		}
		count[w]--
	}
	return missing
}

func TestConformance(t *testing.T) {
	dir := conformanceDir()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if len(files) == 0 {
		testshared.Skip(t, "conformance", dir+" (or set SFN_CONFORMANCE_DIR)")
	}
	sort.Strings(files)
	results := make([]caseResult, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rel, _ := filepath.Rel(dir, f)
			rel = filepath.ToSlash(rel)
			var c confCase
			b, err := os.ReadFile(f)
			if err == nil {
				err = json.Unmarshal(b, &c)
			}
			var res caseResult
			if err != nil {
				res.reason = err.Error()
			} else {
				func() {
					defer func() {
						if p := recover(); p != nil {
							res = caseResult{reason: fmt.Sprintf("panic: %v", p)}
						}
					}()
					res = runCase(rel, &c)
				}()
			}
			if res.pass && res.orderDiff != "" { // AWS's key order is part of the result
				res.pass, res.reason = false, "key order: "+res.orderDiff
			}
			res.file = rel
			res.group = strings.SplitN(rel, "/", 2)[0]
			res.jsonPath = !bytes.Contains(c.Definition, []byte(`"JSONata"`)) && !bytes.Contains(c.Definition, []byte(`{%`))
			for _, ft := range c.Features {
				if ft == "JSONata" || ft == "Assign" || strings.HasPrefix(ft, "JSONata:") {
					res.jsonPath = false
				}
			}
			results[i] = res
		}()
	}
	wg.Wait()

	type tally struct{ pass, total, jpPass, jpTotal int }
	groups := map[string]*tally{}
	var names []string
	var all tally
	var passing []string
	for _, r := range results {
		g := groups[r.group]
		if g == nil {
			g = &tally{}
			groups[r.group] = g
			names = append(names, r.group)
		}
		for _, x := range []*tally{g, &all} {
			x.total++
			if r.jsonPath {
				x.jpTotal++
			}
			if r.pass {
				x.pass++
				if r.jsonPath {
					x.jpPass++
				}
			}
		}
		if r.pass {
			passing = append(passing, r.file)
		} else if testing.Verbose() || os.Getenv("SFN_CONFORMANCE_VERBOSE") != "" {
			t.Logf("FAIL %s: %s", r.file, r.reason)
		}
	}
	same, recorded := 0, 0
	for _, r := range results {
		if r.recorded {
			recorded++
			if r.history == "same" {
				same++
			}
		}
	}
	ordered := 0
	for _, r := range results {
		if r.pass && r.ordered {
			ordered++
		}
	}
	t.Logf("key order: %d passing cases are recorded in AWS's key order (get_execution_history snapshots) and match it in their output and history payloads", ordered)
	sort.Strings(names)
	for _, n := range names {
		g := groups[n]
		t.Logf("%-45s %3d/%3d passed (JSONPath-only %3d/%3d)", n, g.pass, g.total, g.jpPass, g.jpTotal)
	}
	t.Logf("JSONPath-only (no JSONata, no Assign): %d/%d passed (%.1f %%); JSONata/Assign cases: %d/%d pass anyway",
		all.jpPass, all.jpTotal, 100*float64(all.jpPass)/float64(max(all.jpTotal, 1)), all.pass-all.jpPass, all.total-all.jpTotal)
	t.Logf("conformance: %d passed, %d failed", all.pass, all.total-all.pass)
	checkHistories(t, results, same, recorded)

	if *update {
		if err := os.WriteFile(passingFile, []byte(strings.Join(passing, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(passingFile)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	byFile := map[string]caseResult{}
	for _, r := range results {
		byFile[r.file] = r
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if r, ok := byFile[line]; ok && !r.pass {
			t.Errorf("regression: %s: %s", line, r.reason)
		}
	}
}
