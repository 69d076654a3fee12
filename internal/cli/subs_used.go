package cli

import (
	"bytes"
	"sort"
)

// markSubs records in used the --sub keys whose ${KEY} placeholder src holds.
func markSubs(used map[string]bool, subs map[string]string, src []byte) {
	for k := range subs {
		if !used[k] && bytes.Contains(src, []byte("${"+k+"}")) {
			used[k] = true
		}
	}
}

// unusedSubs are the --sub keys, sorted, that no checked file has a placeholder for (a --sub is
// never ignored in silence).
func unusedSubs(subs map[string]string, used map[string]bool) []string {
	var out []string
	for k := range subs {
		if !used[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
