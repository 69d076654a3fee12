package asl

import (
	"regexp"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// placeholderRe matches the substitution placeholders users keep in source:
// ${Name}, ${AWS::Partition}, ${self:custom.x}, #{AWS::AccountId}, <PARTITION>-style tokens are not included.
var placeholderRe = regexp.MustCompile(`\$\{[^}]+\}|#\{[^}]+\}`)

// HasPlaceholder reports whether the string contains a ${...} or #{...} substitution placeholder.
func HasPlaceholder(s string) bool {
	return strings.ContainsAny(s, "{") && placeholderRe.MatchString(s)
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
