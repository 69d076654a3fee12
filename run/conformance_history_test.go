package run

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// The conformance harness compares every recorded history (expected.history of a case) with
// sfn's, event by event: id, previousEventId, type, the timestamp (a placeholder in every
// recording: it must be present there, and sfn's must be set and never go back), and the details
// object, every key both ways. Recorded payloads (input, output, parameters) are parsed JSON, and
// so are other JSON texts the recorder parsed (a cause, an assigned variable holding an object):
// sfn's texts are decoded to compare them.
//
// Harness artefacts are undone here: the harness rewrites the corpus's stand-ins in definitions
// (see harnessRewrites), and a resource field holding the rewritten value is compared with what
// the stand-in stood for.
//
// Normalised recordings (expected.history_parallel_events_normalised) went through LocalStack's
// SfnNoneRecursiveParallelTransformer (localstack-core/localstack/testing/pytest/stepfunctions/
// utils.py): the events after each ParallelStateStarted up to the next ParallelState{Succeeded,
// Failed,Aborted,Exited} get id [0] and previousEventId 0 and are sorted. Because it replaces the
// list slice from the block to the end event it meets with the block alone, whatever lies between
// a block and a later end event is dropped: the ParallelStateSucceeded or ParallelStateFailed
// before each ParallelStateExited (their ids are missing from the recording), and in a nested
// Parallel the inner ParallelStateExited too. normaliseParallel applies the same transformation
// to sfn's history; the two are then compared as above, except that inside each block ids are
// not compared and events are matched in any order. What the normalisation lost (the dropped
// events, the order and links inside blocks) is the part not compared.

// historyFile lists the recorded histories sfn does not reproduce, with the reason.
const historyFile = "testdata/conformance-history.txt"

// harnessRewrites are the harness's substitutions in definitions (runCase): what the corpus
// holds, the value sfn is given instead, and whether a recorded resource field matches it.
var harnessRewrites = []struct {
	substitute string
	recorded   func(want string) bool
}{
	// A stub of the corpus's replay (source.replay_stub_values_in_definition) standing for the
	// ARN of a Lambda function the test created: AWS records that function's ARN.
	{stubLambdaARN, lambdaARNRE.MatchString},
	// "activity_arn": the recorder's replacement (source.env_values_transformed) of an activity
	// ARN, in the definition and in the history alike.
	{activityARN, func(w string) bool { return w == "activity_arn" }},
}

const (
	stubLambdaARN = "arn:aws:lambda:us-east-1:111111111111:function:lambda_function"
	activityARN   = "arn:aws:states:us-east-1:111111111111:activity:activity"
)

var lambdaARNRE = regexp.MustCompile(`^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+$`)

// payloadKeys are the details members holding a JSON text that the recorder always parsed.
var payloadKeys = map[string]bool{"input": true, "output": true, "parameters": true}

// hEvent is one history event reduced to what is compared.
type hEvent struct {
	id, prev   int64
	zeroed     bool // id [0] and previousEventId 0: inside a normalised Parallel block
	typ        string
	detailsKey string
	details    *value.Object // nil when the event has no details member
	extra      []string      // recorded top-level members no event of sfn's has
	stamped    bool          // the recording has the timestamp member
}

// recordedEvents decodes a recorded history.
func recordedEvents(raw []map[string]json.RawMessage) ([]hEvent, error) {
	out := make([]hEvent, 0, len(raw))
	for i, r := range raw {
		var e hEvent
		for k, v := range r {
			var err error
			switch {
			case k == "id":
				if bytes.HasPrefix(bytes.TrimSpace(v), []byte("[")) {
					e.zeroed = true
				} else {
					err = json.Unmarshal(v, &e.id)
				}
			case k == "previousEventId":
				err = json.Unmarshal(v, &e.prev)
			case k == "type":
				err = json.Unmarshal(v, &e.typ)
			case k == "timestamp":
				e.stamped = true
			case strings.HasSuffix(k, "EventDetails"):
				if e.detailsKey != "" {
					return nil, fmt.Errorf("event %d: two details members %s and %s", i+1, e.detailsKey, k)
				}
				d, derr := load.DecodeJSON(v)
				obj, ok := d.(*value.Object)
				if derr != nil || !ok {
					return nil, fmt.Errorf("event %d: %s is not an object", i+1, k)
				}
				e.detailsKey, e.details = k, obj
			default:
				e.extra = append(e.extra, k)
			}
			if err != nil {
				return nil, fmt.Errorf("event %d: %s: %v", i+1, k, err)
			}
		}
		sort.Strings(e.extra)
		out = append(out, e)
	}
	return out, nil
}

// hProblem is one difference between sfn's history and the recorded one. where names what
// differs as a listing names it: "<EventType>/<details member>" ("TaskSubmitted/output"),
// "<EventType>/id", "<EventType>/timestamp", or "history" (the sequence of types).
type hProblem struct {
	where, text string
}

// sfnEvents reduces sfn's history as GetExecutionHistory JSON shows it (Event.MarshalJSON, which
// the history writer is tested against); it also checks the timestamps.
func sfnEvents(events []Event) ([]hEvent, []hProblem) {
	var problems []hProblem
	out := make([]hEvent, 0, len(events))
	var last time.Time
	for i, e := range events {
		if e.Timestamp.IsZero() {
			problems = append(problems, hProblem{e.Type + "/timestamp", fmt.Sprintf("event %d %s: no timestamp", i+1, e.Type)})
		} else if e.Timestamp.Before(last) {
			problems = append(problems, hProblem{e.Type + "/timestamp", fmt.Sprintf("event %d %s: timestamp %s before the previous event's %s",
				i+1, e.Type, e.Timestamp.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))})
		}
		if e.Timestamp.After(last) {
			last = e.Timestamp
		}
		h := hEvent{id: e.ID, prev: e.PreviousEventID, typ: e.Type, stamped: true}
		if e.DetailsKey != "" {
			b, err := json.Marshal(e.DetailsMap())
			if err == nil {
				d, derr := load.DecodeJSON(b)
				obj, ok := d.(*value.Object)
				if derr == nil && ok {
					h.detailsKey, h.details = e.DetailsKey, obj
				} else {
					err = fmt.Errorf("details are not an object: %s", b)
				}
			}
			if err != nil {
				problems = append(problems, hProblem{e.Type + "/" + e.DetailsKey, fmt.Sprintf("event %d %s: %v", i+1, e.Type, err)})
			}
		}
		out = append(out, h)
	}
	return out, problems
}

// parallelEnds are the event types that close a normalised block.
var parallelEnds = map[string]bool{
	"ParallelStateSucceeded": true, "ParallelStateAborted": true,
	"ParallelStateExited": true, "ParallelStateFailed": true,
}

// normaliseParallel is LocalStack's SfnNoneRecursiveParallelTransformer._normalise_events, step
// for step, including its list surgery (a slice replaced by a shorter block while iterating).
// The block is not sorted: blocks are compared as multisets.
func normaliseParallel(events []hEvent) []hEvent {
	events = append([]hEvent(nil), events...)
	start, inBlock := 0, false
	var block []hEvent
	for i := 0; i < len(events); i++ {
		switch typ := events[i].typ; {
		case parallelEnds[typ]:
			rest := append([]hEvent(nil), events[i:]...)
			events = append(append(events[:start:start], block...), rest...)
			inBlock = false
		case typ == "ParallelStateStarted":
			inBlock, block, start = true, nil, i+1
		case inBlock:
			events[i].zeroed, events[i].id, events[i].prev = true, 0, 0
			block = append(block, events[i])
		}
	}
	return events
}

// historyMatcher compares one case's history.
type historyMatcher struct {
	m         *caseMatcher
	orderDiff string // the first difference in the key order of a payload
}

// compare returns the differences between sfn's history and the recorded one (nil: the same).
func (hm *historyMatcher) compare(raw []map[string]json.RawMessage, events []Event, normalised bool) []hProblem {
	want, err := recordedEvents(raw)
	if err != nil {
		return []hProblem{{"recording", "recording: " + err.Error()}}
	}
	got, problems := sfnEvents(events)
	if normalised {
		got = normaliseParallel(got)
	}
	if d := typesDiff(got, want); d != "" {
		return append(problems, hProblem{"history", d})
	}
	for i := 0; i < len(want); i++ {
		if !want[i].zeroed {
			problems = append(problems, hm.event(i+1, got[i], want[i], true)...)
			continue
		}
		j := i
		for j < len(want) && want[j].zeroed {
			j++
		}
		problems = append(problems, hm.block(i, got[i:j], want[i:j])...)
		i = j - 1
	}
	return problems
}

// typesDiff reports where the type sequences (and normalised blocks) differ.
func typesDiff(got, want []hEvent) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("event %d: sfn's history ends; recorded %s", i+1, want[i].typ)
		case i >= len(want):
			return fmt.Sprintf("event %d %s: the recorded history has ended", i+1, got[i].typ)
		case got[i].zeroed != want[i].zeroed:
			return fmt.Sprintf("event %d %s: normalised block boundaries differ (sfn %v, recorded %v)", i+1, got[i].typ, got[i].zeroed, want[i].zeroed)
		case !want[i].zeroed && got[i].typ != want[i].typ:
			return fmt.Sprintf("event %d: type %s, recorded %s", i+1, got[i].typ, want[i].typ)
		}
	}
	return ""
}

// block matches a normalised block's events in any order.
func (hm *historyMatcher) block(at int, got, want []hEvent) []hProblem {
	used := make([]bool, len(got))
	var problems []hProblem
	for wi, w := range want {
		found := -1
		for gi, g := range got {
			if !used[gi] && len(hm.event(at+wi+1, g, w, false)) == 0 {
				found = gi
				break
			}
		}
		if found < 0 {
			p := hProblem{w.typ + "/block", fmt.Sprintf("event %d %s (normalised block of %d from event %d): no event of sfn's block matches", at+wi+1, w.typ, len(want), at+1)}
			for gi, g := range got {
				if near := hm.event(at+wi+1, g, w, false); !used[gi] && g.typ == w.typ && len(near) > 0 {
					p.where, p.text = near[0].where, p.text+"; nearest: "+near[0].text
					break
				}
			}
			problems = append(problems, p)
			continue
		}
		used[found] = true
	}
	return problems
}

// event compares one event; ids when the recording has them.
func (hm *historyMatcher) event(n int, g, w hEvent, order bool) []hProblem {
	at := fmt.Sprintf("event %d %s", n, w.typ)
	var problems []hProblem
	if g.typ != w.typ {
		return []hProblem{{"history", fmt.Sprintf("%s: type %s", at, g.typ)}}
	}
	if !w.zeroed && (g.id != w.id || g.prev != w.prev) {
		problems = append(problems, hProblem{w.typ + "/id", fmt.Sprintf("%s: id %d previousEventId %d, recorded %d %d", at, g.id, g.prev, w.id, w.prev)})
	}
	if !w.stamped {
		problems = append(problems, hProblem{w.typ + "/timestamp", at + ": the recording has no timestamp"})
	}
	if len(w.extra) > 0 {
		problems = append(problems, hProblem{w.typ + "/" + w.extra[0], fmt.Sprintf("%s: recorded members %v that sfn does not write", at, w.extra)})
	}
	if g.detailsKey != w.detailsKey {
		return append(problems, hProblem{w.typ + "/details", fmt.Sprintf("%s: details member %q, recorded %q", at, g.detailsKey, w.detailsKey)})
	}
	if w.details != nil {
		if member, d := hm.details(g.details, w.details, at, w.detailsKey, order); d != "" {
			problems = append(problems, hProblem{w.typ + "/" + member, d})
		}
	}
	return problems
}

// details compares two details objects (or objects inside them, such as assignedVariables; path
// names the object: "stateExitedEventDetails.assignedVariables"): every key both ways, JSON texts
// decoded where the recorder parsed them. A recorded value that is the path of its own member
// ("stateExitedEventDetails.output") is the recorder's replacement of the value (a LocalStack
// JsonpathTransformer), a placeholder the case's list may lack. It returns the member of the
// details object that differs and how.
func (hm *historyMatcher) details(got, want *value.Object, at, path string, order bool) (string, string) {
	top := func(k string) string { // the member of the details object
		if i := strings.IndexByte(path, '.'); i >= 0 {
			return strings.SplitN(path[i+1:], ".", 2)[0]
		}
		return k
	}
	for _, k := range got.Keys() {
		if !want.Has(k) {
			return top(k), fmt.Sprintf("%s: unexpected %s.%s: %.300s", at, path, k, toJSON(get(got, k)))
		}
	}
	for _, mw := range want.Members() {
		k, wv := mw.Key, mw.Value
		gv, ok := got.Get(k)
		if !ok {
			return top(k), fmt.Sprintf("%s: missing %s.%s (recorded %.300s)", at, path, k, toJSON(wv))
		}
		if ws, isText := wv.(string); isText && ws == path+"."+k {
			continue
		}
		if s, isText := gv.(string); isText {
			if _, wantText := wv.(string); payloadKeys[k] || (!wantText && wv != nil) {
				if v, err := load.DecodeJSON([]byte(s)); err == nil {
					gv = v
				}
			}
		}
		if k == "resource" && hm.resource(gv, wv) {
			continue
		}
		gObj, gok := gv.(*value.Object)
		wObj, wok := wv.(*value.Object)
		if gok && wok && !payloadKeys[k] {
			if member, d := hm.details(gObj, wObj, at, path+"."+k, order); d != "" {
				return member, d
			}
			continue
		}
		if !hm.m.match(gv, wv) {
			return top(k), fmt.Sprintf("%s: %s.%s:\n    sfn      %.500s\n    recorded %.500s", at, path, k, toJSON(gv), toJSON(wv))
		}
		if order && payloadKeys[k] && hm.orderDiff == "" {
			hm.orderDiff = keyOrderDiff(gv, wv, at+" "+path+"."+k)
		}
	}
	return "", ""
}

// resource reports whether a resource value sfn recorded is a harness rewrite of the recorded one.
func (hm *historyMatcher) resource(got, want any) bool {
	g, ok1 := got.(string)
	w, ok2 := want.(string)
	if !ok1 || !ok2 {
		return false
	}
	for _, r := range harnessRewrites {
		if g == r.substitute {
			return r.recorded(w)
		}
	}
	return false
}

// problemsText is the first few differences, for a message.
func problemsText(ps []hProblem) string {
	var lines []string
	for i, p := range ps {
		if i == 3 {
			lines = append(lines, fmt.Sprintf("(%d more)", len(ps)-3))
			break
		}
		lines = append(lines, p.text)
	}
	return strings.Join(lines, "\n  ")
}

// historyListing is run/testdata/conformance-history.txt: case → reason, and the header lines. A
// reason starts with the differences it explains, in brackets ("[TaskSubmitted/output] ..."):
// a listed case that differs anywhere else fails.
type historyListing struct {
	header  []string
	reasons map[string]string
}

// allowed returns the differences a listed reason explains.
func allowed(reason string) map[string]bool {
	set := map[string]bool{}
	if rest, ok := strings.CutPrefix(reason, "["); ok {
		if list, _, ok := strings.Cut(rest, "]"); ok {
			for _, w := range strings.Split(list, ",") {
				set[strings.TrimSpace(w)] = true
			}
		}
	}
	return set
}

// wheres is the sorted set of what differs.
func wheres(ps []hProblem) []string {
	set := map[string]bool{}
	for _, p := range ps {
		set[p.where] = true
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

func readHistoryListing() (*historyListing, error) {
	l := &historyListing{reasons: map[string]string{}}
	b, err := os.ReadFile(historyFile)
	if os.IsNotExist(err) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	for n, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
		case strings.HasPrefix(t, "#"):
			if len(l.reasons) == 0 {
				l.header = append(l.header, line)
			}
		default:
			file, reason, ok := strings.Cut(t, ": ")
			if !ok || !strings.HasSuffix(file, ".json") || len(allowed(reason)) == 0 {
				return nil, fmt.Errorf("%s:%d: want \"group/file.json: [Type/member, ...] reason\", got %q", historyFile, n+1, t)
			}
			if _, dup := l.reasons[file]; dup {
				return nil, fmt.Errorf("%s:%d: %s listed twice", historyFile, n+1, file)
			}
			l.reasons[file] = strings.TrimSpace(reason)
		}
	}
	return l, nil
}

// write rewrites the listing with the cases that differ now: existing reasons kept, new cases
// with what differs and "TODO: reason" (every one to be written by hand).
func (l *historyListing) write(differ map[string][]hProblem) error {
	var b strings.Builder
	header := l.header
	if len(header) == 0 {
		header = []string{
			"# Recorded histories (../shared/conformance) that sfn does not reproduce event for event, one a line:",
			"# \"group/file.json: [EventType/member, ...] reason\", the bracket naming every difference the reason",
			"# explains. Every other recorded history must match (run/conformance_history_test.go);",
			"# go test ./run -run TestConformance -update rewrites this file, keeping the reasons.",
		}
	}
	for _, h := range header {
		b.WriteString(h + "\n")
	}
	files := make([]string, 0, len(differ))
	for f := range differ {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		reason := l.reasons[f]
		if reason == "" {
			reason = "[" + strings.Join(wheres(differ[f]), ", ") + "] TODO: reason"
		}
		fmt.Fprintf(&b, "%s: %s\n", f, reason)
	}
	return os.WriteFile(historyFile, []byte(b.String()), 0o644)
}

// checkHistories fails for every recorded history that differs and is not listed in historyFile
// (or is listed with a reason still to write), and for every listed one that matches now; with
// -update it rewrites the listing instead.
func checkHistories(t *testing.T, results []caseResult, same, recorded int) {
	t.Helper()
	listing, err := readHistoryListing()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("conformance histories: %d of %d match in full (ids, links, types, timestamps, every details member); %d listed with their reason in %s",
		same, recorded, len(listing.reasons), historyFile)
	differ := map[string][]hProblem{}
	seen := map[string]bool{}
	verbose := testing.Verbose() || os.Getenv("SFN_CONFORMANCE_HISTORY") != ""
	for _, r := range results {
		if !r.recorded {
			continue
		}
		seen[r.file] = true
		reason, listed := listing.reasons[r.file]
		if r.history == "same" {
			if listed && !*update {
				t.Errorf("%s matches AWS's history now: remove it from %s (or run with -update)", r.file, historyFile)
			}
			continue
		}
		differ[r.file] = r.problems
		if *update {
			continue
		}
		if !listed {
			t.Errorf("history differs from AWS's: %s:\n  %s", r.file, r.historyDiff)
			continue
		}
		if strings.Contains(reason, "TODO") {
			t.Errorf("%s: %s: write the reason", historyFile, r.file)
		}
		ok := allowed(reason)
		var beyond []hProblem
		for _, p := range r.problems {
			if !ok[p.where] {
				beyond = append(beyond, p)
			}
		}
		switch {
		case len(beyond) > 0:
			t.Errorf("history differs from AWS's beyond what %s lists for %s (%v):\n  %s", historyFile, r.file, wheres(beyond), problemsText(beyond))
		case verbose:
			t.Logf("HISTORY %s (listed: %s):\n  %s", r.file, reason, r.historyDiff)
		}
	}
	for f := range listing.reasons {
		if !seen[f] && !*update {
			t.Errorf("%s lists %s, which has no recorded history in the corpus", historyFile, f)
		}
	}
	if *update {
		if err := listing.write(differ); err != nil {
			t.Fatal(err)
		}
	}
}
