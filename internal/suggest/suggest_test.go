package suggest

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"abc", "acb", 1}, {"kitten", "sitting", 3},
		{"Resul", "Result", 1}, {"héllo", "hello", 1},
		{strings.Repeat("x", 300), "x", 300},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%.20q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"Next", "End", "Result", "ResultPath", "TimeoutSeconds"}
	for _, tc := range []struct {
		name, want string
	}{
		{"next", "Next"}, {"Resul", "Result"}, {"ResltPath", "ResultPath"}, {"Timeout", "TimeoutSeconds"},
		{"Ed", "End"}, {"Comment", ""}, {"x", ""}, {strings.Repeat("N", 100000), ""},
	} {
		got, ok := Closest(tc.name, cands)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Closest(%.20q) = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
}
