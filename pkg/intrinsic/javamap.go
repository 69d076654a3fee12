package intrinsic

import "github.com/sfn-tool/sfn/pkg/value"

// javaHashMapOrder returns the members of o in the order of a java.util.HashMap holding them (see
// value.HashMapOrder): AWS builds the result of States.JsonMerge in such a map. Merging
// {"constant_in_literal": …} with {"constant_input_field": …} gives
// {"constant_input_field": …, "constant_in_literal": …} on AWS, neither the insertion nor the
// sorted order. o is just built and not shared: its members are reordered in place and handed
// to the result.
func javaHashMapOrder(o *value.Object) *value.Object {
	ms := o.Members()
	value.HashMapOrder(ms)
	return value.FromMembers(ms)
}
