package asl

import "testing"

func TestHasPlaceholder(t *testing.T) {
	for s, want := range map[string]bool{
		"${X}": true, "arn:${AWS::Partition}:states:::x": true, "#{AWS::AccountId}": true, "${self:custom.a}": true,
		"${}": false, "${X": false, "{}": false, "States.Format('{}', $.a)": false, "$.a{b}": false, "": false, "$": false,
	} {
		if got := HasPlaceholder(s); got != want {
			t.Errorf("HasPlaceholder(%q) = %v, want %v", s, got, want)
		}
	}
}
