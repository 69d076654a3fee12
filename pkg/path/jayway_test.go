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
	// A root reference in a filter parses (AWS evaluates it) and is noted
	// as outside the ASL grammar.
	p, err = Parse("$.approaches[?(@.workerId == $.agent_id)].approach")
	if err != nil || p.Lenient == nil || !p.Lenient.Jayway || p.Lenient.Offset != 29 {
		t.Errorf("root reference in a filter: want a path with Lenient set, got %+v, %v", p, err)
	}
	if p, err := Parse("$.a[?(@.x == 1)]"); err != nil || p.Lenient != nil {
		t.Errorf("an '@'-only filter is not lenient: %+v, %v", p, err)
	}
	var se *SyntaxError
	if _, err := ParseIn("$.a[?(@.x == $.y)]", ContextReferencePath); !errors.As(err, &se) || se.Jayway {
		t.Errorf("a reference path still refuses filters: %v", err)
	}
	if _, err := Parse("$.a b"); err == nil {
		t.Error("Parse($.a b): want an error")
	}
}
