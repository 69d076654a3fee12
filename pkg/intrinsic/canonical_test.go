package intrinsic

import (
	"strconv"
	"testing"
)

// FuzzCanonicalInteger: a text canonicalInteger accepts is what ParseInt and FormatInt give back.
func FuzzCanonicalInteger(f *testing.F) {
	for _, s := range []string{"0", "-0", "7", "-7", "007", "+1", "123456789012345678", "9223372036854775807", "-", "", "1e3", "1.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !canonicalInteger(s) {
			return
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil || strconv.FormatInt(i, 10) != s {
			t.Fatalf("%q accepted: %d %v", s, i, err)
		}
	})
}

// TestCanonicalInteger: the texts taken as they are and those normalised.
func TestCanonicalInteger(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "-0": false, "12": true, "-12": true, "012": false, "+1": false,
		"": false, "-": false, "1.5": false, "123456789012345678": true, "1234567890123456789": false} {
		if got := canonicalInteger(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
