package validate

import (
	"strings"
	"testing"
)

func TestCoveredByPointsAtRealRules(t *testing.T) {
	for id, c := range coveredBy {
		if Lookup(id) != nil {
			t.Errorf("%s is a rule and an alias", id)
		}
		if c.rule != "" && Lookup(c.rule) == nil {
			t.Errorf("%s: covering rule %s does not exist", id, c.rule)
		}
	}
	if msg := UnknownRuleMessage("retry-catch-allowed"); !strings.Contains(msg, "checked by rule field-not-supported") {
		t.Errorf("got %q", msg)
	}
	if msg := UnknownRuleMessage("next-target-exist"); !strings.Contains(msg, "did you mean next-target-exists") {
		t.Errorf("got %q", msg)
	}
}
