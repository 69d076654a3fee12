package asl

import (
	"strconv"
	"strings"
	"testing"
)

// TestPointers checks the location of every kind of model object, built on demand.
func TestPointers(t *testing.T) {
	m := build(t, `{"StartAt":"P","States":{
  "P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
       {"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D","Choices":[
         {"And":[{"Variable":"$.a","IsNull":true},{"Not":{"Or":[{"Variable":"$.b","IsNull":true}]}}],"Next":"D"}]},
         "D":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"l":[{"k.$":"$.x"}]},
              "Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["E"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"}],"End":true}}}],
       "Next":"M"},
  "M":{"Type":"Map","Iterator":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"End":true}}}`)
	byName := map[string]*State{}
	for _, st := range m.All {
		byName[st.Name] = st
	}
	c, d := byName["C"], byName["D"]
	and := c.Choices[0]
	not := and.Nested[1]
	or := not.Nested[0]
	tests := []struct {
		l    Locator
		want string
	}{
		{m.Root, ""},
		{m.Scopes[1], "/States/P/Branches[0]"},
		{c.Scope, "/States/P/Branches[1]"},
		{byName["B"].Scope, "/States/M/Iterator"},
		{byName["B"], "/States/M/Iterator/States/B"},
		{c, "/States/P/Branches[1]/States/C"},
		{and, "/States/P/Branches[1]/States/C/Choices[0]"},
		{and.Nested[0], "/States/P/Branches[1]/States/C/Choices[0]/And[0]"},
		{not, "/States/P/Branches[1]/States/C/Choices[0]/And[1]"},
		{or, "/States/P/Branches[1]/States/C/Choices[0]/And[1]/Not"},
		{or.Nested[0], "/States/P/Branches[1]/States/C/Choices[0]/And[1]/Not/Or[0]"},
		{d.Retry[1], "/States/P/Branches[1]/States/D/Retry[1]"},
		{d.Catch[0], "/States/P/Branches[1]/States/D/Catch[0]"},
		{At(d, "/Parameters"), "/States/P/Branches[1]/States/D/Parameters"},
		{At(d.Catch[0], "/Next").Sub("/x").Item(2), "/States/P/Branches[1]/States/D/Catch[0]/Next/x[2]"},
		{At(nil, "/QueryLanguage"), "/QueryLanguage"},
	}
	for _, tt := range tests {
		if got := tt.l.Pointer(); got != tt.want {
			t.Errorf("Pointer() = %q, want %q", got, tt.want)
		}
	}
	var exprs []string
	for _, e := range m.Exprs {
		exprs = append(exprs, e.Pointer()+" "+e.BaseField())
	}
	want := "/States/P/Branches[1]/States/C/Choices[0]/And[0]/Variable Variable," +
		"/States/P/Branches[1]/States/C/Choices[0]/And[1]/Not/Or[0]/Variable Variable," +
		"/States/P/Branches[1]/States/D/Parameters/l[0]/k.$ Parameters"
	if got := strings.Join(exprs, ","); got != want {
		t.Errorf("expression pointers:\n got %s\nwant %s", got, want)
	}
}

// nestedMaps is a definition with depth Map states nested in each other, one Pass state per level.
func nestedMaps(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		n := strconv.Itoa(i)
		b.WriteString(`{"StartAt":"P` + n + `","States":{"P` + n + `":{"Type":"Pass","Next":"M` + n + `"},"M` + n + `":{"Type":"Map","End":true,"ItemProcessor":`)
	}
	b.WriteString(`{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}`)
	b.WriteString(strings.Repeat("}}}", depth))
	return b.String()
}

// TestDeepPointer: a state nested 1,000 levels deep gets its full location, built only when asked
// (storing every location cost states × depth memory: 100k states at depth 2,000 passed 19 GB).
func TestDeepPointer(t *testing.T) {
	const depth = 1000
	m := build(t, nestedMaps(depth))
	last := m.All[len(m.All)-1]
	if last.Name != "X" || last.Scope.Depth != depth {
		t.Fatalf("last state %q at depth %d", last.Name, last.Scope.Depth)
	}
	var want strings.Builder
	for i := 0; i < depth; i++ {
		want.WriteString("/States/M" + strconv.Itoa(i) + "/ItemProcessor")
	}
	want.WriteString("/States/X")
	if got := last.Pointer(); got != want.String() {
		t.Errorf("deep pointer has %d bytes, want %d", len(got), want.Len())
	}
}

// TestSuccessorsWideChoice: a Choice with 20,000 rules going to 10,000 distinct states lists each
// target once, in order, then the Default (the duplicate check was a linear scan per rule).
func TestSuccessorsWideChoice(t *testing.T) {
	const rules, targets = 20_000, 10_000
	var b strings.Builder
	b.WriteString(`{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"T0","Choices":[`)
	for i := 0; i < rules; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"Variable":"$","IsNull":true,"Next":"T` + strconv.Itoa(i%targets) + `"}`)
	}
	b.WriteString(`]}`)
	for i := 0; i < targets; i++ {
		b.WriteString(`,"T` + strconv.Itoa(i) + `":{"Type":"Succeed"}`)
	}
	b.WriteString(`}}`)
	m := build(t, b.String())
	c := m.Root.Start()
	succ := c.Successors()
	if len(succ) != targets || succ[0] != "T0" || succ[targets-1] != "T"+strconv.Itoa(targets-1) {
		t.Fatalf("got %d successors (%v ... %v)", len(succ), succ[0], succ[len(succ)-1])
	}
	if len(c.Next()) != targets || len(m.Root.Reachable()) != targets+1 || len(m.Root.CanFinish()) != targets+1 {
		t.Errorf("next %d, reachable %d, can finish %d", len(c.Next()), len(m.Root.Reachable()), len(m.Root.CanFinish()))
	}
}
