package run

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// TestChildrenHistories: with Options.Children, each child execution of a distributed Map has a
// history of its own (ExecutionStarted = 1, the first state's previous event 0, ExecutionSucceeded
// or Failed last), delivered with Event.Child; the execution's own history is unchanged.
func TestChildrenHistories(t *testing.T) {
	def := `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
		"ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "C",
			"States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": false, "Next": "F"}], "Default": "P"},
				"P": {"Type": "Pass", "End": true}, "F": {"Type": "Fail", "Error": "Bad", "Cause": "item"}}},
		"ToleratedFailureCount": 1, "End": true}}}`
	doc, err := load.Parse("m.asl.json", []byte(def), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	run := func(children bool) (*Result, map[string][]string) {
		var mu sync.Mutex
		kids := map[string][]string{}
		r, err := New(asl.Build(doc), Options{Clock: NewVirtualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), Children: children,
			OnEvent: func(e Event) {
				if e.Child == "" {
					return
				}
				mu.Lock()
				kids[e.Child] = append(kids[e.Child], fmt.Sprintf("%d<%d %s", e.ID, e.PreviousEventID, e.Type))
				mu.Unlock()
			}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Start(context.Background(), mustDecode([]byte(`{"items": [{"ok": true}, {"ok": false}]}`))), kids
	}
	plain, none := run(false)
	res, kids := run(true)
	if len(none) != 0 {
		t.Fatalf("child events without Options.Children: %v", none)
	}
	if res.Status != Succeeded || len(res.Events) != len(plain.Events) {
		t.Fatalf("%s, %d events; without children %d", res.Status, len(res.Events), len(plain.Events))
	}
	for i := range res.Events {
		if res.Events[i].Type != plain.Events[i].Type || res.Events[i].ID != plain.Events[i].ID || res.Events[i].PreviousEventID != plain.Events[i].PreviousEventID {
			t.Fatalf("event %d: %+v, without children %+v", i, res.Events[i], plain.Events[i])
		}
	}
	var got []string
	for name, evs := range kids {
		got = append(got, strings.Join(evs, ", "))
		if !strings.HasSuffix(name, "-0") && !strings.HasSuffix(name, "-1") {
			t.Errorf("child name %q", name)
		}
	}
	want := map[string]bool{
		"1<0 ExecutionStarted, 2<0 ChoiceStateEntered, 3<2 ChoiceStateExited, 4<3 PassStateEntered, 5<4 PassStateExited, 6<5 ExecutionSucceeded": true,
		"1<0 ExecutionStarted, 2<0 ChoiceStateEntered, 3<2 ChoiceStateExited, 4<3 FailStateEntered, 5<4 ExecutionFailed":                         true,
	}
	if len(got) != 2 || !want[got[0]] || !want[got[1]] || got[0] == got[1] {
		t.Errorf("child histories:\n%s", strings.Join(got, "\n"))
	}
}
