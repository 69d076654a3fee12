package validate

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// varChain is a chain of n Pass states; state i assigns v<i> and reads v<i-1> (and, when late is
// set, a variable only the last state assigns).
func varChain(n int, late bool) []byte {
	var b strings.Builder
	b.WriteString(`{"StartAt":"s0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		s := strconv.Itoa(i)
		b.WriteString(`"s` + s + `":{"Type":"Pass","Assign":{"v` + s + `":1`)
		if late && i == n-1 {
			b.WriteString(`,"late":1`)
		}
		b.WriteString(`},"Parameters":{"x.$":"$v` + strconv.Itoa(max(i-1, 0)) + `"`)
		if late {
			b.WriteString(`,"y.$":"$late"`)
		}
		b.WriteString(`},`)
		if i == n-1 {
			b.WriteString(`"End":true}`)
		} else {
			b.WriteString(`"Next":"s` + strconv.Itoa(i+1) + `"}`)
		}
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// TestVariableVisibilityLongChain: every state reads the variable of the state before it (visible,
// except in the first state) and a variable only the last state assigns (never visible). Each query
// used to walk all predecessors (8,000 states: 119 s, 4 GB).
func TestVariableVisibilityLongChain(t *testing.T) {
	const n = 5000
	doc, err := load.Parse("chain.json", varChain(n, true), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var undefined []Diagnostic
	for _, d := range Check(doc, &Options{Severity: map[string]Severity{"definition-size": Off}}) {
		if d.Rule == "variable-undefined" {
			undefined = append(undefined, d)
		}
	}
	if len(undefined) != n+1 {
		t.Fatalf("got %d variable-undefined findings, want %d (each $late, and $v0 in s0)", len(undefined), n+1)
	}
	for _, d := range undefined {
		if !strings.Contains(d.Message, "'$late'") && !strings.Contains(d.Message, "'$v0'") {
			t.Errorf("unexpected finding: %s %s", d.Location, d.Message)
		}
	}
}

// BenchmarkVariableChain validates a 10,000-state chain where every state assigns and reads variables.
func BenchmarkVariableChain(b *testing.B) {
	src := varChain(10_000, true)
	b.ReportAllocs()
	for b.Loop() {
		doc, err := load.Parse("chain.json", src, load.JSON)
		if err != nil {
			b.Fatal(err)
		}
		Check(doc, &Options{})
	}
}

// TestVariableVisibilityManyFarVariables: 300 variables assigned along a chain and all read by its
// last state (most beyond the backward probe, so answered 64 at a time by the forward masks), and one
// assigned only after it.
func TestVariableVisibilityManyFarVariables(t *testing.T) {
	const n = 300
	var b strings.Builder
	b.WriteString(`{"StartAt":"s0","States":{`)
	for i := 0; i < n; i++ {
		b.WriteString(`"s` + strconv.Itoa(i) + `":{"Type":"Pass","Assign":{"v` + strconv.Itoa(i) + `":1},"Next":"s` + strconv.Itoa(i+1) + `"},`)
	}
	b.WriteString(`"s` + strconv.Itoa(n) + `":{"Type":"Pass","Parameters":{`)
	for i := 0; i < n; i++ {
		b.WriteString(`"x` + strconv.Itoa(i) + `.$":"$v` + strconv.Itoa(i) + `",`)
	}
	b.WriteString(`"w.$":"$w"},"Next":"last"},"last":{"Type":"Pass","Assign":{"w":1},"End":true}}}`)
	doc, err := load.Parse("far.json", []byte(b.String()), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range Check(doc, &Options{}) {
		if d.Rule == "variable-undefined" {
			got = append(got, d.Message)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "'$w'") {
		t.Errorf("findings %q, want one about $w", got)
	}
}
