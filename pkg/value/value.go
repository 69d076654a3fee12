// Package value is the run-time representation of JSON values in sfn run.
//
// A value is one of *Object (an object whose members keep their insertion order, as AWS's engine
// keeps the order of the input or template), []any, string, bool, nil and json.Number (the exact
// text of a number). Handlers and tests may also hand in float64 and Go integers; the encoders
// accept them. Values are never mutated in place once shared: paths, templates and functions
// build new objects (With, Without, a fresh NewObject filled with Set), so one value can be shared
// by any number of states and goroutines.
package value

import (
	"encoding/json"
	"iter"
	"sort"
)

// Member is one key/value pair of an Object.
type Member struct {
	Key   string
	Value any
}

// indexMin is the member count above which an Object keeps a key index; smaller objects are
// scanned, which is faster than hashing for a handful of short keys.
const indexMin = 8

// Object is a JSON object whose members keep their insertion order. Lookups are O(1) (a scan for
// small objects, an index built during construction for larger ones). The zero value and nil are
// empty objects for reading. An Object may be changed with Set and Delete only while it is being
// built, before it is shared; afterwards use the copying With and Without.
type Object struct {
	members []Member
	index   map[string]int // key → position; non-nil only above indexMin members
}

// NewObject returns an empty object with room for n members. An object of up to 8 members
// takes one allocation: the object and its members together.
func NewObject(n int) *Object {
	switch {
	case n <= 0:
		return &Object{}
	case n <= 2:
		b := new(objectWith2)
		b.o.members = b.ms[:0:n]
		return &b.o
	case n == 3:
		b := new(objectWith3)
		b.o.members = b.ms[:0:n]
		return &b.o
	case n == 4:
		b := new(objectWith4)
		b.o.members = b.ms[:0:n]
		return &b.o
	case n <= 6:
		b := new(objectWith6)
		b.o.members = b.ms[:0:n]
		return &b.o
	case n <= indexMin:
		b := new(objectWith8)
		b.o.members = b.ms[:0:n]
		return &b.o
	}
	return &Object{members: make([]Member, 0, n)}
}

// An object allocated with room for its members (NewObject).
type (
	objectWith2 struct {
		o  Object
		ms [2]Member
	}
	objectWith3 struct {
		o  Object
		ms [3]Member
	}
	objectWith4 struct {
		o  Object
		ms [4]Member
	}
	objectWith6 struct {
		o  Object
		ms [6]Member
	}
	objectWith8 struct {
		o  Object
		ms [indexMin]Member
	}
)

// ObjectOf builds an object from alternating keys and values: ObjectOf("b", 1, "a", 2). It panics
// when a key is not a string (a programming error). It is meant for literals in code and tests.
func ObjectOf(kv ...any) *Object {
	o := NewObject(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// FromMembers builds an object that takes ownership of ms (the caller must not use it afterwards).
// A repeated key keeps its first position and its last value, like a Java LinkedHashMap.
func FromMembers(ms []Member) *Object {
	return FromMembersIn(new(Object), ms)
}

// FromMembersIn is FromMembers building the object in *o, a zero Object not shared yet (one of
// several allocated together, with their members): it returns o, or a new object when ms
// repeats a key.
func FromMembersIn(o *Object, ms []Member) *Object {
	o.members = ms
	if len(ms) <= indexMin {
		for i := 1; i < len(ms); i++ {
			for j := 0; j < i; j++ {
				if ms[j].Key == ms[i].Key {
					// rare: rebuild through Set, which merges repeats
					return rebuild(ms)
				}
			}
		}
		return o
	}
	o.index = make(map[string]int, len(ms))
	for i, m := range ms {
		if _, dup := o.index[m.Key]; dup {
			return rebuild(ms)
		}
		o.index[m.Key] = i
	}
	return o
}

func rebuild(ms []Member) *Object {
	o := NewObject(len(ms))
	for _, m := range ms {
		o.Set(m.Key, m.Value)
	}
	return o
}

// Len returns the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

// find returns the position of key, or -1.
func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].Key == key {
			return i
		}
	}
	return -1
}

// Get returns the value of the member named key.
func (o *Object) Get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.members[i].Value, true
	}
	return nil, false
}

// Has reports whether the object has a member named key.
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Members returns the members in order. The slice belongs to the object: callers read it, and
// may replace values in it only while they are still building the object.
func (o *Object) Members() []Member {
	if o == nil {
		return nil
	}
	return o.members
}

// Keys returns the keys in order (a new slice).
func (o *Object) Keys() []string {
	keys := make([]string, o.Len())
	for i, m := range o.Members() {
		keys[i] = m.Key
	}
	return keys
}

// All iterates over the members in order.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for _, m := range o.Members() {
			if !yield(m.Key, m.Value) {
				return
			}
		}
	}
}

// Set adds a member at the end, or replaces the value of an existing member in its position.
// Use it only while building an object that is not shared yet.
func (o *Object) Set(key string, v any) {
	if i := o.find(key); i >= 0 {
		o.members[i].Value = v
		return
	}
	o.members = append(o.members, Member{key, v})
	switch {
	case o.index != nil:
		o.index[key] = len(o.members) - 1
	case len(o.members) > indexMin:
		o.buildIndex()
	}
}

func (o *Object) buildIndex() {
	o.index = make(map[string]int, cap(o.members)) // room for the members the builder planned
	for i, m := range o.members {
		o.index[m.Key] = i
	}
}

// Delete removes the member named key, keeping the order of the others. Use it only while
// building an object that is not shared yet.
func (o *Object) Delete(key string) {
	i := o.find(key)
	if i < 0 {
		return
	}
	n := len(o.members)
	copy(o.members[i:], o.members[i+1:])
	o.members[n-1] = Member{} // drop the reference held by the spare slot
	o.members = o.members[:n-1]
	if o.index != nil {
		if len(o.members) > indexMin {
			o.buildIndex()
		} else {
			o.index = nil
		}
	}
}

// Clone returns a shallow copy that may be changed with Set and Delete (spare room for extra
// members).
func (o *Object) Clone(extra int) *Object {
	c := NewObject(o.Len() + extra)
	c.members = append(c.members, o.Members()...)
	if o.Len() > indexMin {
		c.buildIndex()
	}
	return c
}

// With returns a copy of o in which key has the value v: an existing member keeps its position,
// a new one is appended. o is not changed.
func (o *Object) With(key string, v any) *Object {
	extra := 1
	if o.Has(key) {
		extra = 0
	}
	c := o.Clone(extra)
	c.Set(key, v)
	return c
}

// Without returns a copy of o without the member named key (o itself when it has none).
func (o *Object) Without(key string) *Object {
	if !o.Has(key) {
		return o
	}
	c := o.Clone(0)
	c.Delete(key)
	return c
}

// MarshalJSON encodes the object as compact JSON with its members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	return AppendJSON(nil, o), nil
}

// FromGo converts plain Go data — map[string]any (its keys sorted, as a map has no order), []any
// and scalars — into a run-time value, recursively. Objects and other values are kept as they are.
// It suits values built in Go code and tests, not documents (decode those with load.DecodeJSON).
func FromGo(v any) any {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		ms := make([]Member, len(keys))
		for i, k := range keys {
			ms[i] = Member{k, FromGo(t[k])}
		}
		return FromMembers(ms)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = FromGo(x)
		}
		return out
	case *Object:
		ms := make([]Member, t.Len())
		for i, m := range t.Members() {
			ms[i] = Member{m.Key, FromGo(m.Value)}
		}
		return FromMembers(ms)
	}
	return v
}

// ToGo converts a value into plain Go data: every *Object becomes a map[string]any (losing its
// order). It is meant for tests and for encoders that need Go maps.
func ToGo(v any) any {
	switch t := v.(type) {
	case *Object:
		m := make(map[string]any, t.Len())
		for _, x := range t.Members() {
			m[x.Key] = ToGo(x.Value)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = ToGo(x)
		}
		return out
	}
	return v
}

// IsContainer reports whether v is an object or an array.
func IsContainer(v any) bool {
	switch v.(type) {
	case *Object, []any:
		return true
	}
	return false
}

var _ json.Marshaler = (*Object)(nil)
