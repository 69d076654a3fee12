package value

import (
	"slices"
	"unicode/utf16"
)

// HashMapOrder sorts ms, in place, into the order in which a java.util.HashMap holding them
// (put in the order of ms) iterates: by bucket — Java's String.hashCode of the key, spread as
// HashMap spreads it (h ^ h>>>16), masked by the table size — then by insertion order within a
// bucket. The table grows as a default HashMap's does: 16 buckets, doubled while more than 3/4
// full. AWS's engine builds some objects in such maps (the dynamic fields of a JSONPath payload
// template, the result of States.JsonMerge), so their members come out in this order.
func HashMapOrder(ms []Member) {
	buckets := uint32(16)
	for len(ms) > int(buckets)*3/4 && buckets < 1<<30 {
		buckets *= 2
	}
	// Sort (bucket, position) pairs packed in integers: stable by construction, and no pointers
	// are moved while sorting.
	order := make([]uint64, len(ms))
	for i, m := range ms {
		order[i] = uint64(JavaStringHash(m.Key)&(buckets-1))<<32 | uint64(i)
	}
	slices.Sort(order)
	sorted := make([]Member, len(ms))
	for i, o := range order {
		sorted[i] = ms[uint32(o)]
	}
	copy(ms, sorted)
}

// JavaStringHash is Java's String.hashCode of s (over its UTF-16 code units) with HashMap's
// spreading of the high bits (h ^ h>>>16).
func JavaStringHash(s string) uint32 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h = 31*h + uint32(r1)
			h = 31*h + uint32(r2)
			continue
		}
		h = 31*h + uint32(r)
	}
	return h ^ h>>16
}
