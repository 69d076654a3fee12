package path

import (
	"errors"
	"testing"
)

// Shapes from real definitions AWS accepts (Jayway JsonPath leniencies).
func TestJaywayLeniencies(t *testing.T) {
	for _, s := range []string{"$.[0]", "$.Snapshots.[0].State", "$.[*].['bucket', 'key']", "$.[?(@.OU > 0)]", "$$.Execution.Name ", "$.a\t"} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
	p, err := Parse("$.a.[0]")
	if err != nil || len(p.Segments) != 2 || p.Segments[1].Kind != Index || p.String() != "$.a[0]" {
		t.Errorf("Parse($.a.[0]) = %+v, %v", p, err)
	}
	_, err = Parse("$.approaches[?(@.workerId == $.agent_id)].approach")
	var se *SyntaxError
	if !errors.As(err, &se) || !se.Jayway {
		t.Errorf("root reference in a filter: want a SyntaxError with Jayway set, got %v", err)
	}
	if _, err := Parse("$.a b"); err == nil {
		t.Error("Parse($.a b): want an error")
	}
}
