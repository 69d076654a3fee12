package asl

import "testing"

func TestParseTimestamp(t *testing.T) {
	for s, want := range map[string]bool{
		"2016-03-14T01:59:00Z": true, "2016-03-14T01:59:00.123456789Z": true, "2016-03-14T01:59:00+02:00": true,
		"2016-03-14t01:59:00Z": false, "2016-03-14T01:59:00z": false, "2016-03-14 01:59:00Z": false,
		"2016-03-14T01:59:00": false, "2016-02-30T01:59:00Z": false, "2016-03-14T25:00:00Z": false, "": false,
	} {
		if _, got := ParseTimestamp(s); got != want {
			t.Errorf("ParseTimestamp(%q) = %v, want %v", s, got, want)
		}
	}
}
