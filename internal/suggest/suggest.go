// Package suggest finds the "did you mean" candidate for a misspelt name: one rule for every
// message of sfn that offers one (rule ids, state names, fields, sfn.yaml and test-file keys).
package suggest

import "strings"

// maxRunes bounds the names Distance compares: a longer name is as far as its length from
// anything, so a hostile megabyte-long key costs nothing.
const maxRunes = 256

// Distance is the optimal string alignment distance of a and b, in runes: insertions,
// deletions, substitutions and transpositions of neighbours.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > maxRunes || len(rb) > maxRunes {
		return max(len(ra), len(rb))
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Closest returns the candidate name most likely meant: one equal but for letter case, one that
// name begins (for names of 4 characters or more), else the nearest within 2 edits and a third
// of its length; ok is false when none is close.
func Closest(name string, candidates []string) (best string, ok bool) {
	lname := strings.ToLower(name)
	bestD := 3
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == lname || (len(name) >= 4 && strings.HasPrefix(lc, lname)) {
			return c, true
		}
		if d := Distance(lname, lc); d < bestD && d <= len(c)/3 {
			best, bestD = c, d
		}
	}
	return best, best != ""
}
