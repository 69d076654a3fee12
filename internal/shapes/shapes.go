// Package shapes generates synthetic state machine definitions of a given size for the scaling
// benchmarks of validate and render (no large files in the repository).
package shapes

import (
	"strconv"
	"strings"
	"time"
)

// Shape is one kind of synthetic definition.
type Shape struct {
	Name string
	// Gen returns a JSON definition with about n states (for WideChoice: n rules).
	Gen func(n int) []byte
}

// All lists the shapes of the scaling table: chain, wide Choice, wide Parallel, deep nesting.
var All = []Shape{
	{"chain", Chain},
	{"wide-choice", WideChoice},
	{"wide-parallel", WideParallel},
	{"deep-map", func(n int) []byte { return Deep(n, DeepLevels(n)) }},
}

// DeepLevels is the nesting depth used for n states: 1,000 for 10k, 2,000 for 100k, 100 for 1k.
func DeepLevels(n int) int {
	switch {
	case n >= 100_000:
		return 2000
	case n >= 10_000:
		return 1000
	}
	return max(1, n/10)
}

// name returns a short unique state name.
func name(i int) string { return strconv.FormatInt(int64(i), 36) }

// Chain is n Pass states, each going to the next.
func Chain(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"StartAt":"0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + name(i) + `":{"Type":"Pass",`)
		if i == n-1 {
			b.WriteString(`"End":true}`)
		} else {
			b.WriteString(`"Next":"` + name(i+1) + `"}`)
		}
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// WideChoice is one Choice state with n rules, each going to its own Succeed state (n+2 states).
func WideChoice(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D","Choices":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"Variable":"$.x","NumericEquals":` + strconv.Itoa(i) + `,"Next":"` + name(i) + `"}`)
	}
	b.WriteString(`]},"D":{"Type":"Succeed"}`)
	for i := 0; i < n; i++ {
		b.WriteString(`,"` + name(i) + `":{"Type":"Succeed"}`)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// WideParallel is one Parallel state with n branches of one Pass state each.
func WideParallel(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"StartAt":"` + name(i) + `","States":{"` + name(i) + `":{"Type":"Pass","End":true}}}`)
	}
	b.WriteString(`]}}}`)
	return []byte(b.String())
}

// Deep is Map states nested depth levels deep with about n states in all, spread evenly over the
// levels: each level is a chain of Pass states ending in the Map of the next level.
func Deep(n, depth int) []byte {
	per := max(2, n/depth)
	var b strings.Builder
	for lvl := 0; lvl < depth; lvl++ {
		base := lvl * per
		b.WriteString(`{"StartAt":"` + name(base) + `","States":{`)
		for i := 0; i < per-1; i++ {
			b.WriteString(`"` + name(base+i) + `":{"Type":"Pass","Next":"` + name(base+i+1) + `"},`)
		}
		b.WriteString(`"` + name(base+per-1) + `":{"Type":"Map","End":true,"ItemProcessor":`)
	}
	b.WriteString(`{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}`)
	for lvl := 0; lvl < depth; lvl++ {
		b.WriteString(`}}}`)
	}
	return []byte(b.String())
}

// Small is a small valid definition (a Task with Retry and Catch, a Choice, a Pass), numbered i.
func Small(i int) []byte {
	return []byte(`{"Comment":"small ` + strconv.Itoa(i) + `","StartAt":"T","States":{` +
		`"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},` +
		`"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"Next":"C"},` +
		`"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"P"}],"Default":"P"},` +
		`"P":{"Type":"Pass","End":true},"F":{"Type":"Fail","Error":"E"}}}`)
}

// PerState reports ns/state (elapsed) and cpu-ns/state (process CPU time, all goroutines and the
// garbage collector included) of a benchmark over n states; cpu0 is CPUTime before the loop.
func PerState(b interface {
	Elapsed() time.Duration
	ReportMetric(float64, string)
}, iterations, n int, cpu0 time.Duration) {
	per := float64(iterations) * float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/state")
	if cpu := CPUTime() - cpu0; cpu0 > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/per, "cpu-ns/state")
	}
}
