package asl

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// HasPlaceholder reports whether the string contains a ${...} or #{...} substitution placeholder
// (${Name}, ${AWS::Partition}, ${self:custom.x}, #{AWS::AccountId}) with a non-empty name.
func HasPlaceholder(s string) bool {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return false
		}
		if i > 0 && (s[i-1] == '$' || s[i-1] == '#') && strings.IndexByte(s[i+1:], '}') > 0 {
			return true
		}
		s = s[i+1:]
	}
}

// IsPlaceholder reports whether the node is an opaque value standing in for something
// substituted at deploy time: a string containing ${...} or #{...}, a CloudFormation intrinsic
// object ({"Ref": ...}, {"Fn::GetAtt": ...}), or a YAML value carrying a CloudFormation tag (!Ref, !Sub, ...).
func IsPlaceholder(n *load.Node) bool {
	if n == nil {
		return false
	}
	if n.Tag != "" {
		return true
	}
	switch n.Kind {
	case load.String:
		return HasPlaceholder(n.Text)
	case load.Object:
		if len(n.Fields) == 1 {
			k := n.Fields[0].Key
			return k == "Ref" || strings.HasPrefix(k, "Fn::")
		}
	}
	return false
}
