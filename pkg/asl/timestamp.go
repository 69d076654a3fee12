package asl

import (
	"regexp"
	"time"
)

// timestampRE is AWS's RFC 3339 profile: an uppercase T, seconds, optional fraction, and a zone (Z or ±hh:mm).
var timestampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// ParseTimestamp parses a timestamp as Step Functions accepts it (Wait Timestamp, Choice Timestamp*
// operands): RFC 3339 with an uppercase T and a zone, such as 2016-03-14T01:59:00Z; fractional seconds
// are allowed. Validation and the interpreter both use it.
func ParseTimestamp(s string) (time.Time, bool) {
	if !timestampRE.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
